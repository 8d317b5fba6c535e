//! The document table: what filters and the recency prior need about every
//! document — its language and its day. Lengths are not here: they are
//! folded into the postings' impacts at build time.
//!
//! On disk the days are deltas from the previous document's, which a news
//! export (mostly in date order) turns into runs of small numbers that
//! compress to almost nothing; the lists of documents are deltas too.

use serde::{Deserialize, Serialize};

use super::DocId;

/// What ranking and filters know of one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocInfo {
    /// Days since 1970-01-01; `None` when undated.
    pub day: Option<i32>,
    /// Index into [`DocTable::langs`].
    pub lang: u16,
}

/// All documents' [`DocInfo`], in doc-id order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "DocTablePart", into = "DocTablePart")]
pub struct DocTable {
    /// The language tags in use, sorted.
    pub langs: Vec<String>,
    pub docs: Vec<DocInfo>,
    /// The documents stored in the long slot class, ascending.
    pub long: Vec<DocId>,
}

/// The table as stored.
#[derive(Clone, Serialize, Deserialize)]
struct DocTablePart {
    langs: Vec<String>,
    lang: Vec<u16>,
    /// Each document's day minus the previous dated document's (the first from 0).
    day_deltas: Vec<i32>,
    /// The documents without a date (their delta is 0 and means nothing),
    /// as gaps (see [`gaps`]).
    undated: Vec<DocId>,
    /// [`DocTable::long`] as gaps.
    long: Vec<DocId>,
}

/// Ascending ids as differences from the previous one (the first from 0).
fn gaps(ids: impl IntoIterator<Item = DocId>) -> Vec<DocId> {
    let mut previous = 0;
    ids.into_iter()
        .map(|id| {
            let gap = id.wrapping_sub(previous);
            previous = id;
            gap
        })
        .collect()
}

/// The inverse of [`gaps`]; corrupt gaps give ids out of order, which the
/// reader rejects.
fn ids(gaps: &[DocId]) -> Vec<DocId> {
    let mut id: DocId = 0;
    gaps.iter()
        .map(|&gap| {
            id = id.wrapping_add(gap);
            id
        })
        .collect()
}

impl From<DocTable> for DocTablePart {
    fn from(table: DocTable) -> DocTablePart {
        let mut previous = 0;
        let day_deltas = table
            .docs
            .iter()
            .map(|doc| {
                let day = doc.day.unwrap_or(previous);
                let delta = day.wrapping_sub(previous);
                previous = day;
                delta
            })
            .collect();
        DocTablePart {
            langs: table.langs,
            lang: table.docs.iter().map(|d| d.lang).collect(),
            day_deltas,
            undated: gaps((0..).zip(&table.docs).filter(|(_, d)| d.day.is_none()).map(|(id, _)| id)),
            long: gaps(table.long),
        }
    }
}

impl From<DocTablePart> for DocTable {
    fn from(part: DocTablePart) -> DocTable {
        let mut day = 0i32;
        let undated = ids(&part.undated);
        let mut undated = undated.iter().peekable();
        let docs = (0..)
            .zip(part.lang.iter().zip(&part.day_deltas))
            .map(|(id, (&lang, &delta))| {
                day = day.wrapping_add(delta);
                let dated = undated.next_if_eq(&&id).is_none();
                DocInfo { day: dated.then_some(day), lang }
            })
            .collect();
        // Lengths that disagree leave documents out; the reader checks the count.
        DocTable { langs: part.langs, docs, long: ids(&part.long) }
    }
}

impl DocTable {
    /// The newest document's day, the reference point for recency.
    pub fn newest_day(&self) -> Option<i32> {
        self.docs.iter().filter_map(|d| d.day).max()
    }

    /// Where `doc` is stored: its slot class (0 common, 1 long) and its
    /// slot's index within the class.
    pub fn store_slot(&self, doc: DocId) -> (usize, u32) {
        match self.long.binary_search(&doc) {
            Ok(rank) => (1, rank as u32),
            Err(longs_before) => (0, doc - longs_before as u32),
        }
    }

    /// The document in slot `index` of class `class` (the inverse of [`DocTable::store_slot`]).
    pub fn doc_in_slot(&self, class: usize, index: u32) -> Option<DocId> {
        if class == 1 {
            return self.long.get(index as usize).copied();
        }
        // Count the long documents that come before the answer.
        let mut doc = index;
        for &long in &self.long {
            if long > doc {
                break;
            }
            doc += 1;
        }
        ((doc as usize) < self.docs.len()).then_some(doc)
    }

    /// The index of a language tag in [`DocTable::langs`].
    pub fn lang_index(&self, tag: &str) -> Option<u16> {
        self.langs.iter().position(|l| l == tag).map(|i| i as u16)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn tables_round_trip(docs in proptest::collection::vec((proptest::option::of(-30_000i32..30_000), 0u16..4), 0..50)) {
            let long = (0..docs.len() as DocId).filter(|d| d % 3 == 1).collect();
            let table = DocTable {
                langs: vec!["en".into(), "ru".into(), "uz-Cyrl".into(), "uz-Latn".into()],
                docs: docs.into_iter().map(|(day, lang)| DocInfo { day, lang }).collect(),
                long,
            };
            let bytes = postcard::to_allocvec(&table).unwrap();
            prop_assert_eq!(postcard::from_bytes::<DocTable>(&bytes).unwrap(), table.clone());
            for doc in 0..table.docs.len() as DocId {
                let (class, index) = table.store_slot(doc);
                prop_assert_eq!(table.doc_in_slot(class, index), Some(doc));
            }
        }
    }
}
