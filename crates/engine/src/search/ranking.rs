//! BM25F over title and body, with a recency prior for news.

use crate::index::{DocStats, DocTable};

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

/// Documents in the page's language are ranked this much higher.
pub const PREFERRED_LANGUAGE: f32 = 1.3;
/// A match across scripts (a Latin query in a Russian article, a Cyrillic
/// query in an English one) ranks below a match in the article's own script.
/// Uzbek articles have one key space for both scripts and take no penalty.
const CROSS_SCRIPT: f32 = 0.6;

/// The transliteration factor for a query word of `script` in a document
/// in language `lang`.
pub fn script_factor(script: crate::analysis::Script, lang: &str) -> f32 {
    use crate::analysis::Script::{Cyrillic, Latin};
    let cyrillic_doc = lang == "ru";
    let latin_doc = !lang.starts_with("uz") && !cyrillic_doc;
    match script {
        Latin if cyrillic_doc => CROSS_SCRIPT,
        Cyrillic if latin_doc => CROSS_SCRIPT,
        _ => 1.0,
    }
}

/// Corpus-wide numbers every score needs.
pub struct Ranker {
    documents: f32,
    /// Mean (title, body) lengths per language index. Lengths are normalised
    /// within a language: this site's English articles run eight times as
    /// long as its Russian posts, and a global mean would bury them.
    avg_lengths: Vec<(f32, f32)>,
    newest_day: Option<i32>,
}

impl Ranker {
    pub fn new(table: &DocTable) -> Ranker {
        Ranker {
            documents: table.docs.len() as f32,
            avg_lengths: table.average_lengths_per_lang(),
            newest_day: table.newest_day(),
        }
    }

    /// Inverse document frequency of a term found in `df` documents.
    pub fn idf(&self, df: usize) -> f32 {
        let df = df as f32;
        (1.0 + (self.documents - df + 0.5) / (df + 0.5)).ln()
    }

    /// The BM25F score of one term in one document.
    pub fn term_score(&self, idf: f32, title_tf: u32, body_tf: u32, doc: &DocStats) -> f32 {
        let (avg_title, avg_body) = self.avg_lengths.get(usize::from(doc.lang)).copied().unwrap_or((1.0, 1.0));
        let title_norm = 1.0 - B + B * doc.title_len as f32 / avg_title;
        let body_norm = 1.0 - B + B * doc.body_len as f32 / avg_body;
        let tf = TITLE_WEIGHT * title_tf as f32 / title_norm + body_tf as f32 / body_norm;
        idf * tf * (K1 + 1.0) / (tf + K1)
    }

    /// Multiplier favouring recent articles; 1 for undated ones.
    pub fn recency(&self, doc: &DocStats) -> f32 {
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
        let doc = |title_len, body_len, day| DocStats { title_len, body_len, day, lang: 0 };
        DocTable {
            langs: vec!["en".into()],
            docs: vec![doc(5, 100, Some(1000)), doc(5, 100, Some(635)), doc(5, 100, None)],
        }
    }

    #[test]
    fn title_matches_outrank_body_matches() {
        let ranker = Ranker::new(&table());
        let doc = table().docs[0];
        assert!(ranker.term_score(1.0, 1, 0, &doc) > ranker.term_score(1.0, 0, 1, &doc));
    }

    #[test]
    fn length_is_judged_within_the_language() {
        let doc = |body_len, lang| DocStats { title_len: 5, body_len, day: None, lang };
        let table = DocTable {
            langs: vec!["en".into(), "ru".into()],
            docs: vec![doc(400, 0), doc(400, 0), doc(40, 1), doc(40, 1)],
        };
        let ranker = Ranker::new(&table);
        let long_english = ranker.term_score(1.0, 0, 2, &table.docs[0]);
        let short_russian = ranker.term_score(1.0, 0, 2, &table.docs[2]);
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
