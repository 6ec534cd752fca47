//! `check --fix` and `check --diff`: the fixed text of a file written in its place (atomically,
//! keeping its permissions), or shown as a unified diff; the reason when it is left alone. Which fixes are applied, and when a
//! file is left as it is because they would make it worse, is `core::fix`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use similar::TextDiff;

use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::fix::{Outcome, fix_all};

/// What `check` does with the fixes it finds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FixMode {
    /// Report the findings only.
    #[default]
    Report,
    /// Apply the fixes in place, then report what remains.
    Fix,
    /// Print the changes `Fix` would make, and change nothing.
    Diff,
}

/// What `--fix` or `--diff` did with one file.
#[derive(Debug)]
pub enum Done {
    /// There was nothing to fix.
    Nothing,
    /// `--diff`: the changes, and how many fixes they are.
    Shown { diff: String, applied: usize },
    /// `--fix`: the file is written; the fixed document and its findings.
    Written {
        applied: usize,
        doc: Arc<Document>,
        diagnostics: Vec<Diagnostic>,
    },
    /// The file is left as it is: the line to print on stderr saying why, and whether that is
    /// an I/O error (a failure of the command) rather than a refusal.
    LeftAlone { message: String, io_error: bool },
}

/// Fixes (`FixMode::Fix`) or shows the fixes of (`FixMode::Diff`, styled with `color`) the
/// file at `path`, shown as `shown`, whose text and findings are `doc` and `diagnostics`;
/// `analyze` gives the findings on a changed text.
pub fn fix_file(
    path: &Path,
    shown: &str,
    doc: &Document,
    diagnostics: &[Diagnostic],
    mode: FixMode,
    color: bool,
    analyze: impl FnMut(&str) -> Vec<Diagnostic>,
) -> Done {
    let left_alone = |why: &str, io_error: bool| Done::LeftAlone {
        message: format!(
            "{}: {shown}: not fixed: {why}\n",
            if io_error { "error" } else { "warning" }
        ),
        io_error,
    };
    match fix_all(&doc.text, diagnostics, analyze) {
        Outcome::Unchanged => Done::Nothing,
        Outcome::Refused(worse) => left_alone(&worse.reason(), false),
        Outcome::Fixed { text, applied, .. } if mode != FixMode::Fix => Done::Shown {
            diff: diff(shown, &doc.text, &text, color),
            applied,
        },
        Outcome::Fixed {
            text,
            applied,
            diagnostics,
        } => match write_in_place(path, &doc.text, &text) {
            Ok(()) => Done::Written {
                applied,
                doc: Arc::new(Document::parse(&text)),
                diagnostics,
            },
            Err(NotWritten::Refused(why)) => left_alone(&why, false),
            Err(NotWritten::Io(e)) => left_alone(&e, true),
        },
    }
}

/// How long the diff of one file may search for the smallest diff before settling for a
/// larger one (still exact): a hostile file can have a hundred thousand changed lines.
const DIFF_TIMEOUT: Duration = Duration::from_secs(2);

/// The unified diff from `old` to `new`, both named `path`, with three lines of context; with
/// `color`, styled as git styles it on a terminal (headers bold, hunk lines cyan, removed
/// lines red, added lines green).
#[must_use]
pub fn diff(path: &str, old: &str, new: &str, color: bool) -> String {
    let plain = TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string();
    if !color {
        return plain;
    }
    let mut out = String::with_capacity(plain.len() * 2);
    for line in plain.split_inclusive('\n') {
        let style = if line.starts_with("--- ") || line.starts_with("+++ ") {
            Style::new().bold()
        } else if line.starts_with("@@") {
            AnsiColor::Cyan.on_default()
        } else if line.starts_with('-') {
            AnsiColor::Red.on_default()
        } else if line.starts_with('+') {
            AnsiColor::Green.on_default()
        } else {
            Style::new()
        };
        let text = line.strip_suffix('\n').unwrap_or(line);
        let _ = write!(out, "{style}{text}{style:#}");
        out.push_str(&line[text.len()..]);
    }
    out
}

/// Why a fixed text was not written.
#[derive(Debug, PartialEq, Eq)]
pub enum NotWritten {
    /// The file is not one to replace: a link (left alone, not replaced by a file) or another
    /// kind of file, or it changed since it was read.
    Refused(String),
    /// Reading or writing failed.
    Io(String),
}

/// Replaces the contents of the file at `path`, which held `old`, by `new`: written to a
/// temporary file in the same directory, given the file's permissions, then renamed over it,
/// so that the file is at all times either the old text or the new one.
///
/// # Errors
/// Why nothing was written.
pub fn write_in_place(path: &Path, old: &str, new: &str) -> Result<(), NotWritten> {
    let io = |what: &'static str| move |e: std::io::Error| NotWritten::Io(format!("{what}: {e}"));
    let meta = std::fs::symlink_metadata(path).map_err(io("cannot read it"))?;
    if meta.file_type().is_symlink() {
        return Err(NotWritten::Refused(
            "it is a symbolic link (fix the file it points to)".into(),
        ));
    }
    if !meta.file_type().is_file() {
        return Err(NotWritten::Refused("it is not a regular file".into()));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".rockcraft.yaml.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io("cannot create a temporary file beside it"))?;
    tmp.write_all(new.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(io("cannot write a temporary file beside it"))?;
    std::fs::set_permissions(tmp.path(), meta.permissions())
        .map_err(io("cannot give the temporary file its permissions"))?;
    // The file may have been edited while it was checked: that edit is not overwritten.
    if std::fs::read(path).map_err(io("cannot read it"))? != old.as_bytes() {
        return Err(NotWritten::Refused(
            "it changed while it was checked".into(),
        ));
    }
    tmp.persist(path)
        .map_err(|e| NotWritten::Io(format!("cannot replace it: {}", e.error)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_is_unified() {
        let d = diff("r.yaml", "a\nb\nc\n", "a\nB\nc\n", false);
        assert_eq!(
            d,
            "--- r.yaml\n+++ r.yaml\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
        assert_eq!(diff("r.yaml", "a\n", "a\n", false), "");
        // In colour: the same text once the escapes are taken out, and a line's style ends
        // before its line break.
        let c = diff("r.yaml", "a\nb\nc\n", "a\nB\nc\n", true);
        assert_eq!(anstream::adapter::strip_str(&c).to_string(), d);
        assert!(c.contains("\u{1b}[31m-b\u{1b}[0m\n"), "{c:?}");
        assert!(c.contains("\u{1b}[32m+B\u{1b}[0m\n"), "{c:?}");
    }

    #[test]
    fn writes_keep_permissions_and_refuse_links_and_changed_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rockcraft.yaml");
        std::fs::write(&path, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_in_place(&path, "old\n", "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let e = write_in_place(&path, "old\n", "newer\n").unwrap_err();
        assert_eq!(
            e,
            NotWritten::Refused("it changed while it was checked".into())
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.yaml");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            let e = write_in_place(&link, "new\n", "x\n").unwrap_err();
            assert!(
                matches!(&e, NotWritten::Refused(r) if r.contains("symbolic link")),
                "{e:?}"
            );
            assert!(
                std::fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
        }
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(
            names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")),
            "{names:?}"
        );
    }
}
