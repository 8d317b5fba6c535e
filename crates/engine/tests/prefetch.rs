//! Prefetching for the next keystroke: what `likely_next_parts` names,
//! once loaded, is what the likeliest next keystroke asks for.

use qidiruv_engine::index::BuiltIndex;
use qidiruv_engine::search::Step;
use qidiruv_engine::{Document, IndexBuilder, Lang, PartRequest, Query, SearchOptions, Searcher};

/// Mirziyoyev in most articles, the minister in a few: the rarer word
/// ranks first for `mi`, the frequent one is the likelier next letter.
fn index() -> BuiltIndex {
    let mut builder = IndexBuilder::new().unwrap();
    for n in 0..300 {
        let name = if n % 10 < 8 { "Mirziyoyev" } else { "minister" };
        let body = format!("Report {n}: {name} spoke of trade, water and roads number {n}.");
        let url = format!("/news/{n}/");
        let doc = Document {
            id: format!("a{n}"),
            url,
            lang: Lang::En,
            title: format!("News {n}"),
            date: None,
            body,
            group: None,
        };
        builder.add(doc).unwrap();
    }
    builder.finish().unwrap()
}

fn options() -> SearchOptions {
    SearchOptions { limit: 8, ..SearchOptions::default() }
}

fn load(built: &BuiltIndex, searcher: &mut Searcher, requests: &[PartRequest]) {
    for request in requests {
        searcher.add_part(request, request.of_file(built.part(&request.name)).unwrap()).unwrap();
    }
}

/// Runs `query` to its shown results, loading what each step asks for;
/// returns how many rounds of requests that took.
fn rounds(built: &BuiltIndex, searcher: &mut Searcher, query: &str) -> usize {
    let (query, options) = (Query::parse(query), options());
    let mut rounds = 0;
    let found = loop {
        match searcher.search(&query, &options).unwrap() {
            Step::Ready(found) => break found,
            Step::Need(requests) => load(built, searcher, &requests),
        }
        rounds += 1;
    };
    while let Step::Need(requests) = searcher.present(&query, &found, options.limit) {
        load(built, searcher, &requests);
        rounds += 1;
    }
    rounds
}

/// Loads what `likely_next_parts` names after `query`, round after round,
/// until it names nothing; returns the rounds.
fn prefetch(built: &BuiltIndex, searcher: &mut Searcher, query: &str) -> usize {
    let query = Query::parse(query);
    let mut rounds = 0;
    loop {
        let parts = searcher.likely_next_parts(&query, &options(), u64::MAX);
        if parts.is_empty() {
            return rounds;
        }
        load(built, searcher, &parts);
        rounds += 1;
        assert!(rounds < 10, "prefetching never ends: {parts:?}");
    }
}

#[test]
fn the_likeliest_next_letter_needs_no_round_trip_once_prefetched() {
    let built = index();
    let mut searcher: Searcher = built.opened().unwrap();
    assert!(rounds(&built, &mut searcher, "mi") > 0);
    assert!(prefetch(&built, &mut searcher, "mi") > 0, "something is named for the next letter");
    // `r` leads to the most articles.
    assert_eq!(rounds(&built, &mut searcher, "mir"), 0);
    prefetch(&built, &mut searcher, "mir");
    assert_eq!(rounds(&built, &mut searcher, "mirz"), 0);
    // A space ends the word: prefetched too.
    prefetch(&built, &mut searcher, "mirziyoyev");
    assert_eq!(rounds(&built, &mut searcher, "mirziyoyev "), 0);
}

#[test]
fn without_prefetching_the_next_letter_waits_on_the_store() {
    let built = index();
    let mut searcher: Searcher = built.opened().unwrap();
    rounds(&built, &mut searcher, "mi");
    assert!(rounds(&built, &mut searcher, "mir") > 0, "the test above would pass without prefetching");
}

#[test]
fn prefetching_keeps_to_its_byte_budget() {
    let built = index();
    let mut searcher: Searcher = built.opened().unwrap();
    rounds(&built, &mut searcher, "mi");
    let query = Query::parse("mi");
    let all = searcher.likely_next_parts(&query, &options(), u64::MAX);
    let bytes =
        |parts: &[PartRequest]| parts.iter().map(|p| p.range.as_ref().map_or(0, |r| r.end - r.start)).sum::<u64>();
    assert!(bytes(&all) > 200, "ranges are named: {all:?}");
    assert!(bytes(&searcher.likely_next_parts(&query, &options(), 200)) <= 200);
    assert_eq!(searcher.likely_next_parts(&query, &options(), 0), Vec::<PartRequest>::new());
}

#[test]
fn after_a_finished_word_only_a_new_words_dictionary_parts_are_named() {
    let built = index();
    let mut searcher: Searcher = built.opened().unwrap();
    for query in ["mirziyoyev ", "\"mirziyoyev roads\"", "roads -mirziyoyev"] {
        rounds(&built, &mut searcher, query);
        let parts = searcher.likely_next_parts(&Query::parse(query), &options(), u64::MAX);
        assert!(parts.iter().all(|part| part.name.contains("-head-")), "{query}: {parts:?}");
    }
}

/// A made-up word per number: `start`, then `n` in letters.
fn word(start: &str, mut n: usize) -> String {
    let mut word = start.to_string();
    loop {
        word.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return word;
        }
    }
}

/// Every article about trade; most of the dictionary's words start with
/// `s`, a few with `a` and `b` (each letter spanning shards enough to have a head).
fn index_of_many_words() -> BuiltIndex {
    let mut builder = IndexBuilder::new().unwrap();
    for n in 0..300 {
        let mut words = vec!["trade".to_string()];
        words.extend((0..12).map(|k| word("sel", n * 12 + k)));
        words.extend((0..3).map(|k| word("bar", n * 3 + k)));
        words.extend((0..3).map(|k| word("arc", n * 3 + k)));
        let doc = Document {
            id: format!("a{n}"),
            url: format!("/news/{n}/"),
            lang: Lang::En,
            title: format!("Trade {}", word("", n)),
            date: None,
            body: words.join(" "),
            group: None,
        };
        builder.add(doc).unwrap();
    }
    builder.finish().unwrap()
}

#[test]
fn a_new_word_is_guessed_to_start_with_the_letter_most_of_the_dictionary_starts_with() {
    let built = index_of_many_words();
    let heads = &built.manifest.segments[0].parts.heads;
    let head_of = |letter: &str| heads.iter().find(|(prefix, _)| prefix == letter).map(|(_, name)| name.clone());
    let (a, s) = (head_of("a").expect("a has a head"), head_of("s").expect("s has a head"));
    let mut searcher: Searcher = built.opened().unwrap();
    rounds(&built, &mut searcher, "trade ");
    // After a finished word, and in an empty box.
    for query in ["trade ", ""] {
        let named = searcher.likely_next_parts(&Query::parse(query), &options(), u64::MAX);
        let place = |head: &str| named.iter().position(|part| part.name == head);
        assert_eq!(place(&s), Some(0), "{query:?}: s's head first: {named:?}");
        assert!(place(&a).is_none_or(|a| a > 0), "{query:?}: {named:?}");
        // A budget of one head's bytes buys s's.
        let bought = searcher.likely_next_parts(&Query::parse(query), &options(), 1024);
        assert_eq!(bought.iter().map(|part| &part.name).collect::<Vec<_>>(), [&s], "{query:?}");
    }
}
