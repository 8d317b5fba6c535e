//! Which script a word is in, and repairing look-alike letters from the other one.

/// The script of a folded word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Latin,
    Cyrillic,
    /// Digits only, or letters of neither script.
    Neutral,
}

pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// The script most of the word's letters are in (Latin on a tie).
pub fn script_of(word: &str) -> Script {
    let (latin, cyrillic) = counts(word);
    match (latin, cyrillic) {
        (0, 0) => Script::Neutral,
        (l, c) if c > l => Script::Cyrillic,
        _ => Script::Latin,
    }
}

fn counts(word: &str) -> (usize, usize) {
    word.chars().fold((0, 0), |(l, c), ch| (l + usize::from(is_latin(ch)), c + usize::from(is_cyrillic(ch))))
}

/// Look-alikes, (Latin, Cyrillic), used in both directions. Words are
/// folded to lower case before repair, so a pair is here when either case
/// looks alike: `Т` for `T` (a capital typed in the other layout) is `т`.
const LOOKALIKES: [(char, char); 12] = [
    ('a', 'а'),
    ('c', 'с'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('x', 'х'),
    ('y', 'у'),
    ('k', 'к'),
    ('m', 'м'),
    ('h', 'һ'),
    ('b', 'в'),
    ('t', 'т'),
];

/// Cyrillic letters that stand for a Latin one in a Latin word, but whose
/// Latin letter has a likelier Cyrillic reading: `Н` looks like `H`, yet a
/// Latin h in a Cyrillic word is Uzbek ҳ/һ, not н.
const LATIN_ONLY: [(char, char); 6] = [('h', 'н'), ('i', 'і'), ('s', 'ѕ'), ('j', 'ј'), ('q', 'ԛ'), ('w', 'ԝ')];

/// Replaces letters of the minority script that look like a letter of the
/// majority script, in any position (`fotо` with a Cyrillic о, `Тashkent`
/// with a Cyrillic Т, `сaййид` with a Latin a, `тiка` with a Latin i).
/// Words in one script, and ties, are left alone.
pub fn repair_homoglyphs(word: &str) -> Option<String> {
    let (latin, cyrillic) = counts(word);
    if latin == 0 || cyrillic == 0 || latin == cyrillic {
        return None;
    }
    let to_cyrillic = cyrillic > latin;
    let swap = |c: char| -> char {
        match (to_cyrillic, c) {
            // A Latin I in a Cyrillic word stands for И.
            (true, 'i') => 'и',
            (true, _) => LOOKALIKES.iter().find(|p| p.0 == c).map_or(c, |p| p.1),
            (false, _) => LOOKALIKES.iter().chain(&LATIN_ONLY).find(|p| p.1 == c).map_or(c, |p| p.0),
        }
    };
    let repaired: String = word.chars().map(swap).collect();
    (repaired != word).then_some(repaired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_words_take_the_majority_script() {
        assert_eq!(repair_homoglyphs("fotо").as_deref(), Some("foto"));
        assert_eq!(repair_homoglyphs("сaййид").as_deref(), Some("саййид"));
        assert_eq!(repair_homoglyphs("тiка").as_deref(), Some("тика"));
        assert_eq!(repair_homoglyphs("çаrigali").as_deref(), Some("çarigali"));
    }

    #[test]
    fn a_capital_typed_in_the_other_script_is_repaired() {
        for (typed, repaired) in [("тashkent", "tashkent"), ("нokimiyat", "hokimiyat"), ("toshkenт", "toshkent")] {
            assert_eq!(repair_homoglyphs(typed).as_deref(), Some(repaired), "{typed}");
        }
        assert_eq!(repair_homoglyphs("тошкенt").as_deref(), Some("тошкент"));
    }

    /// (Latin, Cyrillic) letters that look alike in upper or lower case.
    const SEEN_ALIKE: &[(char, char)] = &[
        ('A', 'А'),
        ('B', 'В'),
        ('C', 'С'),
        ('E', 'Е'),
        ('H', 'Н'),
        ('K', 'К'),
        ('M', 'М'),
        ('O', 'О'),
        ('P', 'Р'),
        ('T', 'Т'),
        ('X', 'Х'),
        ('Y', 'У'),
        ('a', 'а'),
        ('c', 'с'),
        ('e', 'е'),
        ('o', 'о'),
        ('p', 'р'),
        ('x', 'х'),
        ('y', 'у'),
        ('i', 'і'),
        ('s', 'ѕ'),
        ('j', 'ј'),
    ];

    proptest::proptest! {
        /// One look-alike anywhere in a Latin word of three letters or more
        /// is repaired to the word's key, first letter and capitals included.
        #[test]
        fn a_cyrillic_look_alike_in_any_position_of_a_latin_word_is_repaired(
            word in "[A-Za-z]{3,12}",
            at in proptest::prelude::any::<proptest::sample::Index>(),
            pick in proptest::prelude::any::<proptest::sample::Index>(),
        ) {
            let chars: Vec<char> = word.chars().collect();
            let alike: Vec<usize> =
                (0..chars.len()).filter(|&i| SEEN_ALIKE.iter().any(|p| p.0 == chars[i])).collect();
            proptest::prop_assume!(!alike.is_empty());
            let i = alike[at.index(alike.len())];
            let choices: Vec<char> = SEEN_ALIKE.iter().filter(|p| p.0 == chars[i]).map(|p| p.1).collect();
            let mut typed = chars.clone();
            typed[i] = choices[pick.index(choices.len())];
            let typed: String = typed.into_iter().collect();
            let key = |w: &str| crate::analysis::tokenize(w).pop().map(|t| t.key);
            proptest::prop_assert_eq!(key(&typed), key(&word), "{} typed as {}", word, typed);
        }
    }

    #[test]
    fn single_script_words_are_untouched() {
        assert_eq!(repair_homoglyphs("toshkent"), None);
        assert_eq!(repair_homoglyphs("ташкент"), None);
        assert_eq!(script_of("ташкент"), Script::Cyrillic);
        assert_eq!(script_of("2024"), Script::Neutral);
    }
}
