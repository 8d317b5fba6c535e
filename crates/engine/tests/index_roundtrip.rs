//! The index format end to end: documents in, parts out, parts read back.

use proptest::prelude::*;
use qidiruv_engine::index::dictionary::ShardPart;
use qidiruv_engine::index::{seal, unseal, BuiltIndex};
use qidiruv_engine::search::{Correction, Step};
use qidiruv_engine::{
    Date, Document, IndexBuilder, IndexError, Lang, PartRequest, Query, SearchOptions, SearchResults, Searcher,
};

fn doc(id: &str, lang: Lang, title: &str, body: &str, date: Option<&str>) -> Document {
    Document {
        id: id.into(),
        url: format!("/news/{id}/"),
        lang,
        title: title.into(),
        date: date.map(|d| Date::parse(d).unwrap()),
        body: body.into(),
        group: None,
    }
}

fn build(docs: Vec<Document>) -> BuiltIndex {
    let mut builder = IndexBuilder::new().unwrap();
    for d in docs {
        builder.add(d).unwrap();
    }
    builder.finish().unwrap()
}

fn open(built: &BuiltIndex) -> Result<Searcher, IndexError> {
    built.searcher()
}

fn found(searcher: &Searcher, query: &str, options: &SearchOptions) -> SearchResults {
    match searcher.search(&Query::parse(query), options).unwrap() {
        Step::Ready(found) => found,
        Step::Need(parts) => panic!("every part is loaded, yet {parts:?} are missing"),
    }
}

fn ids(_built: &BuiltIndex, searcher: &Searcher, query: &str, options: &SearchOptions) -> Vec<String> {
    let found = found(searcher, query, options);
    let Step::Ready(shown) = searcher.present(&Query::parse(query), &found, options.limit) else {
        panic!("every store chunk is loaded");
    };
    shown.items.into_iter().map(|item| item.id).collect()
}

fn sample() -> BuiltIndex {
    build(vec![
        doc(
            "visit",
            Lang::En,
            "Official visit to Tashkent",
            "The minister arrived in Tashkent for talks.",
            Some("2025-01-10"),
        ),
        doc(
            "border",
            Lang::En,
            "Border security talks",
            "State border security and protection were discussed.",
            Some("2024-05-01"),
        ),
        doc("uz", Lang::UzLatn, "O‘zbekiston va Qozog‘iston", "Toshkentda muzokaralar bo‘ldi.", None),
        doc("ru", Lang::Ru, "Визит в Ташкент", "Мирзиёев провёл переговоры.", Some("2025-02-01")),
    ])
}

#[test]
fn words_are_anded_and_the_last_one_is_a_prefix() {
    let built = sample();
    let searcher = open(&built).unwrap();
    let all = SearchOptions::default();
    assert_eq!(ids(&built, &searcher, "border secur", &all), ["border"]);
    assert_eq!(ids(&built, &searcher, "tashk", &all)[0], "visit");
    assert!(ids(&built, &searcher, "tashk ", &all).is_empty(), "a finished word is not a prefix");
}

#[test]
fn apostrophe_and_yo_variants_find_the_same_article() {
    let built = sample();
    let searcher = open(&built).unwrap();
    let all = SearchOptions::default();
    for query in ["O'zbekiston", "Oʻzbekiston", "ozbekiston", "O`zbekiston"] {
        assert_eq!(ids(&built, &searcher, query, &all), ["uz"], "{query}");
    }
    assert_eq!(ids(&built, &searcher, "Мирзиеев", &all), ["ru"]);
}

#[test]
fn when_no_article_has_every_word_the_best_partial_matches_show() {
    let built = sample();
    let searcher = open(&built).unwrap();
    let found = found(&searcher, "border zzzz ", &SearchOptions::default());
    assert!(found.partial);
    assert_eq!(found.total, 1);
}

