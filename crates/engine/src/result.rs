//! Results as shown: stored display data, highlights, phrase checks, and
//! the "showing results for" line, the same for the CLI and the browser.

use std::sync::Arc;

use crate::analysis::{tokenize, Token};
use crate::excerpt::{excerpt, highlight, Excerpt};
use crate::index::{DocId, StoredDoc, Translation};
use crate::query::Query;
use crate::search::{Facets, Hit, Matcher, SearchResults};
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

/// Turns ranked hits into shown results: checks phrases against the stored
/// text, cuts excerpts, and spells out corrections. `stored` gives the
/// stored document of a hit and its words (the caller has fetched its store slot).
pub fn present<'a>(
    query: &Query,
    found: &SearchResults,
    limit: usize,
    stored: impl Fn(DocId) -> Option<(&'a StoredDoc, Arc<DocWords>)>,
) -> Presented {
    let mut items = Vec::new();
    let (mut matched, mut related) = (0, 0);
    for hit in &found.hits {
        let Some((doc, words)) = stored(hit.doc) else { continue };
        if found.phrase_check && !has_phrases(query, &found.matcher, &words) {
            continue;
        }
        if hit.related {
            related += 1;
        } else {
            matched += 1;
        }
        if items.len() < limit {
            items.push(ResultItem::new(doc, &words, *hit, &found.matcher));
        }
    }
    let (total, related) = if found.phrase_check { (matched, related) } else { (found.total, found.related) };
    let corrected = correction(query, found, &items);
    Presented { total, related, partial: found.partial, corrected, items, facets: found.facets.clone() }
}

/// Whether every phrase's words stand side by side, in order, in the title or text.
pub(crate) fn has_phrases(query: &Query, matcher: &Matcher, doc: &DocWords) -> bool {
    [&doc.title, &doc.text].iter().any(|tokens| {
        let words: Vec<Option<usize>> = tokens.iter().map(|t| matcher.word_of(t, doc.lang.as_ref())).collect();
        query
            .phrases
            .iter()
            .all(|phrase| words.windows(phrase.len()).any(|w| w.iter().zip(phrase).all(|(m, &p)| *m == Some(p))))
    })
}

/// The query with each corrected word replaced by what it matched: the
/// layout-switched word, or the spelling found in the top results.
fn correction(query: &Query, found: &SearchResults, items: &[ResultItem]) -> Option<String> {
    if !found.corrected.iter().any(|&c| c) {
        return None;
    }
    let words: Vec<String> = query
        .words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            if !found.corrected.get(i).copied().unwrap_or(false) {
                return word.text.clone();
            }
            if let Some(Some(switched)) = found.layout.get(i) {
                return switched.clone();
            }
            spelling_in(items, &found.matcher, i).unwrap_or_else(|| word.text.clone())
        })
        .collect();
    Some(words.join(" "))
}

/// How the top results write the word that answers query word `index`:
/// the shortest such word, so a completion does not stand in for the word.
fn spelling_in(items: &[ResultItem], matcher: &Matcher, index: usize) -> Option<String> {
    items
        .iter()
        .flat_map(|item| {
            let lang = Lang::parse(&item.lang).ok();
            [&item.title.text, &item.excerpt.text].into_iter().flat_map(move |text| {
                tokenize(text)
                    .into_iter()
                    .filter(|t| matcher.word_of(t, lang.as_ref()) == Some(index))
                    .map(|t| text[t.start..t.end].to_lowercase())
                    .collect::<Vec<_>>()
            })
        })
        .min_by_key(|spelling| spelling.chars().count())
}
