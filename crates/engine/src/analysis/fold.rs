//! Folding one word to its search key.
//!
//! NFC, locale-free lower case, every Uzbek apostrophe look-alike dropped
//! (visitors type `O'zbekiston`, `O‘zbekiston` and `Ozbekiston` for the same
//! word), and Latin diacritics removed with the Uzbek reform letters mapped
//! to their 1995 spellings first (ş → sh, not s). ё stays: transliteration
//! needs it (ё → yo), and the key fold then meets е.

use super::normalize::{latin_base, nfc};

/// The apostrophe look-alikes written for oʻ, gʻ and the tutuq (ʼ), after
/// `alifbe` and `alifbo` (see uzbek-text.md §2).
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '‘' | '’' | '‚' | '‛' | '`' | '´' | 'ʹ' | 'ʻ' | 'ʼ' | 'ʽ' | 'ʾ' | 'ʿ' | 'ˈ' | 'ˊ' | '′' | '＇')
}

/// Characters that are invisible inside a word: soft hyphen, zero-width
/// space and joiners, word joiner, a stray byte-order mark, and the bidi
/// and other format controls that text copied from a page or typed next to
/// right-to-left text carries (marks, embeddings, overrides, isolates such
/// as a trailing U+2069, invisible operators, tag characters).
pub fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// `text` in lower case as `str::to_lowercase` writes it, a word-final Σ as ς
/// included, for words shown back to the visitor. Not std's own: its
/// final-sigma rule links Unicode's cased and case-ignorable tables into the
/// widget's wasm. Letters stand in for its cased characters, apostrophes and
/// invisible characters for its case-ignorable ones.
pub fn lowercase(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        if c == 'Σ' {
            out.push(if ends_word(&text[..at], &text[at + c.len_utf8()..]) { 'ς' } else { 'σ' });
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Whether a letter comes before and none after, apostrophes and invisible
/// characters not counting.
fn ends_word(before: &str, after: &str) -> bool {
    let counts = |c: &char| !is_apostrophe(*c) && !is_ignorable(*c);
    let letter = |c: Option<char>| c.is_some_and(char::is_alphabetic);
    letter(before.chars().rev().find(counts)) && !letter(after.chars().find(counts))
}

/// Appends the search key of `word` to `out` (cleared first).
pub fn fold_word(word: &str, out: &mut String) {
    out.clear();
    for c in nfc(word).chars() {
        if is_apostrophe(c) || is_ignorable(c) {
            continue;
        }
        for lower in c.to_lowercase() {
            push_folded(lower, out);
        }
    }
}

fn push_folded(c: char, out: &mut String) {
    match c {
        // Turkish dotless i, and the dot that lower-casing İ leaves behind.
        'ı' => out.push('i'),
        '\u{0307}' => {}
        // Uzbek reform letters (uzbek-text.md §3), folded to the 1995 spelling.
        'ş' | 'ș' => out.push_str("sh"),
        'ç' => out.push_str("ch"),
        'ñ' => out.push_str("ng"),
        'ŏ' | 'ö' | 'õ' => out.push('o'),
        'ğ' | 'ḡ' => out.push('g'),
        c => out.push(latin_base(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_writes_what_std_does() {
        for text in
            ["ΟΔΟΣ", "ΣΟΦΙΑ", "Σ", "ΟΔΟΣ ΚΑΙ", "ΟΔΟΣ.", "ΑΣ'Α", "ΟΔΟΣ’", "Мирзиёеву", "O‘ZBEKISTON", "İstanbul", "ẞ"]
        {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
        }
    }

    fn fold(word: &str) -> String {
        let mut out = String::new();
        fold_word(word, &mut out);
        out
    }

    #[test]
    fn every_apostrophe_variant_folds_to_one_key() {
        for spelling in ["Oʻzbekiston", "O‘zbekiston", "O’zbekiston", "O'zbekiston", "O`zbekiston", "Ozbekiston"] {
            assert_eq!(fold(spelling), "ozbekiston", "{spelling}");
        }
        assert_eq!(fold("maʼno"), fold("ma'no"));
    }

    #[test]
    fn yo_is_kept_for_transliteration() {
        assert_eq!(fold("Мирзиёев"), "мирзиёев");
    }

    #[test]
    fn lower_case_is_locale_free() {
        assert_eq!(fold("OLİB"), "olib");
        assert_eq!(fold("olıb"), "olib");
        assert_eq!(fold("MIRZIYOYEV"), "mirziyoyev");
    }

    #[test]
    fn reform_letters_fold_to_1995_forms() {
        assert_eq!(fold("Şavkat"), "shavkat");
        assert_eq!(fold("çet"), "chet");
        assert_eq!(fold("Özbekiston"), "ozbekiston");
        assert_eq!(fold("tañ"), "tang");
        assert_eq!(fold("ğarb"), "garb");
    }

    #[test]
    fn nfd_input_matches_nfc() {
        assert_eq!(fold("Bogota\u{301}"), fold("Bogotá"));
        assert_eq!(fold("café"), "cafe");
    }

    #[test]
    fn cyrillic_short_letters_keep_their_identity() {
        // й and ў are letters of their own, not и/у with a mark.
        assert_eq!(fold("Йўл"), "йўл");
    }

    #[test]
    fn invisible_characters_vanish() {
        assert_eq!(fold("Tash\u{00AD}kent"), "tashkent");
        assert_eq!(fold("pre\u{200B}sident"), "president");
        assert_eq!(fold("\u{2067}Tash\u{200F}kent\u{202C}\u{2069}"), "tashkent");
    }
}
