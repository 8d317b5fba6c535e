//! Postings: for each term, the documents that contain it and how often.
//!
//! A list is the postcard encoding of `Vec<(doc delta, title tf, body tf)>`,
//! all varints; deltas are from the previous document (the first from 0).
//! The postings part is every list concatenated; the term dictionary maps a
//! term to the byte offset of its list.

use super::{DocId, IndexError};

/// One document's occurrences of a term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Posting {
    pub doc: DocId,
    pub title_tf: u32,
    pub body_tf: u32,
}

/// Appends the encoding of `list` (sorted by doc, no duplicates) to `out`.
pub fn encode_list(list: &[Posting], out: &mut Vec<u8>) {
    let mut previous = 0;
    let entries: Vec<(u32, u32, u32)> = list
        .iter()
        .map(|p| {
            let delta = p.doc - previous;
            previous = p.doc;
            (delta, p.title_tf, p.body_tf)
        })
        .collect();
    out.extend(super::part::encode(&entries));
}

/// How many documents the list at `offset` holds, without decoding it.
pub fn list_len(part: &[u8], offset: u64) -> Result<usize, IndexError> {
    let bytes = tail(part, offset)?;
    postcard::take_from_bytes::<u32>(bytes).map(|(len, _)| len as usize).map_err(|e| corrupt(offset, e))
}

/// Decodes the list at `offset`; `documents` bounds the doc ids.
pub fn decode_list(part: &[u8], offset: u64, documents: u32) -> Result<Vec<Posting>, IndexError> {
    let (entries, _) =
        postcard::take_from_bytes::<Vec<(u32, u32, u32)>>(tail(part, offset)?).map_err(|e| corrupt(offset, e))?;
    let mut doc: u32 = 0;
    let mut list = Vec::with_capacity(entries.len());
    for (i, (delta, title_tf, body_tf)) in entries.into_iter().enumerate() {
        doc = match doc.checked_add(delta) {
            Some(next) if next < documents && (i == 0 || delta > 0) => next,
            _ => return Err(corrupt(offset, "document id out of order or out of range")),
        };
        list.push(Posting { doc, title_tf, body_tf });
    }
    Ok(list)
}

fn tail(part: &[u8], offset: u64) -> Result<&[u8], IndexError> {
    usize::try_from(offset)
        .ok()
        .and_then(|at| part.get(at..))
        .ok_or_else(|| corrupt(offset, "offset past the end of the part"))
}

fn corrupt(offset: u64, detail: impl std::fmt::Display) -> IndexError {
    IndexError::Corrupt { part: "postings".into(), detail: format!("list at byte {offset}: {detail}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lists() -> impl Strategy<Value = Vec<Posting>> {
        proptest::collection::btree_map(0u32..10_000, (0u32..5, 0u32..50), 0..40)
            .prop_map(|m| m.into_iter().map(|(doc, (title_tf, body_tf))| Posting { doc, title_tf, body_tf }).collect())
    }

    proptest! {
        #[test]
        fn lists_round_trip(a in lists(), b in lists()) {
            let mut part = Vec::new();
            encode_list(&a, &mut part);
            let second = part.len() as u64;
            encode_list(&b, &mut part);
            prop_assert_eq!(decode_list(&part, 0, 10_000)?, a.clone());
            prop_assert_eq!(decode_list(&part, second, 10_000)?, b.clone());
            prop_assert_eq!(list_len(&part, 0)?, a.len());
        }

        #[test]
        fn garbage_is_an_error_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64), offset in 0u64..80) {
            let _ = decode_list(&bytes, offset, 100);
            let _ = list_len(&bytes, offset);
        }
    }

    #[test]
    fn ids_beyond_the_document_count_are_corrupt() {
        let mut part = Vec::new();
        encode_list(&[Posting { doc: 7, title_tf: 0, body_tf: 1 }], &mut part);
        assert!(decode_list(&part, 0, 7).is_err());
        assert!(decode_list(&part, 99, 8).is_err());
    }
}
