//! One result per story: an article's versions in other languages are its
//! translations ("Also in"), not results of their own.
//!
//! A story is known by its first document ([`DocTable::groups`](crate::index::DocTable::groups),
//! empty when no document has a translation: then each document is a story).
//! As in the tally, the work is done in an array indexed by document id and
//! kept between queries: a short prefix matches tens of thousands of
//! documents, too many to hash on every keystroke.

use std::cmp::Ordering;

use crate::index::DocId;

/// No mark: every entry holds it between calls.
const NONE: u32 = u32::MAX;

#[derive(Default)]
pub struct Stories {
    /// Per story: what the call in progress noted of it (where its kept
    /// item is, which value it was last counted for).
    mark: Vec<u32>,
}

impl Stories {
    /// Keeps of each story's items the one that comes first in `order`, and
    /// drops the others; the kept ones are in the order their stories first
    /// appear. `doc` says which document an item is.
    pub fn keep_first<T>(
        &mut self,
        groups: &[DocId],
        items: &mut Vec<T>,
        doc: impl Fn(&T) -> DocId,
        order: impl Fn(&T, &T) -> Ordering,
    ) {
        if groups.is_empty() {
            return;
        }
        self.mark.resize(groups.len(), NONE);
        let story = |item: &T| groups[doc(item) as usize] as usize;
        // Items before `kept` are each story's best so far; those between it
        // and `next` are dropped ones, free to swap with.
        let mut kept = 0;
        for next in 0..items.len() {
            let at = self.mark[story(&items[next])];
            if at == NONE {
                self.mark[story(&items[next])] = kept as u32;
                items.swap(kept, next);
                kept += 1;
            } else if order(&items[next], &items[at as usize]) == Ordering::Less {
                items.swap(at as usize, next);
            }
        }
        items.truncate(kept);
        for item in items.iter() {
            self.mark[story(item)] = NONE;
        }
    }

    /// How many stories have a document of each value: `docs` pairs
    /// documents with values below `values` (a language, a year).
    pub fn count(&mut self, groups: &[DocId], docs: &[(DocId, u32)], values: usize) -> Vec<usize> {
        let mut counts = vec![0; values];
        if groups.is_empty() {
            docs.iter().for_each(|&(_, value)| counts[value as usize] += 1);
            return counts;
        }
        // By value, so that a story counted for the value at hand is marked with it.
        let mut starts = vec![0; values + 1];
        docs.iter().for_each(|&(_, value)| starts[value as usize + 1] += 1);
        for value in 0..values {
            starts[value + 1] += starts[value];
        }
        let mut next = starts.clone();
        let mut stories = vec![0; docs.len()];
        for &(doc, value) in docs {
            stories[next[value as usize]] = groups[doc as usize];
            next[value as usize] += 1;
        }
        self.mark.resize(groups.len(), NONE);
        for (value, count) in counts.iter_mut().enumerate() {
            for &story in &stories[starts[value]..starts[value + 1]] {
                if std::mem::replace(&mut self.mark[story as usize], value as u32) != value as u32 {
                    *count += 1;
                }
            }
        }
        stories.iter().for_each(|&story| self.mark[story as usize] = NONE);
        counts
    }

    /// How many stories `docs` (each listed once) belong to.
    pub fn distinct(&mut self, groups: &[DocId], docs: impl Iterator<Item = DocId> + Clone) -> usize {
        if groups.is_empty() {
            return docs.count();
        }
        self.mark.resize(groups.len(), NONE);
        let first = |doc: DocId| groups[doc as usize] as usize;
        let found = docs.clone().filter(|&doc| std::mem::replace(&mut self.mark[first(doc)], 0) == NONE).count();
        docs.for_each(|doc| self.mark[first(doc)] = NONE);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// Stories of up to four documents in a row: document `d`'s story starts at `d - d % size`.
    fn groups(documents: usize, size: usize) -> Vec<DocId> {
        (0..documents as DocId).map(|d| d - d % size as DocId).collect()
    }

    proptest! {
        /// Over several calls on one `Stories`, each keeps what a map from
        /// story to its best item keeps: nothing leaks from the call before.
        #[test]
        fn keep_first_keeps_each_storys_best(
            calls in proptest::collection::vec(
                proptest::collection::btree_map(0u32..40, 0u8..5, 0..40), 1..4),
            size in 1usize..5,
        ) {
            let groups = groups(40, size);
            let mut stories = Stories::default();
            for scores in calls {
                // Higher scores first, then lower documents.
                let order = |a: &(DocId, u8), b: &(DocId, u8)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
                let mut best: BTreeMap<DocId, (DocId, u8)> = BTreeMap::new();
                for (&doc, &score) in &scores {
                    let entry = best.entry(groups[doc as usize]).or_insert((doc, score));
                    if order(&(doc, score), entry) == Ordering::Less {
                        *entry = (doc, score);
                    }
                }
                let mut items: Vec<(DocId, u8)> = scores.into_iter().collect();
                stories.keep_first(&groups, &mut items, |&(doc, _)| doc, order);
                items.sort();
                let expected: BTreeSet<(DocId, u8)> = best.into_values().collect();
                prop_assert_eq!(items, expected.into_iter().collect::<Vec<_>>());
            }
        }

        /// Counts per value are the distinct (story, value) pairs, call after call.
        #[test]
        fn count_counts_each_story_once_per_value(
            calls in proptest::collection::vec(
                proptest::collection::btree_map(0u32..40, 0u32..4, 0..40), 1..4),
            size in 1usize..5,
        ) {
            let groups = groups(40, size);
            let mut stories = Stories::default();
            for docs in calls {
                let docs: Vec<(DocId, u32)> = docs.into_iter().collect();
                let pairs: BTreeSet<(u32, DocId)> = docs.iter().map(|&(d, v)| (v, groups[d as usize])).collect();
                let expected: Vec<usize> = (0..4).map(|v| pairs.iter().filter(|p| p.0 == v).count()).collect();
                prop_assert_eq!(stories.count(&groups, &docs, 4), expected);
                let all: BTreeSet<DocId> = docs.iter().map(|&(d, _)| groups[d as usize]).collect();
                prop_assert_eq!(stories.distinct(&groups, docs.iter().map(|&(d, _)| d)), all.len());
            }
        }
    }

    #[test]
    fn without_translations_every_document_is_a_story() {
        let mut stories = Stories::default();
        let mut items = vec![3, 1, 2];
        stories.keep_first(&[], &mut items, |&d| d, |a, b| a.cmp(b));
        assert_eq!(items, [3, 1, 2]);
        assert_eq!(stories.count(&[], &[(0, 1), (1, 1), (2, 0)], 2), [1, 2]);
        assert_eq!(stories.distinct(&[], [0, 1, 2].into_iter()), 3);
    }
}
