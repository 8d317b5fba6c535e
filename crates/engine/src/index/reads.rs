//! How a search reads lists, as far as the builder must know it: a head's
//! own postings file holds the lists its bare prefix reads, so that one
//! round trip answers a visitor's first letters, unless its segment's lists
//! are read whole anyway. The search (`search::expand`, `Searcher::lists_to_load`,
//! `ListFiles`) reads by these rules; the builder mirrors them.

use std::ops::Range;

use super::dictionary::df_class;

/// A prefix expands to at most this many keys, the most frequent first:
/// enough for any real completion, bounded for one-letter prefixes.
pub const MAX_PREFIX_EXPANSIONS: usize = 48;
/// Direct matches in this many documents make typo guesses and completions
/// optional: read only where their lists lie next to needed ones.
pub const PLENTIFUL_DF: usize = 30;
/// Postings lists at most this many bytes apart are read in one range: a
/// request costs more than the bytes between them.
pub const LIST_GAP_BYTES: u64 = 1024;
/// A segment's lists of a kind that take at most this many bytes in all are
/// read whole, file by file: a segment of a dozen articles or fewer (about
/// 2.5 KB of postings each). At a phone's 1.6 Mbit/s they take about the
/// 150 ms of the round trip that reading them whole saves.
pub const SMALL_LISTS_BYTES: u64 = 32 * 1024;

/// Whether direct matches of these document-frequency classes find enough
/// articles that guesses and completions may be skipped.
pub fn plentiful(df_classes: impl IntoIterator<Item = u8>) -> bool {
    df_classes.into_iter().max() >= Some(df_class(PLENTIFUL_DF))
}

/// Whether `list` lies within [`LIST_GAP_BYTES`] of `needed`.
pub fn near(list: &Range<u64>, needed: &Range<u64>) -> bool {
    list.start <= needed.end + LIST_GAP_BYTES && needed.start <= list.end + LIST_GAP_BYTES
}

/// `ranges` (each tagged, by a segment say) sorted, with those of one tag
/// less than [`LIST_GAP_BYTES`] apart joined: the ranges requested.
pub fn joined<T: Copy + Ord>(mut ranges: Vec<(T, Range<u64>)>) -> Vec<(T, Range<u64>)> {
    ranges.sort_unstable_by_key(|(tag, r)| (*tag, r.start, r.end));
    let mut joined: Vec<(T, Range<u64>)> = Vec::with_capacity(ranges.len());
    for (tag, range) in ranges {
        match joined.last_mut() {
            Some((t, last)) if *t == tag && range.start <= last.end + LIST_GAP_BYTES => {
                last.end = last.end.max(range.end)
            }
            _ => joined.push((tag, range)),
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_join_within_the_gap_and_per_tag() {
        let gap = LIST_GAP_BYTES;
        let ranges =
            vec![(0, 10..20), (1, 20..30), (0, 20 + gap..40 + gap), (0, 41 + 2 * gap..50 + 2 * gap), (0, 12..15)];
        assert_eq!(joined(ranges), vec![(0, 10..40 + gap), (0, 41 + 2 * gap..50 + 2 * gap), (1, 20..30)]);
    }

    #[test]
    fn near_is_within_the_gap_on_either_side() {
        let needed = [4000..4500, 5000..6000];
        let near_any = |list: Range<u64>| needed.iter().any(|n| near(&list, n));
        assert!(near_any(6000 + LIST_GAP_BYTES..7000 + LIST_GAP_BYTES));
        assert!(near_any(4500 + LIST_GAP_BYTES..4800 + LIST_GAP_BYTES));
        assert!(!near_any(6001 + LIST_GAP_BYTES..7000 + LIST_GAP_BYTES));
        assert!(!near_any(0..3999 - LIST_GAP_BYTES));
    }

    #[test]
    fn plenty_starts_at_its_class() {
        assert!(plentiful([df_class(1), df_class(PLENTIFUL_DF)]));
        assert!(!plentiful([df_class(PLENTIFUL_DF / 2)]));
        assert!(!plentiful([]));
    }
}
