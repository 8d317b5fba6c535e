//! What a build did, for people (a summary on stderr) and for CI (`--report FILE`, JSON).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::report::{Diagnostic, Severity};

/// The `--report` JSON: written for failed builds too, so CI can show why.
#[derive(Serialize)]
pub struct BuildReport {
    /// `ok`, or `failed` (nothing was written).
    pub status: &'static str,
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub articles: u32,
    pub languages: BTreeMap<String, u32>,
    pub errors: Vec<ReportedProblem>,
    pub warnings: Vec<ReportedProblem>,
    pub terms: u64,
    pub files: usize,
    pub bytes: usize,
    pub seconds: f64,
    /// Why the build failed, when it failed for something other than its input.
    pub failure: Option<String>,
    /// Segments in the index written.
    pub segments: usize,
    /// Files and bytes this build added to the index directory (a publish
    /// uploads these and the manifest).
    pub new_files: usize,
    pub new_bytes: usize,
    /// Unchanged articles indexed again: their translations changed, or
    /// their segment was merged.
    pub reindexed: usize,
    /// Articles of the previous index the input no longer has.
    pub removed: usize,
    /// The input was indexed as it is already: nothing was written.
    pub unchanged: bool,
}

/// One diagnostic, as JSON.
#[derive(Serialize)]
pub struct ReportedProblem {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl BuildReport {
    /// A report of the input problems, before anything is built.
    pub fn new(inputs: &[PathBuf], out: &Path, diagnostics: &[Diagnostic]) -> BuildReport {
        let of = |severity: Severity| {
            diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .map(|d| ReportedProblem { file: d.path.clone(), line: d.line, message: d.message.clone() })
                .collect()
        };
        BuildReport {
            status: "failed",
            inputs: inputs.to_vec(),
            out: out.to_path_buf(),
            articles: 0,
            languages: BTreeMap::new(),
            errors: of(Severity::Error),
            warnings: of(Severity::Warning),
            terms: 0,
            files: 0,
            bytes: 0,
            seconds: 0.0,
            failure: None,
            segments: 0,
            new_files: 0,
            new_bytes: 0,
            reindexed: 0,
            removed: 0,
            unchanged: false,
        }
    }

    /// The human summary printed at the end of a successful build.
    pub fn summary(&self) -> String {
        let languages: Vec<String> = self.languages.iter().map(|(l, n)| format!("{l} {n}")).collect();
        format!(
            "indexed {} articles from {} input(s) in {:.2} s\n  languages: {}\n  warnings:  {}\n  index:     {} terms in {} segment(s), {} in {}\n  changed:   {} new file(s), {:.1} KiB; {} article(s) indexed again, {} removed",
            self.articles,
            self.inputs.len(),
            self.seconds,
            languages.join(", "),
            self.warnings.len(),
            self.terms,
            self.segments,
            if self.unchanged { "unchanged" } else { "updated" },
            self.out.display(),
            self.new_files,
            self.new_bytes as f64 / 1024.0,
            self.reindexed,
            self.removed,
        )
    }

    /// Writes the report as JSON to `path`.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))
    }
}
