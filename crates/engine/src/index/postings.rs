//! Postings: for each term, the documents that contain it and how much it
//! weighs in each, read by byte range as queries need them.
//!
//! A list is its length, its document numbers as deltas from the previous
//! one (the first from 0), as varints, then an impact byte per document. The impact byte carries
//! whether the term is in the title (bit 0) and the term's BM25F weight in
//! the document (bits 1–5, see [`Impact`]), computed at build time, so a
//! query needs no per-document lengths: only the idf, known from the list's
//! length, is applied when searching. Long lists are deflated: hosts send
//! ranges as they are stored, uncompressed, and the lists of common words
//! are what a query mostly reads.
//!
//! Lists lie one after another, in term order, in a few large files; a
//! dictionary shard gives each term's list length, so the reader asks for
//! exactly the lists a query needs with HTTP range requests, and a
//! prefix's completions, adjacent in key order, come in one range.
//! Each list is framed with its own checksum (see [`list_frame`](super::list_frame)):
//! a range cannot be checked against its file's hash.

use super::list_frame::{frame, put_varint, unframe, Varints};
use super::{DocId, IndexError};

/// The largest BM25F term weight: `tf (k1 + 1) / (tf + k1)` tends to
/// `k1 + 1` as the term frequency grows.
pub const MAX_WEIGHT: f32 = 2.2;
/// Weight levels: 31 rank the eval's queries exactly as 127 did, and the
/// lists of common words deflate 10 % smaller.
const LEVELS: f32 = 31.0;

/// A term's weight in one document, quantised to 5 bits, and whether the
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

/// Appends the encoding of `list` (sorted by doc, no duplicates) to `out`:
/// its length, the document deltas and the impact bytes, framed.
pub fn encode_list(list: &[Posting], out: &mut Vec<u8>) {
    let mut body = Vec::with_capacity(list.len() * 3 + 2);
    put_varint(&mut body, list.len() as u32);
    let mut previous = 0;
    for posting in list {
        put_varint(&mut body, posting.doc - previous);
        previous = posting.doc;
    }
    body.extend(list.iter().map(|p| p.impact.0));
    frame(body, out);
}

/// Decodes the list of `term` from its bytes, exactly as [`encode_list`]
/// wrote them; `documents` bounds the doc ids.
pub fn decode_list(bytes: &[u8], term: u64, documents: u32) -> Result<Vec<Posting>, IndexError> {
    // A list holds each document at most once: 5 varint bytes and an impact.
    let limit = (documents as usize).saturating_mul(6).saturating_add(16);
    let plain = unframe(bytes, limit).map_err(|e| corrupt(term, e))?;
    let mut read = Varints(&plain);
    let count = read.next().map_err(|e| corrupt(term, e))? as usize;
    if count > documents as usize {
        return Err(corrupt(term, "more documents than the segment's"));
    }
    let mut doc: u32 = 0;
    let mut list = Vec::with_capacity(count);
    for i in 0..count {
        let delta = read.next().map_err(|e| corrupt(term, e))?;
        doc = match doc.checked_add(delta) {
            Some(next) if next < documents && (i == 0 || delta > 0) => next,
            _ => return Err(corrupt(term, "document id out of order or out of range")),
        };
        list.push(Posting { doc, impact: Impact(0) });
    }
    let impacts = read.rest();
    if impacts.len() != count {
        return Err(corrupt(term, "its documents and impacts do not pair up"));
    }
    list.iter_mut().zip(impacts).for_each(|(posting, &impact)| posting.impact = Impact(impact));
    Ok(list)
}

fn corrupt(term: u64, detail: impl std::fmt::Display) -> IndexError {
    IndexError::Corrupt { part: "postings".into(), detail: format!("list of term {term}: {detail}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Long enough, some of them, to be deflated.
    fn lists() -> impl Strategy<Value = Vec<Posting>> {
        proptest::collection::btree_map(0u32..10_000, 0u8..8, 0..200)
            .prop_map(|m| m.into_iter().map(|(doc, impact)| Posting { doc, impact: Impact(impact) }).collect())
    }

    fn encoded(list: &[Posting]) -> Vec<u8> {
        let mut bytes = Vec::new();
        encode_list(list, &mut bytes);
        bytes
    }

    proptest! {
        #![proptest_config(crate::index::list_frame::tests::damage_cases())]
        #[test]
        fn lists_round_trip(list in lists(), term in 0u64..1000) {
            prop_assert_eq!(decode_list(&encoded(&list), term, 10_000)?, list);
        }

        #[test]
        fn any_damage_is_an_error(list in lists(), at: proptest::sample::Index, flip in 1u8..=255) {
            let mut bytes = encoded(&list);
            let at = at.index(bytes.len());
            bytes[at] ^= flip;
            prop_assert!(decode_list(&bytes, 0, 10_000).is_err());
            prop_assert!(decode_list(&encoded(&list)[..at], 0, 10_000).is_err());
        }

        #[test]
        fn garbage_is_an_error_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode_list(&bytes, 0, 100);
        }

        /// Damage behind a valid checksum reaches the inflater and the list
        /// decoder: an error or a list within bounds, never a panic.
        #[test]
        fn forged_lists_are_errors_not_panics(
            deflated: bool,
            body in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            // Deflate forged records too, so the decoder behind the inflater is reached.
            let body = if deflated { miniz_oxide::deflate::compress_to_vec(&body, 6) } else { body };
            let mut bytes = Vec::new();
            crate::index::list_frame::frame_stored(deflated, &body, &mut bytes);
            prop_assert!(crate::index::list_frame::is_intact(&bytes));
            if let Ok(list) = decode_list(&bytes, 0, 100) {
                prop_assert!(list.iter().all(|p| p.doc < 100));
            }
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
    fn long_lists_are_deflated_and_short_ones_are_not() {
        let list = |n: u32| -> Vec<Posting> {
            (0..n).map(|i| Posting { doc: i * 3, impact: Impact::new(1.0, i % 7 == 0) }).collect()
        };
        let (short, long) = (encoded(&list(3)), encoded(&list(2000)));
        // The header's top bit says "deflated": a short list is stored plain.
        assert!(short.len() <= crate::index::list_frame::SHORT_MAX && short[1] & 0x80 == 0);
        assert_ne!(long[3] & 0x80, 0);
        assert!(long.len() < 1000, "2000 postings took {} bytes", long.len());
        assert_eq!(decode_list(&long, 0, 6000).unwrap(), list(2000));
    }

    #[test]
    fn ids_beyond_the_document_count_are_corrupt() {
        let bytes = encoded(&[Posting { doc: 7, impact: Impact::new(1.0, false) }]);
        assert!(decode_list(&bytes, 0, 7).is_err());
        assert!(decode_list(&bytes, 0, 8).is_ok());
    }
}
