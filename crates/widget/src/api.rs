//! `search()` for the page's scripts: the engine without the UI, answering
//! in the shape of `qidiruv search --json`.

use std::collections::BTreeMap;

use qidiruv_engine::{Date, Excerpt, Lang, Presented, Query, ResultItem, SearchOptions};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::index_client::index_at;

/// What `qidiruv.js` passes on from `search(query, options)`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    /// Absolute URL of the index directory.
    index: String,
    /// Only results in this language.
    lang: Option<String>,
    /// Rank results in this language higher.
    prefer_lang: Option<String>,
    limit: Option<usize>,
    /// Only results dated on or after this day (`YYYY-MM-DD`).
    from: Option<String>,
    /// Only results dated on or before this day.
    to: Option<String>,
}

/// Results unless the caller asks for another number, as the CLI.
const DEFAULT_LIMIT: usize = 10;

#[derive(Serialize)]
struct Answer<'a> {
    query: &'a str,
    total: usize,
    related: usize,
    partial: bool,
    corrected: Option<String>,
    /// Matches per language and per year, before the `lang` and date filters.
    languages: BTreeMap<String, usize>,
    years: BTreeMap<String, usize>,
    results: Vec<Found>,
}

#[derive(Serialize)]
struct Found {
    id: String,
    url: String,
    title: String,
    lang: String,
    date: Option<String>,
    score: f64,
    related: bool,
    excerpt: String,
    /// `[start, end)` of each match in `excerpt`, in UTF-16 code units as JS strings count.
    highlights: Vec<(usize, usize)>,
    /// The same story in other languages: language tag → url.
    translations: BTreeMap<String, String>,
}

/// Searches the index at `options.index` (loading it if needed) and
/// resolves to the answer, or rejects with an Error saying what failed.
#[wasm_bindgen]
pub async fn search(query: String, options: JsValue) -> Result<JsValue, JsError> {
    let fail = |message: String| JsError::new(&format!("qidiruv: {message}"));
    let request: Request =
        serde_wasm_bindgen::from_value(options).map_err(|e| fail(format!("bad search options: {e}")))?;
    let options = SearchOptions {
        lang: canonical(request.lang).map_err(fail)?,
        prefer_lang: canonical(request.prefer_lang).map_err(fail)?,
        limit: request.limit.unwrap_or(DEFAULT_LIMIT),
        from: day(request.from).map_err(fail)?,
        to: day(request.to).map_err(fail)?,
    };
    let mut base = request.index;
    if !base.ends_with('/') {
        base.push('/');
    }
    let index = index_at(&base).await.map_err(fail)?;
    let shown = index.search(&Query::parse(&query), &options).await.map_err(fail)?;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    Answer::new(&query, shown).serialize(&serializer).map_err(|e| fail(e.to_string()))
}

/// A language tag as the engine names it (`uz` → `uz-Latn`), or why it is not one.
fn canonical(tag: Option<String>) -> Result<Option<String>, String> {
    tag.map(|tag| Lang::parse(&tag).map(|lang| lang.tag().to_string()).map_err(|e| e.to_string())).transpose()
}

fn day(value: Option<String>) -> Result<Option<Date>, String> {
    value.map(|v| Date::parse(&v).map_err(|e| e.to_string())).transpose()
}

impl<'a> Answer<'a> {
    fn new(query: &'a str, shown: Presented) -> Answer<'a> {
        Answer {
            query,
            total: shown.total,
            related: shown.related,
            partial: shown.partial,
            corrected: shown.corrected,
            languages: shown.facets.languages.into_iter().collect(),
            years: shown.facets.years.into_iter().map(|(year, n)| (year.to_string(), n)).collect(),
            results: shown.items.into_iter().map(Found::from).collect(),
        }
    }
}

impl From<ResultItem> for Found {
    fn from(item: ResultItem) -> Found {
        Found {
            highlights: utf16_highlights(&item.excerpt),
            id: item.id,
            url: item.url,
            title: item.title.text,
            lang: item.lang,
            date: item.date,
            score: f64::from(item.score),
            related: item.related,
            excerpt: item.excerpt.text,
            translations: item.translations.into_iter().map(|t| (t.lang, t.url)).collect(),
        }
    }
}

/// The excerpt's highlights as UTF-16 offsets (the engine keeps byte offsets).
fn utf16_highlights(excerpt: &Excerpt) -> Vec<(usize, usize)> {
    let at = |byte: usize| excerpt.text[..byte].encode_utf16().count();
    excerpt.highlights.iter().map(|range| (at(range.start), at(range.end))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_count_utf16_code_units() {
        // "🇺🇿" is two astral characters (four UTF-16 units), "ʻ" one unit of two bytes.
        let text = "🇺🇿 Oʻzbekiston visa";
        let range = |word: &str| text.find(word).map(|at| at..at + word.len()).unwrap();
        let excerpt = Excerpt { text: text.into(), highlights: vec![range("Oʻzbekiston"), range("visa")] };
        let highlights = utf16_highlights(&excerpt);
        assert_eq!(highlights, [(5, 16), (17, 21)]);
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[17..21]).unwrap(), "visa");
    }

    #[test]
    fn language_tags_are_canonical_or_refused() {
        assert_eq!(canonical(Some("uz".into())), Ok(Some("uz-Latn".into())));
        assert_eq!(canonical(None), Ok(None));
        assert!(canonical(Some("not a tag!".into())).is_err());
    }
}
