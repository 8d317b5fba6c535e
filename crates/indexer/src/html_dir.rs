//! Reading a directory of built HTML pages: every `.html` and `.htm` file
//! below it, in path order, so the same tree always builds the same index.

use std::fs;
use std::path::{Path, PathBuf};

use qidiruv_engine::Document;

use crate::checks::{ReadOptions, SeenIds};
use crate::html::read_page;
use crate::input_file::{read_regular, Refused};
use crate::report::Diagnostic;

/// Reads every page below `dir`, handing each good document to `sink`
/// (with the diagnostics so far), and returns how many pages there were.
/// `Err` is a failure to read the tree, or the sink's (the build stops);
/// problems with pages, special files and oversized ones among them, are
/// diagnostics added to `report`.
pub fn read_html_dir(
    dir: &Path,
    options: &ReadOptions,
    seen: &mut SeenIds,
    report: &mut Vec<Diagnostic>,
    mut sink: impl FnMut(Document, &[Diagnostic]) -> Result<(), String>,
) -> Result<usize, String> {
    let pages = page_paths(dir)?;
    if pages.is_empty() {
        return Err(format!("{}: no .html or .htm files below this directory", dir.display()));
    }
    for relative in &pages {
        let file = dir.join(relative);
        let bytes = match read_regular(&file, options.max_record_bytes) {
            Ok(bytes) => bytes,
            Err(Refused::Io(e)) => return Err(io_error(&file, e)),
            Err(refused) => {
                report.push(Diagnostic::error(&file, 0, refused.message()));
                continue;
            }
        };
        let (doc, diagnostics) = read_page(&file, relative, &bytes, options);
        report.extend(diagnostics);
        if let Some(doc) = doc {
            // Urls are unique within a tree except for `x/index.html` beside
            // `x/index.htm`; across inputs any id may collide.
            match seen.claim(&doc.id, &file, 1) {
                Ok(()) => sink(doc, report)?,
                Err(duplicate) => report.push(Diagnostic::error(&file, 1, duplicate)),
            }
        }
    }
    Ok(pages.len())
}

/// The pages below `root`, as paths relative to it, sorted. Symbolic links
/// are followed, as a web server would, so a page reachable by two paths is
/// read at both urls; a link back to a directory above it (a loop) is not.
/// Anything named like a page is listed, FIFOs and devices too, so that
/// reading refuses it by name.
fn page_paths(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut pages = Vec::new();
    // Each directory to read, with the real paths of the directories above it.
    let mut pending = vec![(PathBuf::new(), Vec::new())];
    while let Some((relative, mut above)) = pending.pop() {
        let dir = root.join(&relative);
        let real = fs::canonicalize(&dir).map_err(|e| io_error(&dir, e))?;
        if above.contains(&real) {
            continue;
        }
        above.push(real);
        for entry in fs::read_dir(&dir).map_err(|e| io_error(&dir, e))? {
            let entry = entry.map_err(|e| io_error(&dir, e))?;
            let path = relative.join(entry.file_name());
            match fs::metadata(entry.path()) {
                Ok(meta) if meta.is_dir() => pending.push((path, above.clone())),
                _ if is_page(&path) => pages.push(path),
                // A dangling link to something that is not a page.
                _ => {}
            }
        }
    }
    pages.sort();
    Ok(pages)
}

fn io_error(path: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", path.display())
}

fn is_page(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_listed_in_path_order_and_other_files_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let mut expected = Vec::new();
        for n in (0..30).rev() {
            let page = PathBuf::from(format!("en/{}/p{n:02}.html", n % 4));
            fs::create_dir_all(dir.path().join(page.parent().unwrap())).unwrap();
            fs::write(dir.path().join(&page), "").unwrap();
            expected.push(page);
        }
        for other in ["en/site.css", "en/0/photo.jpg", "en/html"] {
            fs::write(dir.path().join(other), "").unwrap();
        }
        fs::write(dir.path().join("OLD.HTM"), "").unwrap();
        expected.push(PathBuf::from("OLD.HTM"));
        expected.sort();
        assert_eq!(page_paths(dir.path()).unwrap(), expected);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_except_back_up_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["en", "ru"] {
            fs::create_dir(dir.path().join(sub)).unwrap();
            fs::write(dir.path().join(sub).join("a.html"), "").unwrap();
        }
        let link =
            |target: &str, at: &str| std::os::unix::fs::symlink(dir.path().join(target), dir.path().join(at)).unwrap();
        link("", "en/loop");
        link("en", "ru/to-en");
        link("ru", "en/to-ru");
        let pages: Vec<String> = page_paths(dir.path()).unwrap().iter().map(|p| p.display().to_string()).collect();
        assert_eq!(pages, ["en/a.html", "en/to-ru/a.html", "ru/a.html", "ru/to-en/a.html"]);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_named_like_pages_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let page = "<html lang=en><body><article><h1>T</h1><p>Kept</p></article></body></html>";
        fs::write(dir.path().join("a.html"), page).unwrap();
        // Reading either would block for good or fill memory.
        let fifo = dir.path().join("fifo.html");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.html")).unwrap();
        fs::write(dir.path().join("big.html"), "x".repeat(2000)).unwrap();

        let (mut docs, mut report) = (Vec::new(), Vec::new());
        let options = ReadOptions { max_record_bytes: 1000, ..ReadOptions::default() };
        let pages = read_html_dir(dir.path(), &options, &mut SeenIds::default(), &mut report, |doc, _| {
            docs.push(doc);
            Ok(())
        })
        .unwrap();
        assert_eq!((pages, docs.len()), (4, 1));
        let at = |name: &str| dir.path().join(name).display().to_string();
        assert_eq!(
            report.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                format!(
                    "error: {}: larger than 1000 bytes; not read (--max-record-bytes raises the limit)",
                    at("big.html")
                ),
                format!("error: {}: a named pipe (FIFO), not a regular file; not read", at("fifo.html")),
                format!("error: {}: a character device, not a regular file; not read", at("zero.html")),
            ]
        );
    }
}
