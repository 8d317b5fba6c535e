//! How postings and positions lists are stored, and the varints inside them.
//!
//! A list is read by range, so it cannot be checked against its file's
//! hash: it carries a checksum of its own. Most lists are a few bytes long
//! (a rare word's one document), so the checksum is most of their bytes;
//! a list's length, which its shard gives, picks one of two frames:
//!
//! up to [`SHORT_MAX`] bytes, a header of 16 bits; longer, of 32. Then
//! comes the body, plain or deflated (long lists of common words shrink a
//! lot; hosts send ranges as stored). A header's top bit says the body is
//! deflated; its other bits are the low bits of xxh3 of the body as
//! stored, seeded with the frame and that bit, so a flipped bit anywhere
//! fails the check. Behind a 15-bit checksum, the decoders' own checks
//! (counts, order, ranges) stand guard too.

use std::borrow::Cow;

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The longest list stored in the short frame.
pub(crate) const SHORT_MAX: usize = 64;
const SHORT_HEADER: usize = 2;
const LONG_HEADER: usize = 4;
/// The deflated bit, the top bit of either header, as read into a `u32`.
const LONG_DEFLATED: u32 = 1 << 31;
const SHORT_DEFLATED: u32 = 1 << 15;
/// Bodies shorter than this are stored plain: deflate saves nothing on them.
const DEFLATE_MIN_BYTES: usize = 128;
/// Level 9 gains under 1 % over 6 on postings.
const DEFLATE_LEVEL: u8 = 6;

/// The header of `body` in a frame whose deflated bit is `flag` (the
/// frame's top bit): that bit, and below it the checksum.
fn header(flag: u32, deflated: bool, body: &[u8]) -> u32 {
    let bit = if deflated { flag } else { 0 };
    let seed = u64::from(flag) << 1 | u64::from(deflated);
    (xxh3_64_with_seed(body, seed) as u32 & (flag - 1)) | bit
}

/// Appends `plain` as a list is stored: its frame, then the body, deflated
/// when that pays.
pub fn frame(plain: Vec<u8>, out: &mut Vec<u8>) {
    let deflated = (plain.len() >= DEFLATE_MIN_BYTES)
        .then(|| miniz_oxide::deflate::compress_to_vec(&plain, DEFLATE_LEVEL))
        .filter(|deflated| deflated.len() < plain.len());
    match deflated {
        Some(deflated) => frame_stored(true, &deflated, out),
        None => frame_stored(false, &plain, out),
    }
}

/// Appends `body`, stored as it is (`deflated` or plain), in its frame.
pub(crate) fn frame_stored(deflated: bool, body: &[u8], out: &mut Vec<u8>) {
    if SHORT_HEADER + body.len() <= SHORT_MAX {
        out.extend_from_slice(&(header(SHORT_DEFLATED, deflated, body) as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&header(LONG_DEFLATED, deflated, body).to_le_bytes());
    }
    out.extend_from_slice(body);
}

/// Whether the body is deflated, and the body, of a stored list whose
/// checksum matches.
fn checked(bytes: &[u8]) -> Option<(bool, &[u8])> {
    let (flag, head, body) = if bytes.len() <= SHORT_MAX {
        let (head, body) = bytes.split_first_chunk::<SHORT_HEADER>()?;
        (SHORT_DEFLATED, u32::from(u16::from_le_bytes(*head)), body)
    } else {
        let (head, body) = bytes.split_first_chunk::<LONG_HEADER>()?;
        (LONG_DEFLATED, u32::from_le_bytes(*head), body)
    };
    let deflated = head & flag != 0;
    (header(flag, deflated, body) == head).then_some((deflated, body))
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
        None if bytes.len() < SHORT_HEADER => Err("cut short".into()),
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
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// For properties that damage lists: a short list's 15-bit checksum lets
    /// one damage in 32,768 through, so they run the same cases every time
    /// and that chance is not a flaky test.
    pub(crate) fn damage_cases() -> ProptestConfig {
        ProptestConfig { rng_seed: proptest::test_runner::RngSeed::Fixed(7), ..ProptestConfig::default() }
    }

    proptest! {
        #![proptest_config(damage_cases())]
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
        assert_eq!(short.len(), LONG_HEADER + 100);
        assert!(long.len() < 100 && long[1] & 0x80 != 0, "{} bytes", long.len());
        assert_eq!(unframe(&long, 4000).unwrap().len(), 4000);
        assert!(unframe(&long, 3999).is_err(), "the limit holds");
    }

    #[test]
    fn a_short_list_takes_a_short_frame_and_a_repetitive_one_stays_long() {
        let mut tiny = Vec::new();
        frame(vec![1, 2, 3], &mut tiny);
        assert_eq!(tiny.len(), SHORT_HEADER + 3);
        assert_eq!(unframe(&tiny, 3).unwrap().as_ref(), [1, 2, 3]);
        // 200 zeros deflate to a few bytes: a short frame, deflated.
        let mut zeros = Vec::new();
        frame(vec![0; 200], &mut zeros);
        assert!(zeros.len() <= SHORT_MAX && zeros[1] & 0x80 != 0, "{zeros:?}");
        assert_eq!(unframe(&zeros, 200).unwrap().as_ref(), [0; 200]);
    }

    #[test]
    fn numbers_past_32_bits_are_errors() {
        assert_eq!(Varints(&[0xff, 0xff, 0xff, 0xff, 0x0f]).next(), Ok(u32::MAX));
        assert!(Varints(&[0xff, 0xff, 0xff, 0xff, 0x1f]).next().is_err());
        assert!(Varints(&[0x80, 0x80]).next().is_err());
    }
}
