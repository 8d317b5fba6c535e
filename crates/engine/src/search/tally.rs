//! One query's per-document sums, in arrays indexed by document id.
//!
//! A short prefix matches tens of thousands of documents through dozens of
//! postings lists; hashing every posting into a map (per word, then once
//! more to combine the words) was most of a keystroke's ranking time. Array
//! slots cost one store each. The arrays are kept between queries, and only
//! the entries a query touched are cleared.

use crate::index::DocId;

/// What one document gathered over the query's words.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DocSum {
    /// Bit `i` is set when query word `i` matched the document.
    pub words: u32,
    /// Words whose best match is in the title.
    pub in_title: u32,
    /// Bit `i` is set when query word `i` matched the document only through
    /// typo guesses.
    pub guessed: u32,
    /// The sum of each word's best score.
    pub score: f32,
}

/// The best match so far of the word being scored, in one document.
#[derive(Clone, Copy, Default)]
struct WordBest {
    /// The word it belongs to: entries of earlier words are stale.
    generation: u32,
    score: f32,
    in_title: bool,
    /// Some match of the word was not a typo guess.
    direct: bool,
}

#[derive(Default)]
pub struct Tally {
    sums: Vec<DocSum>,
    best: Vec<WordBest>,
    /// Documents the word being scored matched so far.
    word_docs: Vec<DocId>,
    /// Documents any word matched.
    touched: Vec<DocId>,
    generation: u32,
}

impl Tally {
    /// Clears the last query's sums, for a query over `documents` documents.
    pub fn start(&mut self, documents: usize) {
        for &doc in &self.touched {
            self.sums[doc as usize] = DocSum::default();
        }
        self.touched.clear();
        self.sums.resize(documents, DocSum::default());
        self.best.resize(documents, WordBest::default());
    }

    /// Starts scoring the next query word.
    pub fn start_word(&mut self) {
        self.word_docs.clear();
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Once in four billion words: no entry may look current.
            self.best.fill(WordBest::default());
            self.generation = 1;
        }
    }

    /// One match of the current word (a typo guess when `guess`): a document keeps its best.
    pub fn add(&mut self, doc: DocId, score: f32, in_title: bool, guess: bool) {
        let best = &mut self.best[doc as usize];
        if best.generation == self.generation {
            best.score = best.score.max(score);
            best.in_title |= in_title;
            best.direct |= !guess;
        } else {
            *best = WordBest { generation: self.generation, score, in_title, direct: !guess };
            self.word_docs.push(doc);
        }
    }

    /// Adds the current word's best matches, as word `word` of the query, to the sums.
    pub fn end_word(&mut self, word: usize) {
        for &doc in &self.word_docs {
            let best = self.best[doc as usize];
            let sum = &mut self.sums[doc as usize];
            if sum.words == 0 {
                self.touched.push(doc);
            }
            sum.words |= 1 << word;
            sum.in_title += u32::from(best.in_title);
            sum.guessed |= u32::from(!best.direct) << word;
            sum.score += best.score;
        }
    }

    /// Every document some word matched, with its sums.
    pub fn sums(&self) -> impl Iterator<Item = (DocId, DocSum)> + '_ {
        self.touched.iter().map(|&doc| (doc, self.sums[doc as usize]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// The sums computed with maps, as ranking did before the arrays.
    fn with_maps(words: &[Vec<(DocId, u8, bool, bool)>]) -> BTreeMap<DocId, DocSum> {
        let mut sums: BTreeMap<DocId, DocSum> = BTreeMap::new();
        for (i, matches) in words.iter().enumerate() {
            let mut best: BTreeMap<DocId, (f32, bool, bool)> = BTreeMap::new();
            for &(doc, score, in_title, guess) in matches {
                let entry = best.entry(doc).or_insert((0.0, false, false));
                entry.0 = entry.0.max(f32::from(score));
                entry.1 |= in_title;
                entry.2 |= !guess;
            }
            for (doc, (score, in_title, direct)) in best {
                let sum = sums.entry(doc).or_default();
                sum.words |= 1 << i;
                sum.in_title += u32::from(in_title);
                sum.guessed |= u32::from(!direct) << i;
                sum.score += score;
            }
        }
        sums
    }

    proptest! {
        /// Over several queries on one tally, each query's sums are what
        /// maps give for it alone: nothing leaks from the query before.
        #[test]
        fn sums_match_maps_query_after_query(
            queries in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::collection::vec((0u32..30, 0u8..8, any::<bool>(), any::<bool>()), 0..40),
                    1..4,
                ),
                1..4,
            ),
        ) {
            let mut tally = Tally::default();
            for words in &queries {
                tally.start(30);
                for (i, matches) in words.iter().enumerate() {
                    tally.start_word();
                    for &(doc, score, in_title, guess) in matches {
                        tally.add(doc, f32::from(score), in_title, guess);
                    }
                    tally.end_word(i);
                }
                let sums: BTreeMap<DocId, DocSum> = tally.sums().collect();
                prop_assert_eq!(sums.len(), tally.sums().count(), "a document is listed once");
                prop_assert_eq!(sums, with_maps(words));
            }
        }
    }

    #[test]
    fn a_wrapped_generation_leaves_no_stale_best() {
        let mut tally = Tally::default();
        tally.start(2);
        tally.start_word();
        tally.add(1, 5.0, true, false);
        tally.end_word(0);
        tally.generation = u32::MAX;
        tally.start(2);
        tally.start_word();
        tally.add(1, 1.0, false, true);
        tally.end_word(0);
        let fresh = DocSum { words: 1, in_title: 0, guessed: 1, score: 1.0 };
        assert_eq!(tally.sums().collect::<Vec<_>>(), [(1, fresh)]);
    }
}
