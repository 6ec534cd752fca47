//! End-to-end tests of formatting: the whole document and a range, over the protocol, with
//! positions in UTF-16 past non-ASCII text.

use crate::client::{Enc, TestClient, apply_edits, range_of};
use rockcraft_lsp::server::ServeExit;
use serde_json::{Value, json};

const URI: &str = "file:///tmp/format/rockcraft.yaml";

/// A project with odd spacing and indentation, comments, quotes and a block scalar.
const MESSY: &str = "\
# A flask rock — café edition 🚀
name:    café-rock   # not a valid name, but kept
base: ubuntu@24.04
version:   '1.0'
summary: Ünïcode summary
description: |
   A rock
     for the tests.
platforms:
   amd64:
extensions:
   -   flask-framework
parts:
   flask-framework/install-app:
      prime: [ flask/app/app.py ,  flask/app/static ]   # the app
services:
   web:
      override:   replace
      command: \"/bin/python3 -m gunicorn app:app\"
";

const FORMATTED: &str = "\
# A flask rock — café edition 🚀
name: café-rock # not a valid name, but kept
base: ubuntu@24.04
version: '1.0'
summary: Ünïcode summary
description: |
  A rock
    for the tests.
platforms:
  amd64:
extensions:
  - flask-framework
parts:
  flask-framework/install-app:
    prime: [flask/app/app.py, flask/app/static] # the app
services:
  web:
    override: replace
    command: \"/bin/python3 -m gunicorn app:app\"
";

fn options() -> Value {
    json!({"tabSize": 8, "insertSpaces": false})
}

fn edits(v: &Value) -> Vec<Value> {
    v.as_array().expect("a list of edits").clone()
}

