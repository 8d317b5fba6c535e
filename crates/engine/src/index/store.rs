//! The document store: what a result shows, in chunks fetched on demand.

use serde::{Deserialize, Serialize};

use super::{DocId, IndexError};

/// Stored body text is cut to this many bytes: excerpts come from the start
/// of long articles, and a 5 MB export bug must not reach the browser whole.
pub const MAX_STORED_TEXT_BYTES: usize = 32 * 1024;

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
    /// The body with white space collapsed, cut to [`MAX_STORED_TEXT_BYTES`].
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

/// A run of consecutive documents starting at `first_doc`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreChunk {
    pub first_doc: DocId,
    pub docs: Vec<StoredDoc>,
}

impl StoreChunk {
    /// Decodes and verifies the chunk named `name`.
    pub fn decode(name: &str, bytes: &[u8]) -> Result<StoreChunk, IndexError> {
        super::part::decode(name, bytes)
    }

    /// The stored document `doc`, if this chunk holds it.
    pub fn get(&self, doc: DocId) -> Option<&StoredDoc> {
        self.docs.get(doc.checked_sub(self.first_doc)? as usize)
    }
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

    #[test]
    fn stored_text_collapses_space_and_stays_bounded() {
        assert_eq!(stored_text(" a\u{a0}\u{a0}b\n\nc "), "a b c");
        let huge = "слово ".repeat(100_000);
        let text = stored_text(&huge);
        assert!(text.len() <= MAX_STORED_TEXT_BYTES && text.ends_with("слово"));
    }
}
