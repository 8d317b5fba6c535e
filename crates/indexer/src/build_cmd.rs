//! `qidiruv build`: stream every input through the checks into the builder,
//! then write the index if no check refused it. Onto an existing index, the
//! build adds a segment for what changed (see [`crate::publish`]).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use qidiruv_engine::index::{DEFAULT_POSTINGS_BUDGET, MANIFEST_NAME};
use qidiruv_engine::{Document, IndexBuilder, Manifest};

use crate::build_report::BuildReport;
use crate::checks::{ReadOptions, SeenIds};
use crate::html_dir::read_html_dir;
use crate::input_file::{unreadable_input, Refused};
use crate::jsonl::read_jsonl;
use crate::output::{lock_out, scratch_dir, IndexWriter, OutputError, Written};
use crate::publish::{plan, Previous, Seen};
use crate::report::{Diagnostic, Severity};

pub struct BuildArgs {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub strict: bool,
    pub read: ReadOptions,
    /// Where to write the JSON build report, if anywhere.
    pub report: Option<PathBuf>,
    /// Index everything into one new segment, ignoring the index at `out`.
    pub rebuild: bool,
}

/// Documents handed to the builder at a time: enough to keep every core
/// busy, few enough that they take little memory.
const BATCH: usize = 2048;

/// Runs the build; `Err` carries the message for a failed (exit 1) build,
/// which the report, if asked for, records too.
pub fn build(args: &BuildArgs) -> Result<(), String> {
    let started = Instant::now();
    let mut summary = BuildReport::new(&args.inputs, &args.out, &[]);
    // A report that cannot be written fails the build before the index changes.
    if let Some(path) = &args.report {
        summary.write(path)?;
    }
    let result = build_reported(args, &mut summary);
    summary.seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(()) => {
            eprintln!("{}", summary.summary());
            write_report(args, &summary)
        }
        Err(message) => {
            summary.status = "failed";
            summary.failure = Some(message.clone());
            write_report(args, &summary)?;
            Err(message)
        }
    }
}

fn build_reported(args: &BuildArgs, summary: &mut BuildReport) -> Result<(), String> {
    let _lock = lock_out(&args.out).map_err(|e| e.to_string())?;
    let previous = if args.rebuild {
        None
    } else {
        Previous::read(&args.out).unwrap_or_else(|why| {
            eprintln!("warning: {why}; rebuilding the whole index");
            None
        })
    };
    let scratch = scratch_dir(&args.out).map_err(|e| e.to_string())?;
    let builder = IndexBuilder::in_dir(scratch.clone(), DEFAULT_POSTINGS_BUDGET)
        .map_err(|e| format!("{}: {e}", scratch.display()))?;
    let scratch_error = |e: std::io::Error| format!("{}: {e}", scratch.display());
    let mut feed = Feed { builder, batch: Vec::new(), scratch_error: &scratch_error };

    let progress = ProgressBar::new_spinner()
        .with_style(ProgressStyle::with_template("indexing {pos} articles").expect("the template is valid"));
    let mut report: Vec<Diagnostic> = Vec::new();
    let mut seen: Vec<Seen> = Vec::new();
    let refused = |report: &[Diagnostic]| report.iter().any(|d| d.severity == Severity::Error || args.strict);
    let records = read_inputs(args, &mut report, &mut |doc, report| {
        // Once a problem means the build will be refused, reading goes on
        // only to report every problem at once.
        if refused(report) {
            return Ok(());
        }
        let unchanged = previous.as_ref().is_some_and(|p| p.has(&doc));
        seen.push(Seen {
            id: doc.id.clone(),
            group: doc.group_key().to_string(),
            lang: doc.lang.tag().to_string(),
            url: doc.url.clone(),
            unchanged,
        });
        if !unchanged {
            feed.push(doc)?;
            progress.set_position(feed.builder.len() as u64);
        }
        Ok(())
    })?;
    for diagnostic in &report {
        eprintln!("{diagnostic}");
    }
    *summary = BuildReport { seconds: 0.0, ..BuildReport::new(&args.inputs, &args.out, &report) };
    let (errors, warnings) = (summary.errors.len(), summary.warnings.len());
    if errors > 0 {
        return Err(format!("{errors} error(s), {warnings} warning(s); nothing was written to {}", args.out.display()));
    }
    if args.strict && warnings > 0 {
        return Err(format!("{warnings} warning(s) with --strict; nothing was written to {}", args.out.display()));
    }
    if seen.is_empty() && records > 0 {
        // An empty index from pages or lines is a broken input or a broken
        // reader, never a site to publish.
        return Err(format!(
            "no article indexed from {records} page(s) or line(s) of input ({warnings} warning(s)); \
             nothing was written to {}",
            args.out.display()
        ));
    }

    let plan = previous.as_ref().map(|previous| plan(previous, &seen));
    if let Some(plan) = plan.as_ref().filter(|plan| !plan.reindex.is_empty()) {
        // Unchanged documents the new segment takes in: read again, quietly.
        if let Some(pipe) = args.inputs.iter().find(|input| !input.is_dir() && !input.is_file()) {
            return Err(format!(
                "{}: this publish indexes {} unchanged article(s) again, which reads the input twice, \
                 and a pipe can be read once; give a file, or --rebuild",
                pipe.display(),
                plan.reindex.len()
            ));
        }
        read_inputs(args, &mut Vec::new(), &mut |doc, _| match plan.reindex.contains(&doc.id) {
            true => feed.push(doc),
            false => Ok(()),
        })?;
    }
    feed.flush()?;
    progress.finish_and_clear();

    let mut languages: BTreeMap<String, u32> = BTreeMap::new();
    for doc in &seen {
        *languages.entry(doc.lang.clone()).or_default() += 1;
    }
    let (mut segments, builder) = match plan {
        Some(plan) => {
            summary.reindexed = plan.reindex.len();
            summary.removed = plan.removed;
            (plan.kept, feed.builder.joining(plan.prior))
        }
        None => (Vec::new(), feed.builder),
    };
    let previous_manifest = previous.map(|p| p.manifest);
    let unchanged = |segments: &[qidiruv_engine::index::Segment]| {
        previous_manifest.as_ref().is_some_and(|m| Manifest::build_id(segments) == m.build_id)
    };
    if builder.is_empty() && unchanged(&segments) {
        summary.status = "ok";
        summary.unchanged = true;
        let manifest = previous_manifest.as_ref().expect("an unchanged index was read");
        fill_summary(summary, manifest, &args.out, Written::default());
        return Ok(());
    }
    // Each part goes to disk as it is encoded; the manifest, last, makes them the index.
    let mut writer = IndexWriter::begin(&args.out).map_err(|e| e.to_string())?;
    let (mut files, mut bytes) = (0, 0);
    if !builder.is_empty() {
        let segment = builder
            .finish_into(|name, part| {
                (files, bytes) = (files + 1, bytes + part.len());
                writer.part(name, &part).map_err(FinishError::Output)
            })
            .map_err(|e| match e {
                FinishError::Scratch(e) => scratch_error(e),
                FinishError::Output(e) => e.to_string(),
            })?;
        writer.name_parts(|written| segment.name_of(written)).map_err(|e| e.to_string())?;
        segments.push(segment);
    }
    for segment in &segments {
        writer.keep(segment.names());
    }
    let manifest = Manifest::new(segments, languages);
    let manifest_bytes = serde_json::to_vec(&manifest).map_err(|e| e.to_string())?;
    let written = writer.commit(&manifest_bytes).map_err(|e| e.to_string())?;
    summary.status = "ok";
    fill_summary(summary, &manifest, &args.out, written);
    Ok(())
}

