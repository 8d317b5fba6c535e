//! Wide prefixes' heads: a one-letter query reads one small part instead of
//! every shard its completions span, and finds exactly what the shards find.

use std::sync::OnceLock;

use proptest::prelude::*;
use qidiruv_engine::index::dictionary::{HeadKey, HeadPart};
use qidiruv_engine::index::{seal, unseal, BuiltIndex};
use qidiruv_engine::search::Step;
use qidiruv_engine::{Document, IndexBuilder, IndexError, Lang, PartRequest, Query, SearchOptions, Searcher};

/// Many made-up words under `s` and `t` (and a few under `so`), enough that
/// their keys fill several shards, in articles of uneven frequency.
fn wide_vocabulary() -> BuiltIndex {
    let mut seed = 7u64;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let letters: Vec<char> = "aeioubdgklmnprstvz".chars().collect();
    let words: Vec<String> = (0..4000)
        .map(|i| {
            let first = ["s", "t", "so"][i % 3];
            let tail: String = (0..4 + next(5)).map(|_| letters[next(letters.len() as u64) as usize]).collect();
            format!("{first}{tail}")
        })
        .collect();
    let mut builder = IndexBuilder::new().unwrap();
    for d in 0..1200 {
        // Half the words from a few frequent ones, half from all of them.
        let body: Vec<&str> = (0..24).map(|i| words[next([40, 4000][i % 2]) as usize].as_str()).collect();
        let title = words[d % words.len()].clone();
        let lang = if d % 4 == 0 { Lang::Ru } else { Lang::En };
        let url = format!("/news/{d}/");
        let doc = Document { id: format!("d{d}"), url, lang, title, date: None, body: body.join(" "), group: None };
        builder.add(doc).unwrap();
    }
    builder.finish().unwrap()
}

/// The same index as if it had no heads: every query reads shards.
fn without_heads(built: &BuiltIndex) -> Searcher {
    let mut headless = built.clone();
    let heads: Vec<String> = headless.manifest.segments[0].parts.heads.drain(..).map(|(_, name)| name).collect();
    headless.parts.retain(|(name, _)| !heads.contains(name));
    headless.searcher().unwrap()
}

fn hits(searcher: &Searcher, query: &str) -> Vec<(u32, f32)> {
    match searcher.search(&Query::parse(query), &SearchOptions { limit: 50, ..Default::default() }).unwrap() {
        Step::Ready(found) => found.hits.iter().map(|hit| (hit.doc, hit.score)).collect(),
        Step::Need(parts) => panic!("every part is loaded, yet {parts:?} are missing"),
    }
}

/// `request`'s bytes from `built`, as a static host would answer it.
fn serve(built: &BuiltIndex, request: &PartRequest) -> Result<Vec<u8>, IndexError> {
    let missing = || IndexError::Inconsistent { detail: format!("{request:?} is not there") };
    let bytes = &built.parts.iter().find(|(name, _)| *name == request.name).ok_or_else(missing)?.1;
    request.of_file(bytes).map(<[u8]>::to_vec).ok_or_else(missing)
}

/// The parts that `query` reads, step by step, on a searcher that has
/// read only the document table.
fn reads(built: &BuiltIndex, query: &str) -> Vec<PartRequest> {
    let docs = &built.manifest.segments[0].parts.docs;
    let table = &built.parts.iter().find(|(name, _)| name == docs).unwrap().1;
    let mut searcher = Searcher::open(built.manifest.clone(), &[table]).unwrap();
    let mut read = Vec::new();
    let load = |request: &PartRequest| {
        read.push(request.clone());
        serve(built, request)
    };
    searcher.run(&Query::parse(query), &SearchOptions::default(), load).unwrap();
    read
}

