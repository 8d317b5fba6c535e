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

/// Lower-case look-alikes, (Latin, Cyrillic), used in both directions.
const LOOKALIKES: [(char, char); 11] = [
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
];

/// Replaces letters of the minority script that look like a letter of the
/// majority script (`fotо` with a Cyrillic о, `сaййид` with a Latin a,
/// `тiка` with a Latin i). Words in one script, and ties, are left alone.
pub fn repair_homoglyphs(word: &str) -> Option<String> {
    let (latin, cyrillic) = counts(word);
    if latin == 0 || cyrillic == 0 || latin == cyrillic {
        return None;
    }
    let to_cyrillic = cyrillic > latin;
    let swap = |c: char| -> char {
        match (to_cyrillic, c) {
            // A Latin I in a Cyrillic word stands for И; a Cyrillic і in a Latin word for i.
            (true, 'i') => 'и',
            (false, 'і') => 'i',
            (true, _) => LOOKALIKES.iter().find(|p| p.0 == c).map_or(c, |p| p.1),
            (false, _) => LOOKALIKES.iter().find(|p| p.1 == c).map_or(c, |p| p.0),
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
    fn single_script_words_are_untouched() {
        assert_eq!(repair_homoglyphs("toshkent"), None);
        assert_eq!(repair_homoglyphs("ташкент"), None);
        assert_eq!(script_of("ташкент"), Script::Cyrillic);
        assert_eq!(script_of("2024"), Script::Neutral);
    }
}
