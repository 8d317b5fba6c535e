//! "Showing results for …": a typo's correction is spelt in the script the
//! visitor typed, in the word's plain form, whatever page and limit ask.

mod common;

use common::{build, doc};

use qidiruv_engine::search::Step;
use qidiruv_engine::{Lang, Query, SearchOptions, Searcher};

/// The name in every language, the Russian articles mostly inflecting it.
fn names() -> Searcher {
    build(vec![
        doc("ru1", Lang::Ru, "Мирзиёеву вручили награду", "Президенту Мирзиёеву вручили награду."),
        doc("ru2", Lang::Ru, "Письмо Мирзиёеву", "Мирзиёеву направлено письмо."),
        doc("ru3", Lang::Ru, "Визит", "Президент Мирзиёев прибыл с визитом."),
        doc("uz", Lang::UzLatn, "Shavkat Mirziyoyev", "Prezident Shavkat Mirziyoyev Toshkentda."),
        doc("oz", Lang::UzCyrl, "Шавкат Мирзиёев", "Президент Шавкат Мирзиёев."),
        doc("en", Lang::En, "The President", "President Mirziyoyev met the delegation."),
        doc("lavrov", Lang::Ru, "Лавров в Ташкенте", "Сергей Лавров прибыл в Ташкент. Лавров."),
    ])
    .searcher()
    .unwrap()
}

fn corrected(searcher: &Searcher, query: &str, page: Option<&str>, limit: usize) -> Option<String> {
    let query = Query::parse(query);
    let options = SearchOptions { prefer_lang: page.map(str::to_string), limit, ..SearchOptions::default() };
    let Step::Ready(found) = searcher.search(&query, &options).unwrap() else { panic!("every part is loaded") };
    let Step::Ready(shown) = searcher.present(&query, &found, limit) else { panic!("every slot is loaded") };
    shown.corrected
}

const PAGES: [Option<&str>; 5] = [None, Some("en"), Some("ru"), Some("uz-Latn"), Some("uz-Cyrl")];

#[test]
fn a_latin_typo_is_corrected_in_latin_on_every_page_and_limit() {
    let searcher = names();
    for page in PAGES {
        for limit in 1..=6 {
            let said = corrected(&searcher, "Mirzyoyev", page, limit);
            assert_eq!(said.as_deref(), Some("mirziyoyev"), "page {page:?}, limit {limit}");
        }
    }
}

#[test]
fn a_cyrillic_typo_is_corrected_in_cyrillic_and_uninflected() {
    let searcher = names();
    for page in PAGES {
        for limit in 1..=6 {
            // Most shown Russian articles have only Мирзиёеву: its plain form is shown.
            let said = corrected(&searcher, "Мирзиеевв", page, limit);
            assert_eq!(said.as_deref(), Some("мирзиёев"), "page {page:?}, limit {limit}");
        }
    }
}

#[test]
fn a_name_written_only_in_cyrillic_is_transliterated_for_a_latin_query() {
    let searcher = names();
    for page in PAGES {
        assert_eq!(corrected(&searcher, "Lavrob ", page, 3).as_deref(), Some("lavrov"), "page {page:?}");
        assert_eq!(corrected(&searcher, "Лавроб ", page, 3).as_deref(), Some("лавров"), "page {page:?}");
    }
}

#[test]
fn only_the_corrected_word_changes() {
    let searcher = names();
    assert_eq!(corrected(&searcher, "Shavkat Mirzyoyev", Some("en"), 5).as_deref(), Some("Shavkat mirziyoyev"));
    assert_eq!(corrected(&searcher, "Mirziyoyev", Some("en"), 5), None);
}
