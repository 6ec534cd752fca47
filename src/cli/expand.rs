//! `rockcraft-lsp expand-extensions` and `list-extensions`: rockcraft's commands of the same
//! names, re-implemented natively with the same stdout and exit codes.

use std::fmt::Write as _;
use std::path::Path;

use crate::cli::check::Report;
use crate::core::document::Document;
use crate::core::extensions::{Anchor, Context, ExpandError, registry};
use crate::core::facts::PROJECT_FILE;
use crate::core::pipeline;
use crate::core::yaml::dotted;
use crate::host::files;
use crate::host::fs::RealFs;

/// Expands the extensions of `project_dir/rockcraft.yaml` and prints the project the way
/// `rockcraft expand-extensions` does. `extensions_dir` is printed as the `source` of the
/// config-file parts; `experimental` stands for
/// [`crate::core::facts::EXPERIMENTAL_ENV`].
#[must_use]
pub fn run_expand(project_dir: &Path, extensions_dir: &str, experimental: bool) -> Report {
    let mut report = Report::default();
    let file = project_dir.join(PROJECT_FILE);
    let shown_dir =
        std::fs::canonicalize(project_dir).unwrap_or_else(|_| project_dir.to_path_buf());
    let bytes = match files::read_regular(&file, pipeline::MAX_TEXT_BYTES as u64) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound || file.is_dir() => {
            let err = ExpandError {
                kind: crate::core::extensions::ErrorKind::NoProjectFile,
                ..ExpandError::project(
                    Anchor::Document,
                    format!(
                        "There is no {PROJECT_FILE} in {}: expand-extensions reads the project from that directory.",
                        shown_dir.display()
                    ),
                )
                .resolution(format!(
                    "Run the command in the project directory, point `--project-dir` at it, or create {PROJECT_FILE} with `rockcraft init`."
                ))
            };
            return fail(report, &err, None);
        }
        Err(e) => {
            report.stderr = format!("Cannot read {}: {e}\n", file.display());
            report.exit_code = 1;
            return report;
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        report.stderr = format!("{} is not UTF-8 text.\n", file.display());
        report.exit_code = 1;
        return report;
    };
    let doc = Document::parse(&text);
    let fs = RealFs::new(project_dir);
    let ctx = Context {
        fs: &fs,
        experimental,
        extensions_dir,
        cancel: crate::core::cancel::Cancel::NEVER,
    };
    let expanded = pipeline::expand_project(&doc, &ctx);
    for n in &expanded.notes {
        let _ = writeln!(report.stderr, "{n}");
    }
    match &expanded.outcome {
        Err(err) => fail(report, err, Some(&doc)),
        Ok(outcome) => {
            report.stdout = outcome.stdout();
            match &outcome.result {
                Ok(_) => report,
                Err(err) => fail(report, err, Some(&doc)),
            }
        }
    }
}

/// Where in rockcraft.yaml an anchor points, as `rockcraft.yaml:LINE:COL`.
fn locate(doc: &Document, anchor: &Anchor) -> Option<String> {
    let tree = &doc.tree;
    let node = match anchor {
        Anchor::Extension(name) => {
            let list = tree.top("extensions")?;
            tree.items(list)
                .iter()
                .copied()
                .find(|&i| tree.text(i) == Some(name.as_str()))
                .unwrap_or(list)
        }
        Anchor::Path(path) => {
            // The nearest ancestor that exists in the source; a key only the extensions
            // generated (such as `run_user`) points at `extensions:`.
            (1..=path.len())
                .rev()
                .find_map(|n| {
                    let p = &path[..n];
                    tree.entry_at_path(p)
                        .map(|e| e.key)
                        .or_else(|| tree.at_path(p))
                })
                .or_else(|| {
                    tree.root
                        .and_then(|r| tree.entry(r, "extensions"))
                        .map(|e| e.key)
                })?
        }
        Anchor::File(f) => return Some(f.clone()),
        Anchor::Document => return None,
    };
    let (line, col) = doc.line_col(u32::from(tree.span(node).start()));
    Some(format!("{PROJECT_FILE}:{line}:{col}"))
}

/// Writes an error report: the message, its location in rockcraft.yaml when there is one,
/// the fix and the documentation link.
fn fail(mut report: Report, err: &ExpandError, doc: Option<&Document>) -> Report {
    let _ = writeln!(report.stderr, "{}", err.text());
    if let Some(loc) = doc.and_then(|d| locate(d, &err.anchor)) {
        let what = match &err.anchor {
            Anchor::Path(p) => format!(" (`{}`)", dotted(p)),
            Anchor::Extension(n) => format!(" (extension '{n}')"),
            _ => String::new(),
        };
        let _ = writeln!(report.stderr, "  --> {loc}{what}");
    }
    if let Some(r) = &err.resolution {
        let _ = writeln!(report.stderr, "  fix: {r}");
    }
    if let Some(url) = err.doc_url() {
        let _ = writeln!(report.stderr, "  docs: {url}");
    }
    report.exit_code = err.exit_code();
    report
}

