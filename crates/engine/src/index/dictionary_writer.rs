//! The dictionary's writer: the key-range shards, the wide prefixes'
//! heads, and where each postings list goes, in a postings file of the
//! sequence or in a head's own (see `docs/format.md`; the reader is
//! [`super::dictionary`]).

use std::ops::Range;

use super::dictionary::{df_class, Dictionary, HeadKey, HeadPart, ShardPart};
use super::part::encode;
use super::reads::{self, MAX_PREFIX_EXPANSIONS};
use crate::index::{is_stem_key, stem_key, STEM_MARK};

/// Key bytes per dictionary shard: a shard is about 5 kB compressed, so a
/// query word costs one small download (its key and, beside it, its stem)
/// however large the vocabulary.
const SHARD_KEY_BYTES: usize = 3 * 1024;
/// Postings and positions files end at the first list boundary past this
/// size: queries read them by range, so size only matters to hosts that
/// ignore ranges and send whole files, and to hosts that cap a site's file count.
const LIST_FILE_BYTES: usize = 4 << 20;
/// Prefixes of up to this many letters may have a head: a longer one
/// spans a shard or two.
const HEAD_MAX_LETTERS: usize = 2;
/// A prefix whose keys span this many shards has a head: one request of a
/// kilobyte instead of several of four.
const HEAD_MIN_SHARDS: usize = 2;

/// A term, how many documents hold it, and its encoded postings and
/// positions lists (emptied once written).
pub(super) struct EncodedTerm {
    pub key: String,
    pub df: usize,
    pub list: Vec<u8>,
    pub positions: Vec<u8>,
}

/// What [`write_dictionary`] wrote, as the manifest names it.
pub(super) struct DictionaryLayout {
    /// Where each shard starts.
    pub dictionary: Vec<String>,
    /// Each head's prefix, and the length of its postings file (0: none).
    pub heads: Vec<String>,
    pub head_postings: Vec<u64>,
    /// The length of each postings file of the sequence.
    pub postings: Vec<u64>,
}

/// Writes the postings files (`postings-<n>`, then `head-<n>-postings`),
/// the shards (`dict-<n>`) and the heads (`head-<n>`) of `terms`, whose
/// positions lists start at `positions` (see [`list_starts`]), each
/// sealed by `seal` and handed to `write` (name, bytes).
pub(super) fn write_dictionary<E>(
    terms: &[EncodedTerm],
    positions: &[u64],
    seal: &impl Fn(&str, Vec<u8>) -> (String, Vec<u8>),
    write: &mut impl FnMut(&str, Vec<u8>) -> Result<(), E>,
) -> Result<DictionaryLayout, E> {
    let bounds = shard_bounds(terms);
    let dictionary: Vec<String> = bounds.iter().map(|(first, _)| first.clone()).collect();
    let heads = wide_prefix_heads(terms, dictionary.clone());
    let lists = ListPlaces::new(terms, &heads);
    let postings = list_files(lists.in_sequence(terms), "postings", seal, write)?;
    let mut head_postings = vec![0; heads.len()];
    for (n, bytes) in lists.head_files(terms).into_iter().enumerate().filter(|(_, b)| !b.is_empty()) {
        head_postings[n] = bytes.len() as u64;
        let (name, bytes) = seal(&format!("head-{n}-postings"), bytes);
        write(&name, bytes)?;
    }
    for (n, (_, under)) in bounds.into_iter().enumerate() {
        let (name, bytes) = seal(&format!("dict-{n}"), encode(&shard(terms, under, &lists, positions)));
        write(&name, bytes)?;
    }
    for (n, head) in heads.iter().enumerate() {
        let keys = head.keys.iter().map(|&i| HeadKey {
            key: terms[i].key.clone(),
            ordinal: i as u64,
            df_class: df_class(terms[i].df),
            list_start: lists.at[i].start,
            list_bytes: terms[i].list.len() as u32,
            positions_start: positions[i],
            positions_bytes: (positions[i + 1] - positions[i]) as u32,
        });
        let (name, bytes) = seal(&format!("head-{n}"), encode(&HeadPart { keys: keys.collect() }));
        write(&name, bytes)?;
    }
    let heads = heads.into_iter().map(|head| head.prefix).collect();
    Ok(DictionaryLayout { dictionary, heads, head_postings, postings })
}

