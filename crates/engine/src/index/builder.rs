//! Building an index: documents in, named parts out.
//!
//! Memory stays bounded as documents stream in: stored records are
//! compressed and spooled to disk, and postings spill sorted runs to disk
//! past a budget (see [`spill`](super::spill)). Both live in a scratch
//! directory removed with the builder.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::PathBuf;

use super::catalog::{encode_catalog, CatalogEntry};
use super::dictionary_writer::{list_files, list_starts, write_dictionary, DictionaryLayout, EncodedTerm};
use super::doc_table::{DocInfo, DocTable};
use super::manifest::{Layout, Manifest, Segment, StoreLayout, FORMAT_NAME, FORMAT_VERSION};
use super::part::{encode, seal, xxh3_64};
use super::positions::{body_position, encode_positions};
use super::postings::{encode_list, Impact, Posting};
use super::scratch::ScratchDir;
use super::spill::{Accumulator, Counts, DEFAULT_BUDGET};
use super::spool::Spool;
use super::store::{
    compress, decode_slot, decompress, encode_slot, slot_bytes_for, stored_text, StoredDoc, Translation,
    MAX_STORE_FILE_BYTES, SLOT_HEADER_BYTES,
};
use super::{DocId, IndexError};
use crate::analysis::{stems_of, tokenize};
use crate::index::stem_key;
use crate::search::TermWeights;
use crate::{Date, Lang};

/// A validated article, ready to index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub id: String,
    pub url: String,
    pub lang: Lang,
    pub title: String,
    pub date: Option<Date>,
    /// Plain text.
    pub body: String,
    /// The translation group: documents sharing it (or whose id it is) tell
    /// the same story in other languages (`translation_of` in the corpus).
    pub group: Option<String>,
}

impl Document {
    /// A hash of everything indexed of the document: equal fingerprints,
    /// equal parts. A publish re-indexes a document whose fingerprint changed.
    pub fn fingerprint(&self) -> u64 {
        let mut hash = xxhash_rust::xxh3::Xxh3::new();
        let date = self.date.map(|d| d.to_string()).unwrap_or_default();
        let fields = [&self.id, &self.url, self.lang.tag(), &self.title, &date, &self.body, self.group_key()];
        for field in fields {
            hash.update(&(field.len() as u64).to_le_bytes());
            hash.update(field.as_bytes());
        }
        hash.digest()
    }

    /// The translation group: documents with equal keys tell one story.
    pub fn group_key(&self) -> &str {
        self.group.as_deref().unwrap_or(&self.id)
    }
}

/// What a new segment takes from the segments it joins: its number, and
/// their length sums, so its length normalisation is the index's, not its
/// own few documents'. A publish puts every live document of a story (a
/// translation group) that changed in the new segment, so a story never
/// spans segments and the new segment links its translations by itself.
#[derive(Clone, Debug, Default)]
pub struct Prior {
    pub seq: u32,
    /// Per language tag: documents, title words, body words.
    pub lengths: BTreeMap<String, [u64; 3]>,
}

/// Accumulates documents; [`IndexBuilder::finish`] writes the parts.
pub struct IndexBuilder {
    postings: Accumulator,
    /// Per document: title and body lengths in words, day, language.
    stats: Vec<(u32, u32, Option<i32>, Lang)>,
    /// Each document's compressed record, without its translations.
    stored: Spool,
    /// Each document's translation group key and url.
    links: Vec<(String, String)>,
    /// Each document's catalog entry, in input order.
    catalog: Vec<CatalogEntry>,
    prior: Prior,
    /// The stem cache of documents added one at a time.
    stems: StemCache,
    /// Held for its removal on drop; last, so the files in it close first.
    _scratch: ScratchDir,
}

/// Documents analysed on all cores at a time.
const ANALYSIS_BATCH: usize = 2048;

/// Stem keys of each folded word seen, per language: stemming is the costly
/// step, and a corpus repeats its vocabulary endlessly.
type StemCache = HashMap<Lang, HashMap<String, Vec<String>>>;

thread_local! {
    /// Each analysing thread's own cache.
    static STEMS: std::cell::RefCell<StemCache> = std::cell::RefCell::default();
}

/// A document's terms with their title and body frequencies and their
/// positions (see [`positions`](super::positions)), and its lengths.
struct Analysed {
    terms: Vec<(String, Counted)>,
    title_len: u32,
    body_len: u32,
}

