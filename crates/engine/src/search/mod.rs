//! Finding and ranking documents for a [`Query`].

mod expand;
mod matcher;
mod ranking;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::index::{postings, DocId, DocStats, DocTable, IndexError, Manifest};
use crate::query::{Query, QueryWord};
use crate::Date;
pub use expand::{typo_budget, Expansion, WordMatch};
pub use matcher::{Matcher, WordMatcher};
use ranking::Ranker;

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

/// Candidates kept for a phrase query, which the caller checks against the
/// stored text (the index keeps no word positions).
pub const PHRASE_CANDIDATES: usize = 200;

/// A word whose documents make up more than this share of some language's
/// documents is treated like a stop word: it ranks, but is not required.
const COMMON_WORD_SHARE: f32 = 0.35;
/// ... judged only in languages with at least this many documents.
const COMMON_MIN_DOCS: u32 = 20;

/// One ranked document.
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
    /// All matching documents, before `limit` (related ones not counted).
    pub total: usize,
    /// Documents missing one word, ranked after the matches because fewer
    /// than `limit` documents have every word.
    pub related: usize,
    /// The best hits, best first; equal scores in doc-id order. At most
    /// `limit`, or [`PHRASE_CANDIDATES`] when `phrase_check` is set.
    pub hits: Vec<Hit>,
    /// No document had every required word: these are the documents with the most.
    pub partial: bool,
    /// The hits still have to be checked for the query's phrases.
    pub phrase_check: bool,
    /// What each query word matched, for highlighting and phrase checks.
    pub matcher: Matcher,
    /// Per query word: matched only through a typo or layout correction.
    pub corrected: Vec<bool>,
    /// Per query word: the keyboard-layout switched form, when that matched.
    pub layout: Vec<Option<String>>,
    /// Matches per language and year, before the language and date filters.
    pub facets: Facets,
}

/// How many matches each language and each year holds, for filter menus.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// `(language tag, matches)`, by tag.
    pub languages: Vec<(String, usize)>,
    /// `(year, matches)`, newest first; undated documents are in no year.
    pub years: Vec<(i32, usize)>,
}

/// The loaded dictionary, postings and document table: everything a query
/// needs except the stored text of the results.
pub struct Searcher {
    manifest: Manifest,
    dictionary: fst::Map<Vec<u8>>,
    postings: Vec<u8>,
    table: DocTable,
    ranker: Ranker,
    /// Documents per language index.
    lang_docs: Vec<u32>,
}

