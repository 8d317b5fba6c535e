//! Words typed with the wrong keyboard layout: ЙЦУКЕН ↔ QWERTY.

const QWERTY: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const JCUKEN: &str = "йцукенгшщзхъфывапролджэячсмитьбюё";

/// The same keys read in the other layout (`ghtpbltyn` → `президент`), or
/// `None` when a character has no counterpart.
pub fn switch_layout(word: &str) -> Option<String> {
    word.chars()
        .map(|c| {
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
}
