//! `rockcraft-lsp check`: compiler-style diagnostics for `rockcraft.yaml` files, or JSON. Each
//! file is checked like in the editor, extension expansion included (the project directory
//! next to the file is read, never written).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::core::diagnostic::Severity;
use crate::core::document::Document;
use crate::core::extensions::DEFAULT_EXTENSIONS_DIR;
use crate::core::pipeline::{self, Inputs, MAX_TEXT_BYTES};
use crate::core::text::TextRange;
use crate::host::files;
use crate::host::fs::RealFs;
use crate::host::packages::{HostIndexes, PackageSettings};
use crate::host::walk;

/// What a check run produced.
#[derive(Debug, Default)]
pub struct Report {
    /// Text for stdout.
    pub stdout: String,
    /// Text for stderr (summaries, error reports, I/O problems).
    pub stderr: String,
    pub exit_code: i32,
}

/// Finds the `rockcraft.yaml` files named by `paths` (files as given, directories searched).
///
/// # Errors
/// A path that does not exist or cannot be read.
pub fn collect_files(paths: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        let path = Path::new(p);
        let meta = std::fs::metadata(path).map_err(|e| format!("{p}: {e}"))?;
        if meta.is_dir() {
            out.extend(walk::project_files(path, usize::MAX));
        } else {
            out.push(path.to_path_buf());
        }
    }
    Ok(out)
}

/// 1-based line and column (in characters) of a byte offset, and where its line starts.
fn line_col(doc: &Document, offset: u32) -> (u32, u32, u32) {
    let (line, col) = doc.line_col(offset);
    let start = doc
        .lines
        .line_range(&doc.text, line - 1)
        .map_or(0, |(s, _)| s);
    (line, col, start)
}

/// Checks the given paths.
#[must_use]
pub fn run(paths: &[String], json_output: bool) -> Report {
    run_with(paths, json_output, &PackageSettings::default())
}

/// Checks the given paths, with package names checked against what `packages` points at.
#[must_use]
pub fn run_with(paths: &[String], json_output: bool, packages: &PackageSettings) -> Report {
    let mut out = Vec::new();
    let mut report = run_to(paths, json_output, packages, &mut out);
    report.stdout = String::from_utf8_lossy(&out).into_owned();
    report
}

