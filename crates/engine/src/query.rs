//! What the visitor typed, parsed into words, phrases and exclusions.
//!
//! * Words are ANDed; the last one is a prefix while it is being typed.
//! * `"exact phrase"` (also «…» and “…”) keeps its words in order, side by side.
//! * `-word` removes the articles that contain the word.
//!
//! The work a query can ask for is bounded: at most [`MAX_QUERY_BYTES`] of
//! input, [`MAX_QUERY_WORDS`] distinct words, [`MAX_QUERY_PHRASES`] distinct
//! phrases of at most [`MAX_QUERY_WORDS`] words each. What lies beyond is
//! ignored, so a pasted page or 300 quoted phrases cost what a dozen words do.

use std::ops::Range;

use crate::analysis::{fold_word, is_ignorable, is_layout_key, key_of, stems_of, tokenize, Script, Token};

/// Input beyond this many bytes is ignored: a pasted page must not stall a keystroke.
pub const MAX_QUERY_BYTES: usize = 1024;
/// Words beyond this many are ignored, for the same reason.
pub const MAX_QUERY_WORDS: usize = 12;
/// Phrases beyond this many are ignored: each is checked against the text
/// of every candidate article.
pub const MAX_QUERY_PHRASES: usize = 4;

/// One analysed query word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryWord {
    /// As typed.
    pub text: String,
    /// Folded in its own script (what stemmers and layout switching read).
    pub folded: String,
    /// The Latin search key.
    pub key: String,
    /// Every stem the word could have in a site language.
    pub stems: Vec<String>,
    pub script: Script,
    /// Matches any key starting with `key` (the word being typed).
    pub prefix: bool,
}

/// A parsed query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Required words, in typed order (phrase words included).
    pub words: Vec<QueryWord>,
    /// Phrases, each as indices into `words` in phrase order. A word that
    /// recurs (`"bora bora"`, or `the` in two phrases) is one word, so its
    /// index recurs: an article's word answers one query word only.
    pub phrases: Vec<Vec<usize>>,
    /// Words whose articles are removed.
    pub excluded: Vec<QueryWord>,
    /// Runs of keys that may have been typed in the wrong layout, which the
    /// plain reading splits into words or cuts short.
    pub runs: Vec<LayoutRun>,
}

/// Keys typed without a space, holding a punctuation key that stands for a
/// Russian letter on ЙЦУКЕН (`Ep,trbcnfy` is Узбекистан: `,` is б). The
/// plain reading (`ep`, `trbcnfy`) stays the query; the search reads the
/// run as one word in the other layout instead only when some of its plain
/// words find nothing as typed and the switched word does. So `visa,Toshkent`
/// and `Sh.Mirziyoyev` keep their punctuation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutRun {
    /// The query words the plain reading makes of the run.
    pub words: Range<usize>,
    /// The run as one word; only its other-layout reading is searched.
    pub word: QueryWord,
}

/// Where a word of a query read with some runs as one word comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// That word of the plain reading.
    Word(usize),
    /// That run, as one word.
    Run(usize),
}

impl QueryWord {
    pub fn new(text: &str, folded: String, key: String, prefix: bool) -> QueryWord {
        QueryWord {
            text: text.to_string(),
            stems: stems_of(&folded, &key, None),
            script: crate::analysis::script_of(&folded),
            folded,
            key,
            prefix,
        }
    }

    fn from_token(input: &str, token: Token, prefix: bool) -> QueryWord {
        QueryWord::new(&input[token.start..token.end], token.folded, token.key, prefix)
    }
}

