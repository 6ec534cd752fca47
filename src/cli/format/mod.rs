//! The machine-readable output formats of `check`, one file each: `json`, `github` (workflow
//! commands) and `sarif` (code scanning). The compiler-style text is rendered by `check`.

pub mod github;
pub mod json;
pub mod sarif;

use std::path::Path;

use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::text::Encoding;

/// One checked file's findings, as every format receives them.
#[derive(Clone, Copy)]
pub struct FileFindings<'a> {
    /// The path as given on the command line or found in a directory.
    pub path: &'a Path,
    pub doc: &'a Document,
    pub diagnostics: &'a [Diagnostic],
}

/// A format written as the files are checked: what [`Writer::start`] returns first, then what
/// [`Writer::file`] returns for each file, then what [`Writer::finish`] returns.
pub trait Writer {
    fn start(&mut self) -> String {
        String::new()
    }
    fn file(&mut self, findings: FileFindings<'_>) -> String;
    fn finish(&mut self) -> String;
}

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// Characters (Unicode scalar values), as a terminal report and GitHub annotations show.
    Chars,
    /// UTF-16 code units, SARIF's default `columnKind`.
    Utf16,
}

/// The 1-based line and column of a byte offset of `doc`. A byte-order mark opening the text is
/// not part of the first line's content, so it is not counted.
#[must_use]
pub fn line_column(doc: &Document, offset: u32, columns: Columns) -> (u32, u32) {
    match columns {
        Columns::Chars => crate::cli::render::location(doc, offset),
        Columns::Utf16 => {
            let p = doc.lines.position(&doc.text, offset, Encoding::Utf16);
            // U+FEFF is one UTF-16 unit.
            let bom = u32::from(p.line == 0 && p.col > 0 && doc.text.starts_with('\u{feff}'));
            (p.line + 1, p.col - bom + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_characters_and_utf16_units() {
        // `𝔘` is one character, two UTF-16 units and four bytes.
        let doc = Document::parse("a: 𝔘x\nb: 1\n");
        let x = u32::try_from("a: 𝔘".len()).unwrap();
        assert_eq!(line_column(&doc, x, Columns::Chars), (1, 5));
        assert_eq!(line_column(&doc, x, Columns::Utf16), (1, 6));
        assert_eq!(line_column(&doc, x + 2, Columns::Utf16), (2, 1));
    }

    #[test]
    fn a_byte_order_mark_is_not_counted() {
        let doc = Document::parse("\u{feff}a: 1\n");
        let a = u32::try_from('\u{feff}'.len_utf8()).unwrap();
        assert_eq!(line_column(&doc, a, Columns::Chars), (1, 1));
        assert_eq!(line_column(&doc, a + 3, Columns::Utf16), (1, 4));
        assert_eq!(line_column(&doc, 0, Columns::Utf16), (1, 1));
    }
}
