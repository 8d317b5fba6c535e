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
//! A slot holds `[head checksum: u32 LE][tail checksum: u32 LE][length:
//! u16 LE][deflate of the postcard StoredDoc][zero padding]`. Its first
//! [`HEAD_BYTES`] are its head: the card (title, link, date, translations)
//! and the start of the text, the lede, which holds a shown excerpt most
//! of the time. A reader fetches the head, and the rest of the slot (its
//! tail) only when the lede lacks a query word: a range cannot be checked
//! against the file's hash, so each has its own checksum (low 32 bits of
//! xxh3, seeded by the segment and the document's number), which catches
//! a damaged range and a slot of another document or another build. A
//! document too large for the largest slot keeps the start of its text.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::IndexError;

/// Stored body text is cut to this many bytes before it is fitted into a
/// slot: a 5 MB export bug must not slow the build down.
pub const MAX_STORED_TEXT_BYTES: usize = 32 * 1024;
/// Store files stay below this size (some hosts refuse files over 25 MiB).
pub const MAX_STORE_FILE_BYTES: usize = 16 << 20;
pub const SLOT_HEADER_BYTES: usize = 10;
const MIN_SLOT_BYTES: usize = 512;
/// A slot's head: what a result is first shown from. 512 bytes hold the
/// card and, deflated, the first 600 to 1,000 bytes of text, where most
/// excerpts end; and the smallest slots whole.
pub const HEAD_BYTES: usize = MIN_SLOT_BYTES;
const MAX_SLOT_BYTES: usize = 64 * 1024;
/// Level 9 saves under 1 % over 6 on these records, at twice the build time.
const DEFLATE_LEVEL: u8 = 6;

/// A result's display data. Text only: the widget never parses it as HTML.
/// Read back as a [`Card`], then its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredDoc {
    pub id: String,
    /// Validated at build time: empty, site-relative (`/…`) or http(s).
    pub url: String,
    pub title: String,
    pub lang: String,
    /// `YYYY-MM-DD`, or `None` when undated.
    pub date: Option<String>,
    /// The same story in other languages, by language tag.
    pub translations: Vec<Translation>,
    /// The body with white space collapsed, cut to fit the slot. Last, so
    /// that a slot's head holds everything but the end of it.
    pub text: String,
}

/// A [`StoredDoc`] but its text, as a record's start decodes.
#[derive(Deserialize)]
struct Card {
    id: String,
    url: String,
    title: String,
    lang: String,
    date: Option<String>,
    translations: Vec<Translation>,
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

/// A record inflates to at most this many bytes.
const MAX_RECORD_BYTES: usize = MAX_STORED_TEXT_BYTES * 4;

/// Inflates a [`compress`]ed record.
pub fn decompress(payload: &[u8]) -> Result<StoredDoc, String> {
    let (record, whole) = inflate(payload)?;
    match decode_start(&record) {
        Some((doc, true)) if whole => Ok(doc),
        _ => Err("not a whole record".to_string()),
    }
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
    let tail = payload.get(HEAD_BYTES - SLOT_HEADER_BYTES..).unwrap_or_default();
    let mut slot = Vec::with_capacity(slot_bytes);
    slot.extend_from_slice(&[0; 4]);
    slot.extend_from_slice(&checksum(tail, seed).to_le_bytes());
    slot.extend_from_slice(&(payload.len() as u16).to_le_bytes());
    slot.extend_from_slice(&payload);
    let head = checksum(&slot[4..slot.len().min(HEAD_BYTES)], seed);
    slot[..4].copy_from_slice(&head.to_le_bytes());
    slot.resize(slot_bytes, 0);
    slot
}

fn checksum(bytes: &[u8], seed: u64) -> u32 {
    xxh3_64_with_seed(bytes, seed) as u32
}

/// A slot as far as it is loaded: its head, and its tail once that is too.
#[derive(Clone, Debug)]
pub struct LoadedSlot {
    /// The document, its text cut after the last whole word the head holds
    /// until the tail is added; `None` while the head holds less than its card.
    doc: Option<StoredDoc>,
    /// Where the tail lies in the slot; empty once there is none to load.
    tail: Range<usize>,
    tail_checksum: u32,
    /// The head's part of the payload, kept until the tail completes it.
    payload: Vec<u8>,
}

impl LoadedSlot {
    /// The document as far as it is loaded (see [`LoadedSlot::is_whole`]).
    pub fn doc(&self) -> Option<&StoredDoc> {
        self.doc.as_ref()
    }

    /// Whether the whole document is loaded.
    pub fn is_whole(&self) -> bool {
        self.tail.is_empty()
    }

    /// Where in the slot the rest of the document lies (empty when whole).
    pub fn tail(&self) -> Range<usize> {
        self.tail.clone()
    }

