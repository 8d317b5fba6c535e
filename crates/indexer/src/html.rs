//! One built HTML page to a document (DESIGN.md "Corpus input").
//!
//! Pure: the page's bytes and its path below the input directory in, a
//! document and its diagnostics out. Problems with the page as a whole are
//! reported on line 1: the parser does not keep source positions.
//!
//! - lang: `<html lang>`.
//! - region: the first `[data-qidiruv-body]`, else `<article>`, else
//!   `<main>`, else the block guessed to hold the article (`region.rs`);
//!   nothing outside it is indexed.
//! - title: the region's first `<h1>` (taken out of the body), else `<title>`.
//! - date: the region's first `<time datetime>`, else
//!   `<meta property="article:published_time">`.
//! - url and id: the file's path, `en/news/x/index.html` → `/en/news/x/`.

use std::path::{Component, Path};

use qidiruv_engine::{Date, Document};
use scraper::Html;

use crate::checks::{check_body_size, parse_lang, ReadOptions, EMPTY_BODY};
use crate::html_parse::parse_document;
use crate::html_text::{element_text, one_line, IGNORE};
use crate::region::{self, first_in, Region};
use crate::report::Diagnostic;

/// Reported for a page without an article region.
///
/// A warning, not an error: a built site legitimately holds pages that are
/// not articles (redirect stubs, a 404 page, verification files), and
/// making them errors would force people to delete them from the build.
/// The warning still names each one, and `--strict` refuses them.
pub const NO_REGION: &str =
    "no <article>, <main> or [data-qidiruv-body], and no <h1> to guess the region from; page not indexed";

/// Reported for a page whose region was guessed, so that a wrong guess is
/// seen, and `--strict` keeps guesses out of a build.
fn guessed_region(place: &str) -> String {
    format!(
        "no <article>, <main> or [data-qidiruv-body]; indexed the block guessed to hold the article: {place} \
         (mark the region data-qidiruv-body to choose it)"
    )
}

/// Reads one page. `file` names it in diagnostics; `relative`, its path
/// below the input directory, gives its url.
pub fn read_page(
    file: &Path,
    relative: &Path,
    bytes: &[u8],
    options: &ReadOptions,
) -> (Option<Document>, Vec<Diagnostic>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let (line, offset) = line_and_offset(bytes, e.valid_up_to());
            let message = format!("invalid UTF-8 at byte offset {offset} (0-based) of line {line}");
            return (None, vec![Diagnostic::error(file, line, message)]);
        }
    };
    let page = match parse_document(text) {
        Ok(page) => page,
        Err(e) => return (None, vec![Diagnostic::error(file, 1, e.to_string())]),
    };
    if is_left_out(&page) {
        return (None, Vec::new());
    }
    // A page that is not indexed needs no lang or date: check the region first.
    let Some(region) = region::find(&page) else {
        return (None, vec![Diagnostic::warning(file, 1, NO_REGION)]);
    };
    let mut errors = Vec::new();
    let mut warnings: Vec<String> = region.guessed.iter().map(|place| guessed_region(place)).collect();

    let lang = match page.root_element().attr("lang").map(str::trim) {
        None | Some("") => {
            errors.push(
                "<html lang> is missing; set it to the page's language \
                 (en, ru, uz-Latn or uz, uz-Cyrl or oz, or another BCP 47 tag)"
                    .to_string(),
            );
            None
        }
        Some(tag) => parse_lang(tag, &mut warnings).map_err(|e| errors.push(e)).ok(),
    };
    let date = page_date(&page, &region).map_err(|e| errors.push(e)).ok();
    let url = page_url(relative).map_err(|e| errors.push(e)).ok();

    let h1 = first_in(region.element, |e| e.name() == "h1", |e| region.hides_heading(e));
    let title = h1
        .map(|h1| one_line(&element_text(h1, None, |e| region.leaves_out(e))))
        .filter(|title| !title.is_empty())
        .unwrap_or_else(|| document_title(&page));
    let body = element_text(region.element, h1.map(|h1| h1.id()), |e| region.leaves_out(e));
    check_body_size(&body, options, &mut warnings, &mut errors);
    if body.trim().is_empty() {
        warnings.push(EMPTY_BODY.into());
    }
    if title.is_empty() {
        warnings.push(
            "no <h1> in the region and no <title>; \
             the result shows the start of the body instead"
                .into(),
        );
    }

    let mut report: Vec<Diagnostic> = errors.into_iter().map(|e| Diagnostic::error(file, 1, e)).collect();
    match (lang, date, url) {
        (Some(lang), Some(date), Some(url)) if report.is_empty() => {
            report.extend(warnings.into_iter().map(|w| Diagnostic::warning(file, 1, w)));
            // Pages carry no translation group yet; `<link rel=alternate hreflang>` could give one.
            let doc = Document { id: url.clone(), url, lang, title, date, body, group: None };
            (Some(doc), report)
        }
        _ => (None, report),
    }
}

