//! Any typed or pasted text parses, searches and presents without a panic.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qidiruv_engine::index::{BuiltIndex, StoreChunk};
use qidiruv_engine::{present, Query, SearchOptions, Searcher};

struct Loaded {
    built: BuiltIndex,
    searcher: Searcher,
    chunk: StoreChunk,
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let built = common::sample_index();
        let part = |i: usize| built.parts[i].1.clone();
        let searcher = Searcher::open(built.manifest.clone(), part(0), part(1), part(2)).unwrap();
        let chunk = StoreChunk::decode(&built.parts[3].0, &built.parts[3].1).unwrap();
        Loaded { built, searcher, chunk }
    })
}

fuzz_target!(|text: &str| {
    let loaded = loaded();
    let query = Query::parse(text);
    let found = loaded.searcher.search(&query, &SearchOptions::default()).expect("a valid index never errors");
    let shown = present(&query, &found, 10, |doc| loaded.chunk.get(doc));
    assert!(shown.items.len() <= 10);
    assert_eq!(loaded.built.manifest.documents, 4);
});
