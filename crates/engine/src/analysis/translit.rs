//! Cyrillic → Latin transliteration with the 1995 Uzbek rules
//! (uzbek-text.md §4), and the key fold that makes spellings meet. Keys
//! take the form that lets differing sources meet (ё as е, no apostrophes);
//! [`to_latin_spelling`] writes a word as a reader of Uzbek Latin expects.
//!
//! Every Cyrillic word — Uzbek or Russian — is indexed under its Latin
//! transliteration, so Uzbek has one key space for both scripts and a
//! Latin query reaches Russian-Cyrillic names (`Mirziyoyev` → Мирзиёев).

fn is_vowel(c: char) -> bool {
    matches!(c, 'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'ў' | 'э' | 'ю' | 'я' | 'ы')
}

fn is_consonant(c: char) -> bool {
    super::script::is_cyrillic(c) && !is_vowel(c) && !matches!(c, 'ъ' | 'ь')
}

/// Transliterates a lower-case word for its key; non-Cyrillic characters pass through.
pub fn to_latin(word: &str) -> String {
    transliterate(word, false)
}

/// Transliterates a lower-case word as Uzbek Latin writes it, to show it:
/// ё is `yo` where it is not after a consonant, and ў, ғ and ъ keep their
/// apostrophes (`oʻ`, `gʻ`, `ʼ`). Its key is the word's key.
pub fn to_latin_spelling(word: &str) -> String {
    transliterate(word, true)
}

fn transliterate(word: &str, spelling: bool) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            // е is "ye" at the start of a word, after a vowel and after ъ/ь.
            // ё is written е as often as not (Мирзиёев/Мирзиеев, ещё/еще),
            // so the key reads it as е; `fold_key` meets Latin "yo" there.
            // Where the key has `ye`, ё is spelt `yo` (Мирзиёев, Mirziyoyev);
            // after a consonant `e`, as English writes Gorbachev.
            'е' | 'ё' if prev.is_none_or(|p| is_vowel(p) || matches!(p, 'ъ' | 'ь')) => {
                if spelling && c == 'ё' {
                    "yo"
                } else {
                    "ye"
                }
            }
            'е' | 'ё' | 'э' => "e",
            'ж' => "j",
            'з' => "z",
            'и' | 'ы' | 'і' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "x",
            // ц is "ts" after a vowel inside the word, "s" elsewhere.
            'ц' if prev.is_some_and(is_vowel) && next.is_some() => "ts",
            'ц' => "s",
            'ч' => "ch",
            'ш' | 'щ' => "sh",
            // ь is dropped, but softens a following vowel into a y-glide.
            'ь' if next.is_some_and(is_vowel) && prev.is_some_and(is_consonant) => "y",
            'ъ' if spelling => "ʼ",
            'ь' | 'ъ' => "",
            'ю' => "yu",
            'я' => "ya",
            'ў' if spelling => "oʻ",
            'ў' => "o",
            'қ' => "q",
            'ғ' if spelling => "gʻ",
            'ғ' => "g",
            'ҳ' | 'һ' => "h",
            other => {
                out.push(other);
                continue;
            }
        };
        out.push_str(latin);
    }
    out
}

/// Folds spellings that visitors and sources mix up onto one key:
/// * Latin `yo` becomes `ye`, where a Cyrillic ё or е lands (Mirziyoyev,
///   Мирзиёев and Мирзиеев all key as `mirziyeyev`);
/// * the English romanisations `kh`, `zh` and `gh` become the Uzbek `x`,
///   `j` and `g` that х, ж and ғ transliterate to (Kazakhstan and Казахстан
///   meet, Afghanistan and Афганистан, Bakhtiyor and Бахтиёр; Khorezm and
///   Xorazm, Roghun and Rogʻun come within a typo), see uzbek-text.md §7;
/// * `ck`, which only English and German spellings have, becomes the `k`
///   that к transliterates to (Baerbock → `baerbok`, within two typos of
///   Бербок and Burbok);
/// * a word-initial `ts` becomes `s`: ц at the start of a word is `s` in the
///   1995 rules (цирк → sirk), and `Ts` is how Russian-style romanisation
///   writes it (Tsindao, Циндао → `sindao`).
///
/// The pairs are rewritten as the key is read, each new character against
/// the rewritten ones before it, so the fold is idempotent (`cck` → `k`).
pub fn fold_key(latin: &str) -> String {
    let mut folded = String::with_capacity(latin.len());
    for c in latin.chars() {
        folded.push(c);
        while fold_last_pair(&mut folded) {}
    }
    match folded.strip_prefix("ts") {
        Some(rest) => format!("s{rest}"),
        None => folded,
    }
}

