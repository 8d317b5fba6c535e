//! Finding and ranking documents for a [`Query`].

mod expand;
mod list_files;
mod matcher;
mod next;
mod ranking;
mod recent;
mod segment;
mod stories;
mod tally;

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::index::dictionary::{Dictionary, ListKind};
use crate::index::postings::Posting;
use crate::index::reads::{self, joined};
use crate::index::store::{LoadedSlot, HEAD_BYTES};
use crate::index::{DocId, DocInfo, DocTable, IndexError, Manifest, StoredDoc};
use crate::query::{Query, QueryWord};
use crate::result::{present, DocWords, Presented};
use crate::Date;
pub use expand::{typo_budget, Correction, Expansion, WordMatch};
use expand::{DictPart, Expanded};
pub use matcher::{Matcher, WordMatcher};
use ranking::Ranker;
pub(crate) use ranking::TermWeights;
use recent::Recent;
use segment::{SegmentReader, Slot};
use stories::Stories;
use tally::Tally;

/// Options a caller sets per query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchOptions {
    /// Only documents in this language (a canonical tag, as [`crate::Lang::tag`]).
    pub lang: Option<String>,
    /// Only documents dated on or after this day.
    pub from: Option<Date>,
    /// Only documents dated on or before this day.
    pub to: Option<Date>,
    /// Rank documents in this language (the page's) a little higher.
    pub prefer_lang: Option<String>,
    /// How many hits to return; `total` still counts them all.
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { lang: None, from: None, to: None, prefer_lang: None, limit: 10 }
    }
}

/// A word whose documents make up more than this share of some language's
/// documents is treated like a stop word: it ranks, but is not required.
const COMMON_WORD_SHARE: f32 = 0.35;
/// ... judged only in languages with at least this many documents.
const COMMON_MIN_DOCS: u32 = 20;
/// Query words whose expansions are remembered: a query has a few, a typing
/// session a few dozen.
const WORDS_REMEMBERED: usize = 64;
/// Shown articles whose words are remembered: a few pages of results.
const ARTICLES_REMEMBERED: usize = 32;

/// One ranked document: a story, in the version of it that ranks first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub doc: DocId,
    pub score: f32,
    /// Missing one of the words the best hits have: shown after them, as
    /// related rather than as a match.
    pub related: bool,
}

/// The ranked hits for a query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    /// All matching stories, before `limit` (related ones not counted). A
    /// story is a document and its translations: one hit, however many of
    /// its versions match.
    pub total: usize,
    /// Stories missing one word, ranked after the matches because fewer
    /// than `limit` stories have every word.
    pub related: usize,
    /// The best hits, one per story, best first; equal scores in doc-id
    /// order. At most `limit`.
    pub hits: Vec<Hit>,
    /// No document had every required word: these are the documents with the most.
    pub partial: bool,
    /// What each query word matched, for highlighting.
    pub matcher: Matcher,
    /// Per query word: what it was corrected to, when it matched only
    /// through a typo or keyboard-layout correction.
    pub corrected: Vec<Option<Correction>>,
    /// Matching stories per language and year, before the language and date filters.
    pub facets: Facets,
    /// The query as searched, when some of its [`LayoutRun`](crate::query::LayoutRun)s
    /// were read as one word: what the words above and [`present`] refer to.
    pub reading: Option<Query>,
}

/// How many stories match in each language and each year, for filter
/// menus: a story counts once in each language (and year) it has a matching
/// version in, which is what choosing that filter shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// Matching stories in any language and year: fewer than the languages'
    /// counts add up to when stories match in several languages.
    pub stories: usize,
    /// `(language tag, stories)`, by tag.
    pub languages: Vec<(String, usize)>,
    /// `(year, stories)`, newest first; undated documents are in no year.
    pub years: Vec<(i32, usize)>,
}

/// The result of a step that may need parts not loaded yet.
#[derive(Debug, PartialEq)]
pub enum Step<T> {
    Ready(T),
    /// Load these (all of them, in any order, in parallel) and ask again.
    Need(Vec<PartRequest>),
}

/// A part to load: the whole file, or a byte range of it (postings lists, store slots).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PartRequest {
    pub name: String,
    /// `start..end` in bytes; `None` for the whole file.
    pub range: Option<std::ops::Range<u64>>,
}

impl PartRequest {
    pub(crate) fn whole(name: &str) -> PartRequest {
        PartRequest { name: name.to_string(), range: None }
    }

    /// What this request asks of its whole file: the file, or its range of
    /// it; `None` when the range lies past the file's end.
    pub fn of_file<'a>(&self, file: &'a [u8]) -> Option<&'a [u8]> {
        let Some(range) = &self.range else { return Some(file) };
        file.get(usize::try_from(range.start).ok()?..usize::try_from(range.end).ok()?)
    }
}

