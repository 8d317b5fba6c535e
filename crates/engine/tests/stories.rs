//! One result per story: an article's versions in other languages are its
//! translations, not results of their own (docs/embedding.md, "Stories").

use qidiruv_engine::index::BuiltIndex;
use qidiruv_engine::result::Presented;
use qidiruv_engine::search::Step;
use qidiruv_engine::{Document, IndexBuilder, Lang, Query, SearchOptions, Searcher};

fn build(docs: Vec<Document>) -> BuiltIndex {
    let mut builder = IndexBuilder::new().unwrap();
    for doc in docs {
        builder.add(doc).unwrap();
    }
    builder.finish().unwrap()
}

fn doc(id: &str, lang: Lang, group: Option<&str>, title: &str, body: &str) -> Document {
    let url = format!("/{}/{id}/", lang.tag());
    let group = group.map(String::from);
    Document { id: id.into(), url, lang, title: title.into(), date: None, body: body.into(), group }
}

/// A story in three languages that all name Saidov and Lavrov (the Uzbek
/// one in its title, the English one only in its body), an English article
/// of its own naming both, and one naming Lavrov alone.
fn site() -> Searcher {
    let story = Some("talks");
    build(vec![
        doc("talks-en", Lang::En, story, "Talks in Moscow", "Minister Saidov met Sergey Lavrov in Moscow on Tuesday."),
        doc(
            "talks-ru",
            Lang::Ru,
            story,
            "Саидов и Лавров провели переговоры",
            "Министр Саидов и Сергей Лавров провели переговоры в Москве.",
        ),
        doc(
            "talks-uz",
            Lang::UzLatn,
            story,
            "Saidov va Lavrov uchrashdi",
            "Vazir Saidov Sergey Lavrov bilan Moskvada uchrashdi.",
        ),
        doc("visit-en", Lang::En, None, "Lavrov visits Tashkent", "Sergey Lavrov was received by Saidov in Tashkent."),
        doc("lavrov-en", Lang::En, None, "Lavrov in Astana", "Sergey Lavrov spoke in Astana."),
        doc("trade-en", Lang::En, None, "Trade grows", "Exports of cotton grew last year."),
    ])
    .searcher()
    .unwrap()
}

fn search(searcher: &Searcher, query: &str, options: SearchOptions) -> Presented {
    let query = Query::parse(query);
    let Step::Ready(found) = searcher.search(&query, &options).unwrap() else { panic!("every part is loaded") };
    let Step::Ready(shown) = searcher.present(&query, &found, options.limit) else { panic!("every slot is loaded") };
    shown
}

fn ids(shown: &Presented) -> Vec<&str> {
    shown.items.iter().map(|item| item.id.as_str()).collect()
}

fn on_page(lang: &str) -> SearchOptions {
    SearchOptions { prefer_lang: Some(lang.into()), ..SearchOptions::default() }
}

fn only(lang: &str) -> SearchOptions {
    SearchOptions { lang: Some(lang.into()), ..SearchOptions::default() }
}

#[test]
fn a_story_matching_in_three_languages_is_one_result_in_the_page_language() {
    let searcher = site();
    let shown = search(&searcher, "Saidov Lavrov", on_page("en"));
    // Then `lavrov-en`, missing Saidov.
    assert_eq!(ids(&shown), ["visit-en", "talks-en", "lavrov-en"], "{shown:#?}");
    assert_eq!((shown.total, shown.related), (2, 1));
    let also: Vec<&str> = shown.items[1].translations.iter().map(|t| t.lang.as_str()).collect();
    assert_eq!(also, ["ru", "uz-Latn"], "its other versions are its translations");
    // The Russian page gets the Russian version, whatever the query's script.
    let shown = search(&searcher, "Саидов Лавров", on_page("ru"));
    assert_eq!(ids(&shown)[..2], ["talks-ru", "visit-en"]);
}

#[test]
fn without_a_page_language_a_story_shows_its_best_version() {
    let searcher = site();
    let shown = search(&searcher, "Saidov Lavrov", SearchOptions::default());
    let story: Vec<_> = shown.items.iter().filter(|item| item.id.starts_with("talks-")).collect();
    assert_eq!(story.len(), 1, "{shown:#?}");
    // Each version's own score, from a search in its language alone.
    let versions: Vec<(String, f32)> = ["en", "ru", "uz-Latn"]
        .iter()
        .map(|&lang| {
            let version = search(&searcher, "Saidov Lavrov", only(lang));
            let item = version.items.iter().find(|item| item.id.starts_with("talks-")).unwrap();
            (item.id.clone(), item.score)
        })
        .collect();
    let best = versions.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    assert_eq!(story[0].id, best.0, "the best-scored of {versions:?}");
    assert_eq!(story[0].id, "talks-uz", "the one with both names in its title");
    assert_eq!(shown.total, 2);
}

#[test]
fn total_and_facets_count_stories() {
    let searcher = site();
    let shown = search(&searcher, "Saidov Lavrov", on_page("en"));
    let facets = &shown.facets;
    let languages: Vec<(&str, usize)> = facets.languages.iter().map(|(tag, n)| (tag.as_str(), *n)).collect();
    // Once in each language the story matches in; once in all.
    assert_eq!(languages, [("en", 2), ("ru", 1), ("uz-Latn", 1)]);
    assert_eq!(facets.stories, 2);
    assert_eq!(facets.stories, shown.total);
    // Stories missing a word are counted once too: the story matches
    // `Moscow` in English only, and its other versions are not related results.
    let shown = search(&searcher, "Lavrov Moscow", on_page("en"));
    assert_eq!(ids(&shown)[0], "talks-en");
    let mut related: Vec<&str> = shown.items.iter().filter(|item| item.related).map(|item| item.id.as_str()).collect();
    related.sort_unstable();
    assert_eq!(related, ["lavrov-en", "visit-en"]);
    assert_eq!((shown.total, shown.related, shown.items.len()), (1, 2, 3));
}

#[test]
fn the_version_with_every_word_stands_for_the_story_on_any_page() {
    let searcher = site();
    // The Uzbek version lacks `Moscow` (it says Moskvada): the story is its English version.
    let shown = search(&searcher, "Lavrov Moscow", on_page("uz-Latn"));
    assert_eq!(ids(&shown)[0], "talks-en");
    assert!(!ids(&shown).contains(&"talks-uz"), "{shown:#?}");
}

#[test]
fn a_language_filter_shows_the_storys_version_in_that_language() {
    let searcher = site();
    for (lang, id) in [("ru", "talks-ru"), ("uz-Latn", "talks-uz"), ("en", "talks-en")] {
        let shown = search(&searcher, "Saidov Lavrov", SearchOptions { lang: Some(lang.into()), ..on_page("en") });
        assert!(ids(&shown).contains(&id), "{lang}: {shown:#?}");
        assert!(shown.items.iter().all(|item| item.lang == lang));
        let counted = shown.facets.languages.iter().find(|(tag, _)| tag == lang).map(|(_, n)| *n);
        assert_eq!(Some(shown.total), counted, "the filter shows what its count promised");
    }
}
