//! `qidiruv search`: query an index directory, as the widget would.

use std::io::Write;
use std::path::PathBuf;

use qidiruv_engine::answer::{Answer, Offsets};
use qidiruv_engine::{Date, Excerpt, PartRequest, Presented, Query, SearchOptions};

use crate::index_dir::IndexDir;

pub struct SearchArgs {
    pub index: PathBuf,
    pub lang: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub prefer_lang: Option<String>,
    pub limit: usize,
    pub json: bool,
    pub fetches: bool,
    pub query: String,
}

pub fn search(args: &SearchArgs) -> Result<(), String> {
    let mut index = IndexDir::open(&args.index)?;
    let query = Query::parse(&args.query);
    let options = SearchOptions {
        lang: args.lang.clone(),
        from: args.from,
        to: args.to,
        prefer_lang: args.prefer_lang.clone(),
        limit: args.limit,
    };
    let shown = index.search(&query, &options)?;
    if args.fetches {
        eprint!("{}", fetch_list(index.fetched()));
    }

    if args.json {
        let output = Answer::new(&args.query, shown, Offsets::Chars);
        let text = serde_json::to_string_pretty(&output).map_err(|e| e.to_string())?;
        print_out(&format!("{text}\n"))
    } else {
        print_out(&human(&args.query, &shown))
    }
}

/// The parts a query read, one line each, and their total.
fn fetch_list(fetched: &[(PartRequest, usize)]) -> String {
    let mut out = String::new();
    for (request, bytes) in fetched {
        let range = request.range.as_ref().map(|r| format!(" bytes {}-{}", r.start, r.end - 1)).unwrap_or_default();
        out.push_str(&format!("fetch {}{range}: {bytes} B\n", request.name));
    }
    let total: usize = fetched.iter().map(|(_, bytes)| bytes).sum();
    out.push_str(&format!("fetched {} parts, {total} B\n", fetched.len()));
    out
}

/// Writes to stdout; a closed pipe (`| head`) is the reader's choice, not an error.
fn print_out(text: &str) -> Result<(), String> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write the results: {e}")),
        _ => Ok(()),
    }
}

fn human(query: &str, shown: &Presented) -> String {
    let mut out = format!("{} result(s) for {query:?}", shown.total);
    if shown.related > 0 {
        out += &format!(" and {} related (missing one word, marked ~)", shown.related);
    }
    if let Some(corrected) = &shown.corrected {
        out += &format!(", showing results for {corrected:?}");
    }
    if shown.partial {
        out += " (no article has every word; showing the best partial matches)";
    }
    out.push('\n');
    let marked = |e: &Excerpt| -> String {
        e.segments().into_iter().map(|(s, hit)| if hit { format!("[{s}]") } else { s.to_string() }).collect()
    };
    for (rank, item) in shown.items.iter().enumerate() {
        out += &format!(
            "{:>2}.{}{}  ({}, {}, score {:.3})\n    {}\n    {}\n",
            rank + 1,
            if item.related { "~" } else { " " },
            marked(&item.title),
            item.lang,
            item.date.as_deref().unwrap_or("undated"),
            item.score,
            if item.url.is_empty() { "(no link)" } else { &item.url },
            marked(&item.excerpt)
        );
    }
    out
}
