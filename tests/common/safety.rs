//! What "makes a project worse" means for the fix-safety harness (`tests/it/fix_safety.rs`,
//! every change the editor offers on every test project) and the scripted how-to walk
//! (`tests/e2e/howto.rs`, the changes offered over the protocol while a project is written): a
//! change must not add an error of any kind, and a fix offered for an error must leave fewer
//! errors than before. The rule itself is `core::fix::worse`, which `check --fix` applies too;
//! this gives its verdict the line form that both tests' list of known exceptions,
//! `tests/fix_safety_known.txt` (which may only shrink), is written against.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use rockcraft_lsp::core::diagnostic::Diagnostic;
use rockcraft_lsp::core::extensions::DEFAULT_EXTENSIONS_DIR;
use rockcraft_lsp::core::fix;
use rockcraft_lsp::core::packages::StaticIndexes;
use rockcraft_lsp::core::pipeline::{self, Inputs};
use rockcraft_lsp::host::fs::RealFs;

/// Everything the editor reports on `text` as the `rockcraft.yaml` of `dir` (the expansion
/// included), with the bundled package indexes.
pub fn findings(text: &str, dir: &Path, experimental: bool) -> Vec<Diagnostic> {
    let fs = RealFs::new(dir);
    let inputs = Inputs {
        fs: &fs,
        packages: &StaticIndexes::default(),
        experimental,
        extensions_dir: DEFAULT_EXTENSIONS_DIR,
    };
    pipeline::run(text, &inputs).diagnostics
}

/// The errors among `diagnostics`, counted per code.
pub fn errors(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    fix::error_counts(diagnostics)
}

/// How a change made the project worse (the rule `check --fix` applies, `core::fix::worse`),
/// or `None` when it did not. `what` names the change (`refactoring "Add …"`, `completion
/// "libpq5_libs" at 120`); the line has the form the known exceptions are written against.
pub fn worse(
    what: &str,
    before: &[Diagnostic],
    after: &[Diagnostic],
    fixed: Option<&Diagnostic>,
) -> Option<String> {
    let fixed: Vec<&Diagnostic> = fixed.into_iter().collect();
    let w = fix::worse(before, after, &fixed)?;
    let about = fixed
        .first()
        .map(|d| format!(" for {}", d.code))
        .unwrap_or_default();
    Some(format!("{what}{about} {w}"))
}

/// The patterns of `tests/fix_safety_known.txt`: changes known to make a project worse still.
pub fn known_exceptions() -> Vec<regex::Regex> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fix_safety_known.txt");
    std::fs::read_to_string(path)
        .expect("tests/fix_safety_known.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| regex::Regex::new(l).expect("a regular expression"))
        .collect()
}
