use std::fmt;

use crate::quoted::Quoted;

/// Why index bytes could not be read. Corrupt input is an error, never a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// The manifest names a format this reader does not know.
    UnsupportedFormat { found: String, version: u32 },
    /// A part's bytes do not hash to the name the manifest gave it.
    HashMismatch { part: String },
    /// A part hashed correctly but its content does not decode.
    Corrupt { part: String, detail: String },
    /// The parts disagree with each other or with the manifest.
    Inconsistent { detail: String },
    /// A part could not be read or fetched at all.
    Unreadable { part: String, detail: String },
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexError::UnsupportedFormat { found, version } => write!(
                f,
                "unsupported index format {} version {version}; this reader reads {} version {} \
                 (rebuild the index with the matching qidiruv)",
                Quoted(found),
                Quoted(super::FORMAT_NAME),
                super::FORMAT_VERSION
            ),
            IndexError::HashMismatch { part } => {
                write!(f, "index part {part} is corrupt or truncated (its content does not match its name)")
            }
            IndexError::Corrupt { part, detail } => write!(f, "index part {part} is corrupt: {detail}"),
            IndexError::Inconsistent { detail } => write!(f, "index parts do not fit together: {detail}"),
            IndexError::Unreadable { part, detail } => write!(f, "index part {part} cannot be read: {detail}"),
        }
    }
}

impl std::error::Error for IndexError {}
