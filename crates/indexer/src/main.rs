//! The `qidiruv` command: `build` an index from articles, `search` it.
//!
//! Exit status: 0 success, 1 bad input or a failed build, 2 usage error.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use qidiruv::{build_cmd, checks, search_cmd};
use qidiruv_engine::{Date, Lang};

#[derive(Parser)]
#[command(name = "qidiruv", version, about = "Instant client-side search for multilingual news sites")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build an index directory from JSON Lines files and directories of built HTML pages.
    Build {
        /// JSONL files (one article per line) and directories of HTML pages (one article per page).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The index directory to write (replaced atomically).
        #[arg(long)]
        out: PathBuf,
        /// Fail (exit 1, nothing written) on warnings too.
        #[arg(long)]
        strict: bool,
        /// Reject articles whose body is larger than this many bytes.
        #[arg(long, value_name = "BYTES")]
        max_body_bytes: Option<usize>,
        /// Refuse an HTML page, or a JSON Lines line, larger than this many bytes (default 16 MiB).
        #[arg(long, value_name = "BYTES", default_value_t = checks::DEFAULT_MAX_RECORD_BYTES)]
        max_record_bytes: usize,
        /// Also write the build report as JSON here (for failed builds too).
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Index everything anew into one segment, instead of adding what
        /// changed to the index already at --out.
        #[arg(long)]
        rebuild: bool,
    },
    /// Search an index directory.
    Search {
        /// The index directory (holding qidiruv.json).
        #[arg(long)]
        index: PathBuf,
        /// Only articles in this language (en, ru, uz-Latn/uz, uz-Cyrl/oz, ...).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<String>,
        /// Only articles dated on or after this day (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        from: Option<Date>,
        /// Only articles dated on or before this day (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        to: Option<Date>,
        /// The page's language: its articles come first unless the query says otherwise, as in the widget.
        #[arg(long, value_parser = parse_lang)]
        prefer_lang: Option<String>,
        /// How many results to print.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Also list on stderr the index parts the query read, as the widget would fetch them.
        #[arg(long)]
        fetches: bool,
        /// The query; several words are joined with spaces.
        #[arg(required = true)]
        query: Vec<String>,
    },
}

fn parse_date(date: &str) -> Result<Date, String> {
    Date::parse(date).map_err(|e| e.to_string())
}

fn parse_lang(tag: &str) -> Result<String, String> {
    Lang::parse(tag).map(|lang| lang.tag().to_string()).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Build { inputs, out, strict, max_body_bytes, max_record_bytes, report, rebuild } => {
            build_cmd::build(&build_cmd::BuildArgs {
                inputs,
                out,
                strict,
                read: checks::ReadOptions { max_body_bytes, max_record_bytes },
                report,
                rebuild,
            })
        }
        Command::Search { index, lang, from, to, prefer_lang, limit, json, fetches, query } => {
            search_cmd::search(&search_cmd::SearchArgs {
                index,
                lang,
                from,
                to,
                prefer_lang,
                limit,
                json,
                fetches,
                query: query.join(" "),
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("qidiruv: {message}");
            ExitCode::from(1)
        }
    }
}