/// A term's occurrences in one document.
#[derive(Default)]
struct Counted {
    title_tf: u32,
    body_tf: u32,
    positions: Vec<u32>,
}

fn analyse(doc: &Document, stems: &mut StemCache) -> Analysed {
    let title_tokens = tokenize(&doc.title);
    let body_tokens = tokenize(&doc.body);
    let stems = stems.entry(doc.lang.clone()).or_default();
    for token in title_tokens.iter().chain(&body_tokens) {
        if !stems.contains_key(&token.folded) {
            let keys = stems_of(&token.folded, &token.key, Some(&doc.lang)).into_iter().map(stem_key).collect();
            stems.insert(token.folded.clone(), keys);
        }
    }
    let title_len = title_tokens.len() as u32;
    // Keys borrowed while counting: most of a document's words repeat.
    let mut counts: HashMap<&str, Counted> = HashMap::new();
    for (tokens, in_title) in [(&title_tokens, true), (&body_tokens, false)] {
        for (i, token) in (0..).zip(tokens.iter()) {
            let position = if in_title { i } else { body_position(title_len, i) };
            let token_stems = stems.get(&token.folded).into_iter().flatten();
            for key in std::iter::once(&token.key).chain(token_stems) {
                let count = counts.entry(key).or_default();
                // Two stems that cut to one key are one occurrence of it.
                if count.positions.last() == Some(&position) {
                    continue;
                }
                count.positions.push(position);
                if in_title {
                    count.title_tf += 1;
                } else {
                    count.body_tf += 1;
                }
            }
        }
    }
    Analysed {
        terms: counts.into_iter().map(|(term, counted)| (term.to_string(), counted)).collect(),
        title_len,
        body_len: body_tokens.len() as u32,
    }
}

/// A finished index: the manifest and every part's name and bytes.
#[derive(Clone)]
pub struct BuiltIndex {
    pub manifest: Manifest,
    /// `(file name, bytes)`, in the manifest's part order.
    pub parts: Vec<(String, Vec<u8>)>,
}

impl BuiltIndex {
    /// A searcher over this index with every part loaded (tests, benches,
    /// and tools that hold a whole index in memory anyway).
    pub fn searcher(&self) -> Result<crate::Searcher, IndexError> {
        let bytes_of = |name: &str| self.part(name);
        let mut searcher = self.opened()?;
        for segment in &self.manifest.segments {
            let parts = &segment.parts;
            let in_dictionary = |name: &str| parts.dictionary.iter().chain(&parts.heads).any(|(_, part)| part == name);
            for name in parts.names().filter(|name| *name != parts.docs) {
                let request = |range| crate::PartRequest { name: name.to_string(), range };
                if in_dictionary(name) {
                    searcher.add_part(&request(None), bytes_of(name))?;
                } else {
                    // Postings and store files are read as one range of all their lists or slots.
                    let body = super::part::unseal(name, bytes_of(name), segment.seed)?;
                    searcher.add_part(&request(Some(0..body.len() as u64)), body)?;
                }
            }
        }
        Ok(searcher)
    }

    /// A searcher over this index that has loaded its document tables only,
    /// as a page has once it opened the index.
    pub fn opened(&self) -> Result<crate::Searcher, IndexError> {
        let tables: Vec<&[u8]> = self.manifest.segments.iter().map(|s| self.part(&s.parts.docs)).collect();
        crate::Searcher::open(self.manifest.clone(), &tables)
    }
}

impl BuiltIndex {
    /// The bytes of the part named `name` (none when it is not a part).
    pub fn part(&self, name: &str) -> &[u8] {
        self.parts.iter().find(|(n, _)| n == name).map_or(&[][..], |(_, bytes)| bytes)
    }

    /// Every stored document with the size of its slot, slot by slot, each
    /// checked as the reader checks it.
    pub fn stored_docs(&self) -> Result<Vec<(StoredDoc, usize)>, IndexError> {
        let bytes_of = |name: &str| self.part(name);
        let mut stored = Vec::new();
        for segment in &self.manifest.segments {
            let docs = &segment.parts.docs;
            let table: DocTable = super::part::decode(docs, super::part::unseal(docs, bytes_of(docs), segment.seed)?)?;
            for (class, store) in segment.parts.store.iter().enumerate() {
                let mut slots = Vec::new();
                for file in &store.files {
                    slots.extend(
                        super::part::unseal(file, bytes_of(file), segment.seed)?.chunks(store.slot_bytes as usize),
                    );
                }
                for (index, slot) in (0..).zip(slots) {
                    let doc = table.doc_in_slot(class, index).ok_or_else(|| IndexError::Inconsistent {
                        detail: format!("slot {index} of class {class} holds no document"),
                    })?;
                    let seed = slot_seed(segment.seed, doc);
                    stored.push((decode_slot(slot, &format!("slot {index} of class {class}"), seed)?, slot.len()));
                }
            }
        }
        Ok(stored)
    }
}

