//! `check --fix` and `check --diff` end to end on files: the fixes that need no choice are
//! written in place (or shown as a diff), what remains is reported, and a file the fixes would
//! make worse, or that is a link, is left as it is.

use rockcraft_lsp::cli::FixMode;
use rockcraft_lsp::cli::check::{Format, Report, run_mode};
use rockcraft_lsp::host::packages::PackageSettings;

/// Two findings with one fix each (a misspelt key, an error; a numeric version, a warning) and
/// one with several fixes to choose from (the base), which `--fix` leaves alone.
const PROJECT: &str = "name: my-rock\nsummary: s\ndescription: d\nversion: 0.1\nbase: ubuntu@23.04\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\n    stage-package: [curl]\n";

const FIXED: &str = "name: my-rock\nsummary: s\ndescription: d\nversion: \"0.1\"\nbase: ubuntu@23.04\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\n    stage-packages: [curl]\n";

fn project(text: &str) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("rockcraft.yaml");
    std::fs::write(&path, text).unwrap();
    (tmp, path.display().to_string())
}

fn check(path: &str, format: Format, mode: FixMode) -> Report {
    run_mode(
        &[path.to_owned()],
        format,
        &PackageSettings::default(),
        mode,
    )
}

#[test]
fn fix_writes_the_fixes_and_reports_what_remains() {
    let (_tmp, path) = project(PROJECT);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let r = check(&path, Format::Text, FixMode::Fix);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FIXED);
    assert_eq!(r.exit_code, 1, "the base is still wrong: {}", r.stderr);
    assert_eq!(r.stderr, "");
    assert!(
        r.stdout
            .ends_with("\n1 error, 0 warnings in 1 file (2 fixes applied)\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("error[invalid-value]"), "{}", r.stdout);
    assert!(!r.stdout.contains("unknown-key"), "{}", r.stdout);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the permissions are kept");
    }
    // Nothing left to fix: a second run changes nothing.
    let again = check(&path, Format::Json, FixMode::Fix);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FIXED);
    assert!(
        again.stderr.ends_with("(0 fixes applied)\n"),
        "{}",
        again.stderr
    );
    let items: serde_json::Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items:#}");
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let (_tmp, path) = project(PROJECT);
    let r = check(&path, Format::Text, FixMode::Diff);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), PROJECT);
    assert_eq!(r.exit_code, 1, "there is something to fix");
    assert_eq!(r.stderr, "2 fixes would be applied\n");
    insta::assert_snapshot!(r.stdout.replace(&path, "rockcraft.yaml"));

    let (_tmp, clean) = project(FIXED);
    let r = check(&clean, Format::Text, FixMode::Diff);
    assert_eq!((r.exit_code, r.stdout.as_str()), (0, ""));
    assert_eq!(r.stderr, "0 fixes would be applied\n");
}

#[test]
fn a_file_the_fixes_would_make_worse_is_left_alone() {
    // Each rename alone is a fix; together they write the same key twice.
    let text = FIXED.replace(
        "    stage-packages: [curl]\n",
        "    stage-package: [a]\n    stage-packges: [b]\n",
    );
    let (_tmp, path) = project(&text);
    // `--fix` still reports the errors; `--diff` has nothing to show.
    for (mode, exit_code) in [(FixMode::Fix, 1), (FixMode::Diff, 0)] {
        let r = check(&path, Format::Text, mode);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        assert!(
            r.stderr.contains(&format!(
                "warning: {path}: not fixed: its fixes would add errors: `duplicate-key` (3 errors before, 2 after)"
            )),
            "{}",
            r.stderr
        );
        assert_eq!(r.exit_code, exit_code, "{mode:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_link_is_not_replaced() {
    let (tmp, path) = project(PROJECT);
    let dir = tmp.path().join("linked");
    std::fs::create_dir(&dir).unwrap();
    let link = dir.join("rockcraft.yaml");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let link = link.display().to_string();
    let r = check(&link, Format::Text, FixMode::Fix);
    assert!(
        r.stderr.contains("not fixed: it is a symbolic link"),
        "{}",
        r.stderr
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), PROJECT);
    assert_eq!(r.exit_code, 1, "the findings are reported: {}", r.stderr);
}

/// The binary run in a project directory: `--diff` exits 1 with a patch on stdout and the
/// count on stderr, `--fix` writes the file, and SARIF names it relative to the directory.
#[test]
fn the_binary_fixes_the_project_it_runs_in() {
    let (tmp, path) = project(PROJECT);
    let dir = tmp.path();
    let diff = crate::binary::run(dir, &["check", "--diff"]);
    assert_eq!(diff.code, Some(1), "{}", diff.stderr);
    assert!(
        diff.stdout
            .starts_with("--- ./rockcraft.yaml\n+++ ./rockcraft.yaml\n"),
        "{}",
        diff.stdout
    );
    assert_eq!(diff.stderr, "2 fixes would be applied\n");
    let usage = crate::binary::run(dir, &["check", "--diff", "--format", "json"]);
    assert_eq!(usage.code, Some(2), "{}", usage.stderr);

    let fix = crate::binary::run(dir, &["check", "--fix"]);
    assert_eq!(fix.code, Some(1), "{}", fix.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FIXED);

    let sarif = crate::binary::run(dir, &["check", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "rockcraft.yaml");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
}

/// Over every test project (golden inputs, `tests/pack` cases, examples), the fixes `--fix`
/// would apply together never make a project worse, so none is left alone: the rule refuses
/// what the fix-safety test would flag, and fixes applied together do not collide.
#[test]
fn no_test_project_is_refused() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs: Vec<String> = ["tests/golden", "tests/pack", "examples"]
        .iter()
        .map(|d| root.join(d).display().to_string())
        .collect();
    let r = run_mode(
        &dirs,
        Format::Text,
        &PackageSettings::default(),
        FixMode::Diff,
    );
    assert!(!r.stderr.contains("not fixed"), "{}", r.stderr);
    let count: usize = r
        .stderr
        .strip_suffix(" fixes would be applied\n")
        .and_then(|n| n.rsplit('\n').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", r.stderr));
    assert!(count > 50, "{count} fixes");
    assert!(r.stdout.matches("+++ ").count() > 40, "{}", r.stdout);
}
