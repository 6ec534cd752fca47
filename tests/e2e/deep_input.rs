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
