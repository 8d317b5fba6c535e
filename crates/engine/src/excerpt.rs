//! Excerpts: the densest window of matches, cut from the original text.

use std::ops::Range;

use crate::analysis::Token;
use crate::search::Matcher;
use crate::Lang;

/// Words in an excerpt window.
pub const EXCERPT_WORDS: usize = 28;
/// Words shown before the first match in the window, for context.
const LEAD_WORDS: usize = 3;
const ELLIPSIS: &str = "…";

/// A snippet of original text and the byte ranges of its matched words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    pub highlights: Vec<Range<usize>>,
}

impl Excerpt {
    /// The highlights as character (Unicode scalar) offsets, for consumers
    /// outside Rust that do not index strings by bytes.
    pub fn char_highlights(&self) -> Vec<(usize, usize)> {
        self.highlights_counted(|text| text.chars().count())
    }

    /// The highlights as UTF-16 offsets, as JavaScript strings count.
    pub fn utf16_highlights(&self) -> Vec<(usize, usize)> {
        self.highlights_counted(|text| text.encode_utf16().count())
    }

    fn highlights_counted(&self, count: impl Fn(&str) -> usize) -> Vec<(usize, usize)> {
        self.highlights.iter().map(|r| (count(&self.text[..r.start]), count(&self.text[..r.end]))).collect()
    }

    /// Splits the text into `(segment, is_match)` runs, in order.
    pub fn segments(&self) -> Vec<(&str, bool)> {
        let mut segments = Vec::new();
        let mut at = 0;
        for range in &self.highlights {
            if range.start > at {
                segments.push((&self.text[at..range.start], false));
            }
            segments.push((&self.text[range.clone()], true));
            at = range.end;
        }
        if at < self.text.len() {
            segments.push((&self.text[at..], false));
        }
        segments
    }
}

/// Highlights every matching word of `text` (cut into `tokens`), keeping all of it (for titles).
pub fn highlight(text: &str, tokens: &[Token], matcher: &Matcher, lang: Option<&Lang>) -> Excerpt {
    Excerpt {
        text: text.to_string(),
        highlights: tokens.iter().filter(|t| matcher.word_of(t, lang).is_some()).map(|t| t.start..t.end).collect(),
    }
}

/// Cuts the window of [`EXCERPT_WORDS`] words of `text` that holds the most
/// distinct query words (then the most matches), with its matches marked.
/// `tokens` are the words of `text` ([`tokenize`](crate::analysis::tokenize)).
pub fn excerpt(text: &str, tokens: &[Token], matcher: &Matcher, lang: Option<&Lang>) -> Excerpt {
    if tokens.is_empty() {
        return Excerpt::default();
    }
    let matched: Vec<Option<usize>> = tokens.iter().map(|t| matcher.word_of(t, lang)).collect();
    let (first, _) = best_window(&matched);
    let start = first.saturating_sub(LEAD_WORDS);
    let end = (start + EXCERPT_WORDS).min(tokens.len());
    let cut = cut_bounds(text, tokens, start, end);
    let lead = if cut.start > 0 { ELLIPSIS } else { "" };
    let trail = if cut.end < text.len() { ELLIPSIS } else { "" };
    let highlights = (start..end)
        .filter(|&i| matched[i].is_some())
        .map(|i| {
            let shift = |at: usize| at - cut.start + lead.len();
            shift(tokens[i].start)..shift(tokens[i].end)
        })
        .collect();
    Excerpt { text: format!("{lead}{}{trail}", &text[cut]), highlights }
}

/// Whether `tokens`, the start of a longer text, hold the excerpt to show
/// of it: their best window holds every query word, and more words follow
/// it. A later window of the whole text could only tie with it (in
/// distinct words); the lede's is shown then.
pub fn holds_excerpt(tokens: &[Token], matcher: &Matcher, lang: Option<&Lang>) -> bool {
    let matched: Vec<Option<usize>> = tokens.iter().map(|t| matcher.word_of(t, lang)).collect();
    let (first, distinct) = best_window(&matched);
    let ends_inside = first.saturating_sub(LEAD_WORDS) + EXCERPT_WORDS < tokens.len();
    !matcher.words.is_empty() && distinct == matcher.words.len() && ends_inside
}

/// The token index where the best window's first match stands (0 if none),
/// and how many distinct query words the window holds.
fn best_window(matched: &[Option<usize>]) -> (usize, usize) {
    let mut best = (0, 0, 0);
    for (i, m) in matched.iter().enumerate() {
        if m.is_none() {
            continue;
        }
        let window = &matched[i..(i + EXCERPT_WORDS).min(matched.len())];
        let mut distinct: Vec<usize> = window.iter().flatten().copied().collect();
        let hits = distinct.len();
        distinct.sort_unstable();
        distinct.dedup();
        if (distinct.len(), hits) > (best.0, best.1) {
            best = (distinct.len(), hits, i);
        }
    }
    (best.2, best.0)
}

/// The byte range from the start of token `start` to the end of token
/// `end - 1`, widened to the text's edges when only punctuation lies beyond.
fn cut_bounds(text: &str, tokens: &[Token], start: usize, end: usize) -> Range<usize> {
    let from = if start == 0 { 0 } else { tokens[start].start };
    let to = if end == tokens.len() { text.len() } else { tokens[end - 1].end };
    from..to
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tokenize;
    use crate::search::WordMatcher;

    fn excerpt(text: &str, matcher: &Matcher, lang: Option<&Lang>) -> Excerpt {
        super::excerpt(text, &tokenize(text), matcher, lang)
    }

    /// A matcher for whole keys, and a prefix for the last one.
    fn matcher(keys: &[&str], prefix: Option<&str>) -> Matcher {
        let mut words: Vec<WordMatcher> = keys
            .iter()
            .map(|k| WordMatcher { keys: [k.to_string()].into_iter().collect(), ..Default::default() })
            .collect();
        if let Some(p) = prefix {
            words.push(WordMatcher { prefix: Some(p.into()), ..Default::default() });
        }
        Matcher { words }
    }

    #[test]
    fn window_lands_on_the_matches_and_marks_them() {
        let text = format!("{} the State border security was discussed {}", "filler ".repeat(60), "tail ".repeat(60));
        let e = excerpt(&text, &matcher(&["border"], Some("secur")), None);
        let marked: Vec<&str> = e.segments().into_iter().filter(|s| s.1).map(|s| s.0).collect();
        assert_eq!(marked, ["border", "security"]);
        assert!(e.text.starts_with('…') && e.text.ends_with('…'));
    }

    #[test]
    fn marks_the_original_spelling() {
        let e = excerpt("Prezident O‘zbekiston haqida", &matcher(&["ozbekiston"], None), None);
        assert_eq!(&e.text[e.highlights[0].clone()], "O‘zbekiston");
        assert_eq!(e.char_highlights(), [(10, 21)]);
    }

    #[test]
    fn short_text_is_kept_whole() {
        let e = excerpt("Talks in Tashkent.", &matcher(&["tashkent"], None), None);
        assert_eq!(e.text, "Talks in Tashkent.");
        assert_eq!(e.segments(), [("Talks in ", false), ("Tashkent", true), (".", false)]);
    }

    #[test]
    fn no_match_gives_the_opening() {
        let e = excerpt(&"word ".repeat(100), &matcher(&["absent"], None), None);
        assert!(e.highlights.is_empty());
        assert_eq!(e.text.split_whitespace().count(), EXCERPT_WORDS);
    }
}
