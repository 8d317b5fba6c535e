//! Query latency over the shared corpus, typical and hostile queries alike,
//! on a warm searcher (every part loaded, the query run before: its words'
//! expansions remembered) and on a cold one (just opened: it checks and
//! decodes the parts the query needs, handed from memory, and expands every
//! word afresh, as a new page's first query does once its parts arrive).
//!
//! `cargo bench -p qidiruv-engine --bench search`. Needs ../shared/corpus/dev.jsonl;
//! without it the bench says so and measures nothing.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use qidiruv_engine::{IndexBuilder, PartRequest, Query, SearchOptions};

/// What a visitor types, and what a hostile or careless one pastes.
fn queries() -> Vec<(&'static str, String)> {
    vec![
        ("name", "Mirziyoyev".into()),
        ("prefix", "border secur".into()),
        ("cyrillic-two-words", "Тошкент саммит".into()),
        ("typo", "Mirzyoyev tashrfi ".into()),
        ("layout", "ghtpbltyn".into()),
        ("phrase", "\"state border\"".into()),
        ("exclusion", "visit -Tashkent".into()),
        ("one-letter", "a".into()),
        ("paste-10k-chars", "Oʻzbekiston Respublikasi Prezidenti ".repeat(300)),
        ("1000-words", (0..1000).map(|i| format!("soʻz{i} ")).collect()),
        ("emoji", "🇺🇿❗️⚡️🔥 ".repeat(50)),
        ("zero-width-and-control", "pre\u{200B}si\u{200D}dent\u{0007}\u{0000} \u{202E}toshkent".into()),
        ("right-to-left", "وزارة الخارجية الأوزبكية שלום".into()),
    ]
}

fn bench(c: &mut Criterion) {
    let Some(docs) = common::dev_corpus("the search bench") else { return };
    let mut builder = IndexBuilder::new().expect("a scratch directory");
    for doc in docs {
        builder.add(doc).expect("the scratch directory is writable");
    }
    let built = builder.finish().expect("the scratch files read back");
    let mut searcher = built.searcher().unwrap();
    let options = SearchOptions { limit: 8, ..Default::default() };

    let mut group = c.benchmark_group("warm searcher: parse, rank, present 8 results");
    for (name, text) in queries() {
        group.bench_function(name, |b| {
            b.iter(|| {
                let query = Query::parse(&text);
                searcher.run(&query, &options, |part| panic!("{part:?} is not loaded")).unwrap()
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("cold searcher: load the parts, parse, rank, present 8 results");
    for (name, text) in queries() {
        group.bench_function(name, |b| {
            b.iter_batched(
                || built.opened().unwrap(),
                |mut cold| {
                    let load = |request: &PartRequest| Ok(request.of_file(built.part(&request.name)).unwrap().to_vec());
                    cold.run(&Query::parse(&text), &options, load).unwrap()
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
