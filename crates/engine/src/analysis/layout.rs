//! Words typed with the wrong keyboard layout: ЙЦУКЕН ↔ QWERTY.
//!
//! Seven Russian letters, б ж х э ю ё ъ, sit on QWERTY's punctuation keys
//! `, ; [ ' . ` ]` (shifted: `< : { " > ~ }`). Typed on the Latin layout they
//! come out as punctuation the tokenizer splits on or folding drops, so a
//! switch must read the keys as typed, not a folded word (see
//! [`crate::query::LayoutRun`]).

use super::fold::is_ignorable;
use super::normalize::nfc;

const QWERTY: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const JCUKEN: &str = "йцукенгшщзхъфывапролджэячсмитьбюё";
/// The shifted punctuation keys, and the letter each types on ЙЦУКЕН.
const SHIFTED: [(char, char); 7] = [('{', 'х'), ('}', 'ъ'), (':', 'ж'), ('"', 'э'), ('<', 'б'), ('>', 'ю'), ('~', 'ё')];
/// Latin letters written for ё where it has no key: ISO 9's ë, and its
/// look-alike ö.
const YO_STAND_INS: [char; 2] = ['ë', 'ö'];

/// Whether `c` is a Latin-layout key that types a Russian letter: a Latin
/// letter or one of the punctuation keys above (either case or shift).
pub fn is_layout_key(c: char) -> bool {
    let lower = c.to_lowercase().next().unwrap_or(c);
    // Not QWERTY.contains(lower): a non-ASCII char is searched for as a
    // string, and std's two-way string search would ship for it alone.
    QWERTY.chars().any(|key| key == lower) || SHIFTED.iter().any(|&(key, _)| key == c) || YO_STAND_INS.contains(&lower)
}

/// The same keys read in the other layout (`Ghtpbltyn` → `президент`,
/// `Ep,trbcnfy` → `узбекистан`), lower-cased, or `None` when a character
/// has no counterpart.
pub fn switch_layout(typed: &str) -> Option<String> {
    nfc(typed)
        .chars()
        .filter(|&c| !is_ignorable(c))
        .flat_map(char::to_lowercase)
        .map(|c| {
            if let Some(&(_, letter)) = SHIFTED.iter().find(|&&(key, _)| key == c) {
                return Some(letter);
            }
            if YO_STAND_INS.contains(&c) {
                return Some('ё');
            }
            QWERTY
                .chars()
                .position(|q| q == c)
                .and_then(|i| JCUKEN.chars().nth(i))
                .or_else(|| JCUKEN.chars().position(|j| j == c).and_then(|i| QWERTY.chars().nth(i)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_keys_become_russian_letters_and_back() {
        assert_eq!(switch_layout("ghtpbltyn").as_deref(), Some("президент"));
        assert_eq!(switch_layout("ntrcn").as_deref(), Some("текст"));
        assert_eq!(switch_layout("руддщ").as_deref(), Some("hello"));
        assert_eq!(switch_layout("2024"), None);
    }

    #[test]
    fn punctuation_keys_are_the_letters_they_type() {
        assert_eq!(switch_layout("Vbhpb`td").as_deref(), Some("мирзиёев"));
        assert_eq!(switch_layout("Ep,trbcnfy").as_deref(), Some("узбекистан"));
        assert_eq!(switch_layout("j;blfybt").as_deref(), Some("ожидание"));
        assert_eq!(switch_layout("[jhjij").as_deref(), Some("хорошо"));
        assert_eq!(switch_layout("gj'njve").as_deref(), Some("поэтому"));
        assert_eq!(switch_layout("j,]tv").as_deref(), Some("объем"));
        assert_eq!(switch_layout("<jkmijq").as_deref(), Some("большой"));
        assert_eq!(switch_layout("Hjccb.").as_deref(), Some("россию"));
        // ЙЦУКЕН's б ж х э ю ё ъ type Latin punctuation the other way.
        assert_eq!(switch_layout("щэяиулшыещт").as_deref(), Some("o'zbekiston"));
    }

    #[test]
    fn yo_stand_ins_are_yo() {
        assert_eq!(switch_layout("Vbhpbötd").as_deref(), Some("мирзиёев"));
        assert_eq!(switch_layout("VBHPBËTD").as_deref(), Some("мирзиёев"));
    }

    #[test]
    fn every_layout_key_switches() {
        for c in QWERTY.chars().chain(SHIFTED.iter().map(|&(key, _)| key)).chain(YO_STAND_INS) {
            assert!(is_layout_key(c) && switch_layout(&c.to_string()).is_some(), "{c}");
        }
        assert!(!is_layout_key('-') && !is_layout_key('1') && !is_layout_key('ж'));
    }
}
