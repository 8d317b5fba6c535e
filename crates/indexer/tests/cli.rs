//! The `qidiruv` command as CI and people use it: real processes, real files.

mod common;

use std::fs;
use std::path::Path;

use common::{build, qidiruv, result_ids, search_json, shared_corpus, snapshot, stderr, write_jsonl};

const GOOD: &str = r#"{"id":"seed","url":"/en/news/1/","lang":"en","title":"State border security discussed","date":"2020-02-13","body":"A meeting chaired by President Shavkat Mirziyoyev discussed the State border."}"#;

#[test]
fn dev_corpus_finds_the_seed_article_by_name_and_by_prefix() {
    let Some(corpus) = shared_corpus("dev_corpus_finds_the_seed_article_by_name_and_by_prefix") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = build(&[&corpus.join("dev.jsonl")], &index, &[]);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(log.contains("indexed 1599 articles"), "{log}");
    // Four fitrat bodies were HTML-escaped once too often (corpus README):
    // each is decoded and reported, and nothing else is.
    let warnings: Vec<&str> = log.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 4, "{log}");
    for warning in warnings {
        assert!(warning.ends_with("body has HTML entities but no tags; decoded (&amp; → &)"), "{warning}");
    }
    assert!(!log.contains("error:"), "{log}");

    let prefix = search_json(&index, &[], "border secur");
    assert_eq!(result_ids(&prefix)[0], "mfa-en-seed");

    // The name is in 150+ articles; the seed, a long English release, is
    // among them, and among the top English ones.
    let name = search_json(&index, &["--limit", "200"], "Mirziyoyev");
    assert!(result_ids(&name).contains(&"mfa-en-seed".to_string()), "{name}");
    let english = search_json(&index, &["--lang", "en"], "Mirziyoyev");
    assert!(result_ids(&english).contains(&"mfa-en-seed".to_string()), "{english}");
    assert!(result_ids(&english).iter().all(|id| id.starts_with("factbook-en") || id == "mfa-en-seed"));
}

#[test]
fn json_results_have_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path(), "in.jsonl", &[GOOD]);
    let index = dir.path().join("index");
    assert!(build(&[&input], &index, &[]).status.success());
    let found = search_json(&index, &[], "border secur");
    assert_eq!(found["query"], "border secur");
    assert_eq!(found["total"], 1);
    let result = &found["results"][0];
    for key in ["id", "url", "title", "lang", "date", "score", "excerpt", "highlights"] {
        assert!(result.get(key).is_some(), "missing {key} in {result}");
    }
    assert_eq!(result["date"], "2020-02-13");
    let excerpt: Vec<char> = result["excerpt"].as_str().unwrap().chars().collect();
    let marked: Vec<String> = result["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| excerpt[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize].iter().collect())
        .collect();
    assert_eq!(marked, ["border"]);
}

