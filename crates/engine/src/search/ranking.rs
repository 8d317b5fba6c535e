//! BM25F over title and body, with a recency prior for news.

use crate::analysis::Script;
use crate::index::{DocInfo, DocTable};

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// A title word counts this many body words.
const TITLE_WEIGHT: f32 = 2.5;
/// The recency bonus for an article published on the newest day; it halves
/// every [`RECENCY_HALF_LIFE_DAYS`]. Small: relevance decides, recency breaks near-ties.
const RECENCY_BONUS: f32 = 0.15;
const RECENCY_HALF_LIFE_DAYS: f32 = 365.0;

/// The most a title holding every query word adds to the score.
const TITLE_COVERAGE_BONUS: f32 = 0.5;

/// The multiplier for a title holding `share` (0 to 1) of the query's
/// words: an article whose headline says what was searched is the one
/// people mean, more than BM25F's per-word title weight alone conveys.
pub fn title_coverage(share: f32) -> f32 {
    1.0 + TITLE_COVERAGE_BONUS * share * share
}

/// A match across scripts (a Latin query in a Russian article, a Cyrillic
/// query in an English one) ranks below a match in the article's own script.
/// Uzbek articles have one key space for both scripts and take no penalty.
const CROSS_SCRIPT: f32 = 0.6;

/// The transliteration factor for a query word of `script` in a document
/// in language `lang`.
pub fn script_factor(script: Script, lang: &str) -> f32 {
    use crate::analysis::Script::{Cyrillic, Latin};
    let cyrillic_doc = lang == "ru";
    let latin_doc = !lang.starts_with("uz") && !cyrillic_doc;
    match script {
        Latin if cyrillic_doc => CROSS_SCRIPT,
        Cyrillic if latin_doc => CROSS_SCRIPT,
        _ => 1.0,
    }
}

/// Which languages' articles come first: the page's, unless the query says
/// otherwise (docs/embedding.md, "Which language comes first").
///
/// A visitor reads the page's language, so its articles lead. But what they
/// typed can say they want another: a Cyrillic query on the English page is
/// not looking for English text, and `Toshkentdagi` on it is Uzbek. The rule
/// looks only at scripts and at which languages hold the query's words, so it
/// holds for any query and any page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LanguagePreference {
    /// Per language index of the document table.
    preferred: Vec<bool>,
}

impl LanguagePreference {
    /// * `page`: the page language's index among `langs` (the index's tags);
    /// * `script`: the script every lettered query word is written in, if they agree;
    /// * `found_in[l]`: every query word is found in some article of language `l`.
    ///
    /// The first of these that has all the query's words in the query's
    /// script is preferred: the page's language; the page's language in
    /// another script (Uzbek Latin for a Latin query on the Uzbek Cyrillic
    /// page); every language. None, if no language has them all.
    pub fn new(page: Option<u16>, langs: &[String], script: Option<Script>, found_in: &[bool]) -> LanguagePreference {
        let Some(page) = page.map(usize::from).filter(|&p| p < langs.len()) else {
            return LanguagePreference::default();
        };
        let in_script = |l: usize| script.is_none() || written_in(&langs[l]) == script;
        let found = |l: usize| found_in.get(l).copied().unwrap_or(false);
        let language = |tag: &str| tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
        let same_language = |l: usize| language(&langs[l]) == language(&langs[page]);
        let circles: [&dyn Fn(usize) -> bool; 3] = [&|l| l == page, &same_language, &|_| true];
        let preferred = circles
            .iter()
            .map(|circle| (0..langs.len()).map(|l| circle(l) && in_script(l) && found(l)).collect::<Vec<bool>>())
            .find(|preferred| preferred.contains(&true))
            .unwrap_or_default();
        LanguagePreference { preferred }
    }

    /// Whether articles in language `lang` (an index of the document table) come first.
    pub fn prefers(&self, lang: u16) -> bool {
        self.preferred.get(usize::from(lang)).copied().unwrap_or(false)
    }
}

/// The script a language is written in, when the tag tells.
fn written_in(tag: &str) -> Option<Script> {
    match crate::Lang::parse(tag) {
        Ok(crate::Lang::En | crate::Lang::UzLatn) => Some(Script::Latin),
        Ok(crate::Lang::Ru | crate::Lang::UzCyrl) => Some(Script::Cyrillic),
        _ => {
            let tag = tag.to_ascii_lowercase();
            let subtags = || tag.split('-').skip(1);
            if subtags().any(|s| s == "latn") {
                Some(Script::Latin)
            } else if subtags().any(|s| s == "cyrl") {
                Some(Script::Cyrillic)
            } else {
                None
            }
        }
    }
}

