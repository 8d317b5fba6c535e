//! Finding and ranking documents for a [`Query`].

mod expand;
mod ranking;

use std::collections::HashMap;

use crate::index::{postings, DocId, DocTable, IndexError, Manifest};
use crate::query::Query;
use expand::expand;
use ranking::Ranker;

/// Options a caller sets per query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchOptions {
    /// Only documents in this language (a canonical tag, as [`crate::Lang::tag`]).
    pub lang: Option<String>,
    /// How many hits to return; `total` still counts them all.
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            lang: None,
            limit: 10,
        }
    }
}

/// One ranked document.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub doc: DocId,
    pub score: f32,
}

/// The ranked hits for a query.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    /// All matching documents, before `limit`.
    pub total: usize,
    /// The best `limit` hits, best first; equal scores in doc-id order.
    pub hits: Vec<Hit>,
    /// No document had every word: these are the documents with the most.
    pub partial: bool,
}

/// The loaded dictionary, postings and document table: everything a query
/// needs except the stored text of the results.
pub struct Searcher {
    manifest: Manifest,
    dictionary: fst::Map<Vec<u8>>,
    postings: Vec<u8>,
    table: DocTable,
    ranker: Ranker,
}

impl Searcher {
    /// Checks the manifest's version and every part's hash, then decodes.
    pub fn open(
        manifest: Manifest,
        terms: Vec<u8>,
        postings: Vec<u8>,
        docs: Vec<u8>,
    ) -> Result<Searcher, IndexError> {
        manifest.check_version()?;
        crate::index::verify_part(&manifest.parts.terms, &terms)?;
        crate::index::verify_part(&manifest.parts.postings, &postings)?;
        let table: DocTable = crate::index::part::decode(&manifest.parts.docs, &docs)?;
        let dictionary = fst::Map::new(terms).map_err(|e| IndexError::Corrupt {
            part: manifest.parts.terms.clone(),
            detail: e.to_string(),
        })?;
        let store_capacity =
            manifest.parts.store.len() as u64 * u64::from(manifest.store_chunk_docs);
        if table.docs.len() != manifest.documents as usize
            || u64::from(manifest.documents) > store_capacity
        {
            return Err(IndexError::Inconsistent {
                detail: format!(
                    "the manifest counts {} documents, the document table holds {}, the store {} chunks of {}",
                    manifest.documents,
                    table.docs.len(),
                    manifest.parts.store.len(),
                    manifest.store_chunk_docs
                ),
            });
        }
        let ranker = Ranker::new(&table);
        Ok(Searcher {
            manifest,
            dictionary,
            postings,
            table,
            ranker,
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Ranks the documents matching every word of `query`; when none does,
    /// those matching the most words, flagged `partial`.
    pub fn search(
        &self,
        query: &Query,
        options: &SearchOptions,
    ) -> Result<SearchResults, IndexError> {
        let lang = match &options.lang {
            Some(tag) => match self.table.lang_index(tag) {
                Some(index) => Some(index),
                None => return Ok(SearchResults::default()),
            },
            None => None,
        };
        let mut per_word = Vec::with_capacity(query.words.len());
        for word in &query.words {
            per_word.push(self.word_scores(word, lang)?);
        }
        let mut combined: HashMap<DocId, (usize, f32)> = HashMap::new();
        for scores in &per_word {
            for (&doc, &score) in scores {
                let entry = combined.entry(doc).or_default();
                entry.0 += 1;
                entry.1 += score;
            }
        }
        let best_count = combined
            .values()
            .map(|&(count, _)| count)
            .max()
            .unwrap_or(0);
        let mut hits: Vec<Hit> = combined
            .into_iter()
            .filter(|&(_, (count, _))| count == best_count)
            .map(|(doc, (_, score))| Hit {
                doc,
                score: score * self.ranker.recency(&self.table.docs[doc as usize]),
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        let total = hits.len();
        hits.truncate(options.limit);
        Ok(SearchResults {
            total,
            hits,
            partial: total > 0 && best_count < query.words.len(),
        })
    }

    /// Each matching document's best score for one query word, over all the
    /// dictionary terms the word expands to.
    fn word_scores(
        &self,
        word: &crate::query::QueryWord,
        lang: Option<u16>,
    ) -> Result<HashMap<DocId, f32>, IndexError> {
        let mut scores: HashMap<DocId, f32> = HashMap::new();
        for expansion in expand(&self.dictionary, &self.postings, word)? {
            let list =
                postings::decode_list(&self.postings, expansion.offset, self.manifest.documents)?;
            let idf = self.ranker.idf(list.len());
            for posting in list {
                let stats = &self.table.docs[posting.doc as usize];
                if lang.is_some_and(|l| l != stats.lang) {
                    continue;
                }
                let score = expansion.quality
                    * self
                        .ranker
                        .term_score(idf, posting.title_tf, posting.body_tf, stats);
                let best = scores.entry(posting.doc).or_insert(0.0);
                *best = best.max(score);
            }
        }
        Ok(scores)
    }
}
