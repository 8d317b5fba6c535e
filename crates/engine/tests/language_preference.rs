//! Which language comes first (docs/embedding.md): the page's, unless the
//! query's script or words say otherwise. Checked on a small made-up index,
//! and on the shared corpus for words drawn from its own articles.

mod common;

use common::{build, dev_corpus, doc};

use std::collections::{HashMap, HashSet};

use qidiruv_engine::analysis::{script_of, tokenize, Script};
use qidiruv_engine::search::Step;
use qidiruv_engine::{Document, Lang, Query, SearchOptions, Searcher};

/// The languages of the first `limit` results for `query` on a page in `page`.
fn langs(searcher: &Searcher, query: &str, page: Option<&str>, limit: usize) -> Vec<String> {
    let query = Query::parse(query);
    let options = SearchOptions { prefer_lang: page.map(str::to_string), limit, ..SearchOptions::default() };
    let Step::Ready(found) = searcher.search(&query, &options).unwrap() else { panic!("every part is loaded") };
    let Step::Ready(shown) = searcher.present(&query, &found, limit) else { panic!("every slot is loaded") };
    shown.items.into_iter().map(|item| item.lang).collect()
}

/// Three Uzbek articles about the president against one English article
/// that names him in passing, and a Russian one.
fn small() -> Searcher {
    let uz = |n: usize| {
        let title = format!("Shavkat Mirziyoyev Toshkentda {n}");
        doc(&format!("uz{n}"), Lang::UzLatn, &title, "Prezident Shavkat Mirziyoyev Toshkentda uchrashdi. Mirziyoyev.")
    };
    let mut docs: Vec<Document> = (0..3).map(uz).collect();
    let body = "The country's economy grew last year, with trade, farming and mining in the lead. \
                President Mirziyoyev opened the border crossings in Tashkent that had been closed for years.";
    docs.push(doc("en", Lang::En, "Economy of the region", body));
    docs.push(doc("ru", Lang::Ru, "Мирзиёев в Ташкенте", "Президент Мирзиёев провёл встречу."));
    build(docs).searcher().unwrap()
}

#[test]
fn the_page_language_comes_first_even_for_a_passing_mention() {
    let searcher = small();
    assert_ne!(langs(&searcher, "Mirziyoyev ", None, 5)[0], "en", "without a page the Uzbek articles lead");
    assert_eq!(langs(&searcher, "Mirziyoyev ", Some("en"), 5)[0], "en");
    assert_eq!(langs(&searcher, "Mirziyoyev ", Some("ru"), 5)[..3], ["uz-Latn", "uz-Latn", "uz-Latn"]);
}

#[test]
fn a_query_in_the_other_script_prefers_languages_in_its_script() {
    let searcher = small();
    assert_eq!(langs(&searcher, "Мирзиёев ", Some("en"), 5)[0], "ru");
    assert_eq!(langs(&searcher, "Mirziyoyev ", Some("uz-Cyrl"), 5)[0], "uz-Latn");
}

#[test]
fn words_the_page_language_lacks_say_which_language_is_meant() {
    let searcher = small();
    // `Toshkent` is the Uzbek spelling: English has Tashkent, which the
    // English article matches only as a typo guess. The query is Uzbek.
    let shown = langs(&searcher, "Mirziyoyev Toshkent ", Some("en"), 5);
    assert_eq!(shown[..3], ["uz-Latn", "uz-Latn", "uz-Latn"], "{shown:?}");
    assert!(shown.contains(&"en".to_string()), "the English article still matches: {shown:?}");
}

#[test]
fn a_typo_guess_in_the_page_language_does_not_jump_ahead() {
    // Kamalov is another man than Kamilov: the English article about him
    // must not lead the articles that have the name as typed.
    let docs = vec![
        doc("en", Lang::En, "Minister Kamalov", "Kamalov spoke about trade."),
        doc("en2", Lang::En, "Kamilov in Geneva", "Foreign minister Kamilov met his counterpart."),
        doc("uz", Lang::UzLatn, "Kamilov Toshkentda", "Kamilov Toshkentda uchrashdi. Kamilov."),
    ];
    let searcher = build(docs).searcher().unwrap();
    let shown = langs(&searcher, "Kamilov ", Some("en"), 5);
    assert_eq!(shown[0], "en", "{shown:?}");
    assert_eq!(shown.iter().position(|l| l == "uz-Latn"), Some(1), "the guess follows: {shown:?}");
}

// --- the shared corpus ---------------------------------------------------------------

fn corpus() -> Option<Vec<Document>> {
    dev_corpus("the corpus language-preference tests")
}

/// Each language's articles, and how many of them hold each word key.
struct Counts {
    docs_with: HashMap<(String, String), usize>,
    /// Per language, title words of 5+ letters in the order first seen, with their key.
    title_words: HashMap<String, Vec<(String, String)>>,
}