/// `list-extensions`: every extension with all the bases it supports.
#[must_use]
pub fn run_list() -> Report {
    let rows: Vec<(&str, String)> = registry::EXTENSIONS
        .iter()
        .map(|e| (e.name, registry::all_bases(e).join(", ")))
        .collect();
    let h1 = "Extension name";
    let h2 = "Supported bases";
    let w1 = rows
        .iter()
        .map(|r| r.0.len())
        .chain([h1.len()])
        .max()
        .unwrap_or(0);
    let w2 = rows
        .iter()
        .map(|r| r.1.len())
        .chain([h2.len()])
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let _ = writeln!(out, "{h1:<w1$}  {h2}");
    let _ = writeln!(out, "{}  {}", "-".repeat(w1), "-".repeat(w2));
    for (name, bases) in rows {
        let _ = writeln!(out, "{name:<w1$}  {bases}");
    }
    Report {
        stdout: out,
        stderr: String::new(),
        exit_code: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_matches_rockcraft() {
        let r = run_list();
        assert_eq!(r.exit_code, 0);
        let lines: Vec<&str> = r.stdout.lines().collect();
        assert_eq!(lines[0], "Extension name         Supported bases");
        assert_eq!(
            lines[2],
            "django-framework       bare, ubuntu:22.04, ubuntu@22.04, ubuntu@24.04, ubuntu@26.04"
        );
        assert_eq!(lines.len(), 8);
    }

    /// A project directory holding `yaml`, removed when the guard drops.
    fn temp_project(tag: &str, yaml: &str) -> tempfile::TempDir {
        let dir = tempfile::Builder::new()
            .prefix(&format!("rockcraft-lsp-expand-{tag}-"))
            .tempdir()
            .unwrap();
        std::fs::write(dir.path().join(PROJECT_FILE), yaml).unwrap();
        dir
    }

    const PLAIN: &str = "name: my-app\nbase: ubuntu@24.04\nversion: '0.1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\n";

    #[test]
    fn expands_a_plain_project() {
        let dir = temp_project("plain", PLAIN);
        let r = run_expand(dir.path(), "/ext", false);
        assert_eq!(r.exit_code, 0, "{}", r.stderr);
        assert!(
            r.stdout
                .starts_with("name: my-app\ntitle: my-app\nversion: '0.1'\n"),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains("    build-for:\n    - amd64\n"));
    }

    #[test]
    fn failures_keep_earlier_warnings_on_stdout_and_locate_the_problem() {
        let yaml = format!("{PLAIN}entrypoint-service: nope\n");
        let dir = temp_project("warn", &yaml);
        let r = run_expand(dir.path(), "/ext", false);
        assert_eq!(r.exit_code, 1);
        assert!(
            r.stdout
                .starts_with("Warning: 'entrypoint-service' is defined."),
            "{}",
            r.stdout
        );
        assert!(!r.stdout.contains("name:"));
        assert!(r.stderr.contains("rockcraft.yaml:11:1"), "{}", r.stderr);
        assert!(r.stderr.contains(
            "\n  docs: https://documentation.ubuntu.com/rockcraft/latest/reference/rockcraft-yaml\n"
        ));
    }

    #[test]
    fn extension_errors_point_at_the_extension() {
        let yaml = format!("{PLAIN}extensions:\n  - nope-framework\n");
        let dir = temp_project("ext", &yaml);
        let r = run_expand(dir.path(), "/ext", false);
        assert_eq!(r.exit_code, 1);
        assert!(r.stdout.is_empty());
        assert!(
            r.stderr
                .contains("rockcraft.yaml:12:5 (extension 'nope-framework')"),
            "{}",
            r.stderr
        );
    }

    #[test]
    fn missing_project_file_is_exit_66() {
        let dir = tempfile::tempdir().unwrap();
        let r = run_expand(dir.path(), "/ext", false);
        assert_eq!(r.exit_code, 66);
        assert!(r.stdout.is_empty());
        assert!(
            r.stderr.starts_with("There is no rockcraft.yaml in "),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains(
            "\n  fix: Run the command in the project directory, point `--project-dir` at it, or create rockcraft.yaml with `rockcraft init`.\n"
        ));
    }
}
