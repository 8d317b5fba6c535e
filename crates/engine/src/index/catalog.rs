//! A segment's catalog: each of its documents' id, fingerprint and
//! translation group, in document order. Only the builder reads it: to tell,
//! on the next publish, which input documents are already indexed as they
//! are, which changed, and which were deleted. Browsers never fetch it.
//!
//! On disk: the deflate of the postcard encoding of `Vec<CatalogEntry>`.

use serde::{Deserialize, Serialize};

use super::IndexError;

/// One indexed document as the next build needs to know it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub id: String,
    /// [`super::Document::fingerprint`] of what was indexed.
    pub fingerprint: u64,
    /// The translation group (the document's own id when it has none).
    pub group: String,
}

/// Inflated catalogs are bounded: a few hundred bytes an entry is plenty.
const MAX_INFLATED_BYTES: usize = 1 << 30;

pub fn encode_catalog(entries: &[CatalogEntry]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(&super::part::encode(&entries), 6)
}

/// Decodes the catalog part named `name` of the segment seeded `seed`,
/// checking its seal.
pub fn decode_catalog(name: &str, bytes: &[u8], seed: u64) -> Result<Vec<CatalogEntry>, IndexError> {
    let bytes = super::unseal(name, bytes, seed)?;
    let corrupt = |detail: String| IndexError::Corrupt { part: name.to_string(), detail };
    let plain = miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, MAX_INFLATED_BYTES)
        .map_err(|e| corrupt(format!("cannot inflate: {e:?}")))?;
    postcard::from_bytes(&plain).map_err(|e| corrupt(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn catalogs_round_trip(entries in proptest::collection::vec((".{0,12}", any::<u64>(), ".{0,12}"), 0..40)) {
            let entries: Vec<CatalogEntry> = entries
                .into_iter()
                .map(|(id, fingerprint, group)| CatalogEntry { id, fingerprint, group })
                .collect();
            let name = super::super::part_name(0, "catalog", "0123456789abcdef");
            let sealed = super::super::seal(encode_catalog(&entries), 7, &name);
            prop_assert_eq!(decode_catalog(&name, &sealed, 7).unwrap(), entries);
            prop_assert!(decode_catalog(&name, &sealed, 8).is_err(), "another segment's catalog");
        }

        /// Damaged bytes behind a valid seal (a forged part) are an error, never a panic.
        #[test]
        fn forged_catalogs_are_errors(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let name = super::super::part_name(0, "catalog", "0123456789abcdef");
            let _ = decode_catalog(&name, &super::super::seal(bytes, 7, &name), 7);
        }
    }
}
