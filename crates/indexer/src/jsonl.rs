//! Reading articles from JSON Lines (a CMS export), one article per line.
//!
//! Every bad line becomes a [`Diagnostic`] naming file, line and reason; the
//! reader goes on to the end so a report lists every problem at once.

use std::io::{BufRead, Read};
use std::path::Path;

use qidiruv_engine::{Date, Document};
use serde_json::{Map, Value};

use crate::checks::{check_body_size, parse_lang, ReadOptions, SeenIds, EMPTY_BODY};
use crate::cms_body::plain_body;
use crate::report::Diagnostic;
use crate::url_check::check_url;

/// Reads one JSONL file line by line, handing each good document to
/// `sink` (with the diagnostics so far) and adding a diagnostic for each bad or suspicious line to
/// `report`; returns how many lines held something. `Err` is a failure to read the file, or the
/// sink's. A line longer than `--max-record-bytes` ends the reading with an error: the rest may
/// never end (a stream without newlines).
pub fn read_jsonl(
    path: &Path,
    mut input: impl BufRead,
    options: &ReadOptions,
    seen: &mut SeenIds,
    report: &mut Vec<Diagnostic>,
    mut sink: impl FnMut(Document, &[Diagnostic]) -> Result<(), String>,
) -> Result<usize, String> {
    let mut raw = Vec::new();
    let (mut line, mut records) = (0, 0);
    let limit = options.max_record_bytes;
    loop {
        line += 1;
        raw.clear();
        // One byte past the limit (and its newline) tells a line that is too long.
        let read = (&mut input).take(limit as u64 + 2).read_until(b'\n', &mut raw);
        if read.map_err(|e| format!("{}: {e}", path.display()))? == 0 {
            return Ok(records);
        }
        if raw.strip_suffix(b"\n").unwrap_or(&raw).len() > limit {
            let message = format!("line is longer than {limit} bytes; the rest of the file is not read (--max-record-bytes raises the limit)");
            report.push(Diagnostic::error(path, line, message));
            return Ok(records + 1);
        }
        let mut bytes = raw.strip_suffix(b"\n").unwrap_or(&raw);
        bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if line == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                report.push(Diagnostic::error(
                    path,
                    line,
                    format!("invalid UTF-8 at byte offset {} (0-based) of line {line}", e.valid_up_to()),
                ));
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        records += 1;
        match parse_record(text, options) {
            Ok((doc, warnings)) => {
                if let Err(duplicate) = seen.claim(&doc.id, path, line) {
                    report.push(Diagnostic::error(path, line, duplicate));
                    continue;
                }
                report.extend(warnings.into_iter().map(|w| Diagnostic::warning(path, line, w)));
                sink(doc, report)?;
            }
            Err(errors) => report.extend(errors.into_iter().map(|e| Diagnostic::error(path, line, e))),
        }
    }
}

