//! Publishing onto the index already at `--out`: what changes, what is kept,
//! and that search sees the same articles a full rebuild would show.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{build, result_ids, search_json, shared_corpus, snapshot, stderr, write_jsonl};

/// `lines` of `../shared/corpus/dev.jsonl`, as a file of their own.
fn dev_lines(corpus: &Path, dir: &Path, name: &str, lines: std::ops::Range<usize>) -> PathBuf {
    let text = fs::read_to_string(corpus.join("dev.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().skip(lines.start).take(lines.len()).collect();
    write_jsonl(dir, name, &lines)
}

/// The files a publish from `before` to `after` (two snapshots) uploads:
/// new or changed, with their bytes.
fn uploaded(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)]) -> (usize, usize) {
    let before: BTreeMap<&str, &[u8]> = before.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let changed = after.iter().filter(|(name, bytes)| before.get(name.as_str()) != Some(&bytes.as_slice()));
    // The previous manifest is kept on the build machine; the host needs only the parts.
    let changed: Vec<_> = changed.filter(|(name, _)| name != "qidiruv.previous.json").collect();
    (changed.len(), changed.iter().map(|(_, bytes)| bytes.len()).sum())
}

fn index_bytes(snapshot: &[(String, Vec<u8>)]) -> usize {
    snapshot.iter().filter(|(name, _)| name != "qidiruv.previous.json").map(|(_, b)| b.len()).sum()
}

#[test]
fn one_new_article_adds_a_few_small_files() {
    let Some(corpus) = shared_corpus("one_new_article_adds_a_few_small_files") else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    assert!(build(&[&dev_lines(&corpus, dir.path(), "a.jsonl", 0..1500)], &out, &[]).status.success());
    let before = snapshot(&out);
    let output = build(&[&dev_lines(&corpus, dir.path(), "b.jsonl", 0..1501)], &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let after = snapshot(&out);
    let (files, bytes) = uploaded(&before, &after);
    assert!(files <= 10, "{files} files new or changed");
    assert!(bytes * 100 <= index_bytes(&after) * 2, "{bytes} of {} bytes changed", index_bytes(&after));
    // Nothing changed: nothing is written.
    assert!(build(&[&dev_lines(&corpus, dir.path(), "b.jsonl", 0..1501)], &out, &[]).status.success());
    assert_eq!(snapshot(&out), after);
}

/// Top ten ids for each query, over `index`.
fn rankings(index: &Path, queries: &[String]) -> Vec<Vec<String>> {
    queries.iter().map(|q| result_ids(&search_json(index, &["--limit", "10"], q))).collect()
}

#[test]
fn a_publish_ranks_as_a_full_rebuild_does_up_to_statistics_drift() {
    let Some(corpus) = shared_corpus("a_publish_ranks_as_a_full_rebuild_does_up_to_statistics_drift") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (published, rebuilt) = (dir.path().join("published"), dir.path().join("rebuilt"));
    let all = dev_lines(&corpus, dir.path(), "all.jsonl", 0..1599);
    assert!(build(&[&dev_lines(&corpus, dir.path(), "base.jsonl", 0..1450)], &published, &[]).status.success());
    // A few weeks of news in one publish, beside the same articles built at once.
    assert!(build(&[&all], &published, &[]).status.success());
    assert!(build(&[&all], &rebuilt, &[]).status.success());
    let manifest = fs::read_to_string(published.join("qidiruv.json")).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&manifest).unwrap()["segments"].as_array().unwrap().len(), 2);
    // A title word of every 40th article, and the titles' first two words.
    let text = fs::read_to_string(corpus.join("dev.jsonl")).unwrap();
    let mut queries = Vec::new();
    for line in text.lines().step_by(40) {
        let title = serde_json::from_str::<serde_json::Value>(line).unwrap()["title"].as_str().unwrap().to_string();
        let words: Vec<&str> = title.split_whitespace().filter(|w| w.chars().count() > 4).collect();
        queries.extend(words.first().map(|w| w.to_string()));
        queries.extend((words.len() > 1).then(|| words[..2].join(" ")));
    }
    let (a, b) = (rankings(&published, &queries), rankings(&rebuilt, &queries));
    let mut shared = 0;
    let mut total = 0;
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.len(), y.len(), "a publish finds as many articles as a rebuild");
        shared += x.iter().filter(|id| y.contains(id)).count();
        total += x.len();
        // The best result is the same, or the rebuild's is in the publish's top three.
        if let Some(best) = y.first() {
            assert!(x.iter().take(3).any(|id| id == best), "{x:?} vs {y:?}");
        }
    }
    eprintln!("top-10 overlap, publish vs rebuild: {shared} of {total} over {} queries", queries.len());
    assert!(shared * 100 >= total * 95, "{shared} of {total}");
}

