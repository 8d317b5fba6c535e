//! The document store: what a result shows, in fixed-size slots fetched by
//! byte range.
//!
//! A result page needs about ten documents scattered over the whole site.
//! Files of many documents would cost a file per shown result; a file per
//! document would cost a hundred thousand files. Fixed-size slots in a few
//! large files give both: the reader computes where a document's slot lies
//! and asks for exactly its bytes with an HTTP range request.
//!
//! Slots come in classes of sizes (see [`slot_bytes_for`]), each document
//! in the smallest that holds it whole: one size for nine in ten articles
//! left two fifths of the average slot empty.
//! Documents are numbered so that each class is a few runs of ids (see
//! [`super::DocTable::slot_runs`]), which is all a reader needs to find a
//! document's slot.
//!
//! A slot holds `[checksum: u32 LE][length: u16 LE][deflate of the postcard
//! StoredDoc][zero padding]`. The checksum (low 32 bits of xxh3 over the
//! compressed bytes, seeded by the segment and the document's number)
//! catches a damaged slot, since a range cannot be checked against the
//! file's hash, and a slot of another document or another build. A document too large for the largest slot keeps
//! the start of its text: excerpts and phrase checks see that much.

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::IndexError;

/// Stored body text is cut to this many bytes before it is fitted into a
/// slot: a 5 MB export bug must not slow the build down.
pub const MAX_STORED_TEXT_BYTES: usize = 32 * 1024;
/// Store files stay below this size (some hosts refuse files over 25 MiB).
pub const MAX_STORE_FILE_BYTES: usize = 16 << 20;
pub const SLOT_HEADER_BYTES: usize = 6;
const MIN_SLOT_BYTES: usize = 512;
const MAX_SLOT_BYTES: usize = 64 * 1024;
/// Level 9 saves under 1 % over 6 on these records, at twice the build time.
const DEFLATE_LEVEL: u8 = 6;

/// A result's display data. Text only: the widget never parses it as HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDoc {
    pub id: String,
    /// Validated at build time: empty, site-relative (`/…`) or http(s).
    pub url: String,
    pub title: String,
    pub lang: String,
    /// `YYYY-MM-DD`, or `None` when undated.
    pub date: Option<String>,
    /// The body with white space collapsed, cut to fit the slot.
    pub text: String,
    /// The same story in other languages, by language tag.
    pub translations: Vec<Translation>,
}

/// Where the same story stands in another language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    pub lang: String,
    pub url: String,
}

/// The slot size for a record of `bytes` (header included): the smallest
/// that holds it on a ladder from 512 bytes, each step a quarter of the
/// size (in whole 512 bytes, at least one), up to [`MAX_SLOT_BYTES`].
/// A finer ladder pads less but costs the document table more: which class
/// each document is in is information it must carry (see the numbering in
/// `builder`), and at 100,000 articles 256-byte steps cost more there than
/// they saved in a first query's slots.
pub fn slot_bytes_for(bytes: usize) -> usize {
    let mut slot = MIN_SLOT_BYTES;
    while slot < bytes && slot < MAX_SLOT_BYTES {
        slot += (slot / 4).max(512) / 512 * 512;
    }
    slot.min(MAX_SLOT_BYTES)
}

/// The compressed record of `doc`, as it would fill a slot.
pub fn compress(doc: &StoredDoc) -> Vec<u8> {
    let record = postcard::to_allocvec(doc).expect("postcard encodes a StoredDoc");
    miniz_oxide::deflate::compress_to_vec(&record, DEFLATE_LEVEL)
}

/// Inflates a [`compress`]ed record.
pub fn decompress(payload: &[u8]) -> Result<StoredDoc, String> {
    let record = miniz_oxide::inflate::decompress_to_vec_with_limit(payload, MAX_STORED_TEXT_BYTES * 4)
        .map_err(|_| "not a deflate stream".to_string())?;
    postcard::from_bytes(&record).map_err(|e| e.to_string())
}

/// The slot for the [`compress`]ed record `compressed`, its text cut (at a
/// word) until it fits.
/// `seed` ties the slot to its document (see `decode_slot`).
pub fn encode_slot(compressed: &[u8], slot_bytes: usize, seed: u64) -> Vec<u8> {
    let mut payload = compressed.to_vec();
    if payload.len() + SLOT_HEADER_BYTES > slot_bytes {
        let mut doc = decompress(compressed).expect("a record this build compressed inflates");
        while payload.len() + SLOT_HEADER_BYTES > slot_bytes {
            let over = payload.len() + SLOT_HEADER_BYTES - slot_bytes;
            // Text goes first, in proportion to the overflow (it compresses
            // about 3:1); then what least identifies the document.
            if !doc.text.is_empty() {
                doc.text = cut(&doc.text, doc.text.len().saturating_sub(over * 3 + 16));
            } else if !doc.translations.is_empty() {
                doc.translations.clear();
            } else if !doc.title.is_empty() {
                doc.title = cut(&doc.title, doc.title.len() / 2);
            } else if !doc.url.is_empty() {
                doc.url.clear();
            } else {
                doc.id = cut(&doc.id, doc.id.len() / 2);
            }
            payload = compress(&doc);
        }
    }
    let mut slot = Vec::with_capacity(slot_bytes);
    slot.extend_from_slice(&(xxh3_64_with_seed(&payload, seed) as u32).to_le_bytes());
    slot.extend_from_slice(&(payload.len() as u16).to_le_bytes());
    slot.extend_from_slice(&payload);
    slot.resize(slot_bytes, 0);
    slot
}

