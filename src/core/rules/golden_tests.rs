//! Acceptance tests over the golden corpus (`tests/golden`) and the benchmark samples
//! (`tests/fixtures/samples`): no error where rockcraft accepts a project, an error on the
//! offending line where it rejects one.

use std::path::{Path, PathBuf};

use crate::core::analysis::{Analysis, analyze};
use crate::core::diagnostic::Severity;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The golden cases with an input project, sorted.
fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/golden"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.join("input/rockcraft.yaml").is_file());
    v.sort();
    v
}

fn analyze_file(path: &Path) -> Analysis {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    analyze(&text)
}

/// `line:col code message` of each diagnostic of `severity`, for failure messages.
fn listing(a: &Analysis, severity: Option<Severity>) -> Vec<(u32, String)> {
    a.diagnostics
        .iter()
        .filter(|d| severity.is_none_or(|s| d.severity == s))
        .map(|d| {
            let line = a.doc.line_number(d.range.start());
            (
                line,
                format!("{line}: {} {} {}", d.severity.as_str(), d.code, d.message),
            )
        })
        .collect()
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn accepted_golden_inputs_have_no_errors() {
    let mut failures = Vec::new();
    let mut n = 0;
    for case in cases().iter().filter(|c| c.join("expected.yaml").is_file()) {
        n += 1;
        let a = analyze_file(&case.join("input/rockcraft.yaml"));
        for (_, l) in listing(&a, Some(Severity::Error)) {
            failures.push(format!("{}: {l}", name(case)));
        }
    }
    assert!(n > 100, "only {n} accepted cases found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn samples_have_no_errors() {
    for s in ["flask", "flask-edited"] {
        let a = analyze_file(&root().join(format!("tests/fixtures/samples/{s}/rockcraft.yaml")));
        let errors = listing(&a, Some(Severity::Error));
        assert!(errors.is_empty(), "{s}: {errors:?}");
    }
}

/// The line (1-based) of each rejected `general-*` case where rockcraft's complaint points:
/// the line of the offending key or value.
const REJECTED: &[(&str, u32)] = &[
    ("general-bare-without-build-base", 2),
    ("general-check-multiple-types", 14),
    ("general-check-no-type", 10),
    ("general-duplicate-yaml-key", 12),
    ("general-entrypoint-command-and-service", 10),
    ("general-entrypoint-service-unknown", 9),
    ("general-environment-interpolation", 10),
    ("general-extensions-empty-list", 9),
    ("general-invalid-name-double-hyphen", 1),
    ("general-invalid-version", 3),
    ("general-license-invalid", 9),
    ("general-missing-summary-description-version", 1),
    ("general-name-single-char", 1),
    ("general-no-parts", 1),
    ("general-no-platforms", 1),
    ("general-overlay-on-bare", 13),
    ("general-part-unknown-property", 12),
    ("general-platform-invalid-arch", 8),
    ("general-plugin-bazel-on-24.04", 11),
    ("general-plugin-not-in-rockcraft-group", 11),
    ("general-plugin-poetry-on-26.04", 11),
    ("general-run-user-invalid", 9),
    ("general-service-unknown-key", 13),
    ("general-unknown-top-level-key", 9),
    ("general-unsupported-base", 2),
    ("general-unsupported-build-base", 3),
    ("general-yaml-not-a-mapping", 1),
    ("general-yaml-syntax-error", 12),
];

#[test]
fn rejected_general_cases_have_an_error_on_the_offending_line() {
    let rejected: Vec<PathBuf> = cases()
        .into_iter()
        .filter(|c| name(c).starts_with("general-"))
        .filter(|c| {
            std::fs::read_to_string(c.join("expected-exit-code.txt")).is_ok_and(|t| t.trim() != "0")
        })
        .collect();
    let mut failures = Vec::new();
    for case in &rejected {
        let n = name(case);
        let Some(&(_, line)) = REJECTED.iter().find(|(c, _)| *c == n) else {
            failures.push(format!("{n}: rejected case missing from REJECTED"));
            continue;
        };
        let a = analyze_file(&case.join("input/rockcraft.yaml"));
        // An error, or a finding only `expand-extensions` refuses (these are its cases).
        let errors: Vec<(u32, String)> = a
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error || d.code.refused_by_expand_extensions_only())
            .map(|d| (a.doc.line_number(d.range.start()), d.message.clone()))
            .collect();
        if !errors.iter().any(|(l, _)| *l == line) {
            failures.push(format!("{n}: no error on line {line}; got {errors:?}"));
        }
    }
    assert!(
        rejected.len() >= REJECTED.len(),
        "{} rejected cases",
        rejected.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `tests/fixtures/samples/errors`: exactly one diagnostic on each `# ERR` line (the prime
/// prefix on line 20 included), none elsewhere.
#[test]
fn errors_sample_has_one_diagnostic_per_marked_line() {
    let path = root().join("tests/fixtures/samples/errors/rockcraft.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut want: Vec<u32> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("# ERR"))
        .filter_map(|(i, _)| u32::try_from(i + 1).ok())
        .collect();
    want.sort_unstable();
    let a = analyze(&text);
    let all = listing(&a, None);
    let mut got: Vec<u32> = all.iter().map(|(l, _)| *l).collect();
    got.sort_unstable();
    assert_eq!(got, want, "{all:#?}");
}

/// The rules never panic: every line prefix of the golden inputs and samples, and values of
/// unexpected shapes under every key the rules read.
#[test]
fn rules_never_panic() {
    let mut files: Vec<PathBuf> = cases()
        .iter()
        .map(|c| c.join("input/rockcraft.yaml"))
        .collect();
    for s in ["flask", "flask-edited", "errors"] {
        files.push(root().join(format!("tests/fixtures/samples/{s}/rockcraft.yaml")));
    }
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let mut end = 0;
        for line in text.split_inclusive('\n') {
            end += line.len();
            let _ = analyze(&text[..end]);
        }
    }
    let shapes = [
        "",
        " ~",
        " 1",
        " [a, [b], {c: d}]",
        " {a: [b]}",
        " ''",
        " '$'",
        " &x [*x]",
    ];
    let keys = [
        "name",
        "title",
        "version",
        "base",
        "build-base",
        "license",
        "environment",
        "platforms",
        "entrypoint-service",
        "entrypoint-command",
        "services",
        "checks",
        "parts",
        "extensions",
    ];
    for key in keys {
        for shape in shapes {
            let _ = analyze(&format!("{key}:{shape}\n"));
            let _ = analyze(&format!(
                "parts:\n  p:\n    {key}:{shape}\n    after:{shape}\n    stage-packages:{shape}\n    overlay:{shape}\n"
            ));
            let _ = analyze(&format!(
                "services:\n  s:\n    command:{shape}\n    after:{shape}\n    on-check-failure:{shape}\nentrypoint-service: s\n"
            ));
            let _ = analyze(&format!(
                "platforms:\n  {key}:{shape}\n  amd64:\n    build-on:{shape}\n    build-for:{shape}\n"
            ));
            let _ = analyze(&format!(
                "checks:\n  c:{shape}\n  d:\n    http:{shape}\n    tcp:{shape}\n"
            ));
        }
    }
}
