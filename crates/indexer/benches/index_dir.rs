//! Native query latency over a built index directory, for `./build.sh bench`
//! (tests/bench/README.md). Unlike the engine's criterion bench, which builds
//! the dev corpus in memory, this one opens whatever `qidiruv build` wrote, so
//! it measures the index format as shipped, at any size.
//!
//!   QIDIRUV_BENCH_INDEX=<dir> [QIDIRUV_BENCH_QUERIES=<queries.json>] [QIDIRUV_BENCH_ITERS=20] \
//!     cargo bench -p qidiruv --bench index_dir
//!
//! Each query (a JSON array of strings; by default a few built-in ones) is
//! parsed, searched and presented with 8 results, as the widget does per
//! keystroke. One untimed pass reads every index part the queries need into
//! memory (as the widget fetches them); then each query runs ITERS times on
//! two searchers, each run one sample:
//!
//! - **warm**: one searcher for every run, which has seen the query before
//!   and remembers its words' expansions and its articles' words, as when
//!   a visitor types on a page that has searched already;
//! - **cold**: a searcher opened afresh (untimed) per run, which must check and
//!   decode each part it is handed and expand every word afresh, as on a
//!   new page's first query once its parts have arrived.
//!
//! Prints one JSON object: sample count and, per searcher, p50, p99 and max
//! in microseconds. Without QIDIRUV_BENCH_INDEX it says so and measures nothing.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use qidiruv::index_dir::{open_searcher, read_part};
use qidiruv_engine::{IndexError, PartRequest, Query, SearchOptions};

const LIMIT: usize = 8;

fn main() {
    let Some(dir) = std::env::var_os("QIDIRUV_BENCH_INDEX").map(PathBuf::from) else {
        eprintln!("skipped the index_dir bench: set QIDIRUV_BENCH_INDEX to an index directory");
        return;
    };
    let queries: Vec<String> = match std::env::var_os("QIDIRUV_BENCH_QUERIES") {
        Some(path) => {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.to_string_lossy()));
            serde_json::from_str(&text).expect("QIDIRUV_BENCH_QUERIES is a JSON array of strings")
        }
        None => ["Mirziyoyev", "саммит", "Toshkent tashrif", "халқаро иқтисодий"].map(String::from).to_vec(),
    };
    let iters: usize = std::env::var("QIDIRUV_BENCH_ITERS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let options = SearchOptions { limit: LIMIT, ..Default::default() };

    let open = || open_searcher(&dir).unwrap_or_else(|e| panic!("{e}"));
    let opened = Instant::now();
    let mut warm = open();
    let open_ms = opened.elapsed().as_secs_f64() * 1e3;

    // The untimed pass: every file the queries read from, into memory.
    let mut files = HashMap::new();
    for text in &queries {
        warm.run(&Query::parse(text), &options, |request| {
            let whole = PartRequest { name: request.name.clone(), range: None };
            let file = files.entry(request.name.clone()).or_insert(read_part(&dir, &whole)?);
            slice(file, request)
        })
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    // Another searcher may ask for other ranges of the same files.
    let from_memory = |request: &PartRequest| match files.get(&request.name) {
        Some(file) => slice(file, request),
        None => Err(IndexError::Unreadable { part: request.name.clone(), detail: "not read in the first pass".into() }),
    };

    let (mut warm_samples, mut cold_samples) = (Vec::new(), Vec::new());
    for text in &queries {
        for _ in 0..iters {
            let start = Instant::now();
            let shown = warm.run(&Query::parse(text), &options, from_memory).unwrap_or_else(|e| panic!("{e}"));
            warm_samples.push(start.elapsed().as_secs_f64() * 1e6);
            std::hint::black_box(shown);

            let mut cold = open();
            let start = Instant::now();
            let shown = cold.run(&Query::parse(text), &options, from_memory).unwrap_or_else(|e| panic!("{e}"));
            cold_samples.push(start.elapsed().as_secs_f64() * 1e6);
            std::hint::black_box(shown);
        }
    }
    let report = serde_json::json!({
        "index": dir,
        "queries": queries.len(),
        "samples": warm_samples.len(),
        "open_ms": open_ms,
        "warm": percentiles(warm_samples),
        "cold": percentiles(cold_samples),
    });
    println!("{report}");
}

/// The bytes `request` asks of `file`.
fn slice(file: &[u8], request: &PartRequest) -> Result<Vec<u8>, IndexError> {
    request.of_file(file).map(<[u8]>::to_vec).ok_or_else(|| IndexError::Unreadable {
        part: request.name.clone(),
        detail: format!("bytes {:?} are past its end", request.range),
    })
}

/// p50, p99 and max of `samples`, in microseconds.
fn percentiles(mut samples: Vec<f64>) -> serde_json::Value {
    samples.sort_by(f64::total_cmp);
    let rank = |p: f64| samples[((p / 100.0 * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    serde_json::json!({ "p50_us": rank(50.0), "p99_us": rank(99.0), "max_us": samples.last() })
}
