//! Postings accumulated within a memory budget.
//!
//! Each term's occurrences are kept as varint bytes (a delta document
//! number, two frequencies and the positions as gaps, a few bytes a
//! document against 12 for the struct). When the buffers outgrow the budget, they are written out
//! as a run sorted by term and memory starts afresh; [`Accumulator::merge`]
//! then merges the runs by term. Runs hold consecutive documents in input
//! order, so a term's lists from run after run concatenate in input order:
//! the result is the same whatever the budget.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use super::DocId;

/// Bytes of postings buffers (and their keys) held before a run is spilled.
/// Synthetic news takes this much per ~120,000 articles, so a site of
/// 100,000 never touches the disk, and 1,000,000 make about 8 runs of
/// ~180 MB: few enough for the merge to read them all at once with small
/// buffers. Smaller saves little: the built parts, held until they are
/// written, outweigh it past 100,000 articles.
pub const DEFAULT_BUDGET: usize = 256 << 20;

/// Rough heap cost of a term's map entry besides its bytes: the key's and
/// buffer's headers and the table slot.
const ENTRY_OVERHEAD: usize = 80;

/// A term's occurrences in one document, before weighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub doc: DocId,
    pub title_tf: u32,
    pub body_tf: u32,
}

#[derive(Default)]
struct TermBuf {
    /// The last document added, which the next delta is from.
    last: DocId,
    bytes: Vec<u8>,
}

/// Collects [`Counts`] by term, spilling sorted runs to `dir`.
pub struct Accumulator {
    dir: PathBuf,
    budget: usize,
    terms: HashMap<String, TermBuf>,
    held: usize,
    runs: Vec<PathBuf>,
}

impl Accumulator {
    pub fn new(dir: &Path, budget: usize) -> Accumulator {
        Accumulator { dir: dir.to_path_buf(), budget, terms: HashMap::new(), held: 0, runs: Vec::new() }
    }

    /// Records `counts` under `term`, with the term's `positions` in the
    /// document (ascending, `title_tf + body_tf` of them). Documents must
    /// come in ascending order.
    pub fn add(&mut self, term: &str, counts: Counts, positions: &[u32]) -> io::Result<()> {
        let buf = match self.terms.get_mut(term) {
            Some(buf) => buf,
            None => {
                self.held += term.len() + ENTRY_OVERHEAD;
                self.terms.entry(term.to_string()).or_default()
            }
        };
        let before = buf.bytes.capacity();
        put_varint(&mut buf.bytes, counts.doc - buf.last);
        put_varint(&mut buf.bytes, counts.title_tf);
        put_varint(&mut buf.bytes, counts.body_tf);
        let mut previous = 0;
        for &position in positions {
            put_varint(&mut buf.bytes, position - previous);
            previous = position;
        }
        buf.last = counts.doc;
        self.held += buf.bytes.capacity() - before;
        if self.held > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    #[cfg(test)]
    fn runs(&self) -> usize {
        self.runs.len()
    }

    fn spill(&mut self) -> io::Result<()> {
        let path = self.dir.join(format!("postings-{}.run", self.runs.len()));
        let mut out = BufWriter::new(File::create(&path)?);
        for (term, buf) in sorted(std::mem::take(&mut self.terms)) {
            write_entry(&mut out, &term, &buf.bytes)?;
        }
        out.into_inner().map_err(io::IntoInnerError::into_error)?;
        self.held = 0;
        self.runs.push(path);
        Ok(())
    }

    /// Every term in key order with its counts in input order and their
    /// positions, one after another, calling `f` on each; the run files are
    /// removed as they are used up.
    pub fn merge(self, mut f: impl FnMut(String, Vec<Counts>, Vec<u32>) -> io::Result<()>) -> io::Result<()> {
        let mut runs: Vec<Run> = Vec::new();
        for path in &self.runs {
            runs.push(Run::File(BufReader::new(File::open(path)?)));
        }
        runs.push(Run::Memory(sorted(self.terms).into_iter()));
        // Each run's next term, smallest first; ties go to the earlier run.
        let mut heads = BinaryHeap::new();
        let mut pending: Vec<Option<Vec<u8>>> = vec![None; runs.len()];
        for (n, run) in runs.iter_mut().enumerate() {
            if let Some((term, bytes)) = run.next()? {
                heads.push(Reverse((term, n)));
                pending[n] = Some(bytes);
            }
        }
        while let Some(Reverse((term, n))) = heads.pop() {
            let (mut counts, mut positions) = (Vec::new(), Vec::new());
            let mut next = Some(n);
            while let Some(n) = next {
                decode_into(pending[n].take().expect("a head has its bytes"), &mut counts, &mut positions)?;
                if let Some((term, bytes)) = runs[n].next()? {
                    heads.push(Reverse((term, n)));
                    pending[n] = Some(bytes);
                }
                next = match heads.peek() {
                    Some(Reverse((other, _))) if *other == term => heads.pop().map(|Reverse((_, n))| n),
                    _ => None,
                };
            }
            f(term, counts, positions)?;
        }
        for path in &self.runs {
            fs::remove_file(path)?;
        }
        Ok(())
    }
}

fn sorted(terms: HashMap<String, TermBuf>) -> Vec<(String, TermBuf)> {
    let mut sorted: Vec<_> = terms.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    sorted
}

enum Run {
    File(BufReader<File>),
    Memory(std::vec::IntoIter<(String, TermBuf)>),
}

impl Run {
    fn next(&mut self) -> io::Result<Option<(String, Vec<u8>)>> {
        match self {
            Run::Memory(terms) => Ok(terms.next().map(|(term, buf)| (term, buf.bytes))),
            Run::File(file) => read_entry(file),
        }
    }
}

/// A run entry: `[key length][key][list length][list]`, lengths as varints.
fn write_entry(out: &mut impl Write, term: &str, bytes: &[u8]) -> io::Result<()> {
    let mut head = Vec::with_capacity(10);
    put_varint(&mut head, term.len() as u32);
    out.write_all(&head)?;
    out.write_all(term.as_bytes())?;
    head.clear();
    put_varint(&mut head, bytes.len() as u32);
    out.write_all(&head)?;
    out.write_all(bytes)
}

fn read_entry(file: &mut impl Read) -> io::Result<Option<(String, Vec<u8>)>> {
    let Some(key_len) = read_varint(file)? else { return Ok(None) };
    let mut key = vec![0; key_len as usize];
    file.read_exact(&mut key)?;
    let key = String::from_utf8(key).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let list_len = read_varint(file)?.ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
    let mut list = vec![0; list_len as usize];
    file.read_exact(&mut list)?;
    Ok(Some((key, list)))
}

fn decode_into(bytes: Vec<u8>, counts: &mut Vec<Counts>, positions: &mut Vec<u32>) -> io::Result<()> {
    let mut rest = bytes.as_slice();
    let mut doc = 0;
    while !rest.is_empty() {
        let mut field = || read_varint(&mut rest)?.ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof));
        doc += field()?;
        let entry = Counts { doc, title_tf: field()?, body_tf: field()? };
        let mut position = 0;
        for _ in 0..entry.title_tf + entry.body_tf {
            position += field()?;
            positions.push(position);
        }
        counts.push(entry);
    }
    Ok(())
}

