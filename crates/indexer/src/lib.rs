//! The `qidiruv` indexer as a library: corpus readers, validation, the
//! build and search commands. The binary (`main.rs`) is a thin CLI shell over
//! it, and the fuzz targets call the readers directly.

pub mod build_cmd;
pub mod build_report;
pub mod checks;
pub mod cms_body;
pub mod html;
pub mod html_dir;
pub mod html_parse;
pub mod html_text;
pub mod index_dir;
pub mod input_file;
pub mod jsonl;
pub mod output;
pub mod publish;
pub mod region;
pub mod report;
pub mod search_cmd;
pub mod url_check;
