//! Reading a Latin key letter by letter, as a reader of the word's own
//! script would count its letters.
//!
//! Keys are Latin, but one Cyrillic letter often becomes two Latin ones
//! (ш → sh, ч → ch, я → ya, ю → yu, е → ye, ц → ts). Counted in Latin
//! characters, one wrong Cyrillic letter in `землятресение` (я for е, е for
//! я) costs four edits instead of two, past any typo budget. Typo distances
//! are therefore counted in [`Letter`]s: each of those pairs is one letter,
//! everything else one letter per character. The Uzbek Latin alphabet agrees
//! for sh and ch, which it counts as letters of their own.

/// One letter of a key: a character, or one of the [`LETTER_PAIRS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Letter(u32);

/// Latin pairs that transliterate a single Cyrillic letter (see `translit`).
/// `yo` is not here: keys fold it to `ye`.
pub const LETTER_PAIRS: [(char, char); 6] = [('s', 'h'), ('c', 'h'), ('y', 'a'), ('y', 'u'), ('y', 'e'), ('t', 's')];

/// Past every Unicode scalar value, so a pair never equals a character.
const PAIR_BASE: u32 = 0x11_0000;

impl Letter {
    fn single(c: char) -> Letter {
        Letter(c as u32)
    }

    fn pair(first: char, second: char) -> Option<Letter> {
        let index = LETTER_PAIRS.iter().position(|&p| p == (first, second))?;
        Some(Letter(PAIR_BASE + index as u32))
    }
}

fn starts_pair(c: char) -> bool {
    LETTER_PAIRS.iter().any(|p| p.0 == c)
}

/// Reads characters one at a time and yields letters, pairing greedily from
/// the left. It holds back a character that may start a pair until the next
/// one shows whether it does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LetterReader {
    held: Option<char>,
}

impl LetterReader {
    /// Reads `c`; calls `emit` with each letter it completes (at most two).
    pub fn push(&mut self, c: char, mut emit: impl FnMut(Letter)) {
        if let Some(first) = self.held.take() {
            if let Some(pair) = Letter::pair(first, c) {
                emit(pair);
                return;
            }
            emit(Letter::single(first));
        }
        if starts_pair(c) {
            self.held = Some(c);
        } else {
            emit(Letter::single(c));
        }
    }

    /// The letter still held back at the end of the key, if any.
    pub fn finish(&self) -> Option<Letter> {
        self.held.map(Letter::single)
    }
}

/// The letters of a key.
pub fn letters_of(key: &str) -> Vec<Letter> {
    let mut reader = LetterReader::default();
    let mut letters = Vec::with_capacity(key.len());
    for c in key.chars() {
        reader.push(c, |l| letters.push(l));
    }
    letters.extend(reader.finish());
    letters
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::key;

    #[test]
    fn transliterated_pairs_are_one_letter() {
        assert_eq!(letters_of("shahar").len(), 5);
        assert_eq!(letters_of(&key("землетрясение")).len(), "землетрясение".chars().count());
        assert_eq!(letters_of(&key("Чечня")).len(), 5);
        assert_eq!(letters_of(&key("конституция")).len(), "конституция".chars().count());
    }

    #[test]
    fn pairs_read_greedily_from_the_left() {
        assert_eq!(letters_of("tsh"), [Letter::pair('t', 's').unwrap(), Letter::single('h')]);
        assert_eq!(letters_of("yy"), [Letter::single('y'), Letter::single('y')]);
        assert_eq!(letters_of("y"), [Letter::single('y')]);
        assert!(letters_of("").is_empty());
    }

    #[test]
    fn a_pair_is_no_single_letter() {
        let pairs: Vec<Letter> = LETTER_PAIRS.iter().map(|&(a, b)| Letter::pair(a, b).unwrap()).collect();
        for c in ['s', 'h', 'y', 'a', '\u{10FFFF}'] {
            assert!(!pairs.contains(&Letter::single(c)));
        }
    }

    proptest::proptest! {
        /// A Cyrillic word has as many letters as characters, when none of
        /// its letters is silent (ъ, ь) or joins the next into one Latin pair
        /// (й before a vowel, т before с, с/к/з before ҳ).
        #[test]
        fn cyrillic_words_keep_their_letter_count(word in "[абвгдежзиклмнопруфхцчшщыэюяёўқғ]{1,16}") {
            let key = key(&word);
            proptest::prop_assert_eq!(letters_of(&key).len(), word.chars().count(), "{} → {}", word, key);
        }

        /// Every character of the key is read, none twice.
        #[test]
        fn letters_cover_the_key(key in "[a-z'ʻ]{0,20}") {
            let letters = letters_of(&key);
            let pairs = letters.iter().filter(|l| l.0 >= PAIR_BASE).count();
            proptest::prop_assert_eq!(letters.len() + pairs, key.chars().count());
        }
    }
}