/// Folds the last two characters of `key` when they are a pair to fold.
fn fold_last_pair(key: &mut String) -> bool {
    let mut tail = key.chars().rev();
    let into = match (tail.next(), tail.next()) {
        (Some('o'), Some('y')) => "ye",
        (Some('h'), Some('k')) => "x",
        (Some('h'), Some('z')) => "j",
        (Some('h'), Some('g')) => "g",
        (Some('k'), Some('c')) => "k",
        _ => return false,
    };
    // Both characters are ASCII: two bytes.
    key.truncate(key.len() - 2);
    key.push_str(into);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(cyrillic: &str) -> String {
        fold_key(&to_latin(cyrillic))
    }

    #[test]
    fn uzbek_letters_map_to_1995_latin() {
        // Apostrophes are dropped from keys, so oʻ and gʻ become o and g.
        assert_eq!(to_latin("ўзбекистон"), "ozbekiston");
        assert_eq!(to_latin("тошкент"), "toshkent");
        assert_eq!(to_latin("қишлоғи"), "qishlogi");
        assert_eq!(to_latin("ҳоким"), "hokim");
        assert_eq!(to_latin("маъно"), "mano");
        assert_eq!(to_latin("чет"), "chet");
    }

    #[test]
    fn spellings_keep_yo_and_the_apostrophes() {
        assert_eq!(to_latin_spelling("мирзиёев"), "mirziyoyev");
        assert_eq!(to_latin_spelling("ўзбекистон"), "oʻzbekiston");
        assert_eq!(to_latin_spelling("фарғона"), "fargʻona");
        assert_eq!(to_latin_spelling("маъно"), "maʼno");
        assert_eq!(to_latin_spelling("лавров"), "lavrov");
        assert_eq!(to_latin_spelling("горбачёв"), "gorbachev");
        // Every spelling still meets the key.
        for word in ["мирзиёев", "ўзбекистон", "фарғона", "маъно", "ещё"] {
            let mut folded = String::new();
            super::super::fold_word(&to_latin_spelling(word), &mut folded);
            assert_eq!(fold_key(&folded), key(word), "{word}");
        }
    }

    #[test]
    fn ye_at_word_start_and_after_vowels() {
        assert_eq!(to_latin("ер"), "yer");
        assert_eq!(to_latin("поезд"), "poyezd");
        assert_eq!(to_latin("объект"), "obyekt");
        assert_eq!(to_latin("бешик"), "beshik");
    }

    #[test]
    fn ts_after_vowels_s_elsewhere() {
        assert_eq!(to_latin("цирк"), "sirk");
        assert_eq!(to_latin("абзац"), "abzas");
        assert_eq!(to_latin("акция"), "aksiya");
        assert_eq!(to_latin("конституция"), "konstitutsiya");
        assert_eq!(to_latin("лицей"), "litsey");
    }

    #[test]
    fn soft_sign_is_dropped_or_glides() {
        assert_eq!(to_latin("сентябрь"), "sentyabr");
        assert_eq!(to_latin("батальон"), "batalyon");
    }

    #[test]
    fn name_spellings_meet_on_one_key() {
        assert_eq!(key("мирзиёев"), fold_key("mirziyoyev"));
        assert_eq!(key("мирзиеев"), fold_key("mirziyoyev"));
        assert_eq!(key("ташкент"), "tashkent");
        assert_eq!(key("ещё"), key("еще"));
        assert_eq!(key("казахстан"), fold_key("kazakhstan"));
        assert_eq!(key("бахтиёр"), fold_key("bakhtiyor"));
        assert_eq!(key("афганистан"), fold_key("afghanistan"));
        assert_eq!(key("роғун"), fold_key("roghun"));
        assert_eq!(key("циндао"), fold_key("tsindao"));
        assert_eq!(key("бок"), fold_key("bock"));
    }

    #[test]
    fn ts_folds_only_at_the_start_of_a_word() {
        assert_eq!(fold_key("tsirk"), "sirk");
        assert_eq!(fold_key("konstitutsiya"), "konstitutsiya");
        assert_eq!(fold_key("its"), "its");
    }

    proptest::proptest! {
        /// Folding is idempotent: a folded key folds to itself, so a key
        /// folded twice (a stem of a key) still meets the key.
        #[test]
        fn fold_key_is_idempotent(latin in "[a-z]{0,12}") {
            let once = fold_key(&latin);
            proptest::prop_assert_eq!(fold_key(&once), once);
        }

        /// The romanisation pairs never survive a fold.
        #[test]
        fn folded_keys_hold_no_romanisation_pairs(latin in "[a-z]{0,12}") {
            let folded = fold_key(&latin);
            for pair in ["yo", "kh", "zh", "gh", "ck"] {
                proptest::prop_assert!(!folded.contains(pair), "{} → {}", latin, folded);
            }
            proptest::prop_assert!(!folded.starts_with("ts"));
        }
    }
}
