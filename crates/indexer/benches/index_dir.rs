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
//! keystroke. One untimed pass reads the index parts the queries need (as
//! the widget fetches them); then every query runs ITERS times over the
//! parts in memory and each run is one sample. Prints one
//! JSON object: sample count, p50, p99 and max in microseconds.
//! Without QIDIRUV_BENCH_INDEX it says so and measures nothing.

use std::path::PathBuf;
use std::time::Instant;

use qidiruv::index_dir::IndexDir;
use qidiruv_engine::{Query, SearchOptions};

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

    let opened = Instant::now();
    let mut index = IndexDir::open(&dir).unwrap_or_else(|e| panic!("{e}"));
    let open_ms = opened.elapsed().as_secs_f64() * 1e3;
    let options = SearchOptions { limit: LIMIT, ..Default::default() };

    // The untimed pass: every part the queries need, read into memory.
    for text in &queries {
        index.search(&Query::parse(text), &options).unwrap_or_else(|e| panic!("{e}"));
    }

    let mut samples = Vec::with_capacity(queries.len() * iters);
    for text in &queries {
        for _ in 0..iters {
            let start = Instant::now();
            let shown = index.search(&Query::parse(text), &options).unwrap_or_else(|e| panic!("{e}"));
            std::hint::black_box(shown);
            samples.push(start.elapsed().as_secs_f64() * 1e6);
        }
    }
    samples.sort_by(f64::total_cmp);
    let rank = |p: f64| samples[((p / 100.0 * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    let report = serde_json::json!({
        "index": dir,
        "queries": queries.len(),
        "samples": samples.len(),
        "open_ms": open_ms,
        "p50_us": rank(50.0),
        "p99_us": rank(99.0),
        "max_us": samples.last(),
    });
    println!("{report}");
}