/// Where each term's list (`list`) starts in a sequence of every term's
/// list in term order, and where the last one ends.
pub(super) fn list_starts(terms: &[EncodedTerm], list: impl Fn(&EncodedTerm) -> &Vec<u8>) -> Vec<u64> {
    let mut starts = Vec::with_capacity(terms.len() + 1);
    starts.push(0);
    for term in terms {
        starts.push(starts[starts.len() - 1] + list(term).len() as u64);
    }
    starts
}

/// The dictionary's key-range shards: each one's first key (the first
/// shard's empty, so that every key falls in some shard) and terms.
fn shard_bounds(terms: &[EncodedTerm]) -> Vec<(String, Range<usize>)> {
    let mut bounds = Vec::new();
    let mut start = 0;
    while start < terms.len() || bounds.is_empty() {
        let mut end = start;
        let mut key_bytes = 0;
        while end < terms.len() && (end == start || key_bytes < SHARD_KEY_BYTES) {
            key_bytes += terms[end].key.len();
            end += 1;
        }
        let first_key = if start == 0 { String::new() } else { separator(&terms[start - 1].key, &terms[start].key) };
        bounds.push((first_key, start..end));
        start = end;
    }
    bounds
}

/// The shard of the terms `under`, its postings lists where `lists` puts
/// them and its positions lists at `positions` (see [`list_starts`]).
fn shard(terms: &[EncodedTerm], under: Range<usize>, lists: &ListPlaces, positions: &[u64]) -> ShardPart {
    let mut map = fst::MapBuilder::memory();
    for (local, term) in terms[under.clone()].iter().enumerate() {
        map.insert(&term.key, local as u64).expect("terms are inserted once each, in sorted order");
    }
    let in_heads = under.clone().filter(|&i| lists.homes[i].is_some());
    ShardPart {
        first_ordinal: under.start as u64,
        df_classes: terms[under.clone()].iter().map(|t| df_class(t.df)).collect(),
        lists_start: lists.sequence_at[under.start],
        list_bytes: under
            .clone()
            .map(|i| if lists.homes[i].is_some() { 0 } else { terms[i].list.len() as u32 })
            .collect(),
        head_lists: in_heads
            .map(|i| ((i - under.start) as u32, lists.at[i].start, terms[i].list.len() as u32))
            .collect(),
        positions_start: positions[under.start],
        positions_bytes: under.map(|i| (positions[i + 1] - positions[i]) as u32).collect(),
        fst: map.into_inner().expect("an in-memory fst cannot fail to write"),
    }
}

/// The shortest start of `first` that sorts after `last` (which sorts
/// before `first`): it routes every key as `first` would, for fewer bytes
/// in the manifest.
fn separator(last: &str, first: &str) -> String {
    let ends = first.char_indices().map(|(at, c)| at + c.len_utf8());
    let end = ends.into_iter().find(|&end| &first[..end] > last).unwrap_or(first.len());
    first[..end].to_string()
}

/// A wide prefix's head, by term numbers: the keys it holds, and the
/// terms whose postings lists searching the prefix alone reads.
struct WideHead {
    prefix: String,
    keys: Vec<usize>,
    lists: Vec<usize>,
}

