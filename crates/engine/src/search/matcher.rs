//! Which words of a result to mark, and which query word each one answers.

use std::collections::HashSet;

use crate::analysis::{stems_of, Token};
use crate::Lang;

/// What one query word matched, as keys to compare document tokens with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WordMatcher {
    /// Word keys: the word, its completions and typo corrections.
    pub keys: HashSet<String>,
    /// Stems a token's key or stems may equal.
    pub stems: HashSet<String>,
    /// The typed prefix, for completions beyond the ones expanded.
    pub prefix: Option<String>,
}

/// The matchers of every query word, in query order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matcher {
    pub words: Vec<WordMatcher>,
}

impl Matcher {
    /// The index of the first query word `token` answers, if any. `lang` is
    /// the document's language, which decides how the token stems.
    pub fn word_of(&self, token: &Token, lang: Option<&Lang>) -> Option<usize> {
        let direct = self.words.iter().position(|w| {
            w.keys.contains(&token.key)
                || w.stems.contains(&token.key)
                || w.prefix.as_ref().is_some_and(|p| token.key.starts_with(p.as_str()))
        });
        direct.or_else(|| {
            if self.words.iter().all(|w| w.stems.is_empty()) {
                return None;
            }
            let stems = stems_of(&token.folded, &token.key, lang);
            self.words.iter().position(|w| stems.iter().any(|s| w.stems.contains(s)))
        })
    }
}