/// The script of a query: the one its lettered words share, if they agree.
/// Words typed in the wrong keyboard layout count in the script they meant.
pub fn query_script(scripts: impl IntoIterator<Item = Script>) -> Option<Script> {
    let mut seen = None;
    for script in scripts.into_iter().filter(|&s| s != Script::Neutral) {
        match seen {
            None => seen = Some(script),
            Some(s) if s != script => return None,
            Some(_) => {}
        }
    }
    seen
}

/// BM25F's weight of a term in one document, computed at build time and
/// stored in the postings as an [`Impact`](crate::index::postings::Impact).
pub struct TermWeights {
    /// Mean (title, body) lengths per language index. Lengths are normalised
    /// within a language: this site's English articles run eight times as
    /// long as its Russian posts, and a global mean would bury them.
    avg_lengths: Vec<(f32, f32)>,
}

impl TermWeights {
    /// `docs`: each document's (title length, body length, language index).
    #[cfg(test)]
    pub fn new(docs: &[(u32, u32, u16)], langs: usize) -> TermWeights {
        let mut sums = vec![(0u64, 0u64, 0u64); langs];
        for &(title, body, lang) in docs {
            if let Some(sum) = sums.get_mut(usize::from(lang)) {
                *sum = (sum.0 + u64::from(title), sum.1 + u64::from(body), sum.2 + 1);
            }
        }
        TermWeights::from_sums(sums)
    }

    /// From each language index's (title words, body words, documents).
    pub fn from_sums(sums: Vec<(u64, u64, u64)>) -> TermWeights {
        let avg_lengths = sums
            .into_iter()
            .map(|(title, body, n)| {
                let n = n.max(1) as f64;
                ((title as f64 / n).max(1.0) as f32, (body as f64 / n).max(1.0) as f32)
            })
            .collect();
        TermWeights { avg_lengths }
    }

    /// The saturated, length-normalised term frequency, at most `K1 + 1`.
    pub fn weight(&self, (title_tf, body_tf): (u32, u32), (title_len, body_len, lang): (u32, u32, u16)) -> f32 {
        let (avg_title, avg_body) = self.avg_lengths.get(usize::from(lang)).copied().unwrap_or((1.0, 1.0));
        let title_norm = 1.0 - B + B * title_len as f32 / avg_title;
        let body_norm = 1.0 - B + B * body_len as f32 / avg_body;
        let tf = TITLE_WEIGHT * title_tf as f32 / title_norm + body_tf as f32 / body_norm;
        tf * (K1 + 1.0) / (tf + K1)
    }
}

/// Corpus-wide numbers every score needs at query time.
pub struct Ranker {
    documents: f32,
    newest_day: Option<i32>,
}

impl Ranker {
    pub fn new(table: &DocTable) -> Ranker {
        Ranker { documents: table.docs.len() as f32, newest_day: table.newest_day() }
    }

    /// Inverse document frequency of a term found in `df` documents.
    pub fn idf(&self, df: usize) -> f32 {
        let df = df as f32;
        (1.0 + (self.documents - df + 0.5) / (df + 0.5)).ln()
    }