impl Query {
    /// Parses typed input.
    pub fn parse(input: &str) -> Query {
        let mut cut = input.len().min(MAX_QUERY_BYTES);
        while !input.is_char_boundary(cut) {
            cut -= 1;
        }
        let input = &input[..cut];
        // Invisible controls after the last word (a bidi isolate from a
        // pasted name) do not end it: it is still being typed.
        let typed_end = input.trim_end_matches(is_ignorable).len();
        let quoted = quoted_ranges(input);
        let tokens = tokenize(input);
        let last = tokens.len().saturating_sub(1);
        let mut query = Query::default();
        let mut phrase_of_range: Vec<Option<Vec<usize>>> = vec![None; quoted.len()];
        // Where each required word starts in the input.
        let mut starts = Vec::new();
        for (i, token) in tokens.into_iter().enumerate() {
            let in_quote = quoted.iter().position(|r| r.contains(&token.start));
            let excluded = in_quote.is_none() && is_excluded(input, token.start);
            let prefix = i == last && token.end == typed_end && in_quote.is_none() && !excluded;
            if excluded {
                if query.excluded.len() < MAX_QUERY_WORDS {
                    query.excluded.push(QueryWord::from_token(input, token, false));
                }
                continue;
            }
            // A repeated word adds nothing to an AND (a pasted page repeats many).
            let known = query.words.iter().position(|w| w.key == token.key && w.prefix == prefix);
            let index = match known {
                Some(index) => index,
                None if query.words.len() == MAX_QUERY_WORDS => break,
                None => {
                    starts.push(token.start);
                    query.words.push(QueryWord::from_token(input, token, prefix));
                    query.words.len() - 1
                }
            };
            if let Some(phrase) = in_quote.map(|q| phrase_of_range[q].get_or_insert_with(Vec::new)) {
                if phrase.len() < MAX_QUERY_WORDS {
                    phrase.push(index);
                }
            }
        }
        for phrase in phrase_of_range.into_iter().flatten() {
            let distinct = phrase.len() > 1 && !query.phrases.contains(&phrase);
            if distinct && query.phrases.len() < MAX_QUERY_PHRASES {
                query.phrases.push(phrase);
            }
        }
        query.runs = layout_runs(input, &quoted, &starts);
        query
    }