/// What `../shared/corpus/bad/README.md` says each file must produce.
enum Expect {
    Reject(usize, &'static str),
    Warn(usize, &'static str),
    Accept,
}

#[test]
fn every_bad_corpus_file_gets_its_documented_outcome() {
    let Some(corpus) = shared_corpus("every_bad_corpus_file_gets_its_documented_outcome") else {
        return;
    };
    use Expect::*;
    let cases = [
        ("invalid-json.jsonl", Reject(2, "invalid JSON: unterminated string (column 226)")),
        ("missing-title.jsonl", Reject(2, "missing required field \"title\"")),
        ("duplicate-id.jsonl", Reject(3, "duplicate id \"bad-duplicate-id-1\" (first seen on line 1)")),
        ("invalid-date.jsonl", Reject(2, "invalid date \"2020-13-45\": month 13 out of range")),
        ("invalid-utf8.jsonl", Reject(2, "invalid UTF-8 at byte offset 328 (0-based) of line 2")),
        ("javascript-url.jsonl", Reject(2, "url \"javascript:alert(document.cookie)\": only site-relative paths")),
        ("unknown-lang.jsonl", Reject(2, "unknown lang \"uzb\" (expected en, ru, uz-Latn or uz, uz-Cyrl or oz")),
        ("empty-body.jsonl", Warn(2, "empty body; indexed by title only")),
        ("huge-body-5mb.jsonl", Warn(2, "body is 5.0 MiB (5242947 bytes)")),
        ("empty-title-and-url.jsonl", Warn(2, "empty title and url")),
        ("html-in-title.jsonl", Accept),
        ("extra-fields.jsonl", Accept),
        ("crlf-line-endings.jsonl", Accept),
        ("bom-at-start.jsonl", Accept),
        ("blank-lines-no-final-newline.jsonl", Accept),
    ];
    for (file, expect) in cases {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("index");
        let input = corpus.join("bad").join(file);
        let output = build(&[&input], &out, &[]);
        let log = stderr(&output);
        match expect {
            Reject(line, message) => {
                assert_eq!(output.status.code(), Some(1), "{file}: {log}");
                let located = format!("error: {}:{line}: {message}", input.display());
                assert!(log.contains(&located), "{file}: expected {located:?} in\n{log}");
                assert!(!out.exists(), "{file}: a rejected build wrote {}", out.display());
            }
            Warn(line, message) => {
                assert!(output.status.success(), "{file}: {log}");
                let located = format!("warning: {}:{line}: {message}", input.display());
                assert!(log.contains(&located), "{file}: expected {located:?} in\n{log}");
                assert_eq!(build(&[&input], &dir.path().join("strict"), &["--strict"]).status.code(), Some(1));
            }
            Accept => {
                assert!(output.status.success(), "{file}: {log}");
                assert!(!log.contains("warning:") && !log.contains("error:"), "{file}: {log}");
                assert!(log.contains("indexed 3 articles"), "{file}: {log}");
            }
        }
    }
}

#[test]
fn crlf_and_bom_leave_no_trace_in_the_fields() {
    let Some(corpus) = shared_corpus("crlf_and_bom_leave_no_trace_in_the_fields") else {
        return;
    };
    for file in ["crlf-line-endings.jsonl", "bom-at-start.jsonl"] {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        assert!(build(&[&corpus.join("bad").join(file)], &index, &[]).status.success());
        let first_line = fs::read_to_string(corpus.join("bad").join(file)).unwrap();
        let first: serde_json::Value =
            serde_json::from_str(first_line.trim_start_matches('\u{feff}').lines().next().unwrap().trim_end()).unwrap();
        let found = search_json(&index, &["--limit", "5"], first["title"].as_str().unwrap());
        let hit = found["results"].as_array().unwrap().iter().find(|r| r["id"] == first["id"]).expect("found by title");
        assert_eq!(hit["url"], first["url"], "{file}");
        assert!(!hit.to_string().contains("\\r") && !hit.to_string().contains('\u{feff}'), "{file}: {hit}");
    }
}

#[test]
fn every_bad_line_of_a_file_is_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(
        dir.path(),
        "mixed.jsonl",
        &[GOOD, "{not json", "", &GOOD.replace("\"seed\"", "\"two\"").replace("2020-02-13", "2021-02-30")],
    );
    let out = dir.path().join("index");
    let output = build(&[&input], &out, &[]);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{log}");
    assert!(log.contains("mixed.jsonl:2: invalid JSON"), "{log}");
    assert!(log.contains("mixed.jsonl:4: invalid date \"2021-02-30\": day 30 out of range"), "{log}");
    assert!(!out.exists());
}

#[test]
fn duplicate_ids_across_files_name_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let a = write_jsonl(dir.path(), "a.jsonl", &[GOOD]);
    let b = write_jsonl(dir.path(), "b.jsonl", &[GOOD]);
    let output = build(&[&a, &b], &dir.path().join("index"), &[]);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(log.contains(&format!("b.jsonl:1: duplicate id \"seed\" (first seen on {}:1)", a.display())), "{log}");
}

#[test]
fn a_failed_build_leaves_the_existing_index_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let good = write_jsonl(dir.path(), "good.jsonl", &[GOOD]);
    assert!(build(&[&good], &out, &[]).status.success());
    let before = snapshot(&out);
    let bad = write_jsonl(
        dir.path(),
        "bad.jsonl",
        &[GOOD, r#"{"id":"x","url":"/","lang":"en","title":"t","date":null,"body":"b""#],
    );
    let output = build(&[&bad], &out, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("bad.jsonl:2: invalid JSON"), "{}", stderr(&output));
    assert_eq!(snapshot(&out), before);
}

#[test]
fn the_same_input_builds_byte_identical_indexes() {
    let Some(corpus) = shared_corpus("the_same_input_builds_byte_identical_indexes") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("one"), dir.path().join("two"));
    assert!(build(&[&corpus.join("dev.jsonl")], &first, &[]).status.success());
    assert!(build(&[&corpus.join("dev.jsonl")], &second, &[]).status.success());
    assert_eq!(snapshot(&first), snapshot(&second));
}

