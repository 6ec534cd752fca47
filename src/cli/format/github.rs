//! `check --format github`: one GitHub Actions workflow command per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), which the runner turns
//! into an annotation on the file's line in the pull request. Format and escaping follow
//! GitHub's "Workflow commands for GitHub Actions" page.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::core::diagnostic::Severity;

use super::{Columns, FileFindings, Writer, line_column};

/// The workflow-command writer.
#[derive(Debug, Default)]
pub struct Github {
    /// The working directory: a path below it is given relative to it.
    cwd: Option<PathBuf>,
}

impl Github {
    /// A writer for paths relative to `cwd`.
    #[must_use]
    pub fn new(cwd: Option<PathBuf>) -> Self {
        Self { cwd }
    }
}

impl Writer for Github {
    fn file(&mut self, f: FileFindings<'_>) -> String {
        // GitHub resolves `file` against the repository root, which a CI job's working
        // directory usually is: `./x`, `x` and `$PWD/x` are the same file.
        let below = self
            .cwd
            .as_deref()
            .and_then(|cwd| f.path.strip_prefix(cwd).ok());
        let path = below.unwrap_or(f.path).display().to_string();
        let path = path.strip_prefix("./").unwrap_or(&path);
        let mut out = String::new();
        for d in f.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information | Severity::Hint => "notice",
            };
            // Columns are characters, as in the text output; `endColumn` is the column just
            // past the span (as `endLine` is the line of its end).
            let (line, col) = line_column(f.doc, u32::from(d.range.start()), Columns::Chars);
            let (end_line, end_col) = line_column(f.doc, u32::from(d.range.end()), Columns::Chars);
            let mut message = d.message.clone();
            for r in &d.related {
                let (l, c) = line_column(f.doc, u32::from(r.range.start()), Columns::Chars);
                let _ = write!(message, "\nnote: {} ({l}:{c})", r.message);
            }
            for fix in &d.fixes {
                let _ = write!(message, "\nhelp: {}", fix.title);
            }
            let _ = writeln!(
                out,
                "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}",
                property(path),
                property(&format!("rockcraft-lsp ({})", d.code.name())),
                data(&message),
            );
        }
        out
    }

    fn finish(&mut self) -> String {
        String::new()
    }
}

/// A command's message: `%`, CR and LF percent-encoded, so that it stays one line.
fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(c),
        }
    }
    out
}

/// A property value: as [`data`], and `:` and `,` too, which end a value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped() {
        assert_eq!(data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // Escaping `%` first: an escaped character is not escaped twice.
        assert_eq!(property("%3A:"), "%253A%3A");
    }

    #[test]
    fn paths_are_relative_to_the_working_directory() {
        let doc = crate::core::document::Document::parse("a: 1\n");
        let d = crate::core::diagnostic::Diagnostic::new(
            doc.top_range(),
            crate::core::code::Code::UnknownKey,
            "m",
        );
        let mut w = Github::new(Some("/repo".into()));
        for (path, shown) in [
            ("/repo/x/rockcraft.yaml", "file=x/rockcraft.yaml,"),
            ("./rockcraft.yaml", "file=rockcraft.yaml,"),
            (
                "/elsewhere/rockcraft.yaml",
                "file=/elsewhere/rockcraft.yaml,",
            ),
        ] {
            let out = w.file(FileFindings {
                path: std::path::Path::new(path),
                doc: &doc,
                diagnostics: std::slice::from_ref(&d),
            });
            assert!(out.contains(shown), "{out}");
        }
    }
}
