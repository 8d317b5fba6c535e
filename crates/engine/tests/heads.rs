//! Wide prefixes' heads: a one-letter query reads one small part instead of
//! every shard its completions span, and finds exactly what the shards find.

use std::sync::OnceLock;

use proptest::prelude::*;
use qidiruv_engine::index::dictionary::{Dictionary, HeadKey, HeadPart, ListKind, ShardPart};
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
            .filter(|name| !name.contains("-postings"))
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
fn a_prefix_reads_its_head_with_the_postings_files_that_come_with_it_then_store_slots_alone() {
    let built = wide_vocabulary();
    let parts = &built.manifest.segments[0].parts;
    let mut carrying = 0;
    for (n, (prefix, head)) in parts.heads.iter().enumerate() {
        let read = reads(&built, prefix);
        if read[0].name != *head {
            continue; // a prefix with stems of its own is expanded from its shards
        }
        // Its own file and those of its shorter prefixes' heads, which hold the lists they share.
        let comes_with = |name: &str| {
            let files =
                parts.heads.iter().zip(&parts.head_postings).filter(|((p, _), _)| prefix.starts_with(p.as_str()));
            files.filter_map(|(_, file)| *file).any(|f| parts.postings[f].0 == name)
        };
        let lists: Vec<&PartRequest> = read.iter().filter(|r| r.name.contains("postings")).collect();
        assert!(lists.iter().all(|r| r.range.is_some() || comes_with(&r.name)), "{prefix:?} reads {read:?}");
        let before_store = read.iter().take_while(|r| !r.name.contains("-store-"));
        assert!(before_store.skip(1).all(|r| r.range.is_none() && comes_with(&r.name)), "{prefix:?} reads {read:?}");
        // Past 16 KiB a head has no file (this vocabulary's frequent words have long lists).
        if let Some(own) = parts.head_postings[n] {
            assert!(lists.iter().all(|r| r.range.is_none()), "{prefix:?} reads {read:?}");
            assert!(lists.iter().any(|r| r.name == parts.postings[own].0), "{prefix:?} reads {read:?}");
            carrying += 1;
        }
    }
    assert!(carrying > 0, "no head of {:?} has a postings file", parts.heads);
}

/// `built` with part `name` replaced by `body`, sealed as the builder seals.
fn with_part(built: &BuiltIndex, name: &str, body: Vec<u8>) -> BuiltIndex {
    let mut built = built.clone();
    let bytes = seal(body, built.manifest.segments[0].seed, name);
    built.parts.iter_mut().find(|(n, _)| n == name).unwrap().1 = bytes;
    built
}

/// Part `name` of `built`, unsealed.
fn body(built: &BuiltIndex, name: &str) -> Vec<u8> {
    let bytes = &built.parts.iter().find(|(n, _)| n == name).unwrap().1;
    unseal(name, bytes, built.manifest.segments[0].seed).unwrap().to_vec()
}

/// What `prefix` gives on `built`, read whole as the builder's searcher
/// reads it, and read as a browser reads it: the head first.
fn searched(built: &BuiltIndex, prefix: &str) -> [Result<(), IndexError>; 2] {
    let whole = built.searcher().map(|_| ());
    let read = Searcher::open(built.manifest.clone(), &[docs_table(built)])
        .and_then(|mut s| s.run(&Query::parse(prefix), &SearchOptions::default(), |r| serve(built, r)).map(|_| ()));
    [whole, read]
}

