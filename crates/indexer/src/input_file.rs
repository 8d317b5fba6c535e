//! Opening input files without trusting what a name points at: a page
//! named `x.html` may be a FIFO that never ends (a read that blocks the
//! build for good) or a link to `/dev/zero` (a read that fills memory).

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum Refused {
    /// Not a regular file: which kind it is.
    Special(&'static str),
    /// Larger than the limit: its size as far as it was read or stated.
    TooLarge {
        limit: usize,
    },
    Io(io::Error),
}

impl Refused {
    /// The message of the `error: FILE: …` line.
    pub fn message(&self) -> String {
        match self {
            Refused::Special(kind) => format!("{kind}, not a regular file; not read"),
            Refused::TooLarge { limit } => {
                format!("larger than {limit} bytes; not read (--max-record-bytes raises the limit)")
            }
            Refused::Io(e) => e.to_string(),
        }
    }
}

/// What a name points at, if it is neither a regular file nor a directory.
pub fn special_kind(meta: &Metadata) -> Option<&'static str> {
    if meta.is_file() || meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a file or directory")
}

/// What a JSONL input named on the command line is, if it is not to be
/// read: any special file but a named pipe, which is read as the stream it
/// was named to be (`qidiruv build <(export-articles)`).
pub fn unreadable_input(meta: &Metadata) -> Option<&'static str> {
    #[cfg(unix)]
    if std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()) {
        return None;
    }
    special_kind(meta)
}

/// The bytes of a regular file of at most `limit` bytes. Special files are
/// refused before they are opened: opening a FIFO blocks until a writer comes.
pub fn read_regular(path: &Path, limit: usize) -> Result<Vec<u8>, Refused> {
    let meta = fs::metadata(path).map_err(Refused::Io)?;
    check(&meta, limit)?;
    let file = File::open(path).map_err(Refused::Io)?;
    // The name may have been pointed elsewhere since: judge what was opened.
    check(&file.metadata().map_err(Refused::Io)?, limit)?;
    let mut bytes = Vec::new();
    // One byte past the limit tells a file that grew from one that fits.
    file.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(Refused::Io)?;
    if bytes.len() > limit {
        return Err(Refused::TooLarge { limit });
    }
    Ok(bytes)
}

fn check(meta: &Metadata, limit: usize) -> Result<(), Refused> {
    match special_kind(meta) {
        Some(kind) => Err(Refused::Special(kind)),
        None if meta.is_dir() => Err(Refused::Special("a directory")),
        None if meta.len() > limit as u64 => Err(Refused::TooLarge { limit }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.html");
        fs::write(&path, "0123456789").unwrap();
        assert_eq!(read_regular(&path, 10).unwrap(), b"0123456789");
        assert!(matches!(read_regular(&path, 9), Err(Refused::TooLarge { limit: 9 })));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        // /dev/zero never ends: a read of it would not return.
        let refused = read_regular(Path::new("/dev/zero"), usize::MAX - 1).unwrap_err();
        assert_eq!(refused.message(), "a character device, not a regular file; not read");
    }
}
