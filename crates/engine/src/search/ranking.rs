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

/// Corpus-wide numbers every score needs.
pub struct Ranker {
    documents: f32,
    avg_title_len: f32,
    avg_body_len: f32,
    newest_day: Option<i32>,
}

impl Ranker {
    pub fn new(table: &DocTable) -> Ranker {
        let (avg_title_len, avg_body_len) = table.average_lengths();
        Ranker {
            documents: table.docs.len() as f32,
            avg_title_len,
            avg_body_len,
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
        let title_norm = 1.0 - B + B * doc.title_len as f32 / self.avg_title_len;
        let body_norm = 1.0 - B + B * doc.body_len as f32 / self.avg_body_len;
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
        let doc = |title_len, body_len, day| DocStats {
            title_len,
            body_len,
            day,
            lang: 0,
        };
        DocTable {
            langs: vec!["en".into()],
            docs: vec![
                doc(5, 100, Some(1000)),
                doc(5, 100, Some(635)),
                doc(5, 100, None),
            ],
        }
    }

    #[test]
    fn title_matches_outrank_body_matches() {
        let ranker = Ranker::new(&table());
        let doc = table().docs[0];
        assert!(ranker.term_score(1.0, 1, 0, &doc) > ranker.term_score(1.0, 0, 1, &doc));
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
