//! What a searcher remembers across the steps of one query and across
//! keystrokes, a few dozen entries at most, the least recently used going
//! first:
//!
//! - word expansions: a search is re-run from scratch after each batch of
//!   parts arrives, and typing "toshkent ta" re-expands "toshkent" on every
//!   key; its typo search over fst shards is most of a step's time. An
//!   expansion is final once it is a match: `expand` returns one only when
//!   every shard it reads is loaded, and loaded shards never change.
//! - the words of shown articles: cutting them out of an article's text is
//!   most of the work of its excerpt, and the next keystroke mostly shows
//!   the same articles.

use std::cell::RefCell;

/// The most recently used values, most recent last.
pub struct Recent<K, V> {
    capacity: usize,
    entries: RefCell<Vec<(K, V)>>,
}

impl<K: PartialEq + Clone, V: Clone> Recent<K, V> {
    pub fn new(capacity: usize) -> Recent<K, V> {
        Recent { capacity, entries: RefCell::new(Vec::with_capacity(capacity)) }
    }

    /// The remembered value of `key`, or `compute`'s, remembered when it is `Some`.
    pub fn get_or_insert(&self, key: &K, compute: impl FnOnce() -> Option<V>) -> Option<V> {
        let mut entries = self.entries.borrow_mut();
        if let Some(at) = entries.iter().position(|(k, _)| k == key) {
            let entry = entries.remove(at);
            let value = entry.1.clone();
            entries.push(entry);
            return Some(value);
        }
        drop(entries);
        let value = compute()?;
        let mut entries = self.entries.borrow_mut();
        if entries.len() == self.capacity {
            entries.remove(0);
        }
        entries.push((key.clone(), value.clone()));
        Some(value)
    }

    /// Drops `key`'s value, which no longer holds.
    pub fn forget(&self, key: &K) {
        self.entries.borrow_mut().retain(|(k, _)| k != key);
    }

    /// Whether `key` has a value, without counting as a use.
    pub fn contains(&self, key: &K) -> bool {
        self.entries.borrow().iter().any(|(k, _)| k == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Query, QueryWord};
    use crate::search::WordMatch;

    fn word(text: &str) -> QueryWord {
        Query::parse(text).words.remove(0)
    }

    #[test]
    fn a_value_is_computed_once_and_a_miss_every_time() {
        let cache: Recent<QueryWord, WordMatch> = Recent::new(4);
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
    fn the_least_recently_used_key_goes_first() {
        const CAPACITY: u32 = 8;
        let cache: Recent<u32, u32> = Recent::new(CAPACITY as usize);
        for key in 0..CAPACITY {
            cache.get_or_insert(&key, || Some(key * 10));
        }
        // Touch the oldest, so the second oldest is the one to go.
        assert_eq!(cache.get_or_insert(&0, || unreachable!()), Some(0));
        cache.get_or_insert(&CAPACITY, || Some(0));
        assert_eq!(cache.get_or_insert(&0, || None), Some(0));
        assert_eq!(cache.get_or_insert(&1, || None), None);
        assert_eq!(cache.get_or_insert(&2, || None), Some(20));
    }
}
