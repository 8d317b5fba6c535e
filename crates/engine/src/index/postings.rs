//! Postings: for each term, the documents that contain it and how much it
//! weighs in each, read by byte range as queries need them.
//!
//! A list is the postcard encoding of `(doc deltas, impacts)`; deltas are
//! from the previous document (the first from 0). The impact byte carries
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
//! Each list is `[checksum: u32 LE][codec: u8][body]`, the body plain or
//! deflated (see [`Codec`]). A range cannot be checked against its file's
//! hash, so the checksum (low 32 bits of xxh3 over codec and body) catches
//! a damaged list.

use super::part::xxh3_64;
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

/// Bytes before each list's codec byte: its checksum.
const CHECKSUM_BYTES: usize = 4;
/// Lists shorter than this are stored plain: deflate saves nothing on them.
const DEFLATE_MIN_BYTES: usize = 128;
/// Level 9 gains under 1 % over 6 on postings.
const DEFLATE_LEVEL: u8 = 6;

/// How a list's body is stored.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Codec {
    Plain = 0,
    Deflate = 1,
}

/// Appends the encoding of `list` (sorted by doc, no duplicates) to `out`.
pub fn encode_list(list: &[Posting], out: &mut Vec<u8>) {
    let mut previous = 0;
    let deltas: Vec<u32> = list
        .iter()
        .map(|p| {
            let delta = p.doc - previous;
            previous = p.doc;
            delta
        })
        .collect();
    let impacts: Vec<u8> = list.iter().map(|p| p.impact.0).collect();
    encode_framed(super::part::encode(&(deltas, impacts)), out);
}

/// Appends `plain` framed as a list is stored: its checksum, its codec,
/// and itself, deflated when that pays.
pub(super) fn encode_framed(plain: Vec<u8>, out: &mut Vec<u8>) {
    let deflated = (plain.len() >= DEFLATE_MIN_BYTES)
        .then(|| miniz_oxide::deflate::compress_to_vec(&plain, DEFLATE_LEVEL))
        .filter(|deflated| deflated.len() < plain.len());
    let (codec, body) = match deflated {
        Some(deflated) => (Codec::Deflate, deflated),
        None => (Codec::Plain, plain),
    };
    let mut stored = Vec::with_capacity(1 + body.len());
    stored.push(codec as u8);
    stored.extend(body);
    out.extend_from_slice(&checksum(&stored).to_le_bytes());
    out.extend(stored);
}

/// The plain bytes of a framed list, checked; a deflated body inflates to
/// at most `limit` bytes.
pub(super) fn decode_framed(bytes: &[u8], limit: usize) -> Result<std::borrow::Cow<'_, [u8]>, String> {
    let (sum, stored) = bytes.split_at_checked(CHECKSUM_BYTES).ok_or("cut short")?;
    if sum != checksum(stored).to_le_bytes() {
        return Err("checksum mismatch".into());
    }
    match stored.split_first() {
        Some((&codec, body)) if codec == Codec::Plain as u8 => Ok(body.into()),
        Some((&codec, body)) if codec == Codec::Deflate as u8 => {
            let inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(body, limit)
                .map_err(|e| format!("cannot inflate: {e}"))?;
            Ok(inflated.into())
        }
        _ => Err("unknown codec".into()),
    }
}

fn checksum(bytes: &[u8]) -> u32 {
    xxh3_64(bytes) as u32
}

/// Whether `bytes` hold one list whose checksum matches: what a reader
/// checks before keeping a range it fetched.
pub fn is_intact(bytes: &[u8]) -> bool {
    bytes.split_at_checked(CHECKSUM_BYTES).is_some_and(|(sum, stored)| sum == checksum(stored).to_le_bytes())
}

/// Decodes the list of `term` from its bytes, exactly as [`encode_list`]
/// wrote them; `documents` bounds the doc ids.
pub fn decode_list(bytes: &[u8], term: u64, documents: u32) -> Result<Vec<Posting>, IndexError> {
    // A list holds each document at most once: 5 varint bytes and an impact.
    let limit = (documents as usize).saturating_mul(6).saturating_add(16);
    let plain = decode_framed(bytes, limit).map_err(|e| corrupt(term, e))?;
    let ((deltas, impacts), rest) =
        postcard::take_from_bytes::<(Vec<u32>, Vec<u8>)>(&plain).map_err(|e| corrupt(term, e))?;
    if !rest.is_empty() || deltas.len() != impacts.len() {
        return Err(corrupt(term, "its documents and impacts do not pair up"));
    }
    let mut doc: u32 = 0;
    let mut list = Vec::with_capacity(deltas.len());
    for (i, (delta, impact)) in deltas.into_iter().zip(impacts).enumerate() {
        doc = match doc.checked_add(delta) {
            Some(next) if next < documents && (i == 0 || delta > 0) => next,
            _ => return Err(corrupt(term, "document id out of order or out of range")),
        };
        list.push(Posting { doc, impact: Impact(impact) });
    }
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
            codec in 0u8..3,
            body in proptest::collection::vec(any::<u8>(), 0..200),
            plain in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            // Deflate of damaged records too, so the decoder behind the inflater is reached.
            let body = if codec == 1 && body.len() % 2 == 0 { miniz_oxide::deflate::compress_to_vec(&plain, 6) } else { body };
            let mut stored = vec![codec];
            stored.extend(body);
            let mut bytes = checksum(&stored).to_le_bytes().to_vec();
            bytes.extend(stored);
            prop_assert!(is_intact(&bytes));
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
        assert_eq!(short[CHECKSUM_BYTES], Codec::Plain as u8);
        assert_eq!(long[CHECKSUM_BYTES], Codec::Deflate as u8);
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