impl IndexBuilder {
    /// A builder working in a fresh directory under the system's temporary one.
    pub fn new() -> io::Result<IndexBuilder> {
        IndexBuilder::with_scratch(ScratchDir::temporary()?, DEFAULT_BUDGET)
    }

    /// A builder working in `scratch`, which it creates and removes, holding
    /// about `budget` bytes of postings in memory. The output is the same
    /// whatever the budget.
    pub fn in_dir(scratch: PathBuf, budget: usize) -> io::Result<IndexBuilder> {
        IndexBuilder::with_scratch(ScratchDir::create(scratch)?, budget)
    }

    /// Makes the builder's output a segment joining the index `prior` describes.
    pub fn joining(mut self, prior: Prior) -> IndexBuilder {
        self.prior = prior;
        self
    }

    /// Documents added so far.
    pub fn len(&self) -> usize {
        self.stats.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stats.is_empty()
    }

    fn with_scratch(scratch: ScratchDir, budget: usize) -> io::Result<IndexBuilder> {
        Ok(IndexBuilder {
            postings: Accumulator::new(scratch.path(), budget),
            stats: Vec::new(),
            stored: Spool::create(&scratch.path().join("store.spool"))?,
            links: Vec::new(),
            catalog: Vec::new(),
            prior: Prior::default(),
            stems: StemCache::default(),
            _scratch: scratch,
        })
    }

    /// Adds a document (ids are assigned by [`IndexBuilder::finish`]).
    pub fn add(&mut self, doc: Document) -> io::Result<()> {
        let analysed = analyse(&doc, &mut self.stems);
        let record = compress(&stored_doc(&doc));
        self.keep(doc, analysed, &record)
    }

    /// Adds documents in order, analysing and compressing them on every core.
    pub fn add_all(&mut self, docs: Vec<Document>) -> io::Result<()> {
        let mut docs = docs.into_iter().peekable();
        while docs.peek().is_some() {
            // Batches bound the memory the analysed terms take.
            let batch: Vec<Document> = docs.by_ref().take(ANALYSIS_BATCH).collect();
            let prepared = in_parallel(&batch, |doc| {
                (STEMS.with_borrow_mut(|stems| analyse(doc, stems)), compress(&stored_doc(doc)))
            });
            for (doc, (analysed, record)) in batch.into_iter().zip(prepared) {
                self.keep(doc, analysed, &record)?;
            }
        }
        Ok(())
    }

    fn keep(&mut self, doc: Document, analysed: Analysed, record: &[u8]) -> io::Result<()> {
        let id = self.stats.len() as DocId;
        for (term, counted) in &analysed.terms {
            let counts = Counts { doc: id, title_tf: counted.title_tf, body_tf: counted.body_tf };
            self.postings.add(term, counts, &counted.positions)?;
        }
        let day = doc.date.map(Date::days_since_epoch);
        let fingerprint = doc.fingerprint();
        let group = doc.group_key().to_string();
        self.catalog.push(CatalogEntry { id: doc.id, fingerprint, group: group.clone() });
        self.stats.push((analysed.title_len, analysed.body_len, day, doc.lang));
        self.links.push((group, doc.url));
        self.stored.push(record)
    }

    /// Encodes every part. The output depends only on the documents and
    /// their order, so equal input gives byte-identical parts.
    pub fn finish(self) -> io::Result<BuiltIndex> {
        let mut parts = Vec::new();
        let segment = self.finish_into(|name, bytes| {
            parts.push((name.to_string(), bytes));
            Ok::<(), io::Error>(())
        })?;
        for (name, _) in &mut parts {
            *name = segment.name_of(name);
        }
        let languages = segment.lengths.iter().map(|(tag, [docs, ..])| (tag.clone(), *docs as u32)).collect();
        Ok(BuiltIndex { manifest: Manifest::new(vec![segment], languages), parts })
    }

