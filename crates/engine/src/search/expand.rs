//! Expanding a query word to the dictionary keys it matches, and how well.

use rustc_hash::FxHashSet;

use fst::automaton::{Automaton, Str};

use crate::analysis::{fold_word, key_of, letters_of, switch_layout};
use crate::index::dictionary::{Dictionary, Term};
use crate::index::reads::{self, MAX_PREFIX_EXPANSIONS};
use crate::index::{is_stem_key, stem_key, STEM_MARK};
use crate::query::{Query, QueryWord, Source};

mod typo;

use typo::LetterLevenshtein;

/// Match quality, multiplied into the score: exact > stem > prefix > fuzzy.
/// (Transliterated matches are scored per document; see `ranking`.)
pub const EXACT: f32 = 1.0;
pub const STEM: f32 = 0.8;
pub const PREFIX: f32 = 0.7;
/// A word typed in the wrong keyboard layout, once switched.
pub const LAYOUT: f32 = 0.9;
pub const FUZZY_1: f32 = 0.4;
pub const FUZZY_2: f32 = 0.3;

/// Typo expansions kept per word, the most frequent first.
const MAX_FUZZY_EXPANSIONS: usize = 16;
/// Keys a fuzzy prefix search may visit before it stops.
const MAX_FUZZY_PREFIX_SCAN: usize = 4096;
/// Leading letters of a word where a typo costs two edits.
const FIRM_LETTERS: usize = 1;

/// A dictionary key a query word matched.
#[derive(Clone, Debug, PartialEq)]
pub struct Expansion {
    /// The key, without the stem mark.
    pub key: String,
    pub is_stem: bool,
    pub term: Term,
    pub quality: f32,
    /// A typo guess for a word that also matched directly: worth scoring
    /// only when its postings list lies next to lists fetched anyway.
    pub optional: bool,
    /// A typo guess, not the word as typed, its stem or a completion.
    pub typo: bool,
    /// The segment whose dictionary holds the key.
    pub segment: usize,
}

/// Everything one query word matched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WordMatch {
    pub expansions: Vec<Expansion>,
    /// Matched only through a typo or a keyboard-layout correction.
    pub corrected: bool,
    /// The word as switched to the other keyboard layout, when that is what matched.
    pub layout: Option<QueryWord>,
}

/// One word's matches in each segment (by number) as one: a word that
/// matched directly in some segment is not corrected in the others, as one
/// dictionary over all of them would not have corrected it; else the
/// corrections, a keyboard-layout reading before typo guesses.
pub fn combine(found: Vec<(usize, WordMatch)>) -> WordMatch {
    let direct = found.iter().any(|(_, m)| !m.corrected && !m.expansions.is_empty());
    let layout = if direct { None } else { found.iter().find_map(|(_, m)| m.layout.clone()) };
    let mut combined = WordMatch { expansions: Vec::new(), corrected: false, layout };
    for (segment, matched) in found {
        let wanted = if direct { !matched.corrected } else { matched.layout == combined.layout };
        if wanted {
            combined.expansions.extend(matched.expansions.into_iter().map(|e| Expansion { segment, ..e }));
        }
    }
    combined.corrected = !direct && !combined.expansions.is_empty();
    combined
}

/// What a word that matched only through a correction was corrected to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Correction {
    /// Read in the other keyboard layout: the word as switched.
    Layout(String),
    /// A typo: the key of its closest guess, the most frequent of those; a
    /// stem key when `stem`.
    Typo { key: String, stem: bool },
}

impl WordMatch {
    /// What the word was corrected to, if it matched only through a
    /// correction. It depends on the dictionary alone, not on which results
    /// are shown, so every caller spells the same correction.
    pub fn correction(&self) -> Option<Correction> {
        if !self.corrected {
            return None;
        }
        if let Some(switched) = &self.layout {
            return Some(Correction::Layout(switched.text.clone()));
        }
        let closest = |a: &&Expansion, b: &&Expansion| {
            a.quality
                .total_cmp(&b.quality)
                .then(b.is_stem.cmp(&a.is_stem))
                .then(a.term.df_class.cmp(&b.term.df_class))
                .then(b.key.cmp(&a.key))
        };
        let best = self.expansions.iter().max_by(closest)?;
        Some(Correction::Typo { key: best.key.clone(), stem: best.is_stem })
    }
}