/// One line to a document, or every reason it is refused.
fn parse_record(text: &str, options: &ReadOptions) -> Result<(Document, Vec<String>), Vec<String>> {
    let value: Value = serde_json::from_str(text).map_err(|e| vec![describe_json_error(&e, text)])?;
    let Value::Object(record) = value else {
        return Err(vec!["expected a JSON object".into()]);
    };
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut field = |name: &str| -> Option<&Value> {
        let value = record.get(name);
        if value.is_none() {
            errors.push(format!("missing required field {name:?}"));
        }
        value
    };
    let (id, url, lang, title, date, body) =
        (field("id"), field("url"), field("lang"), field("title"), field("date"), field("body"));

    let id = id.and_then(|v| string_field("id", v, &mut errors));
    if id.is_some_and(str::is_empty) {
        errors.push("field \"id\" is empty".into());
    }
    let url = url.and_then(|v| string_field("url", v, &mut errors));
    if let Some(url) = url.filter(|u| !u.is_empty()) {
        if let Err(e) = check_url(url) {
            errors.push(e);
        }
    }
    let lang = lang
        .and_then(|v| string_field("lang", v, &mut errors))
        .and_then(|tag| parse_lang(tag, &mut warnings).map_err(|e| errors.push(e)).ok());
    let title = title.and_then(|v| string_field("title", v, &mut errors));
    let date = date.and_then(|v| match v {
        Value::Null => Some(None),
        Value::String(s) => Date::parse(s).map(Some).map_err(|e| errors.push(e.to_string())).ok(),
        _ => {
            errors.push("field \"date\" must be a string or null".into());
            None
        }
    });
    let body = body.and_then(|v| string_field("body", v, &mut errors));
    if let Some(body) = body {
        check_body_size(body, options, &mut warnings, &mut errors);
    }
    check_optional_fields(&record, &mut errors);

    match (id, url, lang, title, date, body) {
        (Some(id), Some(url), Some(lang), Some(title), Some(date), Some(body)) if errors.is_empty() => {
            let (body, repaired) = plain_body(body).map_err(|e| vec![format!("body: {e}")])?;
            warnings.extend(repaired);
            if body.trim().is_empty() {
                warnings.push(EMPTY_BODY.into());
            }
            match (title.trim().is_empty(), url.is_empty()) {
                (true, true) => warnings.push("empty title and url".into()),
                (false, true) => warnings.push("empty url; the result is shown without a link".into()),
                _ => {}
            }
            let doc = Document {
                id: id.to_string(),
                url: url.to_string(),
                lang,
                title: title.to_string(),
                date,
                body: body.into_owned(),
                group: record.get("translation_of").and_then(Value::as_str).filter(|g| !g.is_empty()).map(String::from),
            };
            Ok((doc, warnings))
        }
        _ => Err(errors),
    }
}

fn string_field<'a>(name: &str, value: &'a Value, errors: &mut Vec<String>) -> Option<&'a str> {
    let text = value.as_str();
    if text.is_none() {
        errors.push(format!("field {name:?} must be a string"));
    }
    text
}

/// The optional fields DESIGN.md names must have their documented types;
/// any other extra field is ignored, for forward compatibility.
fn check_optional_fields(record: &Map<String, Value>, errors: &mut Vec<String>) {
    for name in ["section", "translation_of", "summary"] {
        if let Some(v) = record.get(name) {
            if !(v.is_string() || v.is_null()) {
                errors.push(format!("field {name:?} must be a string"));
            }
        }
    }
    if let Some(tags) = record.get("tags") {
        let ok = tags.is_null() || tags.as_array().is_some_and(|a| a.iter().all(Value::is_string));
        if !ok {
            errors.push("field \"tags\" must be an array of strings".into());
        }
    }
}

/// serde_json's message, reworded: "EOF while parsing a string at line 1
/// column 279" becomes "invalid JSON: unterminated string (column 226)",
/// pointing at the string's opening quote, where the fix is, rather than at
/// the end of the line where the parser gave up.
fn describe_json_error(e: &serde_json::Error, text: &str) -> String {
    let message = e.to_string();
    let what = message.split(" at line ").next().unwrap_or(&message);
    let (what, column) = match what {
        "EOF while parsing a string" => ("unterminated string", unterminated_string_column(text)),
        "EOF while parsing an object" => ("unterminated object", None),
        "EOF while parsing a list" => ("unterminated array", None),
        "EOF while parsing a value" => ("line ends before a value", None),
        other => (other, None),
    };
    format!("invalid JSON: {what} (column {})", column.unwrap_or(e.column()))
}