/// An open index: the manifest and document tables, plus the dictionary
/// shards, postings lists and store slots loaded so far, over every
/// segment. Queries ask for the parts they need ([`Step::Need`]); the
/// caller fetches them however it can (files, HTTP) and hands them over
/// with [`Searcher::add_part`].
pub struct Searcher {
    manifest: Manifest,
    /// Every segment's documents in one table, numbered as in the index,
    /// with the languages of all segments.
    table: DocTable,
    /// Per document: deleted by a later publish (empty when none is).
    deleted: Vec<bool>,
    ranker: Ranker,
    /// Live documents per language index.
    lang_docs: Vec<u32>,
    /// Each part's segment and place in it, by name (sorted).
    slots: Vec<(String, (usize, Slot))>,
    segments: Vec<SegmentReader>,
    store: FxHashMap<DocId, LoadedSlot>,
    expansions: Recent<QueryWord, WordMatch>,
    words: Recent<DocId, Arc<DocWords>>,
    tally: RefCell<Tally>,
    stories: RefCell<Stories>,
}

impl Searcher {
    /// Checks the manifest's version and each segment's document table
    /// (`docs`, the parts named by the segments' `parts.docs`, in order)
    /// against it.
    pub fn open(manifest: Manifest, docs: &[&[u8]]) -> Result<Searcher, IndexError> {
        if docs.len() != manifest.segments.len() {
            return Err(IndexError::Inconsistent {
                detail: format!("{} segments but {} document tables", manifest.segments.len(), docs.len()),
            });
        }
        let mut searcher = Searcher::new(manifest)?;
        let names: Vec<String> = searcher.segments.iter().map(|s| s.parts.docs.clone()).collect();
        for (name, bytes) in names.into_iter().zip(docs) {
            searcher.add_part(&PartRequest { name, range: None }, bytes)?;
        }
        Ok(searcher)
    }

    /// Checks the manifest's version and what it says of the segments.
    /// The segments' document tables are parts like any other: the first
    /// search asks for them with its first dictionary shards, a round trip
    /// sooner than opening with them would.
    pub fn new(manifest: Manifest) -> Result<Searcher, IndexError> {
        manifest.check_version()?;
        let mut segments = Vec::with_capacity(manifest.segments.len());
        let mut base: DocId = 0;
        for segment in &manifest.segments {
            segments.push(SegmentReader::new(segment, base)?);
            base = base.checked_add(segment.documents).ok_or_else(|| IndexError::Inconsistent {
                detail: "the segments hold more than 2^32 documents".into(),
            })?;
        }
        let slots = segments.iter().enumerate().flat_map(|(n, s)| s.slots().map(move |(name, slot)| (name, (n, slot))));
        let mut slots: Vec<(String, (usize, Slot))> = slots.collect();
        slots.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if slots.windows(2).any(|pair| pair[0].0 == pair[1].0) {
            return Err(IndexError::Inconsistent { detail: "two parts of the index have one name".into() });
        }
        let table = DocTable::default();
        Ok(Searcher {
            manifest,
            ranker: Ranker::new(&table),
            table,
            deleted: Vec::new(),
            lang_docs: Vec::new(),
            slots,
            segments,
            store: FxHashMap::default(),
            expansions: Recent::new(WORDS_REMEMBERED),
            words: Recent::new(ARTICLES_REMEMBERED),
            tally: RefCell::default(),
            stories: RefCell::default(),
        })
    }

    /// The document tables not loaded yet.
    fn tables_to_load(&self) -> Vec<PartRequest> {
        let missing = self.segments.iter().filter(|s| s.table().is_none());
        missing.map(|s| PartRequest::whole(&s.parts.docs)).collect()
    }

