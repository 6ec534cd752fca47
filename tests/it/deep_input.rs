//! Hostile nesting in a project, through the built binary's `check` and `expand-extensions`:
//! each must end with a finding and its usual exit code, never a stack overflow.

use std::path::Path;
use std::process::{Command, Output};

const TEMPLATE: &str = include_str!("../golden/flask-init-template/input/rockcraft.yaml");
const HEAD: &str = "from flask import Flask\napp = Flask(__name__)\n";

fn project(tag: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("rockcraft-lsp-it-deep-{tag}-"))
        .tempdir()
        .unwrap();
    for (rel, text) in files {
        std::fs::write(dir.path().join(rel), text).unwrap();
    }
    dir
}

fn binary(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rockcraft-lsp"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `check` and `expand-extensions` on a flask project whose `app.py` is `app_py`: both exit
/// normally with the syntax error of `app.py` in their output.
fn both_report(tag: &str, app_py: &str, wording: &str) {
    let dir = project(
        tag,
        &[
            ("rockcraft.yaml", TEMPLATE),
            ("requirements.txt", "Flask\n"),
            ("app.py", app_py),
        ],
    );
    let d = dir.path().to_str().unwrap();
    let check = binary(&["check", d, "--format", "json"], dir.path());
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(wording), "{stdout}");

    let expand = binary(&["expand-extensions", "--project-dir", d], dir.path());
    let stderr = String::from_utf8_lossy(&expand.stderr);
    assert!(expand.status.code().is_some_and(|c| c != 0), "{stderr}");
    assert!(stderr.contains(wording), "{stderr}");
}

#[test]
fn app_py_of_200000_nested_brackets() {
    let n = 200_000;
    let app = format!("{HEAD}x = {}{}\n", "(".repeat(n), ")".repeat(n));
    both_report(
        "brackets",
        &app,
        "line 3 is not valid Python (too many nested parentheses)",
    );
}

#[test]
fn app_py_of_100000_nested_fstrings() {
    let n = 100_000;
    let app = format!("{HEAD}x = {}1{}\n", "f\"{".repeat(n), "}\"".repeat(n));
    both_report(
        "fstrings",
        &app,
        "line 3 is not valid Python (too many nested f-strings)",
    );
}

#[test]
fn app_py_of_60000_unary_minus_signs() {
    let app = format!("{HEAD}x = {}1\n", "-".repeat(60_000));
    both_report(
        "unary",
        &app,
        "line 3 is not valid Python (Python source too complex to parse",
    );
}
