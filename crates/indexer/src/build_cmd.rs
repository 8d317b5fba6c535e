//! `qidiruv build`: stream every input through the checks into the builder,
//! then write the index if no check refused it.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use qidiruv_engine::index::DEFAULT_POSTINGS_BUDGET;
use qidiruv_engine::IndexBuilder;

use crate::build_report::BuildReport;
use crate::checks::{ReadOptions, SeenIds};
use crate::html_dir::read_html_dir;
use crate::input_file::{unreadable_input, Refused};
use crate::jsonl::read_jsonl;
use crate::output::{scratch_dir, IndexWriter, OutputError};
use crate::report::{Diagnostic, Severity};

pub struct BuildArgs {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub strict: bool,
    pub read: ReadOptions,
    /// Where to write the JSON build report, if anywhere.
    pub report: Option<PathBuf>,
}

/// Documents handed to the builder at a time: enough to keep every core
/// busy, few enough that they take little memory.
const BATCH: usize = 2048;

/// Runs the build; `Err` carries the message for a failed (exit 1) build.
pub fn build(args: &BuildArgs) -> Result<(), String> {
    let started = Instant::now();
    let mut seen = SeenIds::default();
    let mut report: Vec<Diagnostic> = Vec::new();
    let scratch = scratch_dir(&args.out).map_err(|e| e.to_string())?;
    let mut builder = IndexBuilder::in_dir(scratch.clone(), DEFAULT_POSTINGS_BUDGET)
        .map_err(|e| format!("{}: {e}", scratch.display()))?;
    let scratch_error = |e: std::io::Error| format!("{}: {e}", scratch.display());
    let progress = ProgressBar::new_spinner()
        .with_style(ProgressStyle::with_template("indexing {pos} articles").expect("the template is valid"));
    let mut batch = Vec::new();
    // Records read (pages and non-blank lines) and articles kept from them.
    let (mut records, mut articles) = (0, 0);
    let refused = |report: &[Diagnostic]| report.iter().any(|d| d.severity == Severity::Error || args.strict);
    for input in &args.inputs {
        // Documents stream into the builder in batches, until a problem
        // means the build will be refused: then reading goes on only to
        // report every problem at once.
        let mut sink = |doc, report: &[Diagnostic]| {
            if refused(report) {
                batch.clear();
                return Ok(());
            }
            articles += 1;
            batch.push(doc);
            if batch.len() == BATCH {
                builder.add_all(std::mem::take(&mut batch)).map_err(scratch_error)?;
                progress.inc(BATCH as u64);
            }
            Ok(())
        };
        // A directory is a tree of built HTML pages; a file is JSON Lines.
        let meta = std::fs::metadata(input).map_err(|e| format!("{}: {e}", input.display()))?;
        if meta.is_dir() {
            records += read_html_dir(input, &args.read, &mut seen, &mut report, &mut sink)?;
        } else if let Some(kind) = unreadable_input(&meta) {
            report.push(Diagnostic::error(input, 0, Refused::Special(kind).message()));
        } else {
            let file = File::open(input).map_err(|e| format!("{}: {e}", input.display()))?;
            records += read_jsonl(input, BufReader::new(file), &args.read, &mut seen, &mut report, &mut sink)?;
        }
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
    } else if articles == 0 && records > 0 {
        // An empty index from pages or lines is a broken input or a broken
        // reader, never a site to publish.
        Some(format!(
            "no article indexed from {records} page(s) or line(s) of input ({warnings} warning(s)); \
             nothing was written to {}",
            args.out.display()
        ))
    } else {
        None
    };
    if let Some(refusal) = refusal {
        summary.seconds = started.elapsed().as_secs_f64();
        write_report(args, &summary)?;
        return Err(refusal);
    }

    builder.add_all(batch).map_err(scratch_error)?;
    progress.finish_and_clear();
    // Each part goes to disk as it is encoded; the manifest, last, makes them the index.
    let mut writer = IndexWriter::begin(&args.out).map_err(|e| e.to_string())?;
    let (mut parts, mut bytes) = (0, 0);
    let manifest = builder
        .finish_into(|name, part| {
            (parts, bytes) = (parts + 1, bytes + part.len());
            writer.part(name, &part).map_err(FinishError::Output)
        })
        .map_err(|e| match e {
            FinishError::Scratch(e) => scratch_error(e),
            FinishError::Output(e) => e.to_string(),
        })?;
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    writer.commit(&manifest_bytes).map_err(|e| e.to_string())?;

    summary.status = "ok";
    summary.articles = manifest.documents;
    summary.languages = manifest.languages.clone();
    summary.terms = manifest.terms;
    summary.files = parts + 1;
    summary.bytes = bytes + manifest_bytes.len();
    summary.seconds = started.elapsed().as_secs_f64();
    eprintln!("{}", summary.summary());
    write_report(args, &summary)
}

/// Why finishing the index stopped: reading back the build's scratch
/// files, or writing the index.
enum FinishError {
    Scratch(std::io::Error),
    Output(OutputError),
}

impl From<std::io::Error> for FinishError {
    fn from(e: std::io::Error) -> Self {
        FinishError::Scratch(e)
    }
}

fn write_report(args: &BuildArgs, summary: &BuildReport) -> Result<(), String> {
    match &args.report {
        Some(path) => summary.write(path),
        None => Ok(()),
    }
}