/// [`run_with`], writing the findings to `out` as each file is checked instead of keeping
/// them (a hostile project can have hundreds of thousands); the report's `stdout` stays empty.
pub fn run_to(
    paths: &[String],
    json_output: bool,
    packages: &PackageSettings,
    out: &mut dyn std::io::Write,
) -> Report {
    let mut report = Report::default();
    let files = match collect_files(paths) {
        Ok(f) => f,
        Err(e) => {
            report.stderr = format!("error: {e}\n");
            report.exit_code = 2;
            return report;
        }
    };
    if files.is_empty() {
        report.stderr = "error: no rockcraft.yaml found\n".into();
        report.exit_code = 2;
        return report;
    }
    let (mut errors, mut warnings) = (0usize, 0usize);
    let mut json_items = 0usize;
    let mut io_failed = false;
    let mut write_failed = false;
    let mut emit = |text: &str| {
        if !write_failed && out.write_all(text.as_bytes()).is_err() {
            // A closed pipe (`| head`): stop writing, keep counting.
            write_failed = true;
        }
    };
    if json_output {
        emit("[");
    }
    let indexes = HostIndexes::load(packages);
    let experimental = crate::host::env::experimental_extensions();
    for file in &files {
        let shown = file.display().to_string();
        let bytes = match files::read_regular(file, MAX_TEXT_BYTES as u64) {
            Ok(bytes) => bytes,
            Err(e) => {
                let _ = writeln!(report.stderr, "error: {shown}: {e}");
                io_failed = true;
                continue;
            }
        };
        let dir = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."));
        let fs = RealFs::new(dir);
        let inputs = Inputs {
            fs: &fs,
            packages: &indexes,
            experimental,
            extensions_dir: DEFAULT_EXTENSIONS_DIR,
        };
        let findings = pipeline::run_bytes(bytes, &inputs);
        let doc = &findings.analysis.doc;
        let diagnostics = &findings.diagnostics;
        for d in diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => {}
            }
            let (l1, c1, _) = line_col(doc, u32::from(d.range.start()));
            let (l2, c2, _) = line_col(doc, u32::from(d.range.end()));
            if json_output {
                let item = json!({
                    "path": shown,
                    "range": {
                        "start": {"line": l1, "column": c1, "offset": u32::from(d.range.start())},
                        "end": {"line": l2, "column": c2, "offset": u32::from(d.range.end())},
                    },
                    "severity": d.severity.as_str(),
                    "code": d.code,
                    "message": d.message,
                    "fixes": d.fixes.iter().map(|f| json!({
                        "title": f.title,
                        "edits": f.edits.iter().map(|e| json!({
                            "start": u32::from(e.range.start()),
                            "end": u32::from(e.range.end()),
                            "text": e.text,
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                });
                // Items of a pretty-printed array: indented by two spaces, comma-separated.
                let text = serde_json::to_string_pretty(&item).unwrap_or_default();
                let mut piece = String::from(if json_items == 0 { "\n" } else { ",\n" });
                for (i, line) in text.lines().enumerate() {
                    if i > 0 {
                        piece.push('\n');
                    }
                    piece.push_str("  ");
                    piece.push_str(line);
                }
                emit(&piece);
                json_items += 1;
            } else {
                let mut piece = String::new();
                render(
                    &mut piece,
                    &shown,
                    doc,
                    d.range,
                    d.severity,
                    d.code.name(),
                    &d.message,
                );
                emit(&piece);
            }
        }
    }
    if json_output {
        emit(if json_items == 0 { "]\n" } else { "\n]\n" });
    }
    let _ = out.flush();
    let _ = writeln!(
        report.stderr,
        "{} {}, {} {} in {} file{}",
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" },
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    );
    report.exit_code = if io_failed { 2 } else { i32::from(errors > 0) };
    report
}

/// The most characters of a source line `check` echoes under a diagnostic: about a terminal's
/// width. A longer line is cut around the underlined span, `…` marking what is left out (a
/// 30 KB one-line flow mapping with thousands of findings would otherwise be echoed whole under
/// each of them).
pub const MAX_SHOWN_SOURCE: usize = 100;

/// The most characters of a message `check` prints: messages quote names from the file, which
/// can be arbitrarily long; a few lines' worth says what is wrong.
pub const MAX_SHOWN_MESSAGE: usize = 500;

/// Writes one diagnostic the way compilers do: a location line, the source line and carets.
/// Control characters from the file (terminal escape sequences among them) are shown escaped,
/// never written raw.
fn render(
    out: &mut String,
    path: &str,
    doc: &Document,
    range: TextRange,
    sev: Severity,
    code: &str,
    message: &str,
) {
    let start = u32::from(range.start());
    let (line, col, line_start) = line_col(doc, start);
    let _ = writeln!(
        out,
        "{}:{line}:{col}: {}[{code}]: {}",
        shown(path, usize::MAX),
        sev.as_str(),
        shown(message, MAX_SHOWN_MESSAGE),
    );
    let Some((_, line_end)) = doc.lines.line_range(&doc.text, line - 1) else {
        return;
    };
    let src = doc
        .text
        .get(line_start as usize..line_end as usize)
        .unwrap_or_default();
    let end = u32::from(range.end()).min(line_end).max(start);
    let excerpt = Excerpt::new(
        src,
        (start - line_start) as usize,
        (end - line_start) as usize,
    );
    let gutter = line.to_string().len();
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{line} | {}", excerpt.text);
    let _ = writeln!(
        out,
        "{:gutter$} | {}{}",
        "",
        " ".repeat(excerpt.caret),
        "^".repeat(excerpt.width)
    );
}

/// How a character of the file is printed: control characters (C0, DEL, C1) and the
/// bidirectional-text controls that can make a terminal show something else than the file
/// says are escaped (`\u{1b}`); a tab is four spaces, so that the carets line up.
fn push_shown(out: &mut String, c: char) {
    let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if c == '\t' {
        out.push_str("    ");
    } else if c.is_control() || bidi {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// `text` as printed (see [`push_shown`]), cut after about `max` characters with `…`.
fn shown(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count >= max {
            out.push('…');
            break;
        }
        push_shown(&mut out, c);
    }
    out
}

/// The part of a source line echoed under a diagnostic, and where its carets go.
#[derive(Debug, PartialEq, Eq)]
struct Excerpt {
    text: String,
    /// Characters before the first caret.
    caret: usize,
    /// How many carets (at least one).
    width: usize,
}

impl Excerpt {
    /// The excerpt of `line` around the span `start..end` (byte offsets in `line`), at most
    /// about [`MAX_SHOWN_SOURCE`] characters: the span (its first half of the budget at most),
    /// then what precedes and follows it. Only the characters shown are visited.
    fn new(line: &str, start: usize, end: usize) -> Self {
        let start = floor_boundary(line, start.min(line.len()));
        let end = floor_boundary(line, end.clamp(start, line.len()));
        let (before, span, after) = (&line[..start], &line[start..end], &line[end..]);

        // Each piece is one character as printed; the budget counts printed characters.
        let piece = |c: char| {
            let mut s = String::new();
            push_shown(&mut s, c);
            s
        };
        let width_of = |pieces: &[String]| pieces.iter().map(|p| p.chars().count()).sum::<usize>();
        let take = |chars: &mut dyn Iterator<Item = char>, budget: usize| {
            let mut pieces = Vec::new();
            let mut used = 0;
            for c in chars {
                let p = piece(c);
                let w = p.chars().count();
                if used + w > budget {
                    return (pieces, true);
                }
                used += w;
                pieces.push(p);
            }
            (pieces, false)
        };

        let (span_pieces, span_cut) = take(&mut span.chars(), MAX_SHOWN_SOURCE / 2);
        let left = MAX_SHOWN_SOURCE.saturating_sub(width_of(&span_pieces));
        let mut after_chars = after.chars();
        let (mut after_pieces, mut after_cut) = take(&mut after_chars, left / 2);
        let (before_rev, before_cut) =
            take(&mut before.chars().rev(), left - width_of(&after_pieces));
        if after_cut && !before_cut {
            // The start of the line is short: give what it left over to the rest of the line.
            let spare = left - width_of(&after_pieces) - width_of(&before_rev);
            let (more, cut) = take(&mut after_chars, spare);
            after_pieces.extend(more);
            after_cut = cut;
        }

        let mut text = String::new();
        if before_cut {
            text.push('…');
        }
        text.extend(before_rev.into_iter().rev());
        let caret = text.chars().count();
        text.extend(span_pieces);
        if span_cut {
            text.push('…');
        }
        let width = (text.chars().count() - caret).max(1);
        text.extend(after_pieces);
        if after_cut {
            text.push('…');
        }
        Self { text, caret, width }
    }
}

/// The largest character boundary of `s` at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_echoed_whole() {
        let e = Excerpt::new("  plugin: nill", 10, 14);
        assert_eq!(
            e,
            Excerpt {
                text: "  plugin: nill".into(),
                caret: 10,
                width: 4
            }
        );
        // An empty span still gets a caret.
        assert_eq!(Excerpt::new("abc", 3, 3).width, 1);
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}TARGET{}", "x".repeat(30_000), "y".repeat(30_000));
        let e = Excerpt::new(&line, 30_000, 30_006);
        assert!(e.text.chars().count() <= MAX_SHOWN_SOURCE + 2, "{}", e.text);
        assert!(
            e.text.starts_with('…') && e.text.ends_with('…'),
            "{}",
            e.text
        );
        let shown: String = e.text.chars().skip(e.caret).take(e.width).collect();
        assert_eq!(shown, "TARGET");
        // Near the start, the budget goes to what follows.
        let e = Excerpt::new(&line[29_990..], 10, 16);
        assert!(!e.text.starts_with('…'));
        assert_eq!(e.text.chars().count(), MAX_SHOWN_SOURCE + 1);
        // A long span is cut too.
        let e = Excerpt::new(&line, 0, line.len());
        assert_eq!((e.caret, e.width), (0, MAX_SHOWN_SOURCE / 2 + 1));
        assert!(e.text.chars().count() <= MAX_SHOWN_SOURCE + 2);
    }

    #[test]
    fn control_characters_are_escaped() {
        let e = Excerpt::new("key: \u{1b}[31mred\u{7}\u{9b}\u{202e}x\tz", 5, 10);
        assert_eq!(e.text, "key: \\u{1b}[31mred\\u{7}\\u{9b}\\u{202e}x    z");
        assert_eq!((e.caret, e.width), (5, 10));
        assert!(!e.text.chars().any(char::is_control));
        assert_eq!(shown("a\u{1b}b", 10), "a\\u{1b}b");
        assert_eq!(shown("abcdef", 3), "abc…");
    }

    #[test]
    fn spans_off_character_boundaries_do_not_panic() {
        let e = Excerpt::new("é€x", 1, 4);
        assert_eq!(e.text, "é€x");
        let _ = Excerpt::new("é", 5, 1);
    }

    const PROJECT: &str = "name: my-rock\nbase: ubuntu@24.04\nversion: '1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\n    stage-packages: [curl, curll]\n";

    #[test]
    fn package_names_are_checked_against_the_lists_given() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rockcraft.yaml"), PROJECT).unwrap();
        let index = dir.path().join("Packages");
        std::fs::write(&index, "Package: curl\n\nPackage: libpq5\n").unwrap();
        let paths = [dir.path().display().to_string()];

        let without = run(&paths, false);
        assert!(
            !without.stdout.contains("unknown-package"),
            "{}",
            without.stdout
        );

        let with = run_with(
            &paths,
            false,
            &PackageSettings {
                index_files: vec![index],
                ..PackageSettings::default()
            },
        );
        assert!(
            with.stdout
                .contains("11:28: warning[unknown-package]: no package `curll`"),
            "{}",
            with.stdout
        );
        assert_eq!(with.stdout.matches("unknown-package").count(), 1);
        assert_eq!(with.exit_code, 0, "a warning only");
    }

    #[test]
    fn apt_lists_of_the_release_are_read_from_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rockcraft.yaml"), PROJECT).unwrap();
        let lists = dir.path().join("lists");
        std::fs::create_dir(&lists).unwrap();
        std::fs::write(
            lists.join("archive.ubuntu.com_ubuntu_dists_noble_main_binary-amd64_Packages"),
            "Package: curl\n",
        )
        .unwrap();
        let paths = [dir.path().join("rockcraft.yaml").display().to_string()];
        let r = run_with(
            &paths,
            false,
            &PackageSettings {
                apt_lists_dir: Some(lists),
                ..PackageSettings::default()
            },
        );
        assert_eq!(
            r.stdout.matches("unknown-package").count(),
            1,
            "{}",
            r.stdout
        );
    }
}
