//! Rule tests written as annotated YAML: a `rockcraft.yaml` text whose comment lines mark the
//! diagnostics expected on the source line above them, checked against what the analysis finds.
//!
//! An annotation is a YAML comment line such as
//!
//! ```text
//! name: My_App
//! #     ^^^^^^ error[invalid-name]: invalid rock name `My_App`
//! ```
//!
//! The carets sit under the columns (in characters) of the range on the nearest line above that
//! is not an annotation; then come the severity (`error`, `warning`, `info` or `hint`), the code
//! in brackets and, optionally after `: `, a fragment the message must contain. A range that
//! starts in column 0 or 1, left of where `# ^` fits, is written with the `#` as its first
//! caret: `#^^^^` marks four columns from the `#`. Annotations are comments, so the text is
//! analysed as written, annotations included, and several may follow one line. A range that
//! runs past its line is marked up to the line's end plus one column (its line break); an
//! empty range cannot be marked.
//!
//! [`check_diagnostics`] compares all the diagnostics of the fast analysis, [`check_codes`] those
//! of some codes, and [`check_expansion`] those of the extension expansion and its lints over an
//! in-memory project directory.
//!
//! The texts are usually raw strings indented with the test code: a leading line break and the
//! indentation common to all lines are removed first (see [`trim_indent`]).

use std::fmt::Write as _;

use crate::core::analysis::analyze;
use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::extensions::{DEFAULT_EXTENSIONS_DIR, MemoryFs};
use crate::core::pipeline;

/// One diagnostic as an annotation states it: zero-based line, character columns (end
/// excluded), severity, code and the message (a fragment, when expected).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Mark {
    line: usize,
    start: usize,
    end: usize,
    severity: String,
    code: String,
    message: Option<String>,
}

impl Mark {
    /// Whether `found` (a diagnostic turned into a mark) satisfies this expected mark.
    fn matches(&self, found: &Mark) -> bool {
        self.line == found.line
            && self.start == found.start
            && self.end == found.end
            && self.severity == found.severity
            && self.code == found.code
            && match (&self.message, &found.message) {
                (None, _) => true,
                (Some(fragment), Some(message)) => message.contains(fragment.as_str()),
                (Some(_), None) => false,
            }
    }

    /// `line:col-col severity[code]: message` (1-based line and columns), for failure messages.
    fn describe(&self) -> String {
        let mut s = format!(
            "{}:{}-{} {}[{}]",
            self.line + 1,
            self.start + 1,
            self.end + 1,
            self.severity,
            self.code
        );
        if let Some(m) = &self.message {
            let _ = write!(s, ": {m}");
        }
        s
    }

    /// The annotation line for this mark, aligned under its range.
    fn annotation(&self) -> String {
        let width = (self.end - self.start).max(1);
        let carets = if self.start >= 2 {
            format!("{}# {}", " ".repeat(self.start - 2), "^".repeat(width))
        } else {
            format!("{}#{}", " ".repeat(self.start), "^".repeat(width - 1))
        };
        let mut s = format!("{carets} {}[{}]", self.severity, self.code);
        if let Some(m) = &self.message {
            let _ = write!(s, ": {m}");
        }
        s
    }
}

/// Removes one leading line break and the indentation common to the lines that are not blank;
/// blank lines become empty.
pub(crate) fn trim_indent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if body.trim().is_empty() {
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line.get(indent..).unwrap_or(line));
        }
    }
    out
}

/// The caret span and the rest of an annotation line, or `None` when `line` is not one.
fn parse_annotation(line: &str) -> Option<(usize, usize, &str)> {
    let hash = line.find('#')?;
    if !line[..hash].trim().is_empty() {
        return None;
    }
    let after = &line[hash + 1..];
    let first_caret = after.trim_start_matches(' ');
    if !first_caret.starts_with('^') {
        return None;
    }
    let hash_col = line[..hash].chars().count();
    let caret_col = hash_col + 1 + (after.len() - first_caret.len());
    let width = first_caret.len() - first_caret.trim_start_matches('^').len();
    let rest = &first_caret[width..];
    // `#^^^`: the `#` is the first caret.
    let (start, end) = if caret_col == hash_col + 1 {
        (hash_col, caret_col + width)
    } else {
        (caret_col, caret_col + width)
    };
    Some((start, end, rest))
}