/// Decodes one slot written with `seed`; `at` names it in errors.
pub fn decode_slot(slot: &[u8], at: &str, seed: u64) -> Result<StoredDoc, IndexError> {
    let corrupt = |detail: &str| IndexError::Corrupt { part: at.to_string(), detail: detail.to_string() };
    let (checksum, rest) = slot.split_first_chunk::<4>().ok_or_else(|| corrupt("slot cut short"))?;
    let (length, rest) = rest.split_first_chunk::<2>().ok_or_else(|| corrupt("slot cut short"))?;
    let (payload, padding) = rest
        .split_at_checked(usize::from(u16::from_le_bytes(*length)))
        .ok_or_else(|| corrupt("length past the slot"))?;
    if xxh3_64_with_seed(payload, seed) as u32 != u32::from_le_bytes(*checksum) {
        return Err(corrupt("checksum mismatch: the slot is damaged, or of another document or build"));
    }
    if padding.iter().any(|&byte| byte != 0) {
        return Err(corrupt("damaged padding"));
    }
    decompress(payload).map_err(|detail| corrupt(&detail))
}

/// At most `max` bytes of `text`, ending at a word boundary.
fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    head.rfind(' ').map_or(head, |space| &head[..space]).to_string()
}

/// Collapses white space runs to one space and cuts to the byte limit.
pub fn stored_text(body: &str) -> String {
    let mut text = String::with_capacity(body.len().min(MAX_STORED_TEXT_BYTES));
    for word in body.split_whitespace() {
        if text.len() + word.len() + 1 > MAX_STORED_TEXT_BYTES {
            break;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn doc(title: &str, text: &str) -> StoredDoc {
        StoredDoc {
            id: "d1".into(),
            url: "/a/".into(),
            title: title.into(),
            lang: "ru".into(),
            date: Some("2025-01-02".into()),
            text: text.into(),
            translations: vec![Translation { lang: "en".into(), url: "/en/a/".into() }],
        }
    }

    #[test]
    fn stored_text_collapses_space_and_stays_bounded() {
        assert_eq!(stored_text(" a\u{a0}\u{a0}b\n\nc "), "a b c");
        let huge = "слово ".repeat(100_000);
        let text = stored_text(&huge);
        assert!(text.len() <= MAX_STORED_TEXT_BYTES && text.ends_with("слово"));
    }

    #[test]
    fn a_record_gets_the_smallest_slot_that_holds_it() {
        assert_eq!(slot_bytes_for(0), MIN_SLOT_BYTES);
        assert_eq!(slot_bytes_for(513), 1024);
        assert_eq!(slot_bytes_for(1400), 1536);
        assert_eq!(slot_bytes_for(4096), 4096);
        assert_eq!(slot_bytes_for(4097), 5120);
        assert_eq!(slot_bytes_for(17_000), 20_992);
        assert_eq!(slot_bytes_for(usize::MAX), MAX_SLOT_BYTES);
        // Every size on the ladder is its own slot, and the padding stays under a step.
        for bytes in [600, 3000, 9000, 40_000] {
            let slot = slot_bytes_for(bytes);
            assert_eq!(slot_bytes_for(slot), slot);
            assert!(slot >= bytes && slot - bytes < (slot / 4).max(512), "{bytes} → {slot}");
        }
    }

    #[test]
    fn a_long_document_keeps_the_start_of_its_text() {
        let long = (0..3000).map(|n| format!("слово{n}")).collect::<Vec<_>>().join(" ");
        let slot = encode_slot(&compress(&doc("Заголовок", &long)), 1024, 7);
        assert_eq!(slot.len(), 1024);
        let back = decode_slot(&slot, "test", 7).unwrap();
        assert_eq!(back.title, "Заголовок");
        assert!(
            back.text.starts_with("слово0 слово1 ") && long.starts_with(&back.text) && back.text.len() < long.len()
        );
    }

    #[test]
    fn a_damaged_slot_is_an_error() {
        let mut slot = encode_slot(&compress(&doc("Title", "Some text.")), 512, 7);
        assert!(decode_slot(&slot, "test", 7).is_ok());
        assert!(decode_slot(&slot, "test", 8).is_err(), "another document's or build's slot");
        slot[8] ^= 1;
        assert!(decode_slot(&slot, "test", 7).is_err());
        assert!(decode_slot(&slot[..3], "test", 7).is_err());
    }

    proptest! {
        #[test]
        fn slots_round_trip(title in "\\PC{0,40}", text in "[a-zа-я ]{0,400}") {
            let original = doc(&title, &text);
            let slot = encode_slot(&compress(&original), 1024, 7);
            prop_assert_eq!(decode_slot(&slot, "test", 7)?, original);
        }

        #[test]
        fn garbage_is_an_error_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = decode_slot(&bytes, "test", 7);
        }

        /// Damage behind a valid checksum reaches the inflater and the
        /// record decoder, which must answer with an error too.
        #[test]
        fn forged_slots_are_errors_not_panics(payload in proptest::collection::vec(any::<u8>(), 0..300), seed: u64) {
            let mut slot = (xxh3_64_with_seed(&payload, seed) as u32).to_le_bytes().to_vec();
            slot.extend_from_slice(&(payload.len() as u16).to_le_bytes());
            slot.extend_from_slice(&payload);
            let _ = decode_slot(&slot, "test", seed);
        }

        /// Valid deflate of damaged records, behind a valid checksum.
        #[test]
        fn forged_records_are_errors_not_panics(record in proptest::collection::vec(any::<u8>(), 0..300)) {
            let payload = miniz_oxide::deflate::compress_to_vec(&record, 6);
            let mut slot = (xxh3_64_with_seed(&payload, 1) as u32).to_le_bytes().to_vec();
            slot.extend_from_slice(&(payload.len() as u16).to_le_bytes());
            slot.extend_from_slice(&payload);
            let _ = decode_slot(&slot, "test", 1);
        }
    }
}
