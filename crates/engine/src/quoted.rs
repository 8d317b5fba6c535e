//! Strings quoted in error messages.

use std::fmt;

use crate::analysis::is_ignorable;

/// Shows a string in double quotes with what would not show escaped, as
/// `{:?}` does for the inputs error messages quote (control characters and
/// the invisible format characters the analysis ignores). Not `{:?}` itself:
/// its Unicode printability tables would ship in the widget's wasm.
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                '\0' => f.write_str("\\0")?,
                c if c.is_control() || is_ignorable(c) => write!(f, "{}", c.escape_unicode())?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        f.write_str("\"")
    }
}

#[cfg(test)]
mod tests {
    use super::Quoted;

    #[test]
    fn quotes_as_debug_does() {
        for s in [
            "",
            "2024-13-01",
            "uz-Latn",
            "a \"b\" \\c",
            "tab\tnew\nline\r\0",
            "\u{7f}\u{9f}",
            "Ташкент ʻ",
            "x\u{2069}",
            "\u{200B}y\u{FEFF}",
        ] {
            assert_eq!(Quoted(s).to_string(), format!("{s:?}"), "{s:?}");
        }
    }
}