fn counts(docs: &[Document]) -> Counts {
    let mut docs_with = HashMap::new();
    let mut title_words: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let mut seen = HashSet::new();
    for doc in docs {
        let lang = doc.lang.tag().to_string();
        let keys: HashSet<String> =
            tokenize(&doc.title).into_iter().chain(tokenize(&doc.body)).map(|t| t.key).collect();
        for key in keys {
            *docs_with.entry((lang.clone(), key)).or_insert(0) += 1;
        }
        for token in tokenize(&doc.title) {
            let word = &doc.title[token.start..token.end];
            let lettered = word.chars().all(char::is_alphabetic) && word.chars().count() >= 5;
            let lettered = lettered && script_of(&token.folded) == script_of_lang(&lang);
            if lettered && seen.insert((lang.clone(), token.key.clone())) {
                title_words.entry(lang.clone()).or_default().push((word.to_string(), token.key));
            }
        }
    }
    Counts { docs_with, title_words }
}

/// The site's languages with the script each is written in.
const LANGS: [(&str, Script); 4] =
    [("en", Script::Latin), ("uz-Latn", Script::Latin), ("ru", Script::Cyrillic), ("uz-Cyrl", Script::Cyrillic)];

fn script_of_lang(tag: &str) -> Script {
    LANGS.iter().find(|(t, _)| *t == tag).map(|&(_, s)| s).unwrap()
}

/// Words this many per language are tried: enough to cover names, places
/// and common words, few enough for a debug build.
const WORDS_PER_LANGUAGE: usize = 60;

#[test]
fn corpus_words_rank_the_page_language_first() {
    let Some(docs) = corpus() else { return };
    let counts = counts(&docs);
    let searcher = build(docs).searcher().unwrap();
    let mut checked = 0;
    for (page, _) in LANGS {
        for (word, key) in counts.title_words[page].iter().take(WORDS_PER_LANGUAGE) {
            // Articles in the page's language holding the word as typed:
            // at least these must lead.
            let holding = counts.docs_with[&(page.to_string(), key.clone())];
            let want = holding.min(10);
            let shown = langs(&searcher, &format!("{word} "), Some(page), 10);
            assert!(
                shown[..want].iter().all(|l| l == page),
                "{word:?} on the {page} page: {holding} {page} articles hold it, yet the top is {shown:?}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 4 * WORDS_PER_LANGUAGE / 2, "only {checked} words were tried");
}

/// The page's language in the other script, where the site has it.
fn other_script_of(page: &str) -> Option<&'static str> {
    match page {
        "uz-Latn" => Some("uz-Cyrl"),
        "uz-Cyrl" => Some("uz-Latn"),
        _ => None,
    }
}

#[test]
fn corpus_words_in_the_other_script_rank_that_script_first() {
    let Some(docs) = corpus() else { return };
    let counts = counts(&docs);
    let searcher = build(docs).searcher().unwrap();
    for (page, page_script) in LANGS {
        // Words from the articles written in the other script, typed on this page.
        for (lang, _) in LANGS.iter().filter(|(_, s)| *s != page_script) {
            for (word, key) in counts.title_words[*lang].iter().take(WORDS_PER_LANGUAGE / 2) {
                assert_eq!(script_of(&word.to_lowercase()), script_of_lang(lang));
                let holding = |l: &str| counts.docs_with.get(&(l.to_string(), key.clone())).copied().unwrap_or(0);
                let shown = langs(&searcher, &format!("{word} "), Some(page), 10);
                // The page's own language in that script leads where it has the
                // word; otherwise every language in that script does.
                let twin = other_script_of(page).filter(|&twin| holding(twin) > 0);
                let leads = |l: &str| twin.map_or(script_of_lang(l) != page_script, |twin| l == twin);
                let want = twin.map_or(holding(lang), holding);
                assert!(
                    shown[..want.min(10)].iter().all(|l| leads(l)),
                    "{word:?} on the {page} page: {want} articles should lead, yet the top is {shown:?}"
                );
            }
        }
    }
}

#[test]
fn corpus_words_the_page_language_lacks_rank_their_language_first() {
    let Some(docs) = corpus() else { return };
    let counts = counts(&docs);
    let searcher = build(docs).searcher().unwrap();
    let mut checked = 0;
    // Uzbek Latin title words no English article matches at all, typed on
    // the English page: the query is Uzbek, and Uzbek Latin leads.
    for (word, key) in &counts.title_words["uz-Latn"] {
        let query = Query::parse(&format!("{word} "));
        let options = SearchOptions { limit: 10, ..SearchOptions::default() };
        let Step::Ready(found) = searcher.search(&query, &options).unwrap() else { panic!("every part is loaded") };
        if found.facets.languages.iter().any(|(lang, _)| lang == "en") {
            continue;
        }
        let holding = counts.docs_with[&("uz-Latn".to_string(), key.clone())];
        let shown = langs(&searcher, &format!("{word} "), Some("en"), 10);
        assert!(
            shown[..holding.min(10)].iter().all(|l| l == "uz-Latn"),
            "{word:?} on the en page: {holding} uz-Latn articles hold it, yet the top is {shown:?}"
        );
        checked += 1;
        if checked == WORDS_PER_LANGUAGE {
            break;
        }
    }
    assert_eq!(checked, WORDS_PER_LANGUAGE);
}