    /// The small segments' postings (and for a `phrase`, positions), read
    /// whole with dictionary parts (see [`SegmentReader::small_lists_to_load`]),
    /// that are not loaded yet.
    fn small_lists_to_load(&self, phrase: bool) -> impl Iterator<Item = PartRequest> + '_ {
        let kinds: &[ListKind] =
            if phrase { &[ListKind::Postings, ListKind::Positions] } else { &[ListKind::Postings] };
        self.segments.iter().flat_map(move |s| kinds.iter().flat_map(move |&kind| s.small_lists_to_load(kind)))
    }

    /// Joins the segments' document tables, once all are loaded, into the
    /// index's: languages, days, stories, deletions and what ranking
    /// derives from them.
    fn join_tables(&mut self) {
        let tables: Option<Vec<(&DocTable, DocId)>> =
            self.segments.iter().map(|s| Some((s.table()?, s.base))).collect();
        let Some(tables) = tables else { return };
        let table = joined_table(&tables);
        let mut deleted = Vec::new();
        if self.manifest.segments.iter().any(|s| !s.deleted.is_empty()) {
            deleted.resize(table.docs.len(), false);
            for (segment, reader) in self.manifest.segments.iter().zip(&self.segments) {
                for &local in &segment.deleted {
                    deleted[(reader.base + local) as usize] = true;
                }
            }
        }
        let mut lang_docs = vec![0u32; table.langs.len()];
        for (doc, info) in table.docs.iter().enumerate() {
            if !deleted.get(doc).copied().unwrap_or(false) {
                lang_docs[usize::from(info.lang)] += 1;
            }
        }
        self.ranker = Ranker::new(&table);
        (self.table, self.deleted, self.lang_docs) = (table, deleted, lang_docs);
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Verifies, decodes and keeps a part that a [`Step::Need`] asked for.
    pub fn add_part(&mut self, request: &PartRequest, bytes: &[u8]) -> Result<(), IndexError> {
        let Ok(at) = self.slots.binary_search_by(|(name, _)| name.cmp(&request.name)) else {
            return Err(IndexError::Inconsistent { detail: format!("{}: not a part of this index", request.name) });
        };
        let (segment, slot) = self.slots[at].1;
        let completed = self.segments[segment].add_part(slot, request, bytes, &mut self.store)?;
        if matches!(slot, Slot::Docs) {
            self.join_tables();
        }
        // A tail changes its article's words.
        if let Some(doc) = completed {
            self.words.forget(&doc);
        }
        Ok(())
    }

    fn is_deleted(&self, doc: DocId) -> bool {
        self.deleted.get(doc as usize).copied().unwrap_or(false)
    }

    /// The segment holding `doc`, and the document's number there.
    fn segment_of(&self, doc: DocId) -> (&SegmentReader, DocId) {
        let n = self.segments.partition_point(|s| s.base <= doc).saturating_sub(1);
        (&self.segments[n], doc - self.segments[n].base)
    }

    /// Runs `query` to the shown results, loading the parts each step needs
    /// with `load` (the CLI reads files; the browser has its own async loop).
    pub fn run(
        &mut self,
        query: &Query,
        options: &SearchOptions,
        mut load: impl FnMut(&PartRequest) -> Result<Vec<u8>, IndexError>,
    ) -> Result<Presented, IndexError> {
        let mut load_all = |searcher: &mut Searcher, requests: Vec<PartRequest>| {
            requests.iter().try_for_each(|request| searcher.add_part(request, &load(request)?))
        };
        let found = loop {
            match self.search(query, options)? {
                Step::Ready(found) => break found,
                Step::Need(requests) => load_all(self, requests)?,
            }
        };
        loop {
            match self.present(query, &found, options.limit) {
                Step::Ready(shown) => return Ok(shown),
                Step::Need(requests) => load_all(self, requests)?,
            }
        }
    }

    /// Turns ranked hits into shown results (see [`present`]) once the first
    /// `limit` of them are loaded: the heads of their store slots, and the
    /// tails of those whose excerpt the lede does not hold.
    pub fn present(&self, query: &Query, found: &SearchResults, limit: usize) -> Step<Presented> {
        let missing = self.slots_to_load(found, limit);
        if missing.is_empty() {
            Step::Ready(self.present_loaded(query, found, limit))
        } else {
            Step::Need(missing)
        }
    }

    /// The shown results from their slots' heads, before the tails that
    /// [`Self::present`] still waits for: a lede stands in for an excerpt
    /// further on. `None` until every head is loaded.
    pub fn preview(&self, query: &Query, found: &SearchResults, limit: usize) -> Option<Presented> {
        let mut hits = found.hits.iter().take(limit);
        let headed = hits.all(|hit| self.store.get(&hit.doc).is_some_and(|slot| slot.doc().is_some()));
        headed.then(|| self.present_loaded(query, found, limit))
    }

    fn present_loaded(&self, query: &Query, found: &SearchResults, limit: usize) -> Presented {
        present(query, found, limit, |doc| {
            let stored = self.store.get(&doc)?.doc()?;
            Some((stored, self.words_of(doc, stored)))
        })
    }

    /// Requests for what the first `limit` hits' store slots still lack:
    /// heads not loaded yet, and tails the excerpt needs.
    fn slots_to_load(&self, found: &SearchResults, limit: usize) -> Vec<PartRequest> {
        let (mut heads, mut tails) = (Vec::new(), Vec::new());
        for hit in found.hits.iter().take(limit) {
            let (segment, local) = self.segment_of(hit.doc);
            let Some((file, slot)) = segment.slot_of(local) else { continue };
            match self.store.get(&hit.doc) {
                None => heads.push((file, slot.start..slot.end.min(slot.start + HEAD_BYTES as u64))),
                Some(loaded) if !loaded.is_whole() && !self.lede_holds_excerpt(hit.doc, loaded, &found.matcher) => {
                    let tail = loaded.tail();
                    let range = slot.start + tail.start as u64..slot.start + tail.end as u64;
                    tails.push(PartRequest { name: file.to_string(), range: Some(range) });
                }
                Some(_) => {}
            }
        }
        // Neighbouring heads are whole small slots, read as one; a tail is read alone.
        let mut requests = merged_requests(heads);
        requests.extend(tails);
        requests
    }

    /// Whether the loaded start of an article holds its excerpt: a window
    /// with every query word, followed by more words.
    fn lede_holds_excerpt(&self, doc: DocId, loaded: &LoadedSlot, matcher: &Matcher) -> bool {
        let Some(stored) = loaded.doc() else { return false };
        let words = self.words_of(doc, stored);
        crate::excerpt::holds_excerpt(&words.text, matcher, words.lang.as_ref())
    }

    /// Cuts the words of one loaded article among the first `limit` hits
    /// that has none cut yet; false when there is none. Cutting an
    /// article's words is most of the work of its excerpt: a caller that
    /// must keep each task short cuts them one by one before [`Self::present`].
    pub fn cut_next_words(&self, found: &SearchResults, limit: usize) -> bool {
        let loaded = found.hits.iter().filter_map(|hit| Some((hit.doc, self.store.get(&hit.doc)?.doc()?)));
        // No further than the words remembered: past them, each cut would
        // evict an earlier one, which the next call cuts again, forever.
        match loaded.take(limit.min(ARTICLES_REMEMBERED)).find(|(doc, _)| !self.words.contains(doc)) {
            Some((doc, stored)) => {
                self.words_of(doc, stored);
                true
            }
            None => false,
        }
    }

    /// The words of `doc`, a loaded document (`stored`), cut once while it is shown.
    fn words_of(&self, doc: DocId, stored: &StoredDoc) -> Arc<DocWords> {
        let words = self.words.get_or_insert(&doc, || Some(Arc::new(DocWords::of(stored))));
        words.expect("a computed value is always remembered")
    }

    /// Ranks the stories with a version matching every required word of
    /// `query` and no excluded one; when none does, those matching the
    /// most, flagged `partial`.
    pub fn search(&self, query: &Query, options: &SearchOptions) -> Result<Step<SearchResults>, IndexError> {
        let mut matches = Vec::with_capacity(query.words.len() + query.excluded.len());
        let mut missing = Vec::new();
        // A word's matches in every segment, as one.
        let expanded = |word: &QueryWord, how: fn(&Dictionary, &QueryWord) -> Expanded, missing: &mut Vec<_>| {
            self.expansions.get_or_insert(word, || {
                let mut found = Vec::with_capacity(self.segments.len());
                let mut complete = true;
                for (n, segment) in self.segments.iter().enumerate() {
                    match how(&segment.dictionary, word) {
                        Expanded::Match(matched) => found.push((n, matched)),
                        Expanded::Need(parts) => {
                            complete = false;
                            missing.extend(parts.into_iter().map(|part| (n, part)));
                        }
                    }
                }
                complete.then(|| expand::combine(found))
            })
        };
        for word in query.words.iter().chain(&query.excluded) {
            matches.extend(expanded(word, expand::expand, &mut missing));
        }
        // A run of keys (`Ep,trbcnfy`) is read as one word in the other
        // layout where one of its plain words finds nothing as typed.
        let mut runs = Vec::new();
        let plain_ready = missing.is_empty();
        for (r, run) in query.runs.iter().enumerate().filter(|_| plain_ready) {
            if matches[run.words.clone()].iter().all(|m| !m.corrected && !m.expansions.is_empty()) {
                continue;
            }
            let matched = expanded(&run.word, expand::expand_layout, &mut missing);
            runs.extend(matched.filter(|m| !m.expansions.is_empty()).map(|m| (r, m)));
        }
        if !missing.is_empty() {
            missing.sort_unstable();
            missing.dedup();
            let names = missing.into_iter().flat_map(|(n, part)| {
                let segment = &self.segments[n];
                match part {
                    DictPart::Shard(n) => vec![PartRequest::whole(&segment.parts.dictionary[n].1)],
                    DictPart::Head(n) => segment.head_requests(n),
                }
            });
            let small = self.small_lists_to_load(!query.phrases.is_empty());
            let parts = self.tables_to_load().into_iter().chain(small).chain(names);
            return Ok(Step::Need(parts.collect()));
        }
        let reading = (!runs.is_empty()).then(|| {
            let (reading, read) = expand::read_runs(query, std::mem::take(&mut matches), &runs);
            matches = read;
            reading
        });
        let query = reading.as_ref().unwrap_or(query);
        let in_phrase = |word: usize| query.phrases.iter().flatten().any(|&w| w == word);
        let words: Vec<&QueryWord> = query.words.iter().chain(&query.excluded).collect();
        let mut missing = self.lists_to_load(&mut matches, &words, in_phrase);
        missing.extend(self.tables_to_load());
        if !missing.is_empty() {
            return Ok(Step::Need(missing));
        }
        let excluded = matches.split_off(query.words.len());
        let mut results = self.rank(query, options, &matches, &excluded)?;
        results.reading = reading;
        Ok(Step::Ready(results))
    }

    /// Range requests for the postings lists the expansions need and that
    /// are not loaded yet, and for the positions lists of the words
    /// `in_phrase` (by index). Optional expansions (typo guesses and
    /// completions of words that also matched directly) are dropped unless
    /// their lists lie next to needed ones, in a file they share, or in the
    /// postings file of a head of the word's first letters: a guess is not
    /// worth a request of its own, but those files hold the prefixes'
    /// frequent words and come with the heads a visitor types through.
    fn lists_to_load(
        &self,
        matches: &mut [WordMatch],
        words: &[&QueryWord],
        in_phrase: impl Fn(usize) -> bool,
    ) -> Vec<PartRequest> {
        let range_of =
            |e: &Expansion, kind| Some((e.segment, self.segments[e.segment].list_range(e.term.ordinal, kind)?));
        let bytes_of = |e: &Expansion| range_of(e, ListKind::Postings);
        let expansions = matches.iter().flat_map(|m| &m.expansions);
        let needed = joined(expansions.filter(|e| !e.optional).filter_map(bytes_of).collect());
        let near_needed = |(segment, list): &(usize, Range<u64>)| {
            let shares_a_file = |n: &Range<u64>| self.segments[*segment].share_a_file(list, n);
            needed.iter().any(|(s, n)| s == segment && reads::near(list, n) && shares_a_file(n))
        };
        for (matched, word) in matches.iter_mut().zip(words) {
            // Per segment, the files of the heads of the word's first letters.
            let head_files: Vec<Vec<usize>> = self.segments.iter().map(|s| s.head_files(&word.key).collect()).collect();
            let with_heads = |e: &Expansion, list: &Range<u64>| {
                head_files[e.segment].contains(&self.segments[e.segment].postings_file_of(list))
            };
            matched.expansions.retain(|e| {
                bytes_of(e).is_some_and(|list| !e.optional || near_needed(&list) || with_heads(e, &list.1))
            });
        }
        let mut requests = Vec::new();
        for kind in [ListKind::Postings, ListKind::Positions] {
            let words = matches.iter().enumerate().filter(|&(i, _)| kind == ListKind::Postings || in_phrase(i));
            let lists = words.flat_map(|(_, m)| &m.expansions).filter_map(|e| range_of(e, kind));
            let missing = lists.filter(|(s, list)| self.segments[*s].loaded_list(kind, list).is_none());
            let missing = joined(missing.collect());
            requests.extend(missing.into_iter().flat_map(|(s, range)| self.segments[s].list_requests(kind, range)));
        }
        requests
    }

    fn rank(
        &self,
        query: &Query,
        options: &SearchOptions,
        matches: &[WordMatch],
        excluded: &[WordMatch],
    ) -> Result<SearchResults, IndexError> {
        let mut results = SearchResults::default();
        let mut tally = self.tally.borrow_mut();
        tally.start(self.table.docs.len());
        let mut common = Vec::with_capacity(query.words.len());
        // Languages holding every word, and the words that matched directly somewhere.
        let mut found_in = vec![true; self.table.langs.len()];
        let mut direct_words = 0u32;
        for (i, (word, matched)) in query.words.iter().zip(matches).enumerate() {
            let scored = self.score_word(word, matched, i, &mut tally)?;
            common.push(scored.common);
            if let Some(langs) = &scored.langs {
                found_in.iter_mut().zip(langs).for_each(|(all, &has)| *all &= has);
            }
            direct_words |= u32::from(scored.direct) << i;
            results.matcher.words.push(word_matcher(word, matched));
            results.corrected.push(matched.correction());
        }
        let excluded = self.excluded_docs(excluded)?;

        let any_rare = common.iter().any(|&c| !c);
        let required = common.iter().enumerate().filter(|&(_, &c)| !(c && any_rare)).fold(0u32, |m, (i, _)| m | 1 << i);
        let required_count = required.count_ones() as usize;
        let mut combined: Vec<(DocId, Combined)> = tally
            .sums()
            .map(|(doc, sum)| {
                let required = (sum.words & required).count_ones() as usize;
                // A guess at a word found as typed elsewhere is no match in the
                // page's language to put first (Kamalov for Kamilov).
                let direct = sum.guessed & direct_words == 0;
                (doc, Combined { required, in_title: sum.in_title as usize, score: sum.score, direct })
            })
            .filter(|&(doc, ref c)| {
                c.required > 0 && !excluded.get(doc as usize).copied().unwrap_or(false) && !self.is_deleted(doc)
            })
            .collect();
        drop(tally);
        if !query.phrases.is_empty() {
            let holding = self.phrase_docs(query, matches)?;
            combined.retain(|&(doc, _)| holding[doc as usize]);
        }
        // Facets count the matches in every language and year, so a filter
        // can show what choosing another value would give.
        results.facets = self.facets(&combined);
        let filter = self.filter(options);
        let scripts = query.words.iter().zip(matches).map(|(word, m)| m.layout.as_ref().unwrap_or(word).script);
        let preference = ranking::LanguagePreference::new(
            filter.preferred,
            &self.table.langs,
            ranking::query_script(scripts),
            &found_in,
        );
        combined.retain(|&(doc, _)| filter.admits(&self.table.docs[doc as usize]));

        let best_count = combined.iter().map(|(_, c)| c.required).max().unwrap_or(0);
        let with_all = combined.iter().filter(|(_, c)| c.required == best_count).map(|&(doc, _)| doc);
        let full = self.stories.borrow_mut().distinct(&self.table.groups, with_all);
        // Too few stories with every word: add those missing one word, after
        // them. Spellings no expansion reaches (Қодиров for Kadyrov) then
        // still surface through the query's other words.
        let floor = if full < options.limit { best_count.saturating_sub(1).max(1) } else { best_count };
        let words = query.words.len().max(1) as f32;
        let mut ranked: Vec<(Rank, Hit)> = combined
            .into_iter()
            .filter(|(_, c)| c.required >= floor)
            .map(|(doc, c)| {
                let info = &self.table.docs[doc as usize];
                let title = ranking::title_coverage(c.in_title as f32 / words);
                let score = c.score * title * self.ranker.recency(info);
                let preferred = c.direct && preference.prefers(info.lang);
                (Rank { words: c.required, preferred }, Hit { doc, score, related: c.required < best_count })
            })
            .collect();
        // A story is one result, in its version that ranks first: the most
        // words, then the page's language, then the score. Its other
        // versions are its translations, shown as "Also in".
        self.stories.borrow_mut().keep_first(&self.table.groups, &mut ranked, |(_, hit)| hit.doc, rank_order);
        results.total = full;
        results.related = ranked.len() - full;
        results.partial = results.total > 0 && best_count < required_count;
        results.hits = best(ranked, options.limit);
        Ok(results)
    }

    /// Per document: it holds every phrase of `query` (its words side by
    /// side, in order), by the positions of the keys each phrase word
    /// matched (`matches`).
    fn phrase_docs(&self, query: &Query, matches: &[WordMatch]) -> Result<Vec<bool>, IndexError> {
        let mut positions: Vec<Vec<Vec<(DocId, u32)>>> = vec![Vec::new(); query.words.len()];
        for &word in query.phrases.iter().flatten() {
            if positions[word].is_empty() {
                positions[word] = self.word_positions(&matches[word])?;
            }
        }
        let stands =
            |word: usize, doc: DocId, at: u32| positions[word].iter().any(|key| key.binary_search(&(doc, at)).is_ok());
        let mut holding = vec![true; self.table.docs.len()];
        for phrase in &query.phrases {
            let mut found = vec![false; holding.len()];
            for &(doc, start) in positions[phrase[0]].iter().flatten() {
                let Some(found) = found.get_mut(doc as usize) else { continue };
                *found = *found || phrase.iter().zip(start..).skip(1).all(|(&word, at)| stands(word, doc, at));
            }
            holding.iter_mut().zip(found).for_each(|(holds, found)| *holds &= found);
        }
        Ok(holding)
    }

    /// Where each key a query word matched (`matched`) stands: per key,
    /// `(document, position)` pairs, ascending.
    fn word_positions(&self, matched: &WordMatch) -> Result<Vec<Vec<(DocId, u32)>>, IndexError> {
        let mut keys = Vec::with_capacity(matched.expansions.len());
        for expansion in &matched.expansions {
            let list = self.list(expansion)?;
            let positions = self.segments[expansion.segment].positions(expansion.term.ordinal, list.len())?;
            let pairs =
                list.iter().enumerate().flat_map(|(i, posting)| positions.of(i).iter().map(|&at| (posting.doc, at)));
            keys.push(pairs.collect());
        }
        Ok(keys)
    }

    /// The decoded postings list of an expansion, which is loaded.
    fn list(&self, expansion: &Expansion) -> Result<Vec<Posting>, IndexError> {
        self.segments[expansion.segment].list(expansion.term.ordinal)
    }

    /// Stories per language and per year, over the documents with the most words.
    fn facets(&self, combined: &[(DocId, Combined)]) -> Facets {
        let best = combined.iter().map(|(_, c)| c.required).max().unwrap_or(0);
        let matching = combined.iter().filter(|(_, c)| c.required == best).map(|&(doc, _)| doc);
        let mut in_lang = Vec::new();
        let mut in_year = Vec::new();
        // A handful of years: a list beats a map, in time and in wasm size.
        let mut years: Vec<i32> = Vec::new();
        for doc in matching.clone() {
            let info = &self.table.docs[doc as usize];
            in_lang.push((doc, u32::from(info.lang)));
            if let Some(year) = info.day.map(|day| Date::from_days(day).year) {
                let at = years.iter().position(|&y| y == year).unwrap_or_else(|| {
                    years.push(year);
                    years.len() - 1
                });
                in_year.push((doc, at as u32));
            }
        }
        let mut stories = self.stories.borrow_mut();
        let groups = &self.table.groups;
        let per_lang = stories.count(groups, &in_lang, self.table.langs.len());
        let per_year = stories.count(groups, &in_year, years.len());
        let mut languages: Vec<(String, usize)> =
            self.table.langs.iter().zip(per_lang).filter(|&(_, n)| n > 0).map(|(tag, n)| (tag.clone(), n)).collect();
        languages.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut years: Vec<(i32, usize)> = years.into_iter().zip(per_year).collect();
        years.sort_unstable_by_key(|&(year, _)| std::cmp::Reverse(year));
        Facets { stories: stories.distinct(groups, matching), languages, years }
    }

    fn filter(&self, options: &SearchOptions) -> Filter {
        let lang = options.lang.as_deref().map(|tag| self.table.lang_index(tag));
        Filter {
            // A language the index does not hold admits nothing.
            lang: lang.map(|index| index.unwrap_or(u16::MAX)),
            preferred: options.prefer_lang.as_deref().and_then(|tag| self.table.lang_index(tag)),
            from_day: options.from.map(Date::days_since_epoch),
            to_day: options.to.map(Date::days_since_epoch),
        }
    }

    /// Adds each matching document's best score for query word `index`,
    /// over all the keys it expanded to, to `tally`; tells whether the word
    /// is common and which languages hold it.
    fn score_word(
        &self,
        word: &QueryWord,
        matched: &WordMatch,
        index: usize,
        tally: &mut Tally,
    ) -> Result<ScoredWord, IndexError> {
        let mut direct_langs = vec![false; self.lang_docs.len()];
        let mut guessed_langs = vec![false; self.lang_docs.len()];
        // A layout-switched word is scored in the script it was meant in.
        let typed = matched.layout.as_ref().unwrap_or(word);
        let script: Vec<f32> = self.table.langs.iter().map(|lang| ranking::script_factor(typed.script, lang)).collect();
        tally.start_word();
        let lists = matched.expansions.iter().map(|e| self.list(e)).collect::<Result<Vec<_>, _>>()?;
        // A key in several segments has one document frequency, theirs
        // together. A word has a few dozen expansions: a list will do.
        let mut df: Vec<((&str, bool), usize)> = Vec::new();
        for (expansion, list) in matched.expansions.iter().zip(&lists) {
            let key = (expansion.key.as_str(), expansion.is_stem);
            match df.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += list.len(),
                None => df.push((key, list.len())),
            }
        }
        let df_of = |expansion: &Expansion| {
            let key = (expansion.key.as_str(), expansion.is_stem);
            df.iter().find(|(k, _)| *k == key).map_or(0, |&(_, n)| n)
        };
        let mut per_lang = vec![0u32; self.lang_docs.len()];
        // The exact key's documents per language, over every segment.
        let mut exact_per_lang = vec![0u32; self.lang_docs.len()];
        let mut exact = false;
        for (expansion, list) in matched.expansions.iter().zip(&lists) {
            let idf = self.ranker.idf(df_of(expansion));
            per_lang.fill(0);
            for posting in list {
                let lang = usize::from(self.table.docs[posting.doc as usize].lang);
                per_lang[lang] += 1;
                let score = expansion.quality * script[lang] * idf * posting.impact.weight();
                tally.add(posting.doc, score, posting.impact.in_title(), expansion.typo);
            }
            let langs = if expansion.typo { &mut guessed_langs } else { &mut direct_langs };
            langs.iter_mut().zip(&per_lang).for_each(|(has, &n)| *has |= n > 0);
            if expansion.quality == expand::EXACT {
                exact = true;
                exact_per_lang.iter_mut().zip(&per_lang).for_each(|(sum, &n)| *sum += n);
            }
        }
        tally.end_word(index);
        let common = exact
            && exact_per_lang
                .iter()
                .zip(&self.lang_docs)
                .any(|(&n, &total)| total >= COMMON_MIN_DOCS && n as f32 / total as f32 > COMMON_WORD_SHARE);
        // The word's languages are where it is found as typed (or by stem or
        // completion); only a word found nowhere so is judged by its guesses.
        let direct = direct_langs.contains(&true);
        let langs = if direct { direct_langs } else { guessed_langs };
        Ok(ScoredWord { common, direct, langs: langs.contains(&true).then_some(langs) })
    }

    /// Per document: it holds an excluded word (exactly or by stem; no
    /// typos). Empty when the query excludes nothing.
    fn excluded_docs(&self, matches: &[WordMatch]) -> Result<Vec<bool>, IndexError> {
        let mut docs = Vec::new();
        for matched in matches {
            for expansion in matched.expansions.iter().filter(|e| e.quality >= expand::STEM) {
                docs.resize(self.table.docs.len(), false);
                for posting in self.list(expansion)? {
                    if let Some(excluded) = docs.get_mut(posting.doc as usize) {
                        *excluded = true;
                    }
                }
            }
        }
        Ok(docs)
    }
}