#[test]
fn edits_deletions_and_translations_are_seen_after_a_publish() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let article = |id: &str, lang: &str, title: &str, extra: &str| {
        format!(
            r#"{{"id":"{id}","url":"/{lang}/news/{id}/","lang":"{lang}","title":"{title}","date":"2024-03-0{}","body":"A meeting about the state border took place. {title}."{extra}}}"#,
            id.len() % 9 + 1
        )
    };
    // Four-letter code words: too short for typo guesses to reach each other.
    let code = |n: u8| format!("kz{}{}", (b'a' + n / 26) as char, (b'a' + n % 26) as char);
    let base: Vec<String> =
        (0..30).map(|n| article(&format!("n{n}"), "en", &format!("Border talks {}", code(n)), "")).collect();
    let refs: Vec<&str> = base.iter().map(String::as_str).collect();
    assert!(build(&[&write_jsonl(dir.path(), "one.jsonl", &refs)], &out, &[]).status.success());

    // Edit n1, delete n2, add a Russian translation of n3.
    let mut next = base.clone();
    next[1] = article("n1", "en", "Frontier talks renamed", "");
    next.remove(2);
    next.push(article("r3", "ru", "Переговоры о границе", r#","translation_of":"n3""#));
    let refs: Vec<&str> = next.iter().map(String::as_str).collect();
    let output = build(&[&write_jsonl(dir.path(), "two.jsonl", &refs)], &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(result_ids(&search_json(&out, &[], "renamed")), ["n1"]);
    assert!(
        result_ids(&search_json(&out, &[], &format!("{} ", code(1)))).is_empty(),
        "the old text of an edited article"
    );
    assert!(result_ids(&search_json(&out, &[], &format!("{} ", code(2)))).is_empty(), "a deleted article");
    assert_eq!(result_ids(&search_json(&out, &[], &format!("{} ", code(4)))), ["n4"]);
    // 30 articles match, and r3 with n3 is one story.
    let border = search_json(&out, &[], "border");
    assert_eq!(border["total"], 29);
    assert_eq!(border["languages"], serde_json::json!({ "en": 29, "ru": 1 }));
    // The unchanged English article now links its new translation.
    let found = search_json(&out, &[], &format!("{} ", code(3)));
    assert_eq!(found["results"][0]["translations"]["ru"], "/ru/news/r3/", "{found}");
}

#[test]
fn rebuild_gives_what_a_first_build_gives() {
    let dir = tempfile::tempdir().unwrap();
    let lines = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| {
                format!(
                    r#"{{"id":"a{i}","url":"/en/{i}/","lang":"en","title":"Title {i}","date":"2024-01-02","body":"Body text {i} about trade."}}"#
                )
            })
            .collect()
    };
    let (grown, fresh) = (dir.path().join("grown"), dir.path().join("fresh"));
    let small: Vec<String> = lines(5);
    let full: Vec<String> = lines(8);
    let small = write_jsonl(dir.path(), "small.jsonl", &small.iter().map(String::as_str).collect::<Vec<_>>());
    let full = write_jsonl(dir.path(), "full.jsonl", &full.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(build(&[&small], &grown, &[]).status.success());
    assert!(build(&[&full], &grown, &[]).status.success());
    assert!(build(&[&full], &grown, &["--rebuild"]).status.success());
    assert!(build(&[&full], &fresh, &[]).status.success());
    assert_eq!(fs::read(grown.join("qidiruv.json")).unwrap(), fs::read(fresh.join("qidiruv.json")).unwrap());
    let text = fs::read_to_string(fresh.join("qidiruv.json")).unwrap();
    let manifest: qidiruv_engine::Manifest = serde_json::from_str(&text).unwrap();
    for name in manifest.part_names() {
        assert_eq!(fs::read(grown.join(name)).unwrap(), fs::read(fresh.join(name)).unwrap(), "{name}");
    }
}

#[test]
fn a_rebuild_over_a_damaged_part_leaves_an_index_that_works() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let input = write_jsonl(
        dir.path(),
        "in.jsonl",
        &[
            r#"{"id":"x","url":"/x/","lang":"en","title":"Border security","date":"2020-02-13","body":"The state border."}"#,
        ],
    );
    assert!(build(&[&input], &out, &[]).status.success());
    for (name, bytes) in snapshot(&out).into_iter().filter(|(name, _)| name.ends_with(".bin")) {
        fs::write(out.join(&name), &bytes[..bytes.len() / 2]).unwrap();
        let output = build(&[&input], &out, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(search_json(&out, &[], "border")["total"], 1, "after {name} was cut short");
    }
}

#[test]
fn the_report_is_written_when_the_build_fails_to_read_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let output =
        build(&[&dir.path().join("missing.jsonl")], &dir.path().join("index"), &["--report", report.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["status"], "failed");
    assert!(json["failure"].as_str().unwrap().contains("missing.jsonl"), "{json}");
}

#[test]
fn an_unwritable_report_fails_the_build_before_the_index_changes() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(
        dir.path(),
        "in.jsonl",
        &[r#"{"id":"x","url":"/x/","lang":"en","title":"Border","date":"2020-02-13","body":"The border."}"#],
    );
    let out = dir.path().join("index");
    let report = dir.path().join("no-such-dir").join("report.json");
    let output = build(&[&input], &out, &["--report", report.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists(), "the index was written although the build failed");
}

#[test]
fn a_second_build_on_the_same_directory_waits_for_the_first() {
    let Some(corpus) = shared_corpus("a_second_build_on_the_same_directory_waits_for_the_first") else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let (a, b) =
        (dev_lines(&corpus, dir.path(), "a.jsonl", 0..1599), dev_lines(&corpus, dir.path(), "b.jsonl", 0..1500));
    let spawn = |input: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_qidiruv"))
            .args(["build", input.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn(&a);
    std::thread::sleep(std::time::Duration::from_millis(150));
    let second = spawn(&b).wait_with_output().unwrap();
    assert!(first.wait_with_output().unwrap().status.success());
    assert!(second.status.success());
    assert!(stderr(&second).contains("waiting for another build"), "{}", stderr(&second));
    // The second build ran last: its input is the index, every part of it there.
    let text = fs::read_to_string(out.join("qidiruv.json")).unwrap();
    let manifest: qidiruv_engine::Manifest = serde_json::from_str(&text).unwrap();
    assert_eq!(manifest.documents, 1500);
    for segment in &manifest.segments {
        for name in segment.names() {
            let bytes = fs::read(out.join(name)).unwrap();
            assert!(qidiruv_engine::index::unseal(name, &bytes, segment.seed).is_ok(), "{name}");
        }
    }
}

/// The parts `query` fetches from `index`, as `search --fetches` lists them.
fn fetches(index: &Path, query: &str) -> Vec<String> {
    let output = common::qidiruv(&["search", "--index", index.to_str().unwrap(), "--fetches", query]);
    assert!(output.status.success(), "{}", stderr(&output));
    stderr(&output).lines().filter(|l| l.starts_with("fetch ")).map(str::to_string).collect()
}

#[test]
fn after_a_publish_a_first_letter_still_reads_its_head_and_store_slots_alone() {
    let Some(corpus) = shared_corpus("after_a_publish_a_first_letter_still_reads_its_head_and_store_slots_alone")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    assert!(build(&[&dev_lines(&corpus, dir.path(), "a.jsonl", 0..1500)], &out, &[]).status.success());
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(out.join("qidiruv.json")).unwrap()).unwrap();
    let heads: Vec<String> = manifest["segments"][0]["parts"]["heads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap().to_string())
        .collect();
    // The one-letter heads the base reads without postings ranges: their postings files hold their lists.
    let reads_lists = |fetched: &[String]| fetched.iter().any(|f| f.contains("-postings-"));
    let carrying: Vec<&String> =
        heads.iter().filter(|h| h.chars().count() == 1 && !reads_lists(&fetches(&out, h))).collect();
    assert!(!carrying.is_empty(), "no one-letter head of {heads:?} carries its lists");

    assert!(build(&[&dev_lines(&corpus, dir.path(), "b.jsonl", 0..1501)], &out, &[]).status.success());
    for letter in carrying {
        let fetched = fetches(&out, letter);
        // The new segment's postings come whole, beside its shards and the base's head.
        let lists: Vec<&String> = fetched.iter().filter(|f| f.contains("-postings-")).collect();
        assert!(
            !lists.is_empty() && lists.iter().all(|f| f.starts_with("fetch s1-") && !f.contains(" bytes ")),
            "{fetched:?}"
        );
    }
}