#[test]
fn rebuilding_in_place_swaps_to_the_new_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let first = write_jsonl(dir.path(), "one.jsonl", &[GOOD]);
    let second = write_jsonl(dir.path(), "two.jsonl", &[&GOOD.replace("border", "frontier")]);
    assert!(build(&[&first], &out, &[]).status.success());
    assert!(build(&[&second], &out, &[]).status.success());
    assert_eq!(search_json(&out, &[], "frontier")["total"], 1);
    assert_eq!(search_json(&out, &[], "border")["total"], 0);
    let third = write_jsonl(dir.path(), "three.jsonl", &[&GOOD.replace("border", "boundary")]);
    assert!(build(&[&third], &out, &[]).status.success());
    // The current manifest's parts, and the previous one's for open pages: nothing else.
    let named = |manifest: &str| -> Vec<String> {
        let text = fs::read_to_string(out.join(manifest)).unwrap();
        let manifest: qidiruv_engine::Manifest = serde_json::from_str(&text).unwrap();
        manifest.part_names().map(str::to_string).collect()
    };
    let mut expected = [named("qidiruv.json"), named("qidiruv.previous.json")].concat();
    expected.extend(["qidiruv.json".to_string(), "qidiruv.previous.json".to_string()]);
    expected.sort();
    expected.dedup();
    let names: Vec<String> = snapshot(&out).into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, expected, "stale parts were left behind");
    assert!(!names.iter().any(|n| named("qidiruv.json").contains(n) && n.contains("frontier")));
}

