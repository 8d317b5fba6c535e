//! `qidiruv build` over built HTML pages and HTML in JSONL bodies: real
//! processes, real files.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{build, result_ids, search_json, snapshot, stderr, write_jsonl};

/// Writes `pages` (path below `root`, HTML) and returns `root`.
fn write_site(root: &Path, pages: &[(&str, &str)]) -> PathBuf {
    for (relative, html) in pages {
        let path = root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, html).unwrap();
    }
    root.to_path_buf()
}

/// A page of the Ministry's site: chrome around `main`.
fn page(lang: &str, title: &str, main: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{title} — Ministry of Foreign Affairs</title></head>
<body>
<header class="site-header">
  <p class="hotline">Hotline: +998 71 233-28-59</p>
  <nav><ul><li><a href="/en/consular/">Consular services</a></li><li><a href="/en/press/">Press</a></li></ul></nav>
</header>
<main>
{main}
</main>
<footer><p>9 Uzbekistan Avenue, Tashkent. Telephone +998 71 233-28-59</p></footer>
</body>
</html>
"#
    )
}

const ARTICLE: &str = r#"<article>
  <header><h1>Increasing the efficiency of the State border's security
    discussed</h1>
  <p class="meta"><time datetime="2020-02-13">13 February 2020</time></p></header>
  <p>A working meeting was held under the chairmanship of President Shavkat Mirziyoyev on
     strengthening the protection of the frontier.</p>
  <div class="share" data-qidiruv-ignore>Share this on Telegram or Facebook</div>
  <script>window.dataLayer.push({event: "pageview", tracker: "gtagmanager"});</script>
</article>"#;

fn site(root: &Path) -> PathBuf {
    write_site(
        root,
        &[
            ("en/news/2020/02/13/border-security/index.html", &page("en", "Border security", ARTICLE)),
            (
                "en/about.html",
                &page("en", "About", "<h1>About the Ministry</h1><p>The Ministry conducts foreign policy.</p>"),
            ),
        ],
    )
}

