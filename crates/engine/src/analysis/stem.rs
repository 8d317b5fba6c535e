//! Stems: Snowball for English and Russian, a light suffix stripper for Uzbek.
//!
//! Stems are keys too: they are transliterated and folded like words, so a
//! Russian stem and an Uzbek stem live in the same Latin key space.

use rust_stemmers::{Algorithm, Stemmer};

use super::translit::{fold_key, to_latin};

/// English stem of a folded Latin word.
pub fn english(word: &str) -> String {
    fold_key(&Stemmer::create(Algorithm::English).stem(word))
}

/// Russian stem of a folded Cyrillic word, as a Latin key. ё is folded to е
/// first: the stemmer treats them as different letters (uzbek-text.md §6).
pub fn russian(word: &str) -> String {
    let plain = word.replace('ё', "е");
    fold_key(&to_latin(&Stemmer::create(Algorithm::Russian).stem(&plain)))
}

/// Case endings of a Russian adjective, longest first.
const RUSSIAN_ADJECTIVE_ENDINGS: [&str; 12] =
    ["ими", "ого", "ому", "ий", "ая", "ое", "ие", "им", "ом", "ой", "ую", "их"];

/// The shortest base [`russian_adjective_base`] gives, in letters: shorter
/// ones are nouns in -ск (Минском, риском), not adjectives.
const MIN_ADJECTIVE_BASE: usize = 4;

/// The word a Russian adjective in -ск- is made from, as a Latin key:
/// ташкентской → `tashkent`, Рогунской → `rogun`, Чеченская → `chechen`.
/// Names of places turn into such adjectives all the time (Ташкентская
/// область, Рогунская ГЭС), and Snowball stops at the adjective's stem
/// (`ташкентск`), which meets neither the name nor its Latin spelling.
/// Adjectives in -ческ- (экономический) are left alone: their base is no word.
pub fn russian_adjective_base(word: &str) -> Option<String> {
    let plain = word.replace('ё', "е");
    let before_ending = RUSSIAN_ADJECTIVE_ENDINGS.iter().find_map(|ending| plain.strip_suffix(ending))?;
    let base = before_ending.strip_suffix("ск")?;
    if base.chars().count() < MIN_ADJECTIVE_BASE || base.ends_with("че") {
        return None;
    }
    Some(fold_key(&to_latin(base)))
}

/// Uzbek suffixes (uzbek-text.md §5), stripped longest first from the end:
/// case and particles, then possessives, then the plural.
const UZBEK_SUFFIXES: [&str; 32] = [
    "larimizdagi",
    "lardagi",
    "laridagi",
    "gacha",
    "moqda",
    "yapti",
    "dagi",
    "ning",
    "lari",
    "imiz",
    "ingiz",
    "miz",
    "ngiz",
    "dan",
    "lar",
    "gan",
    "lik",
    "siz",
    "chi",
    "ni",
    "ga",
    "ka",
    "qa",
    "da",
    "ta",
    "si",
    "im",
    "ng",
    "ib",
    "di",
    "li",
    "i",
];

/// The shortest stem the stripper leaves, in characters.
const MIN_UZBEK_STEM: usize = 3;

/// Uzbek stem of a Latin key: suffix chains stripped (`toshkentdagi` →
/// `toshkent`, `hamkorlikni` → `hamkor`), then a final g/k/q folded to k, so
/// the k→g and q→gʻ alternations (yurak/yuragi, qishloq/qishlogʻi) meet.
pub fn uzbek(key: &str) -> String {
    let mut stem = key;
    'strip: loop {
        for suffix in UZBEK_SUFFIXES {
            if let Some(rest) = stem.strip_suffix(suffix) {
                if rest.chars().count() >= MIN_UZBEK_STEM {
                    stem = rest;
                    continue 'strip;
                }
            }
        }
        break;
    }
    match stem.strip_suffix(['g', 'q']) {
        Some(rest) => format!("{rest}k"),
        None => stem.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uzbek_case_and_possessive_chains_come_off() {
        for form in ["toshkent", "toshkentda", "toshkentdagi", "toshkentga", "toshkentning", "toshkentdan"] {
            assert_eq!(uzbek(form), "toshkent", "{form}");
        }
        assert_eq!(uzbek("mirziyeyevning"), uzbek("mirziyeyev"));
        assert_eq!(uzbek("hamkorlikni"), "hamkor");
        assert_eq!(uzbek("shaharlarimizdagi"), uzbek("shahar"));
    }

    #[test]
    fn uzbek_consonant_alternations_meet() {
        assert_eq!(uzbek("yuragi"), uzbek("yurak"));
        assert_eq!(uzbek("qishlogi"), uzbek("qishloq"));
    }

    #[test]
    fn uzbek_stems_keep_three_letters() {
        assert_eq!(uzbek("ishga"), "ish");
        assert_eq!(uzbek("da"), "da");
    }

    #[test]
    fn russian_stems_ignore_yo_and_case_endings() {
        assert_eq!(russian("переговорах"), russian("переговоры"));
        assert_eq!(russian("министерства"), russian("министерство"));
        assert_eq!(russian("зелёный"), russian("зеленый"));
    }

    #[test]
    fn russian_place_adjectives_give_the_place() {
        for form in ["ташкентская", "Ташкентской", "ташкентскими", "ташкентского", "ташкентский"]
        {
            assert_eq!(russian_adjective_base(&form.to_lowercase()).as_deref(), Some("tashkent"), "{form}");
        }
        assert_eq!(russian_adjective_base("рогунской").as_deref(), Some("rogun"));
        assert_eq!(russian_adjective_base("чеченская").as_deref(), Some("chechen"));
    }

    #[test]
    fn nouns_in_sk_and_adjectives_in_chesk_keep_no_base() {
        for word in ["минском", "минск", "риском", "поиском", "экономический", "политической", "ташкент"]
        {
            assert_eq!(russian_adjective_base(word), None, "{word}");
        }
    }

    #[test]
    fn english_stems_conflate_inflections() {
        assert_eq!(english("negotiations"), english("negotiation"));
        assert_eq!(english("visited"), english("visits"));
    }
}
