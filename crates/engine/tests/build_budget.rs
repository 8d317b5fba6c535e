//! The streaming build: the postings budget changes where the build keeps
//! its data, never what it writes, and its scratch files do not outlive it.

use std::fs;
use std::path::Path;

use qidiruv_engine::index::{BuiltIndex, DEFAULT_POSTINGS_BUDGET};
use qidiruv_engine::{Date, Document, IndexBuilder, Lang};

const WORDS: [&str; 12] = [
    "tashqi",
    "ishlar",
    "vazirligi",
    "министр",
    "переговоры",
    "визит",
    "minister",
    "talks",
    "visit",
    "delegatsiya",
    "hamkorlik",
    "сотрудничество",
];

/// A corpus of four languages, in groups of translations, whose words
/// recur with varied frequencies so that postings lists differ in length.
fn corpus() -> Vec<Document> {
    let langs = [Lang::Ru, Lang::UzLatn, Lang::En, Lang::UzCyrl];
    (0..400usize)
        .map(|n| {
            let body: Vec<String> = (0..40 + n % 70)
                .map(|k| format!("{}{}", WORDS[(n * 7 + k * k) % WORDS.len()], ["", "lar", "ov", "s"][(n + k) % 4]))
                .collect();
            Document {
                id: format!("d{n}"),
                url: if n % 9 == 0 { String::new() } else { format!("/news/{n}/") },
                lang: langs[n % 4].clone(),
                title: format!("{} {n}", WORDS[n % WORDS.len()]),
                date: Some(Date::parse(&format!("2024-{:02}-{:02}", 1 + n % 12, 1 + n % 28)).unwrap()),
                body: body.join(" ") + &format!(" unique{n}"),
                group: (n % 5 != 0).then(|| format!("g{}", n / 4)),
            }
        })
        .collect()
}

fn run_files(dir: &Path) -> usize {
    fs::read_dir(dir).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".run")).count()
}

fn build(dir: &Path, budget: usize, docs: Vec<Document>, one_by_one: bool) -> (BuiltIndex, usize) {
    let mut builder = IndexBuilder::in_dir(dir.to_path_buf(), budget).unwrap();
    if one_by_one {
        for doc in docs {
            builder.add(doc).unwrap();
        }
    } else {
        builder.add_all(docs).unwrap();
    }
    let runs = run_files(dir);
    let built = builder.finish().unwrap();
    assert!(!dir.exists(), "the scratch directory outlived the build");
    (built, runs)
}

#[test]
fn every_part_is_the_same_whatever_the_budget() {
    let tmp = std::env::temp_dir().join(format!("qidiruv-budget-{}", std::process::id()));
    fs::create_dir_all(&tmp).unwrap();
    let (whole, runs) = build(&tmp.join("whole"), DEFAULT_POSTINGS_BUDGET, corpus(), false);
    assert_eq!(runs, 0);
    for (budget, one_by_one) in [(16 << 10, false), (2 << 10, true)] {
        let (spilled, runs) = build(&tmp.join("spilled"), budget, corpus(), one_by_one);
        assert!(runs > 5, "budget {budget}: {runs} runs");
        assert_eq!(serde_json::to_string(&spilled.manifest).unwrap(), serde_json::to_string(&whole.manifest).unwrap());
        assert_eq!(spilled.parts.len(), whole.parts.len());
        for ((name, bytes), (whole_name, whole_bytes)) in spilled.parts.iter().zip(&whole.parts) {
            assert_eq!(name, whole_name);
            assert!(bytes == whole_bytes, "{name} differs with budget {budget}");
        }
    }
    // The corpus exercises what the builder reorders and rewrites.
    assert_eq!(whole.manifest.languages.len(), 4);
    let stored = whole.stored_docs().unwrap();
    let linked = stored.iter().filter(|(doc, _)| !doc.translations.is_empty()).count();
    assert!(linked > 100, "{linked} documents with translations");
    fs::remove_dir_all(&tmp).unwrap();
}

#[test]
fn a_builder_dropped_unfinished_removes_its_scratch_directory() {
    let dir = std::env::temp_dir().join(format!("qidiruv-dropped-{}", std::process::id()));
    let mut builder = IndexBuilder::in_dir(dir.clone(), 16 << 10).unwrap();
    builder.add_all(corpus()).unwrap();
    assert!(run_files(&dir) > 0);
    drop(builder);
    assert!(!dir.exists());
}
