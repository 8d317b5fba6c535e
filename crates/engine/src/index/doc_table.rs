//! The document table: what ranking and filters need about every document.

use serde::{Deserialize, Serialize};

/// Per-document ranking data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocStats {
    /// Words in the title and in the body (BM25F length normalisation).
    pub title_len: u32,
    pub body_len: u32,
    /// Days since 1970-01-01, for the recency prior; `None` when undated.
    pub day: Option<i32>,
    /// Index into [`DocTable::langs`].
    pub lang: u16,
}

/// All documents' [`DocStats`], in doc-id order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocTable {
    /// The language tags in use, sorted.
    pub langs: Vec<String>,
    pub docs: Vec<DocStats>,
}

impl DocTable {
    /// Mean title and body lengths of each language's documents, at least 1
    /// so that empty fields do not divide by zero.
    pub fn average_lengths_per_lang(&self) -> Vec<(f32, f32)> {
        let mut sums = vec![(0u64, 0u64, 0u64); self.langs.len()];
        for doc in &self.docs {
            if let Some(sum) = sums.get_mut(usize::from(doc.lang)) {
                *sum = (sum.0 + u64::from(doc.title_len), sum.1 + u64::from(doc.body_len), sum.2 + 1);
            }
        }
        sums.into_iter()
            .map(|(title, body, n)| {
                let n = n.max(1) as f64;
                ((title as f64 / n).max(1.0) as f32, (body as f64 / n).max(1.0) as f32)
            })
            .collect()
    }

    /// The newest document's day, the reference point for recency.
    pub fn newest_day(&self) -> Option<i32> {
        self.docs.iter().filter_map(|d| d.day).max()
    }

    /// The index of a language tag in [`DocTable::langs`].
    pub fn lang_index(&self, tag: &str) -> Option<u16> {
        self.langs.iter().position(|l| l == tag).map(|i| i as u16)
    }
}
