//! Word expansions remembered across the steps of one query and across
//! keystrokes. A search is re-run from scratch after each batch of parts
//! arrives, and typing "toshkent ta" re-expands "toshkent" on every key;
//! its typo search over fst shards is most of a step's time.
//!
//! An expansion is final once it is a match: `expand` returns one only
//! when every shard it reads is loaded, and loaded shards never change.

use std::cell::RefCell;

use super::expand::WordMatch;
use crate::query::QueryWord;

/// Words remembered; a query has a few, a typing session a few dozen.
const CAPACITY: usize = 64;

/// The most recently used expansions, most recent last.
#[derive(Default)]
pub struct ExpansionCache {
    entries: RefCell<Vec<(QueryWord, WordMatch)>>,
}

impl ExpansionCache {
    /// The remembered match of `word`, or `compute`'s, remembered when it is a match.
    pub fn get_or_insert(&self, word: &QueryWord, compute: impl FnOnce() -> Option<WordMatch>) -> Option<WordMatch> {
        let mut entries = self.entries.borrow_mut();
        if let Some(at) = entries.iter().position(|(w, _)| w == word) {
            let entry = entries.remove(at);
            let matched = entry.1.clone();
            entries.push(entry);
            return Some(matched);
        }
        drop(entries);
        let matched = compute()?;
        let mut entries = self.entries.borrow_mut();
        if entries.len() == CAPACITY {
            entries.remove(0);
        }
        entries.push((word.clone(), matched.clone()));
        Some(matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Query;

    fn word(text: &str) -> QueryWord {
        Query::parse(text).words.remove(0)
    }

    #[test]
    fn a_match_is_computed_once_and_a_miss_every_time() {
        let cache = ExpansionCache::default();
        let toshkent = word("toshkent");
        let mut calls = 0;
        for _ in 0..3 {
            let got = cache.get_or_insert(&toshkent, || {
                calls += 1;
                Some(WordMatch { corrected: true, ..WordMatch::default() })
            });
            assert!(got.is_some_and(|m| m.corrected));
        }
        assert_eq!(calls, 1);

        let other = word("tashrif");
        let mut misses = 0;
        for _ in 0..2 {
            assert!(cache
                .get_or_insert(&other, || {
                    misses += 1;
                    None
                })
                .is_none());
        }
        assert_eq!(misses, 2, "shards still missing: nothing is remembered");
    }

    #[test]
    fn the_least_recently_used_word_goes_first() {
        let cache = ExpansionCache::default();
        let words: Vec<QueryWord> = (0..=CAPACITY).map(|i| word(&format!("w{i}"))).collect();
        for word in &words[..CAPACITY] {
            cache.get_or_insert(word, || Some(WordMatch::default()));
        }
        // Touch the oldest, so the second oldest is the one to go.
        cache.get_or_insert(&words[0], || unreachable!());
        cache.get_or_insert(&words[CAPACITY], || Some(WordMatch::default()));
        assert!(cache.get_or_insert(&words[0], || None).is_some());
        assert!(cache.get_or_insert(&words[1], || None).is_none());
    }
}
