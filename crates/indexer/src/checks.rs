//! The rules an article must pass whichever reader found it, so a JSONL line
//! and an HTML page are judged, and reported, in the same words.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use qidiruv_engine::Lang;

/// A body larger than this is legal but suspicious (usually an export bug).
pub const LARGE_BODY_BYTES: usize = 1024 * 1024;

/// The warning for an article that can only be found by its title.
pub const EMPTY_BODY: &str = "empty body; indexed by title only";

/// The default of `--max-record-bytes`: far above any real page or CMS
/// record, low enough that a file that never ends cannot exhaust memory.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// Limits the caller sets.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Reject bodies over this many bytes instead of warning.
    pub max_body_bytes: Option<usize>,
    /// Read no more than this many bytes of one HTML page or one JSONL line.
    pub max_record_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_body_bytes: None, max_record_bytes: DEFAULT_MAX_RECORD_BYTES }
    }
}

/// Where each id was first seen, across all inputs.
#[derive(Default)]
pub struct SeenIds(HashMap<String, (PathBuf, usize)>);

impl SeenIds {
    /// Records `id` as seen at `path:line`, or says where it was seen first.
    pub fn claim(&mut self, id: &str, path: &Path, line: usize) -> Result<(), String> {
        if let Some((first_path, first_line)) = self.0.get(id) {
            let place = if first_path == path {
                format!("line {first_line}")
            } else {
                format!("{}:{first_line}", first_path.display())
            };
            return Err(format!("duplicate id {id:?} (first seen on {place})"));
        }
        self.0.insert(id.to_string(), (path.to_path_buf(), line));
        Ok(())
    }
}

/// Parses an article's language tag. A well-formed tag of a language
/// without rules of its own is accepted with a warning, since its text is
/// then only normalised generically.
pub fn parse_lang(tag: &str, warnings: &mut Vec<String>) -> Result<Lang, String> {
    let lang = Lang::parse(tag).map_err(|e| e.to_string())?;
    if !lang.is_site_language() {
        warnings.push(format!("lang {tag:?} has no rules of its own; indexed with the generic rules"));
    }
    Ok(lang)
}

/// Warns about a large body, or refuses it over `--max-body-bytes`.
pub fn check_body_size(body: &str, options: &ReadOptions, warnings: &mut Vec<String>, errors: &mut Vec<String>) {
    let size = body.len();
    let mib = size as f64 / (1024.0 * 1024.0);
    match options.max_body_bytes {
        Some(max) if size > max => {
            errors.push(format!("body is {mib:.1} MiB ({size} bytes), over --max-body-bytes {max}"))
        }
        _ if size > LARGE_BODY_BYTES => warnings.push(format!(
            "body is {mib:.1} MiB ({size} bytes); indexed, but check the export (--max-body-bytes rejects such bodies)"
        )),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_names_the_first_place() {
        let mut seen = SeenIds::default();
        assert!(seen.claim("a", Path::new("x.jsonl"), 3).is_ok());
        assert_eq!(seen.claim("a", Path::new("x.jsonl"), 9), Err("duplicate id \"a\" (first seen on line 3)".into()));
        assert_eq!(
            seen.claim("a", Path::new("y.jsonl"), 1),
            Err("duplicate id \"a\" (first seen on x.jsonl:3)".into())
        );
    }
}
