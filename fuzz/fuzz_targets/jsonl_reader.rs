//! Any bytes read as a JSONL corpus give documents and diagnostics, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use qidiruv::checks::{ReadOptions, SeenIds};
use qidiruv::jsonl::read_jsonl;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions { max_body_bytes: Some(1 << 16), ..ReadOptions::default() };
    let mut report = Vec::new();
    let mut docs = 0;
    let read = read_jsonl(Path::new("fuzz.jsonl"), data, &options, &mut SeenIds::default(), &mut report, |_, _| {
        docs += 1;
        Ok(())
    });
    assert!(read.is_ok(), "bytes in memory always read: {read:?}");
    let lines = data.split(|&b| b == b'\n').count();
    assert!(docs <= lines);
    assert!(report.iter().all(|d| d.line >= 1 && d.line <= lines));
});
