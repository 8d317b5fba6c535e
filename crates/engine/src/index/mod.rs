//! The index format, writer and reader side by side.
//!
//! An index is a directory of static files:
//!
//! | file | content |
//! |---|---|
//! | `qidiruv.json` | the [`Manifest`]: format version, counts, and the names of all other parts |
//! | `terms.<hash>.fst` | an `fst::Map` from folded term to its postings' byte offset |
//! | `postings.<hash>.bin` | every term's [`postings`] list, concatenated |
//! | `docs.<hash>.bin` | the [`DocTable`]: per-document lengths, date and language, for ranking and filters |
//! | `store-<n>.<hash>.bin` | [`store`] chunks: the title, url, date and text shown for results |
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
pub use store::{StoreChunk, StoredDoc};

/// A document's position in the index (0-based, in input order).
pub type DocId = u32;
