//! One segment as the searcher reads it: its document table and dictionary,
//! and the postings lists loaded so far. Its documents are numbered from
//! `base` in the index.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::list_files::ListFiles;
use super::PartRequest;
use crate::index::dictionary::{Dictionary, ListKind};
use crate::index::positions::{decode_positions, Positions};
use crate::index::postings::{decode_list, Posting};
use crate::index::store::{decode_head, decode_whole, LoadedSlot, HEAD_BYTES};
use crate::index::{DocId, DocTable, IndexError, Parts, Segment, StoreClass};

pub(super) struct SegmentReader {
    /// The index's number of the segment's first document.
    pub base: DocId,
    pub documents: u32,
    pub parts: Parts,
    table: Option<DocTable>,
    pub dictionary: Dictionary,
    /// Seeds the checksums of the segment's parts and slots.
    seed: u64,
    /// Per [`ListKind`]: its files, and the lists loaded so far.
    lists: [ListFiles; 2],
}

/// Where a part name belongs in its segment.
#[derive(Clone, Copy)]
pub(super) enum Slot {
    Docs,
    Shard(usize),
    Head(usize),
    /// A postings or positions file, by its place in the manifest.
    List(ListKind, usize),
    /// Slot class, file.
    Store(usize, usize),
}

impl SegmentReader {
    /// The segment as its manifest entry describes it, checked; its
    /// document table comes later, as a part ([`Slot::Docs`]).
    pub fn new(segment: &Segment, base: DocId) -> Result<SegmentReader, IndexError> {
        let parts = &segment.parts;
        let ranges_ok = parts.dictionary.first().is_some_and(|(first, _)| first.is_empty())
            && parts.dictionary.windows(2).all(|w| w[0].0 < w[1].0)
            && parts.heads.windows(2).all(|w| w[0].0 < w[1].0);
        let deleted_ok = segment.deleted.windows(2).all(|w| w[0] < w[1])
            && segment.deleted.last().is_none_or(|&last| last < segment.documents);
        let classes_ok = parts.store.iter().all(|c| c.slot_bytes > 0 && c.file_docs > 0);
        if !ranges_ok || !deleted_ok || !classes_ok {
            return Err(IndexError::Inconsistent {
                detail: format!(
                    "segment {}: its dictionary shards or heads are out of key order, its {} deleted documents \
                     out of order or range, or a store class is empty",
                    segment.seq,
                    segment.deleted.len()
                ),
            });
        }
        let lists = [
            ListFiles::new(ListKind::Postings, &parts.postings)?,
            ListFiles::new(ListKind::Positions, &parts.positions)?,
        ];
        let firsts = parts.dictionary.iter().map(|(first, _)| first.clone()).collect();
        let dictionary = Dictionary::new(firsts, parts.heads.iter().map(|(prefix, _)| prefix.clone()).collect());
        Ok(SegmentReader {
            base,
            documents: segment.documents,
            parts: parts.clone(),
            table: None,
            dictionary,
            seed: segment.seed,
            lists,
        })
    }

    /// Checks the segment's document table (`bytes`, the part its manifest
    /// entry names, unsealed) against the entry, and keeps it.
    fn add_table(&mut self, bytes: &[u8]) -> Result<(), IndexError> {
        let parts = &self.parts;
        let table: DocTable = crate::index::part::decode(&parts.docs, bytes)?;
        let class_fits =
            |(class, c): (usize, &StoreClass)| table.class_docs(class) <= c.files.len() as u64 * u64::from(c.file_docs);
        let store_ok = table.slot_runs_fit(parts.store.len()) && parts.store.iter().enumerate().all(class_fits);
        let langs_ok = table.docs.iter().all(|d| usize::from(d.lang) < table.langs.len()) && table.groups_fit();
        if table.docs.len() != self.documents as usize || !langs_ok || !store_ok {
            return Err(IndexError::Inconsistent {
                detail: format!(
                    "{}: the segment counts {} documents; its table holds {} in {} languages ({} slot runs), \
                     and its store classes are [{}]",
                    parts.docs,
                    self.documents,
                    table.docs.len(),
                    table.langs.len(),
                    table.slot_runs.len(),
                    parts
                        .store
                        .iter()
                        .map(|c| format!("({}, {}, {})", c.files.len(), c.file_docs, c.slot_bytes))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            });
        }
        self.table = Some(table);
        Ok(())
    }

    /// The segment's document table, once loaded (see [`Self::add_table`]).
    pub fn table(&self) -> Option<&DocTable> {
        self.table.as_ref()
    }

    /// The segment's part names, with where each belongs.
    pub fn slots(&self) -> impl Iterator<Item = (String, Slot)> + '_ {
        let parts = &self.parts;
        let shards = parts.dictionary.iter().enumerate().map(|(n, (_, name))| (name.clone(), Slot::Shard(n)));
        let heads = parts.heads.iter().enumerate().map(|(n, (_, name))| (name.clone(), Slot::Head(n)));
        let store = parts.store.iter().enumerate().flat_map(|(class, c)| {
            c.files.iter().enumerate().map(move |(n, name)| (name.clone(), Slot::Store(class, n)))
        });
        let postings =
            parts.postings.iter().enumerate().map(|(n, (name, _))| (name.clone(), Slot::List(ListKind::Postings, n)));
        let positions =
            parts.positions.iter().enumerate().map(|(n, (name, _))| (name.clone(), Slot::List(ListKind::Positions, n)));
        let lists = postings.chain(positions);
        std::iter::once((parts.docs.clone(), Slot::Docs)).chain(shards).chain(heads).chain(lists).chain(store)
    }

