//! The term dictionary, split into key-range shards that are fetched as
//! queries need them.
//!
//! The whole vocabulary of a 100,000-article site is megabytes of `fst`:
//! too much to load before the first result. A shard holds the keys from
//! where it starts (listed in the manifest) up to where the next starts, as an
//! `fst::Map` from key to the key's position in the shard; a query word needs
//! the shard its key falls in (and, for a prefix, the shards its completions
//! span). Terms are numbered in key order across shards (their *ordinal*),
//! and their postings lists lie in the same order: a shard knows where its
//! first term's list starts and how long each list is, so it locates the
//! postings of every term it holds.
//!
//! A one- or two-letter prefix spans many shards (the keys under `s` fill
//! a dozen at 100,000 articles) yet expands to only its most frequent
//! completions. Such a *wide* prefix has a head part of its own: those
//! completions, located, in a part of a few kilobytes that a query reads instead
//! of every shard the prefix spans. The postings lists that searching the
//! prefix alone reads live in a postings file of the head's own, fetched
//! beside it, and nowhere else: a shard locates such a list in that file.

use std::ops::Range;

use fst::{Automaton, IntoStreamer, Streamer};
use serde::{Deserialize, Serialize};

use super::{stem_key, IndexError};

/// One shard as stored: the keys' map, and per key its document frequency
/// class (see [`df_class`]), for choosing among completions before any
/// postings are fetched, and the byte lengths of its postings and positions
/// lists, each starting where the previous key's ends (the first at
/// `lists_start` and `positions_start`, offsets into all postings, and all
/// positions, files taken as one), but for the postings lists that a head's
/// file holds (`head_lists`), which take no room in that sequence (their
/// `list_bytes` are 0).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardPart {
    pub first_ordinal: u64,
    pub df_classes: Vec<u8>,
    pub lists_start: u64,
    pub list_bytes: Vec<u32>,
    /// The keys whose postings list lies in a head's postings file, each as
    /// its place in the shard (ascending), where its list starts and its length.
    pub head_lists: Vec<(u32, u64, u32)>,
    pub positions_start: u64,
    pub positions_bytes: Vec<u32>,
    pub fst: Vec<u8>,
}

/// The head of a wide prefix as stored: the prefix and its stem key, when
/// they are keys, and the prefix's most frequent completions, in key order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadPart {
    pub keys: Vec<HeadKey>,
}

/// One key of a head, with what its shard would have told of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadKey {
    pub key: String,
    pub ordinal: u64,
    pub df_class: u8,
    /// Where its postings list starts in all postings files taken as one.
    pub list_start: u64,
    pub list_bytes: u32,
    /// Where its positions list starts in all positions files taken as one.
    pub positions_start: u64,
    pub positions_bytes: u32,
}

/// The two kinds of per-term list, which lie in files of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ListKind {
    Postings = 0,
    Positions = 1,
}

/// A dictionary key as a query sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term {
    pub ordinal: u64,
    /// Roughly the log of how many documents hold the term.
    pub df_class: u8,
}

/// The document-frequency class of a term in `df` documents: ordered like
/// `df`, to within 10 %, in one byte.
pub fn df_class(df: usize) -> u8 {
    ((df.max(1) as f64).ln() / 1.1f64.ln()).round().min(255.0) as u8
}

/// Whether `list` lies wholly within `range`.
fn holds(range: &Range<u64>, list: &Range<u64>) -> bool {
    range.start <= list.start && list.end <= range.end
}

/// A verified, decoded shard.
struct Shard {
    first_ordinal: u64,
    df_classes: Vec<u8>,
    /// Per [`ListKind`]: where each key's list starts in the sequence of
    /// its lists, and where the last one ends; a list a head's file holds
    /// is empty there.
    starts: [Vec<u64>; 2],
    /// The postings lists that heads' files hold, by their keys' places.
    head_lists: Vec<(u32, Range<u64>)>,
    map: fst::Map<Vec<u8>>,
}

impl Shard {
    fn decode(name: &str, bytes: &[u8]) -> Result<Shard, IndexError> {
        let part: ShardPart = super::part::decode(name, bytes)?;
        let corrupt = |detail: String| IndexError::Corrupt { part: name.to_string(), detail };
        // fst trusts the addresses inside a map and panics on bad ones, and a
        // panic kills the widget: check the map's own checksum before use.
        if !super::fst_checksum::is_intact(&part.fst) {
            return Err(corrupt("its fst checksum does not match".into()));
        }
        let map = fst::Map::new(part.fst).map_err(|e| corrupt(e.to_string()))?;
        if map.len() != part.df_classes.len() {
            return Err(corrupt(format!("{} keys but {} frequencies", map.len(), part.df_classes.len())));
        }
        let past_end = || corrupt("its lists end past 2^64".into());
        let ascending = part.head_lists.windows(2).all(|w| w[0].0 < w[1].0);
        if !ascending || part.head_lists.last().is_some_and(|&(at, ..)| at as usize >= part.df_classes.len()) {
            return Err(corrupt("its keys' lists in heads' files are out of order or range".into()));
        }
        let mut head_lists = Vec::with_capacity(part.head_lists.len());
        for &(at, start, bytes) in &part.head_lists {
            head_lists.push((at, start..start.checked_add(bytes.into()).ok_or_else(past_end)?));
        }
        let starts = |start: u64, bytes: &[u32]| {
            if bytes.len() != part.df_classes.len() {
                return Err(corrupt(format!("{} keys but {} lists of a kind", map.len(), bytes.len())));
            }
            let mut starts = Vec::with_capacity(bytes.len() + 1);
            starts.push(start);
            for &bytes in bytes {
                let end = starts.last().and_then(|start: &u64| start.checked_add(bytes.into()));
                starts.push(end.ok_or_else(past_end)?);
            }
            Ok(starts)
        };
        let starts =
            [starts(part.lists_start, &part.list_bytes)?, starts(part.positions_start, &part.positions_bytes)?];
        Ok(Shard { first_ordinal: part.first_ordinal, df_classes: part.df_classes, starts, head_lists, map })
    }

