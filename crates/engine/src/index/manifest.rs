//! The manifest, `qidiruv.json`: the one file with a stable name.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::IndexError;

/// The manifest's stable file name.
pub const MANIFEST_NAME: &str = "qidiruv.json";
/// Identifies a Qidiruv index, so a stray JSON file is not mistaken for one.
pub const FORMAT_NAME: &str = "qidiruv-index";
/// Bumped on every incompatible change to any part.
pub const FORMAT_VERSION: u32 = 1;

/// What a reader needs to find and check every other part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// Hash of all part names: equal builds have equal ids.
    pub build_id: String,
    pub documents: u32,
    pub terms: u64,
    /// Documents per language tag.
    pub languages: BTreeMap<String, u32>,
    /// How many consecutive documents share one store chunk.
    pub store_chunk_docs: u32,
    pub parts: Parts,
}

/// File names of the content-hashed parts, relative to the manifest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parts {
    pub terms: String,
    pub postings: String,
    pub docs: String,
    pub store: Vec<String>,
}

impl Manifest {
    /// Refuses manifests of another format or version, naming what was found.
    pub fn check_version(&self) -> Result<(), IndexError> {
        if self.format == FORMAT_NAME && self.version == FORMAT_VERSION {
            Ok(())
        } else {
            Err(IndexError::UnsupportedFormat { found: self.format.clone(), version: self.version })
        }
    }

    /// The store chunk that holds `doc`, or `None` for an id out of range.
    pub fn store_chunk_of(&self, doc: super::DocId) -> Option<usize> {
        let chunk = (doc / self.store_chunk_docs.max(1)) as usize;
        (doc < self.documents && chunk < self.parts.store.len()).then_some(chunk)
    }

    /// Every part name, in a fixed order.
    pub fn part_names(&self) -> impl Iterator<Item = &str> {
        [&self.parts.terms, &self.parts.postings, &self.parts.docs]
            .into_iter()
            .chain(&self.parts.store)
            .map(String::as_str)
    }
}