/// The heads of the wide prefixes: those of up to [`HEAD_MAX_LETTERS`]
/// letters whose keys span [`HEAD_MIN_SHARDS`] shards or more (`firsts`:
/// each shard's first key, as the manifest gives it), in key order.
fn wide_prefix_heads(terms: &[EncodedTerm], firsts: Vec<String>) -> Vec<WideHead> {
    let shards = Dictionary::new(firsts, Vec::new());
    let starts = list_starts(terms, |t| &t.list);
    let mut heads = Vec::new();
    for letters in 1..=HEAD_MAX_LETTERS {
        let mut start = 0;
        while start < terms.len() {
            let key = &terms[start].key;
            let prefix_end = key.char_indices().nth(letters - 1).map(|(at, c)| at + c.len_utf8());
            let Some(prefix) = prefix_end.map(|end| &key[..end]).filter(|prefix| !prefix.contains(STEM_MARK)) else {
                start += 1;
                continue;
            };
            let end = start + terms[start..].partition_point(|t| t.key.starts_with(prefix));
            if shards.shards_with_prefix(prefix).len() >= HEAD_MIN_SHARDS {
                heads.push(head(terms, &starts, prefix, start..end));
            }
            start = end;
        }
    }
    heads.sort_by(|a, b| a.prefix.cmp(&b.prefix));
    heads
}

/// The head of `prefix`, whose keys are `terms[under]`: what expanding it
/// reads from its shards (`search::expand`), that is the prefix and its stem
/// key, when they are keys, and its most frequent completions, ties in key
/// order, with one to spare for the prefix itself; and the lists that
/// searching the prefix alone reads (see [`head_lists`]).
fn head(terms: &[EncodedTerm], starts: &[u64], prefix: &str, under: Range<usize>) -> WideHead {
    let mut keys: Vec<usize> = under.clone().filter(|&i| !is_stem_key(&terms[i].key)).collect();
    keys.sort_by_key(|&i| std::cmp::Reverse(df_class(terms[i].df)));
    keys.truncate(MAX_PREFIX_EXPANSIONS + 1);
    if terms[under.start].key == prefix {
        keys.push(under.start);
    }
    let stem = stem_key(prefix.to_string());
    keys.extend(terms.binary_search_by(|t| t.key.as_str().cmp(&stem)).ok());
    keys.sort_unstable();
    keys.dedup();
    let lists = head_lists(terms, starts, prefix, &keys);
    WideHead { prefix: prefix.to_string(), keys, lists }
}

/// A head's file holds at most this many bytes of postings: a prefix that
/// reads more reads them by range, as any word does.
const HEAD_LIST_BYTES: u64 = 16 * 1024;

/// The terms whose postings lists searching `prefix` alone reads (`keys`:
/// its head's), by the search's rules (`reads`): the lists of its direct
/// matches (itself and its stem key), and of its completions, which are
/// optional where the direct matches are plentiful and then read only where
/// they lie near those, as they would in term order (`starts`, see
/// [`list_starts`]). None past [`HEAD_LIST_BYTES`], nor in a small segment,
/// whose postings are read whole.
fn head_lists(terms: &[EncodedTerm], starts: &[u64], prefix: &str, keys: &[usize]) -> Vec<usize> {
    if starts.last().is_some_and(|&end| end <= reads::SMALL_LISTS_BYTES) {
        return Vec::new();
    }
    let list = |i: usize| (0u8, starts[i]..starts[i + 1]);
    let stem = stem_key(prefix.to_string());
    let (direct, completions): (Vec<usize>, Vec<usize>) = keys
        .iter()
        .filter(|&&i| terms[i].key == stem || !is_stem_key(&terms[i].key))
        .partition(|&&i| terms[i].key == prefix || terms[i].key == stem);
    let plentiful = reads::plentiful(direct.iter().map(|&i| df_class(terms[i].df)));
    let mut read = direct;
    if !plentiful {
        read.extend(&completions);
    }
    let needed: Vec<Range<u64>> =
        reads::joined(read.iter().map(|&i| list(i)).collect()).into_iter().map(|(_, r)| r).collect();
    let near_needed = |i: &&usize| needed.iter().any(|n| reads::near(&list(**i).1, n));
    read.extend(completions.iter().filter(|i| plentiful && near_needed(i)));
    read.sort_unstable();
    read.dedup();
    if read.iter().map(|&i| terms[i].list.len() as u64).sum::<u64>() > HEAD_LIST_BYTES {
        return Vec::new();
    }
    read
}

