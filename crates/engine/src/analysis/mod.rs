//! Text analysis: from raw article or query text to search keys.
//!
//! A word goes through [`fold_word`] (NFC, lower case, apostrophes, reform
//! letters), [`repair_homoglyphs`], then [`key_of`]: Cyrillic words are
//! transliterated to Latin, so every word of every language lives in one
//! Latin key space. Stems ([`stems_of`]) form a second key space.
//! Every token keeps the byte span of the word it came from, so excerpts
//! highlight the original text while matching runs on keys.

mod fold;
mod layout;
mod letters;
mod normalize;
mod script;
mod stem;
mod tokenize;
mod translit;

pub use fold::{fold_word, is_apostrophe, is_ignorable, lowercase};
pub use layout::{is_layout_key, switch_layout};
pub use letters::{letters_of, Letter, LetterReader};
pub use script::{repair_homoglyphs, script_of, Script};
pub use tokenize::{tokenize, Token};
pub use translit::to_latin_spelling;

use crate::Lang;

/// Keys longer than this (in bytes) are cut at a character boundary: long
/// runs are glued-together junk, and capping keeps the dictionary lean.
pub const MAX_TERM_BYTES: usize = 64;

/// The Latin key of a folded word.
pub fn key_of(folded: &str) -> String {
    let latin = match script_of(folded) {
        Script::Cyrillic => translit::to_latin(folded),
        _ => folded.to_string(),
    };
    truncate(translit::fold_key(&latin))
}

/// The stems of a folded word in a document of language `lang`; for a query
/// (`lang` = `None`), every stem the word could have in any site language.
/// Stems equal to the word's key are left out: the key is looked up anyway.
pub fn stems_of(folded: &str, key: &str, lang: Option<&Lang>) -> Vec<String> {
    let script = script_of(folded);
    let mut stems = Vec::new();
    let english = matches!(lang, None | Some(Lang::En)) && script == Script::Latin;
    let russian = matches!(lang, None | Some(Lang::Ru)) && script == Script::Cyrillic;
    let uzbek = matches!(lang, None | Some(Lang::UzLatn) | Some(Lang::UzCyrl)) && script != Script::Neutral;
    if english {
        stems.push(stem::english(folded));
    }
    if russian {
        stems.push(stem::russian(folded));
        stems.extend(stem::russian_adjective_base(folded));
    }
    if uzbek {
        stems.push(stem::uzbek(key));
    }
    stems.retain(|s| s != key && !s.is_empty());
    stems.sort_unstable();
    stems.dedup();
    stems.into_iter().map(truncate).collect()
}

fn truncate(mut key: String) -> String {
    if key.len() > MAX_TERM_BYTES {
        let mut cut = MAX_TERM_BYTES;
        while !key.is_char_boundary(cut) {
            cut -= 1;
        }
        key.truncate(cut);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key of a word as typed.
    pub(super) fn key(word: &str) -> String {
        let mut folded = String::new();
        fold_word(word, &mut folded);
        key_of(&folded)
    }

    #[test]
    fn uzbek_in_either_script_meets_on_one_key() {
        for spelling in ["Oʻzbekiston", "O‘zbekiston", "O'zbekiston", "Ozbekiston", "Ўзбекистон"] {
            assert_eq!(key(spelling), "ozbekiston", "{spelling}");
        }
        assert_eq!(key("Тошкент"), key("Toshkent"));
    }

    #[test]
    fn names_across_russian_and_latin_meet() {
        assert_eq!(key("Мирзиёев"), key("Mirziyoyev"));
        assert_eq!(key("Мирзиеев"), key("MIRZIYOYEV"));
        assert_eq!(key("Ташкент"), key("Tashkent"));
    }

    #[test]
    fn query_stems_cover_every_language() {
        let stems = stems_of("toshkentdagi", &key("toshkentdagi"), None);
        assert!(stems.contains(&"toshkent".to_string()), "{stems:?}");
        let stems = stems_of("переговорах", &key("переговорах"), None);
        assert!(stems.contains(&stem::russian("переговоры")), "{stems:?}");
    }

    #[test]
    fn document_stems_follow_the_document_language() {
        assert!(stems_of("visited", "visited", Some(&Lang::UzLatn)).iter().all(|s| s != "visit"));
        assert_eq!(stems_of("visited", "visited", Some(&Lang::En)), ["visit"]);
        assert!(stems_of("2024", "2024", None).is_empty());
    }
}