/// The 1-based character column of the opening quote of a string that is
/// still open at the end of `text`.
fn unterminated_string_column(text: &str) -> Option<usize> {
    let mut open = None;
    let mut escaped = false;
    for (column, c) in text.chars().enumerate() {
        match (open, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(_), '"') => open = None,
            (None, '"') => open = Some(column + 1),
            _ => {}
        }
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_with(text: &str, max_body_bytes: Option<usize>) -> (Vec<Document>, Vec<Diagnostic>) {
        read_with_options(text.as_bytes(), &ReadOptions { max_body_bytes, ..ReadOptions::default() })
    }

    fn read_with_options(input: impl BufRead, options: &ReadOptions) -> (Vec<Document>, Vec<Diagnostic>) {
        let (mut docs, mut report) = (Vec::new(), Vec::new());
        let sink = |doc, _: &[Diagnostic]| {
            docs.push(doc);
            Ok(())
        };
        read_jsonl(Path::new("in.jsonl"), input, options, &mut SeenIds::default(), &mut report, sink).unwrap();
        (docs, report)
    }

    fn read(text: &str) -> (Vec<Document>, Vec<String>) {
        let (docs, report) = read_with(text, None);
        (docs, report.into_iter().map(|d| d.to_string()).collect())
    }

    const GOOD: &str = r#"{"id":"a","url":"/en/a","lang":"en","title":"T","date":"2020-02-13","body":"Text."}"#;

    #[test]
    fn a_good_line_becomes_a_document() {
        let (docs, report) = read(GOOD);
        assert!(report.is_empty(), "{report:?}");
        assert_eq!(docs[0].id, "a");
        assert_eq!(docs[0].date, Some(Date::parse("2020-02-13").unwrap()));
    }

    #[test]
    fn every_missing_field_is_named() {
        let (docs, report) = read(r#"{"id":"a","lang":"en","body":""}"#);
        assert!(docs.is_empty());
        for field in ["url", "title", "date"] {
            assert!(report.iter().any(|r| r.contains(&format!("missing required field \"{field}\""))), "{report:?}");
        }
        assert!(report.iter().all(|r| r.starts_with("error: in.jsonl:1: ")), "{report:?}");
    }

    #[test]
    fn wrong_types_are_errors() {
        let (_, report) = read(r#"{"id":1,"url":"/","lang":"en","title":"T","date":5,"body":"b","tags":"x"}"#);
        assert_eq!(report.len(), 3, "{report:?}");
    }

    #[test]
    fn an_unterminated_string_is_located_at_its_opening_quote() {
        let (_, report) = read(r#"{"id":"a","body":"cut \"here"#);
        assert_eq!(report, ["error: in.jsonl:1: invalid JSON: unterminated string (column 18)"]);
    }

    #[test]
    fn non_object_lines_are_errors() {
        let (_, report) = read("[1,2]");
        assert_eq!(report, ["error: in.jsonl:1: expected a JSON object"]);
    }

    #[test]
    fn max_body_bytes_turns_the_warning_into_an_error() {
        let line = GOOD.replace("Text.", &"x".repeat(100));
        let (docs, report) = read_with(&line, Some(50));
        assert!(docs.is_empty());
        assert!(report[0].message.contains("--max-body-bytes 50"), "{:?}", report[0]);
    }

    #[test]
    fn a_line_over_the_record_limit_ends_the_file_with_an_error() {
        // An endless stream without newlines (a link to /dev/zero) is read
        // only up to the limit: the test would not end otherwise.
        let endless = std::io::BufReader::new(std::io::repeat(b'x'));
        let options = ReadOptions { max_record_bytes: 1000, ..ReadOptions::default() };
        let (docs, report) = read_with_options(GOOD.as_bytes().chain(&b"\n"[..]).chain(endless), &options);
        assert_eq!(docs.len(), 1);
        assert_eq!(
            report.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["error: in.jsonl:2: line is longer than 1000 bytes; the rest of the file is not read \
              (--max-record-bytes raises the limit)"]
        );
        let line = GOOD.replace("Text.", &"x".repeat(1000 - GOOD.len() + 5));
        assert_eq!(line.len(), 1000);
        assert!(read_with_options(line.as_bytes(), &options).1.is_empty());
    }
}
