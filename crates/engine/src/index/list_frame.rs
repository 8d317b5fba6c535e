//! How postings and positions lists are stored, and the varints inside them.
//!
//! A list is read by range, so it cannot be checked against its file's
//! hash: it carries a checksum of its own. A stored list is a header of
//! four bytes, little-endian, then its body, plain or deflated (long lists
//! of common words shrink a lot; hosts send ranges as stored). The
//! header's top bit says the body is deflated; its low 31 bits are the low
//! bits of xxh3 of the body, seeded with that bit, so a flipped bit
//! anywhere fails the check. Most lists are a few bytes long: one header
//! word for both, not a checksum and a codec byte.

use std::borrow::Cow;

use xxhash_rust::xxh3::xxh3_64_with_seed;

const HEADER_BYTES: usize = 4;
const DEFLATED: u32 = 1 << 31;
/// Bodies shorter than this are stored plain: deflate saves nothing on them.
const DEFLATE_MIN_BYTES: usize = 128;
/// Level 9 gains under 1 % over 6 on postings.
const DEFLATE_LEVEL: u8 = 6;

fn header(deflated: bool, body: &[u8]) -> u32 {
    let flag = if deflated { DEFLATED } else { 0 };
    (xxh3_64_with_seed(body, u64::from(flag)) as u32 & !DEFLATED) | flag
}

/// Appends `plain` as a list is stored: header, then body, deflated when that pays.
pub fn frame(plain: Vec<u8>, out: &mut Vec<u8>) {
    let deflated = (plain.len() >= DEFLATE_MIN_BYTES)
        .then(|| miniz_oxide::deflate::compress_to_vec(&plain, DEFLATE_LEVEL))
        .filter(|deflated| deflated.len() < plain.len());
    match deflated {
        Some(deflated) => frame_stored(true, &deflated, out),
        None => frame_stored(false, &plain, out),
    }
}

/// Appends `body`, stored as it is (`deflated` or plain), with its header.
pub(crate) fn frame_stored(deflated: bool, body: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&header(deflated, body).to_le_bytes());
    out.extend_from_slice(body);
}

/// The header and body of a stored list whose checksum matches.
fn checked(bytes: &[u8]) -> Option<(bool, &[u8])> {
    let (head, body) = bytes.split_first_chunk::<HEADER_BYTES>()?;
    let head = u32::from_le_bytes(*head);
    let deflated = head & DEFLATED != 0;
    (header(deflated, body) == head).then_some((deflated, body))
}

/// Whether `bytes` hold one stored list whose checksum matches: what a
/// reader checks before keeping a range it fetched.
pub fn is_intact(bytes: &[u8]) -> bool {
    checked(bytes).is_some()
}

/// The plain body of a stored list, checked; a deflated body inflates to
/// at most `limit` bytes.
pub fn unframe(bytes: &[u8], limit: usize) -> Result<Cow<'_, [u8]>, String> {
    match checked(bytes) {
        None if bytes.len() < HEADER_BYTES => Err("cut short".into()),
        None => Err("checksum mismatch".into()),
        Some((false, body)) => Ok(body.into()),
        Some((true, body)) => miniz_oxide::inflate::decompress_to_vec_with_limit(body, limit)
            .map(Cow::from)
            .map_err(|e| format!("cannot inflate: {e}")),
    }
}

/// Appends `n` as a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads LEB128 varints off the front of a body.
pub struct Varints<'a>(pub &'a [u8]);

impl<'a> Varints<'a> {
    /// The next number; an error at the end, inside a number, or past 2^32.
    pub fn next(&mut self) -> Result<u32, &'static str> {
        let mut n = 0u32;
        for shift in (0..35).step_by(7) {
            let (&byte, rest) = self.0.split_first().ok_or("cut short")?;
            self.0 = rest;
            let bits = u32::from(byte & 0x7f);
            if shift == 28 && bits > 0x0f {
                break;
            }
            n |= bits << shift;
            if byte < 0x80 {
                return Ok(n);
            }
        }
        Err("a number past 2^32")
    }

    /// What is left to read.
    pub fn rest(&self) -> &'a [u8] {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn bodies_round_trip(plain in proptest::collection::vec(0u8..4, 0..400)) {
            let mut stored = Vec::new();
            frame(plain.clone(), &mut stored);
            prop_assert!(is_intact(&stored));
            prop_assert_eq!(unframe(&stored, plain.len()).unwrap().to_vec(), plain);
        }

        #[test]
        fn any_flipped_bit_fails_the_check(plain in proptest::collection::vec(any::<u8>(), 0..300), at: prop::sample::Index, bit in 0u8..8) {
            let mut stored = Vec::new();
            frame(plain, &mut stored);
            let at = at.index(stored.len());
            stored[at] ^= 1 << bit;
            prop_assert!(!is_intact(&stored));
            prop_assert!(unframe(&stored, 1 << 20).is_err());
        }

        #[test]
        fn varints_round_trip(numbers in proptest::collection::vec(any::<u32>(), 0..50)) {
            let mut bytes = Vec::new();
            numbers.iter().for_each(|&n| put_varint(&mut bytes, n));
            let mut read = Varints(&bytes);
            for &n in &numbers {
                prop_assert_eq!(read.next(), Ok(n));
            }
            prop_assert!(read.next().is_err() && read.rest().is_empty());
        }
    }

    #[test]
    fn long_repetitive_bodies_are_deflated_and_short_ones_are_not() {
        let (mut short, mut long) = (Vec::new(), Vec::new());
        frame(vec![7; 100], &mut short);
        frame(vec![7; 4000], &mut long);
        assert_eq!(short.len(), HEADER_BYTES + 100);
        assert!(long.len() < 100 && long[3] & 0x80 != 0, "{} bytes", long.len());
        assert_eq!(unframe(&long, 4000).unwrap().len(), 4000);
        assert!(unframe(&long, 3999).is_err(), "the limit holds");
    }

    #[test]
    fn numbers_past_32_bits_are_errors() {
        assert_eq!(Varints(&[0xff, 0xff, 0xff, 0xff, 0x0f]).next(), Ok(u32::MAX));
        assert!(Varints(&[0xff, 0xff, 0xff, 0xff, 0x1f]).next().is_err());
        assert!(Varints(&[0x80, 0x80]).next().is_err());
    }
}
