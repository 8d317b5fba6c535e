//! Corrupted index parts must give errors, never panics. The fuzzer's bytes
//! replace one part's, sealed as the part so the reader gets past the
//! integrity check and into the decoders.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qidiruv_engine::index::{seal, BuiltIndex, IndexError};
use qidiruv_engine::{Query, SearchOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else { return };
    static BUILT: OnceLock<BuiltIndex> = OnceLock::new();
    let mut built = BUILT.get_or_init(common::sample_index).clone();
    let slot = usize::from(which) % built.parts.len();
    let old = built.parts[slot].0.clone();
    built.parts[slot].1 = seal(bytes.to_vec(), built.manifest.segments[0].seed, &old);
    let parts = &mut built.manifest.segments[0].parts;
    for (slot, len) in parts.postings.iter_mut().chain(&mut parts.positions) {
        if *slot == old {
            *len = bytes.len() as u64;
        }
    }
    let Ok(mut searcher) = built.searcher() else { return };
    // Short words: no typo automata, so the time goes to the decoders under test.
    for text in ["tash", "bor sec", "мирз ", "\"st bo\" -ta", "\"state border\"", "o"] {
        // Every part is loaded, but a damaged one may lack what the reader
        // asks for again: that is an error, like a failed fetch.
        let unavailable = |part: &_| Err(IndexError::Inconsistent { detail: format!("{part:?} is not available") });
        let _ = searcher.run(&Query::parse(text), &SearchOptions::default(), unavailable);
    }
});
