//! Any typed or pasted text parses, searches and presents without a panic.
#![no_main]

mod common;

use std::sync::Mutex;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qidiruv_engine::{Query, SearchOptions, Searcher};

fn searcher() -> &'static Mutex<Searcher> {
    static SEARCHER: OnceLock<Mutex<Searcher>> = OnceLock::new();
    SEARCHER.get_or_init(|| Mutex::new(common::sample_index().searcher().unwrap()))
}

fuzz_target!(|text: &str| {
    let query = Query::parse(text);
    let mut searcher = searcher().lock().unwrap();
    let shown = searcher
        .run(&query, &SearchOptions::default(), |part| panic!("{part:?} is not loaded"))
        .expect("a valid index never errors");
    assert!(shown.items.len() <= 10);
});
