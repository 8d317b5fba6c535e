//! The build's temporary directory, gone when the build is, whether it
//! finished, failed or panicked.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    /// Creates `path`, which must not exist yet.
    pub fn create(path: PathBuf) -> io::Result<ScratchDir> {
        fs::create_dir(&path)?;
        Ok(ScratchDir { path })
    }

    /// A fresh directory under the system's temporary directory.
    pub fn temporary() -> io::Result<ScratchDir> {
        static BUILDS: AtomicUsize = AtomicUsize::new(0);
        let n = BUILDS.fetch_add(1, Ordering::Relaxed);
        ScratchDir::create(std::env::temp_dir().join(format!("qidiruv-build-{}-{n}", std::process::id())))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}
