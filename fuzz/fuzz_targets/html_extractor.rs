//! Any bytes read as a built HTML page give a document or diagnostics, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use qidiruv::checks::ReadOptions;
use qidiruv::html::read_page;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions { max_body_bytes: Some(1 << 16), ..ReadOptions::default() };
    let (doc, report) = read_page(Path::new("fuzz.html"), Path::new("en/news/index.html"), data, &options);
    if let Some(doc) = doc {
        assert_eq!(doc.url, "/en/news/");
    }
    assert!(report.iter().all(|d| d.line >= 1));
});
