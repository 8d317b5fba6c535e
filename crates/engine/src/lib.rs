//! The Qidiruv engine: everything between article text and ranked results.
//!
//! The same code runs in the `qidiruv` CLI (native) and in the browser widget
//! (`wasm32-unknown-unknown`), so it does no I/O: callers hand it bytes.
//!
//! * [`analysis`] turns text into search terms (folding, tokenising).
//! * [`index`] writes and reads the index parts (versioned, content-hashed).
//! * [`query`] parses what the visitor typed.
//! * [`search`] finds and ranks documents; [`excerpt`] cuts the highlighted snippet.

pub mod analysis;
pub mod answer;
pub mod date;
pub mod excerpt;
pub mod index;
pub mod lang;
pub mod query;
pub mod quoted;
pub mod result;
pub mod search;

pub use date::Date;
pub use excerpt::Excerpt;
pub use index::{DocId, Document, IndexBuilder, IndexError, Manifest, StoredDoc};
pub use lang::Lang;
pub use query::Query;
pub use result::{present, Presented, ResultItem};
pub use search::{Facets, Hit, Matcher, PartRequest, SearchOptions, SearchResults, Searcher, Step};