#[test]
fn usage_errors_exit_with_status_2() {
    assert_eq!(qidiruv(&["build", "x.jsonl"]).status.code(), Some(2));
    assert_eq!(qidiruv(&["search", "--index", ".", "--lang", "uzb", "q"]).status.code(), Some(2));
    assert_eq!(qidiruv(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn searching_a_missing_index_says_where_it_looked() {
    let output = qidiruv(&["search", "--index", "/nonexistent/index", "q"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("/nonexistent/index/qidiruv.json"), "{}", stderr(&output));
}

#[test]
fn a_corrupted_part_is_reported_not_searched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    assert!(build(&[&write_jsonl(dir.path(), "in.jsonl", &[GOOD])], &out, &[]).status.success());
    let terms = snapshot(&out).into_iter().find(|(name, _)| name.starts_with("s0-dict-0.")).unwrap();
    let mut bytes = terms.1;
    bytes[10] ^= 0x55;
    fs::write(out.join(&terms.0), bytes).unwrap();
    let output = qidiruv(&["search", "--index", out.to_str().unwrap(), "border"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is corrupt or truncated"), "{}", stderr(&output));
}

#[test]
fn the_report_file_describes_good_and_failed_builds() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_jsonl(dir.path(), "good.jsonl", &[GOOD]);
    let report = dir.path().join("report.json");
    let out = dir.path().join("index");
    assert!(build(&[&good], &out, &["--report", report.to_str().unwrap()]).status.success());
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["articles"], 1);
    assert_eq!(json["languages"]["en"], 1);
    assert_eq!(json["files"].as_u64().unwrap() as usize, snapshot(&out).len());

    let bad = write_jsonl(dir.path(), "bad.jsonl", &[GOOD, &GOOD.replace("2020-02-13", "2020-02-30")]);
    let output = build(&[&bad], &dir.path().join("other"), &["--report", report.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["status"], "failed");
    assert_eq!(json["errors"][0]["line"], 2);
    assert!(json["errors"][0]["message"].as_str().unwrap().contains("day 30 out of range"));
}

/// Every part the manifest names is there, its seal intact.
fn is_complete_index(dir: &Path) -> bool {
    let Ok(text) = fs::read_to_string(dir.join("qidiruv.json")) else { return false };
    let manifest: qidiruv_engine::Manifest = serde_json::from_str(&text).unwrap();
    let complete = manifest.segments.iter().all(|segment| {
        segment.names().all(|name| {
            let bytes = fs::read(dir.join(name));
            bytes.is_ok_and(|bytes| qidiruv_engine::index::unseal(name, &bytes, segment.seed).is_ok())
        })
    });
    complete
}

/// Starts `qidiruv build INPUT --out OUT` and kills it after `after`.
fn build_killed_after(input: &Path, out: &Path, after: std::time::Duration) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_qidiruv"))
        .args(["build", input.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_index() {
    let Some(corpus) = shared_corpus("a_build_killed_at_any_moment_leaves_a_complete_index") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let dev = corpus.join("dev.jsonl");
    let started = std::time::Instant::now();
    assert!(build(&[&dev], &dir.path().join("timed"), &[]).status.success());
    let full = started.elapsed();
    // Kill moments spread over the whole build, dense near the end where parts are written and swapped.
    let moments = [0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99, 1.01];

    let out = dir.path().join("index");
    let small = write_jsonl(dir.path(), "small.jsonl", &[GOOD]);
    assert!(build(&[&small], &out, &[]).status.success());
    for share in moments {
        build_killed_after(&dev, &out, full.mul_f64(share));
        assert!(is_complete_index(&out), "rebuild killed at {share} of its run: the index is incomplete");
        assert!(search_json(&out, &[], "border")["total"].as_u64().unwrap() >= 1);
    }
    for (n, share) in moments.into_iter().enumerate() {
        let fresh = dir.path().join(format!("fresh-{n}"));
        build_killed_after(&dev, &fresh, full.mul_f64(share));
        assert!(!fresh.exists() || is_complete_index(&fresh), "fresh build killed at {share}: half-written");
    }
    // The next build sweeps up what killed fresh builds left beside their output.
    assert!(build(&[&small], &dir.path().join("fresh-0"), &[]).status.success());
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".fresh-0.") && !name.ends_with(".lock"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn region_subtags_are_indexed_as_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(
        dir.path(),
        "in.jsonl",
        &[
            r#"{"id":"us","url":"/en-us/1/","lang":"en-US","title":"Samarkand summit","date":null,"body":"Leaders met."}"#,
            r#"{"id":"uz","url":"/uz/1/","lang":"uz-Latn-UZ","title":"Samarqand sammiti","date":null,"body":"Rahbarlar uchrashdi."}"#,
            r#"{"id":"ru","url":"/ru/1/","lang":"ru-RU","title":"Саммит в Самарканде","date":null,"body":"Лидеры встретились."}"#,
        ],
    );
    let index = dir.path().join("index");
    let output = build(&[&input], &index, &["--strict"]);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(log.contains("languages: en 1, ru 1, uz-Latn 1"), "{log}");
    assert_eq!(result_ids(&search_json(&index, &["--lang", "en"], "Samarkand")), ["us"]);
    assert_eq!(result_ids(&search_json(&index, &["--lang", "uz-Latn"], "Samarkand")), ["uz"]);
    assert_eq!(search_json(&index, &["--lang", "ru-RU"], "Samarkand")["results"][0]["lang"], "ru");
}

#[test]
fn terminal_escapes_in_titles_are_printed_visibly() {
    let dir = tempfile::tempdir().unwrap();
    let title = "Border\u{1b}]0;owned\u{7} talks\u{1b}[2J\r\u{9b}31m done";
    let line = serde_json::json!({"id":"x","url":"/x","lang":"en","title":title,"date":null,"body":"Border talks."});
    let input = write_jsonl(dir.path(), "in.jsonl", &[&line.to_string()]);
    let index = dir.path().join("index");
    assert!(build(&[&input], &index, &[]).status.success());
    let output = qidiruv(&["search", "--index", index.to_str().unwrap(), "border"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains(['\u{1b}', '\u{7}', '\r', '\u{9b}']), "{stdout:?}");
    assert!(stdout.contains(r"[Border]\u{1b}]0;owned\u{7} talks\u{1b}[2J\r\u{9b}31m done"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_given_as_input_is_read_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("export.jsonl");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    // The writer blocks until the build opens the pipe to read it.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(fifo, format!("{GOOD}\n")).unwrap())
    };
    let index = dir.path().join("index");
    let output = build(&[&fifo], &index, &["--strict"]);
    writer.join().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(result_ids(&search_json(&index, &[], "border")), ["seed"]);
}

#[test]
fn a_story_in_four_languages_is_one_result_on_the_demo_site() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www/demo-articles.jsonl");
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    assert!(build(&[&demo], &index, &[]).status.success());
    let found = search_json(&index, &["--prefer-lang", "en"], "saidov brussels");
    let ids = result_ids(&found);
    let versions: Vec<&String> = ids.iter().filter(|id| id.starts_with("2024-02-15-saidov-brussels-")).collect();
    assert_eq!(versions, ["2024-02-15-saidov-brussels-en"], "{found}");
    assert_eq!(ids[0], "2024-02-15-saidov-brussels-en");
    let also = found["results"][0]["translations"].as_object().unwrap();
    assert_eq!(also.keys().collect::<Vec<_>>(), ["ru", "uz-Cyrl", "uz-Latn"]);
    assert_eq!(found["grouped"], "story");
    assert_eq!(found["total"], 1, "{found}");
    // Counted once in each language it matches in.
    assert_eq!(found["languages"], serde_json::json!({ "en": 1, "ru": 1, "uz-Cyrl": 1, "uz-Latn": 1 }));
    assert_eq!(found["years"], serde_json::json!({ "2024": 1 }));
    // Each related story is listed once too.
    let related = found["results"].as_array().unwrap().iter().filter(|r| r["related"] == true).count();
    assert_eq!(found["related"], related);

    let russian = search_json(&index, &["--prefer-lang", "en", "--lang", "ru"], "saidov brussels");
    assert_eq!(result_ids(&russian)[0], "2024-02-15-saidov-brussels-ru");
    assert_eq!(russian["total"], 1);
}
