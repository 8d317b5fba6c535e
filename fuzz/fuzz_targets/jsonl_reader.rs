//! Any bytes read as a JSONL corpus give documents and diagnostics, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use qidiruv::checks::{ReadOptions, SeenIds};
use qidiruv::jsonl::read_jsonl;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions { max_body_bytes: Some(1 << 16) };
    let (docs, report) = read_jsonl(Path::new("fuzz.jsonl"), data, &options, &mut SeenIds::default());
    let lines = data.split(|&b| b == b'\n').count();
    assert!(docs.len() <= lines);
    assert!(report.iter().all(|d| d.line >= 1 && d.line <= lines));
});
