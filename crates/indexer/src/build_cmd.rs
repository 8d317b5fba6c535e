//! `qidiruv build`: read and check every input, then write the index.

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use qidiruv_engine::IndexBuilder;

use crate::build_report::BuildReport;
use crate::checks::{ReadOptions, SeenIds};
use crate::html_dir::read_html_dir;
use crate::jsonl::read_jsonl;
use crate::output::write_index;
use crate::report::Diagnostic;

pub struct BuildArgs {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub strict: bool,
    pub read: ReadOptions,
    /// Where to write the JSON build report, if anywhere.
    pub report: Option<PathBuf>,
}

/// Runs the build; `Err` carries the message for a failed (exit 1) build.
pub fn build(args: &BuildArgs) -> Result<(), String> {
    let started = Instant::now();
    let mut seen = SeenIds::default();
    let mut docs = Vec::new();
    let mut report: Vec<Diagnostic> = Vec::new();
    for input in &args.inputs {
        // A directory is a tree of built HTML pages; a file is JSON Lines.
        let (more, diagnostics) = if input.is_dir() {
            read_html_dir(input, &args.read, &mut seen)?
        } else {
            let bytes = fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
            read_jsonl(input, &bytes, &args.read, &mut seen)
        };
        docs.extend(more);
        report.extend(diagnostics);
    }
    for diagnostic in &report {
        eprintln!("{diagnostic}");
    }
    let mut summary = BuildReport::new(&args.inputs, &args.out, &report);
    let (errors, warnings) = (summary.errors.len(), summary.warnings.len());
    let refusal = if errors > 0 {
        Some(format!("{errors} error(s), {warnings} warning(s); nothing was written to {}", args.out.display()))
    } else if args.strict && warnings > 0 {
        Some(format!("{warnings} warning(s) with --strict; nothing was written to {}", args.out.display()))
    } else {
        None
    };
    if let Some(refusal) = refusal {
        summary.seconds = started.elapsed().as_secs_f64();
        write_report(args, &summary)?;
        return Err(refusal);
    }

    let built = index_with_progress(docs);
    let manifest = serde_json::to_vec_pretty(&built.manifest).map_err(|e| e.to_string())?;
    write_index(&args.out, &manifest, &built.parts).map_err(|e| e.to_string())?;

    summary.status = "ok";
    summary.articles = built.manifest.documents;
    summary.languages = built.manifest.languages.clone();
    summary.terms = built.manifest.terms;
    summary.files = built.parts.len() + 1;
    summary.bytes = manifest.len() + built.parts.iter().map(|(_, b)| b.len()).sum::<usize>();
    summary.seconds = started.elapsed().as_secs_f64();
    eprintln!("{}", summary.summary());
    write_report(args, &summary)
}

fn write_report(args: &BuildArgs, summary: &BuildReport) -> Result<(), String> {
    match &args.report {
        Some(path) => summary.write(path),
        None => Ok(()),
    }
}

/// Indexes the documents, with a progress bar when stderr is a terminal
/// (indicatif draws nothing otherwise, so CI logs stay clean).
fn index_with_progress(docs: Vec<qidiruv_engine::Document>) -> qidiruv_engine::index::BuiltIndex {
    let progress = ProgressBar::new(docs.len() as u64).with_style(
        ProgressStyle::with_template("indexing {bar:30} {pos}/{len} articles, {eta} left")
            .expect("the template is valid"),
    );
    let mut builder = IndexBuilder::new();
    builder.add_all(docs, |added| progress.inc(added as u64));
    progress.finish_and_clear();
    builder.finish()
}