    /// Verifies, decodes and keeps a part of this segment; store slots go
    /// to `store`, by their documents' numbers in the index. Gives the
    /// document a slot's tail completed, if the part was one.
    pub fn add_part(
        &mut self,
        slot: Slot,
        request: &PartRequest,
        bytes: &[u8],
        store: &mut FxHashMap<DocId, LoadedSlot>,
    ) -> Result<Option<DocId>, IndexError> {
        let name = request.name.as_str();
        let misplaced = |detail: String| IndexError::Inconsistent { detail: format!("{name}: {detail}") };
        let unseal = || crate::index::unseal(name, bytes, self.seed);
        match (slot, &request.range) {
            (Slot::Store(class, n), Some(range)) => return self.add_slots(class, n, name, range, bytes, store),
            (Slot::Docs, None) => self.add_table(unseal()?),
            (Slot::Shard(n), None) => self.dictionary.load(n, name, unseal()?),
            (Slot::Head(n), None) => self.dictionary.load_head(n, name, unseal()?),
            (Slot::List(kind, n), None) => self.lists[kind as usize].add(n, &None, unseal()?, &self.dictionary),
            (Slot::List(kind, n), range) => self.lists[kind as usize].add(n, range, bytes, &self.dictionary),
            (_, Some(range)) => Err(misplaced(format!("cannot be read as bytes {}", span(range)))),
            (_, None) => Err(misplaced("cannot be read whole".into())),
        }
        .map(|()| None)
    }

    /// Verifies and keeps bytes `range` of store file `n` of class `class`
    /// (`name`): a slot's head, its tail, or whole slots. Gives the document
    /// a tail completed.
    fn add_slots(
        &self,
        class: usize,
        n: usize,
        name: &str,
        range: &Range<u64>,
        bytes: &[u8],
        store: &mut FxHashMap<DocId, LoadedSlot>,
    ) -> Result<Option<DocId>, IndexError> {
        let misplaced = |detail: String| IndexError::Inconsistent { detail: format!("{name}: {detail}") };
        let Some(table) = &self.table else {
            return Err(misplaced("read before its segment's document table".into()));
        };
        let StoreClass { slot_bytes, file_docs, .. } = self.parts.store[class];
        let (slot, head) = (u64::from(slot_bytes), u64::from(slot_bytes).min(HEAD_BYTES as u64));
        let first = u64::from(file_docs) * n as u64 + range.start / slot;
        let document = |index: u64| {
            let local = u32::try_from(index).ok().and_then(|index| table.doc_in_slot(class, index));
            let local = local.ok_or_else(|| misplaced("a slot past the last document".into()))?;
            let at = format!("{name} (document {})", self.base + local);
            Ok::<_, IndexError>((self.base + local, at, crate::index::slot_seed(self.seed, local)))
        };
        let asked = |fits: bool| match fits && bytes.len() as u64 == range.end - range.start {
            true => Ok(()),
            false => Err(IndexError::Corrupt {
                part: name.to_string(),
                detail: format!("asked for bytes {}, got {}", span(range), bytes.len()),
            }),
        };
        if range.start % slot == head {
            // A tail, read once its head is.
            asked(true)?;
            let (doc, at, seed) = document(first)?;
            let loaded = store.get_mut(&doc).ok_or_else(|| misplaced("a slot's tail before its head".into()))?;
            if range.start - head + loaded.tail().end as u64 != range.end {
                return Err(misplaced(format!("bytes {} are not the tail of document {doc}", span(range))));
            }
            // A tail fetched twice (ahead, and for a search) completes its document once.
            if loaded.is_whole() {
                return Ok(None);
            }
            return loaded.add_tail(bytes, &at, seed).map(|()| Some(doc));
        }
        // One head, or whole slots (which a slot no larger than a head is).
        let one_head = slot > head && range.end - range.start == head;
        asked(range.start.is_multiple_of(slot) && (one_head || (range.end - range.start).is_multiple_of(slot)))?;
        let mut decoded = Vec::new();
        for (index, bytes) in (first..).zip(bytes.chunks(slot as usize)) {
            let (doc, at, seed) = document(index)?;
            decoded
                .push((doc, if one_head { decode_head(bytes, &at, seed)? } else { decode_whole(bytes, &at, seed)? }));
        }
        for (doc, loaded) in decoded {
            // A head read again must not undo its tail.
            if store.get(&doc).is_none_or(|kept| loaded.is_whole() || !kept.is_whole()) {
                store.insert(doc, loaded);
            }
        }
        Ok(None)
    }

