//! The reproductions of issue 19's items 8–10 on the shared corpus, as a
//! visitor met them: each query with the page it was typed on.

mod common;

use common::{build, dev_corpus};

use qidiruv_engine::search::Step;
use qidiruv_engine::{Presented, Query, SearchOptions, Searcher};

fn corpus() -> Option<Searcher> {
    Some(build(dev_corpus("the corpus reproductions")?).searcher().unwrap())
}

fn shown(searcher: &Searcher, query: &str, page: &str) -> Presented {
    let query = Query::parse(query);
    let options = SearchOptions { prefer_lang: Some(page.into()), limit: 10, ..SearchOptions::default() };
    let Step::Ready(found) = searcher.search(&query, &options).unwrap() else { panic!("every part is loaded") };
    let Step::Ready(shown) = searcher.present(&query, &found, 10) else { panic!("every slot is loaded") };
    shown
}

#[test]
fn issue_19_items_8_to_10_on_the_shared_corpus() {
    let Some(searcher) = corpus() else { return };
    // 8: the English page lists its English articles about the president first.
    let name = shown(&searcher, "Mirziyoyev", "en");
    let english = name.facets.languages.iter().find(|(l, _)| l == "en").map_or(0, |&(_, n)| n);
    assert!(english > 0);
    let langs: Vec<&str> = name.items.iter().map(|item| item.lang.as_str()).collect();
    assert!(langs[..english.min(10)].iter().all(|&l| l == "en"), "{english} English articles, yet {langs:?}");
    // 9: the typo is corrected in Latin, in the name's plain form, on the Latin pages.
    for page in ["en", "uz-Latn"] {
        assert_eq!(shown(&searcher, "Mirzyoyev", page).corrected.as_deref(), Some("mirziyoyev"), "{page}");
    }
    // 10: the ё key and the б key typed on the Latin layout.
    for typed in ["Vbhpb`td", "Vbhpbötd"] {
        let found = shown(&searcher, typed, "ru");
        assert_eq!(found.corrected.as_deref(), Some("мирзиёев"), "{typed}");
        assert!(found.total > 100, "{typed}: {}", found.total);
    }
    let country = shown(&searcher, "Ep,trbcnfy", "ru");
    assert_eq!(country.corrected.as_deref(), Some("узбекистан"));
    assert!(country.items.iter().all(|item| item.title.text.to_lowercase().contains("узбекистан")
        || item.excerpt.text.to_lowercase().contains("узбекистан")));
}
