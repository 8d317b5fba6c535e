//! Expanding a query word to the dictionary terms it matches.

use fst::automaton::{Automaton, Str};
use fst::{IntoStreamer, Streamer};

use crate::index::{postings, IndexError};
use crate::query::QueryWord;

/// A prefix expands to at most this many terms, the most frequent first:
/// enough for any real completion, bounded for one-letter prefixes.
const MAX_PREFIX_EXPANSIONS: usize = 48;
/// A completion of a half-typed word ranks below the word itself.
const PREFIX_QUALITY: f32 = 0.7;

/// A dictionary term a query word matched, and how well.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Expansion {
    /// Byte offset of the term's postings list.
    pub offset: u64,
    /// 1 for the word itself, lower for weaker matches.
    pub quality: f32,
}

pub fn expand(
    dictionary: &fst::Map<Vec<u8>>,
    postings_part: &[u8],
    word: &QueryWord,
) -> Result<Vec<Expansion>, IndexError> {
    let mut found: Vec<Expansion> = dictionary
        .get(&word.term)
        .map(|offset| Expansion {
            offset,
            quality: 1.0,
        })
        .into_iter()
        .collect();
    if word.prefix {
        let mut completions = Vec::new();
        let mut stream = dictionary
            .search(Str::new(&word.term).starts_with())
            .into_stream();
        while let Some((term, offset)) = stream.next() {
            if term != word.term.as_bytes() {
                completions.push((postings::list_len(postings_part, offset)?, offset));
            }
        }
        // Most frequent first; ties by position, which is term order.
        completions.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.extend(
            completions
                .into_iter()
                .take(MAX_PREFIX_EXPANSIONS)
                .map(|(_, offset)| Expansion {
                    offset,
                    quality: PREFIX_QUALITY,
                }),
        );
    }
    Ok(found)
}
