//! Wide prefixes' heads: a one-letter query reads one small part instead of
//! every shard its completions span, and finds exactly what the shards find.

use std::sync::OnceLock;

use proptest::prelude::*;
use qidiruv_engine::index::dictionary::{Dictionary, HeadKey, HeadPart, ListKind, ListRun};
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

/// The bytes of `built`'s document table.
fn docs_table(built: &BuiltIndex) -> &[u8] {
    let docs = &built.manifest.segments[0].parts.docs;
    &built.parts.iter().find(|(name, _)| name == docs).unwrap().1
}

/// The parts that `query` reads, step by step, on a searcher that has
/// read only the document table.
fn reads(built: &BuiltIndex, query: &str) -> Vec<PartRequest> {
    let mut searcher = Searcher::open(built.manifest.clone(), &[docs_table(built)]).unwrap();
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
fn a_prefix_whose_head_carries_its_lists_reads_the_head_then_store_slots_alone() {
    let built = wide_vocabulary();
    let heads = &built.manifest.segments[0].parts.heads;
    let mut carrying = 0;
    for (n, (prefix, _)) in heads.iter().enumerate() {
        let read = reads(&built, prefix);
        let names: Vec<&str> = read.iter().map(|r| r.name.as_str()).collect();
        if !names[0].starts_with("s0-head-") {
            continue; // a prefix with stems of its own is expanded from its shards
        }
        let ranged = names[1..].iter().any(|name| name.starts_with("s0-postings-"));
        // Past 16 KiB a head carries no lists (this vocabulary's frequent words have long ones).
        assert_eq!(ranged, head_part(&built, n).lists.is_empty(), "{prefix:?} reads {names:?}");
        carrying += usize::from(!ranged);
    }
    assert!(carrying > 0, "no head of {heads:?} carries its lists");
}

/// `built` with head `n`'s part replaced by `part`, sealed as the builder seals.
fn with_head(built: &BuiltIndex, n: usize, part: &HeadPart) -> BuiltIndex {
    let mut built = built.clone();
    let name = built.manifest.segments[0].parts.heads[n].1.clone();
    let bytes = seal(postcard::to_allocvec(part).unwrap(), built.manifest.segments[0].seed, &name);
    built.parts.iter_mut().find(|(n, _)| *n == name).unwrap().1 = bytes;
    built
}

/// Head `n` of `built`, decoded.
fn head_part(built: &BuiltIndex, n: usize) -> HeadPart {
    let name = &built.manifest.segments[0].parts.heads[n].1;
    let bytes = &built.parts.iter().find(|(n, _)| n == name).unwrap().1;
    postcard::from_bytes(unseal(name, bytes, built.manifest.segments[0].seed).unwrap()).unwrap()
}

#[test]
fn a_head_whose_lists_are_damaged_misplaced_or_overlap_is_refused_when_searched() {
    let built = wide_vocabulary();
    let heads = &built.manifest.segments[0].parts.heads;
    let read_from_head = |n: usize| reads(&built, &heads[n].0)[0].name == heads[n].1;
    let n = (0..heads.len()).find(|&n| !head_part(&built, n).lists.is_empty() && read_from_head(n));
    let n = n.expect("a head carries lists");
    let (prefix, good) = (heads[n].0.clone(), head_part(&built, n));
    let mut damaged = good.clone();
    damaged.lists[0].bytes[0] ^= 0x20; // the header of a list of the head's keys
    let mut past = good.clone();
    past.lists[0].start = u64::MAX - 2;
    let mut overlapping = good.clone();
    overlapping.lists.push(overlapping.lists[0].clone());
    for (part, says) in [(damaged, "fails its checksum"), (past, "past their files"), (overlapping, "overlap")] {
        let broken = with_head(&built, n, &part);
        // Read whole, as the builder's searcher does, and as a browser reads it: the head first.
        let whole = broken.searcher().map(|_| ());
        let read = Searcher::open(broken.manifest.clone(), &[docs_table(&broken)]).and_then(|mut s| {
            s.run(&Query::parse(&prefix), &SearchOptions::default(), |r| serve(&broken, r)).map(|_| ())
        });
        for result in [whole, read] {
            match result {
                Err(IndexError::Corrupt { detail, .. }) => assert!(detail.contains(says), "{detail}"),
                other => panic!("{says}: {other:?}"),
            }
        }
    }
}

#[test]
fn a_head_with_a_key_outside_its_prefix_is_corrupt() {
    let mut built = wide_vocabulary();
    let (prefix, old) = built.manifest.segments[0].parts.heads[0].clone();
    let stray = HeadKey { key: format!("z{prefix}"), df_class: 1, list_bytes: 1, ..Default::default() };
    let bytes = postcard::to_allocvec(&HeadPart { keys: vec![stray], lists: Vec::new() }).unwrap();
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

    /// What the builder writes of a head, its reader gives back: keys and carried lists.
    #[test]
    fn a_head_reads_back_as_written(
        suffixes in prop::collection::btree_set("[a-z]{1,6}", 1..20),
        runs in prop::collection::vec((0u64..64, prop::collection::vec(any::<u8>(), 0..40)), 0..6),
    ) {
        let keys: Vec<HeadKey> = suffixes.iter().enumerate().map(|(i, suffix)| HeadKey {
            key: format!("s{suffix}"), ordinal: i as u64, df_class: (i % 7) as u8, list_start: 100 * i as u64,
            list_bytes: 9, positions_start: 50 * i as u64, positions_bytes: 3,
        }).collect();
        let mut start = 0;
        let lists: Vec<ListRun> = runs.into_iter().map(|(gap, bytes)| {
            start += gap;
            let run = ListRun { start, bytes };
            start += run.bytes.len() as u64;
            run
        }).collect();
        let written = HeadPart { keys, lists };
        let bytes = postcard::to_allocvec(&written).unwrap();
        let mut dictionary = Dictionary::new(vec![String::new()], vec!["s".into()]);
        let lists = dictionary.load_head(0, "s0-head-0", &bytes).unwrap();
        prop_assert_eq!(&lists, &written.lists);
        let read: Vec<(String, u64, u8)> =
            dictionary.head(0).unwrap().iter().map(|(key, term)| (key.clone(), term.ordinal, term.df_class)).collect();
        let want: Vec<(String, u64, u8)> = written.keys.iter().map(|k| (k.key.clone(), k.ordinal, k.df_class)).collect();
        prop_assert_eq!(read, want);
        for k in &written.keys {
            prop_assert_eq!(dictionary.list_bytes(k.ordinal, ListKind::Postings), Some(k.list_start..k.list_start + 9));
            prop_assert_eq!(dictionary.list_bytes(k.ordinal, ListKind::Positions), Some(k.positions_start..k.positions_start + 3));
        }
    }

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