fn fill_summary(summary: &mut BuildReport, manifest: &Manifest, out: &Path, written: Written) {
    summary.articles = manifest.documents;
    summary.languages = manifest.languages.clone();
    summary.terms = manifest.terms;
    summary.segments = manifest.segments.len();
    summary.new_files = written.files;
    summary.new_bytes = written.bytes;
    let names = manifest.part_names().chain([MANIFEST_NAME]);
    let sizes: Vec<u64> = names.filter_map(|name| fs::metadata(out.join(name)).ok()).map(|m| m.len()).collect();
    summary.files = sizes.len();
    summary.bytes = sizes.iter().sum::<u64>() as usize;
}

/// What receives each document read, with the diagnostics so far.
type Sink<'a> = dyn FnMut(Document, &[Diagnostic]) -> Result<(), String> + 'a;

/// Every input's documents, through `sink`, with their diagnostics added to `report`.
fn read_inputs(args: &BuildArgs, report: &mut Vec<Diagnostic>, sink: &mut Sink) -> Result<usize, String> {
    let mut seen = SeenIds::default();
    // Records read: pages and non-blank lines.
    let mut records = 0;
    for input in &args.inputs {
        // A directory is a tree of built HTML pages; a file is JSON Lines.
        let meta = std::fs::metadata(input).map_err(|e| format!("{}: {e}", input.display()))?;
        if meta.is_dir() {
            records += read_html_dir(input, &args.read, &mut seen, report, &mut *sink)?;
        } else if let Some(kind) = unreadable_input(&meta) {
            report.push(Diagnostic::error(input, 0, Refused::Special(kind).message()));
        } else {
            let file = File::open(input).map_err(|e| format!("{}: {e}", input.display()))?;
            records += read_jsonl(input, BufReader::new(file), &args.read, &mut seen, report, &mut *sink)?;
        }
    }
    Ok(records)
}

/// Documents on their way into the builder, in batches.
struct Feed<'a> {
    builder: IndexBuilder,
    batch: Vec<Document>,
    scratch_error: &'a dyn Fn(std::io::Error) -> String,
}

impl Feed<'_> {
    fn push(&mut self, doc: Document) -> Result<(), String> {
        self.batch.push(doc);
        if self.batch.len() == BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        self.builder.add_all(std::mem::take(&mut self.batch)).map_err(self.scratch_error)
    }
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