    /// Completes the document with `tail`, the slot's bytes at [`LoadedSlot::tail`].
    pub fn add_tail(&mut self, tail: &[u8], at: &str, seed: u64) -> Result<(), IndexError> {
        if tail.len() != self.tail.len() || checksum(tail, seed) != self.tail_checksum {
            return Err(corrupt(at, "tail checksum mismatch: the slot is damaged, or of another document or build"));
        }
        let mut payload = std::mem::take(&mut self.payload);
        payload.extend_from_slice(tail);
        self.doc = Some(decompress(&payload).map_err(|detail| corrupt(at, &detail))?);
        self.tail = self.tail.end..self.tail.end;
        Ok(())
    }
}

fn corrupt(at: &str, detail: &str) -> IndexError {
    IndexError::Corrupt { part: at.to_string(), detail: detail.to_string() }
}

/// Decodes the head of a slot written with `seed`: its first
/// [`HEAD_BYTES`], or all of it when smaller. `at` names it in errors.
pub fn decode_head(head: &[u8], at: &str, seed: u64) -> Result<LoadedSlot, IndexError> {
    let (sum, rest) = head.split_first_chunk::<4>().ok_or_else(|| corrupt(at, "slot cut short"))?;
    let (tail_sum, rest) = rest.split_first_chunk::<4>().ok_or_else(|| corrupt(at, "slot cut short"))?;
    let (length, rest) = rest.split_first_chunk::<2>().ok_or_else(|| corrupt(at, "slot cut short"))?;
    let end = SLOT_HEADER_BYTES + usize::from(u16::from_le_bytes(*length));
    if head.len() > HEAD_BYTES || (end > head.len() && head.len() < HEAD_BYTES) {
        return Err(corrupt(at, "not a slot's head"));
    }
    let in_head = end.min(head.len());
    if checksum(&head[4..in_head], seed) != u32::from_le_bytes(*sum) {
        return Err(corrupt(at, "checksum mismatch: the slot is damaged, or of another document or build"));
    }
    if head[in_head..].iter().any(|&byte| byte != 0) {
        return Err(corrupt(at, "damaged padding"));
    }
    let payload = &rest[..in_head - SLOT_HEADER_BYTES];
    let tail_checksum = u32::from_le_bytes(*tail_sum);
    if end <= head.len() {
        let doc = decompress(payload).map_err(|detail| corrupt(at, &detail))?;
        return Ok(LoadedSlot { doc: Some(doc), tail: end..end, tail_checksum, payload: Vec::new() });
    }
    let doc = decode_start(&inflate(payload).map_err(|detail| corrupt(at, &detail))?.0).map(|(doc, _)| doc);
    Ok(LoadedSlot { doc, tail: head.len()..end, tail_checksum, payload: payload.to_vec() })
}

/// Decodes one whole slot written with `seed`; `at` names it in errors.
pub fn decode_slot(slot: &[u8], at: &str, seed: u64) -> Result<StoredDoc, IndexError> {
    Ok(decode_whole(slot, at, seed)?.doc.expect("a whole slot decodes its document"))
}

/// [`decode_slot`], as a [`LoadedSlot`].
pub fn decode_whole(slot: &[u8], at: &str, seed: u64) -> Result<LoadedSlot, IndexError> {
    let mut loaded = decode_head(&slot[..slot.len().min(HEAD_BYTES)], at, seed)?;
    let tail = slot.get(loaded.tail()).ok_or_else(|| corrupt(at, "length past the slot"))?;
    if !loaded.is_whole() {
        loaded.add_tail(tail, at, seed)?;
    }
    if slot[loaded.tail.end.max(HEAD_BYTES).min(slot.len())..].iter().any(|&byte| byte != 0) {
        return Err(corrupt(at, "damaged padding"));
    }
    Ok(loaded)
}

/// What a deflate stream, or its start, inflates to, and whether it ended.
fn inflate(stream: &[u8]) -> Result<(Vec<u8>, bool), String> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags::*, DecompressorOxide};
    use miniz_oxide::inflate::TINFLStatus;
    let mut out = vec![0; 4 * 1024];
    let (mut read, mut written) = (0, 0);
    let mut inflater = DecompressorOxide::new();
    let flags = TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF | TINFL_FLAG_HAS_MORE_INPUT;
    let whole = loop {
        let (status, ate, made) = decompress(&mut inflater, &stream[read..], &mut out, written, flags);
        (read, written) = (read + ate, written + made);
        match status {
            TINFLStatus::Done => break read == stream.len(),
            TINFLStatus::NeedsMoreInput => break false,
            TINFLStatus::HasMoreOutput if out.len() < MAX_RECORD_BYTES => out.resize(out.len() * 2, 0),
            _ => return Err("not a deflate stream".to_string()),
        }
    };
    out.truncate(written);
    Ok((out, whole))
}

