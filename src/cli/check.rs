//! `rockcraft-lsp check`: compiler-style diagnostics for `rockcraft.yaml` files, or JSON. Each
//! file is checked like in the editor, extension expansion included (the project directory
//! next to the file is read, never written).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::core::diagnostic::Severity;
use crate::core::document::Document;
use crate::core::extensions::DEFAULT_EXTENSIONS_DIR;
use crate::core::facts::PROJECT_FILE;
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
pub fn run(paths: &[String], json_output: bool) -> Report {
    run_with(paths, json_output, &PackageSettings::default())
}

/// Checks the given paths, with package names checked against what `packages` points at.
#[must_use]
pub fn run_with(paths: &[String], json_output: bool, packages: &PackageSettings) -> Report {
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
    let mut json_items = Vec::new();
    let mut io_failed = false;
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
                json_items.push(json!({
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
                }));
            } else {
                render(
                    &mut report.stdout,
                    &shown,
                    doc,
                    d.range,
                    d.severity,
                    d.code.name(),
                    &d.message,
                );
            }
        }
    }
    if json_output {
        report.stdout = serde_json::to_string_pretty(&json_items).unwrap_or_else(|_| "[]".into());
        report.stdout.push('\n');
    }
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

/// Writes one diagnostic the way compilers do: a location line, the source line and carets.
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
        "{path}:{line}:{col}: {}[{code}]: {message}",
        sev.as_str()
    );
    let Some((_, line_end)) = doc.lines.line_range(&doc.text, line - 1) else {
        return;
    };
    let src = doc
        .text
        .get(line_start as usize..line_end as usize)
        .unwrap_or_default();
    let gutter = line.to_string().len();
    let end = u32::from(range.end()).min(line_end).max(start);
    let width = doc
        .text
        .get(start as usize..end as usize)
        .map_or(1, |s| s.chars().count().max(1));
    let _ = writeln!(out, "{:gutter$} |", "");
    let _ = writeln!(out, "{line} | {src}");
    let _ = writeln!(
        out,
        "{:gutter$} | {}{}",
        "",
        " ".repeat(col as usize - 1),
        "^".repeat(width)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

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
