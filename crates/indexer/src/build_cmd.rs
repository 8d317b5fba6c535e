//! `qidiruv build`: read and check every input, then write the index.

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use qidiruv_engine::IndexBuilder;

use crate::checks::{ReadOptions, SeenIds};
use crate::html_dir::read_html_dir;
use crate::jsonl::read_jsonl;
use crate::output::write_index;
use crate::report::{Diagnostic, Severity};

pub struct BuildArgs {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub strict: bool,
    pub read: ReadOptions,
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
    let errors = report.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = report.len() - errors;
    if errors > 0 {
        return Err(format!("{errors} error(s), {warnings} warning(s); nothing was written to {}", args.out.display()));
    }
    if args.strict && warnings > 0 {
        return Err(format!("{warnings} warning(s) with --strict; nothing was written to {}", args.out.display()));
    }

    let mut builder = IndexBuilder::new();
    for doc in docs {
        builder.add(doc);
    }
    let built = builder.finish();
    let manifest = serde_json::to_vec_pretty(&built.manifest).map_err(|e| e.to_string())?;
    write_index(&args.out, &manifest, &built.parts).map_err(|e| e.to_string())?;

    let bytes: usize = manifest.len() + built.parts.iter().map(|(_, b)| b.len()).sum::<usize>();
    let languages: Vec<String> = built.manifest.languages.iter().map(|(l, n)| format!("{l} {n}")).collect();
    eprintln!(
        "indexed {} articles ({}) with {warnings} warning(s): {} terms, {} files, {:.1} KiB in {} ({:.2} s)",
        built.manifest.documents,
        languages.join(", "),
        built.manifest.terms,
        built.parts.len() + 1,
        bytes as f64 / 1024.0,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
