//! Typo matching with edits counted in letters, not bytes.
//!
//! fst's own `Levenshtein` counts characters of the Latin key, so one wrong
//! Cyrillic letter that transliterates to a pair (я → ya) costs two edits.
//! [`LetterLevenshtein`] counts [`Letter`]s instead: it reads the key's
//! bytes, decodes characters, pairs them into letters with a
//! [`LetterReader`], and keeps the row of the classic edit-distance table
//! (query letters against the key's letters read so far) as its state.

use fst::Automaton;

use crate::analysis::{letters_of, Letter, LetterReader};

/// Matches the keys within `budget` letter edits (insertion, deletion or
/// substitution of one letter) of a query key.
///
/// An edit among the first [`firm`](LetterLevenshtein::new) letters costs
/// two: people rarely get the first letter wrong, and without this rule a
/// typed prefix matches any word that starts one letter later (`baerbok`
/// would complete to `aerokosmik`). A long word may still differ in its
/// first letter (Uzbekiston, Oʻzbekiston).
pub struct LetterLevenshtein {
    query: Vec<Letter>,
    budget: u8,
    firm: usize,
    /// Keys that start with a match match too, as with fst's `starts_with`;
    /// built in, so that every typo search is one automaton type, and the
    /// wasm holds one copy of fst's search stream instead of one per combination.
    prefixes: bool,
}

/// Where the automaton stands after some bytes of a key.
#[derive(Clone, Debug)]
pub struct State {
    /// `row[j]`: edits between the first `j` query letters and the key's
    /// letters read so far, capped at `budget + 1`.
    row: Vec<u8>,
    /// Holds back a character that may start a letter pair.
    reader: LetterReader,
    /// The bytes read of a character not yet complete.
    pending: [u8; 4],
    pending_len: u8,
    /// A prefix of the key matched, with `prefixes` on: so does the key.
    matched: bool,
}

impl LetterLevenshtein {
    /// Edits among the first `firm` letters of `query_key` cost two.
    pub fn new(query_key: &str, budget: u8, firm: usize) -> LetterLevenshtein {
        LetterLevenshtein { query: letters_of(query_key), budget, firm, prefixes: false }
    }

    /// Matches the keys that start with a match as well.
    pub fn prefixes(self) -> LetterLevenshtein {
        LetterLevenshtein { prefixes: true, ..self }
    }

    fn cap(&self) -> u8 {
        self.budget.saturating_add(1)
    }

    /// The cost of changing or dropping query letter `j`, or of a key
    /// letter inserted before it.
    fn cost(&self, j: usize) -> u8 {
        if j < self.firm {
            2
        } else {
            1
        }
    }

    /// The next row of the table, after one more key letter.
    fn step(&self, row: &[u8], letter: Letter) -> Vec<u8> {
        let cap = self.cap();
        let mut next = Vec::with_capacity(row.len());
        next.push(row[0].saturating_add(self.cost(0)).min(cap));
        for (j, &wanted) in self.query.iter().enumerate() {
            let substitute = row[j].saturating_add(if wanted == letter { 0 } else { self.cost(j) });
            let skip_key_letter = row[j + 1].saturating_add(self.cost(j + 1));
            let skip_query_letter = next[j].saturating_add(self.cost(j));
            next.push(substitute.min(skip_key_letter).min(skip_query_letter).min(cap));
        }
        next
    }
}

/// The length of the UTF-8 sequence a leading byte starts.
fn utf8_len(lead: u8) -> u8 {
    match lead.leading_ones() {
        2 => 2,
        3 => 3,
        4 => 4,
        _ => 1,
    }
}

impl Automaton for LetterLevenshtein {
    type State = State;

    fn start(&self) -> State {
        let start = State {
            row: std::iter::once(0)
                .chain((0..self.query.len()).scan(0u8, |edits, j| {
                    *edits = edits.saturating_add(self.cost(j)).min(self.cap());
                    Some(*edits)
                }))
                .collect(),
            reader: LetterReader::default(),
            pending: [0; 4],
            pending_len: 0,
            matched: false,
        };
        State { matched: self.prefixes && self.is_match(&start), ..start }
    }

    fn is_match(&self, state: &State) -> bool {
        if state.matched {
            return true;
        }
        if state.pending_len > 0 {
            return false;
        }
        let last = match state.reader.finish() {
            Some(held) => self.step(&state.row, held).last().copied(),
            None => state.row.last().copied(),
        };
        last.is_some_and(|edits| edits <= self.budget)
    }

    /// No cell of a row is ever below the smallest cell of the row before:
    /// once every cell is over budget, no key with this start can match.
    fn can_match(&self, state: &State) -> bool {
        state.matched || state.row.iter().any(|&edits| edits <= self.budget)
    }

    fn will_always_match(&self, state: &State) -> bool {
        state.matched
    }

