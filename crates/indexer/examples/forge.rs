//! Forged indexes for the browser tests (`tests/e2e/`): what someone with
//! write access to a site could publish, every hash and checksum valid, to
//! pin what the widget does past the reader's checks (docs/format.md,
//! "Trust boundary").
//!
//! ```text
//! forge shard INDEX_DIR WORD      forge the dictionary shard WORD's key falls in, so that
//!                                 searching WORD makes fst panic; prints what it wrote
//! forge build ARTICLES.jsonl OUT  index JSON Lines as `qidiruv build` would, without its
//!                                 checks (none of a url's scheme, say)
//! ```
//!
//! `shard` writes a copy of the segment under another hash beside the
//! genuine one in INDEX_DIR, the forged part in it, and rewrites the
//! manifest to name the copy (build id included); the genuine parts stay.
//! Run with `cargo run -p qidiruv --example forge -- …`.

use std::collections::HashMap;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use qidiruv::index_dir::read_manifest;
use qidiruv_engine::index::dictionary::ShardPart;
use qidiruv_engine::index::{seal, unseal, Segment, MANIFEST_NAME};
use qidiruv_engine::{
    Date, Document, IndexBuilder, IndexError, Lang, Manifest, PartRequest, Query, SearchOptions, Searcher,
};
use serde_json::Value;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["shard", dir, word] => forge_shard(Path::new(dir), word),
        ["build", articles, out] => build_unchecked(Path::new(articles), Path::new(out)),
        _ => Err("usage: forge shard INDEX_DIR WORD | forge build ARTICLES.jsonl OUT_DIR".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("forge: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Flips the first byte of the shard's fst, from its root (the last node)
/// down, whose flip makes a search for `word` panic inside fst: fst reads
/// the nodes a lookup reaches and trusts what they say. The flip keeps
/// every check the reader makes: the fst's checksum and the part's seal
/// are recomputed, and the manifest names the segment's copy holding it.
fn forge_shard(dir: &Path, word: &str) -> Result<(), String> {
    let manifest = read_manifest(dir)?;
    let [segment] = &manifest.segments[..] else {
        return Err(format!("{}: forges a shard of a one-segment index", dir.display()));
    };
    let key = Query::parse(word).words.first().map(|w| w.key.clone()).ok_or(format!("no word in {word:?}"))?;
    let shards = &segment.parts.dictionary;
    let n = shards.partition_point(|(first, _)| first.as_str() <= key.as_str()).saturating_sub(1);
    let genuine_name = &shards[n].1;
    let sealed = read(dir, genuine_name)?;
    let genuine = unseal(genuine_name, &sealed, segment.seed).map_err(|e| e.to_string())?;
    let genuine: ShardPart = postcard::from_bytes(genuine).map_err(|e| format!("{genuine_name}: {e}"))?;
    let docs = read(dir, &segment.parts.docs)?;
    let mut files = Files { dir: dir.to_path_buf(), read: HashMap::new() };
    // The copy's hash, and the manifest naming it.
    let hash = format!("{:016x}", u64::from_str_radix(&segment.hash, 16).map_err(|e| e.to_string())? ^ 1);
    let copy = Segment::new(
        segment.seq,
        segment.documents,
        segment.terms,
        segment.lengths.clone(),
        hash.clone(),
        segment.seed,
        &segment.parts.layout(),
    )?;
    let mut forged = manifest.clone();
    forged.segments[0] = Segment { deleted: segment.deleted.clone(), ..copy };
    forged.build_id = Manifest::build_id(&forged.segments);
    let name = forged.segments[0].parts.dictionary[n].1.clone();
    let genuine_of = |name: &str| name.replace(&hash, &segment.hash);

    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload.downcast_ref::<&str>().map(|s| s.to_string());
        let message = message.or_else(|| payload.downcast_ref::<String>().cloned()).unwrap_or_default();
        let file = info.location().map(|l| l.file().to_string()).unwrap_or_default();
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some((file, message));
    }));
    // The fst starts with its version and type (16 bytes) and ends with its
    // length, root address and checksum (20 bytes): the nodes lie between.
    let nodes = 16..genuine.fst.len().saturating_sub(20);
    let mut found = None;
    for at in nodes.rev() {
        let mut part = genuine.clone();
        part.fst[at] ^= 0xff;
        let body = part.fst.len() - 4;
        let checksum = fst_checksum(&part.fst).ok_or(format!("{genuine_name}: its fst does not open"))?;
        part.fst[body..].copy_from_slice(&checksum.to_le_bytes());
        let bytes = seal(postcard::to_allocvec(&part).map_err(|e| e.to_string())?, segment.seed, &name);
        let panicked = search_panics(&forged, &docs, word, |request| match request.name == name {
            true => Ok(bytes.clone()),
            false => files.get(&PartRequest { name: genuine_of(&request.name), range: request.range.clone() }),
        });
        if let Some(panic) = panicked {
            found = Some((at, bytes, panic));
            break;
        }
    }
    let _ = panic::take_hook();
    let Some((at, bytes, panic)) = found else {
        return Err(format!("no byte of {genuine_name}'s fst, flipped, makes a search for {word:?} panic in fst"));
    };

    for copied in forged.part_names().filter(|copied| **copied != name) {
        fs::copy(dir.join(genuine_of(copied)), dir.join(copied)).map_err(|e| format!("{copied}: {e}"))?;
    }
    fs::write(dir.join(&name), &bytes).map_err(|e| format!("{name}: {e}"))?;
    let text = serde_json::to_vec(&forged).map_err(|e| e.to_string())?;
    fs::write(dir.join(MANIFEST_NAME), text).map_err(|e| format!("{MANIFEST_NAME}: {e}"))?;
    let report = serde_json::json!({ "part": name, "replaces": genuine_name, "fst_byte": at, "panic": panic });
    println!("{report}");
    Ok(())
}

