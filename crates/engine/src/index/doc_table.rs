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
    /// Mean title and body lengths, at least 1 so empty corpora do not divide by zero.
    pub fn average_lengths(&self) -> (f32, f32) {
        let n = self.docs.len().max(1) as f64;
        let title: u64 = self.docs.iter().map(|d| u64::from(d.title_len)).sum();
        let body: u64 = self.docs.iter().map(|d| u64::from(d.body_len)).sum();
        (
            (title as f64 / n).max(1.0) as f32,
            (body as f64 / n).max(1.0) as f32,
        )
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