/// Whether `<html>` or `<body>` is marked data-qidiruv-ignore. That leaves
/// the page out on purpose, so it is not reported: it is how a site keeps
/// its search or 404 page out of the index, even under `--strict`.
fn is_left_out(page: &Html) -> bool {
    let html = page.root_element();
    html.attr(IGNORE).is_some() || html.child_elements().any(|e| e.value().name() == "body" && e.attr(IGNORE).is_some())
}

/// The document's `<title>`: the first in the HTML namespace, since an
/// inline SVG has `<title>` elements of its own.
fn document_title(page: &Html) -> String {
    page.root_element()
        .descendent_elements()
        .find(|e| e.value().name() == "title" && &*e.value().name.ns == "http://www.w3.org/1999/xhtml")
        .map(|title| one_line(&title.text().collect::<String>()))
        .unwrap_or_default()
}

/// The region's first `<time datetime>`, else the Open Graph publication time.
fn page_date(page: &Html, region: &Region<'_>) -> Result<Option<Date>, String> {
    let time =
        first_in(region.element, |e| e.name() == "time" && e.attr("datetime").is_some(), |e| region.hides_heading(e))
            .and_then(|time| time.attr("datetime"));
    let meta = || {
        page.root_element()
            .descendent_elements()
            .find(|e| e.value().name() == "meta" && e.attr("property") == Some("article:published_time"))
            .and_then(|meta| meta.attr("content"))
    };
    time.or_else(meta).map(|value| Date::parse(value.trim())).transpose().map_err(|e| e.to_string())
}

