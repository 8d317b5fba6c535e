//! Word positions: for each term, where it stands in each document of its
//! postings list, so a quoted phrase is checked in the index rather than
//! against stored text, and counts exactly.
//!
//! A document's words are numbered from 0 through its title, then, one
//! number left out so no phrase spans the two, through its body. A term's
//! positions list follows its postings list document by document: per
//! document, how many positions, the first, then the gaps to the next.
//! Lists lie in term order in their own files (a word query never reads
//! them), those numbers as LEB128 varints, framed as postings lists are
//! (see [`list_frame`](super::list_frame)).

use super::list_frame::{frame, put_varint, unframe, Varints};
use super::IndexError;

/// What a positions list may inflate to: far beyond any real list (the
/// commonest word of 100,000 articles takes a few megabytes), far below
/// what would exhaust a browser tab.
const MAX_PLAIN_BYTES: usize = 64 << 20;

/// The position of body word `i` of a document whose title has `title_words`.
pub fn body_position(title_words: u32, i: u32) -> u32 {
    title_words + 1 + i
}

/// A term's positions in each document of its postings list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Positions {
    /// Where each document's positions start in `all`, and where the last end.
    starts: Vec<usize>,
    all: Vec<u32>,
}

impl Positions {
    /// The positions of the list's `i`th document, ascending.
    pub fn of(&self, i: usize) -> &[u32] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&start), Some(&end)) => &self.all[start..end],
            _ => &[],
        }
    }

    /// Documents in the list.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Appends the positions list of a term whose documents' positions (each
/// ascending, none empty) are `docs`, in postings order.
pub fn encode_positions<'a>(docs: impl IntoIterator<Item = &'a [u32]>, out: &mut Vec<u8>) {
    let mut numbers = Vec::new();
    for positions in docs {
        numbers.push(positions.len() as u32);
        let mut previous = 0;
        for (i, &p) in positions.iter().enumerate() {
            numbers.push(if i == 0 { p } else { p - previous });
            previous = p;
        }
    }
    let mut body = Vec::with_capacity(numbers.len() + numbers.len() / 4);
    numbers.into_iter().for_each(|n| put_varint(&mut body, n));
    frame(body, out);
}

/// Decodes the positions list of `term`, whose postings list holds `docs`
/// documents, exactly as [`encode_positions`] wrote it.
pub fn decode_positions(bytes: &[u8], term: u64, docs: usize) -> Result<Positions, IndexError> {
    let corrupt = |detail: &str| IndexError::Corrupt {
        part: "positions".into(),
        detail: format!("positions of term {term}: {detail}"),
    };
    let plain = unframe(bytes, MAX_PLAIN_BYTES).map_err(|e| corrupt(&e))?;
    let mut positions = Positions { starts: Vec::with_capacity(docs + 1), all: Vec::with_capacity(plain.len()) };
    let mut numbers = Varints(&plain);
    let mut next = || numbers.next();
    for _ in 0..docs {
        positions.starts.push(positions.all.len());
        let count = next().map_err(corrupt)?;
        if count == 0 {
            return Err(corrupt("a document without positions"));
        }
        let mut at = 0u32;
        for i in 0..count {
            let step = next().map_err(corrupt)?;
            at = match at.checked_add(step) {
                Some(next) if i == 0 || step > 0 => next,
                _ => return Err(corrupt("positions out of order")),
            };
            positions.all.push(at);
        }
    }
    positions.starts.push(positions.all.len());
    if !numbers.rest().is_empty() {
        return Err(corrupt("more documents than its postings list"));
    }
    Ok(positions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lists() -> impl Strategy<Value = Vec<Vec<u32>>> {
        let doc = proptest::collection::btree_set(0u32..5000, 1..40).prop_map(|s| s.into_iter().collect());
        proptest::collection::vec(doc, 0..60)
    }

    fn encoded(docs: &[Vec<u32>]) -> Vec<u8> {
        let mut bytes = Vec::new();
        encode_positions(docs.iter().map(Vec::as_slice), &mut bytes);
        bytes
    }

    proptest! {
        #![proptest_config(crate::index::list_frame::tests::damage_cases())]
        #[test]
        fn positions_round_trip(docs in lists()) {
            let decoded = decode_positions(&encoded(&docs), 0, docs.len())?;
            prop_assert_eq!(decoded.len(), docs.len());
            for (i, doc) in docs.iter().enumerate() {
                prop_assert_eq!(decoded.of(i), doc.as_slice());
            }
        }

        /// A list read for another list's documents, or damaged, is an error.
        #[test]
        fn damage_or_a_wrong_count_is_an_error(docs in lists(), at: proptest::sample::Index, flip in 1u8..=255) {
            let bytes = encoded(&docs);
            prop_assert!(decode_positions(&bytes, 0, docs.len() + 1).is_err());
            if !docs.is_empty() {
                prop_assert!(decode_positions(&bytes, 0, docs.len() - 1).is_err());
            }
            let mut damaged = bytes.clone();
            let at = at.index(damaged.len());
            damaged[at] ^= flip;
            prop_assert!(decode_positions(&damaged, 0, docs.len()).is_err());
        }

        /// Forged bodies behind a valid checksum are errors, never panics.
        #[test]
        fn forged_lists_are_errors_not_panics(body in proptest::collection::vec(any::<u8>(), 0..80), docs in 0usize..10) {
            let mut bytes = Vec::new();
            crate::index::list_frame::frame_stored(false, &body, &mut bytes);
            if let Ok(positions) = decode_positions(&bytes, 0, docs) {
                prop_assert_eq!(positions.len(), docs);
                for i in 0..docs {
                    prop_assert!(positions.of(i).windows(2).all(|w| w[0] < w[1]));
                }
            }
        }
    }

    #[test]
    fn no_phrase_spans_title_and_body() {
        assert_eq!(body_position(3, 0), 4);
        assert_eq!(body_position(0, 0), 1);
    }
}