/// The marks stated by the annotations of `text`; panics on a malformed annotation.
fn expected_marks(text: &str) -> Vec<Mark> {
    let mut marks = Vec::new();
    let mut source_line = None;
    for (i, line) in text.lines().enumerate() {
        let Some((start, end, rest)) = parse_annotation(line) else {
            source_line = Some(i);
            continue;
        };
        let bad = |why: &str| -> ! { panic!("annotation on line {}: {why}: {line:?}", i + 1) };
        let Some(target) = source_line else {
            bad("no source line above it")
        };
        let rest = rest.trim_start();
        let Some((severity, tail)) = rest.split_once('[') else {
            bad("expected `severity[code]` after the carets")
        };
        let Some((code, tail)) = tail.split_once(']') else {
            bad("unclosed `[`")
        };
        let message = match tail.strip_prefix(':') {
            Some(m) => Some(m.trim().to_owned()).filter(|m| !m.is_empty()),
            None if tail.trim().is_empty() => None,
            None => bad("expected `: message` after the code"),
        };
        if !["error", "warning", "info", "hint"].contains(&severity) {
            bad("unknown severity");
        }
        marks.push(Mark {
            line: target,
            start,
            end,
            severity: severity.to_owned(),
            code: code.to_owned(),
            message,
        });
    }
    marks
}

/// The character column of byte `offset` and its zero-based line in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count())
}

/// A found diagnostic as a mark. A range running past its first line is cut at the line end.
fn found_mark(text: &str, d: &Diagnostic) -> Mark {
    let (line, start) = line_col(text, usize::from(d.range.start()));
    let (end_line, end_col) = line_col(text, usize::from(d.range.end()));
    let end = if end_line == line {
        end_col
    } else {
        let line_text = text.lines().nth(line).unwrap_or_default();
        line_text.chars().count() + 1
    };
    Mark {
        line,
        start,
        end,
        severity: d.severity.as_str().to_owned(),
        code: d.code.name().to_owned(),
        message: Some(d.message.clone()),
    }
}

/// `text` with its annotations replaced by ones stating `found`: what a test would have to say.
fn annotate(text: &str, found: &[Mark]) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if parse_annotation(line).is_some() {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        for m in found.iter().filter(|m| m.line == i) {
            out.push_str(&m.annotation());
            out.push('\n');
        }
    }
    out
}

/// The top-level blocks of the project of [`rock`], in the order it writes them.
const ROCK: &[&str] = &[
    "name: my-rock\n",
    "summary: s\n",
    "description: d\n",
    "version: '1'\n",
    "base: ubuntu@24.04\n",
    "platforms:\n  amd64:\n",
    "parts:\n  my-part:\n    plugin: nil\n",
];

/// The top-level blocks of the project of [`flask_project`], in the order it writes them.
const FLASK: &[&str] = &[
    "name: my-app\n",
    "base: ubuntu@24.04\n",
    "version: '0.1'\n",
    "summary: s\n",
    "description: d\n",
    "platforms:\n  amd64:\n",
    "extensions:\n  - flask-framework\n",
];

/// A valid project (`my-rock` on `ubuntu@24.04` for `amd64`, one `nil` part `my-part`) with
/// `extra` after [`trim_indent`]: most rule tests write only the keys they are about. A
/// top-level key of `extra` replaces the project's own block of that key; the default blocks
/// left come first, in a fixed order, then `extra` as written (so an annotation stays under
/// its line).
pub(crate) fn rock(extra: &str) -> String {
    project(ROCK, &[], extra)
}

/// [`rock`] without the top-level keys `absent` (for a project that omits an optional one).
pub(crate) fn rock_without(absent: &[&str], extra: &str) -> String {
    project(ROCK, absent, extra)
}

/// A flask-framework project (`my-app` on `ubuntu@24.04` for `amd64`, no parts) with `extra`
/// as in [`rock`], for the extension lints; its files are [`flask_fs`].
pub(crate) fn flask_project(extra: &str) -> String {
    project(FLASK, &[], extra)
}

/// The `defaults` blocks whose key is neither in `absent` nor written at the top level of
/// `extra`, then `extra` after [`trim_indent`].
fn project(defaults: &[&str], absent: &[&str], extra: &str) -> String {
    let extra = trim_indent(extra);
    let written: Vec<&str> = extra.lines().filter_map(top_level_key).collect();
    let mut out: String = defaults
        .iter()
        .filter(|block| {
            top_level_key(block).is_none_or(|k| !absent.contains(&k) && !written.contains(&k))
        })
        .copied()
        .collect();
    out.push_str(&extra);
    out
}

/// The key of a line that opens a top-level mapping entry (`base` for `base: bare`); `None`
/// for indented, comment, list and blank lines.
fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    Some(key.trim_end()).filter(|k| !k.is_empty())
}

/// The files of a minimal Flask project: `requirements.txt` and an `app.py` defining `app`.
pub(crate) fn flask_fs() -> MemoryFs {
    MemoryFs::new().file("requirements.txt", "Flask\n").file(
        "app.py",
        "from flask import Flask\n\napp = Flask(__name__)\n",
    )
}

/// Asserts that the annotations of `text` (after [`trim_indent`]) state exactly the diagnostics
/// the fast analysis reports on it, all codes included.
#[track_caller]
pub(crate) fn check_diagnostics(text: &str) {
    check_diagnostics_with(text, None, |t| analyze(t).diagnostics);
}

/// Like [`check_diagnostics`], for the diagnostics with one of `codes` only (the others are
/// neither expected nor reported).
#[track_caller]
pub(crate) fn check_codes(codes: &[Code], text: &str) {
    check_diagnostics_with(text, Some(codes), |t| analyze(t).diagnostics);
}

