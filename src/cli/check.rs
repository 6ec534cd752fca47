//! `rockcraft-lsp check`: compiler-style diagnostics for `rockcraft.yaml` files, or JSON. Each
//! file is checked like in the editor, extension expansion included (the project directory
//! next to the file is read, never written).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::fix::{self as cli_fix, FixMode, NotWritten};
use crate::cli::format::github::Github;
use crate::cli::format::json::Json;
use crate::cli::format::sarif::Sarif;
use crate::cli::format::{FileFindings, Writer};
use crate::core::code::Code;
use crate::core::diagnostic::Severity;
use crate::core::document::Document;
use crate::core::extensions::DEFAULT_EXTENSIONS_DIR;
use crate::core::facts::PROJECT_FILE;
use crate::core::fix::{self, Outcome};
use crate::core::pipeline::{self, Inputs, MAX_TEXT_BYTES};
use crate::core::text::TextRange;
use crate::host::files;
use crate::host::fs::RealFs;
use crate::host::packages::{HostIndexes, PackageSettings};

/// Directories never searched.
const SKIP_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    ".yarn",
    "target",
    ".venv",
    "venv",
    "__pycache__",
];

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style: location, message, the source lines underlined
    #[default]
    Text,
    /// A JSON array with one object per finding
    Json,
    /// GitHub Actions workflow commands: an annotation per finding
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

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
            walk(path, &mut out, 0);
        } else {
            out.push(path.to_path_buf());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        let Ok(ft) = e.file_type() else { continue };
        let name = e.file_name();
        let name = name.to_string_lossy();
        if ft.is_dir() {
            if !SKIP_DIRS.contains(&name.as_ref()) {
                walk(&e.path(), out, depth + 1);
            }
        } else if name == PROJECT_FILE && !e.path().is_dir() {
            // A link to the project file is checked too; anything but a regular file by that
            // name (a FIFO, a device, a broken link) is then refused with the reason.
            out.push(e.path());
        }
    }
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
pub fn run(paths: &[String], format: Format) -> Report {
    run_with(paths, format, &PackageSettings::default())
}

/// Checks the given paths, with package names checked against what `packages` points at.
#[must_use]
pub fn run_with(paths: &[String], format: Format, packages: &PackageSettings) -> Report {
    run_mode(paths, format, packages, FixMode::Report)
}

/// Checks the given paths, fixing or showing the fixes as `mode` says.
#[must_use]
pub fn run_mode(
    paths: &[String],
    format: Format,
    packages: &PackageSettings,
    mode: FixMode,
) -> Report {
    let mut out = Vec::new();
    let mut report = run_to(paths, format, packages, mode, &mut out);
    report.stdout = String::from_utf8_lossy(&out).into_owned();
    report
}

/// [`run_with`], writing the findings to `out` as each file is checked instead of keeping
/// them (a hostile project can have hundreds of thousands); the report's `stdout` stays empty.
pub fn run_to(
    paths: &[String],
    format: Format,
    packages: &PackageSettings,
    mode: FixMode,
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
    let mut io_failed = false;
    let mut write_failed = false;
    let mut emit = |text: &str| {
        if !write_failed && out.write_all(text.as_bytes()).is_err() {
            // A closed pipe (`| head`): stop writing, keep counting.
            write_failed = true;
        }
    };
    // `--diff` prints the diffs only.
    let mut writer: Option<Box<dyn Writer>> = match format {
        _ if mode == FixMode::Diff => None,
        Format::Text => None,
        Format::Json => Some(Box::new(Json::default())),
        Format::Github => Some(Box::new(Github)),
        Format::Sarif => Some(Box::new(Sarif::new(std::env::current_dir().ok()))),
    };
    if let Some(w) = &mut writer {
        emit(&w.start());
    }
    let mut fixes = 0usize;
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
        let pipeline::Findings {
            analysis,
            mut diagnostics,
        } = pipeline::run_bytes(bytes, &inputs);
        let mut doc = analysis.doc;
        let readable = !diagnostics.iter().any(|d| d.code == Code::NotUtf8);
        if mode != FixMode::Report && readable {
            match fix::fix_all(&doc.text, &diagnostics, |t| {
                pipeline::run(t, &inputs).diagnostics
            }) {
                Outcome::Unchanged => {}
                Outcome::Refused(worse) => {
                    let _ = writeln!(
                        report.stderr,
                        "warning: {shown}: not fixed: {}",
                        worse.reason()
                    );
                }
                Outcome::Fixed {
                    text,
                    applied,
                    diagnostics: remaining,
                } if mode == FixMode::Diff => {
                    emit(&cli_fix::diff(&shown, &doc.text, &text));
                    fixes += applied;
                    diagnostics = remaining;
                }
                Outcome::Fixed {
                    text,
                    applied,
                    diagnostics: remaining,
                } => match cli_fix::write_in_place(file, &doc.text, &text) {
                    Ok(()) => {
                        fixes += applied;
                        doc = Document::parse(&text);
                        diagnostics = remaining;
                    }
                    Err(NotWritten::Refused(why)) => {
                        let _ = writeln!(report.stderr, "warning: {shown}: not fixed: {why}");
                    }
                    Err(NotWritten::Io(e)) => {
                        let _ = writeln!(report.stderr, "error: {shown}: not fixed: {e}");
                        io_failed = true;
                    }
                },
            }
        }
        for d in &diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => {}
            }
        }
        if mode == FixMode::Diff {
            continue;
        }
        if let Some(w) = &mut writer {
            emit(&w.file(FileFindings {
                path: file,
                doc: &doc,
                diagnostics: &diagnostics,
            }));
            continue;
        }
        for d in &diagnostics {
            let mut piece = String::new();
            render(
                &mut piece,
                &shown,
                &doc,
                d.range,
                d.severity,
                d.code.name(),
                &d.message,
            );
            emit(&piece);
        }
    }
    if let Some(w) = &mut writer {
        emit(&w.finish());
    }
    let _ = out.flush();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if mode == FixMode::Diff {
        let _ = writeln!(
            report.stderr,
            "{} would be applied",
            plural(fixes, "fix", "fixes")
        );
        report.exit_code = if io_failed { 2 } else { i32::from(fixes > 0) };
        return report;
    }
    let _ = write!(
        report.stderr,
        "{}, {} in {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(files.len(), "file", "files"),
    );
    if mode == FixMode::Fix {
        let _ = write!(
            report.stderr,
            " ({} applied)",
            plural(fixes, "fix", "fixes")
        );
    }
    report.stderr.push('\n');
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

        let without = run(&paths, Format::Text);
        assert!(
            !without.stdout.contains("unknown-package"),
            "{}",
            without.stdout
        );

        let with = run_with(
            &paths,
            Format::Text,
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
            Format::Text,
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
