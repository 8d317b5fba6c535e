//! What several engine test files build their indexes from.
#![allow(dead_code)] // each test file uses some of these

use std::path::Path;

use qidiruv_engine::index::BuiltIndex;
use qidiruv_engine::{Date, Document, IndexBuilder, Lang};

pub fn build(docs: Vec<Document>) -> BuiltIndex {
    let mut builder = IndexBuilder::new().unwrap();
    for doc in docs {
        builder.add(doc).unwrap();
    }
    builder.finish().unwrap()
}

/// An undated article at `/<lang>/<id>/`, without translations.
pub fn doc(id: &str, lang: Lang, title: &str, body: &str) -> Document {
    let url = format!("/{}/{id}/", lang.tag());
    Document { id: id.into(), url, lang, title: title.into(), date: None, body: body.into(), group: None }
}

/// The articles of `../shared/corpus/dev.jsonl`, or `None` (said on stderr,
/// naming `tests`) on a clone without it.
pub fn dev_corpus(tests: &str) -> Option<Vec<Document>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/dev.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped {tests}: ../shared/corpus/dev.jsonl is not beside the project");
        return None;
    };
    let docs = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("dev.jsonl is valid");
            let field = |name: &str| v[name].as_str().unwrap_or_default().to_string();
            Document {
                id: field("id"),
                url: field("url"),
                lang: Lang::parse(&field("lang")).expect("a known language"),
                title: field("title"),
                date: v["date"].as_str().map(|d| Date::parse(d).expect("a valid date")),
                body: field("body"),
                group: None,
            }
        })
        .collect();
    Some(docs)
}