    /// The query with the runs `read` (indices into `runs`, ascending) each
    /// read as one word, and where each of its words comes from.
    pub fn with_runs_read(&self, read: &[usize]) -> (Query, Vec<Source>) {
        let mut sources = Vec::with_capacity(self.words.len());
        let mut next = 0;
        for &r in read {
            let run = &self.runs[r];
            sources.extend((next..run.words.start).map(Source::Word));
            sources.push(Source::Run(r));
            next = run.words.end;
        }
        sources.extend((next..self.words.len()).map(Source::Word));
        let words = sources
            .iter()
            .map(|&source| match source {
                Source::Word(i) => self.words[i].clone(),
                Source::Run(r) => self.runs[r].word.clone(),
            })
            .collect();
        // A phrase's words move; one that a run took in (a quote mark that is
        // also a letter key, say) leaves its phrase unchecked: what was quoted is
        // no longer what is read.
        let moved = |i: usize| sources.iter().position(|&s| s == Source::Word(i));
        let phrases = self.phrases.iter().filter_map(|p| p.iter().map(|&i| moved(i)).collect()).collect();
        let read_query = Query { words, phrases, excluded: self.excluded.clone(), runs: Vec::new() };
        (read_query, sources)
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Byte ranges inside closed quotation marks. An unclosed quote (still being
/// typed) quotes nothing yet.
fn quoted_ranges(input: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (at, c) in input.char_indices() {
        match (open, c) {
            (None, '"' | '«' | '“' | '„') => open = Some((at + c.len_utf8(), c)),
            (Some((start, opener)), _) if closes(opener, c) => {
                ranges.push(start..at);
                open = None;
            }
            _ => {}
        }
    }
    ranges
}

fn closes(opener: char, c: char) -> bool {
    matches!((opener, c), ('"', '"') | ('«', '»') | ('“', '”') | ('„', '“') | ('„', '”'))
}

/// The runs of `input` that may be keys typed in the wrong layout: text
/// between spaces, outside quotes and not excluded, made only of Latin-layout
/// keys, that the tokenizer does not read as one word (a punctuation key
/// splits it or stands at an edge). `starts` are where the query's words start.
fn layout_runs(input: &str, quoted: &[Range<usize>], starts: &[usize]) -> Vec<LayoutRun> {
    let mut runs = Vec::new();
    let mut at = 0;
    for chunk in input.split(char::is_whitespace) {
        let span = at..at + chunk.len();
        at = span.end + input[span.end..].chars().next().map_or(0, char::len_utf8);
        let outside = !quoted.iter().any(|q| q.start <= span.end && span.start <= q.end);
        let keys = chunk.chars().all(is_layout_key) && chunk.chars().any(|c| c.is_ascii_alphabetic());
        let whole = tokenize(chunk).first().is_some_and(|t| t.start == 0 && t.end == chunk.len());
        if !outside || !keys || whole || chunk.chars().count() < 2 {
            continue;
        }
        let first = starts.partition_point(|&s| s < span.start);
        let end = starts.partition_point(|&s| s < span.end);
        if first == end {
            continue;
        }
        let mut folded = String::new();
        fold_word(chunk, &mut folded);
        let key = key_of(&folded);
        let word = QueryWord::new(chunk, folded, key, span.end == input.len());
        runs.push(LayoutRun { words: first..end, word });
    }
    runs
}

/// A word right after a `-` that starts a term (`-visa`, not `Toshkent-Samarqand`).
fn is_excluded(input: &str, start: usize) -> bool {
    let before = input[..start].trim_end_matches(is_ignorable);
    before
        .strip_suffix('-')
        .is_some_and(|rest| rest.trim_end_matches(is_ignorable).chars().next_back().is_none_or(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(words: &[QueryWord]) -> Vec<&str> {
        words.iter().map(|w| w.key.as_str()).collect()
    }

    #[test]
    fn last_word_is_a_prefix_while_typing() {
        let q = Query::parse("Border secur");
        assert_eq!(keys(&q.words), ["border", "secur"]);
        assert_eq!((q.words[0].prefix, q.words[1].prefix), (false, true));
        assert!(!Query::parse("border ").words[0].prefix);
    }

    #[test]
    fn quotes_make_phrases() {
        let q = Query::parse(r#"talks "state border" security"#);
        assert_eq!(keys(&q.words), ["talks", "state", "border", "security"]);
        assert_eq!(q.phrases, [vec![1, 2]]);
        assert_eq!(Query::parse("«государственной границы»").phrases, [vec![0, 1]]);
        let open = Query::parse(r#""state bord"#);
        assert!(open.phrases.is_empty() && open.words[1].prefix);
    }

    #[test]
    fn minus_excludes_but_hyphens_join() {
        let q = Query::parse("visa -Russia Toshkent-Samarqand");
        assert_eq!(keys(&q.words), ["visa", "toshkent", "samarqand"]);
        assert_eq!(keys(&q.excluded), ["russia"]);
        assert!(!q.excluded[0].prefix);
    }

    #[test]
    fn words_carry_their_stems_and_script() {
        let q = Query::parse("Toshkentdagi переговоры ");
        assert!(q.words[0].stems.contains(&"toshkent".to_string()));
        assert_eq!(q.words[1].script, Script::Cyrillic);
        assert_eq!(q.words[1].key, "peregovori");
    }

    #[test]
    fn repeated_words_count_once_in_and_out_of_phrases() {
        assert_eq!(keys(&Query::parse("visa Visa VISA news ").words), ["visa", "news"]);
        let q = Query::parse(r#""bora bora""#);
        assert_eq!((keys(&q.words), q.phrases), (vec!["bora"], vec![vec![0, 0]]));
        // `the` answers both phrases: as two words, the second could never match.
        let q = Query::parse(r#""in the" talks "of the""#);
        assert_eq!(keys(&q.words), ["in", "the", "talks", "of"]);
        assert_eq!(q.phrases, [vec![0, 1], vec![3, 1]]);
    }

    #[test]
    fn a_run_that_takes_in_quoted_words_leaves_no_broken_phrase() {
        // Found by the query_parser fuzz target: a phrase emptied by a run panicked the phrase check.
        let input = "'z'J\n]j\n'&M'J\n]jMmj\u{44e}'%M'y\"'J\n\0\0\0\0\0\0\0<J\n\"#t {\",L\ntza~'B,La]~";
        let query = Query::parse(input);
        let all: Vec<usize> = (0..query.runs.len()).collect();
        for read in [&all[..], &all[..all.len().min(1)], &[]] {
            let (read_query, _) = query.with_runs_read(read);
            for phrase in &read_query.phrases {
                assert!(phrase.len() > 1 && phrase.iter().all(|&i| i < read_query.words.len()), "{phrase:?}");
            }
        }
    }

    #[test]
    fn many_phrases_are_bounded() {
        // 100 phrases fill 900 of the 1,024 bytes read.
        let same = Query::parse(&r#""in the" "#.repeat(100));
        assert_eq!((same.words.len(), same.phrases.len()), (2, 1));
        let pairs = ["a b", "b c", "c d", "d e", "e f", "f g", "g h"];
        let many = Query::parse(&pairs.map(|p| format!("\"{p}\"")).join(" ").repeat(40));
        assert_eq!(many.phrases.len(), MAX_QUERY_PHRASES);
        let long = Query::parse(&format!("\"{}\"", "la ".repeat(300)));
        assert_eq!(long.phrases, [vec![0; MAX_QUERY_WORDS]]);
        let excluded = Query::parse(&"-x ".repeat(300));
        assert_eq!(excluded.excluded.len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn invisible_controls_do_not_end_or_exclude_a_word() {
        for typed in ["Tashk\u{2069}", "\u{2068}Tashk\u{2069}", "Tash\u{200F}k\u{200E}", "Tashk\u{202C}\u{2069}"] {
            let q = Query::parse(typed);
            assert_eq!(keys(&q.words), ["tashk"], "{typed:?}");
            assert!(q.words[0].prefix, "{typed:?}");
        }
        assert_eq!(keys(&Query::parse("visa \u{2068}-Russia\u{2069} ").excluded), ["russia"]);
    }

    #[test]
    fn huge_input_is_bounded() {
        let many: String = (0..5_000).map(|i| format!("слово{i} ")).collect();
        assert_eq!(Query::parse(&many).words.len(), MAX_QUERY_WORDS);
        let q = Query::parse(&"ж".repeat(10_000));
        assert_eq!(q.words.len(), 1);
    }

    #[test]
    fn keys_the_tokenizer_splits_or_cuts_are_layout_runs() {
        let runs =
            |input: &str| Query::parse(input).runs.into_iter().map(|r| (r.words, r.word.text)).collect::<Vec<_>>();
        assert_eq!(runs("Ep,trbcnfy"), [(0..2, "Ep,trbcnfy".to_string())]);
        assert_eq!(runs("visa [jhjij"), [(1..2, "[jhjij".to_string())]);
        assert!(Query::parse("[jhjij").runs[0].word.prefix && !Query::parse("[jhjij ").runs[0].word.prefix);
        // One word as typed: the switch reads its keys, no run is needed.
        assert!(runs("Vbhpb`td o'zbekiston").is_empty());
        // Not keys of the Latin layout, quoted, or excluded.
        assert!(runs("Toshkent—Samarqand 2024,5 \"a,b\" -c,d Ташкент,").is_empty());
    }

    #[test]
    fn punctuation_only_is_empty() {
        assert!(Query::parse(" ,.!? ❤️ \"\" - ").is_empty());
    }
}