/// Like [`check_codes`], for the diagnostics of the extension expansion and its lints (what
/// the editor adds to the fast analysis), with `fs` as the project directory.
#[track_caller]
pub(crate) fn check_expansion(codes: &[Code], fs: &MemoryFs, text: &str) {
    check_diagnostics_with(text, Some(codes), |t| {
        pipeline::expansion(&pipeline::fast(t), fs, false, DEFAULT_EXTENSIONS_DIR)
            .map(|r| r.diagnostics)
            .unwrap_or_default()
    });
}

/// The general form: `diagnose` computes the diagnostics of the trimmed text, `codes` (when
/// given) keeps those with one of these codes.
#[track_caller]
pub(crate) fn check_diagnostics_with(
    text: &str,
    codes: Option<&[Code]>,
    diagnose: impl FnOnce(&str) -> Vec<Diagnostic>,
) {
    let text = trim_indent(text);
    let expected = expected_marks(&text);
    let found: Vec<Mark> = diagnose(&text)
        .iter()
        .filter(|d| codes.is_none_or(|c| c.contains(&d.code)))
        .map(|d| found_mark(&text, d))
        .collect();
    let mut unmatched: Vec<&Mark> = found.iter().collect();
    let mut missing = Vec::new();
    for e in &expected {
        match unmatched.iter().position(|f| e.matches(f)) {
            Some(i) => {
                unmatched.remove(i);
            }
            None => missing.push(e),
        }
    }
    if missing.is_empty() && unmatched.is_empty() {
        return;
    }
    let mut report = String::from("the annotated diagnostics differ from the ones found\n");
    for m in &missing {
        let _ = writeln!(report, "  expected, not found: {}", m.describe());
    }
    for m in &unmatched {
        let _ = writeln!(report, "  found, not expected: {}", m.describe());
    }
    let _ = write!(
        report,
        "the text annotated with what was found:\n{}",
        annotate(&text, &found)
    );
    panic!("{report}");
}

/// The text after applying the first fix of the first diagnostic with `code`, below the fix's
/// title (or `no fix for CODE`).
pub(crate) fn fixed(text: &str, code: Code) -> String {
    let a = analyze(text);
    let Some(fix) = a
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .and_then(|d| d.fixes.first())
    else {
        return format!("no fix for {code}");
    };
    let mut out = text.to_owned();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
    for e in edits {
        out.replace_range(
            usize::from(e.range.start())..usize::from(e.range.end()),
            &e.text,
        );
    }
    format!("{}\n{out}", fix.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_parse_with_and_without_a_gap() {
        let text = "name: x\n#     ^ error[a]: msg\n#^^^ hint[b]\n #^ info[c]:\n";
        let marks = expected_marks(text);
        let spans: Vec<(usize, usize, usize, &str, Option<&str>)> = marks
            .iter()
            .map(|m| {
                (
                    m.line,
                    m.start,
                    m.end,
                    m.code.as_str(),
                    m.message.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            spans,
            [
                (0, 6, 7, "a", Some("msg")),
                (0, 0, 4, "b", None),
                (0, 1, 3, "c", None)
            ]
        );
        // The annotations a failure prints read back as the same marks.
        let again = expected_marks(&annotate(text, &marks));
        assert_eq!(again, marks);
    }

    #[test]
    fn trim_indent_keeps_relative_indentation() {
        assert_eq!(
            trim_indent("\n    a:\n      b: 1\n\n    # c\n    "),
            "a:\n  b: 1\n\n# c\n"
        );
    }

    #[test]
    fn extra_keys_replace_the_default_blocks() {
        let text = rock(
            "
            base: bare
            # ^^^^ error[x]
            build-base: ubuntu@24.04
            parts:
              p:
                plugin: dump
            ",
        );
        assert_eq!(
            text,
            "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nplatforms:\n  amd64:\n\
             base: bare\n# ^^^^ error[x]\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    plugin: dump\n"
        );
        assert_eq!(
            rock_without(&["version", "summary"], "title: t\n"),
            "name: my-rock\ndescription: d\nbase: ubuntu@24.04\nplatforms:\n  amd64:\n\
             parts:\n  my-part:\n    plugin: nil\ntitle: t\n"
        );
        assert!(flask_project("").ends_with("extensions:\n  - flask-framework\n"));
        assert!(!flask_project("extensions: [django-framework]\n").contains("flask"));
    }

    #[test]
    fn a_missing_or_unexpected_diagnostic_fails() {
        let result = std::panic::catch_unwind(|| {
            check_diagnostics("name: My_App\n");
        });
        assert!(result.is_err());
        let result = std::panic::catch_unwind(|| {
            check_codes(
                &[Code::InvalidName],
                "name: my-app\n#     ^^ error[invalid-name]\n",
            );
        });
        assert!(result.is_err());
    }
}
