//! Words typed in the wrong keyboard layout whose letters sit on punctuation
//! keys (ЙЦУКЕН's б ж х э ю ё ъ are `, ; [ ' . ` ]` on QWERTY), and the
//! ordinary punctuation and Uzbek apostrophes that must stay as they were.

mod common;

use common::{build, doc};

use proptest::prelude::*;
use qidiruv_engine::search::{Correction, Step};
use qidiruv_engine::{Lang, Query, SearchOptions, SearchResults, Searcher};

fn sample() -> Searcher {
    build(vec![
        doc("name", Lang::Ru, "Мирзиёев принял делегацию", "Президент Мирзиёев принял делегацию."),
        doc("country", Lang::Ru, "Узбекистан и Казахстан", "Узбекистан и Казахстан подписали соглашение."),
        doc("wait", Lang::Ru, "Ожидание решения", "Ожидание решения затянулось; объём торговли вырос."),
        doc("uz", Lang::UzLatn, "O‘zbekiston va tog‘ turizmi", "Toshkent, Samarqand va tog‘ hududlari. Visa rejimi."),
    ])
    .searcher()
    .unwrap()
}

fn found(searcher: &Searcher, query: &str) -> SearchResults {
    let Step::Ready(found) = searcher.search(&Query::parse(query), &SearchOptions::default()).unwrap() else {
        panic!("every part is loaded")
    };
    found
}

fn shown(searcher: &Searcher, query: &str) -> (Vec<String>, Option<String>) {
    let found = found(searcher, query);
    let Step::Ready(shown) = searcher.present(&Query::parse(query), &found, 10) else { panic!("every slot is loaded") };
    (shown.items.into_iter().map(|item| item.id).collect(), shown.corrected)
}

#[test]
fn the_backquote_and_yo_stand_ins_are_yo() {
    let searcher = sample();
    for query in ["Vbhpb`td", "Vbhpb`td ", "Vbhpbötd ", "VBHPB~TD "] {
        assert_eq!(shown(&searcher, query), (vec!["name".into()], Some("мирзиёев".into())), "{query}");
    }
}

#[test]
fn a_comma_key_inside_a_word_is_the_letter_it_types() {
    let searcher = sample();
    assert_eq!(shown(&searcher, "Ep,trbcnfy"), (vec!["country".into()], Some("узбекистан".into())));
    // While it is typed, and with another word.
    assert_eq!(shown(&searcher, "Ep,tr").0, ["country"]);
    let both = shown(&searcher, "Ep,trbcnfy b Rfpf[cnfy");
    assert_eq!(both, (vec!["country".into()], Some("узбекистан и казахстан".into())));
    assert_eq!(shown(&searcher, "j,]`v ").0, ["wait"]);
}

#[test]
fn ordinary_punctuation_keeps_its_plain_reading() {
    let searcher = sample();
    for query in ["Toshkent,Samarqand", "Toshkent, Samarqand", "visa.Toshkent", "tog' ", "o'zbekiston"] {
        let found = found(&searcher, query);
        assert_eq!(found.reading, None, "{query}");
        assert!(found.corrected.iter().all(Option::is_none), "{query}");
        assert_eq!(shown(&searcher, query).0, ["uz"], "{query}");
    }
}

/// Uzbek Latin words with their apostrophes, as visitors type them.
fn uzbek_word() -> impl Strategy<Value = String> {
    let part = "[bdfhjklmnpqrstvxyz]?[aeiou][bdfhjklmnpqrstvxyz]{0,2}";
    let mark = prop_oneof![Just("o'"), Just("g'"), Just("O'"), Just("G'"), Just("'"), Just("`"), Just("ʼ"), Just("‘")];
    (part, mark, part).prop_map(|(a, m, b)| format!("{a}{m}{b}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// An apostrophe inside a word, whichever key typed it, is no layout run.
    #[test]
    fn apostrophes_inside_uzbek_words_make_no_run(words in proptest::collection::vec(uzbek_word(), 1..4)) {
        let query = Query::parse(&words.join(" "));
        prop_assert!(query.runs.is_empty(), "{:?}", query.runs);
        prop_assert_eq!(query.words.len(), words.len());
    }

    /// Indexed Uzbek words with apostrophes, alone, ending the word, or
    /// between commas, find what they find without the layout reading.
    #[test]
    fn indexed_apostrophe_words_search_as_before(
        words in proptest::collection::vec(uzbek_word(), 2..5),
        ending in prop_oneof![Just(""), Just("'"), Just(","), Just(".")],
        joiner in prop_oneof![Just(" "), Just(","), Just(", ")],
    ) {
        let body = words.join(" ");
        let searcher = build(vec![doc("a", Lang::UzLatn, &words[0], &body), doc("b", Lang::Ru, "Узбекистан", "Узбекистан")])
            .searcher()
            .unwrap();
        let typed = format!("{}{ending}", words.join(joiner));
        let query = Query::parse(&typed);
        let mut plain = query.clone();
        plain.runs.clear();
        let options = SearchOptions::default();
        let (Step::Ready(with_runs), Step::Ready(without)) =
            (searcher.search(&query, &options).unwrap(), searcher.search(&plain, &options).unwrap())
        else {
            panic!("every part is loaded")
        };
        prop_assert_eq!(with_runs.reading.as_ref(), None);
        prop_assert_eq!(&with_runs.hits, &without.hits);
        let Step::Ready(shown) = searcher.present(&query, &with_runs, 10) else { panic!("every slot is loaded") };
        prop_assert!(shown.items.iter().any(|item| item.id == "a"), "{typed:?} finds its article");
    }
}

#[test]
fn runs_say_which_words_they_replace() {
    let query = Query::parse("visa Ep,trbcnfy \"a,b\" -c");
    assert_eq!(query.runs.len(), 1);
    assert_eq!(query.runs[0].words, 1..3);
    assert_eq!(query.runs[0].word.text, "Ep,trbcnfy");
    let (read, _) = query.with_runs_read(&[0]);
    let texts: Vec<&str> = read.words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(texts, ["visa", "Ep,trbcnfy", "a", "b"]);
    assert_eq!(read.phrases, [vec![2, 3]]);
    assert_eq!(found(&sample(), "visa Ep,trbcnfy").corrected[1], Some(Correction::Layout("узбекистан".into())));
}
