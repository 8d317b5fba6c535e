//! Splitting text into words with their byte spans.

use super::fold::{fold_word, is_apostrophe, is_ignorable};
use super::normalize::is_combining_mark;
use super::{key_of, repair_homoglyphs};

/// One word of the input: where it stands and the key it is searched by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the word's first character in the input.
    pub start: usize,
    /// Byte offset just past the word's last character.
    pub end: usize,
    /// The word folded but still in its own script (what stemmers read).
    pub folded: String,
    /// The Latin search key.
    pub key: String,
}

/// Splits `text` into words: runs of letters, digits and combining marks,
/// starting with a letter or digit (so a stray variation selector is no word).
/// An apostrophe look-alike joins a word only between two such characters
/// (`O‘zbekiston`, `ma’no`), so quotation marks around a word stay outside it.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut start = None;
    while let Some((at, c)) = chars.next() {
        let joins = match start {
            None => c.is_alphanumeric(),
            Some(_) => {
                is_word_char(c)
                    || is_ignorable(c)
                    || (is_apostrophe(c) && chars.peek().is_some_and(|&(_, next)| is_word_char(next)))
            }
        };
        match (joins, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                push_token(text, from, at, &mut tokens);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        push_token(text, from, text.len(), &mut tokens);
    }
    tokens
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn push_token(text: &str, start: usize, end: usize, tokens: &mut Vec<Token>) {
    // The span is the visible word: an invisible control after it is not part of it.
    let end = start + without_possessive(text[start..end].trim_end_matches(is_ignorable)).len();
    let mut folded = String::new();
    fold_word(&text[start..end], &mut folded);
    if let Some(repaired) = repair_homoglyphs(&folded) {
        folded = repaired;
    }
    // A lone hard or soft sign has no letters of its own in a key: no word.
    let key = key_of(&folded);
    if !key.is_empty() {
        tokens.push(Token { start, end, folded, key });
    }
}

/// An English possessive `’s` is not part of the word (`border’s` is `border`).
/// Uzbek has no word ending in an apostrophe and `s`, so this is safe for it.
fn without_possessive(word: &str) -> &str {
    let mut tail = word.char_indices().rev();
    match (tail.next(), tail.next()) {
        (Some((_, 's' | 'S')), Some((at, c))) if is_apostrophe(c) && at > 0 => &word[..at],
        _ => word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.key).collect()
    }

    #[test]
    fn splits_on_spaces_punctuation_and_nbsp() {
        assert_eq!(terms("в\u{a0}области, «Ташкент»—2024!"), ["v", "oblasti", "tashkent", "2024"]);
    }

    #[test]
    fn apostrophes_join_inside_words_only() {
        assert_eq!(terms("‘O‘zbekiston’ ma’no"), ["ozbekiston", "mano"]);
        assert_eq!(terms("tog‘ "), ["tog"]);
    }

    #[test]
    fn english_possessives_are_dropped() {
        let text = "the State border’s security, Uzbekistan's";
        assert_eq!(terms(text), ["the", "state", "border", "security", "uzbekistan"]);
        assert_eq!(&text[tokenize(text)[2].start..tokenize(text)[2].end], "border");
    }

    #[test]
    fn spans_point_at_the_original_text() {
        let text = "«Mirziyoyev» Toshkentda";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[0].start..tokens[0].end], "Mirziyoyev");
        assert_eq!(&text[tokens[1].start..tokens[1].end], "Toshkentda");
    }

    #[test]
    fn format_controls_neither_split_nor_end_up_in_words() {
        let text = "\u{2068}Tash\u{200E}kent\u{2069} \u{202B}Ташкент\u{202C}";
        let tokens = tokenize(text);
        assert_eq!(tokens.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(), ["tashkent", "tashkent"]);
        assert_eq!(&text[tokens[0].start..tokens[0].end], "Tash\u{200E}kent");
        assert_eq!(&text[tokens[1].start..tokens[1].end], "Ташкент");
    }

    #[test]
    fn emoji_and_symbols_are_not_words() {
        assert_eq!(terms("❗️⚡️ — − 4−6"), ["4", "6"]);
        assert!(terms("").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn spans_are_ordered_char_boundaries(text in "\\PC{0,200}") {
            let mut last_end = 0;
            for token in tokenize(&text) {
                proptest::prop_assert!(token.start >= last_end && token.start < token.end);
                proptest::prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
                proptest::prop_assert!(!token.key.is_empty());
                last_end = token.end;
            }
        }
    }
}
