//! The index format, writer and reader side by side.
//!
//! An index is a directory of static files (byte layouts: `docs/format.md`):
//! the [`Manifest`] at a stable name, and hash-named parts in immutable
//! segments, `s<seq>-…`:
//!
//! | file | content | fetched |
//! |---|---|---|
//! | `qidiruv.json` | the [`Manifest`]: format version, counts, segments (their hashes, deletions and what names their parts) | on focus |
//! | `s<seq>-docs.<hash>.bin` | the [`DocTable`]: each document's language and day, for filters and recency, and its slot size | on focus, with the first query's shards |
//! | `s<seq>-dict-<n>.<hash>.bin` | a [`dictionary`] shard: the keys of one key range, as an `fst::Map` | per query word |
//! | `s<seq>-head-<n>.<hash>.bin` | a [`dictionary`] head: a wide prefix's most frequent completions, located | per one- or two-letter query word |
//! | `s<seq>-head-<n>-postings.<hash>.bin` | the [`postings`] lists the head's prefix alone reads, held nowhere else | with its head, and with the heads of its longer prefixes |
//! | `s<seq>-postings-<n>.<hash>.bin` | [`postings`] lists of all terms in key order, each located by its shard | a range per matched term (neighbours merged); a small segment's whole, with its first shards |
//! | `s<seq>-positions-<n>.<hash>.bin` | [`positions`] lists of all terms in key order, likewise | a range per matched term of a quoted phrase, with its postings |
//! | `s<seq>-store-<size>-<n>.<hash>.bin` | [`store`] slots of one size: the title, url, date and text shown for results | a slot's head (card and lede) per shown result; its tail only when the lede lacks the excerpt |
//! | `s<seq>-catalog.<hash>.bin` | the [`catalog`]: each document's id and fingerprint, for the next build | never |
//!
//! A query is answered in three dependent steps after the manifest: the
//! shards (or heads) of its words in every segment (the first query's with
//! the document tables), then the postings of the terms they matched (and
//! the positions of a quoted phrase's), then the store slots of the hits
//! shown (see [`crate::Step`]). A word answered by a head skips the second:
//! its postings come with the head, in the head's own postings file.
//!
//! The dictionary holds two kinds of key: word keys (see [`crate::analysis`])
//! as they are, and stem keys followed by the byte [`STEM_MARK`], which no
//! word key holds. A stem key sorts among the words it comes from, so the
//! shard of a word usually holds its stem too: one shard per query word,
//! not two. Prefix and typo searches over words skip the marked keys.
//!
//! `<hash>` is the segment's: the xxh3-64 of all its parts' bytes, in hex
//! ([`part`]). A segment never changes, so a part's name changes whenever
//! its content does, and hosts can cache parts forever; the manifest names
//! a segment's parts by that one hash. Every part ends with a seal (a
//! checksum seeded by its segment and stem) by which the reader detects a
//! corrupted, truncated or misplaced part; a part read by range (postings
//! and positions lists, store slots) carries a checksum per list or slot
//! as well. The binary parts are `postcard` encodings of the types in this
//! module.

mod builder;
pub mod catalog;
pub mod dictionary;
mod dictionary_writer;
mod doc_table;
mod error;
mod fst_checksum;
pub(crate) mod list_frame;
mod manifest;
pub(crate) mod part;
pub mod positions;
pub mod postings;
pub(crate) mod reads;
mod scratch;
mod spill;
mod spool;
pub mod store;

pub(crate) use builder::slot_seed;
pub use builder::{BuiltIndex, Document, IndexBuilder, Prior};
pub use doc_table::{DocInfo, DocTable};
pub use error::IndexError;
pub use manifest::{Layout, StoreLayout};
pub use manifest::{Manifest, Parts, Segment, StoreClass, FORMAT_NAME, FORMAT_VERSION, MANIFEST_NAME};
pub use part::{is_segment_hash, part_name, seal, unseal, SEAL_BYTES};
pub use spill::DEFAULT_BUDGET as DEFAULT_POSTINGS_BUDGET;
pub use store::{StoredDoc, Translation};

/// A document's number: within a segment, by language, then slot class,
/// then input order; in the index, after every earlier segment's documents.
pub type DocId = u32;

/// The last byte of every stem key in the dictionary.
pub const STEM_MARK: char = '\u{1}';

/// The dictionary key of a stem.
pub fn stem_key(mut stem: String) -> String {
    stem.push(STEM_MARK);
    stem
}

/// Whether a dictionary key is a stem key.
pub fn is_stem_key(key: &str) -> bool {
    key.ends_with(STEM_MARK)
}
