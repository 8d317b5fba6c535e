//! `qidiruv search`: query an index directory, as the widget would.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use qidiruv_engine::index::StoreChunk;
use qidiruv_engine::{Query, ResultItem, SearchOptions};
use serde::Serialize;

use crate::index_dir::IndexDir;

pub struct SearchArgs {
    pub index: PathBuf,
    pub lang: Option<String>,
    pub limit: usize,
    pub json: bool,
    pub query: String,
}

/// The `--json` output shape (DESIGN.md).
#[derive(Serialize)]
struct JsonOutput<'a> {
    query: &'a str,
    total: usize,
    partial: bool,
    results: Vec<JsonResult>,
}

#[derive(Serialize)]
struct JsonResult {
    id: String,
    url: String,
    title: String,
    lang: String,
    date: Option<String>,
    score: f32,
    excerpt: String,
    /// `[start, end)` character offsets of the matches in `excerpt`.
    highlights: Vec<(usize, usize)>,
}

pub fn search(args: &SearchArgs) -> Result<(), String> {
    let index = IndexDir::open(&args.index)?;
    let query = Query::parse(&args.query);
    let options = SearchOptions {
        lang: args.lang.clone(),
        limit: args.limit,
    };
    let found = index
        .searcher
        .search(&query, &options)
        .map_err(|e| e.to_string())?;

    let mut chunks: HashMap<usize, StoreChunk> = HashMap::new();
    let mut items = Vec::with_capacity(found.hits.len());
    for hit in &found.hits {
        let manifest = index.searcher.manifest();
        let chunk_no = manifest
            .store_chunk_of(hit.doc)
            .ok_or("hit outside the store")?;
        let chunk = match chunks.entry(chunk_no) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(index.chunk_for(hit.doc)?),
        };
        let doc = chunk.get(hit.doc).ok_or("hit outside its store chunk")?;
        items.push(ResultItem::new(doc, *hit, &query));
    }

    if args.json {
        let output = JsonOutput {
            query: &args.query,
            total: found.total,
            partial: found.partial,
            results: items.into_iter().map(json_result).collect(),
        };
        let text = serde_json::to_string_pretty(&output).map_err(|e| e.to_string())?;
        print_out(&format!("{text}\n"))
    } else {
        print_out(&human(&args.query, found.total, found.partial, &items))
    }
}

/// Writes to stdout; a closed pipe (`| head`) is the reader's choice, not an error.
fn print_out(text: &str) -> Result<(), String> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the results: {e}"))
        }
        _ => Ok(()),
    }
}

fn json_result(item: ResultItem) -> JsonResult {
    JsonResult {
        highlights: item.excerpt.char_highlights(),
        id: item.id,
        url: item.url,
        title: item.title.text,
        lang: item.lang,
        date: item.date,
        score: item.score,
        excerpt: item.excerpt.text,
    }
}

fn human(query: &str, total: usize, partial: bool, items: &[ResultItem]) -> String {
    let note = if partial {
        " (no article has every word; showing the best partial matches)"
    } else {
        ""
    };
    let mut out = format!("{total} result(s) for {query:?}{note}\n");
    for (rank, item) in items.iter().enumerate() {
        let marked = |e: &qidiruv_engine::Excerpt| -> String {
            e.segments()
                .into_iter()
                .map(|(s, hit)| if hit { format!("[{s}]") } else { s.to_string() })
                .collect()
        };
        out += &format!(
            "{:>2}. {}  ({}, {}, score {:.3})\n    {}\n    {}\n",
            rank + 1,
            marked(&item.title),
            item.lang,
            item.date.as_deref().unwrap_or("undated"),
            item.score,
            if item.url.is_empty() {
                "(no link)"
            } else {
                &item.url
            },
            marked(&item.excerpt)
        );
    }
    out
}
