//! The index format, writer and reader side by side.
//!
//! An index is a directory of static files:
//!
//! | file | content |
//! |---|---|
//! | `qidiruv.json` | the [`Manifest`]: format version, counts, and the names of all other parts |
//! | `terms.<hash>.fst` | an `fst::Map` from search key to its postings' byte offset |
//! | `postings.<hash>.bin` | every term's [`postings`] list, concatenated |
//! | `docs.<hash>.bin` | the [`DocTable`]: per-document lengths, date and language, for ranking and filters |
//! | `store-<n>.<hash>.bin` | [`store`] chunks: the title, url, date and text shown for results |
//!
//! The dictionary holds two key spaces: word keys (see [`crate::analysis`])
//! as they are, and stem keys behind the byte [`STEM_MARK`], which no word
//! key starts with, so prefix and fuzzy searches over words never meet a stem.
//!
//! `<hash>` is the xxh3-64 of the file's bytes in hex: a part's name changes
//! exactly when its content does, so hosts can cache parts forever, and the
//! reader detects any corrupted or truncated part by re-hashing it.
//! The binary parts are `postcard` encodings of the types in this module.

mod builder;
mod doc_table;
mod error;
mod manifest;
pub(crate) mod part;
pub mod postings;
pub mod store;

pub use builder::{BuiltIndex, Document, IndexBuilder};
pub use doc_table::{DocStats, DocTable};
pub use error::IndexError;
pub use manifest::{Manifest, Parts, FORMAT_NAME, FORMAT_VERSION, MANIFEST_NAME};
pub use part::{part_name, verify_part};
pub use store::{StoreChunk, StoredDoc, Translation};

/// A document's position in the index (0-based, in input order).
pub type DocId = u32;

/// The first byte of every stem key in the dictionary.
pub const STEM_MARK: char = '\u{1}';

/// The dictionary key of a stem.
pub fn stem_key(stem: String) -> String {
    format!("{STEM_MARK}{stem}")
}
