//! A result as shown: stored display data plus highlights for the query.

use crate::excerpt::{excerpt, highlight, Excerpt};
use crate::index::StoredDoc;
use crate::query::Query;
use crate::search::Hit;

/// What the CLI prints and the widget renders for one hit.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultItem {
    pub id: String,
    pub url: String,
    pub lang: String,
    pub date: Option<String>,
    pub score: f32,
    /// The title with its matches marked.
    pub title: Excerpt,
    /// The densest window of the body with its matches marked.
    pub excerpt: Excerpt,
}

impl ResultItem {
    pub fn new(doc: &StoredDoc, hit: Hit, query: &Query) -> ResultItem {
        ResultItem {
            id: doc.id.clone(),
            url: doc.url.clone(),
            lang: doc.lang.clone(),
            date: doc.date.clone(),
            score: hit.score,
            title: highlight(&doc.title, query),
            excerpt: excerpt(&doc.text, query),
        }
    }
}