    /// Where the `kind` list of the shard's key at `local` lies.
    fn list(&self, local: usize, kind: ListKind) -> Option<Range<u64>> {
        if kind == ListKind::Postings {
            if let Ok(at) = self.head_lists.binary_search_by_key(&local, |(at, _)| *at as usize) {
                return Some(self.head_lists[at].1.clone());
            }
        }
        let starts = &self.starts[kind as usize];
        Some(*starts.get(local)?..*starts.get(local + 1)?)
    }

    /// Where its `kind` lists lie within `range`.
    fn lists_within(&self, range: &Range<u64>, kind: ListKind, lists: &mut Vec<Range<u64>>) {
        let starts = &self.starts[kind as usize];
        let first = starts.partition_point(|&start| start < range.start);
        let in_sequence = starts[first..].windows(2).take_while(|pair| pair[1] <= range.end);
        lists.extend(in_sequence.map(|pair| pair[0]..pair[1]).filter(|list| !list.is_empty()));
        let in_heads = self.head_lists.iter().map(|(_, list)| list).filter(|_| kind == ListKind::Postings);
        lists.extend(in_heads.filter(|list| holds(range, list)).cloned());
    }

    fn term(&self, local: u64) -> Option<Term> {
        let df_class = *self.df_classes.get(usize::try_from(local).ok()?)?;
        Some(Term { ordinal: self.first_ordinal + local, df_class })
    }
}

/// A verified head: its keys (stem keys with their mark) and terms.
type Head = Vec<(String, Term)>;

/// The shards' key ranges and the wide prefixes, and the shards and heads
/// loaded so far.
pub struct Dictionary {
    /// Where each shard starts (at or before its first key, past the
    /// previous shard's last); the first shard's is empty.
    firsts: Vec<String>,
    loaded: Vec<Option<Shard>>,
    /// The prefixes that have a head, in key order.
    head_prefixes: Vec<String>,
    heads: Vec<Option<Head>>,
    /// Where the lists of the loaded heads' terms lie, by ordinal, per [`ListKind`].
    head_lists: Vec<(u64, [Range<u64>; 2])>,
}

impl Dictionary {
    pub fn new(firsts: Vec<String>, head_prefixes: Vec<String>) -> Dictionary {
        let loaded = firsts.iter().map(|_| None).collect();
        let heads = head_prefixes.iter().map(|_| None).collect();
        Dictionary { firsts, loaded, head_prefixes, heads, head_lists: Vec::new() }
    }

    pub fn shard_count(&self) -> usize {
        self.firsts.len()
    }

    /// The shard whose range holds `key`.
    pub fn shard_of(&self, key: &str) -> usize {
        self.firsts.partition_point(|first| first.as_str() <= key).saturating_sub(1)
    }

    /// The shards that may hold keys starting with `prefix`.
    pub fn shards_with_prefix(&self, prefix: &str) -> Range<usize> {
        let start = self.shard_of(prefix);
        let end = self.firsts[start + 1..]
            .iter()
            .position(|first| !first.starts_with(prefix) && first.as_str() > prefix)
            .map_or(self.firsts.len(), |n| start + 1 + n);
        start..end
    }

    pub fn is_loaded(&self, shard: usize) -> bool {
        self.loaded.get(shard).is_some_and(Option::is_some)
    }

    /// Decodes and keeps shard `n` (named `name`).
    pub fn load(&mut self, n: usize, name: &str, bytes: &[u8]) -> Result<(), IndexError> {
        let shard = Shard::decode(name, bytes)?;
        let slot = self.loaded.get_mut(n).ok_or_else(|| IndexError::Inconsistent {
            detail: format!("{name} is dictionary shard {n} of {}", self.firsts.len()),
        })?;
        *slot = Some(shard);
        Ok(())
    }

    /// The head of `prefix`, by its place in the manifest, if it has one.
    pub fn head_of(&self, prefix: &str) -> Option<usize> {
        self.head_prefixes.binary_search_by(|p| p.as_str().cmp(prefix)).ok()
    }