/// What a query word tells beyond the scores it added.
struct ScoredWord {
    /// Found in so many documents that it is not required.
    common: bool,
    /// Matched some document other than by a typo guess.
    direct: bool,
    /// Per language: the word is found there (see `score_word`); `None`
    /// when it is found nowhere, which says nothing about the language.
    langs: Option<Vec<bool>>,
}

/// Where a hit stands before its score: the most words, then the
/// preferred languages (see [`ranking::LanguagePreference`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    words: usize,
    preferred: bool,
}

/// Rank order: the most words, then the preferred languages, then the
/// highest score, then the lowest id.
fn rank_order((ca, a): &(Rank, Hit), (cb, b): &(Rank, Hit)) -> std::cmp::Ordering {
    cb.cmp(ca).then(b.score.total_cmp(&a.score)).then(a.doc.cmp(&b.doc))
}

/// The first `kept` of `ranked` in [`rank_order`]. Only those are sorted: a
/// short prefix matches tens of thousands of documents, and sorting them
/// all was an eighth of a keystroke's time.
fn best(mut ranked: Vec<(Rank, Hit)>, kept: usize) -> Vec<Hit> {
    if ranked.len() > kept {
        ranked.select_nth_unstable_by(kept, rank_order);
        ranked.truncate(kept);
    }
    ranked.sort_unstable_by(rank_order);
    ranked.into_iter().map(|(_, hit)| hit).collect()
}