    /// Multiplier favouring recent articles; 1 for undated ones.
    pub fn recency(&self, doc: &DocInfo) -> f32 {
        match (doc.day, self.newest_day) {
            (Some(day), Some(newest)) => {
                let age = (newest - day).max(0) as f32;
                1.0 + RECENCY_BONUS * 0.5f32.powf(age / RECENCY_HALF_LIFE_DAYS)
            }
            _ => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> DocTable {
        let doc = |day| DocInfo { day, lang: 0 };
        DocTable {
            langs: vec!["en".into()],
            docs: vec![doc(Some(1000)), doc(Some(635)), doc(None)],
            slot_runs: Vec::new(),
            groups: Vec::new(),
        }
    }

    fn site() -> Vec<String> {
        ["en", "ru", "uz-Cyrl", "uz-Latn"].map(String::from).to_vec()
    }

    fn preferred(page: u16, script: Option<Script>, found_in: [bool; 4]) -> Vec<&'static str> {
        let preference = LanguagePreference::new(Some(page), &site(), script, &found_in);
        let tags = ["en", "ru", "uz-Cyrl", "uz-Latn"];
        (0..4u16).filter(|&l| preference.prefers(l)).map(|l| tags[usize::from(l)]).collect()
    }

    #[test]
    fn the_page_language_is_preferred_when_the_query_fits_it() {
        assert_eq!(preferred(0, Some(Script::Latin), [true; 4]), ["en"]);
        assert_eq!(preferred(1, Some(Script::Cyrillic), [true; 4]), ["ru"]);
        // Digits, or words in both scripts, say nothing about the script.
        assert_eq!(preferred(3, None, [true; 4]), ["uz-Latn"]);
    }

    #[test]
    fn the_query_script_overrides_the_page() {
        assert_eq!(preferred(0, Some(Script::Cyrillic), [true; 4]), ["ru", "uz-Cyrl"]);
        assert_eq!(preferred(1, Some(Script::Latin), [true; 4]), ["en", "uz-Latn"]);
        // The page's own language in the query's script, where it has one.
        assert_eq!(preferred(3, Some(Script::Cyrillic), [true; 4]), ["uz-Cyrl"]);
        assert_eq!(preferred(2, Some(Script::Latin), [true; 4]), ["uz-Latn"]);
        assert_eq!(preferred(2, Some(Script::Latin), [true, true, true, false]), ["en"]);
    }

    #[test]
    fn languages_lacking_a_word_are_not_preferred() {
        assert_eq!(preferred(0, Some(Script::Latin), [false, true, true, true]), ["uz-Latn"]);
        assert!(preferred(0, Some(Script::Latin), [false, true, true, false]).is_empty());
        assert!(LanguagePreference::new(None, &site(), None, &[true; 4]) == LanguagePreference::default());
    }

    #[test]
    fn the_query_script_is_the_one_its_words_share() {
        use Script::{Cyrillic, Latin, Neutral};
        assert_eq!(query_script([Latin, Neutral, Latin]), Some(Latin));
        assert_eq!(query_script([Neutral, Cyrillic]), Some(Cyrillic));
        assert_eq!(query_script([Latin, Cyrillic]), None);
        assert_eq!(query_script([Neutral]), None);
    }

    #[test]
    fn other_languages_are_written_in_the_script_their_tag_names() {
        assert_eq!(written_in("sr-Cyrl"), Some(Script::Cyrillic));
        assert_eq!(written_in("sr-latn"), Some(Script::Latin));
        assert_eq!(written_in("de"), None);
        assert_eq!(written_in("oz"), Some(Script::Cyrillic));
    }

    #[test]
    fn title_matches_outrank_body_matches() {
        let weights = TermWeights::new(&[(5, 100, 0)], 1);
        assert!(weights.weight((1, 0), (5, 100, 0)) > weights.weight((0, 1), (5, 100, 0)));
    }

    #[test]
    fn weights_saturate_below_the_impact_scale() {
        let weights = TermWeights::new(&[(1, 1, 0)], 1);
        let most = weights.weight((1000, 1000), (1, 1, 0));
        assert!(most <= crate::index::postings::MAX_WEIGHT && most > 2.0);
    }

    #[test]
    fn length_is_judged_within_the_language() {
        let docs = [(5, 400, 0), (5, 400, 0), (5, 40, 1), (5, 40, 1)];
        let weights = TermWeights::new(&docs, 2);
        let long_english = weights.weight((0, 2), docs[0]);
        let short_russian = weights.weight((0, 2), docs[2]);
        assert!((long_english - short_russian).abs() < 1e-6);
    }

    #[test]
    fn rare_terms_weigh_more() {
        let ranker = Ranker::new(&table());
        assert!(ranker.idf(1) > ranker.idf(3));
        assert!(ranker.idf(3) > 0.0);
    }

    #[test]
    fn newer_articles_get_a_small_bonus() {
        let ranker = Ranker::new(&table());
        let docs = table().docs;
        assert!((ranker.recency(&docs[0]) - 1.15).abs() < 1e-6);
        assert!((ranker.recency(&docs[1]) - 1.075).abs() < 1e-6);
        assert_eq!(ranker.recency(&docs[2]), 1.0);
    }
}
