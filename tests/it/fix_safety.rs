//! No quick fix, refactoring or completion item makes a project worse: each one the editor
//! offers, applied to every golden input, every `tests/pack` case and every example, must not
//! add an error of any kind, and a fix offered for an error must leave fewer errors than
//! before. Completion is tried at the end of every value and list item, where a user asks for
//! other values. What "worse" means is `tests/common/safety.rs`, shared with the how-to walk.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use rockcraft_lsp::core::completion::{Sources, complete};
use rockcraft_lsp::core::diagnostic::{Diagnostic, Edit};
use rockcraft_lsp::core::extensions::DEFAULT_EXTENSIONS_DIR;
use rockcraft_lsp::core::ide::actions::{ActionKind, actions};
use rockcraft_lsp::core::ide::edit::apply_edits;
use rockcraft_lsp::core::packages::StaticIndexes;
use rockcraft_lsp::core::pipeline;
use rockcraft_lsp::core::text::{TextRange, TextSize};
use rockcraft_lsp::core::yaml::{NodeId, Tree};
use rockcraft_lsp::host::fs::RealFs;

use crate::safety::{findings, known_exceptions, worse};

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

/// The offsets right after every value and list item (an empty value included).
fn value_ends(tree: &Tree) -> Vec<u32> {
    let mut out = Vec::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        let Some(parent) = node.parent else { continue };
        let id = NodeId(u32::try_from(i).unwrap());
        let is_value =
            tree.entries(parent).iter().any(|e| e.value == id) || tree.items(parent).contains(&id);
        if is_value && (tree.scalar(id).is_some() || tree.is_null(id)) {
            out.push(u32::from(tree.span(id).end()));
        }
    }
    out
}

/// Every change the editor offers on a project: its quick fixes (with the finding they fix),
/// its refactorings, and the completion items at the end of each value.
fn offered(
    text: &str,
    dir: &Path,
    found: &[Diagnostic],
) -> Vec<(String, Option<Diagnostic>, Vec<Edit>)> {
    let mut out = Vec::new();
    for d in found {
        for fix in &d.fixes {
            out.push((
                format!("fix {:?}", fix.title),
                Some(d.clone()),
                fix.edits.clone(),
            ));
        }
    }
    let fast = pipeline::fast(text);
    let doc = &fast.doc;
    let fs = RealFs::new(dir);
    let expansion = pipeline::expansion(&fast, &fs, false, DEFAULT_EXTENSIONS_DIR);
    let whole = TextRange::new(
        TextSize::from(0),
        TextSize::from(u32::try_from(text.len()).unwrap()),
    );
    for a in actions(doc, expansion.as_ref(), whole, &[]) {
        if a.kind == ActionKind::Refactor {
            out.push((format!("refactoring {:?}", a.title), None, a.edits));
        }
    }
    let indexes = StaticIndexes::default();
    let sources = Sources {
        fs: Some(&fs),
        packages: &indexes,
        experimental: false,
        expanded: expansion.as_ref().and_then(|e| e.expanded.as_ref()),
    };
    for at in value_ends(&doc.tree) {
        for item in complete(doc, at, &sources) {
            let item = item.without_snippet();
            let mut edits = vec![Edit {
                range: item.edit_range,
                text: item.insert_text,
            }];
            edits.extend(item.additional_edits);
            out.push((format!("completion {:?} at {at}", item.label), None, edits));
        }
    }
    out
}

/// Applies every offered change to each project of `dirs`: how many were tried, and a line for
/// each that made its project worse.
fn try_all(dirs: &[PathBuf]) -> (usize, Vec<String>) {
    let (mut applied, mut worse_lines) = (0usize, Vec::new());
    for dir in dirs {
        let Ok(text) = std::fs::read_to_string(dir.join("rockcraft.yaml")) else {
            continue;
        };
        let before = findings(&text, dir, false);
        for (what, fixed_finding, edits) in offered(&text, dir, &before) {
            applied += 1;
            let fixed = apply_edits(&text, &edits);
            let after = findings(&fixed, dir, false);
            if let Some(line) = worse(&what, &before, &after, fixed_finding.as_ref()) {
                worse_lines.push(format!("{}: {line}", dir.display()));
            }
        }
    }
    (applied, worse_lines)
}

#[test]
fn no_fix_makes_a_project_worse() {
    let projects = projects();
    assert!(projects.len() > 300, "only {} projects", projects.len());
    // The projects are independent: split them over the machine's cores.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = projects.len().div_ceil(threads);
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let jobs: Vec<_> = projects
            .chunks(chunk)
            .map(|dirs| scope.spawn(move || try_all(dirs)))
            .collect();
        jobs.into_iter()
            .map(|j| j.join().expect("a worker"))
            .collect()
    });
    let applied: usize = results.iter().map(|(n, _)| n).sum();
    let worse: Vec<String> = results.into_iter().flat_map(|(_, w)| w).collect();
    assert!(applied > 20, "only {applied} fixes were tried");
    let known = known_exceptions();
    let mut matched = vec![false; known.len()];
    let unexpected: Vec<&String> = worse
        .iter()
        .filter(|line| {
            let what = line.split_once(": ").map_or(line.as_str(), |(_, w)| w);
            let hit = known.iter().position(|re| re.is_match(what));
            if let Some(i) = hit {
                matched[i] = true;
            }
            hit.is_none()
        })
        .collect();
    let _ = writeln!(
        std::io::stderr(),
        "{applied} fixes, refactorings and completion items applied to {} projects, {} made a project worse ({} of them known, tests/fix_safety_known.txt)",
        projects.len(),
        worse.len(),
        worse.len() - unexpected.len()
    );
    let stale: Vec<&str> = known
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(re, _)| re.as_str())
        .collect();
    assert!(
        unexpected.is_empty(),
        "changes that make a project worse:\n{}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        stale.is_empty(),
        "tests/fix_safety_known.txt lists what no longer happens; remove: {stale:?}"
    );
}