    fn accept(&self, state: &State, byte: u8) -> State {
        if state.matched {
            return state.clone();
        }
        let mut next = state.clone();
        next.pending[usize::from(next.pending_len)] = byte;
        next.pending_len += 1;
        let want = utf8_len(next.pending[0]);
        if next.pending_len < want {
            return next;
        }
        let bytes = &next.pending[..usize::from(next.pending_len)];
        let c = std::str::from_utf8(bytes).ok().and_then(|s| s.chars().next()).unwrap_or(char::REPLACEMENT_CHARACTER);
        next.pending_len = 0;
        let mut row = next.row;
        next.reader.push(c, |letter| row = self.step(&row, letter));
        next.row = row;
        next.matched = self.prefixes && self.is_match(&next);
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Set, Streamer};

    /// The edit distance between two keys' letters, edits among the first
    /// `firm` letters of `a` counting two (the plain dynamic programme).
    fn letter_distance(a: &str, b: &str, firm: usize) -> usize {
        let (a, b) = (letters_of(a), letters_of(b));
        let cost = |j: usize| if j < firm { 2 } else { 1 };
        let mut row = vec![0];
        for j in 0..a.len() {
            row.push(row[j] + cost(j));
        }
        for lb in &b {
            let mut next = vec![row[0] + cost(0)];
            for (j, la) in a.iter().enumerate() {
                let substitute = row[j] + if la == lb { 0 } else { cost(j) };
                next.push(substitute.min(row[j + 1] + cost(j + 1)).min(next[j] + cost(j)));
            }
            row = next;
        }
        row[a.len()]
    }

    fn matches(query: &str, budget: u8, keys: &[&str]) -> Vec<String> {
        search(LetterLevenshtein::new(query, budget, 0), keys)
    }

    fn search(automaton: impl Automaton, keys: &[&str]) -> Vec<String> {
        let mut sorted = keys.to_vec();
        sorted.sort();
        sorted.dedup();
        let set = Set::from_iter(sorted).unwrap();
        let mut stream = set.search(automaton).into_stream();
        let mut found = Vec::new();
        while let Some(key) = stream.next() {
            found.push(String::from_utf8(key.to_vec()).unwrap());
        }
        found
    }

    #[test]
    fn one_wrong_cyrillic_letter_is_one_edit() {
        // землятресение: я and е trade places, two letters in Cyrillic and
        // four characters in Latin.
        assert_eq!(matches("zemlyatresenie", 2, &["zemletryasenie", "zemlya"]), ["zemletryasenie"]);
        assert_eq!(
            matches("shahar", 1, &["chahar", "sahar", "shaxar", "xahar"]),
            ["chahar", "sahar", "shaxar", "xahar"]
        );
    }

    #[test]
    fn budget_zero_is_the_key_itself() {
        assert_eq!(matches("toshkent", 0, &["toshkent", "toshkend"]), ["toshkent"]);
    }

    #[test]
    fn multibyte_characters_are_one_letter() {
        assert_eq!(matches("café", 1, &["cafè", "cafe", "caf"]), ["caf", "cafe", "cafè"]);
    }

    #[test]
    fn prefixes_match_within_the_budget() {
        let found = search(LetterLevenshtein::new("lavrov", 1, 0).prefixes(), &["lavro", "lavrova", "lavrentiy"]);
        assert_eq!(found, ["lavro", "lavrova"]);
    }

    #[test]
    fn a_wrong_first_letter_costs_two() {
        let keys = ["aerokosmik", "berbok", "uzbekiston"];
        assert_eq!(search(LetterLevenshtein::new("baerbok", 2, 1).prefixes(), &keys), ["berbok"]);
        assert_eq!(search(LetterLevenshtein::new("ozbekiston", 2, 1), &keys), ["uzbekiston"]);
        assert!(search(LetterLevenshtein::new("ozbekiston", 1, 1), &keys).is_empty());
    }

    proptest::proptest! {
        /// The automaton accepts exactly the keys within the budget.
        #[test]
        fn agrees_with_the_edit_distance(
            query in "[a-z]{0,8}",
            keys in proptest::collection::vec("[a-zé]{0,9}", 1..24),
            budget in 0u8..4,
            firm in 0usize..3,
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let mut expected: Vec<String> = keys
                .iter()
                .filter(|k| letter_distance(&query, k, firm) <= usize::from(budget))
                .map(|k| k.to_string())
                .collect();
            expected.sort();
            expected.dedup();
            proptest::prop_assert_eq!(search(LetterLevenshtein::new(&query, budget, firm), &keys), expected);
        }

        /// With `prefixes`, it accepts what fst's `starts_with` makes of it.
        #[test]
        fn prefixes_agree_with_starts_with(
            query in "[a-zш]{0,6}",
            keys in proptest::collection::vec("[a-zéш]{0,9}", 1..24),
            budget in 0u8..3,
            firm in 0usize..3,
        ) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let expected = search(LetterLevenshtein::new(&query, budget, firm).starts_with(), &keys);
            proptest::prop_assert_eq!(search(LetterLevenshtein::new(&query, budget, firm).prefixes(), &keys), expected);
        }
    }
}
