//! Expanding a query word to the dictionary keys it matches, and how well.

use std::collections::HashSet;

use fst::automaton::{Automaton, Levenshtein, Str};
use fst::{IntoStreamer, Streamer};

use crate::analysis::{fold_word, key_of, switch_layout};
use crate::index::{postings, stem_key, IndexError, STEM_MARK};
use crate::query::QueryWord;

/// Match quality, multiplied into the score: exact > stem > prefix > fuzzy.
/// (Transliterated matches are scored per document; see `ranking`.)
pub const EXACT: f32 = 1.0;
pub const STEM: f32 = 0.8;
pub const PREFIX: f32 = 0.7;
/// A word typed in the wrong keyboard layout, once switched.
pub const LAYOUT: f32 = 0.9;
pub const FUZZY_1: f32 = 0.4;
pub const FUZZY_2: f32 = 0.3;

/// A prefix expands to at most this many keys, the most frequent first:
/// enough for any real completion, bounded for one-letter prefixes.
const MAX_PREFIX_EXPANSIONS: usize = 48;
/// Typo expansions kept per word, the most frequent first.
const MAX_FUZZY_EXPANSIONS: usize = 16;
/// Keys a fuzzy prefix search may visit before it stops.
const MAX_FUZZY_PREFIX_SCAN: usize = 4096;

/// A dictionary key a query word matched.
#[derive(Clone, Debug, PartialEq)]
pub struct Expansion {
    /// The key, without the stem mark.
    pub key: String,
    pub is_stem: bool,
    /// Byte offset of the key's postings list.
    pub offset: u64,
    pub quality: f32,
}

/// Everything one query word matched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WordMatch {
    pub expansions: Vec<Expansion>,
    /// Matched only through a typo or a keyboard-layout correction.
    pub corrected: bool,
    /// The word as switched to the other keyboard layout, when that is what matched.
    pub layout: Option<QueryWord>,
}

/// How many typos a word of `chars` characters may carry.
pub fn typo_budget(chars: usize) -> u32 {
    match chars {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

pub fn expand(dictionary: &fst::Map<Vec<u8>>, postings_part: &[u8], word: &QueryWord) -> Result<WordMatch, IndexError> {
    let found = direct(dictionary, postings_part, word, 1.0)?;
    if !found.is_empty() {
        let mut expansions = found;
        expansions.extend(fuzzy(dictionary, postings_part, word, &expansions)?);
        return Ok(WordMatch { expansions, corrected: false, layout: None });
    }
    if let Some(switched) = switched_layout(word) {
        let expansions = direct(dictionary, postings_part, &switched, LAYOUT)?;
        if !expansions.is_empty() {
            return Ok(WordMatch { expansions, corrected: true, layout: Some(switched) });
        }
    }
    let expansions = fuzzy(dictionary, postings_part, word, &[])?;
    let corrected = !expansions.is_empty();
    Ok(WordMatch { expansions, corrected, layout: None })
}

/// Exact key, stems (in both key spaces), and prefix completions.
fn direct(
    dictionary: &fst::Map<Vec<u8>>,
    postings_part: &[u8],
    word: &QueryWord,
    scale: f32,
) -> Result<Vec<Expansion>, IndexError> {
    let mut found = Vec::new();
    let mut add = |key: &str, is_stem: bool, quality: f32| {
        let lookup = if is_stem { stem_key(key.to_string()) } else { key.to_string() };
        if let Some(offset) = dictionary.get(&lookup) {
            if !found.iter().any(|e: &Expansion| e.offset == offset) {
                found.push(Expansion { key: key.to_string(), is_stem, offset, quality: quality * scale });
            }
        }
    };
    add(&word.key, false, EXACT);
    // Articles whose words stem to this word (`toshkent` finds `Toshkentdagi`),
    // and the word's own stems, as stems and as whole words.
    add(&word.key, true, STEM);
    for stem in &word.stems {
        add(stem, true, STEM);
        add(stem, false, STEM);
    }
    if word.prefix {
        let mut completions = Vec::new();
        let mut stream = dictionary.search(Str::new(&word.key).starts_with()).into_stream();
        while let Some((key, offset)) = stream.next() {
            if !found.iter().any(|e| e.offset == offset) {
                completions.push((
                    postings::list_len(postings_part, offset)?,
                    String::from_utf8_lossy(key).into_owned(),
                    offset,
                ));
            }
        }
        found.extend(most_frequent(completions, MAX_PREFIX_EXPANSIONS).map(|(key, offset)| Expansion {
            key,
            is_stem: false,
            offset,
            quality: PREFIX * scale,
        }));
    }
    Ok(found)
}

/// Word keys within the word's typo budget, not already matched directly.
fn fuzzy(
    dictionary: &fst::Map<Vec<u8>>,
    postings_part: &[u8],
    word: &QueryWord,
    known: &[Expansion],
) -> Result<Vec<Expansion>, IndexError> {
    let chars = word.key.chars().count();
    let budget = typo_budget(chars);
    let mut seen: HashSet<u64> = known.iter().map(|e| e.offset).collect();
    let mut found = Vec::new();
    for distance in 1..=budget {
        let Ok(automaton) = Levenshtein::new(&word.key, distance) else {
            break; // Too many states for this word: no typo matching, never a failure.
        };
        let mark = STEM_MARK.to_string();
        let not_stem = Str::new(&mark).starts_with().complement();
        let quality = if distance == 1 { FUZZY_1 } else { FUZZY_2 };
        let mut candidates = Vec::new();
        if word.prefix {
            let mut stream = dictionary.search(automaton.starts_with().intersection(not_stem)).into_stream();
            let mut visited = 0;
            while let Some((key, offset)) = stream.next() {
                visited += 1;
                if visited > MAX_FUZZY_PREFIX_SCAN {
                    break;
                }
                if seen.insert(offset) {
                    candidates.push((
                        postings::list_len(postings_part, offset)?,
                        String::from_utf8_lossy(key).into_owned(),
                        offset,
                    ));
                }
            }
        } else {
            let mut stream = dictionary.search(automaton.intersection(not_stem)).into_stream();
            while let Some((key, offset)) = stream.next() {
                if seen.insert(offset) {
                    candidates.push((
                        postings::list_len(postings_part, offset)?,
                        String::from_utf8_lossy(key).into_owned(),
                        offset,
                    ));
                }
            }
        }
        found.extend(most_frequent(candidates, MAX_FUZZY_EXPANSIONS).map(|(key, offset)| Expansion {
            key,
            is_stem: false,
            offset,
            quality,
        }));
    }
    Ok(found)
}

/// The `limit` most frequent candidates; ties in key order.
fn most_frequent(mut candidates: Vec<(usize, String, u64)>, limit: usize) -> impl Iterator<Item = (String, u64)> {
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    candidates.into_iter().take(limit).map(|(_, key, offset)| (key, offset))
}

/// The word read in the other keyboard layout, analysed like typed input.
fn switched_layout(word: &QueryWord) -> Option<QueryWord> {
    let switched = switch_layout(&word.folded)?;
    let mut folded = String::new();
    fold_word(&switched, &mut folded);
    let key = key_of(&folded);
    Some(QueryWord::new(&switched, folded, key, word.prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_budget_grows_with_length() {
        assert_eq!(typo_budget(4), 0);
        assert_eq!(typo_budget(6), 1);
        assert_eq!(typo_budget(8), 2);
        assert_eq!(typo_budget(10), 2);
    }
}
