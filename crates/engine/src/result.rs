//! Results as shown: stored display data, highlights, phrase checks, and
//! the "showing results for" line, the same for the CLI and the browser.

use std::sync::Arc;

use crate::analysis::{fold_word, key_of, lowercase, script_of, to_latin_spelling, tokenize, Script, Token};
use crate::excerpt::{excerpt, highlight, Excerpt};
use crate::index::{DocId, StoredDoc, Translation};
use crate::query::Query;
use crate::search::{Correction, Facets, Hit, Matcher, SearchResults};
use crate::Lang;

/// What the CLI prints and the widget renders for one hit.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultItem {
    pub id: String,
    pub url: String,
    pub lang: String,
    pub date: Option<String>,
    pub score: f32,
    /// Missing one of the query's words (see [`Hit::related`]).
    pub related: bool,
    /// The title with its matches marked.
    pub title: Excerpt,
    /// The densest window of the body with its matches marked.
    pub excerpt: Excerpt,
    /// The same story in other languages.
    pub translations: Vec<Translation>,
}

/// A stored document's title and text cut into words, with its language:
/// what highlights, excerpts and phrase checks read.
pub struct DocWords {
    pub lang: Option<Lang>,
    pub title: Vec<Token>,
    pub text: Vec<Token>,
}

impl DocWords {
    pub fn of(doc: &StoredDoc) -> DocWords {
        DocWords { lang: Lang::parse(&doc.lang).ok(), title: tokenize(&doc.title), text: tokenize(&doc.text) }
    }
}

impl ResultItem {
    pub fn new(doc: &StoredDoc, words: &DocWords, hit: Hit, matcher: &Matcher) -> ResultItem {
        let lang = words.lang.as_ref();
        ResultItem {
            id: doc.id.clone(),
            url: doc.url.clone(),
            lang: doc.lang.clone(),
            date: doc.date.clone(),
            score: hit.score,
            related: hit.related,
            title: highlight(&doc.title, &words.title, matcher, lang),
            excerpt: excerpt(&doc.text, &words.text, matcher, lang),
            translations: doc.translations.clone(),
        }
    }
}

/// A page of results, ready to show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Presented {
    /// Articles with every word (or, when `partial`, with the most words).
    pub total: usize,
    /// Articles missing one word, shown after the matches.
    pub related: usize,
    /// Matches per language and year, for filters.
    pub facets: Facets,
    pub partial: bool,
    /// The query as corrected, when some word matched only through a typo
    /// or keyboard-layout correction ("Showing results for …").
    pub corrected: Option<String>,
    pub items: Vec<ResultItem>,
}

/// Turns ranked hits into shown results: cuts excerpts, and spells out
/// corrections. `stored` gives the stored document of a hit and its words
/// (the caller has fetched its store slot).
pub fn present<'a>(
    query: &Query,
    found: &SearchResults,
    limit: usize,
    stored: impl Fn(DocId) -> Option<(&'a StoredDoc, Arc<DocWords>)>,
) -> Presented {
    let query = found.reading.as_ref().unwrap_or(query);
    let shown = found.hits.iter().filter_map(|hit| Some((hit, stored(hit.doc)?))).take(limit);
    let items: Vec<ResultItem> =
        shown.map(|(hit, (doc, words))| ResultItem::new(doc, &words, *hit, &found.matcher)).collect();
    let corrected = correction(query, found, &items);
    Presented {
        total: found.total,
        related: found.related,
        partial: found.partial,
        corrected,
        items,
        facets: found.facets.clone(),
    }
}

/// The query with each corrected word replaced by what it matched, in the
/// script the visitor typed it in: the layout-switched word, or how the
/// shown results spell the key the typo was corrected to.
fn correction(query: &Query, found: &SearchResults, items: &[ResultItem]) -> Option<String> {
    if found.corrected.iter().all(Option::is_none) {
        return None;
    }
    let words: Vec<String> = query
        .words
        .iter()
        .enumerate()
        .map(|(i, word)| match found.corrected.get(i) {
            Some(Some(Correction::Layout(switched))) => switched.clone(),
            Some(Some(Correction::Typo { key, stem: false })) => {
                // The word itself, or the start of an inflected form of it
                // (Мирзиёеву gives Мирзиёев): the same key, uninflected.
                let spelt = spelling(items, word.script, |text, token, _| {
                    (token.key.starts_with(key.as_str())).then(|| leading(text, key)).flatten()
                });
                // Keys are Latin: shown as they are only to a Latin-script visitor.
                spelt.unwrap_or_else(|| match word.script {
                    Script::Cyrillic => lowercase(&word.text),
                    _ => key.clone(),
                })
            }
            Some(Some(Correction::Typo { stem: true, .. })) => {
                let answers = |text: &str, token: &Token, lang: Option<&Lang>| {
                    (found.matcher.word_of(token, lang) == Some(i)).then(|| lowercase(text))
                };
                spelling(items, word.script, answers).unwrap_or_else(|| lowercase(&word.text))
            }
            None | Some(None) => word.text.clone(),
        })
        .collect();
    Some(words.join(" "))
}

/// The shortest start of `word` whose key is `key`, lower-cased.
fn leading(word: &str, key: &str) -> Option<String> {
    let mut folded = String::new();
    word.char_indices().map(|(at, c)| &word[..at + c.len_utf8()]).find_map(|start| {
        fold_word(start, &mut folded);
        (key_of(&folded) == key).then(|| lowercase(start))
    })
}

/// The spelling the shown results give most often for a word, among the
/// words `spelt` reads (from a word's text, its token and the result's
/// language): written in `script`, so a Cyrillic spelling is transliterated
/// for a Latin-script visitor (a Latin one is never shown to a Cyrillic-script
/// visitor); spellings in that script first, then the most frequent, then
/// the shortest.
fn spelling(
    items: &[ResultItem],
    script: Script,
    spelt: impl Fn(&str, &Token, Option<&Lang>) -> Option<String>,
) -> Option<String> {
    let mut seen: Vec<(String, bool, usize)> = Vec::new();
    for item in items {
        let lang = Lang::parse(&item.lang).ok();
        for text in [&item.title.text, &item.excerpt.text] {
            for token in tokenize(text) {
                let Some(written) = spelt(&text[token.start..token.end], &token, lang.as_ref()) else { continue };
                let (shown, native) = match script_of(&token.folded) {
                    found if found == script => (written, true),
                    Script::Cyrillic if script == Script::Latin => (to_latin_spelling(&written), false),
                    _ => continue,
                };
                match seen.iter_mut().find(|(s, _, _)| *s == shown) {
                    Some(entry) => entry.2 += 1,
                    None => seen.push((shown, native, 1)),
                }
            }
        }
    }
    let rank = |(shown, native, count): &(String, bool, usize)| {
        (*native, *count, std::cmp::Reverse(shown.chars().count()), std::cmp::Reverse(shown.clone()))
    };
    seen.into_iter().max_by_key(rank).map(|(shown, _, _)| shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_of_an_inflected_word_gives_its_plain_form() {
        assert_eq!(leading("Мирзиёеву", "mirziyeyev").as_deref(), Some("мирзиёев"));
        assert_eq!(leading("Mirziyoyevning", "mirziyeyev").as_deref(), Some("mirziyoyev"));
        assert_eq!(leading("O‘zbekistonda", "ozbekiston").as_deref(), Some("o‘zbekiston"));
        assert_eq!(leading("Samarqand", "samarkand"), None);
    }
}