#[tokio::test]
async fn formatting_gives_the_edits_that_make_the_init_style() {
    let (mut c, init) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    assert_eq!(init["capabilities"]["documentFormattingProvider"], true);
    assert_eq!(
        init["capabilities"]["documentRangeFormattingProvider"],
        true
    );
    c.open(URI, 1, MESSY).await;
    let answer = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": options()}),
        )
        .await;
    let edits = edits(&answer);
    // One small edit per changed line, none for the lines already right.
    assert!(edits.len() < MESSY.lines().count(), "{edits:#?}");
    let after = apply_edits(MESSY, &edits, Enc::Utf16);
    assert_eq!(after, FORMATTED);
    // The formatted text needs nothing more.
    c.change_full(URI, 2, &after).await;
    let again = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": options()}),
        )
        .await;
    assert!(again.is_null() || again == json!([]), "{again}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn range_formatting_touches_only_the_range() {
    let (mut c, _) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    c.open(URI, 1, MESSY).await;
    let range = range_of(
        MESSY,
        "name:    café-rock   # not a valid name, but kept\nbase: ubuntu@24.04\nversion:   '1.0'",
        0,
        Enc::Utf16,
    );
    let answer = c
        .request(
            "textDocument/rangeFormatting",
            json!({"textDocument": {"uri": URI}, "range": range, "options": options()}),
        )
        .await;
    let after = apply_edits(MESSY, &edits(&answer), Enc::Utf16);
    let expected = MESSY
        .replace("name:    café-rock   # not", "name: café-rock # not")
        .replace("version:   '1.0'", "version: '1.0'");
    assert_eq!(after, expected);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

/// [`MESSY`] (or [`FORMATTED`], by `indent`) with `n` more parts: large enough to be
/// formatted ahead of a request.
fn with_parts(text: &str, n: usize, indent: &str) -> String {
    use std::fmt::Write as _;
    let spaces = if indent.len() == 2 { "" } else { "   " };
    let mut parts = String::new();
    for i in 0..n {
        let _ = write!(
            parts,
            "{indent}part-{i}:\n{indent}{indent}plugin:{spaces} nil\n"
        );
    }
    text.replace("services:\n", &(parts + "services:\n"))
}

#[tokio::test]
async fn a_large_document_is_formatted_once_and_every_request_agrees() {
    let (mut c, _) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    let messy = with_parts(MESSY, 1200, "   ");
    assert!(
        messy.len() > 32 * 1024,
        "large enough to be formatted ahead"
    );
    let formatted = with_parts(FORMATTED, 1200, "  ");
    c.open(URI, 1, &messy).await;
    let whole = json!({"textDocument": {"uri": URI}, "options": options()});
    let first = c.request("textDocument/formatting", whole.clone()).await;
    assert_eq!(apply_edits(&messy, &edits(&first), Enc::Utf16), formatted);
    // Asked again (the version keeps its formatting), with other options that come to the
    // same for this document, and for a range.
    let again = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    assert_eq!(again, first);
    let range = range_of(&messy, "version:   '1.0'", 0, Enc::Utf16);
    let answer = c
        .request(
            "textDocument/rangeFormatting",
            json!({"textDocument": {"uri": URI}, "range": range, "options": options()}),
        )
        .await;
    let after = apply_edits(&messy, &edits(&answer), Enc::Utf16);
    assert_eq!(after, messy.replace("version:   '1.0'", "version: '1.0'"));
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

/// A large document's versions are formatted from the blocks of the versions before: each
/// answer is the formatting of that version's whole text, whatever was formatted before.
#[tokio::test]
async fn each_version_of_a_large_document_is_formatted_as_a_whole() {
    let (mut c, _) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    let messy = with_parts(MESSY, 1200, "   ");
    let formatted = with_parts(FORMATTED, 1200, "  ");
    c.open(URI, 1, &messy).await;
    let whole = json!({"textDocument": {"uri": URI}, "options": options()});
    let first = c.request("textDocument/formatting", whole.clone()).await;
    assert_eq!(apply_edits(&messy, &edits(&first), Enc::Utf16), formatted);
    // One part changed, one added at the end of the parts, then the formatted text with one
    // line disturbed.
    let versions = [
        (
            messy.replace(
                "   part-7:\n      plugin:    nil",
                "   part-7:\n      plugin:    make",
            ),
            formatted.replace("  part-7:\n    plugin: nil", "  part-7:\n    plugin: make"),
        ),
        (
            messy.replace(
                "services:\n",
                "   last:\n         plugin:  nil\nservices:\n",
            ),
            formatted.replace("services:\n", "  last:\n    plugin: nil\nservices:\n"),
        ),
        (
            formatted.replace(
                "  part-9:\n    plugin: nil",
                "  part-9:\n    plugin:   dump",
            ),
            formatted.replace("  part-9:\n    plugin: nil", "  part-9:\n    plugin: dump"),
        ),
    ];
    for (n, (text, expected)) in versions.iter().enumerate() {
        assert_ne!(text, expected);
        assert_ne!(*expected, formatted, "version {n}: the edit is made");
        let version = i64::try_from(n).unwrap() + 2;
        c.change_full(URI, version, text).await;
        let answer = c.request("textDocument/formatting", whole.clone()).await;
        assert_eq!(
            apply_edits(text, &edits(&answer), Enc::Utf16),
            *expected,
            "version {version}"
        );
    }
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn broken_yaml_gets_no_edits() {
    let (mut c, _) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    let broken = "name:    a\nparts: [one,\n  two:   {\n";
    c.open(URI, 1, broken).await;
    let whole = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": options()}),
        )
        .await;
    assert!(whole.is_null(), "{whole}");
    let range = range_of(broken, "name:    a", 0, Enc::Utf16);
    let part = c
        .request(
            "textDocument/rangeFormatting",
            json!({"textDocument": {"uri": URI}, "range": range, "options": options()}),
        )
        .await;
    assert!(part.is_null(), "{part}");
    // A duplicate key is refused too: formatting must not pick one of the two.
    c.change_full(URI, 2, "name:    a\nname: b\n").await;
    let duplicate = c
        .request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": options()}),
        )
        .await;
    assert!(duplicate.is_null(), "{duplicate}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