    /// The segment of [`finish`](Self::finish), handing each part to `write`
    /// as soon as it is encoded, rather than holding them all (the store
    /// alone is most of an index's bytes). A part is handed over as
    /// `s<seq>-<stem>` with its bytes; its name is that stem with the
    /// segment's hash, known only once every part is written (see
    /// [`Segment::name_of`]).
    pub fn finish_into<E: From<io::Error>>(
        mut self,
        mut write: impl FnMut(&str, Vec<u8>) -> Result<(), E>,
    ) -> Result<Segment, E> {
        let seq = self.prior.seq;
        let part_hashes = std::cell::RefCell::new(Vec::new());
        let named = |stem: &str, bytes: &[u8]| {
            part_hashes.borrow_mut().extend(xxh3_64(bytes).to_le_bytes());
            format!("s{seq}-{stem}")
        };
        let tags: Vec<&str> = self.stats.iter().map(|stat| stat.3.tag()).collect();
        link_translations(&mut self.stored, &self.links, &tags)?;
        // Each document's slot size; the store's classes are the sizes in use.
        let slot_sizes: Vec<usize> =
            (0..self.stats.len()).map(|doc| slot_bytes_for(self.stored.size(doc) + SLOT_HEADER_BYTES)).collect();
        let mut classes = slot_sizes.clone();
        classes.sort_unstable();
        classes.dedup();
        let class_of = |doc: usize| classes.partition_point(|&size| size < slot_sizes[doc]) as u16;
        // Documents are numbered by language, then slot class, then in input
        // order: the document table's language column becomes four runs, each
        // class a run within them, which is all a reader needs to find a
        // slot; and a news export's dates ascend within each run, so they
        // compress to little.
        let mut order: Vec<usize> = (0..self.stats.len()).collect();
        order.sort_by_key(|&doc| (self.stats[doc].3.tag(), class_of(doc)));
        let mut new_id = vec![0 as DocId; order.len()];
        for (id, &doc) in order.iter().enumerate() {
            new_id[doc] = id as DocId;
        }
        let stats: Vec<_> = order.iter().map(|&doc| self.stats[doc].clone()).collect();
        let mut table = doc_table(&stats);
        table.groups = stories(&order, &self.links);
        for (id, &doc) in (0..).zip(&order) {
            if table.slot_runs.last().is_none_or(|&(_, class)| class != class_of(doc)) {
                table.slot_runs.push((id, class_of(doc)));
            }
        }
        let lengths: Vec<(u32, u32, u16)> =
            stats.iter().zip(&table.docs).map(|(&(title, body, ..), info)| (title, body, info.lang)).collect();
        let own_lengths = length_sums(&lengths, &table.langs);
        // Weighed against the whole index's lengths, the new segment's
        // scores compare with the older segments' own.
        let sums = table.langs.iter().map(|tag| {
            let [docs, title, body] = own_lengths[tag];
            let [prior_docs, prior_title, prior_body] = self.prior.lengths.get(tag).copied().unwrap_or_default();
            (title + prior_title, body + prior_body, docs + prior_docs)
        });
        let weights = TermWeights::from_sums(sums.collect());
        let mut terms = weighted_terms(self.postings, &new_id, &weights, &lengths)?;

        let catalog: Vec<CatalogEntry> = order.iter().map(|&doc| self.catalog[doc].clone()).collect();
        let catalog_bytes = encode_catalog(&catalog);
        let seed = xxh3_64(&catalog_bytes);
        // Every part ends with a checksum, seeded by its stem.
        let whole = |stem: &str, body: Vec<u8>| {
            let sealed = seal(body, seed, &format!("s{seq}-{stem}"));
            (named(stem, &sealed), sealed)
        };
        for (name, bytes) in [whole("catalog", catalog_bytes), whole("docs", encode(&table))] {
            write(&name, bytes)?;
        }
        let positions = list_files(terms.iter().map(|t| &t.positions[..]), "positions", &whole, &mut write)?;
        let positions_starts = list_starts(&terms, |t| &t.positions);
        for term in &mut terms {
            term.positions = Vec::new();
        }
        let written = write_dictionary(&terms, &positions_starts, &whole, &mut write)?;
        let term_count = terms.len() as u64;
        drop(terms);
        let store = StoreWriter { stored: &mut self.stored, order: &order, table: &table, seal: &whole, seed };
        let store = store.write(&classes, &mut write)?;
        let DictionaryLayout { dictionary, heads, head_postings, postings } = written;
        let layout = Layout { dictionary, heads, head_postings, postings, positions, store };
        let hash = format!("{:016x}", xxh3_64(&part_hashes.into_inner()));
        let segment = Segment::new(seq, order.len() as DocId, term_count, own_lengths, hash, seed, &layout);
        Ok(segment.expect("the builder names its segment by a segment hash"))
    }
}

