//! Hostile nesting in the project over the protocol: the server must answer with a finding,
//! never overflow its stack (which would abort the whole process).

use std::time::Duration;

use crate::client::{PUBLISH, TestClient, WAIT};
use rockcraft_lsp::server::{Options, ServeExit};
use serde_json::Value;

const TEMPLATE: &str = include_str!("../golden/flask-init-template/input/rockcraft.yaml");

/// A flask project whose `app.py` is `app_py`, in a directory removed on drop.
fn flask_project(tag: &str, app_py: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("rockcraft-lsp-e2e-deep-{tag}-"))
        .tempdir()
        .unwrap();
    std::fs::write(dir.path().join("rockcraft.yaml"), TEMPLATE).unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "Flask\n").unwrap();
    std::fs::write(dir.path().join("app.py"), app_py).unwrap();
    dir
}

/// Opens the project's `rockcraft.yaml` and returns the first published diagnostic message
/// that contains `needle`.
async fn finding_on_open(dir: &tempfile::TempDir, needle: &str) -> String {
    let uri = format!("file://{}", dir.path().join("rockcraft.yaml").display());
    let options = Options::default().with_debounce(Duration::ZERO);
    let mut c = TestClient::with_options(crate::client::Enc::Utf16, options).await;
    c.open(&uri, 1, TEMPLATE).await;
    let has = |d: &Value| d["message"].as_str().is_some_and(|m| m.contains(needle));
    let found = c
        .notification(
            PUBLISH,
            |p| p["uri"] == uri.as_str() && p["diagnostics"].as_array().unwrap().iter().any(has),
            WAIT,
        )
        .await
        .unwrap_or_else(|| panic!("no finding containing {needle:?}"));
    let message = found["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| has(d))
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .unwrap();
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
    message
}

const HEAD: &str = "from flask import Flask\napp = Flask(__name__)\n";

#[tokio::test]
async fn app_py_of_40000_nested_brackets_is_a_finding() {
    let n = 40_000;
    let app = format!("{HEAD}x = {}{}\n", "[".repeat(n), "]".repeat(n));
    let dir = flask_project("brackets", &app);
    let m = finding_on_open(&dir, "not valid Python").await;
    assert!(
        m.starts_with(
            "flask-framework cannot search `app.py` for the WSGI application: line 3 is not valid Python (too many nested parentheses). Fix the syntax error in `app.py`"
        ),
        "{m}"
    );
}

#[tokio::test]
async fn app_py_of_100000_nested_fstrings_is_a_finding() {
    let n = 100_000;
    let app = format!("{HEAD}x = {}1{}\n", "f\"{".repeat(n), "}\"".repeat(n));
    let dir = flask_project("fstrings", &app);
    let m = finding_on_open(&dir, "not valid Python").await;
    assert!(m.contains("(too many nested f-strings)"), "{m}");
}

#[tokio::test]
async fn app_py_of_60000_unary_minus_signs_is_a_finding() {
    let app = format!("{HEAD}x = {}1\n", "-".repeat(60_000));
    let dir = flask_project("unary", &app);
    let m = finding_on_open(&dir, "not valid Python").await;
    assert!(
        m.contains("line 3 is not valid Python (Python source too complex to parse"),
        "{m}"
    );
}

/// A small valid project with `hostile` (indented by two) under an unknown key.
fn yaml_with(hostile: &str) -> String {
    format!(
        "name: deep\nbase: ubuntu@24.04\nversion: '1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\nhostile:\n{hostile}"
    )
}

/// A long flow list (to raise the alias budget), then a 1,500-link alias chain.
fn alias_chain() -> String {
    use std::fmt::Write as _;
    let mut s = format!("  pad: [{}]\n  c0: &c0 [1]\n", "0, ".repeat(270_000));
    for i in 1..=1_500 {
        let _ = writeln!(s, "  c{i}: &c{i} [*c{}]", i - 1);
    }
    yaml_with(&s)
}

/// A 200,000-line merge-key chain.
fn merge_chain() -> String {
    use std::fmt::Write as _;
    let mut s = String::from("  k0: &k0 {a: 1}\n");
    for i in 1..200_000 {
        let _ = writeln!(s, "  k{i}: &k{i} {{<<: *k{}}}", i - 1);
    }
    yaml_with(&s)
}

/// Opens `text` as a project's `rockcraft.yaml` and returns its first publish with a
/// diagnostic of `code`.
async fn diagnostics_with_code(text: &str, code: &str) -> Vec<Value> {
    let dir = tempfile::Builder::new()
        .prefix("rockcraft-lsp-e2e-deep-yaml-")
        .tempdir()
        .unwrap();
    std::fs::write(dir.path().join("rockcraft.yaml"), text).unwrap();
    let uri = format!("file://{}", dir.path().join("rockcraft.yaml").display());
    let mut c = TestClient::with_options(
        crate::client::Enc::Utf16,
        Options::default().with_debounce(Duration::ZERO),
    )
    .await;
    c.open(&uri, 1, text).await;
    let found = c
        .notification(
            PUBLISH,
            |p| {
                p["uri"] == uri.as_str()
                    && p["diagnostics"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|d| d["code"] == code)
            },
            WAIT,
        )
        .await
        .unwrap_or_else(|| panic!("no {code} diagnostic"));
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
    found["diagnostics"].as_array().unwrap().clone()
}

#[tokio::test]
async fn yaml_alias_chain_of_1500_links_is_a_finding() {
    let text = alias_chain();
    assert!(text.len() > 800_000, "{}", text.len());
    let diags = diagnostics_with_code(&text, "too-deep").await;
    let deep = diags.iter().find(|d| d["code"] == "too-deep").unwrap();
    assert!(
        deep["message"]
            .as_str()
            .unwrap()
            .contains("more than 300 levels deep"),
        "{deep}"
    );
    // The rest of the document is still checked.
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "unknown-key"
                && d["message"].as_str().unwrap().contains("hostile")),
        "{diags:#?}"
    );
}

#[tokio::test]
async fn yaml_merge_key_chain_of_200000_lines_is_a_finding() {
    let diags = diagnostics_with_code(&merge_chain(), "too-deep").await;
    assert!(diags.iter().any(|d| d["code"] == "too-deep"));
}

#[tokio::test]
async fn yaml_nested_100000_deep_is_a_finding() {
    let n = 100_000;
    let flow = yaml_with(&format!("  f: {}{}\n", "[".repeat(n), "]".repeat(n)));
    let diags = diagnostics_with_code(&flow, "too-deep").await;
    assert!(
        diags.iter().any(|d| d["code"] == "unknown-key"),
        "{diags:#?}"
    );
    let block = yaml_with(&format!("  b:\n  {}x\n", "- ".repeat(n)));
    diagnostics_with_code(&block, "too-deep").await;
}
