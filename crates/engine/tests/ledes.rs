//! Results are shown from the heads of their store slots: an article's
//! card and lede. Its tail is read only when the lede lacks the excerpt.

mod common;

use common::{build, doc};
use qidiruv_engine::index::BuiltIndex;
use qidiruv_engine::search::Step;
use qidiruv_engine::{Lang, PartRequest, Presented, Query, SearchOptions, Searcher};

/// `n` words as varied as prose's, none of them a query word of these tests.
fn filler(n: usize, mut seed: u32) -> String {
    let words: Vec<String> = (0..n)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let letters = 3 + (seed >> 16) as usize % 8;
            (0..letters).map(|i| char::from(b'a' + ((seed >> (i * 3)) % 26) as u8)).collect()
        })
        .collect();
    words.join(" ")
}

fn index() -> BuiltIndex {
    build(vec![
        doc("early", Lang::En, "Talks", &format!("Samarkand hosted the talks. {}", filler(700, 1))),
        doc("deep", Lang::En, "Forum", &format!("{} Bukhara hosted the forum. {}", filler(500, 2), filler(60, 3))),
    ])
}

/// The store requests of each round of `query`'s presentation, and the
/// preview shown before the last round, on a searcher that had only opened the index.
fn present(built: &BuiltIndex, query: &str) -> (Presented, Option<Presented>, Vec<Vec<PartRequest>>) {
    present_on(&mut built.opened().unwrap(), built, query)
}

fn present_on(
    searcher: &mut Searcher,
    built: &BuiltIndex,
    query: &str,
) -> (Presented, Option<Presented>, Vec<Vec<PartRequest>>) {
    let query = Query::parse(query);
    let options = SearchOptions { limit: 5, ..SearchOptions::default() };
    let load = |searcher: &mut Searcher, requests: &[PartRequest]| {
        for request in requests {
            searcher.add_part(request, request.of_file(built.part(&request.name)).unwrap()).unwrap();
        }
    };
    let found = loop {
        match searcher.search(&query, &options).unwrap() {
            Step::Ready(found) => break found,
            Step::Need(requests) => load(searcher, &requests),
        }
    };
    let (mut rounds, mut preview) = (Vec::new(), None);
    loop {
        match searcher.present(&query, &found, options.limit) {
            Step::Ready(shown) => return (shown, preview, rounds),
            Step::Need(requests) => {
                preview = searcher.preview(&query, &found, options.limit);
                load(searcher, &requests);
                rounds.push(requests);
            }
        }
    }
}

fn marked(shown: &Presented) -> Vec<&str> {
    shown.items[0].excerpt.segments().into_iter().filter(|(_, m)| *m).map(|(s, _)| s).collect()
}

fn length(request: &PartRequest) -> u64 {
    request.range.as_ref().map_or(0, |r| r.end - r.start)
}

#[test]
fn a_word_in_the_lede_reads_only_the_head() {
    let built = index();
    let (shown, preview, rounds) = present(&built, "samarkand");
    assert_eq!(rounds.len(), 1, "one round: the head");
    assert!(rounds[0].iter().all(|r| r.name.contains("-store-") && length(r) == 512), "{rounds:?}");
    assert!(preview.is_none(), "nothing to preview before the head");
    assert_eq!(shown.items[0].id, "early");
    assert_eq!(marked(&shown), ["Samarkand"]);
}

#[test]
fn a_word_past_the_lede_reads_the_tail_after_a_preview() {
    let built = index();
    let (shown, preview, rounds) = present(&built, "bukhara");
    assert_eq!(rounds.len(), 2, "the head, then the tail: {rounds:?}");
    let (head, tail) = (&rounds[0][0], &rounds[1][0]);
    assert_eq!((head.name.as_str(), length(head)), (tail.name.as_str(), 512));
    let (head, tail) = (head.range.clone().unwrap(), tail.range.clone().unwrap());
    assert_eq!(tail.start, head.end, "the tail follows its head");
    assert_eq!(shown.items[0].id, "deep");
    assert_eq!(marked(&shown), ["Bukhara"]);
    // Before the tail: the same result, its lede for an excerpt.
    let preview = preview.expect("a preview while the tail loads");
    assert_eq!(preview.items[0].id, "deep");
    assert_eq!(preview.total, shown.total);
    assert!(marked(&preview).is_empty() && !preview.items[0].excerpt.text.is_empty());
}

#[test]
fn parts_that_arrive_twice_keep_the_whole_article() {
    let built = index();
    let mut searcher: Searcher = built.opened().unwrap();
    let (_, _, rounds) = present_on(&mut searcher, &built, "bukhara");
    // A fetch ahead and a search may both bring the head and the tail.
    for request in rounds.iter().rev().flatten() {
        searcher.add_part(request, request.of_file(built.part(&request.name)).unwrap()).unwrap();
    }
    let (shown, _, rounds) = present_on(&mut searcher, &built, "bukhara");
    assert!(rounds.is_empty(), "nothing to read again: {rounds:?}");
    assert_eq!(marked(&shown), ["Bukhara"]);
}
