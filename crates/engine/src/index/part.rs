//! Content-hashed part names.

use super::IndexError;
use xxhash_rust::xxh3::xxh3_64;

/// The name of a part: `<stem>.<xxh3-64 hex>.<ext>`.
pub fn part_name(stem: &str, ext: &str, bytes: &[u8]) -> String {
    format!("{stem}.{:016x}.{ext}", xxh3_64(bytes))
}

/// Checks that `bytes` hash to the hash in `name`.
pub fn verify_part(name: &str, bytes: &[u8]) -> Result<(), IndexError> {
    if name_hash(name) == Some(xxh3_64(bytes)) {
        Ok(())
    } else {
        Err(IndexError::HashMismatch { part: name.to_string() })
    }
}

/// The content hash a part's name carries.
pub fn name_hash(name: &str) -> Option<u64> {
    name.split('.').rev().nth(1).and_then(|hex| u64::from_str_radix(hex, 16).ok())
}

/// Decodes a verified part with postcard, naming the part on failure.
pub(crate) fn decode<'a, T: serde::Deserialize<'a>>(name: &str, bytes: &'a [u8]) -> Result<T, IndexError> {
    verify_part(name, bytes)?;
    postcard::from_bytes(bytes).map_err(|e| IndexError::Corrupt { part: name.to_string(), detail: e.to_string() })
}

/// Encodes a part; postcard cannot fail on these in-memory types.
pub(crate) fn encode<T: serde::Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).expect("postcard encodes in-memory index types")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        let name = part_name("docs", "bin", b"abc");
        assert!(name.starts_with("docs.") && name.ends_with(".bin"));
        assert!(verify_part(&name, b"abc").is_ok());
        assert!(verify_part(&name, b"abd").is_err());
        assert!(verify_part("docs.bin", b"abc").is_err());
    }
}