#[test]
fn the_language_filter_keeps_one_language() {
    let built = sample();
    let searcher = open(&built).unwrap();
    let ru = SearchOptions { lang: Some("ru".into()), ..Default::default() };
    assert_eq!(ids(&built, &searcher, "визит", &ru), ["ru"]);
    assert_eq!(ids(&built, &searcher, "official", &ru), Vec::<String>::new());
    let unknown = SearchOptions { lang: Some("de".into()), ..Default::default() };
    assert!(ids(&built, &searcher, "tashkent", &unknown).is_empty());
}

#[test]
fn a_latin_name_finds_russian_cyrillic_below_latin_matches() {
    let built = sample();
    let searcher = open(&built).unwrap();
    assert_eq!(ids(&built, &searcher, "Tashkent ", &SearchOptions::default()), ["visit", "ru"]);
    assert_eq!(ids(&built, &searcher, "Ташкент ", &SearchOptions::default()), ["ru", "visit"]);
}

#[test]
fn uzbek_suffixes_and_scripts_meet() {
    let built = sample();
    let searcher = open(&built).unwrap();
    for query in ["Toshkent ", "Тошкентда ", "toshkentdagi "] {
        // Tashkent/Ташкент follow, one letter away: a name variant.
        assert_eq!(ids(&built, &searcher, query, &SearchOptions::default())[0], "uz", "{query}");
    }
}

#[test]
fn typos_and_keyboard_layouts_are_corrected_and_said() {
    let built = sample();
    let searcher = open(&built).unwrap();
    assert_eq!(ids(&built, &searcher, "securty ", &SearchOptions::default()), ["border"]);
    let found = found(&searcher, "gthtujdjhs ", &SearchOptions::default());
    assert_eq!(found.corrected[0], Some(Correction::Layout("переговоры".into())));
    assert_eq!(found.total, 1);
}

#[test]
fn phrases_need_their_words_side_by_side() {
    let built = build(vec![
        doc("apart", Lang::En, "Security of the border", "Border guards and security staff met.", None),
        doc("together", Lang::En, "Talks", "State border security was discussed.", None),
    ]);
    let searcher = open(&built).unwrap();
    let all = SearchOptions::default();
    assert_eq!(ids(&built, &searcher, "border security", &all).len(), 2);
    assert_eq!(ids(&built, &searcher, "\"border security\"", &all), ["together"]);
}

