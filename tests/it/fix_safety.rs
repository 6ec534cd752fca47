//! No quick fix makes a project worse: every fix the checker offers, applied to every golden
//! input, every `tests/pack` case and every example, must not add an error of any kind, and a
//! fix offered for an error must leave fewer errors than before.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rockcraft_lsp::core::diagnostic::{Diagnostic, Severity};
use rockcraft_lsp::core::extensions::DEFAULT_EXTENSIONS_DIR;
use rockcraft_lsp::core::ide::edit::apply_edits;
use rockcraft_lsp::core::packages::StaticIndexes;
use rockcraft_lsp::core::pipeline::{self, Inputs};
use rockcraft_lsp::host::fs::RealFs;

/// Every project directory the test covers.
fn projects() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for (dir, inner) in [
        ("tests/golden", "input"),
        ("tests/pack", "input"),
        ("examples", ""),
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let project = e.path().join(inner);
            if project.join("rockcraft.yaml").is_file() {
                out.push(project);
            }
        }
    }
    out.sort();
    out
}

fn findings(text: &str, dir: &Path) -> Vec<Diagnostic> {
    let fs = RealFs::new(dir);
    let inputs = Inputs {
        fs: &fs,
        packages: &StaticIndexes::default(),
        experimental: false,
        extensions_dir: DEFAULT_EXTENSIONS_DIR,
    };
    pipeline::run(text, &inputs).diagnostics
}

/// The errors of a text, counted per code.
fn errors(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        *out.entry(d.code.name()).or_default() += 1;
    }
    out
}

#[test]
fn no_fix_makes_a_project_worse() {
    let projects = projects();
    assert!(projects.len() > 300, "only {} projects", projects.len());
    let (mut applied, mut worse) = (0usize, Vec::new());
    for dir in &projects {
        let Ok(text) = std::fs::read_to_string(dir.join("rockcraft.yaml")) else {
            continue;
        };
        let before_all = findings(&text, dir);
        let before = errors(&before_all);
        let total_before: usize = before.values().sum();
        for d in &before_all {
            for fix in &d.fixes {
                applied += 1;
                let fixed = apply_edits(&text, &fix.edits);
                let after = errors(&findings(&fixed, dir));
                let total_after: usize = after.values().sum();
                let added: Vec<&str> = after
                    .iter()
                    .filter(|(code, n)| **n > before.get(*code).copied().unwrap_or(0))
                    .map(|(code, _)| *code)
                    .collect();
                let no_progress = d.severity == Severity::Error && total_after >= total_before;
                if !added.is_empty() || no_progress {
                    worse.push(format!(
                        "{}: fix {:?} for {} adds {added:?} ({total_before} errors before, {total_after} after)",
                        dir.display(),
                        fix.title,
                        d.code
                    ));
                }
            }
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "{applied} fixes applied to {} projects, {} made a project worse",
        projects.len(),
        worse.len()
    );
    assert!(applied > 20, "only {applied} fixes were tried");
    assert!(worse.is_empty(), "{}", worse.join("\n"));
}