impl Manifest {
    /// The manifest of an index of `segments`, with `languages` its live
    /// documents per language.
    pub fn new(segments: Vec<Segment>, languages: BTreeMap<String, u32>) -> Manifest {
        Manifest {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION,
            build_id: Manifest::build_id(&segments),
            documents: segments.iter().map(Segment::live).sum(),
            terms: segments.iter().map(|s| s.terms).sum(),
            languages,
            segments,
        }
    }
}

/// Per document in index order (`order`: input numbers), the first
/// document of its story (`links`: each input document's group and url);
/// empty when every story has one document.
fn stories(order: &[usize], links: &[(String, String)]) -> Vec<DocId> {
    let mut first: HashMap<&str, DocId> = HashMap::new();
    let groups: Vec<DocId> =
        (0..).zip(order).map(|(id, &doc)| *first.entry(links[doc].0.as_str()).or_insert(id)).collect();
    if first.len() == groups.len() {
        Vec::new()
    } else {
        groups
    }
}

/// Per language tag: documents, title words and body words.
fn length_sums(lengths: &[(u32, u32, u16)], langs: &[String]) -> BTreeMap<String, [u64; 3]> {
    let mut sums: BTreeMap<String, [u64; 3]> = langs.iter().map(|tag| (tag.clone(), [0; 3])).collect();
    for &(title, body, lang) in lengths {
        let sum = sums.get_mut(&langs[usize::from(lang)]).expect("every language has a sum");
        sum[0] += 1;
        sum[1] += u64::from(title);
        sum[2] += u64::from(body);
    }
    sums
}

/// What a result shows of `doc`, but for its translations (known only once
/// every document is in).
fn stored_doc(doc: &Document) -> StoredDoc {
    StoredDoc {
        id: doc.id.clone(),
        url: doc.url.clone(),
        title: doc.title.clone(),
        lang: doc.lang.tag().to_string(),
        date: doc.date.map(|d| d.to_string()),
        text: stored_text(&doc.body),
        translations: Vec::new(),
    }
}

/// Postings weighed on all cores at a time: enough to share out, few
/// enough that they take little memory beside the encoded lists.
const WEIGHT_BATCH: usize = 1 << 20;

/// Every term in key order, its counts turned into impacts.
fn weighted_terms(
    postings: Accumulator,
    new_id: &[DocId],
    weights: &TermWeights,
    lengths: &[(u32, u32, u16)],
) -> io::Result<Vec<EncodedTerm>> {
    let weigh = |batch: &[(String, Vec<Counts>, Vec<u32>)]| {
        in_parallel(batch, |(key, counts, positions)| {
            let mut at = 0;
            let mut list: Vec<(Posting, &[u32])> = counts
                .iter()
                .map(|c| {
                    let doc = new_id[c.doc as usize];
                    let weight = weights.weight((c.title_tf, c.body_tf), lengths[doc as usize]);
                    let occurrences = (c.title_tf + c.body_tf) as usize;
                    at += occurrences;
                    (Posting { doc, impact: Impact::new(weight, c.title_tf > 0) }, &positions[at - occurrences..at])
                })
                .collect();
            list.sort_unstable_by_key(|(p, _)| p.doc);
            let (postings, positions): (Vec<Posting>, Vec<&[u32]>) = list.into_iter().unzip();
            let mut bytes = Vec::new();
            encode_list(&postings, &mut bytes);
            let mut positions_bytes = Vec::new();
            encode_positions(positions, &mut positions_bytes);
            EncodedTerm { key: key.clone(), df: postings.len(), list: bytes, positions: positions_bytes }
        })
    };
    let mut terms = Vec::new();
    let mut batch = Vec::new();
    let mut held = 0;
    postings.merge(|key, counts, positions| {
        held += counts.len() + positions.len();
        batch.push((key, counts, positions));
        if held >= WEIGHT_BATCH {
            terms.extend(weigh(&batch));
            batch.clear();
            held = 0;
        }
        Ok(())
    })?;
    terms.extend(weigh(&batch));
    Ok(terms)
}

/// What writing the store's files needs.
struct StoreWriter<'a, N> {
    stored: &'a mut Spool,
    /// The input numbers in index order.
    order: &'a [usize],
    table: &'a DocTable,
    /// Seals and names a file.
    seal: &'a N,
    seed: u64,
}