/// The last panic: the source file it was raised in, and its message.
static LAST_PANIC: Mutex<Option<(String, String)>> = Mutex::new(None);

/// Searches `word` over the index `manifest` describes; `Some(message)` when
/// the search panicked in fst's own code with anything but arithmetic
/// overflow, which debug builds check and the widget's release build does
/// not: a panic that the widget's build reaches the same way.
fn search_panics(
    manifest: &Manifest,
    docs: &[u8],
    word: &str,
    load: impl FnMut(&PartRequest) -> Result<Vec<u8>, IndexError>,
) -> Option<String> {
    let run = || -> Result<(), IndexError> {
        let mut searcher = Searcher::open(manifest.clone(), &[docs])?;
        searcher.run(&Query::parse(word), &SearchOptions::default(), load)?;
        Ok(())
    };
    if panic::catch_unwind(AssertUnwindSafe(run)).is_ok() {
        return None;
    }
    let (file, message) = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take()?;
    let in_fst = file.contains("/fst-0.");
    (in_fst && !message.starts_with("attempt to")).then(|| format!("{file}: {message}"))
}

/// fst's checksum of all but the last four bytes of `fst`, as fst itself
/// computes it (`verify` reports what it found beside what was stored).
fn fst_checksum(fst: &[u8]) -> Option<u32> {
    match fst::raw::Fst::new(fst).ok()?.verify() {
        Ok(()) => fst.last_chunk::<4>().map(|stored| u32::from_le_bytes(*stored)),
        Err(fst::Error::Fst(fst::raw::Error::ChecksumMismatch { got, .. })) => Some(got),
        Err(_) => None,
    }
}

/// The index directory's files, each read once.
struct Files {
    dir: PathBuf,
    read: HashMap<String, Vec<u8>>,
}

impl Files {
    fn get(&mut self, request: &PartRequest) -> Result<Vec<u8>, IndexError> {
        let unreadable = |detail: String| IndexError::Unreadable { part: request.name.clone(), detail };
        if !self.read.contains_key(&request.name) {
            let bytes = read(&self.dir, &request.name).map_err(unreadable)?;
            self.read.insert(request.name.clone(), bytes);
        }
        let bytes = request.of_file(&self.read[&request.name]);
        bytes.map(<[u8]>::to_vec).ok_or_else(|| unreadable(format!("bytes {:?} are past its end", request.range)))
    }
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>, String> {
    fs::read(dir.join(name)).map_err(|e| format!("{}: {e}", dir.join(name).display()))
}

/// Indexes `articles` (JSON Lines: `id`, `url`, `lang`, `title`, `date`,
/// `body` as plain text, optional `translation_of`) into `out`, taking
/// every field as it is.
fn build_unchecked(articles: &Path, out: &Path) -> Result<(), String> {
    let text = fs::read_to_string(articles).map_err(|e| format!("{}: {e}", articles.display()))?;
    let mut builder = IndexBuilder::new().map_err(|e| e.to_string())?;
    for (line, record) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let at = |e: String| format!("{}:{}: {e}", articles.display(), line + 1);
        let record: Value = serde_json::from_str(record).map_err(|e| at(e.to_string()))?;
        let field = |name: &str| record.get(name).and_then(Value::as_str);
        let required = |name: &str| field(name).map(String::from).ok_or_else(|| at(format!("no {name:?}")));
        let doc = Document {
            id: required("id")?,
            url: required("url")?,
            lang: Lang::parse(&required("lang")?).map_err(|e| at(e.to_string()))?,
            title: required("title")?,
            date: field("date").map(Date::parse).transpose().map_err(|e| at(e.to_string()))?,
            body: required("body")?,
            group: field("translation_of").map(String::from),
        };
        builder.add(doc).map_err(|e| e.to_string())?;
    }
    let built = builder.finish().map_err(|e| e.to_string())?;
    fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for (name, bytes) in &built.parts {
        fs::write(out.join(name), bytes).map_err(|e| format!("{name}: {e}"))?;
    }
    let manifest = serde_json::to_vec(&built.manifest).map_err(|e| e.to_string())?;
    fs::write(out.join(MANIFEST_NAME), manifest).map_err(|e| format!("{MANIFEST_NAME}: {e}"))
}