/// The segments' document tables (each with the index's number of its
/// first document) as one, in the languages of them all.
fn joined_table(tables: &[(&DocTable, DocId)]) -> DocTable {
    let mut langs: Vec<String> = tables.iter().flat_map(|(t, _)| t.langs.iter().cloned()).collect();
    langs.sort_unstable();
    langs.dedup();
    let mut docs = Vec::with_capacity(tables.iter().map(|(t, _)| t.docs.len()).sum());
    for (table, _) in tables {
        let lang_of: Vec<u16> =
            table.langs.iter().map(|tag| langs.iter().position(|l| l == tag).unwrap_or(0) as u16).collect();
        docs.extend(table.docs.iter().map(|d| DocInfo { lang: lang_of[usize::from(d.lang)], ..*d }));
    }
    let mut groups = Vec::new();
    if tables.iter().any(|(t, _)| !t.groups.is_empty()) {
        for &(table, base) in tables {
            groups.extend((0..table.docs.len() as DocId).map(|doc| base + table.story(doc)));
        }
    }
    DocTable { langs, docs, slot_runs: Vec::new(), groups }
}

/// The documents a query's options admit, and the language it prefers.
struct Filter {
    lang: Option<u16>,
    preferred: Option<u16>,
    from_day: Option<i32>,
    to_day: Option<i32>,
}

