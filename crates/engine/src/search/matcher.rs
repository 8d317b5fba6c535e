//! Which words of a result to mark, and which query word each one answers.

use rustc_hash::FxHashSet;

use crate::analysis::{stems_of, Token};
use crate::Lang;

/// What one query word matched, as keys to compare document tokens with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WordMatcher {
    /// Word keys: the word, its completions and typo corrections.
    pub keys: FxHashSet<String>,
    /// Stems a token's key or stems may equal.
    pub stems: FxHashSet<String>,
    /// The typed prefix, for completions beyond the ones expanded.
    pub prefix: Option<String>,
}

/// Leading characters a word shares with its stems (Snowball may rewrite
/// the end of a stem, never its start).
const STEM_HEAD_CHARS: usize = 2;

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
            // Stemming every word of an article is the costly part of an
            // excerpt; a stem shares its first letters with its word, so
            // only a word that starts like a wanted stem can stem to it.
            let may_stem = |stem: &String| {
                let head = stem.char_indices().nth(STEM_HEAD_CHARS).map_or(stem.as_str(), |(at, _)| &stem[..at]);
                token.key.starts_with(head)
            };
            if !self.words.iter().any(|w| w.stems.iter().any(may_stem)) {
                return None;
            }
            let stems = stems_of(&token.folded, &token.key, lang);
            self.words.iter().position(|w| stems.iter().any(|s| w.stems.contains(s)))
        })
    }
}