/// The url a static server gives the file at `relative`: each segment
/// percent-encoded, and a directory's `index.html` as the directory.
fn page_url(relative: &Path) -> Result<String, String> {
    let mut segments = Vec::new();
    for component in relative.components() {
        if let Component::Normal(name) = component {
            let name = name.to_str().ok_or("the file's path is not valid UTF-8, so it has no url; rename it")?;
            segments.push(name);
        }
    }
    if let Some(last) = segments.last_mut().filter(|last| matches!(**last, "index.html" | "index.htm")) {
        *last = "";
    }
    let mut url = String::new();
    for segment in segments {
        url.push('/');
        for byte in segment.bytes() {
            // RFC 3986 pchar, less `%` so that a literal `%` in a name is encoded.
            if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
                url.push(char::from(byte));
            } else {
                url.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    Ok(url)
}

/// The 1-based line of byte `at`, and its 0-based offset in that line.
fn line_and_offset(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |nl| nl + 1);
    (line, at - start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qidiruv_engine::Lang;

    const OPTIONS: ReadOptions =
        ReadOptions { max_body_bytes: None, max_record_bytes: crate::checks::DEFAULT_MAX_RECORD_BYTES };

    fn read(relative: &str, html: &str) -> (Option<Document>, Vec<String>) {
        let (doc, report) =
            read_page(&Path::new("site").join(relative), Path::new(relative), html.as_bytes(), &OPTIONS);
        (doc, report.iter().map(ToString::to_string).collect())
    }

    fn page(body: &str) -> String {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Doc title — MFA</title></head><body>{body}</body></html>"
        )
    }

    const CHROME: &str = "<header><nav><a href=/en/consular/>Consular services</a></nav>\
        <p>+998 71 233-28-59</p></header>";

    #[test]
    fn an_article_page_becomes_a_document() {
        let html = page(&format!(
            "{CHROME}<main><article><h1>  Border\n security  </h1>\
             <time datetime=\"2020-02-13T10:00:00\">13 February</time>\
             <p>A working meeting was held.</p>\
             <div data-qidiruv-ignore>Share this</div>\
             <script>trackVisitor()</script></article></main><footer>Phone</footer>"
        ));
        let (doc, report) = read("en/news/border/index.html", &html);
        assert!(report.is_empty(), "{report:?}");
        let doc = doc.unwrap();
        assert_eq!(doc.lang, Lang::En);
        assert_eq!(doc.title, "Border security");
        assert_eq!(doc.date, Some(Date::parse("2020-02-13").unwrap()));
        assert_eq!(doc.url, "/en/news/border/");
        assert_eq!(doc.id, doc.url);
        assert_eq!(doc.body, "13 February\n\nA working meeting was held.");
    }

    #[test]
    fn data_qidiruv_body_wins_over_article_and_main() {
        let html = page(
            "<main><article><p>teaser</p></article>\
             <div data-qidiruv-body><p>the story</p></div></main>",
        );
        assert_eq!(read("a.html", &html).0.unwrap().body, "the story");
    }

    #[test]
    fn main_is_the_region_without_an_article() {
        let html = page(&format!("{CHROME}<main><h1>Home</h1><p>Welcome</p></main>"));
        let doc = read("index.html", &html).0.unwrap();
        assert_eq!((doc.title.as_str(), doc.body.as_str()), ("Home", "Welcome"));
        assert_eq!(doc.url, "/");
    }

    #[test]
    fn an_ignored_article_is_not_the_region() {
        let html = page(
            "<aside data-qidiruv-ignore><article><p>related</p></article></aside>\
             <main><p>own text</p></main>",
        );
        assert_eq!(read("a.html", &html).0.unwrap().body, "own text");
    }

    #[test]
    fn the_document_title_is_the_fallback_title() {
        let html = page("<article><svg><title>Logo</title></svg><h1> </h1><p>Text</p></article>");
        assert_eq!(read("a.html", &html).0.unwrap().title, "Doc title — MFA");
    }

    #[test]
    fn the_published_time_meta_is_the_fallback_date() {
        let html = "<html lang=ru><head><meta property=\"article:published_time\" \
                    content=\"2022-02-12T23:15:53+05:00\"></head><body><article><p>Текст</p></article></body></html>";
        let doc = read("ru/a.html", html).0.unwrap();
        assert_eq!(doc.date, Some(Date::parse("2022-02-12").unwrap()));
        assert_eq!(doc.lang, Lang::Ru);
    }

    #[test]
    fn a_missing_or_unknown_lang_is_an_error() {
        let (doc, report) = read("a.html", "<html><body><article><p>x</p></article></body></html>");
        assert!(doc.is_none());
        assert_eq!(
            report,
            ["error: site/a.html:1: <html lang> is missing; set it to the page's language \
              (en, ru, uz-Latn or uz, uz-Cyrl or oz, or another BCP 47 tag)"]
        );
        let (doc, report) = read("a.html", &page("<article><p>x</p></article>").replace("\"en\"", "uzb"));
        assert!(doc.is_none());
        assert!(report[0].starts_with("error: site/a.html:1: unknown lang \"uzb\""), "{report:?}");
    }

    #[test]
    fn an_invalid_date_is_an_error_naming_the_value() {
        let html = page("<article><time datetime=\"2020-13-45\">x</time><p>x</p></article>");
        let (doc, report) = read("a.html", &html);
        assert!(doc.is_none());
        assert_eq!(report, ["error: site/a.html:1: invalid date \"2020-13-45\": month 13 out of range"]);
    }

    #[test]
    fn invalid_utf8_is_located_by_line_and_offset() {
        let mut bytes = page("<article><p>Toshkent</p></article>").into_bytes();
        bytes.splice(0..0, b"\n\nab".iter().copied());
        bytes[2 + 1] = 0xFF;
        let (doc, report) = read_page(Path::new("a.html"), Path::new("a.html"), &bytes, &OPTIONS);
        assert!(doc.is_none());
        assert_eq!(report[0].to_string(), "error: a.html:3: invalid UTF-8 at byte offset 1 (0-based) of line 3");
    }

    #[test]
    fn a_page_without_a_region_is_reported_not_checked() {
        // No lang either: a page that is not indexed is not judged further.
        for html in [
            "<html><body><p>Not found</p></body></html>",
            "<html><body><header><nav><h1>Logo</h1></nav></header><p>Redirecting</p></body></html>",
        ] {
            let (doc, report) = read("404.html", html);
            assert!(doc.is_none());
            assert_eq!(report, [format!("warning: site/404.html:1: {NO_REGION}")]);
        }
    }

    /// A news page of the shape the ministry's site has: no article markup,
    /// chrome in plain divs around a `div.news-item`.
    fn unmarked_news_page(paragraphs: &[String], chrome_first: bool) -> String {
        let top = "<div class=\"top-bar\"><span>Call centre: +998 71 233-28-59</span> <a href=\"mailto:x\">Write to us</a></div>\
                   <div class=\"main-menu\"><ul><li><a href=\"/\">Home</a></li><li><a href=\"/press\">Press service</a></li></ul></div>";
        let crumbs = "<ul class=\"breadcrumbs\"><li><a href=\"/\">Home</a></li><li>News</li></ul>";
        let share = "<div class=\"share_buttons\">Share: <a href=\"#\">Telegram</a> <span>Facebook</span></div>";
        let related = "<div class=\"related-news\"><h3>Other news</h3><div class=\"item\"><p>Consular reception schedule changes</p></div></div>";
        let footer =
            "<div class=\"site-footer\"><p>Copyright Ministry of Foreign Affairs, 9 Uzbekistan avenue</p></div>";
        let text: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
        let item = format!(
            "<div class=\"news-item\"><h1>Working visit to Samarkand</h1><div class=\"date\">13.02.2020</div>\
             <div class=\"news-text\">{text}</div>{share}</div>"
        );
        let container = if chrome_first {
            format!("<div class=\"container\">{crumbs}{item}{related}</div>")
        } else {
            format!("<div class=\"container\">{item}{crumbs}{related}</div>")
        };
        page(&format!("{top}{container}{footer}"))
    }

    const CHROME_WORDS: &[&str] =
        &["998", "Write", "Home", "Press", "News", "Share", "Telegram", "Facebook", "Other", "Consular", "Copyright"];

    #[test]
    fn a_page_without_markers_uses_the_block_with_the_h1_and_most_text() {
        let story = ["The minister held talks in Samarkand.".to_string(), "Both sides signed a programme.".to_string()];
        let (doc, report) = read("en/news/visit.html", &unmarked_news_page(&story, true));
        let doc = doc.expect("a guessed region is indexed");
        assert_eq!(doc.title, "Working visit to Samarkand");
        assert_eq!(doc.body, format!("13.02.2020\n\n{}\n\n{}", story[0], story[1]));
        assert_eq!(
            report,
            [format!("warning: site/en/news/visit.html:1: {}", guessed_region("body > div.container > div.news-item"))]
        );
    }

    #[test]
    fn markers_override_the_guess() {
        let html = unmarked_news_page(&["Long story text here.".to_string()], false)
            .replace("<div class=\"related-news\">", "<div class=\"related-news\" data-qidiruv-body>");
        let (doc, report) = read("a.html", &html);
        assert_eq!(doc.unwrap().body, "Other news\n\nConsular reception schedule changes");
        assert!(report.is_empty(), "{report:?}");
    }

    proptest::proptest! {
        /// Whatever the article's paragraphs and where the chrome stands, the
        /// guessed region has all of the article and none of the chrome.
        #[test]
        fn the_guessed_region_is_the_article_and_nothing_else(
            paragraphs in proptest::collection::vec("[A-Z][a-z]{2,9}( [a-z]{1,9}){0,30}\\.", 1..6),
            chrome_first: bool,
        ) {
            let (doc, report) = read("a.html", &unmarked_news_page(&paragraphs, chrome_first));
            proptest::prop_assert_eq!(report.len(), 1, "{:?}", report);
            let doc = doc.unwrap();
            proptest::prop_assert_eq!(doc.title.as_str(), "Working visit to Samarkand");
            for paragraph in &paragraphs {
                proptest::prop_assert!(doc.body.contains(paragraph.as_str()), "{:?} lost from {:?}", paragraph, doc.body);
            }
            for word in CHROME_WORDS {
                proptest::prop_assert!(!doc.body.contains(word), "chrome {:?} in {:?}", word, doc.body);
            }
        }
    }

    #[test]
    fn a_page_nested_too_deep_is_an_error_not_a_slow_parse() {
        let html = page(&format!("<article>{}x</article>", "<div>".repeat(100_000)));
        let (doc, report) = read("a.html", &html);
        assert!(doc.is_none());
        assert_eq!(report.len(), 1);
        assert!(report[0].starts_with("error: site/a.html:1: elements nested more than 512 deep"), "{report:?}");
    }

    #[test]
    fn many_headings_and_times_in_an_ignored_block_are_read_in_one_walk() {
        // Each one used to walk its ancestors: 10,000 × the depth of the block.
        let hidden = "<time datetime=\"2001-01-01\">x</time><h1>Hidden</h1>".repeat(10_000);
        let html = page(&format!(
            "<article>{}<div data-qidiruv-ignore>{hidden}</div>{}<h1>Real</h1><p>Text</p></article>",
            "<div>".repeat(200),
            "</div>".repeat(200)
        ));
        let (doc, report) = read("a.html", &html);
        assert!(report.is_empty(), "{report:?}");
        let doc = doc.unwrap();
        assert_eq!((doc.title.as_str(), doc.body.as_str(), doc.date), ("Real", "Text", None));
    }

    #[test]
    fn a_page_marked_ignored_is_left_out_silently() {
        for html in [
            "<html lang=en data-qidiruv-ignore><body><main>Search</main></body></html>",
            "<html lang=en><body data-qidiruv-ignore><main>Search</main></body></html>",
        ] {
            assert_eq!(read("search/index.html", html), (None, vec![]));
        }
    }

    #[test]
    fn an_empty_body_is_indexed_by_title_with_a_warning() {
        let (doc, report) = read("a.html", &page("<article><h1>Photos</h1><img src=a.jpg></article>"));
        assert_eq!(doc.unwrap().title, "Photos");
        assert_eq!(report, ["warning: site/a.html:1: empty body; indexed by title only"]);
    }

    #[test]
    fn urls_come_from_the_path_and_are_percent_encoded() {
        for (relative, url) in [
            ("en/news/x/index.html", "/en/news/x/"),
            ("en/about.html", "/en/about.html"),
            ("index.htm", "/"),
            ("oz/янгилик 1/index.html", "/oz/%D1%8F%D0%BD%D0%B3%D0%B8%D0%BB%D0%B8%D0%BA%201/"),
            ("en/100%.html", "/en/100%25.html"),
            ("en/a(b)#c?.html", "/en/a(b)%23c%3F.html"),
        ] {
            assert_eq!(page_url(Path::new(relative)).unwrap(), url, "{relative}");
        }
    }
}