impl Filter {
    /// Undated documents fall outside any date range.
    fn admits(&self, doc: &DocInfo) -> bool {
        let in_range = |day: Option<i32>| match (self.from_day, self.to_day, day) {
            (None, None, _) => true,
            (_, _, None) => false,
            (from, to, Some(day)) => from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t),
        };
        self.lang.is_none_or(|l| l == doc.lang) && in_range(doc.day)
    }
}

/// One document's tally over the query words.
#[derive(Default)]
struct Combined {
    required: usize,
    in_title: usize,
    score: f32,
    /// No word that matched directly elsewhere matched here only by a typo guess.
    direct: bool,
}

fn word_matcher(word: &QueryWord, matched: &WordMatch) -> WordMatcher {
    let source = matched.layout.as_ref().unwrap_or(word);
    let mut matcher = WordMatcher {
        keys: matched.expansions.iter().filter(|e| !e.is_stem).map(|e| e.key.clone()).collect(),
        stems: matched.expansions.iter().filter(|e| e.is_stem).map(|e| e.key.clone()).collect(),
        prefix: source.prefix.then(|| source.key.clone()),
    };
    matcher.keys.insert(source.key.clone());
    matcher.stems.insert(source.key.clone());
    matcher.stems.extend(source.stems.iter().cloned());
    matcher
}