/// How many typos a word of `letters` letters (in its own script) may carry.
pub fn typo_budget(letters: usize) -> u8 {
    match letters {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// A word's expansions, or the dictionary parts still needed to expand it.
pub enum Expanded {
    Match(WordMatch),
    Need(Vec<DictPart>),
}

/// A part of the dictionary, by its place in the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DictPart {
    Shard(usize),
    Head(usize),
}

pub fn expand(dictionary: &Dictionary, word: &QueryWord) -> Expanded {
    if let Some(n) = head_for(dictionary, word) {
        return match dictionary.head(n) {
            Some(head) => {
                Expanded::Match(WordMatch { expansions: from_head(head, word), corrected: false, layout: None })
            }
            None => Expanded::Need(vec![DictPart::Head(n)]),
        };
    }
    let own = sorted(direct_shards(dictionary, word));
    if let Some(missing) = missing(dictionary, own.iter().copied()) {
        return Expanded::Need(missing);
    }
    let found = direct(dictionary, word, 1.0);
    if !found.is_empty() {
        // A word that already finds many articles gains little from typo
        // guesses: they come from its own shards and are scored only if
        // their postings come for free. A rare word (a name, often) looks
        // wider, since spelling variants are how its articles are found.
        let plentiful = plentiful(&found);
        let shards = if plentiful { own } else { typo_shards(dictionary, word, own) };
        if let Some(missing) = missing(dictionary, shards.iter().copied()) {
            return Expanded::Need(missing);
        }
        let guesses = fuzzy(dictionary, word, &shards, &found);
        let mut expansions = found;
        expansions.extend(guesses.into_iter().map(|e| Expansion { optional: plentiful, ..e }));
        return Expanded::Match(WordMatch { expansions, corrected: false, layout: None });
    }
    // Nothing matched as typed: a word typed in the other keyboard layout,
    // or a typo. Both need more shards; fetch them together.
    let switched = switched_layout(word);
    let layout_shards = switched.iter().flat_map(|switched| direct_shards(dictionary, switched));
    let shards = typo_shards(dictionary, word, own);
    if let Some(missing) = missing(dictionary, layout_shards.chain(shards.iter().copied())) {
        return Expanded::Need(missing);
    }
    if let Some(matched) = switched.and_then(|switched| switched_match(dictionary, switched)) {
        return Expanded::Match(matched);
    }
    let expansions = fuzzy(dictionary, word, &shards, &[]);
    let corrected = !expansions.is_empty();
    Expanded::Match(WordMatch { expansions, corrected, layout: None })
}

/// A run of keys read only in the other keyboard layout (see
/// [`crate::query::LayoutRun`]): its expansions there, or none.
pub fn expand_layout(dictionary: &Dictionary, run: &QueryWord) -> Expanded {
    let Some(switched) = switched_layout(run) else { return Expanded::Match(WordMatch::default()) };
    if let Some(missing) = missing(dictionary, direct_shards(dictionary, &switched).into_iter()) {
        return Expanded::Need(missing);
    }
    Expanded::Match(switched_match(dictionary, switched).unwrap_or_default())
}

/// `query` with the runs that matched in the other layout (`runs`: index
/// into `query.runs`, and what it matched) each read as one word, and
/// `matches` (the plain words', then the excluded words') lined up with it.
pub fn read_runs(query: &Query, mut matches: Vec<WordMatch>, runs: &[(usize, WordMatch)]) -> (Query, Vec<WordMatch>) {
    let (reading, sources) = query.with_runs_read(&runs.iter().map(|(r, _)| *r).collect::<Vec<_>>());
    let excluded = matches.split_off(query.words.len());
    let read = sources.iter().filter_map(|&source| match source {
        Source::Word(i) => matches.get(i).cloned(),
        Source::Run(r) => runs.iter().find(|(at, _)| *at == r).map(|(_, m)| m.clone()),
    });
    (reading, read.chain(excluded).collect())
}

/// What the word `switched` from the other layout matches, if anything;
/// its shards are loaded.
fn switched_match(dictionary: &Dictionary, switched: QueryWord) -> Option<WordMatch> {
    let mut expansions = direct(dictionary, &switched, LAYOUT);
    if expansions.is_empty() {
        return None;
    }
    // The switched word may carry a typo of its own (`kfdhjd` is
    // Лавров; an article that cut it to Лавро is a typo away).
    let own = sorted(direct_shards(dictionary, &switched));
    let typos = fuzzy(dictionary, &switched, &own, &expansions);
    expansions.extend(typos);
    Some(WordMatch { expansions, corrected: true, layout: Some(switched) })
}

/// The head that expands `word` just as its shards would: a prefix with a
/// head, too short for typos, whose stems are itself.
fn head_for(dictionary: &Dictionary, word: &QueryWord) -> Option<usize> {
    let plain = word.prefix && typo_budget(word.folded.chars().count()) == 0;
    dictionary.head_of(&word.key).filter(|_| plain && word.stems.iter().all(|stem| *stem == word.key))
}

/// The word keys starting with `word`'s key (itself included), from the
/// loaded parts that expand it: its head, else its shards; at most `cap`.
pub fn keys_under(dictionary: &Dictionary, word: &QueryWord, cap: usize) -> Vec<(String, Term)> {
    if let Some(head) = head_for(dictionary, word).and_then(|n| dictionary.head(n)) {
        let under = head.iter().filter(|(key, _)| key.starts_with(word.key.as_str()) && !is_stem_key(key));
        return under.take(cap).cloned().collect();
    }
    let automaton = Str::new(&word.key).starts_with().intersection(KeyKind::Words);
    dictionary.search(automaton, dictionary.shards_with_prefix(&word.key), cap)
}

/// [`direct`] over a head (see [`head_for`]): no typo guesses, since the
/// word is too short for them.
fn from_head(head: &[(String, Term)], word: &QueryWord) -> Vec<Expansion> {
    let get = |key: &str| head.iter().find(|(k, _)| k == key).map(|&(_, term)| term);
    let completions = |seen: &mut FxHashSet<Term>| {
        let completes = |key: &String| key.starts_with(word.key.as_str()) && !is_stem_key(key);
        let under = head.iter().filter(|(key, term)| completes(key) && seen.insert(*term));
        under.map(|(key, term)| Candidate { key: key.clone(), is_stem: false, term: *term }).collect()
    };
    matched(word, 1.0, &get, &completions)
}

/// Where typos of `word` are looked for: every key sharing its first
/// letter, or a letter that transliteration confuses with it (Russian Х is
/// `x`, Uzbek Ҳ is `h`), plus its `own` shards. Other first-letter typos are
/// not guessed: they would need the whole dictionary.
fn typo_shards(dictionary: &Dictionary, word: &QueryWord, own: Vec<usize>) -> Vec<usize> {
    let mut shards = own;
    if typo_budget(word.folded.chars().count()) > 0 {
        // Word keys near the word, and stem keys near its stems (stem keys
        // sort among the words).
        for key in std::iter::once(&word.key).chain(&word.stems) {
            let Some(first) = key.chars().next() else { continue };
            let twin = FIRST_LETTER_TWINS.iter().find(|(a, _)| *a == first).map(|&(_, b)| b);
            for letter in std::iter::once(first).chain(twin) {
                shards.extend(dictionary.shards_with_prefix(letter.encode_utf8(&mut [0; 4])));
            }
        }
    }
    sorted(shards)
}

/// First letters that spell the same sound in different romanisations.
const FIRST_LETTER_TWINS: [(char, char); 6] = [('h', 'x'), ('x', 'h'), ('k', 'q'), ('q', 'k'), ('e', 'y'), ('y', 'e')];

fn sorted(mut shards: Vec<usize>) -> Vec<usize> {
    shards.sort_unstable();
    shards.dedup();
    shards
}

/// The shards not loaded yet among `shards`, or `None` when all are.
fn missing(dictionary: &Dictionary, shards: impl Iterator<Item = usize>) -> Option<Vec<DictPart>> {
    let missing = sorted(shards.filter(|&n| !dictionary.is_loaded(n)).collect());
    (!missing.is_empty()).then(|| missing.into_iter().map(DictPart::Shard).collect())
}

/// The shards [`direct`] looks in for `word`.
fn direct_shards(dictionary: &Dictionary, word: &QueryWord) -> Vec<usize> {
    let mut shards = vec![dictionary.shard_of(&word.key), dictionary.shard_of(&stem_key(word.key.clone()))];
    for stem in &word.stems {
        shards.push(dictionary.shard_of(stem));
        shards.push(dictionary.shard_of(&stem_key(stem.clone())));
    }
    if word.prefix {
        shards.extend(dictionary.shards_with_prefix(&word.key));
    }
    shards
}

/// Exact key, stems (in both key spaces), and prefix completions.
fn direct(dictionary: &Dictionary, word: &QueryWord, scale: f32) -> Vec<Expansion> {
    let completions = |seen: &mut FxHashSet<Term>| {
        let shards: Vec<usize> = dictionary.shards_with_prefix(&word.key).collect();
        candidates(
            dictionary,
            Str::new(&word.key).starts_with().intersection(KeyKind::Words),
            &shards,
            usize::MAX,
            seen,
        )
    };
    matched(word, scale, &|key| dictionary.get(key), &completions)
}

/// [`direct`], given how to look a key up and how to list the word's
/// completions (not in `seen`, to which they are added).
fn matched(
    word: &QueryWord,
    scale: f32,
    get: &dyn Fn(&str) -> Option<Term>,
    completions: &dyn Fn(&mut FxHashSet<Term>) -> Vec<Candidate>,
) -> Vec<Expansion> {
    let mut found = Vec::new();
    let mut add = |key: &str, is_stem: bool, quality: f32| {
        let lookup = if is_stem { stem_key(key.to_string()) } else { key.to_string() };
        if let Some(term) = get(&lookup) {
            if !found.iter().any(|e: &Expansion| e.term == term) {
                found.push(Expansion {
                    key: key.to_string(),
                    is_stem,
                    term,
                    quality: quality * scale,
                    optional: false,
                    segment: 0,
                    typo: false,
                });
            }
        }
    };
    add(&word.key, false, EXACT);
    // Articles whose words stem to this word (`toshkent` finds `Toshkentdagi`),
    // and the word's own stems, as stems and as whole words.
    add(&word.key, true, STEM);
    for stem in &word.stems {
        add(stem, true, STEM);
        add(stem, false, STEM);
    }
    if word.prefix {
        let mut seen = found.iter().map(|e| e.term).collect();
        let completions = completions(&mut seen);
        // A word typed out in full that already finds many articles (its
        // inflections come through its stem) needs its completions only
        // where their postings come for free.
        let optional = plentiful(&found);
        let completions = most_frequent(completions, MAX_PREFIX_EXPANSIONS, PREFIX * scale, false);
        found.extend(completions.map(|e| Expansion { optional, ..e }));
    }
    found
}

/// Whether direct matches find enough articles that guesses may be skipped.
fn plentiful(found: &[Expansion]) -> bool {
    reads::plentiful(found.iter().map(|e| e.term.df_class))
}

/// Keys in `shards` within the word's typo budget, not already matched
/// directly: word keys near the word, and stem keys near its stems (an
/// inflected word with a typo, `землятресение`, meets the stem of
/// `землетрясения`). The budget follows the word's length in its own
/// script, and edits are counted in letters, so a Cyrillic word is as
/// typo-tolerant as its Latin twin.
fn fuzzy(dictionary: &Dictionary, word: &QueryWord, shards: &[usize], known: &[Expansion]) -> Vec<Expansion> {
    let mut seen: FxHashSet<Term> = known.iter().map(|e| e.term).collect();
    let mut found = Vec::new();
    for distance in 1..=typo_budget(word.folded.chars().count()) {
        let typos = LetterLevenshtein::new(&word.key, distance, FIRM_LETTERS);
        let candidates = if word.prefix {
            let automaton = typos.prefixes().intersection(KeyKind::Words);
            candidates(dictionary, automaton, shards, MAX_FUZZY_PREFIX_SCAN, &mut seen)
        } else {
            candidates(dictionary, typos.intersection(KeyKind::Words), shards, usize::MAX, &mut seen)
        };
        found.extend(most_frequent(candidates, MAX_FUZZY_EXPANSIONS, fuzzy_quality(distance), true));
    }
    for stem in &word.stems {
        for distance in 1..=typo_budget(letters_of(stem).len()) {
            // The mark ends the key, and must be there.
            let typos = LetterLevenshtein::new(&stem_key(stem.clone()), distance, FIRM_LETTERS);
            let candidates = candidates(dictionary, typos.intersection(KeyKind::Stems), shards, usize::MAX, &mut seen);
            found.extend(most_frequent(candidates, MAX_FUZZY_EXPANSIONS, fuzzy_quality(distance), true));
        }
    }
    found
}

/// Accepts the keys of one kind: stem keys (ending in [`STEM_MARK`]) or
/// word keys (the rest). With [`LetterLevenshtein::prefixes`], it makes every
/// typo search one automaton type (see there).
#[derive(Clone, Copy)]
enum KeyKind {
    Words,
    Stems,
}

impl Automaton for KeyKind {
    /// Whether the mark has been read.
    type State = bool;

    fn start(&self) -> bool {
        false
    }

    fn is_match(&self, marked: &bool) -> bool {
        *marked == matches!(self, KeyKind::Stems)
    }

    fn can_match(&self, marked: &bool) -> bool {
        !*marked || matches!(self, KeyKind::Stems)
    }

    fn accept(&self, marked: &bool, byte: u8) -> bool {
        *marked || byte == STEM_MARK as u8
    }
}

fn fuzzy_quality(distance: u8) -> f32 {
    if distance == 1 {
        FUZZY_1
    } else {
        FUZZY_2
    }
}

/// A key that may join a word's expansions.
struct Candidate {
    /// The key, without the stem mark.
    key: String,
    is_stem: bool,
    term: Term,
}

/// The keys in `shards` that `automaton` accepts and that are not in
/// `seen` (to which they are added), stopping after `scan_cap` keys.
fn candidates<A: Automaton>(
    dictionary: &Dictionary,
    automaton: A,
    shards: &[usize],
    scan_cap: usize,
    seen: &mut FxHashSet<Term>,
) -> Vec<Candidate> {
    let found = dictionary.search(automaton, shards.iter().copied(), scan_cap);
    found
        .into_iter()
        .filter(|(_, term)| seen.insert(*term))
        .map(|(key, term)| match key.strip_suffix(STEM_MARK) {
            Some(stem) => Candidate { key: stem.to_string(), is_stem: true, term },
            None => Candidate { key, is_stem: false, term },
        })
        .collect()
}

/// The `limit` most frequent candidates as expansions of `quality` (typo
/// guesses when `typo`); ties in key order.
fn most_frequent(
    mut candidates: Vec<Candidate>,
    limit: usize,
    quality: f32,
    typo: bool,
) -> impl Iterator<Item = Expansion> {
    candidates.sort_unstable_by(|a, b| {
        b.term.df_class.cmp(&a.term.df_class).then_with(|| a.key.cmp(&b.key)).then(b.is_stem.cmp(&a.is_stem))
    });
    candidates.into_iter().take(limit).map(move |c| Expansion {
        key: c.key,
        is_stem: c.is_stem,
        term: c.term,
        quality,
        optional: false,
        segment: 0,
        typo,
    })
}

/// The word read in the other keyboard layout, analysed like typed input.
/// The keys are read as typed: folding drops the backquote and apostrophe
/// keys, which are ё and э.
fn switched_layout(word: &QueryWord) -> Option<QueryWord> {
    let switched = switch_layout(&word.text)?;
    let mut folded = String::new();
    fold_word(&switched, &mut folded);
    let key = key_of(&folded);
    Some(QueryWord::new(&switched, folded, key, word.prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_budget_grows_with_length() {
        assert_eq!(typo_budget(4), 0);
        assert_eq!(typo_budget(6), 1);
        assert_eq!(typo_budget(8), 2);
        assert_eq!(typo_budget(10), 2);
    }
}
