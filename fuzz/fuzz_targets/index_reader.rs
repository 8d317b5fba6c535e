//! Corrupted index parts must give errors, never panics. The fuzzer's bytes
//! replace one part, renamed to their own hash so the reader gets past the
//! integrity check and into the decoders.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qidiruv_engine::index::{part_name, BuiltIndex, StoreChunk};
use qidiruv_engine::{present, Query, SearchOptions, Searcher};

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else { return };
    static BUILT: OnceLock<BuiltIndex> = OnceLock::new();
    let built = BUILT.get_or_init(common::sample_index);
    let mut manifest = built.manifest.clone();
    let mut parts: Vec<Vec<u8>> = built.parts.iter().map(|(_, b)| b.clone()).collect();
    let slot = usize::from(which) % parts.len();
    parts[slot] = bytes.to_vec();
    let (stem, ext) = match slot {
        0 => ("terms", "fst"),
        1 => ("postings", "bin"),
        2 => ("docs", "bin"),
        _ => ("store-0", "bin"),
    };
    let name = part_name(stem, ext, bytes);
    match slot {
        0 => manifest.parts.terms = name,
        1 => manifest.parts.postings = name,
        2 => manifest.parts.docs = name,
        _ => manifest.parts.store[0] = name,
    }
    let Ok(chunk) = StoreChunk::decode(&manifest.parts.store[0], &parts[3]) else { return };
    let Ok(searcher) = Searcher::open(manifest.clone(), parts[0].clone(), parts[1].clone(), parts[2].clone()) else {
        return;
    };
    // Short words: no typo automata, so the time goes to the decoders under test.
    for text in ["tash", "bor sec", "мирз ", "\"st bo\" -ta", "o"] {
        let query = Query::parse(text);
        if let Ok(found) = searcher.search(&query, &SearchOptions::default()) {
            present(&query, &found, 10, |doc| chunk.get(doc));
        }
    }
});