    /// Head `n`'s keys and terms, once loaded.
    pub fn head(&self, n: usize) -> Option<&[(String, Term)]> {
        self.heads.get(n)?.as_deref()
    }

    /// Decodes and keeps head `n` (named `name`).
    pub fn load_head(&mut self, n: usize, name: &str, bytes: &[u8]) -> Result<(), IndexError> {
        let part: HeadPart = super::part::decode(name, bytes)?;
        let corrupt = |detail: &str| IndexError::Corrupt { part: name.to_string(), detail: detail.to_string() };
        let prefix = self.head_prefixes.get(n).ok_or_else(|| corrupt("not a head this index names"))?;
        let stem = stem_key(prefix.clone());
        if part.keys.is_empty() || !part.keys.windows(2).all(|w| w[0].key < w[1].key) {
            return Err(corrupt("its keys are missing or out of order"));
        }
        let mut head = Vec::with_capacity(part.keys.len());
        for k in part.keys {
            if !k.key.starts_with(prefix.as_str()) && k.key != stem {
                return Err(corrupt("it holds a key not under its prefix"));
            }
            let range = |start: u64, bytes: u32| {
                let end = start.checked_add(bytes.into()).ok_or_else(|| corrupt("a list ends past 2^64"))?;
                Ok::<_, IndexError>(start..end)
            };
            let lists = [range(k.list_start, k.list_bytes)?, range(k.positions_start, k.positions_bytes)?];
            if let Err(at) = self.head_lists.binary_search_by_key(&k.ordinal, |(ordinal, _)| *ordinal) {
                self.head_lists.insert(at, (k.ordinal, lists));
            }
            head.push((k.key, Term { ordinal: k.ordinal, df_class: k.df_class }));
        }
        self.heads[n] = Some(head);
        Ok(())
    }

    /// Where the `kind` list of term `ordinal`, which a loaded shard or
    /// head gave, lies in all files of such lists taken as one.
    pub fn list_bytes(&self, ordinal: u64, kind: ListKind) -> Option<Range<u64>> {
        let in_shard = self
            .loaded
            .iter()
            .flatten()
            .find_map(|shard| shard.list(usize::try_from(ordinal.checked_sub(shard.first_ordinal)?).ok()?, kind));
        in_shard.or_else(|| {
            let at = self.head_lists.binary_search_by_key(&ordinal, |(ordinal, _)| *ordinal).ok()?;
            Some(self.head_lists[at].1[kind as usize].clone())
        })
    }

    /// Where the `kind` lists of the loaded shards' and heads' terms lie
    /// within `range` (of all files of such lists taken as one).
    pub fn lists_within(&self, range: &Range<u64>, kind: ListKind) -> Vec<Range<u64>> {
        let mut lists = Vec::new();
        for shard in self.loaded.iter().flatten() {
            shard.lists_within(range, kind, &mut lists);
        }
        let heads = self.head_lists.iter().map(|(_, lists)| &lists[kind as usize]);
        lists.extend(heads.filter(|list| holds(range, list)).cloned());
        lists
    }

    /// The term `key`, when its shard is loaded and holds it.
    pub fn get(&self, key: &str) -> Option<Term> {
        let shard = self.loaded[self.shard_of(key)].as_ref()?;
        shard.term(shard.map.get(key)?)
    }

    /// Every key the automaton accepts in the loaded ones of `shards`
    /// (ascending), in key order, stopping after `cap` keys.
    pub fn search<A: Automaton>(
        &self,
        automaton: A,
        shards: impl IntoIterator<Item = usize>,
        cap: usize,
    ) -> Vec<(String, Term)> {
        let mut found = Vec::new();
        for shard in shards.into_iter().filter_map(|n| self.loaded.get(n)?.as_ref()) {
            let mut stream = shard.map.search(&automaton).into_stream();
            while let Some((key, local)) = stream.next() {
                if found.len() == cap {
                    return found;
                }
                if let Some(term) = shard.term(local) {
                    found.push((String::from_utf8_lossy(key).into_owned(), term));
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fall_in_the_shard_whose_range_holds_them() {
        let firsts = vec!["".into(), "ka".into(), "pre".into(), "prz".into(), "t".into()];
        let dictionary = Dictionary::new(firsts, Vec::new());
        assert_eq!(dictionary.shard_of("abc"), 0);
        assert_eq!(dictionary.shard_of("ka"), 1);
        assert_eq!(dictionary.shard_of("prezident"), 2);
        assert_eq!(dictionary.shard_of("zzz"), 4);
        assert_eq!(dictionary.shards_with_prefix("pr"), 1..4);
        assert_eq!(dictionary.shards_with_prefix("pre"), 2..3);
        assert_eq!(dictionary.shards_with_prefix("k"), 0..2);
        assert_eq!(dictionary.shards_with_prefix("u"), 4..5);
    }

    #[test]
    fn frequency_classes_keep_order() {
        assert_eq!(df_class(0), df_class(1));
        assert!(df_class(2) > df_class(1));
        assert!(df_class(100) > df_class(80));
        assert_eq!(df_class(usize::MAX), 255);
    }
}