    /// The postings files of the heads of `key`'s first letters (itself
    /// included): the files that hold the lists its prefixes read.
    pub fn head_files<'a>(&'a self, key: &'a str) -> impl Iterator<Item = usize> + 'a {
        let heads = self.parts.heads.iter().zip(&self.parts.head_postings);
        heads.filter(move |((prefix, _), _)| key.starts_with(prefix.as_str())).filter_map(|(_, file)| *file)
    }

    /// Requests for head `n` and the postings files that come with it (its
    /// own and its shorter prefixes' heads', which hold the lists they
    /// share), those not loaded.
    pub fn head_requests(&self, n: usize) -> Vec<PartRequest> {
        let (prefix, head) = &self.parts.heads[n];
        let postings = &self.lists[ListKind::Postings as usize];
        let files = self.head_files(prefix).filter(|&f| !postings.is_loaded(f));
        let files = files.map(|f| PartRequest::whole(&self.parts.postings[f].0));
        std::iter::once(PartRequest::whole(head)).chain(files).collect()
    }

    /// The postings file that `list` lies in.
    pub fn postings_file_of(&self, list: &Range<u64>) -> usize {
        self.lists[ListKind::Postings as usize].file_of(list.start)
    }

    /// Whether postings `list` lies in a file that `range` starts or ends in.
    pub fn share_a_file(&self, list: &Range<u64>, range: &Range<u64>) -> bool {
        let postings = &self.lists[ListKind::Postings as usize];
        let file = postings.file_of(list.start);
        file == postings.file_of(range.start) || file == postings.file_of(range.end.saturating_sub(1))
    }

    /// Where the `kind` list of term `ordinal` lies in all files of such
    /// lists taken as one, once its shard or head is loaded.
    pub fn list_range(&self, ordinal: u64, kind: ListKind) -> Option<Range<u64>> {
        self.dictionary.list_bytes(ordinal, kind)
    }

    /// Its files of `kind` lists, whole and not loaded yet, if they are
    /// small (see [`ListFiles::is_small`]): a segment of a few fresh
    /// articles, whose lists are best read with its dictionary parts, a
    /// round trip before any query word would ask for a range of them.
    pub fn small_lists_to_load(&self, kind: ListKind) -> Vec<PartRequest> {
        let lists = &self.lists[kind as usize];
        if lists.is_small() {
            lists.files_not_loaded()
        } else {
            Vec::new()
        }
    }

    /// The length of the `kind` list file `n`.
    pub fn list_file_bytes(&self, kind: ListKind, n: usize) -> u64 {
        self.lists[kind as usize].file_bytes(n)
    }

    /// Requests for a range of all files of `kind` taken as one: a range per file it spans.
    pub fn list_requests(&self, kind: ListKind, range: Range<u64>) -> impl Iterator<Item = PartRequest> + '_ {
        self.lists[kind as usize].requests(range)
    }

    /// The bytes of `list` (a range of all files of `kind` taken as one), if loaded.
    pub fn loaded_list(&self, kind: ListKind, list: &Range<u64>) -> Option<&[u8]> {
        self.lists[kind as usize].loaded(list)
    }

    /// The bytes of term `ordinal`'s `kind` list, which is loaded.
    fn list_bytes(&self, ordinal: u64, kind: ListKind) -> Result<&[u8], IndexError> {
        let bytes = self.list_range(ordinal, kind).and_then(|list| self.loaded_list(kind, &list));
        bytes.ok_or_else(|| IndexError::Inconsistent { detail: format!("a list of term {ordinal} is not loaded") })
    }

    /// The decoded postings list of term `ordinal`, which is loaded, its
    /// documents numbered as in the index.
    pub fn list(&self, ordinal: u64) -> Result<Vec<Posting>, IndexError> {
        let mut list = decode_list(self.list_bytes(ordinal, ListKind::Postings)?, ordinal, self.documents)?;
        for posting in &mut list {
            posting.doc += self.base;
        }
        Ok(list)
    }

    /// The decoded positions list of term `ordinal`, which is loaded, for
    /// the `docs` documents of its postings list.
    pub fn positions(&self, ordinal: u64, docs: usize) -> Result<Positions, IndexError> {
        decode_positions(self.list_bytes(ordinal, ListKind::Positions)?, ordinal, docs)
    }

    /// The store file and byte range of the slot of `local`, a document of this segment.
    pub fn slot_of(&self, local: DocId) -> Option<(&str, Range<u64>)> {
        let (class, index) = self.table.as_ref()?.store_slot(local);
        self.parts.store.get(class)?.slot(index)
    }
}

/// `start..end`, as messages write a byte range (without `Debug`, whose
/// machinery would cost the wasm a few kilobytes).
pub(crate) fn span(range: &Range<u64>) -> String {
    format!("{}..{}", range.start, range.end)
}