#[test]
fn phrases_sharing_a_word_and_repeated_phrases_still_match() {
    let built = build(vec![
        doc("both", Lang::En, "Talks", "Security in the region and the safety of the border.", None),
        doc("one", Lang::En, "Talks", "Security in the region was discussed.", None),
    ]);
    let searcher = open(&built).unwrap();
    let all = SearchOptions::default();
    assert_eq!(ids(&built, &searcher, r#""in the" "of the""#, &all), ["both"]);
    assert_eq!(ids(&built, &searcher, &r#""in the" "#.repeat(100), &all), ["both", "one"]);
}

#[test]
fn look_alike_letters_and_bidi_controls_do_not_hide_a_word() {
    let built = sample();
    let searcher = open(&built).unwrap();
    let all = SearchOptions::default();
    // A Cyrillic Т or А in a Latin word, first, last or anywhere.
    for query in ["Тashkent ", "Tаshkent ", "TashkenТ ", "ТАSHKENT ", "tashkent\u{2069} ", "\u{2068}Tashkent\u{2069} "]
    {
        assert_eq!(ids(&built, &searcher, query, &all), ["visit", "ru"], "{query:?}");
    }
    // Still being typed: a trailing isolate does not finish the word.
    assert_eq!(ids(&built, &searcher, "tashk\u{2069}", &all)[0], "visit");
}

#[test]
fn a_minus_word_removes_its_articles() {
    let built = sample();
    let searcher = open(&built).unwrap();
    let all = SearchOptions::default();
    assert_eq!(ids(&built, &searcher, "talks -border", &all), ["visit"]);
}

#[test]
fn title_matches_rank_above_body_matches() {
    let built = build(vec![
        doc("body", Lang::En, "Weekly notes", "Talks on water cooperation were held.", None),
        doc("title", Lang::En, "Water cooperation", "Talks were held.", None),
    ]);
    let searcher = open(&built).unwrap();
    assert_eq!(ids(&built, &searcher, "water", &SearchOptions::default()), ["title", "body"]);
}

#[test]
fn a_newer_index_format_is_refused_by_name() {
    let mut built = sample();
    built.manifest.version += 1;
    let err = open(&built).err().unwrap();
    assert!(matches!(err, IndexError::UnsupportedFormat { .. }));
    assert!(err.to_string().contains("rebuild the index"), "{err}");
}

#[test]
fn equal_input_gives_equal_bytes() {
    let (a, b) = (sample(), sample());
    assert_eq!(a.manifest, b.manifest);
    assert_eq!(a.parts, b.parts);
}

fn words() -> impl Strategy<Value = String> {
    proptest::collection::vec("[a-zа-яўқғҳ]{2,9}", 1..12).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_document_is_found_by_its_first_title_word(titles in proptest::collection::vec(words(), 1..30)) {
        let docs = titles.iter().enumerate().map(|(i, t)| doc(&format!("d{i}"), Lang::En, t, "", None)).collect();
        let built = build(docs);
        let searcher = open(&built).unwrap();
        let everything = SearchOptions { limit: titles.len(), ..Default::default() };
        for (i, title) in titles.iter().enumerate() {
            let first = title.split(' ').next().unwrap();
            // Hard and soft signs alone fold to nothing: no word to search by.
            if Query::parse(first).words.is_empty() {
                continue;
            }
            let found = ids(&built, &searcher, &format!("{first} "), &everything);
            prop_assert!(found.contains(&format!("d{i}")), "{} not found by {:?}", i, first);
        }
    }

}

proptest! {
    // A short postings list's 15-bit checksum lets one damage in 32,768
    // through: the same cases every run, so that chance is not a flaky test.
    #![proptest_config(ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(7), ..ProptestConfig::default() })]

    #[test]
    fn any_flipped_byte_in_any_part_is_an_error_not_a_panic(
        part in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let mut built = sample();
        // The catalog is the builder's (checked by its own tests), never read by a searcher.
        let catalog = built.manifest.segments[0].catalog.clone();
        built.parts.retain(|(name, _)| *name != catalog);
        let part = part.index(built.parts.len());
        let bytes = &mut built.parts[part].1;
        let at = at.index(bytes.len());
        bytes[at] ^= flip;
        prop_assert!(open(&built).is_err());
    }
}

proptest! {
    /// Any whole part replaced by damaged bytes sealed again (a forged
    /// part, or what a fuzzer makes), or any other part damaged, gets past
    /// the seal into its decoder: opening and searching give errors or
    /// results, never a panic.
    #[test]
    fn forged_parts_are_errors_not_panics(
        part in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
        cut in any::<bool>(),
    ) {
        let mut built = sample();
        let part = part.index(built.parts.len());
        let seed = built.manifest.segments[0].seed;
        let (name, sealed) = &mut built.parts[part];
        let whole = unseal(name, sealed, seed).ok().map(<[u8]>::to_vec);
        let mut bytes = whole.clone().unwrap_or_else(|| sealed.clone());
        let at = at.index(bytes.len());
        if cut { bytes.truncate(at) } else { bytes[at] ^= flip }
        *sealed = if whole.is_some() { seal(bytes, seed, name) } else { bytes };
        if let Ok(mut searcher) = open(&built) {
            let unavailable = |_: &_| Err(IndexError::Inconsistent { detail: "not there".into() });
            for query in ["tash", "border sec", "\"talks\" -visit", "o"] {
                let _ = searcher.run(&Query::parse(query), &SearchOptions::default(), unavailable);
            }
        }
    }
}

/// Found by `cargo fuzz run index_reader`: a dictionary whose bytes hash to
/// its name but whose node addresses point outside it made fst panic.
#[test]
fn a_dictionary_with_bad_node_addresses_is_an_error() {
    let fst = include_bytes!("regressions/fst-bad-address.bin")[1..].to_vec();
    let shard = ShardPart {
        df_classes: vec![0; 3],
        list_bytes: vec![0; 3],
        positions_bytes: vec![0; 3],
        fst,
        ..Default::default()
    };
    let mut built = sample();
    let segment = &built.manifest.segments[0];
    let name = segment.parts.dictionary[0].1.clone();
    let bytes = seal(postcard::to_allocvec(&shard).unwrap(), segment.seed, &name);
    built.parts.retain(|(n, _)| *n != name);
    built.parts.push((name, bytes));
    assert!(matches!(open(&built), Err(IndexError::Corrupt { .. })));
}

#[test]
fn facets_count_every_language_and_year_before_filters() {
    let built = sample();
    let searcher = open(&built).unwrap();
    let ru_only = SearchOptions { lang: Some("ru".into()), ..Default::default() };
    let found = found(&searcher, "tashkent ", &ru_only);
    assert_eq!(found.total, 1);
    assert_eq!(found.facets.languages, [("en".to_string(), 1), ("ru".to_string(), 1)]);
    assert_eq!(found.facets.years, [(2025, 2)]);
}

#[test]
fn a_date_range_keeps_dated_articles_inside_it() {
    let built = sample();
    let searcher = open(&built).unwrap();
    let january = SearchOptions {
        from: Some(Date::parse("2025-01-01").unwrap()),
        to: Some(Date::parse("2025-01-31").unwrap()),
        ..Default::default()
    };
    assert_eq!(ids(&built, &searcher, "tashkent ", &january), ["visit"]);
}

#[test]
fn translations_link_the_same_story_across_languages() {
    let mut en = doc("visit-en", Lang::En, "Visit to Tashkent", "Talks.", None);
    en.group = Some("visit".into());
    let mut ru = doc("visit-ru", Lang::Ru, "Визит в Ташкент", "Переговоры.", None);
    ru.group = Some("visit".into());
    let alone = doc("alone", Lang::En, "Tashkent notes", "Other.", None);
    let built = build(vec![en, ru, alone]);
    let mut searcher = built.searcher().unwrap();
    // A story is one result: each version is shown under its language's filter.
    let mut langs = |id: &str, lang: &str| {
        let options = SearchOptions { lang: Some(lang.into()), ..SearchOptions::default() };
        let shown = searcher.run(&Query::parse("tashkent"), &options, |part| panic!("{part:?} is not loaded")).unwrap();
        let item = shown.items.into_iter().find(|item| item.id == id).unwrap();
        item.translations.into_iter().map(|t| (t.lang, t.url)).collect::<Vec<_>>()
    };
    assert_eq!(langs("visit-en", "en"), [("ru".to_string(), "/news/visit-ru/".to_string())]);
    assert_eq!(langs("visit-ru", "ru"), [("en".to_string(), "/news/visit-en/".to_string())]);
    assert!(langs("alone", "en").is_empty());
}

#[test]
fn cutting_words_ahead_covers_each_shown_article_once_and_changes_nothing_shown() {
    let built = sample();
    let (ahead, direct) = (open(&built).unwrap(), open(&built).unwrap());
    let options = SearchOptions { limit: 2, ..SearchOptions::default() };
    let query = Query::parse("talks");
    let found = found(&ahead, "talks", &options);
    assert_eq!(found.hits.len(), 2, "the sample has two articles about talks");
    let cuts = std::iter::from_fn(|| ahead.cut_next_words(&found, options.limit).then_some(())).take(10).count();
    assert_eq!(cuts, 2, "one cut per shown article, then none left");
    let shown = |searcher: &Searcher| match searcher.present(&query, &found, options.limit) {
        Step::Ready(shown) => shown,
        Step::Need(parts) => panic!("every store chunk is loaded, yet {parts:?} are missing"),
    };
    assert_eq!(shown(&ahead), shown(&direct));
}

#[test]
fn cutting_words_ahead_ends_for_more_results_than_it_remembers() {
    let docs = (0..60).map(|n| doc(&format!("d{n}"), Lang::En, &format!("Talks {n}"), "Talks.", None)).collect();
    let built = build(docs);
    let searcher = open(&built).unwrap();
    let options = SearchOptions { limit: 50, ..SearchOptions::default() };
    let found = found(&searcher, "talks", &options);
    assert_eq!(found.hits.len(), 50);
    let cuts = std::iter::from_fn(|| searcher.cut_next_words(&found, options.limit).then_some(())).take(1000).count();
    assert!(cuts <= 50, "{cuts} cuts for 50 articles: it never ends");
    match searcher.present(&Query::parse("talks"), &found, options.limit) {
        Step::Ready(shown) => assert_eq!(shown.items.len(), 50),
        Step::Need(parts) => panic!("every store chunk is loaded, yet {parts:?} are missing"),
    }
}

#[test]
fn each_article_is_stored_whole_in_a_slot_near_its_size() {
    use qidiruv_engine::index::store::{compress, stored_text};
    // Bodies from a few words to a few thousand, in every language, so
    // that they need many slot sizes and the classes interleave with languages.
    let langs = [Lang::En, Lang::Ru, Lang::UzLatn, Lang::UzCyrl];
    let docs: Vec<Document> = (0..120usize)
        .map(|n| {
            let words = 3 + (n * n * 7) % 2500;
            let body: Vec<String> = (0..words).map(|w| format!("w{}x{}", n % 7, w * 7919 % 10007)).collect();
            doc(&format!("d{n}"), langs[n % 4].clone(), &format!("title{n} article"), &body.join(" "), None)
        })
        .collect();
    let built = build(docs.clone());
    let store = &built.manifest.segments[0].parts.store;
    assert!(store.len() >= 5, "{} slot sizes", store.len());
    let (mut slot_bytes, mut record_bytes, mut seen) = (0, 0, 0);
    for (stored, slot) in built.stored_docs().unwrap() {
        let original = docs.iter().find(|d| d.id == stored.id).unwrap();
        assert_eq!(stored.text, stored_text(&original.body), "{} was cut", stored.id);
        slot_bytes += slot;
        record_bytes += compress(&stored).len() + 6;
        seen += 1;
    }
    assert_eq!(seen, docs.len());
    // One slot size for nine in ten articles left slots well over half empty here.
    assert!(slot_bytes * 10 <= record_bytes * 13, "{slot_bytes} bytes of slots for {record_bytes} of records");
    // And each article's slot is where the reader looks for it: its own
    // title word shows it first (typo guesses follow).
    let searcher = open(&built).unwrap();
    for n in 0..docs.len() {
        let shown = ids(&built, &searcher, &format!("title{n} "), &SearchOptions::default());
        assert_eq!(shown.first(), Some(&format!("d{n}")));
    }
}

/// The bytes of `request` in `built`.
fn bytes_of(built: &BuiltIndex, request: &qidiruv_engine::PartRequest) -> Vec<u8> {
    let whole = &built.parts.iter().find(|(name, _)| *name == request.name).unwrap().1;
    request.of_file(whole).expect("a range within its file").to_vec()
}

#[test]
fn a_damaged_part_or_range_is_refused_and_not_kept_so_a_good_copy_can_follow() {
    let built = sample();
    let docs = &built.manifest.segments[0].parts.docs;
    let table = bytes_of(&built, &qidiruv_engine::PartRequest { name: docs.clone(), range: None });
    let mut searcher = Searcher::open(built.manifest.clone(), &[&table]).unwrap();
    let query = Query::parse("border");
    let options = SearchOptions::default();
    let (mut damaged, mut store_damaged) = (0, 0);
    loop {
        match searcher.search(&query, &options).unwrap() {
            Step::Ready(found) => match searcher.present(&query, &found, options.limit) {
                Step::Ready(shown) => {
                    assert_eq!(shown.items[0].id, "border");
                    break;
                }
                Step::Need(requests) => {
                    for request in requests {
                        let good = bytes_of(&built, &request);
                        let mut bad = good.clone();
                        bad[0] ^= 1;
                        assert!(searcher.add_part(&request, &bad).is_err(), "a damaged slot is refused");
                        store_damaged += 1;
                        searcher.add_part(&request, &good).unwrap();
                    }
                }
            },
            Step::Need(requests) => {
                for request in requests {
                    // Whole parts (this small index's postings among them) fail their seals, ranges their checksums.
                    let good = bytes_of(&built, &request);
                    let mut bad = good.clone();
                    bad[good.len() / 2] ^= 0x40;
                    assert!(searcher.add_part(&request, &bad).is_err(), "{request:?}: a damaged part is refused");
                    damaged += usize::from(request.name.contains("-postings-"));
                    searcher.add_part(&request, &good).unwrap();
                }
            }
        }
    }
    assert!(damaged > 0 && store_damaged > 0, "the query read postings and store slots");
}

#[test]
fn the_document_tables_come_with_the_first_dictionary_shards() {
    let built = sample();
    let mut searcher = Searcher::new(built.manifest.clone()).unwrap();
    let (query, options) = (Query::parse("tashkent talks"), SearchOptions::default());
    let mut rounds: Vec<Vec<String>> = Vec::new();
    let found = loop {
        match searcher.search(&query, &options).unwrap() {
            Step::Ready(found) => break found,
            Step::Need(requests) => {
                for request in &requests {
                    searcher.add_part(request, request.of_file(built.part(&request.name)).unwrap()).unwrap();
                }
                rounds.push(requests.into_iter().map(|r| r.name).collect());
            }
        }
    };
    let docs = &built.manifest.segments[0].parts.docs;
    assert!(rounds[0].contains(docs) && rounds[0].iter().any(|n| n.contains("-dict-")), "{rounds:?}");
    // So do a small segment's postings, whole: this index is one.
    assert!(rounds[0].iter().any(|n| n.contains("-postings-")), "{rounds:?}");
    assert_eq!(rounds.len(), 1, "tables, shards and postings at once: {rounds:?}");
    assert_eq!(found.total, 1, "only the visit has both words");
}

#[test]
fn store_slots_before_their_document_table_are_an_error() {
    let built = sample();
    let mut searcher = Searcher::new(built.manifest.clone()).unwrap();
    let class = &built.manifest.segments[0].parts.store[0];
    let request = PartRequest { name: class.files[0].clone(), range: Some(0..u64::from(class.slot_bytes)) };
    let bytes = request.of_file(built.part(&request.name)).unwrap();
    assert!(matches!(searcher.add_part(&request, bytes), Err(IndexError::Inconsistent { .. })));
}

#[test]
fn a_word_and_its_stem_are_read_from_one_shard() {
    // Enough distinct words for dozens of shards, and inflected words whose
    // stems differ from them.
    let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "bu"];
    let filler = |n: usize| -> String {
        let word = |k: usize| (0..5).map(|i| syllables[(k / 10usize.pow(i)) % 10]).collect::<String>();
        (0..40).map(|i| word(n * 40 + i)).collect::<Vec<_>>().join(" ")
    };
    let docs = (0..250)
        .map(|n| {
            doc(
                &format!("d{n}"),
                Lang::En,
                "Report",
                &format!("{} securities borders {}", filler(n), filler(n + 250)),
                None,
            )
        })
        .collect();
    let built = build(docs);
    assert!(built.manifest.segments[0].parts.dictionary.len() > 20, "a dictionary of many shards");
    for word in ["security ", "bordering "] {
        let searcher = Searcher::new(built.manifest.clone()).unwrap();
        let Step::Need(first) = searcher.search(&Query::parse(word), &SearchOptions::default()).unwrap() else {
            panic!("nothing is loaded yet");
        };
        let shards: Vec<&str> = first.iter().map(|r| r.name.as_str()).filter(|n| n.contains("-dict-")).collect();
        assert_eq!(shards.len(), 1, "{word:?} and its stem: {shards:?}");
    }
}