fn put_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The next varint, or `None` at a clean end of input.
fn read_varint(input: &mut impl Read) -> io::Result<Option<u32>> {
    let mut n = 0u32;
    for shift in (0..35).step_by(7) {
        let mut byte = [0];
        if input.read(&mut byte)? == 0 {
            return if shift == 0 { Ok(None) } else { Err(io::ErrorKind::UnexpectedEof.into()) };
        }
        n |= u32::from(byte[0] & 0x7f) << shift;
        if byte[0] < 0x80 {
            return Ok(Some(n));
        }
    }
    Err(io::Error::new(io::ErrorKind::InvalidData, "varint too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(acc: Accumulator) -> Vec<(String, Vec<Counts>, Vec<u32>)> {
        let mut out = Vec::new();
        acc.merge(|term, counts, positions| {
            out.push((term, counts, positions));
            Ok(())
        })
        .unwrap();
        out
    }

    fn fill(acc: &mut Accumulator) {
        for doc in 0..500u32 {
            for term in ["a", "b", "ccc"].iter().take(1 + doc as usize % 3) {
                let positions: Vec<u32> = (0..doc % 2 + doc * 3).map(|p| p * 2 + doc).collect();
                acc.add(term, Counts { doc, title_tf: doc % 2, body_tf: doc * 3 }, &positions).unwrap();
            }
        }
    }

    #[test]
    fn spilled_runs_merge_to_what_memory_alone_gives() {
        let dir = std::env::temp_dir().join(format!("qidiruv-spill-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let mut whole = Accumulator::new(&dir, usize::MAX);
        let mut spilled = Accumulator::new(&dir, 64);
        fill(&mut whole);
        fill(&mut spilled);
        assert_eq!(whole.runs(), 0);
        assert!(spilled.runs() > 10, "{} runs", spilled.runs());
        let expected = merged(whole);
        assert_eq!(
            expected.iter().map(|(t, c, _)| (t.as_str(), c.len())).collect::<Vec<_>>(),
            [("a", 500), ("b", 333), ("ccc", 166)]
        );
        assert_eq!(expected[2].1[1], Counts { doc: 5, title_tf: 1, body_tf: 15 });
        // Document 2's six positions come first, then document 5's.
        assert_eq!(expected[2].2[6..9], [5, 7, 9]);
        assert_eq!(merged(spilled), expected);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0, "runs are removed once merged");
        fs::remove_dir(&dir).unwrap();
    }
}
