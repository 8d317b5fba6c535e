//! Part names and the checksum every whole part ends with.
//!
//! A segment is immutable, so its parts are named once, together: every
//! part of segment `seq` is `s<seq>-<stem>.<segment hash>.bin`, the hash
//! covering all of the segment's bytes. The manifest then names a segment
//! by one hash instead of a hash per part, and a part's name still changes
//! whenever any byte of its segment does. What a name no longer checks, a
//! whole part checks itself: it ends with a checksum seeded by its segment
//! and its stem (see `docs/format.md`).

use super::IndexError;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Bytes of the checksum a whole part ends with.
pub const SEAL_BYTES: usize = 8;

/// xxh3-64 of `bytes`. Seed 0 makes `xxh3_64_with_seed` the plain xxh3-64
/// (the spec defines it so); calling it here too, not `xxh3_64`, keeps one
/// copy of the hash in the wasm, where store slots hash with their seeds.
pub fn xxh3_64(bytes: &[u8]) -> u64 {
    xxh3_64_with_seed(bytes, 0)
}

/// The name of segment `seq`'s part `stem` in the segment of hash `hash`.
pub fn part_name(seq: u32, stem: &str, hash: &str) -> String {
    format!("s{seq}-{stem}.{hash}.bin")
}

/// A segment hash as names carry it: 16 lowercase hex digits.
pub fn is_segment_hash(hash: &str) -> bool {
    hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The seed of a part's checksum: its segment's `seed` (see
/// [`super::Segment::seed`]) and its name up to the hash, so a part
/// read from another build or in another part's place fails.
fn seal_seed(segment_seed: u64, name: &str) -> u64 {
    let stem = name.split('.').next().unwrap_or(name);
    segment_seed ^ xxh3_64(stem.as_bytes())
}

/// `body` followed by its checksum, as the part `name` (its hash, not yet
/// known when parts are written, does not enter the checksum).
pub fn seal(mut body: Vec<u8>, segment_seed: u64, name: &str) -> Vec<u8> {
    let sum = xxh3_64_with_seed(&body, seal_seed(segment_seed, name));
    body.extend_from_slice(&sum.to_le_bytes());
    body
}

/// The body of a [`seal`]ed part, once its checksum matches.
pub fn unseal<'a>(name: &str, bytes: &'a [u8], segment_seed: u64) -> Result<&'a [u8], IndexError> {
    let mismatch = || IndexError::HashMismatch { part: name.to_string() };
    let (body, sum) = bytes.split_at(bytes.len().checked_sub(SEAL_BYTES).ok_or_else(mismatch)?);
    let expected = xxh3_64_with_seed(body, seal_seed(segment_seed, name));
    if sum == expected.to_le_bytes() {
        Ok(body)
    } else {
        Err(mismatch())
    }
}

/// Decodes an unsealed part with postcard, naming the part on failure.
pub(crate) fn decode<'a, T: serde::Deserialize<'a>>(name: &str, body: &'a [u8]) -> Result<T, IndexError> {
    postcard::from_bytes(body).map_err(|e| IndexError::Corrupt { part: name.to_string(), detail: e.to_string() })
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
    fn a_sealed_part_opens_only_as_itself() {
        let name = part_name(3, "dict-1", "0123456789abcdef");
        let sealed = seal(b"abc".to_vec(), 42, &name);
        assert_eq!(unseal(&name, &sealed, 42).unwrap(), b"abc");
        // Its hash is not sealed in: it is not known when the part is written.
        assert!(unseal(&part_name(3, "dict-1", "fedcba9876543210"), &sealed, 42).is_ok());
        assert!(unseal(&part_name(3, "dict-2", "0123456789abcdef"), &sealed, 42).is_err(), "another part's place");
        assert!(unseal(&part_name(4, "dict-1", "0123456789abcdef"), &sealed, 42).is_err(), "another segment's");
        assert!(unseal(&name, &sealed, 43).is_err(), "another build's");
        let mut damaged = sealed.clone();
        damaged[1] ^= 1;
        assert!(unseal(&name, &damaged, 42).is_err());
        for cut in 0..sealed.len() {
            assert!(unseal(&name, &sealed[..cut], 42).is_err(), "cut to {cut} bytes");
        }
    }

    #[test]
    fn segment_hashes_are_sixteen_lowercase_hex_digits() {
        assert!(is_segment_hash("0123456789abcdef"));
        for bad in ["", "0123456789abcde", "0123456789ABCDEF", "../../etc/passw", "0123456789abcdef0"] {
            assert!(!is_segment_hash(bad), "{bad}");
        }
    }
}