/// Requests for slots' heads in store files, neighbours merged into one.
fn merged_requests(mut ranges: Vec<(&str, Range<u64>)>) -> Vec<PartRequest> {
    ranges.sort_unstable_by(|a, b| a.0.cmp(b.0).then(a.1.start.cmp(&b.1.start)));
    let mut requests: Vec<PartRequest> = Vec::new();
    for (name, range) in ranges {
        match requests.last_mut() {
            Some(PartRequest { name: last, range: Some(last_range) })
                if last == name && last_range.end == range.start =>
            {
                last_range.end = range.end
            }
            _ => requests.push(PartRequest { name: name.to_string(), range: Some(range) }),
        }
    }
    requests
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Selecting the best few gives what sorting every hit and cutting gives.
        #[test]
        fn best_is_the_head_of_the_full_ranking(
            tallies in proptest::collection::vec((1usize..4, any::<bool>(), 0u8..6, any::<bool>()), 0..200),
            kept in 0usize..40,
        ) {
            // Few distinct scores and word counts, so ties are the common case.
            let ranked: Vec<(Rank, Hit)> = tallies
                .iter()
                .enumerate()
                .map(|(doc, &(words, preferred, score, related))| {
                    (Rank { words, preferred }, Hit { doc: doc as DocId, score: f32::from(score) / 2.0, related })
                })
                .collect();
            let mut sorted = ranked.clone();
            sorted.sort_by(|(ca, a), (cb, b)| {
                (cb.words, cb.preferred)
                    .cmp(&(ca.words, ca.preferred))
                    .then(b.score.total_cmp(&a.score))
                    .then(a.doc.cmp(&b.doc))
            });
            let expected: Vec<Hit> = sorted.into_iter().take(kept).map(|(_, hit)| hit).collect();
            prop_assert_eq!(best(ranked, kept), expected);
        }
    }
}