impl Searcher {
    /// Checks the manifest's version and every part's hash, then decodes.
    pub fn open(manifest: Manifest, terms: Vec<u8>, postings: Vec<u8>, docs: Vec<u8>) -> Result<Searcher, IndexError> {
        manifest.check_version()?;
        crate::index::verify_part(&manifest.parts.terms, &terms)?;
        crate::index::verify_part(&manifest.parts.postings, &postings)?;
        let table: DocTable = crate::index::part::decode(&manifest.parts.docs, &docs)?;
        // fst trusts the addresses inside a map and panics on bad ones, and a
        // panic kills the widget: check the map's own checksum before use.
        let dictionary = fst::Map::new(terms)
            .and_then(|map| map.as_fst().verify().map(|()| map))
            .map_err(|e| IndexError::Corrupt { part: manifest.parts.terms.clone(), detail: e.to_string() })?;
        let store_capacity = manifest.parts.store.len() as u64 * u64::from(manifest.store_chunk_docs);
        let langs_ok = table.docs.iter().all(|d| usize::from(d.lang) < table.langs.len());
        if table.docs.len() != manifest.documents as usize
            || u64::from(manifest.documents) > store_capacity
            || !langs_ok
        {
            return Err(IndexError::Inconsistent {
                detail: format!(
                    "the manifest counts {} documents, the document table holds {} in {} languages, the store {} chunks of {}",
                    manifest.documents,
                    table.docs.len(),
                    table.langs.len(),
                    manifest.parts.store.len(),
                    manifest.store_chunk_docs
                ),
            });
        }
        let mut lang_docs = vec![0u32; table.langs.len()];
        for doc in &table.docs {
            lang_docs[usize::from(doc.lang)] += 1;
        }
        let ranker = Ranker::new(&table);
        Ok(Searcher { manifest, dictionary, postings, table, ranker, lang_docs })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Ranks the documents matching every required word of `query` and no
    /// excluded one; when none does, those matching the most, flagged `partial`.
    pub fn search(&self, query: &Query, options: &SearchOptions) -> Result<SearchResults, IndexError> {
        let mut results = SearchResults::default();
        let mut per_word = Vec::with_capacity(query.words.len());
        for word in &query.words {
            let matched = expand::expand(&self.dictionary, &self.postings, word)?;
            per_word.push(self.score_word(word, &matched)?);
            results.matcher.words.push(word_matcher(word, &matched));
            results.corrected.push(matched.corrected);
            results.layout.push(matched.layout.map(|w| w.text));
        }
        let excluded = self.excluded_docs(&query.excluded)?;

        let any_rare = per_word.iter().any(|w| !w.common);
        let required: Vec<bool> = per_word.iter().map(|w| !(w.common && any_rare)).collect();
        let required_count = required.iter().filter(|&&r| r).count();
        let mut combined: HashMap<DocId, Combined> = HashMap::new();
        for (word, &is_required) in per_word.iter().zip(&required) {
            for (&doc, &(score, in_title)) in &word.scores {
                let entry = combined.entry(doc).or_default();
                entry.required += usize::from(is_required);
                entry.in_title += usize::from(in_title);
                entry.score += score;
            }
        }
        combined.retain(|doc, c| c.required > 0 && !excluded.contains(doc));
        // Facets count the matches in every language and year, so a filter
        // can show what choosing another value would give.
        results.facets = self.facets(&combined);
        let filter = self.filter(options);
        combined.retain(|&doc, _| filter.admits(&self.table.docs[doc as usize]));

        let best_count = combined.values().map(|c| c.required).max().unwrap_or(0);
        let full = combined.values().filter(|c| c.required == best_count).count();
        // Too few articles with every word: add those missing one word, after
        // them. Spellings no expansion reaches (Қодиров for Kadyrov) then
        // still surface through the query's other words.
        let floor = if full < options.limit { best_count.saturating_sub(1).max(1) } else { best_count };
        let words = query.words.len().max(1) as f32;
        let mut ranked: Vec<(usize, Hit)> = combined
            .into_iter()
            .filter(|(_, c)| c.required >= floor)
            .map(|(doc, c)| {
                let stats = &self.table.docs[doc as usize];
                let preference = if filter.preferred == Some(stats.lang) { ranking::PREFERRED_LANGUAGE } else { 1.0 };
                let title = ranking::title_coverage(c.in_title as f32 / words);
                let score = c.score * title * self.ranker.recency(stats) * preference;
                (c.required, Hit { doc, score, related: c.required < best_count })
            })
            .collect();
        ranked.sort_by(|(ca, a), (cb, b)| cb.cmp(ca).then(b.score.total_cmp(&a.score)).then(a.doc.cmp(&b.doc)));
        let mut hits: Vec<Hit> = ranked.into_iter().map(|(_, hit)| hit).collect();
        results.total = full;
        results.related = hits.len() - full;
        results.partial = results.total > 0 && best_count < required_count;
        results.phrase_check = !query.phrases.is_empty();
        hits.truncate(if results.phrase_check { options.limit.max(PHRASE_CANDIDATES) } else { options.limit });
        results.hits = hits;
        Ok(results)
    }

    /// Matches per language and per year, over the documents with the most words.
    fn facets(&self, combined: &HashMap<DocId, Combined>) -> Facets {
        let best = combined.values().map(|c| c.required).max().unwrap_or(0);
        let mut languages: BTreeMap<String, usize> = BTreeMap::new();
        let mut years: BTreeMap<i32, usize> = BTreeMap::new();
        for (&doc, c) in combined {
            if c.required < best {
                continue;
            }
            let stats = &self.table.docs[doc as usize];
            *languages.entry(self.table.langs[usize::from(stats.lang)].clone()).or_default() += 1;
            if let Some(day) = stats.day {
                *years.entry(Date::from_days(day).year).or_default() += 1;
            }
        }
        Facets { languages: languages.into_iter().collect(), years: years.into_iter().rev().collect() }
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

    /// Each matching document's best score for one query word, over all the
    /// keys the word expanded to, and whether the word is common.
    fn score_word(&self, word: &QueryWord, matched: &WordMatch) -> Result<WordScores, IndexError> {
        let mut scores: HashMap<DocId, (f32, bool)> = HashMap::new();
        let mut common = false;
        // A layout-switched word is scored in the script it was meant in.
        let typed = matched.layout.as_ref().unwrap_or(word);
        for expansion in &matched.expansions {
            let list = postings::decode_list(&self.postings, expansion.offset, self.manifest.documents)?;
            let idf = self.ranker.idf(list.len());
            let mut per_lang = vec![0u32; self.lang_docs.len()];
            for posting in list {
                let stats = &self.table.docs[posting.doc as usize];
                per_lang[usize::from(stats.lang)] += 1;
                let script = ranking::script_factor(typed.script, &self.table.langs[usize::from(stats.lang)]);
                let score =
                    expansion.quality * script * self.ranker.term_score(idf, posting.title_tf, posting.body_tf, stats);
                let best = scores.entry(posting.doc).or_insert((0.0, false));
                best.0 = best.0.max(score);
                best.1 |= posting.title_tf > 0;
            }
            if expansion.quality == expand::EXACT {
                common = per_lang
                    .iter()
                    .zip(&self.lang_docs)
                    .any(|(&n, &total)| total >= COMMON_MIN_DOCS && n as f32 / total as f32 > COMMON_WORD_SHARE);
            }
        }
        Ok(WordScores { scores, common })
    }

    /// Documents holding an excluded word (exactly or by stem; no typos).
    fn excluded_docs(&self, words: &[QueryWord]) -> Result<HashSet<DocId>, IndexError> {
        let mut docs = HashSet::new();
        for word in words {
            let matched = expand::expand(&self.dictionary, &self.postings, word)?;
            for expansion in matched.expansions.iter().filter(|e| e.quality >= expand::STEM) {
                docs.extend(
                    postings::decode_list(&self.postings, expansion.offset, self.manifest.documents)?
                        .iter()
                        .map(|p| p.doc),
                );
            }
        }
        Ok(docs)
    }
}

struct WordScores {
    /// Per document: the best score, and whether the word is in the title.
    scores: HashMap<DocId, (f32, bool)>,
    common: bool,
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
    fn admits(&self, doc: &DocStats) -> bool {
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
