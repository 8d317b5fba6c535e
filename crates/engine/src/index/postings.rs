//! Postings: for each term, the documents that contain it and how much it
//! weighs in each, in chunks fetched as queries need them.
//!
//! A list is the postcard encoding of `Vec<(doc delta, impact)>`; deltas are
//! from the previous document (the first from 0). The impact byte carries
//! whether the term is in the title (bit 0) and the term's BM25F weight in
//! the document (bits 1–7, see [`Impact`]), computed at build time, so a
//! query needs no per-document lengths: only the idf, known from the list's
//! length, is applied when searching.
//!
//! A chunk holds the lists of consecutive terms (by ordinal, the term's
//! position in key order), so a prefix's completions share few chunks.

use serde::{Deserialize, Serialize};

use super::{DocId, IndexError};

/// The largest BM25F term weight: `tf (k1 + 1) / (tf + k1)` tends to
/// `k1 + 1` as the term frequency grows.
pub const MAX_WEIGHT: f32 = 2.2;
const LEVELS: f32 = 127.0;

/// A term's weight in one document, quantised to 7 bits, and whether the
/// term is in the title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Impact(u8);

impl Impact {
    pub fn new(weight: f32, in_title: bool) -> Impact {
        // Never 0: a document that holds the term must still score.
        let level = (weight / MAX_WEIGHT * LEVELS).round().clamp(1.0, LEVELS) as u8;
        Impact(level << 1 | u8::from(in_title))
    }

    pub fn weight(self) -> f32 {
        f32::from(self.0 >> 1) / LEVELS * MAX_WEIGHT
    }

    pub fn in_title(self) -> bool {
        self.0 & 1 == 1
    }
}

/// One document's occurrence of a term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    pub doc: DocId,
    pub impact: Impact,
}

/// Appends the encoding of `list` (sorted by doc, no duplicates) to `out`.
pub fn encode_list(list: &[Posting], out: &mut Vec<u8>) {
    let mut previous = 0;
    let entries: Vec<(u32, u8)> = list
        .iter()
        .map(|p| {
            let delta = p.doc - previous;
            previous = p.doc;
            (delta, p.impact.0)
        })
        .collect();
    out.extend(super::part::encode(&entries));
}

/// The lists of the terms `first_term ..`, concatenated; `offsets[i]` is
/// where term `first_term + i` starts in `lists`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingsChunk {
    pub first_term: u64,
    pub offsets: Vec<u32>,
    pub lists: Vec<u8>,
}

impl PostingsChunk {
    pub fn holds(&self, term: u64) -> bool {
        term.checked_sub(self.first_term).is_some_and(|i| i < self.offsets.len() as u64)
    }

    /// Decodes the list of `term`; `documents` bounds the doc ids.
    pub fn list(&self, term: u64, documents: u32) -> Result<Vec<Posting>, IndexError> {
        let at = term
            .checked_sub(self.first_term)
            .and_then(|i| self.offsets.get(usize::try_from(i).ok()?))
            .and_then(|&offset| self.lists.get(offset as usize..))
            .ok_or_else(|| corrupt(term, "not in this chunk"))?;
        let (entries, _) = postcard::take_from_bytes::<Vec<(u32, u8)>>(at).map_err(|e| corrupt(term, e))?;
        let mut doc: u32 = 0;
        let mut list = Vec::with_capacity(entries.len());
        for (i, (delta, impact)) in entries.into_iter().enumerate() {
            doc = match doc.checked_add(delta) {
                Some(next) if next < documents && (i == 0 || delta > 0) => next,
                _ => return Err(corrupt(term, "document id out of order or out of range")),
            };
            list.push(Posting { doc, impact: Impact(impact) });
        }
        Ok(list)
    }
}

fn corrupt(term: u64, detail: impl std::fmt::Display) -> IndexError {
    IndexError::Corrupt { part: "postings".into(), detail: format!("list of term {term}: {detail}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lists() -> impl Strategy<Value = Vec<Posting>> {
        proptest::collection::btree_map(0u32..10_000, any::<u8>(), 0..40)
            .prop_map(|m| m.into_iter().map(|(doc, impact)| Posting { doc, impact: Impact(impact) }).collect())
    }

    fn chunk(first_term: u64, lists: &[Vec<Posting>]) -> PostingsChunk {
        let mut chunk = PostingsChunk { first_term, ..Default::default() };
        for list in lists {
            chunk.offsets.push(chunk.lists.len() as u32);
            encode_list(list, &mut chunk.lists);
        }
        chunk
    }

    proptest! {
        #[test]
        fn lists_round_trip(a in lists(), b in lists(), first in 0u64..1000) {
            let chunk = chunk(first, &[a.clone(), b.clone()]);
            prop_assert_eq!(chunk.list(first, 10_000)?, a);
            prop_assert_eq!(chunk.list(first + 1, 10_000)?, b);
            prop_assert!(chunk.list(first + 2, 10_000).is_err());
            prop_assert!(!chunk.holds(first + 2) && chunk.holds(first + 1));
        }

        #[test]
        fn garbage_is_an_error_not_a_panic(
            bytes in proptest::collection::vec(any::<u8>(), 0..64),
            offsets in proptest::collection::vec(any::<u32>(), 0..4),
            term in 0u64..6,
        ) {
            let _ = PostingsChunk { first_term: 1, offsets, lists: bytes }.list(term, 100);
        }

        #[test]
        fn impacts_keep_order_and_the_title_flag(a in 0.0f32..2.2, b in 0.0f32..2.2, title: bool) {
            let (ia, ib) = (Impact::new(a, title), Impact::new(b, !title));
            prop_assert!((ia.weight() - a).abs() <= MAX_WEIGHT / LEVELS);
            prop_assert_eq!(ia.in_title(), title);
            prop_assert_eq!(ib.in_title(), !title);
            if a + 2.0 * MAX_WEIGHT / LEVELS < b {
                prop_assert!(ia.weight() < ib.weight());
            }
            prop_assert!(ia.weight() > 0.0);
        }
    }

    #[test]
    fn ids_beyond_the_document_count_are_corrupt() {
        let chunk = chunk(0, &[vec![Posting { doc: 7, impact: Impact::new(1.0, false) }]]);
        assert!(chunk.list(0, 7).is_err());
        assert!(chunk.list(0, 8).is_ok());
    }
}