#[test]
fn wide_one_and_two_letter_prefixes_have_heads() {
    let built = wide_vocabulary();
    let prefixes: Vec<&str> =
        built.manifest.segments[0].parts.heads.iter().map(|(prefix, _)| prefix.as_str()).collect();
    let shards = built.manifest.segments[0].parts.dictionary.len();
    assert!(shards >= 4, "the vocabulary fills {shards} shards");
    assert!(prefixes.contains(&"s") && prefixes.contains(&"t") && prefixes.contains(&"so"), "{prefixes:?}");
    assert!(prefixes.iter().all(|p| p.chars().count() <= 2), "{prefixes:?}");
}

#[test]
fn a_head_finds_exactly_what_the_shards_find() {
    let built = wide_vocabulary();
    let (heads, shards) = (built.searcher().unwrap(), without_heads(&built));
    let mut queries: Vec<String> =
        built.manifest.segments[0].parts.heads.iter().map(|(prefix, _)| prefix.clone()).collect();
    // The same prefixes typed in Cyrillic, after a full word, and as whole words.
    queries.extend(["с", "т", "со", "С", "so", "s ", "tabu s", "soz t"].map(String::from));
    for query in &queries {
        let found = hits(&heads, query);
        assert!(!found.is_empty() || query.ends_with(' '), "{query:?} finds nothing");
        assert_eq!(found, hits(&shards, query), "{query:?}");
    }
}

#[test]
fn a_one_letter_query_reads_its_head_and_no_shard() {
    let built = wide_vocabulary();
    let parts = &built.manifest.segments[0].parts;
    let head = &parts.heads.iter().find(|(prefix, _)| prefix == "s").unwrap().1;
    for query in ["s", "с"] {
        let read = reads(&built, query);
        let dictionary: Vec<&str> = read
            .iter()
            .map(|r| r.name.as_str())
            .filter(|name| name.starts_with("s0-dict-") || name.starts_with("s0-head-"))
            .collect();
        assert_eq!(dictionary, [head.as_str()], "{query:?}");
    }
    // A longer word reads shards as before.
    let read = reads(&built, "sabu");
    assert!(
        read.iter().any(|r| r.name.starts_with("s0-dict-")) && !read.iter().any(|r| r.name.starts_with("s0-head-"))
    );
}

#[test]
fn a_head_with_a_key_outside_its_prefix_is_corrupt() {
    let mut built = wide_vocabulary();
    let (prefix, old) = built.manifest.segments[0].parts.heads[0].clone();
    let stray = HeadKey { key: format!("z{prefix}"), df_class: 1, list_bytes: 1, ..Default::default() };
    let bytes = postcard::to_allocvec(&HeadPart { keys: vec![stray] }).unwrap();
    let bytes = seal(bytes, built.manifest.segments[0].seed, &old);
    built.parts.retain(|(n, _)| *n != old);
    built.parts.push((old, bytes));
    match built.searcher() {
        Err(IndexError::Corrupt { detail, .. }) => assert!(detail.contains("a key not under its prefix"), "{detail}"),
        other => panic!("{:?}", other.err()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A damaged head behind a valid seal (a writer bug, not a
    /// flipped bit) gives an error or a result when read and searched, never a panic.
    #[test]
    fn a_damaged_head_is_an_error_not_a_panic(
        head in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        static BUILT: OnceLock<BuiltIndex> = OnceLock::new();
        let mut built = BUILT.get_or_init(wide_vocabulary).clone();
        let n = head.index(built.manifest.segments[0].parts.heads.len());
        let (prefix, old) = built.manifest.segments[0].parts.heads[n].clone();
        let slot = built.parts.iter().position(|(name, _)| *name == old).unwrap();
        let seed = built.manifest.segments[0].seed;
        let mut bytes = unseal(&old, &built.parts[slot].1, seed).unwrap().to_vec();
        let at = at.index(bytes.len());
        bytes[at] ^= flip;
        built.parts[slot].1 = seal(bytes, seed, &old);
        if let Ok(mut searcher) = built.searcher() {
            let _ = searcher.run(&Query::parse(&prefix), &SearchOptions::default(), |r| serve(&built, r));
        }
    }
}