impl<N: Fn(&str, Vec<u8>) -> (String, Vec<u8>)> StoreWriter<'_, N> {
    /// The store's files, a class of slots per size in `classes` (ascending),
    /// each file handed to `write` (name, bytes) as it is cut; returns the classes.
    fn write<E: From<io::Error>>(
        self,
        classes: &[usize],
        write: &mut impl FnMut(&str, Vec<u8>) -> Result<(), E>,
    ) -> Result<Vec<StoreLayout>, E> {
        let records = self.stored.reader()?;
        let mut store = Vec::new();
        for (class, &slot_bytes) in classes.iter().enumerate() {
            let runs = (0..self.table.slot_runs.len()).map(|i| self.table.run(i)).filter(|&(_, c)| c == class);
            let ids: Vec<DocId> = runs.flat_map(|(run, _)| run).collect();
            let file_docs = (MAX_STORE_FILE_BYTES / slot_bytes).max(1);
            let mut files = 0;
            for (n, ids) in ids.chunks(file_docs).enumerate() {
                let slots = in_parallel(ids, |&id| {
                    let record = records.read(self.order[id as usize])?;
                    Ok::<_, io::Error>(encode_slot(&record, slot_bytes, slot_seed(self.seed, id)))
                });
                let mut bytes = Vec::with_capacity(ids.len() * slot_bytes);
                for slot in slots {
                    bytes.extend(slot?);
                }
                let (name, sealed) = (self.seal)(&format!("store-{slot_bytes}-{n}"), bytes);
                write(&name, sealed)?;
                files += 1;
            }
            store.push(StoreLayout { slot_bytes: slot_bytes as u32, file_docs: file_docs as u32, files });
        }
        Ok(store)
    }
}

/// The checksum seed of document `doc`'s slot in a segment seeded `segment`:
/// a slot checks out only as the document the reader asked for.
pub(crate) fn slot_seed(segment: u64, doc: DocId) -> u64 {
    segment ^ u64::from(doc).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// `f` over `items` on every core, results in order. The build's costly
/// steps are independent per document or per term.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(per_thread)
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles.into_iter().flat_map(|handle| handle.join().expect("a build thread panicked")).collect()
    })
}

/// Gives every document the languages and urls of the others in its
/// group, recompressing the records of those that have any.
/// `links`: each document's group and url; `tags`: its language.
fn link_translations(stored: &mut Spool, links: &[(String, String)], tags: &[&str]) -> io::Result<()> {
    let mut members: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
    for (doc, (group, url)) in links.iter().enumerate() {
        members.entry(group).or_default().push((tags[doc], url));
    }
    let mut linked: Vec<(usize, Vec<Translation>)> = Vec::new();
    for (doc, (group, _)) in links.iter().enumerate() {
        let docs = &members[group.as_str()];
        if docs.len() > 1 {
            let mut translations: Vec<Translation> = docs
                .iter()
                .filter(|&&(tag, url)| !url.is_empty() && tag != tags[doc])
                .map(|&(tag, url)| Translation { lang: tag.to_string(), url: url.to_string() })
                .collect();
            translations.sort_by(|a, b| a.lang.cmp(&b.lang).then_with(|| a.url.cmp(&b.url)));
            if !translations.is_empty() {
                linked.push((doc, translations));
            }
        }
    }
    // The spool is then written in the same order every time.
    linked.sort_unstable_by_key(|&(doc, _)| doc);
    for batch in linked.chunks(ANALYSIS_BATCH) {
        let reader = stored.reader()?;
        let records = in_parallel(batch, |(doc, translations)| {
            let mut record = decompress(&reader.read(*doc)?).expect("a record this build compressed inflates");
            record.translations = translations.clone();
            Ok::<_, io::Error>(compress(&record))
        });
        for ((doc, _), record) in batch.iter().zip(records) {
            stored.replace(*doc, &record?)?;
        }
    }
    Ok(())
}

fn doc_table(stats: &[(u32, u32, Option<i32>, Lang)]) -> DocTable {
    let mut langs: Vec<String> = stats.iter().map(|(.., lang)| lang.tag().to_string()).collect();
    langs.sort_unstable();
    langs.dedup();
    let docs = stats
        .iter()
        .map(|(_, _, day, lang)| DocInfo {
            day: *day,
            lang: langs.iter().position(|l| l == lang.tag()).unwrap_or(0) as u16,
        })
        .collect();
    DocTable { langs, docs, slot_runs: Vec::new(), groups: Vec::new() }
}
