//! Holds our errors to what `rockcraft pack` accepts: every case in `tests/pack` carries the
//! real rockcraft's verdict on loading the project, and the project must have an error from us
//! exactly when rockcraft refused it. Cases where we do not agree yet are listed in
//! `tests/pack_known_disagreements.txt`, and the list must stay exact.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rockcraft_lsp::core::diagnostic::Severity;
use rockcraft_lsp::core::extensions::DEFAULT_EXTENSIONS_DIR;
use rockcraft_lsp::core::facts::{EXPERIMENTAL_ENV, experimental_from};
use rockcraft_lsp::core::pipeline::{self, Inputs};
use rockcraft_lsp::host::fs::RealFs;
use rockcraft_lsp::host::packages::{HostIndexes, PackageSettings};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// Whether the case's `env.txt` (KEY=VALUE lines) turns experimental extensions on.
fn experimental(case: &Path) -> bool {
    let text = read(&case.join("env.txt")).unwrap_or_default();
    let value = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| k.trim() == EXPERIMENTAL_ENV)
        .map(|(_, v)| v.to_owned())
        .next_back();
    experimental_from(value.as_deref().map(std::ffi::OsStr::new))
}

/// Case names listed as known disagreements; `#` starts a comment.
fn known() -> BTreeSet<String> {
    read(&root().join("tests/pack_known_disagreements.txt"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Our error messages on the case's project, as `code: message`.
fn our_errors(case: &Path, indexes: &HostIndexes) -> Vec<String> {
    let dir = case.join("input");
    let bytes =
        std::fs::read(dir.join("rockcraft.yaml")).expect("the case has input/rockcraft.yaml");
    let fs = RealFs::new(&dir);
    let inputs = Inputs {
        fs: &fs,
        packages: indexes,
        experimental: experimental(case),
        extensions_dir: DEFAULT_EXTENSIONS_DIR,
    };
    pipeline::run_bytes(bytes, &inputs)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.code.name(), d.message))
        .collect()
}

/// The line of rockcraft's message that says why it refused.
fn oracle_reason(case: &Path) -> String {
    let stderr = read(&case.join("expected-stderr.txt")).unwrap_or_default();
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    lines
        .iter()
        .find(|l| l.starts_with("- "))
        .or_else(|| {
            lines.iter().rev().find(|l| {
                l.starts_with(char::is_alphabetic) && !l.starts_with("Full execution log")
            })
        })
        .or_else(|| lines.first())
        .map_or_else(String::new, |l| (*l).to_owned())
}

#[test]
fn pack_verdicts() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("tests/pack"))
        .expect("tests/pack exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("input/rockcraft.yaml").is_file())
        .collect();
    cases.sort();
    let indexes = HostIndexes::load(&PackageSettings::default());
    let known = known();
    let (mut agree, mut false_errors, mut missed) = (0usize, 0usize, 0usize);
    let (mut unexpected, mut stale, mut seen) = (Vec::new(), Vec::new(), BTreeSet::new());
    let mut report = String::new();
    for case in &cases {
        let name = case
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        seen.insert(name.clone());
        let code = read(&case.join("expected-exit-code.txt"))
            .and_then(|t| t.trim().parse::<i32>().ok())
            .unwrap_or_else(|| panic!("{name}: no expected-exit-code.txt; record the case"));
        // Refusals that come when `pack` starts the build (the recorder stops before it) are
        // written down from craft-parts' source in `expected-lifecycle.txt`.
        let lifecycle = read(&case.join("expected-lifecycle.txt"));
        let refused = code != 0 || lifecycle.is_some();
        let errors = our_errors(case, &indexes);
        let listed = known.contains(&name);
        let tag = if listed { "KNOWN" } else { "DISAGREE" };
        match (refused, errors.first()) {
            (true, Some(_)) | (false, None) => {
                agree += 1;
                if listed {
                    stale.push(name);
                }
                continue;
            }
            (false, Some(first)) => {
                false_errors += 1;
                let _ = writeln!(
                    report,
                    "{tag} false error {name}: we say `{first}`; pack accepts it"
                );
            }
            (true, None) => {
                missed += 1;
                let reason = lifecycle
                    .as_deref()
                    .map_or_else(|| oracle_reason(case), |l| l.trim().to_owned());
                let _ = writeln!(
                    report,
                    "{tag} missed {name}: pack refuses it (exit {code}: {reason}); we report no error"
                );
            }
        }
        if !listed {
            unexpected.push(name);
        }
    }
    let absent: Vec<&String> = known.iter().filter(|k| !seen.contains(*k)).collect();
    let _ = writeln!(
        report,
        "{agree} agree, {false_errors} false errors, {missed} missed"
    );
    let _ = std::io::stderr().lock().write_all(report.as_bytes());
    assert!(
        cases.len() >= 60,
        "only {} cases in tests/pack",
        cases.len()
    );
    assert!(
        unexpected.is_empty(),
        "disagreements with pack not in tests/pack_known_disagreements.txt: {unexpected:?}"
    );
    assert!(
        stale.is_empty(),
        "listed in tests/pack_known_disagreements.txt but agreeing now (remove them): {stale:?}"
    );
    assert!(
        absent.is_empty(),
        "listed cases that do not exist: {absent:?}"
    );
}
