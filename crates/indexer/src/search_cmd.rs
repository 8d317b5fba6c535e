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
        e.segments()
            .into_iter()
            .map(|(s, hit)| if hit { format!("[{}]", shown_text(s)) } else { shown_text(s) })
            .collect()
    };
    for (rank, item) in shown.items.iter().enumerate() {
        out += &format!(
            "{:>2}.{}{}  ({}, {}, score {:.3})\n    {}\n    {}\n",
            rank + 1,
            if item.related { "~" } else { " " },
            marked(&item.title),
            shown_text(&item.lang),
            shown_text(item.date.as_deref().unwrap_or("undated")),
            item.score,
            if item.url.is_empty() { "(no link)".to_string() } else { shown_text(&item.url) },
            marked(&item.excerpt)
        );
    }
    out
}

/// Index text as a terminal may show it. The index holds whatever the
/// articles held, and an ESC, OSC, CR or bidi override printed raw would
/// let an article rewrite the terminal (retitle it, clear it, hide or
/// reorder the line): those are written as escapes (`\u{1b}`, `\r`).
/// Tabs and line breaks become spaces, keeping one result per line.
fn shown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' | '\n' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => out.extend(c.escape_debug()),
            c => out.push(c),
        }
    }
    out
}

/// The invisible characters that reorder the text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_in_index_text_are_shown_as_escapes() {
        assert_eq!(
            shown_text("A\x1b]0;owned\x07B\x1b[2J\rC\u{9b}D\u{202e}E\tF\nG"),
            "A\\u{1b}]0;owned\\u{7}B\\u{1b}[2J\\rC\\u{9b}D\\u{202e}E F G"
        );
        assert_eq!(shown_text("Oʻzbekiston — «Ташкент» 🇺🇿"), "Oʻzbekiston — «Ташкент» 🇺🇿");
    }
}
