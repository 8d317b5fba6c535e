//! Expanding a query word to the dictionary keys it matches, and how well.

use std::collections::HashSet;

use fst::automaton::{Automaton, Str};
use fst::{IntoStreamer, Streamer};

use crate::analysis::{fold_word, key_of, letters_of, switch_layout};
use crate::index::{postings, stem_key, IndexError, STEM_MARK};
use crate::query::QueryWord;

mod typo;

use typo::LetterLevenshtein;

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
/// Leading letters of a word where a typo costs two edits.
const FIRM_LETTERS: usize = 1;

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

/// How many typos a word of `letters` letters (in its own script) may carry.
pub fn typo_budget(letters: usize) -> u8 {
    match letters {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

pub fn expand(dictionary: &fst::Map<Vec<u8>>, postings_part: &[u8], word: &QueryWord) -> Result<WordMatch, IndexError> {
    let found = direct(dictionary, postings_part, word, 1.0)?;
    if !found.is_empty() {
        let expansions = with_typos(dictionary, postings_part, word, found)?;
        return Ok(WordMatch { expansions, corrected: false, layout: None });
    }
    if let Some(switched) = switched_layout(word) {
        let found = direct(dictionary, postings_part, &switched, LAYOUT)?;
        if !found.is_empty() {
            // The switched word may carry a typo of its own (`kfdhjd` is
            // Лавров; an article that cut it to Лавро is a typo away).
            let expansions = with_typos(dictionary, postings_part, &switched, found)?;
            return Ok(WordMatch { expansions, corrected: true, layout: Some(switched) });
        }
    }
    let expansions = fuzzy(dictionary, postings_part, word, &[])?;
    let corrected = !expansions.is_empty();
    Ok(WordMatch { expansions, corrected, layout: None })
}

/// `found`, then the word's typo expansions beyond it.
fn with_typos(
    dictionary: &fst::Map<Vec<u8>>,
    postings_part: &[u8],
    word: &QueryWord,
    mut found: Vec<Expansion>,
) -> Result<Vec<Expansion>, IndexError> {
    let typos = fuzzy(dictionary, postings_part, word, &found)?;
    found.extend(typos);
    Ok(found)
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
        let mut seen = found.iter().map(|e| e.offset).collect();
        let completions = Str::new(&word.key).starts_with();
        let completions = candidates(dictionary, postings_part, completions, usize::MAX, &mut seen)?;
        found.extend(most_frequent(completions, MAX_PREFIX_EXPANSIONS, PREFIX * scale));
    }
    Ok(found)
}

/// Keys within the word's typo budget, not already matched directly: word
/// keys near the word, and stem keys near its stems (an inflected word with
/// a typo, `землятресение`, meets the stem of `землетрясения`). The budget
/// follows the word's length in its own script, and edits are counted in
/// letters, so a Cyrillic word is as typo-tolerant as its Latin twin.
fn fuzzy(
    dictionary: &fst::Map<Vec<u8>>,
    postings_part: &[u8],
    word: &QueryWord,
    known: &[Expansion],
) -> Result<Vec<Expansion>, IndexError> {
    let mut seen: HashSet<u64> = known.iter().map(|e| e.offset).collect();
    let mark = STEM_MARK.to_string();
    let mut found = Vec::new();
    for distance in 1..=typo_budget(word.folded.chars().count()) {
        let typos = LetterLevenshtein::new(&word.key, distance, FIRM_LETTERS);
        let words_only = Str::new(&mark).starts_with().complement();
        let candidates = if word.prefix {
            let automaton = typos.starts_with().intersection(words_only);
            candidates(dictionary, postings_part, automaton, MAX_FUZZY_PREFIX_SCAN, &mut seen)?
        } else {
            candidates(dictionary, postings_part, typos.intersection(words_only), usize::MAX, &mut seen)?
        };
        found.extend(most_frequent(candidates, MAX_FUZZY_EXPANSIONS, fuzzy_quality(distance)));
    }
    for stem in &word.stems {
        for distance in 1..=typo_budget(letters_of(stem).len()) {
            // The mark is one more firm letter, and must be there.
            let typos = LetterLevenshtein::new(&stem_key(stem.clone()), distance, FIRM_LETTERS + 1);
            let stems_only = Str::new(&mark).starts_with().intersection(typos);
            let candidates = candidates(dictionary, postings_part, stems_only, usize::MAX, &mut seen)?;
            found.extend(most_frequent(candidates, MAX_FUZZY_EXPANSIONS, fuzzy_quality(distance)));
        }
    }
    Ok(found)
}

fn fuzzy_quality(distance: u8) -> f32 {
    if distance == 1 {
        FUZZY_1
    } else {
        FUZZY_2
    }
}

/// A key that may join a word's expansions.
struct Candidate {
    /// Documents holding the key: the most frequent keys are kept.
    documents: usize,
    /// The key, without the stem mark.
    key: String,
    is_stem: bool,
    offset: u64,
}

/// The keys `automaton` accepts whose postings are not in `seen` (to which
/// they are added), stopping after `scan_cap` keys.
fn candidates<A: Automaton>(
    dictionary: &fst::Map<Vec<u8>>,
    postings_part: &[u8],
    automaton: A,
    scan_cap: usize,
    seen: &mut HashSet<u64>,
) -> Result<Vec<Candidate>, IndexError> {
    let mut stream = dictionary.search(automaton).into_stream();
    let mut found = Vec::new();
    let mut visited = 0;
    while let Some((key, offset)) = stream.next() {
        visited += 1;
        if visited > scan_cap {
            break;
        }
        if seen.insert(offset) {
            let documents = postings::list_len(postings_part, offset)?;
            let key = String::from_utf8_lossy(key);
            let (key, is_stem) = match key.strip_prefix(STEM_MARK) {
                Some(stem) => (stem.to_string(), true),
                None => (key.into_owned(), false),
            };
            found.push(Candidate { documents, key, is_stem, offset });
        }
    }
    Ok(found)
}

/// The `limit` most frequent candidates as expansions of `quality`; ties in
/// key order.
fn most_frequent(mut candidates: Vec<Candidate>, limit: usize, quality: f32) -> impl Iterator<Item = Expansion> {
    candidates.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| a.key.cmp(&b.key)));
    candidates.into_iter().take(limit).map(move |c| Expansion {
        key: c.key,
        is_stem: c.is_stem,
        offset: c.offset,
        quality,
    })
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