/// Where each term's postings list lies in all postings files taken as
/// one: first the lists that no head's file holds, in term order, then
/// each head's file in turn. A list that several heads read lies in the
/// first one's (the shortest prefix's), a file its longer prefixes'
/// heads are fetched with.
struct ListPlaces {
    /// Per term, the head whose file holds its list.
    homes: Vec<Option<usize>>,
    /// Per term, its list's bytes.
    at: Vec<Range<u64>>,
    /// Per term, where the lists outside heads' files stand at it: its
    /// shard's `lists_start`, were it the shard's first.
    sequence_at: Vec<u64>,
    /// Per head, the terms whose lists its file holds, in term order.
    by_head: Vec<Vec<usize>>,
}

impl ListPlaces {
    fn new(terms: &[EncodedTerm], heads: &[WideHead]) -> ListPlaces {
        let mut homes = vec![None; terms.len()];
        for (n, head) in heads.iter().enumerate() {
            for &i in &head.lists {
                homes[i].get_or_insert(n);
            }
        }
        let mut by_head = vec![Vec::new(); heads.len()];
        let (mut at, mut sequence_at) = (vec![0..0; terms.len()], Vec::with_capacity(terms.len()));
        let mut end = 0u64;
        for (i, term) in terms.iter().enumerate() {
            sequence_at.push(end);
            match homes[i] {
                Some(n) => by_head[n].push(i),
                None => {
                    at[i] = end..end + term.list.len() as u64;
                    end = at[i].end;
                }
            }
        }
        for &i in by_head.iter().flatten() {
            at[i] = end..end + terms[i].list.len() as u64;
            end = at[i].end;
        }
        ListPlaces { homes, at, sequence_at, by_head }
    }

    /// The lists no head's file holds, in term order.
    fn in_sequence<'a>(&'a self, terms: &'a [EncodedTerm]) -> impl Iterator<Item = &'a [u8]> {
        terms.iter().zip(&self.homes).filter(|(_, home)| home.is_none()).map(|(t, _)| &t.list[..])
    }

    /// Each head's file: the lists it holds (empty for a head that holds none).
    fn head_files(&self, terms: &[EncodedTerm]) -> Vec<Vec<u8>> {
        self.by_head.iter().map(|lists| lists.iter().flat_map(|&i| terms[i].list.iter().copied()).collect()).collect()
    }
}

/// The lists of one kind, in order, cut into files `<stem>-<n>` at list
/// boundaries, each sealed and handed to `write` (name, bytes) once full;
/// returns the length of each file's lists.
pub(super) fn list_files<'a, E>(
    lists: impl Iterator<Item = &'a [u8]>,
    stem: &str,
    seal: &impl Fn(&str, Vec<u8>) -> (String, Vec<u8>),
    write: &mut impl FnMut(&str, Vec<u8>) -> Result<(), E>,
) -> Result<Vec<u64>, E> {
    let mut files = Vec::new();
    let mut named = |bytes: Vec<u8>| {
        files.push(bytes.len() as u64);
        let (file, sealed) = seal(&format!("{stem}-{}", files.len() - 1), bytes);
        write(&file, sealed)
    };
    let mut file: Option<Vec<u8>> = None;
    for list in lists {
        match &mut file {
            Some(file) if file.len() < LIST_FILE_BYTES => file.extend_from_slice(list),
            _ => {
                if let Some(full) = file.replace(list.to_vec()) {
                    named(full)?;
                }
            }
        }
    }
    if let Some(last) = file {
        named(last)?;
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::separator;

    #[test]
    fn a_separator_is_the_shortest_start_of_the_first_key_past_the_last() {
        assert_eq!(separator("ahvolini", "ajablanmasligini"), "aj");
        assert_eq!(separator("abc", "abd"), "abd");
        assert_eq!(separator("ab", "abc"), "abc");
        assert_eq!(separator("secur\u{1}", "security"), "securi");
        assert_eq!(separator("мирзиёев", "мирзо"), "мирзо");
        assert_eq!(separator("мир", "миф"), "миф");
        assert_eq!(separator("", "b"), "b");
    }
}