/// The document a record's start holds: its card and the whole words of
/// its text that arrived, and whether all of it did; `None` if the card did not.
fn decode_start(record: &[u8]) -> Option<(StoredDoc, bool)> {
    let (card, rest) = postcard::take_from_bytes::<Card>(record).ok()?;
    let (length, rest) = postcard::take_from_bytes::<usize>(rest).unwrap_or((0, &[]));
    let arrived = &rest[..rest.len().min(length)];
    let valid = std::str::from_utf8(arrived).map_or_else(|e| &arrived[..e.valid_up_to()], |_| arrived);
    let text = std::str::from_utf8(valid).unwrap_or_default();
    let whole = text.len() == length;
    // A byte search: `str::rfind` would bring its searcher into the wasm.
    let text = if whole { text } else { &text[..text.bytes().rposition(|b| b == b' ').unwrap_or(0)] };
    let Card { id, url, title, lang, date, translations } = card;
    Some((StoredDoc { id, url, title, lang, date, translations, text: text.to_string() }, whole))
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

    /// A slot of `payload` with valid checksums, whatever the payload is.
    fn forge(payload: &[u8], seed: u64) -> Vec<u8> {
        let mut slot = vec![0; 4];
        slot.extend_from_slice(
            &checksum(payload.get(HEAD_BYTES - SLOT_HEADER_BYTES..).unwrap_or_default(), seed).to_le_bytes(),
        );
        slot.extend_from_slice(&(payload.len() as u16).to_le_bytes());
        slot.extend_from_slice(payload);
        let head = checksum(&slot[4..slot.len().min(HEAD_BYTES)], seed);
        slot[..4].copy_from_slice(&head.to_le_bytes());
        slot
    }

    #[test]
    fn a_head_holds_the_card_and_the_lede() {
        // Words of an article, as varied as prose (repeated text would deflate into the head whole).
        let mut seed = 7u32;
        let text: Vec<String> = (0..600)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                let letters = 2 + (seed >> 16) as usize % 9;
                (0..letters).map(|i| char::from(b'a' + ((seed >> (i * 3)) % 26) as u8)).collect()
            })
            .collect();
        let text = text.join(" ");
        let record = compress(&doc("Talks in Tashkent", &text));
        let slot = encode_slot(&record, slot_bytes_for(record.len() + SLOT_HEADER_BYTES), 7);
        let loaded = decode_head(&slot[..HEAD_BYTES], "test", 7).unwrap();
        assert!(!loaded.is_whole() && loaded.tail() == (HEAD_BYTES..SLOT_HEADER_BYTES + record.len()));
        let lede = loaded.doc().unwrap();
        assert_eq!(lede.title, "Talks in Tashkent");
        assert!(lede.text.len() >= 600 && text.starts_with(&lede.text), "{} bytes of text", lede.text.len());
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

        /// Damage behind valid checksums reaches the inflater and the
        /// record decoder, which must answer with an error too.
        #[test]
        fn forged_slots_are_errors_not_panics(payload in proptest::collection::vec(any::<u8>(), 0..1200), seed: u64) {
            let slot = forge(&payload, seed);
            let _ = decode_slot(&slot, "test", seed);
            let _ = decode_head(&slot[..slot.len().min(HEAD_BYTES)], "test", seed);
        }

        /// Valid deflate of damaged records, behind valid checksums.
        #[test]
        fn forged_records_are_errors_not_panics(record in proptest::collection::vec(any::<u8>(), 0..3000)) {
            let slot = forge(&miniz_oxide::deflate::compress_to_vec(&record, 6), 1);
            let _ = decode_slot(&slot, "test", 1);
            let _ = decode_head(&slot[..slot.len().min(HEAD_BYTES)], "test", 1);
        }

        /// A head shows the card and whole words from the start of the
        /// text; its tail completes the document.
        #[test]
        fn a_head_then_its_tail_give_the_document(title in "\\PC{0,60}", words in proptest::collection::vec("[a-zа-яʻ]{1,12}", 0..600)) {
            let original = doc(&title, &words.join(" "));
            let record = compress(&original);
            let slot = encode_slot(&record, slot_bytes_for(record.len() + SLOT_HEADER_BYTES), 7);
            let mut loaded = decode_head(&slot[..slot.len().min(HEAD_BYTES)], "test", 7)?;
            if let Some(lede) = loaded.doc() {
                prop_assert_eq!(&lede.title, &original.title);
                prop_assert_eq!(&lede.translations, &original.translations);
                prop_assert!(original.text.starts_with(&lede.text));
                prop_assert!(matches!(original.text[lede.text.len()..].chars().next(), None | Some(' ')));
            }
            if !loaded.is_whole() {
                let tail = loaded.tail();
                prop_assert!(decode_head(&slot[..HEAD_BYTES], "test", 8).is_err(), "another document's head");
                let mut damaged = slot[tail.clone()].to_vec();
                damaged[0] ^= 1;
                prop_assert!(loaded.clone().add_tail(&damaged, "test", 7).is_err());
                prop_assert!(loaded.clone().add_tail(&slot[tail.clone()], "test", 8).is_err(), "another document's tail");
                loaded.add_tail(&slot[tail], "test", 7)?;
            }
            prop_assert!(loaded.is_whole());
            prop_assert_eq!(loaded.doc(), Some(&original));
        }
    }
}
