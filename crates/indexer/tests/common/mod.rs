//! Helpers shared by the CLI test files: run the real binary on real files.

// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn qidiruv(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qidiruv")).args(args).output().expect("qidiruv runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `../shared/corpus` beside the project, or `None` (and a line saying the
/// test was skipped) on a clone without it.
pub fn shared_corpus(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped {test}: ../shared/corpus is not beside the project");
        None
    }
}

pub fn build(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--out", out.to_str().unwrap()]);
    args.extend(extra);
    qidiruv(&args)
}

pub fn search_json(index: &Path, extra: &[&str], query: &str) -> serde_json::Value {
    let mut args = vec!["search", "--index", index.to_str().unwrap(), "--json"];
    args.extend(extra);
    args.push(query);
    let output = qidiruv(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("--json prints one JSON object")
}

pub fn result_ids(found: &serde_json::Value) -> Vec<String> {
    found["results"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

/// Every file in `dir`, with its bytes, sorted by name.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

pub fn write_jsonl(dir: &Path, name: &str, lines: &[&str]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}