#[test]
fn a_damaged_list_in_a_heads_postings_file_or_a_misplaced_one_is_refused_when_searched() {
    let built = wide_vocabulary();
    let parts = &built.manifest.segments[0].parts;
    let reads_its_file = |n: usize| {
        let own = parts.head_postings[n].map(|f| parts.postings[f].0.as_str());
        own.is_some_and(|own| reads(&built, &parts.heads[n].0).iter().any(|r| r.name == own))
    };
    let n = (0..parts.heads.len()).find(|&n| reads_its_file(n)).expect("a head has a postings file it reads");
    let (prefix, file) = (&parts.heads[n].0, &parts.postings[parts.head_postings[n].unwrap()].0);
    // Behind a valid seal (a writer's bug, not a flipped bit): the header of its first list.
    let mut damaged = body(&built, file);
    damaged[0] ^= 0x20;
    for result in searched(&with_part(&built, file, damaged), prefix) {
        match result {
            Err(IndexError::Corrupt { detail, .. }) => assert!(detail.contains("fails its checksum"), "{detail}"),
            other => panic!("{other:?}"),
        }
    }
    // A shard that puts its keys' lists in heads' files out of order.
    let (shard, mut part) = parts
        .dictionary
        .iter()
        .map(|(_, name)| (name, postcard::from_bytes::<ShardPart>(&body(&built, name)).unwrap()))
        .find(|(_, part)| part.head_lists.len() >= 2)
        .expect("a shard has keys whose lists are in heads' files");
    part.head_lists.swap(0, 1);
    let misplaced = with_part(&built, shard, postcard::to_allocvec(&part).unwrap());
    match misplaced.searcher() {
        Err(IndexError::Corrupt { detail, .. }) => assert!(detail.contains("out of order or range"), "{detail}"),
        other => panic!("{:?}", other.err()),
    }
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

    /// What the builder writes of a head, its reader gives back: its keys, located.
    #[test]
    fn a_head_reads_back_as_written(suffixes in prop::collection::btree_set("[a-z]{1,6}", 1..20)) {
        let keys: Vec<HeadKey> = suffixes.iter().enumerate().map(|(i, suffix)| HeadKey {
            key: format!("s{suffix}"), ordinal: i as u64, df_class: (i % 7) as u8, list_start: 100 * i as u64,
            list_bytes: 9, positions_start: 50 * i as u64, positions_bytes: 3,
        }).collect();
        let written = HeadPart { keys };
        let bytes = postcard::to_allocvec(&written).unwrap();
        let mut dictionary = Dictionary::new(vec![String::new()], vec!["s".into()]);
        dictionary.load_head(0, "s0-head-0", &bytes).unwrap();
        let read: Vec<(String, u64, u8)> =
            dictionary.head(0).unwrap().iter().map(|(key, term)| (key.clone(), term.ordinal, term.df_class)).collect();
        let want: Vec<(String, u64, u8)> = written.keys.iter().map(|k| (k.key.clone(), k.ordinal, k.df_class)).collect();
        prop_assert_eq!(read, want);
        for k in &written.keys {
            prop_assert_eq!(dictionary.list_bytes(k.ordinal, ListKind::Postings), Some(k.list_start..k.list_start + 9));
            prop_assert_eq!(dictionary.list_bytes(k.ordinal, ListKind::Positions), Some(k.positions_start..k.positions_start + 3));
        }
    }

    /// A shard's lists read back where its writer put them: each after the
    /// previous one, but those in heads' files, which lie where it says.
    #[test]
    fn a_shards_lists_read_back_as_written(
        lists in prop::collection::vec((1u32..50, any::<bool>(), 1u32..30), 1..30),
        lists_start in 0u64..1000,
    ) {
        let mut map = fst::MapBuilder::memory();
        for i in 0..lists.len() {
            map.insert(format!("k{i:03}"), i as u64).unwrap();
        }
        let (mut at, mut elsewhere) = (lists_start, 1 << 20);
        let (mut head_lists, mut expected) = (Vec::new(), Vec::new());
        for (i, &(bytes, in_head, _)) in lists.iter().enumerate() {
            let (start, next) = if in_head { (elsewhere, &mut elsewhere) } else { (at, &mut at) };
            if in_head {
                head_lists.push((i as u32, start, bytes));
            }
            expected.push(start..start + u64::from(bytes));
            *next = start + u64::from(bytes) + u64::from(in_head) * 7;
        }
        let part = ShardPart {
            first_ordinal: 5,
            df_classes: vec![1; lists.len()],
            lists_start,
            list_bytes: lists.iter().map(|&(bytes, in_head, _)| if in_head { 0 } else { bytes }).collect(),
            head_lists,
            positions_start: 0,
            positions_bytes: lists.iter().map(|l| l.2).collect(),
            fst: map.into_inner().unwrap(),
        };
        let mut dictionary = Dictionary::new(vec![String::new()], Vec::new());
        dictionary.load(0, "s0-dict-0", &postcard::to_allocvec(&part).unwrap()).unwrap();
        let mut positions = 0;
        for (i, (list, &(_, _, positions_bytes))) in expected.iter().zip(&lists).enumerate() {
            prop_assert_eq!(dictionary.list_bytes(5 + i as u64, ListKind::Postings), Some(list.clone()));
            let next = positions + u64::from(positions_bytes);
            prop_assert_eq!(dictionary.list_bytes(5 + i as u64, ListKind::Positions), Some(positions..next));
            positions = next;
        }
        let within = |range| dictionary.lists_within(&range, ListKind::Postings);
        let (in_heads, in_sequence): (Vec<_>, Vec<_>) =
            expected.iter().cloned().zip(&lists).partition(|(_, &(_, in_head, _))| in_head);
        prop_assert_eq!(within(lists_start..at), in_sequence.into_iter().map(|(l, _)| l).collect::<Vec<_>>());
        prop_assert_eq!(within(1 << 20..elsewhere), in_heads.into_iter().map(|(l, _)| l).collect::<Vec<_>>());
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
