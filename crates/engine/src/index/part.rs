//! Content-hashed part names.

use super::IndexError;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// xxh3-64 of `bytes`. Seed 0 makes `xxh3_64_with_seed` the plain xxh3-64
/// (the spec defines it so); calling it here too, not `xxh3_64`, keeps one
/// copy of the hash in the wasm, where store slots hash with their seeds.
pub fn xxh3_64(bytes: &[u8]) -> u64 {
    xxh3_64_with_seed(bytes, 0)
}

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
    fn the_hash_is_plain_xxh3() {
        for len in [0, 3, 16, 17, 128, 129, 240, 241, 5000] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            assert_eq!(xxh3_64(&bytes), xxhash_rust::xxh3::xxh3_64(&bytes), "{len} bytes");
        }
    }

    #[test]
    fn names_carry_the_content_hash() {
        let name = part_name("docs", "bin", b"abc");
        assert!(name.starts_with("docs.") && name.ends_with(".bin"));
        assert!(verify_part(&name, b"abc").is_ok());
        assert!(verify_part(&name, b"abd").is_err());
        assert!(verify_part("docs.bin", b"abc").is_err());
    }
}