#[test]
fn a_built_site_is_searchable_by_its_article_text_and_not_its_chrome() {
    let dir = tempfile::tempdir().unwrap();
    let public = site(&dir.path().join("public"));
    let index = dir.path().join("index");
    let output = build(&[&public], &index, &["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("indexed 2 articles"));

    let found = search_json(&index, &[], "chairmanship");
    assert_eq!(found["total"], 1, "{found}");
    let hit = &found["results"][0];
    assert_eq!(hit["title"], "Increasing the efficiency of the State border's security discussed");
    assert_eq!(hit["url"], "/en/news/2020/02/13/border-security/");
    assert_eq!(hit["id"], "/en/news/2020/02/13/border-security/");
    assert_eq!(hit["date"], "2020-02-13");
    assert_eq!(hit["lang"], "en");
    let about = search_json(&index, &[], "foreign policy");
    assert_eq!(result_ids(&about), ["/en/about.html"]);
    assert_eq!(about["results"][0]["title"], "About the Ministry");

    for chrome in ["998", "233", "Hotline", "Consular", "Telephone", "Share", "Telegram", "dataLayer", "gtagmanager"] {
        let found = search_json(&index, &[], chrome);
        assert_eq!(found["total"], 0, "{chrome:?} was indexed: {found}");
    }
}

#[test]
fn bad_pages_are_errors_naming_the_file_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let public = site(&dir.path().join("public"));
    let article = "<article><h1>T</h1><p>Text</p></article>";
    write_site(
        &public,
        &[
            ("en/no-lang.html", &page("", "T", article)),
            ("en/bad-lang.html", &page("uzb", "T", article)),
            (
                "en/bad-date.html",
                &page("en", "T", "<article><time datetime=\"2020-13-45\">x</time><p>Text</p></article>"),
            ),
            ("en/redirect.html", "<html><head><meta http-equiv=refresh content=\"0; url=/en/\"></head></html>"),
        ],
    );
    let mut utf8 = page("ru", "T", article).into_bytes();
    let at = utf8.windows(4).position(|w| w == b"Text").unwrap();
    utf8[at] = 0xD0;
    fs::write(public.join("ru.html"), utf8).unwrap();

    let index = dir.path().join("index");
    let output = build(&[&public], &index, &[]);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{log}");
    let at = |name: &str| public.join(name).display().to_string();
    for expected in [
        format!("error: {}:1: <html lang> is missing", at("en/no-lang.html")),
        format!("error: {}:1: unknown lang \"uzb\"", at("en/bad-lang.html")),
        format!("error: {}:1: invalid date \"2020-13-45\": month 13 out of range", at("en/bad-date.html")),
        format!("error: {}:10: invalid UTF-8 at byte offset 22 (0-based) of line 10", at("ru.html")),
        format!("warning: {}:1: no <article>, <main> or [data-qidiruv-body]; page not indexed", at("en/redirect.html")),
    ] {
        assert!(log.contains(&expected), "expected {expected:?} in\n{log}");
    }
    assert!(log.contains("4 error(s), 1 warning(s)"), "{log}");
    assert!(!index.exists());
}

#[test]
fn a_page_without_a_region_is_a_warning_that_strict_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let public = site(&dir.path().join("public"));
    write_site(&public, &[("google1234.html", "google-site-verification: google1234.html")]);
    let index = dir.path().join("index");
    let output = build(&[&public], &index, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("google1234.html:1: no <article>, <main> or [data-qidiruv-body]"),
        "{}",
        stderr(&output)
    );
    let strict = build(&[&public], &dir.path().join("strict"), &["--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn jsonl_and_html_inputs_build_one_index_and_share_ids() {
    let dir = tempfile::tempdir().unwrap();
    let public = site(&dir.path().join("public"));
    let cms = write_jsonl(
        dir.path(),
        "cms.jsonl",
        &[
            r#"{"id":"ru-1","url":"/ru/news/1/","lang":"ru","title":"Визит","date":"2023-04-14","body":"Министр посетил Самарканд."}"#,
        ],
    );
    let index = dir.path().join("index");
    let output = build(&[&cms, &public], &index, &["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("indexed 3 articles"), "{}", stderr(&output));
    assert_eq!(result_ids(&search_json(&index, &[], "Самарканд")), ["ru-1"]);
    assert_eq!(search_json(&index, &[], "chairmanship")["total"], 1);

    let clash = write_jsonl(
        dir.path(),
        "clash.jsonl",
        &[r#"{"id":"/en/about.html","url":"/en/about.html","lang":"en","title":"About","date":null,"body":"x"}"#],
    );
    let output = build(&[&clash, &public], &dir.path().join("clash"), &[]);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{log}");
    assert!(
        log.contains(&format!(
            "{}:1: duplicate id \"/en/about.html\" (first seen on {}:1)",
            public.join("en/about.html").display(),
            clash.display()
        )),
        "{log}"
    );
}

#[test]
fn html_bodies_in_jsonl_are_indexed_as_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(
        dir.path(),
        "cms.jsonl",
        &[
            r#"{"id":"h","url":"/en/h/","lang":"en","title":"Trade","date":null,"body":"<p class=\"lead\">Trade <b>negotiations</b> in Tashkent.</p><div><script>trackerfn()</script>Second&nbsp;round<br>next week.</div>"}"#,
        ],
    );
    let index = dir.path().join("index");
    let output = build(&[&input], &index, &["--strict"]);
    assert!(output.status.success(), "{}", stderr(&output));

    let found = search_json(&index, &[], "negotiations");
    assert_eq!(found["total"], 1);
    let excerpt = found["results"][0]["excerpt"].as_str().unwrap();
    assert!(excerpt.contains("Trade negotiations in Tashkent.") && !excerpt.contains('<'), "{excerpt}");
    for markup in ["div", "class", "lead", "script", "trackerfn", "nbsp"] {
        assert_eq!(search_json(&index, &[], markup)["total"], 0, "{markup:?} was indexed");
    }
}

#[test]
fn entities_in_a_plain_body_are_decoded_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(
        dir.path(),
        "cms.jsonl",
        &[
            r#"{"id":"e","url":"/uz/e/","lang":"uz-Latn","title":"Savdo","date":null,"body":"Magnum Cash&amp;Carry O‘zbekiston bozorida. 5 &lt; 6"}"#,
        ],
    );
    let index = dir.path().join("index");
    let output = build(&[&input], &index, &[]);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(
        log.contains(&format!(
            "warning: {}:1: body has HTML entities but no tags; decoded (&amp; → &, &lt; → <)",
            input.display()
        )),
        "{log}"
    );
    assert_eq!(search_json(&index, &[], "amp")["total"], 0);
    let found = search_json(&index, &[], "Carry");
    assert!(found["results"][0]["excerpt"].as_str().unwrap().contains("Cash&Carry"), "{found}");
    assert_eq!(build(&[&input], &dir.path().join("strict"), &["--strict"]).status.code(), Some(1));
}

#[test]
fn the_same_site_builds_byte_identical_indexes_whatever_the_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let pages: Vec<(String, String)> = (0..12)
        .map(|n| {
            (
                format!("en/news/{}/story-{n}/index.html", 2010 + n % 3),
                page("en", "Story", &format!("<article><h1>Story {n}</h1><p>Embassy news number {n}.</p></article>")),
            )
        })
        .collect();
    let pages: Vec<(&str, &str)> = pages.iter().map(|(p, h)| (p.as_str(), h.as_str())).collect();
    let mut reversed = pages.clone();
    reversed.reverse();
    // Written in opposite orders, so a walk in directory order would differ.
    let one = write_site(&dir.path().join("one"), &pages);
    let two = write_site(&dir.path().join("two"), &reversed);

    let builds = [(&one, "a"), (&one, "b"), (&two, "c")].map(|(site, out)| {
        let index = dir.path().join(out);
        assert!(build(&[site], &index, &[]).status.success());
        snapshot(&index)
    });
    assert_eq!(builds[0], builds[1]);
    assert_eq!(builds[0], builds[2]);
}
