//! `search()` for the page's scripts: the engine without the UI, answering
//! in the shape of `qidiruv search --json`.

use qidiruv_engine::answer::{Answer, Offsets};
use qidiruv_engine::{Date, Lang, Query, SearchOptions};
use wasm_bindgen::prelude::*;

use crate::index_client::{search_at, Progress};
use crate::options::{count, text};

/// What `qidiruv.js` passes on from `search(query, options)`.
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

impl Request {
    fn read(options: &JsValue) -> Result<Request, String> {
        Ok(Request {
            index: text(options, "index")?.ok_or("no index")?,
            lang: text(options, "lang")?,
            prefer_lang: text(options, "preferLang")?,
            limit: count(options, "limit")?,
            from: text(options, "from")?,
            to: text(options, "to")?,
        })
    }
}

/// Results unless the caller asks for another number, as the CLI.
const DEFAULT_LIMIT: usize = 10;

/// Searches the index at `options.index` (loading it if needed) and
/// resolves to the answer, or rejects with an Error saying what failed.
#[wasm_bindgen]
pub async fn search(query: String, options: JsValue) -> Result<JsValue, JsError> {
    let fail = |message: String| JsError::new(&format!("qidiruv: {message}"));
    let request = Request::read(&options).map_err(|e| fail(format!("bad search options: {e}")))?;
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
    let shown = search_at(&base, &Query::parse(&query), &options, &Progress::ANSWER).await.map_err(fail)?;
    let shown = shown.ok_or_else(|| fail(format!("{base}: search abandoned")))?;
    Ok(Answer::new(&query, shown, Offsets::Utf16).to_js())
}

/// A language tag as the engine names it (`uz` → `uz-Latn`), or why it is not one.
fn canonical(tag: Option<String>) -> Result<Option<String>, String> {
    tag.map(|tag| Lang::parse(&tag).map(|lang| lang.tag().to_string()).map_err(|e| e.to_string())).transpose()
}

fn day(value: Option<String>) -> Result<Option<Date>, String> {
    value.map(|v| Date::parse(&v).map_err(|e| e.to_string())).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_canonical_or_refused() {
        assert_eq!(canonical(Some("uz".into())), Ok(Some("uz-Latn".into())));
        assert_eq!(canonical(None), Ok(None));
        assert!(canonical(Some("not a tag!".into())).is_err());
    }
}
