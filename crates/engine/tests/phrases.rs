//! Quoted phrases, checked by word positions in the index: exact totals,
//! no extra round trips, and the same word matching as unquoted words.

use qidiruv_engine::index::BuiltIndex;
use qidiruv_engine::search::Step;
use qidiruv_engine::{Document, IndexBuilder, Lang, PartRequest, Presented, Query, SearchOptions, Searcher};

fn doc(id: &str, lang: Lang, title: &str, body: &str) -> Document {
    Document {
        id: id.into(),
        url: format!("/news/{id}/"),
        lang,
        title: title.into(),
        date: None,
        body: body.into(),
        group: None,
    }
}

fn build(docs: Vec<Document>) -> BuiltIndex {
    let mut builder = IndexBuilder::new().unwrap();
    builder.add_all(docs).unwrap();
    builder.finish().unwrap()
}

/// Runs `query` on a searcher that has only opened the index, loading what
/// each step asks for; returns the shown results and every round of requests.
fn run(built: &BuiltIndex, query: &str, limit: usize) -> (Presented, Vec<Vec<PartRequest>>) {
    let mut searcher: Searcher = built.opened().unwrap();
    let query = Query::parse(query);
    let options = SearchOptions { limit, ..SearchOptions::default() };
    let mut rounds = Vec::new();
    let mut load = |searcher: &mut Searcher, requests: Vec<PartRequest>| {
        for request in &requests {
            let bytes = request.of_file(built.part(&request.name)).unwrap();
            searcher.add_part(request, bytes).unwrap();
        }
        rounds.push(requests);
    };
    let found = loop {
        match searcher.search(&query, &options).unwrap() {
            Step::Ready(found) => break found,
            Step::Need(requests) => load(&mut searcher, requests),
        }
    };
    loop {
        match searcher.present(&query, &found, limit) {
            Step::Ready(shown) => return (shown, rounds),
            Step::Need(requests) => load(&mut searcher, requests),
        }
    }
}

fn ids(shown: &Presented) -> Vec<&str> {
    shown.items.iter().map(|item| item.id.as_str()).collect()
}

/// 47 articles with "state border", and 213 with both words apart.
fn crowded() -> BuiltIndex {
    let mut docs = Vec::new();
    for n in 0..260 {
        let body = if n % 13 == 0 || n < 30 {
            format!("Talks {n} on the state border were held.")
        } else {
            format!("The border talks {n} were held by the state commission.")
        };
        docs.push(doc(&format!("a{n}"), Lang::En, &format!("Report {n}"), &body));
    }
    build(docs)
}

#[test]
fn a_phrase_total_counts_every_article_holding_it() {
    let built = crowded();
    let holding: Vec<String> = (0..260).filter(|n| n % 13 == 0 || *n < 30).map(|n| format!("a{n}")).collect();
    assert_eq!(holding.len(), 47);
    let (shown, _) = run(&built, "\"state border\"", 5);
    assert_eq!(shown.total, holding.len());
    assert_eq!(shown.items.len(), 5);
    assert!(ids(&shown).iter().all(|id| holding.iter().any(|h| h == id)), "{:?}", ids(&shown));
    // Unquoted, the words need not stand together.
    assert_eq!(run(&built, "state border", 5).0.total, 260);
}

#[test]
fn a_phrase_costs_the_rounds_of_its_words() {
    let built = crowded();
    let (_, phrase) = run(&built, "\"state border\"", 5);
    let (_, words) = run(&built, "state border", 5);
    assert_eq!(phrase.len(), words.len(), "phrase rounds {phrase:?}\nword rounds {words:?}");
    // The positions come with the postings, in the same round.
    let positions = phrase.iter().position(|round| round.iter().any(|r| r.name.contains("-positions-")));
    let postings = phrase.iter().position(|round| round.iter().any(|r| r.name.contains("-postings-")));
    assert!(positions.is_some() && positions == postings, "{phrase:?}");
    assert!(!words.iter().flatten().any(|r| r.name.contains("-positions-")), "a word query reads no positions");
}

#[test]
fn phrase_words_match_as_words_do_across_inflections_and_scripts() {
    let built = build(vec![
        doc("ru", Lang::Ru, "Переговоры", "Обсуждалась охрана государственной границы двух стран."),
        doc("ru-apart", Lang::Ru, "Граница", "Государственной комиссии поручено изучить вопрос."),
        doc("uz", Lang::UzLatn, "Muzokaralar", "Davlat chegarasi masalalari muhokama qilindi."),
        doc("en", Lang::En, "Talks", "The ministers discussed state borders."),
    ]);
    assert_eq!(ids(&run(&built, "\"государственная граница\"", 10).0), ["ru"]);
    assert_eq!(ids(&run(&built, "\"давлат чегараси\"", 10).0), ["uz"]);
    assert_eq!(ids(&run(&built, "\"state border\"", 10).0), ["en"]);
}

#[test]
fn no_phrase_spans_the_title_and_the_body() {
    let built = build(vec![
        doc("split", Lang::En, "Talks on the state", "Border guards met."),
        doc("body", Lang::En, "Talks", "On the state border guards met."),
    ]);
    assert_eq!(ids(&run(&built, "\"state border\"", 10).0), ["body"]);
}

#[test]
fn a_word_repeated_in_a_phrase_must_stand_twice() {
    let built = build(vec![
        doc("twice", Lang::En, "Bora Bora", "An island."),
        doc("once", Lang::En, "Bora", "An island called Bora, far away."),
    ]);
    assert_eq!(ids(&run(&built, "\"bora bora\"", 10).0), ["twice"]);
}
