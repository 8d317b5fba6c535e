//! The document table: what filters and the recency prior need about every
//! document — its language and its day — and where the store keeps it.
//! Lengths are not here: they are folded into the postings' impacts at
//! build time.
//!
//! On disk the days are deltas from the previous document's, which a news
//! export (mostly in date order) turns into runs of small numbers that
//! compress to little; the lists of documents are deltas too.

use std::ops::Range;

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
    /// Runs of consecutive documents stored in the same slot class (an
    /// index into the manifest's store classes): each run's first document
    /// and class, ascending. A run lasts until the next one starts.
    pub slot_runs: Vec<(DocId, u16)>,
    /// Per document: the first document of its story (its translation
    /// group), itself when it has no translation here. A publish keeps a
    /// story's live documents in one segment (see the builder's `Prior`).
    /// Empty when no document has a translation.
    pub groups: Vec<DocId>,
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
    /// [`DocTable::slot_runs`]: their first documents as gaps, and their classes.
    run_starts: Vec<DocId>,
    run_classes: Vec<u16>,
    /// [`DocTable::groups`], each as its distance back to the story's
    /// first document (mostly 0).
    group_back: Vec<DocId>,
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
            run_starts: gaps(table.slot_runs.iter().map(|&(first, _)| first)),
            run_classes: table.slot_runs.iter().map(|&(_, class)| class).collect(),
            group_back: (0..).zip(&table.groups).map(|(id, &first): (DocId, _)| id.wrapping_sub(first)).collect(),
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
        let starts = ids(&part.run_starts);
        let slot_runs =
            (0..starts.len().min(part.run_classes.len())).map(|i| (starts[i], part.run_classes[i])).collect();
        // A corrupt distance gives a story that starts after its document, which the reader rejects.
        let groups = (0..).zip(&part.group_back).map(|(id, &back): (DocId, _)| id.wrapping_sub(back)).collect();
        DocTable { langs: part.langs, docs, slot_runs, groups }
    }
}

impl DocTable {
    /// The newest document's day, the reference point for recency.
    pub fn newest_day(&self) -> Option<i32> {
        self.docs.iter().filter_map(|d| d.day).max()
    }

    /// Slot run `i`'s documents and class.
    pub fn run(&self, i: usize) -> (Range<DocId>, usize) {
        let (first, class) = self.slot_runs[i];
        let end = self.slot_runs.get(i + 1).map_or(self.docs.len() as DocId, |&(next, _)| next);
        (first..end.max(first), usize::from(class))
    }

    /// Whether the slot runs cover every document, in order, each in one
    /// of `classes` classes: what [`Self::store_slot`] relies on.
    pub fn slot_runs_fit(&self, classes: usize) -> bool {
        let starts_at_zero = self.docs.is_empty() || self.slot_runs.first().is_some_and(|&(first, _)| first == 0);
        starts_at_zero
            && self.slot_runs.windows(2).all(|w| w[0].0 < w[1].0)
            && self.slot_runs.last().is_none_or(|&(last, _)| (last as usize) < self.docs.len())
            && self.slot_runs.iter().all(|&(_, class)| usize::from(class) < classes)
    }

    /// How many documents slot class `class` holds in its runs before run `before`.
    fn docs_in_class(&self, class: usize, before: usize) -> u32 {
        let mut docs = 0;
        for i in 0..before {
            let (run, c) = self.run(i);
            if c == class {
                docs += run.end - run.start;
            }
        }
        docs
    }

    /// How many documents slot class `class` holds.
    pub fn class_docs(&self, class: usize) -> u64 {
        self.docs_in_class(class, self.slot_runs.len()).into()
    }

    /// Where `doc` is stored: its slot class and its slot's index within the
    /// class, where the class's documents lie in id order.
    pub fn store_slot(&self, doc: DocId) -> (usize, u32) {
        let i = self.slot_runs.partition_point(|&(first, _)| first <= doc).saturating_sub(1);
        match self.slot_runs.get(i) {
            Some(&(first, class)) => (usize::from(class), self.docs_in_class(class.into(), i) + (doc - first)),
            None => (0, doc),
        }
    }

