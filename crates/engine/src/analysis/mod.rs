//! Text analysis: from raw article or query text to search terms.
//!
//! Every term keeps the byte span of the word it came from, so excerpts can
//! highlight the original text while matching runs on the folded form.

mod fold;
mod tokenize;

pub use fold::{fold_word, is_apostrophe};
pub use tokenize::{tokenize, Token};

/// Terms longer than this (in bytes) are cut at a character boundary: long
/// runs are glued-together junk, and capping keeps the dictionary lean.
pub const MAX_TERM_BYTES: usize = 64;
