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
        format!(
            "warning: {}:1: no <article>, <main> or [data-qidiruv-body], and no <h1> to guess the region from; \
             page not indexed",
            at("en/redirect.html")
        ),
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

/// A news page as the ministry's site builds it: no `<article>`, `<main>` or
/// marker, the story in a `div.news-item` between a top bar, a menu,
/// breadcrumbs, share buttons, related news and a footer.
const MINISTRY_PAGE: &str = r#"<!DOCTYPE html>
<html lang="uz">
<head><meta charset="utf-8"><title>Vazirlik yangiliklari</title></head>
<body>
<div class="top-bar"><div class="wrap"><span class="phone">Ishonch telefoni: +998 71 233-28-59</span>
  <a href="/uz/contacts">Bog'lanish</a> <span class="lang">O'zbekcha | Русский | English</span></div></div>
<div class="header-logo"><a href="/uz/"><img src="/logo.png" alt="Tashqi ishlar vazirligi"></a></div>
<div class="main-menu"><ul><li><a href="/uz/ministry">Vazirlik</a></li><li><a href="/uz/press">Matbuot xizmati</a></li>
  <li><a href="/uz/consular">Konsullik masalalari</a></li></ul></div>
<div class="container">
  <div class="breadcrumbs"><a href="/uz/">Bosh sahifa</a> / <a href="/uz/news">Yangiliklar</a></div>
  <div class="row">
    <div class="col-md-9">
      <div class="news-item">
        <h1>Vazir Samarqandda xorijiy hamkasblari bilan uchrashdi</h1>
        <div class="news-date"><i class="icon-calendar"></i> 13.02.2020</div>
        <div class="news-text">
          <p>Tashqi ishlar vaziri Samarqand shahrida Markaziy Osiyo davlatlari vazirlari bilan muzokaralar o'tkazdi.</p>
          <p>Tomonlar transport yo'laklari, suv resurslaridan oqilona foydalanish va savdo hajmini oshirish masalalarini muhokama qildi.</p>
          <p>Uchrashuv yakunida qo'shma bayonot imzolandi.</p>
        </div>
        <div class="share-block">Ulashish: <a href="https://t.me/share">Telegram</a> <a href="https://facebook.com/share">Facebook</a></div>
      </div>
    </div>
    <div class="col-md-3">
      <div class="related-news"><h3>Boshqa yangiliklar</h3>
        <div class="item"><a href="/uz/news/1">Konsullik qabul jadvali o'zgardi</a><span>12.02.2020</span></div>
        <div class="item"><a href="/uz/news/2">Elchixonada bayram tadbiri bo'lib o'tdi</a></div></div>
    </div>
  </div>
</div>
<div class="footer"><p>© 2020 O'zbekiston Respublikasi Tashqi ishlar vazirligi. Toshkent sh., Mustaqillik maydoni 9</p></div>
</body>
</html>
"#;

#[test]
fn a_page_without_article_markup_is_indexed_by_the_block_holding_its_h1_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let public = write_site(&dir.path().join("public"), &[("uz/news/2020/uchrashuv.html", MINISTRY_PAGE)]);
    let index = dir.path().join("index");
    let output = build(&[&public], &index, &[]);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(log.contains("indexed 1 articles"), "{log}");
    // The guess is reported, naming the block it chose.
    assert!(
        log.contains(&format!(
            "warning: {}:1: no <article>, <main> or [data-qidiruv-body]; indexed the block guessed to hold the \
             article: body > div.container > div.row > div.col-md-9 > div.news-item",
            public.join("uz/news/2020/uchrashuv.html").display()
        )),
        "{log}"
    );
    let found = search_json(&index, &[], "muzokaralar");
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["results"][0]["title"], "Vazir Samarqandda xorijiy hamkasblari bilan uchrashdi");
    assert_eq!(search_json(&index, &[], "bayonot")["total"], 1);
    for chrome in [
        "998",
        "Ishonch",
        "Bog'lanish",
        "Matbuot",
        "Konsullik",
        "Bosh",
        "Ulashish",
        "Telegram",
        "Elchixonada",
        "Mustaqillik",
    ] {
        assert_eq!(search_json(&index, &[], chrome)["total"], 0, "{chrome:?} was indexed");
    }
    // --strict keeps guesses out: the page has to say where its article is.
    assert_eq!(build(&[&public], &dir.path().join("strict"), &["--strict"]).status.code(), Some(1));
}

#[test]
fn a_build_that_indexes_no_article_from_pages_fails() {
    let dir = tempfile::tempdir().unwrap();
    let stub = "<html><head><meta http-equiv=refresh content=\"0; url=/uz/\"></head><body></body></html>";
    let public = write_site(&dir.path().join("public"), &[("index.html", stub), ("uz/index.html", stub)]);
    let index = dir.path().join("index");
    let report = dir.path().join("report.json");
    let output = build(&[&public], &index, &["--report", report.to_str().unwrap()]);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{log}");
    assert!(
        log.contains(&format!(
            "qidiruv: no article indexed from 2 page(s) or line(s) of input (2 warning(s)); nothing was written to {}",
            index.display()
        )),
        "{log}"
    );
    assert!(!index.exists());
    let report: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["status"], "failed");
    // An empty export is no failure: a new site has no articles yet.
    let empty = write_jsonl(dir.path(), "empty.jsonl", &[""]);
    assert!(build(&[&empty], &dir.path().join("empty"), &[]).status.success());
}

/// Runs a build that must end by itself: a hung build fails the test
/// instead of hanging it.
fn build_that_ends(args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_qidiruv"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..600 {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    panic!("qidiruv {args:?} did not end: {:?}", child.wait_with_output().unwrap());
}

#[cfg(unix)]
#[test]
fn special_and_hostile_pages_are_refused_by_name_and_the_build_ends() {
    let dir = tempfile::tempdir().unwrap();
    let public = site(&dir.path().join("public"));
    let fifo = public.join("en/x.html");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    std::os::unix::fs::symlink("/dev/zero", public.join("en/zero.html")).unwrap();
    let deep = page("en", "Deep", &format!("<article>{}x</article>", "<div>".repeat(100_000)));
    write_site(&public, &[("en/deep.html", &deep)]);
    let index = dir.path().join("index");
    let output = build_that_ends(&["build", public.to_str().unwrap(), "--out", index.to_str().unwrap()]);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{log}");
    let at = |name: &str| public.join(name).display().to_string();
    for expected in [
        format!("error: {}: a named pipe (FIFO), not a regular file; not read", at("en/x.html")),
        format!("error: {}: a character device, not a regular file; not read", at("en/zero.html")),
        format!("error: {}:1: elements nested more than 512 deep", at("en/deep.html")),
    ] {
        assert!(log.contains(&expected), "expected {expected:?} in\n{log}");
    }
    assert!(!index.exists());

    // Named on the command line, a device is refused the same way.
    let output = build_that_ends(&["build", "/dev/zero", "--out", index.to_str().unwrap()]);
    assert!(stderr(&output).contains("error: /dev/zero: a character device, not a regular file; not read"));
    assert_eq!(output.status.code(), Some(1));
}
