//! Compressed store records kept on disk until the slots are written: the
//! text of a large site does not fit in memory, its offsets do.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

/// An append-only file of records, each found by its number.
pub struct Spool {
    out: BufWriter<File>,
    /// A second handle, so that reads leave the writer's position alone.
    input: Mutex<File>,
    /// Each record's offset and length.
    records: Vec<(u64, u32)>,
    end: u64,
}

impl Spool {
    pub fn create(path: &Path) -> io::Result<Spool> {
        let out = BufWriter::new(OpenOptions::new().write(true).create_new(true).open(path)?);
        Ok(Spool { out, input: Mutex::new(File::open(path)?), records: Vec::new(), end: 0 })
    }

    /// Appends record number `self.len()`.
    pub fn push(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.records.push((self.end, bytes.len() as u32));
        self.append(bytes)
    }

    /// Makes `bytes` record `n` (the old bytes stay, unused).
    pub fn replace(&mut self, n: usize, bytes: &[u8]) -> io::Result<()> {
        self.records[n] = (self.end, bytes.len() as u32);
        self.append(bytes)
    }

    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.end += bytes.len() as u64;
        Ok(())
    }

    /// The length of record `n`.
    pub fn size(&self, n: usize) -> usize {
        self.records[n].1 as usize
    }

    /// A reader of the records written so far.
    pub fn reader(&mut self) -> io::Result<SpoolReader<'_>> {
        self.out.flush()?;
        Ok(SpoolReader { input: &self.input, records: &self.records })
    }
}

/// Reads records by number; shareable across threads (reads are short
/// copies from the page cache, so one handle behind a lock serves them).
pub struct SpoolReader<'a> {
    input: &'a Mutex<File>,
    records: &'a [(u64, u32)],
}

impl SpoolReader<'_> {
    pub fn read(&self, n: usize) -> io::Result<Vec<u8>> {
        let (offset, len) = self.records[n];
        let mut bytes = vec![0; len as usize];
        let mut input = self.input.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        input.seek(SeekFrom::Start(offset))?;
        input.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_by_number_after_replacement() {
        let dir = std::env::temp_dir().join(format!("qidiruv-spool-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut spool = Spool::create(&dir.join("s")).unwrap();
        for n in 0..1000u32 {
            spool.push(&n.to_le_bytes().repeat(n as usize % 7)).unwrap();
        }
        spool.replace(3, b"three").unwrap();
        assert_eq!(spool.size(3), 5);
        let reader = spool.reader().unwrap();
        assert_eq!(reader.read(3).unwrap(), b"three");
        assert_eq!(reader.read(999).unwrap(), 999u32.to_le_bytes().repeat(5));
        assert_eq!(reader.read(7).unwrap(), b"");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
