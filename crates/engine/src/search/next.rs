//! What the visitor's next keystroke will likely ask for: the parts a
//! caller can fetch while they type, so that keystroke waits on fewer
//! dependent round trips (a phone's each cost 150 ms or more).

use crate::analysis::stems_of;
use crate::query::{Query, QueryWord};

use super::expand::keys_under;
use super::segment::Slot;
use super::{PartRequest, SearchOptions, Searcher, Step};

/// Next keystrokes whose dictionary parts are fetched ahead: they are
/// small, and a wrong guess at the next letter costs a round trip.
const WIDE: usize = 8;
/// ... and whose postings and store slots are: those weigh kilobytes each.
const DEEP: usize = 2;
/// Keys read under the typed word to weigh its next letters.
const KEYS_READ: usize = 4096;
/// What a whole dictionary shard or head weighs, as a guess: the manifest
/// gives no sizes of these parts (shards run 2–4 KiB, heads about 1).
const SHARD_BYTES: u64 = 3 * 1024;
const HEAD_BYTES: u64 = 1024;

impl Searcher {
    /// The parts that the likeliest next keystrokes after `query` (its last
    /// word one letter longer, or ended by a space; or a new word's first
    /// letter) would wait for next and that are not loaded: dictionary
    /// parts first, then the likeliest keystrokes' postings or store slots,
    /// at most `max_bytes` (whole parts by an estimate). Asked again once they are
    /// loaded, it names the step after (the store slots of those
    /// keystrokes' hits, say); empty when nothing more is needed.
    pub fn likely_next_parts(&self, query: &Query, options: &SearchOptions, max_bytes: u64) -> Vec<PartRequest> {
        // Dictionary parts (whole) for the likeliest few; ranges for the likeliest two.
        let (mut wide, mut deep) = (Vec::new(), Vec::new());
        // Past WIDE a guess is never fetched for: it is not searched either.
        for (rank, (next, weighed)) in self.next_queries(query).into_iter().take(WIDE).enumerate() {
            let step = self.next_step(&next, options);
            if step.iter().all(|part| part.range.is_none()) {
                wide.extend(step);
            } else if weighed && rank < DEEP {
                deep.extend(step);
            }
        }
        let mut parts: Vec<PartRequest> = Vec::new();
        let mut bytes = 0;
        for part in wide.into_iter().chain(deep) {
            let size = self.estimated_bytes(&part);
            if bytes + size <= max_bytes && !parts.contains(&part) {
                bytes += size;
                parts.push(part);
            }
        }
        parts
    }

    /// What `query`'s search waits for next: parts to rank, else the store
    /// slots of its hits; nothing once it could be shown.
    fn next_step(&self, query: &Query, options: &SearchOptions) -> Vec<PartRequest> {
        match self.search(query, options) {
            Ok(Step::Need(parts)) => parts,
            Ok(Step::Ready(found)) => self.slots_to_load(&found, options.limit),
            // The keystroke itself will meet and report the failure.
            Err(_) => Vec::new(),
        }
    }

    /// `query` after its likeliest next keystrokes, likeliest first, each
    /// with whether that is weighed: a letter is as likely as the documents
    /// the keys it leads to hold, and a space as those of the word as typed.
    /// After a word that is not being typed (a space, a phrase), or in an
    /// empty box, a new word's first letter, each with a head, unweighed and
    /// likeliest first (see [`Searcher::first_letters`]). None when the last
    /// word's parts are not loaded.
    fn next_queries(&self, query: &Query) -> Vec<(Query, bool)> {
        let Some(word) = query.words.last().filter(|w| w.prefix) else {
            let script = query.words.last().map(|w| w.script);
            return self
                .first_letters()
                .into_iter()
                .map(|letter| {
                    let mut next = query.clone();
                    let mut word = QueryWord::new(letter, letter.clone(), letter.clone(), true);
                    word.script = script.unwrap_or(word.script);
                    next.words.push(word);
                    (next, false)
                })
                .collect();
        };
        // Per next letter (`None`: the word ends), its weight.
        let mut next: Vec<(Option<char>, f64)> = Vec::new();
        for segment in &self.segments {
            for (key, term) in keys_under(&segment.dictionary, word, KEYS_READ) {
                let letter = key[word.key.len()..].chars().next();
                let documents = 1.1f64.powi(i32::from(term.df_class));
                match next.iter_mut().find(|(l, _)| *l == letter) {
                    Some((_, weight)) => *weight += documents,
                    None => next.push((letter, documents)),
                }
            }
        }
        next.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let queries = next.into_iter().take(WIDE).map(|(letter, _)| {
            let mut next = query.clone();
            // The layout runs stand for the words as typed, which change.
            next.runs.clear();
            let last = next.words.last_mut().expect("the query has a last word");
            match letter {
                Some(letter) => *last = longer(last, letter),
                None => last.prefix = false,
            }
            (next, true)
        });
        queries.collect()
    }

    /// The letters a head stands for, the likeliest start of a new word
    /// first: a letter is as likely as the share of the dictionary its keys
    /// take, which the shards' starts measure without loading any (a
    /// language's common word starts span many shards, its rare ones part
    /// of one). Ties, as in a small index, go in key order.
    fn first_letters(&self) -> Vec<&String> {
        let mut letters: Vec<(&String, usize)> = Vec::new();
        for segment in &self.segments {
            let heads = segment.parts.heads.iter().map(|(prefix, _)| prefix);
            for letter in heads.filter(|prefix| prefix.chars().count() == 1) {
                let shards = segment.parts.dictionary.iter().filter(|(start, _)| start.starts_with(letter.as_str()));
                let shards = shards.count();
                match letters.iter_mut().find(|(l, _)| *l == letter) {
                    Some((_, weight)) => *weight += shards,
                    None => letters.push((letter, shards)),
                }
            }
        }
        letters.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        letters.into_iter().map(|(letter, _)| letter).collect()
    }

    /// The bytes `part` asks for: its range, a whole list file's length,
    /// or an estimate of a whole dictionary part.
    fn estimated_bytes(&self, part: &PartRequest) -> u64 {
        if let Some(range) = &part.range {
            return range.end - range.start;
        }
        match self.slots.binary_search_by(|(name, _)| name.cmp(&part.name)).map(|at| self.slots[at].1) {
            Ok((segment, Slot::List(kind, n))) => self.segments[segment].list_file_bytes(kind, n),
            Ok((_, Slot::Head(_))) => HEAD_BYTES,
            _ => SHARD_BYTES,
        }
    }
}

/// `word` typed one letter further, `letter` being the next one of its key:
/// in its script, that letter is spelt as the key spells it, which is exact
/// for Latin and near enough for a guess otherwise.
fn longer(word: &QueryWord, letter: char) -> QueryWord {
    let (key, folded) = (format!("{}{letter}", word.key), format!("{}{letter}", word.folded));
    QueryWord {
        text: format!("{}{letter}", word.text),
        stems: stems_of(&folded, &key, None),
        folded,
        key,
        script: word.script,
        prefix: true,
    }
}
