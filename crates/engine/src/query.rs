//! What the visitor typed, analysed into words.

use crate::analysis::tokenize;

/// Input beyond this many bytes is ignored: a pasted page must not stall a keystroke.
pub const MAX_QUERY_BYTES: usize = 1024;
/// Words beyond this many are ignored, for the same reason.
pub const MAX_QUERY_WORDS: usize = 12;

/// One analysed query word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryWord {
    /// The folded search key.
    pub term: String,
    /// Matches any term starting with `term` (the word being typed).
    pub prefix: bool,
}

/// A parsed query: its words are ANDed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub words: Vec<QueryWord>,
}

impl Query {
    /// Parses typed input. The last word is a prefix unless the input ends
    /// in white space or punctuation: the visitor may still be typing it.
    pub fn parse(input: &str) -> Query {
        let mut cut = input.len().min(MAX_QUERY_BYTES);
        while !input.is_char_boundary(cut) {
            cut -= 1;
        }
        let input = &input[..cut];
        let tokens = tokenize(input);
        let still_typing = tokens.last().is_some_and(|t| t.end == input.len());
        let count = tokens.len();
        let mut words: Vec<QueryWord> = tokens
            .into_iter()
            .enumerate()
            .map(|(i, t)| QueryWord {
                term: t.term,
                prefix: still_typing && i + 1 == count,
            })
            .collect();
        words.truncate(MAX_QUERY_WORDS);
        Query { words }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether a document term matches any query word (for highlighting).
    pub fn matches(&self, term: &str) -> bool {
        self.words.iter().any(|w| w.matches(term))
    }
}

impl QueryWord {
    pub fn matches(&self, term: &str) -> bool {
        if self.prefix {
            term.starts_with(&self.term)
        } else {
            term == self.term
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_word_is_a_prefix_while_typing() {
        let q = Query::parse("Border secur");
        assert_eq!(
            q.words[0],
            QueryWord {
                term: "border".into(),
                prefix: false
            }
        );
        assert_eq!(
            q.words[1],
            QueryWord {
                term: "secur".into(),
                prefix: true
            }
        );
        assert!(!Query::parse("border ").words[0].prefix);
    }

    #[test]
    fn huge_input_is_bounded() {
        let q = Query::parse(&"слово ".repeat(5_000));
        assert_eq!(q.words.len(), MAX_QUERY_WORDS);
        let q = Query::parse(&"ж".repeat(10_000));
        assert_eq!(q.words.len(), 1);
    }

    #[test]
    fn punctuation_only_is_empty() {
        assert!(Query::parse(" ,.!? ❤️ ").is_empty());
    }
}
