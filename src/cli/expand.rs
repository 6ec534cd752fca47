//! `rockcraft-lsp expand-extensions` and `list-extensions`: rockcraft's commands of the same
//! names, re-implemented natively with the same stdout and exit codes.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::cli::check::Report;
use crate::core::document::Document;
use crate::core::extensions::apply::apply_with_notes;
use crate::core::extensions::frameworks::common::describe;
use crate::core::extensions::merge::is_truthy;
use crate::core::extensions::model::{self, dotted};
use crate::core::extensions::{Anchor, Context, ExpandError, RealFs, registry};
use crate::core::yaml::{PathSeg, YamlErrorKind};

/// The project file rockcraft reads.
const PROJECT_FILE: &str = "rockcraft.yaml";

/// Build bases rockcraft has a plugin table for (anything else crashes at start-up).
const PLUGIN_BUILD_BASES: &[&str] = &[
    "ubuntu@20.04",
    "ubuntu@22.04",
    "ubuntu@24.04",
    "ubuntu@25.10",
    "ubuntu@26.04",
    "devel",
];

/// Expands the extensions of `project_dir/rockcraft.yaml` and prints the project the way
/// `rockcraft expand-extensions` does. `extensions_dir` is printed as the `source` of the
/// config-file parts; `experimental` stands for `ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS`.
#[must_use]
pub fn run_expand(project_dir: &Path, extensions_dir: &str, experimental: bool) -> Report {
    let mut report = Report::default();
    let file = project_dir.join(PROJECT_FILE);
    let shown_dir =
        std::fs::canonicalize(project_dir).unwrap_or_else(|_| project_dir.to_path_buf());
    let bytes = match std::fs::read(&file) {
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
    if bytes.len() as u64 > crate::cli::check::MAX_FILE_BYTES {
        report.stderr = format!(
            "{} is {} bytes, too large to expand.\n",
            file.display(),
            bytes.len()
        );
        report.exit_code = 1;
        return report;
    }
    let Ok(text) = String::from_utf8(bytes) else {
        report.stderr = format!("{} is not UTF-8 text.\n", file.display());
        report.exit_code = 1;
        return report;
    };
    let doc = Document::parse(&text);
    if let Err(err) = startup_checks(&doc) {
        return fail(report, &err, Some(&doc));
    }
    let fs = RealFs::new(project_dir);
    let ctx = Context {
        fs: &fs,
        experimental,
        extensions_dir,
    };
    let mut notes = Vec::new();
    let applied = apply_with_notes(&doc.json, &ctx, &mut notes);
    for n in &notes {
        let _ = writeln!(report.stderr, "{n}");
    }
    let expanded = match applied {
        Ok(v) => v,
        Err(err) => return fail(report, &err, Some(&doc)),
    };
    let outcome = model::build(&expanded);
    report.stdout = outcome.stdout();
    match &outcome.result {
        Ok(_) => report,
        Err(err) => fail(report, err, Some(&doc)),
    }
}

/// What rockcraft checks (by crashing) before the command runs: readable YAML, a mapping, a
/// base and a build base it has plugins for.
fn startup_checks(doc: &Document) -> Result<(), ExpandError> {
    if let Some(e) = doc.yaml_errors.first() {
        let (line, col) = line_col(doc, u32::from(e.range.start()));
        let what = match &e.kind {
            YamlErrorKind::DuplicateKey { key, .. } => format!("the key '{key}' is written twice"),
            _ => e.message.clone(),
        };
        return Err(ExpandError::project(
            Anchor::Document,
            format!("{PROJECT_FILE} cannot be loaded: line {line}, column {col}: {what}"),
        )
        .resolution("Fix the YAML; rockcraft stops with a traceback on this file.")
        .doc(model::PROJECT_DOC_SLUG));
    }
    let Value::Object(map) = &doc.json else {
        return Err(ExpandError::project(
            Anchor::Document,
            format!("{PROJECT_FILE} must be a mapping of keys to values (name, base, parts, ...)"),
        )
        .resolution("Start from `rockcraft init`.")
        .doc(model::PROJECT_DOC_SLUG));
    };
    let base = map.get("base").filter(|b| !b.is_null());
    let Some(base) = base else {
        return Err(ExpandError::project(
            Anchor::Document,
            format!("{PROJECT_FILE} has no `base`; rockcraft cannot plan the build without it"),
        )
        .resolution("Add `base: ubuntu@24.04`, or `base: bare` with `build-base: ubuntu@24.04`.")
        .doc(model::PROJECT_DOC_SLUG));
    };
    let (key, value) = match map.get("build-base").filter(|v| is_truthy(v)) {
        Some(bb) => ("build-base", bb),
        None => ("base", base),
    };
    let Some(s) = value.as_str() else {
        return Err(ExpandError::project(
            Anchor::Path(vec![PathSeg::Key(key.into())]),
            format!(
                "`{key}` must be a string such as `ubuntu@24.04`, but it is {} (`{value}`)",
                describe(value)
            ),
        )
        .resolution(format!(
            "Write `{key}` as a string, for example `{key}: ubuntu@24.04`."
        ))
        .doc(model::PROJECT_DOC_SLUG));
    };
    let mut name = s.to_owned();
    if name.matches(':').count() == 1 && !name.contains('@') {
        name = name.replacen(':', "@", 1);
    }
    if name != "devel"
        && name.matches('@').count() == 1
        && !PLUGIN_BUILD_BASES.contains(&name.as_str())
    {
        let hint = if key == "base"
            && name.starts_with("ubuntu@")
            && name.as_str() > "ubuntu@26.04"
            && !map.contains_key("build-base")
        {
            " (a development series needs `build-base: devel`)"
        } else {
            ""
        };
        return Err(ExpandError::project(
            Anchor::Path(vec![PathSeg::Key(key.into())]),
            format!("rockcraft cannot build on '{s}'{hint}: the supported build bases are {}", PLUGIN_BUILD_BASES.join(", ")),
        )
        .resolution(format!("Change `{key}` to one of the supported build bases; rockcraft stops with an internal error on '{s}'."))
        .doc(model::PROJECT_DOC_SLUG));
    }
    Ok(())
}

fn line_col(doc: &Document, offset: u32) -> (u32, u32) {
    let line = doc.lines.line_of(offset);
    let (start, _) = doc.lines.line_range(&doc.text, line).unwrap_or((0, 0));
    let prefix = doc
        .text
        .get(start as usize..offset as usize)
        .unwrap_or_default();
    (
        line + 1,
        u32::try_from(prefix.chars().count()).unwrap_or(0) + 1,
    )
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
    let (line, col) = line_col(doc, u32::from(tree.node(node).span.start()));
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

    #[test]
    fn startup_checks_follow_rockcraft() {
        let ok = |t: &str| startup_checks(&Document::parse(t)).is_ok();
        assert!(ok("base: ubuntu@24.04\n"));
        assert!(ok("base: bare\n"));
        assert!(ok("base: ubuntu:22.04\n"));
        assert!(ok("base: ubuntu@26.10\nbuild-base: devel\n"));
        assert!(!ok("base: ubuntu@26.10\n"));
        assert!(!ok("base: ubuntu@18.04\n"));
        assert!(!ok("base: bare\nbuild-base: ubuntu@26.10\n"));
        assert!(!ok("name: x\n"));
        assert!(!ok("- a\n"));
        assert!(!ok("a: 1\na: 2\n"));
        assert!(!ok("a: [\n"));
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
