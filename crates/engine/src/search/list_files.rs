//! One kind of per-term list of a segment (postings or positions): its
//! files taken as one byte sequence, and the ranges of it loaded so far.

use std::ops::Range;

use super::segment::span;
use super::PartRequest;
use crate::index::dictionary::{Dictionary, ListKind};
use crate::index::list_frame;
use crate::index::reads::SMALL_LISTS_BYTES;
use crate::index::IndexError;

pub(super) struct ListFiles {
    kind: ListKind,
    /// Each file's name and where it starts in all of them taken as one.
    files: Vec<(String, u64)>,
    /// Where the last file ends.
    end: u64,
    /// Loaded runs of lists, by where they start.
    loaded: Vec<(u64, Vec<u8>)>,
}

impl ListFiles {
    /// The files of `kind` as the manifest lists them: `(name, bytes)`, in order.
    pub fn new(kind: ListKind, files: &[(String, u64)]) -> Result<ListFiles, IndexError> {
        let mut end = 0u64;
        let mut starts = Vec::with_capacity(files.len());
        for (name, bytes) in files {
            starts.push((name.clone(), end));
            end = end.checked_add(*bytes).ok_or_else(|| IndexError::Inconsistent {
                detail: "a segment's list files add up to more than 2^64 bytes".into(),
            })?;
        }
        Ok(ListFiles { kind, files: starts, end, loaded: Vec::new() })
    }

    /// Where file `n` starts and ends in all of them taken as one.
    fn bounds(&self, n: usize) -> (u64, u64) {
        let end = self.files.get(n + 1).map_or(self.end, |(_, start)| *start);
        (self.files[n].1, end)
    }

    /// The length of file `n`.
    pub fn file_bytes(&self, n: usize) -> u64 {
        let (start, end) = self.bounds(n);
        end - start
    }

    /// The file byte `at` of them all taken as one lies in.
    pub fn file_of(&self, at: u64) -> usize {
        self.files.partition_point(|(_, start)| *start <= at).saturating_sub(1)
    }

    /// Keeps `bytes`, the `range` of file `n` (`None`: all of it), once
    /// every list in it that `dictionary` knows checks out.
    pub fn add(
        &mut self,
        n: usize,
        range: &Option<Range<u64>>,
        bytes: &[u8],
        dictionary: &Dictionary,
    ) -> Result<(), IndexError> {
        let name = self.files[n].0.as_str();
        let (start, end) = self.bounds(n);
        let range = range.clone().unwrap_or(0..end - start);
        if range.start > range.end || range.end > end - start || bytes.len() as u64 != range.end - range.start {
            return Err(IndexError::Corrupt {
                part: name.to_string(),
                detail: format!("asked for bytes {} of {}, got {}", span(&range), end - start, bytes.len()),
            });
        }
        let (at, end) = (start + range.start, start + range.end);
        // Every list the bytes hold that a loaded shard locates is checked
        // before any is kept, so a damaged range is fetched again, not kept
        // for good; the rest are checked as they are decoded.
        for list in dictionary.lists_within(&(at..end), self.kind) {
            if !list_frame::is_intact(&bytes[(list.start - at) as usize..(list.end - at) as usize]) {
                return Err(IndexError::Corrupt {
                    part: name.to_string(),
                    detail: format!("a list at bytes {} fails its checksum", span(&list)),
                });
            }
        }
        match self.loaded.binary_search_by_key(&at, |(start, _)| *start) {
            Ok(i) if self.loaded[i].1.len() < bytes.len() => self.loaded[i].1 = bytes.to_vec(),
            Ok(_) => {}
            Err(i) => self.loaded.insert(i, (at, bytes.to_vec())),
        }
        Ok(())
    }

    /// Whether the files are read whole rather than by range.
    pub fn is_small(&self) -> bool {
        self.end <= SMALL_LISTS_BYTES
    }

    /// Whether all of file `n` is loaded.
    pub fn is_loaded(&self, n: usize) -> bool {
        let (start, end) = self.bounds(n);
        self.loaded(&(start..end)).is_some()
    }

    /// Requests for the files not loaded whole.
    pub fn files_not_loaded(&self) -> Vec<PartRequest> {
        let missing = (0..self.files.len()).filter(|&n| !self.is_loaded(n));
        missing.map(|n| PartRequest::whole(&self.files[n].0)).collect()
    }

    /// Requests for `range` of all the files taken as one: a range per file
    /// it spans, or each such file whole if they are small.
    pub fn requests(&self, range: Range<u64>) -> impl Iterator<Item = PartRequest> + '_ {
        let small = self.is_small();
        (0..self.files.len())
            .map(|n| (n, self.bounds(n)))
            .filter(move |&(_, (start, end))| start < range.end && range.start < end)
            .map(move |(n, (start, end))| PartRequest {
                name: self.files[n].0.clone(),
                range: (!small).then(|| range.start.max(start) - start..range.end.min(end) - start),
            })
    }

    /// The bytes of `list` (a range of all the files taken as one), if loaded.
    pub fn loaded(&self, list: &Range<u64>) -> Option<&[u8]> {
        let before = self.loaded.partition_point(|(start, _)| *start <= list.start);
        let (start, bytes) =
            self.loaded[..before].iter().rev().find(|(start, bytes)| start + bytes.len() as u64 >= list.end)?;
        bytes.get((list.start - start) as usize..(list.end - start) as usize)
    }
}
