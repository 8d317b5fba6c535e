//! Building an index in memory: documents in, named parts out.

use std::collections::{BTreeMap, HashMap};

use super::doc_table::{DocStats, DocTable};
use super::manifest::{Manifest, Parts, FORMAT_NAME, FORMAT_VERSION};
use super::part::{encode, part_name};
use super::postings::{encode_list, Posting};
use super::store::{stored_text, StoreChunk, StoredDoc, Translation};
use super::DocId;
use crate::analysis::{stems_of, tokenize};
use crate::index::stem_key;
use crate::{Date, Lang};

/// Documents per store chunk: a result page needs few chunks, and a chunk
/// stays a few dozen kilobytes.
pub const STORE_CHUNK_DOCS: u32 = 64;

/// A validated article, ready to index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub id: String,
    pub url: String,
    pub lang: Lang,
    pub title: String,
    pub date: Option<Date>,
    /// Plain text.
    pub body: String,
    /// The translation group: documents sharing it (or whose id it is) tell
    /// the same story in other languages (`translation_of` in the corpus).
    pub group: Option<String>,
}

/// Accumulates documents; [`IndexBuilder::finish`] writes the parts.
#[derive(Default)]
pub struct IndexBuilder {
    postings: HashMap<String, Vec<Posting>>,
    stats: Vec<(DocStats, Lang)>,
    stored: Vec<StoredDoc>,
    /// Each document's translation group key.
    groups: Vec<String>,
    /// Stem keys of each (folded word, language) seen: stemming is the
    /// costly step, and a corpus repeats its vocabulary endlessly.
    stems: HashMap<(String, Lang), Vec<String>>,
}

/// A finished index: the manifest and every part's name and bytes.
pub struct BuiltIndex {
    pub manifest: Manifest,
    /// `(file name, bytes)`, in the manifest's part order.
    pub parts: Vec<(String, Vec<u8>)>,
}

impl IndexBuilder {
    pub fn new() -> IndexBuilder {
        IndexBuilder::default()
    }

    /// Adds a document; ids are assigned in the order documents are added.
    pub fn add(&mut self, doc: Document) -> DocId {
        let id = self.stats.len() as DocId;
        self.groups.push(doc.group.clone().unwrap_or_else(|| doc.id.clone()));
        let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
        let title_tokens = tokenize(&doc.title);
        let body_tokens = tokenize(&doc.body);
        for (tokens, in_title) in [(&title_tokens, true), (&body_tokens, false)] {
            for token in tokens {
                let stems = self.stems.entry((token.folded.clone(), doc.lang.clone())).or_insert_with(|| {
                    stems_of(&token.folded, &token.key, Some(&doc.lang)).into_iter().map(stem_key).collect()
                });
                for key in std::iter::once(&token.key).chain(stems.iter()) {
                    let count = counts.entry(key.clone()).or_default();
                    if in_title {
                        count.0 += 1;
                    } else {
                        count.1 += 1;
                    }
                }
            }
        }
        for (term, (title_tf, body_tf)) in counts {
            self.postings.entry(term).or_default().push(Posting { doc: id, title_tf, body_tf });
        }
        let stats = DocStats {
            title_len: title_tokens.len() as u32,
            body_len: body_tokens.len() as u32,
            day: doc.date.map(Date::days_since_epoch),
            lang: 0,
        };
        self.stats.push((stats, doc.lang.clone()));
        self.stored.push(StoredDoc {
            id: doc.id,
            url: doc.url,
            title: doc.title,
            lang: doc.lang.tag().to_string(),
            date: doc.date.map(|d| d.to_string()),
            text: stored_text(&doc.body),
            translations: Vec::new(),
        });
        id
    }

    /// Encodes every part. The output depends only on the documents and
    /// their order, so equal input gives byte-identical parts.
    pub fn finish(mut self) -> BuiltIndex {
        link_translations(&mut self.stored, &self.groups);
        let (terms, postings, term_count) = encode_terms(self.postings);
        let (table, languages) = encode_table(self.stats);
        let mut parts = vec![
            (part_name("terms", "fst", &terms), terms),
            (part_name("postings", "bin", &postings), postings),
            (part_name("docs", "bin", &table), table),
        ];
        let mut first_doc = 0;
        for (n, docs) in self.stored.chunks(STORE_CHUNK_DOCS as usize).enumerate() {
            let chunk = encode(&StoreChunk { first_doc, docs: docs.to_vec() });
            first_doc += docs.len() as DocId;
            parts.push((part_name(&format!("store-{n}"), "bin", &chunk), chunk));
        }
        let names: Vec<String> = parts.iter().map(|(name, _)| name.clone()).collect();
        let manifest = Manifest {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION,
            build_id: format!("{:016x}", xxhash_rust::xxh3::xxh3_64(names.join("\n").as_bytes())),
            documents: first_doc,
            terms: term_count,
            languages,
            store_chunk_docs: STORE_CHUNK_DOCS,
            parts: Parts {
                terms: names[0].clone(),
                postings: names[1].clone(),
                docs: names[2].clone(),
                store: names[3..].to_vec(),
            },
        };
        BuiltIndex { manifest, parts }
    }
}

/// Gives every document the languages and urls of the others in its group.
fn link_translations(stored: &mut [StoredDoc], groups: &[String]) {
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (doc, group) in groups.iter().enumerate() {
        members.entry(group).or_default().push(doc);
    }
    for docs in members.values().filter(|docs| docs.len() > 1) {
        for &doc in docs {
            let mut translations: Vec<Translation> = docs
                .iter()
                .filter(|&&other| {
                    other != doc && !stored[other].url.is_empty() && stored[other].lang != stored[doc].lang
                })
                .map(|&other| Translation { lang: stored[other].lang.clone(), url: stored[other].url.clone() })
                .collect();
            translations.sort_by(|a, b| a.lang.cmp(&b.lang).then_with(|| a.url.cmp(&b.url)));
            stored[doc].translations = translations;
        }
    }
}

fn encode_terms(postings: HashMap<String, Vec<Posting>>) -> (Vec<u8>, Vec<u8>, u64) {
    let sorted: BTreeMap<String, Vec<Posting>> = postings.into_iter().collect();
    let mut dictionary = fst::MapBuilder::memory();
    let mut bytes = Vec::new();
    for (term, list) in &sorted {
        dictionary.insert(term, bytes.len() as u64).expect("terms are inserted once each, in sorted order");
        encode_list(list, &mut bytes);
    }
    let fst = dictionary.into_inner().expect("an in-memory fst cannot fail to write");
    (fst, bytes, sorted.len() as u64)
}

fn encode_table(stats: Vec<(DocStats, Lang)>) -> (Vec<u8>, BTreeMap<String, u32>) {
    let mut languages: BTreeMap<String, u32> = BTreeMap::new();
    for (_, lang) in &stats {
        *languages.entry(lang.tag().to_string()).or_default() += 1;
    }
    let langs: Vec<String> = languages.keys().cloned().collect();
    let docs = stats
        .into_iter()
        .map(|(stats, lang)| DocStats { lang: langs.iter().position(|l| l == lang.tag()).unwrap_or(0) as u16, ..stats })
        .collect();
    (encode(&DocTable { langs, docs }), languages)
}