    /// The document in slot `index` of class `class` (the inverse of [`DocTable::store_slot`]).
    pub fn doc_in_slot(&self, class: usize, index: u32) -> Option<DocId> {
        let mut left = index;
        for i in 0..self.slot_runs.len() {
            let (run, c) = self.run(i);
            if c != class {
                continue;
            }
            if left < run.end - run.start {
                return Some(run.start + left);
            }
            left -= run.end - run.start;
        }
        None
    }

    /// Whether every document's story starts at or before it, at a
    /// document that starts its own story.
    pub fn groups_fit(&self) -> bool {
        (self.groups.is_empty() || self.groups.len() == self.docs.len())
            && (0..)
                .zip(&self.groups)
                .all(|(id, &first): (DocId, _)| first <= id && self.groups[first as usize] == first)
    }

    /// The first document of `doc`'s story.
    pub fn story(&self, doc: DocId) -> DocId {
        self.groups.get(doc as usize).copied().unwrap_or(doc)
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
        fn tables_round_trip(
            docs in proptest::collection::vec((proptest::option::of(-30_000i32..30_000), 0u16..4, 0u16..3), 0..50),
        ) {
            // A run starts wherever the class changes.
            let mut slot_runs: Vec<(DocId, u16)> = Vec::new();
            for (id, &(_, _, class)) in (0..).zip(&docs) {
                if slot_runs.last().is_none_or(|&(_, last)| last != class) {
                    slot_runs.push((id, class));
                }
            }
            let table = DocTable {
                langs: vec!["en".into(), "ru".into(), "uz-Cyrl".into(), "uz-Latn".into()],
                docs: docs.iter().map(|&(day, lang, _)| DocInfo { day, lang }).collect(),
                slot_runs,
                // Stories of up to three documents in a row.
                groups: (0..docs.len() as DocId).map(|id| id - id % 3).collect(),
            };
            prop_assert!(table.groups_fit());
            prop_assert!(table.slot_runs_fit(3));
            let bytes = postcard::to_allocvec(&table).unwrap();
            prop_assert_eq!(postcard::from_bytes::<DocTable>(&bytes).unwrap(), table.clone());
            let mut next_in_class = [0u32; 3];
            for (doc, &(_, _, class)) in (0..).zip(&docs) {
                // Each class's documents take its slots in id order.
                let slot = (usize::from(class), next_in_class[usize::from(class)]);
                prop_assert_eq!(table.store_slot(doc), slot);
                prop_assert_eq!(table.doc_in_slot(slot.0, slot.1), Some(doc));
                next_in_class[usize::from(class)] += 1;
            }
            for (class, &count) in next_in_class.iter().enumerate() {
                prop_assert_eq!(table.class_docs(class), u64::from(count));
                prop_assert_eq!(table.doc_in_slot(class, count), None);
            }
        }
    }

    #[test]
    fn a_story_starts_at_a_document_that_starts_its_own() {
        let docs = vec![DocInfo { day: None, lang: 0 }; 4];
        let table = |groups| DocTable { langs: vec!["en".into()], docs: docs.clone(), slot_runs: Vec::new(), groups };
        assert!(table(vec![0, 0, 2, 2]).groups_fit());
        assert!(table(Vec::new()).groups_fit(), "no translations");
        assert!(!table(vec![0, 0, 3, 3]).groups_fit(), "a story that starts after its document");
        assert!(!table(vec![0, 0, 1, 3]).groups_fit(), "a story starting at a document of another");
        assert!(!table(vec![0, 0]).groups_fit(), "a column of the wrong length");
    }

    #[test]
    fn slot_runs_must_cover_the_documents_in_order() {
        let docs = vec![DocInfo { day: None, lang: 0 }; 4];
        let table =
            |slot_runs| DocTable { langs: vec!["en".into()], docs: docs.clone(), slot_runs, groups: Vec::new() };
        assert!(table(vec![(0, 0), (2, 1)]).slot_runs_fit(2));
        assert!(!table(vec![(0, 0), (2, 2)]).slot_runs_fit(2), "a class the manifest lacks");
        assert!(!table(vec![(1, 0)]).slot_runs_fit(2), "the first document in no run");
        assert!(!table(vec![(0, 0), (2, 1), (2, 0)]).slot_runs_fit(2), "out of order");
        assert!(!table(vec![(0, 0), (4, 1)]).slot_runs_fit(2), "a run past the last document");
    }
}
