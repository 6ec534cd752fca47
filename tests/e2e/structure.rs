//! End-to-end tests of the structure requests: folding ranges and selection ranges.

use crate::client::{Enc, TestClient, range_json};
use rockcraft_lsp::server::ServeExit;
use serde_json::{Value, json};

const URI: &str = "file:///tmp/structure/rockcraft.yaml";

const PROJECT: &str = "\
# A flask rock.
# Built by CI.
name: hello
base: ubuntu@24.04
version: '1.0'
summary: A test rock
description: |
  A rock
  for the tests.
platforms:
  amd64:
extensions:
  - flask-framework
parts:
  flask-framework/install-app:
    prime:
      - flask/app/app.py
      - flask/app/static
services:
  web:
    override: replace
    command: /bin/python3 -m gunicorn app:app
    startup: enabled
";

#[tokio::test]
async fn folding_ranges_follow_the_yaml_tree_and_comment_blocks() {
    let (mut c, init) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    assert_eq!(init["capabilities"]["foldingRangeProvider"], true);
    c.open(URI, 1, PROJECT).await;
    let folds = c
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let folds: Vec<(u64, u64, &str)> = folds
        .as_array()
        .expect("a list of folding ranges")
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
                f["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        folds,
        [
            (0, 1, "comment"),  // the comment block
            (6, 8, "region"),   // description's block scalar
            (9, 10, "region"),  // platforms
            (11, 12, "region"), // extensions
            (13, 17, "region"), // parts
            (14, 17, "region"), // the install-app override
            (15, 17, "region"), // its prime list
            (18, 22, "region"), // services
            (19, 22, "region"), // web
        ]
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn folding_ranges_keep_to_the_clients_range_limit() {
    let caps =
        json!({"textDocument": {"foldingRange": {"rangeLimit": 3, "lineFoldingOnly": true}}});
    let (mut c, _) = TestClient::initialized(Some(&["utf-16"]), caps).await;
    c.open(URI, 1, PROJECT).await;
    let folds = c
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let starts: Vec<u64> = folds
        .as_array()
        .expect("a list of folding ranges")
        .iter()
        .map(|f| f["startLine"].as_u64().unwrap())
        .collect();
    // The outermost three: the comment block, description, platforms (before the rest of the
    // top level, as every top-level fold is as outer as these).
    assert_eq!(starts, [0, 6, 9]);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

/// The texts of a selection range chain, innermost first.
fn chain_texts(text: &str, mut sel: &Value) -> Vec<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let offset = |p: &Value| -> usize {
        let line = usize::try_from(p["line"].as_u64().unwrap()).unwrap();
        let col = usize::try_from(p["character"].as_u64().unwrap()).unwrap();
        lines[..line].iter().map(|l| l.len() + 1).sum::<usize>() + col
    };
    let mut out = Vec::new();
    loop {
        let (a, b) = (offset(&sel["range"]["start"]), offset(&sel["range"]["end"]));
        out.push(text[a..b].to_owned());
        match sel.get("parent") {
            Some(p) if !p.is_null() => sel = p,
            _ => return out,
        }
    }
}

#[tokio::test]
async fn selection_ranges_grow_from_the_word_to_the_document() {
    let (mut c, init) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    assert_eq!(init["capabilities"]["selectionRangeProvider"], true);
    c.open(URI, 1, PROJECT).await;
    let in_gunicorn = PROJECT.find("gunicorn app").unwrap() + 3;
    let in_static = PROJECT.find("static").unwrap() + 2;
    let res = c
        .request(
            "textDocument/selectionRange",
            json!({
                "textDocument": {"uri": URI},
                "positions": [
                    range_json(PROJECT, in_gunicorn, in_gunicorn, Enc::Utf16)["start"],
                    range_json(PROJECT, in_static, in_static, Enc::Utf16)["start"],
                ],
            }),
        )
        .await;
    let res = res.as_array().expect("one chain per position");
    assert_eq!(res.len(), 2);
    let command = chain_texts(PROJECT, &res[0]);
    assert_eq!(
        &command[..4],
        [
            "gunicorn",
            "/bin/python3 -m gunicorn app:app",
            "command: /bin/python3 -m gunicorn app:app",
            "override: replace\n    command: /bin/python3 -m gunicorn app:app\n    startup: enabled",
        ]
    );
    assert_eq!(command.last().unwrap(), PROJECT);
    let prime = chain_texts(PROJECT, &res[1]);
    assert_eq!(prime[0], "flask/app/static");
    assert_eq!(prime[1], "- flask/app/app.py\n      - flask/app/static");
    assert!(prime[2].starts_with("prime:"), "{prime:?}");
    assert_eq!(prime.last().unwrap(), PROJECT);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn selection_ranges_of_a_very_deep_document_stay_short() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    let deep = "a:\n".to_owned() + &"- ".repeat(250) + "x\n";
    c.open(URI, 1, &deep).await;
    let at = deep.len() - 2;
    let res = c
        .request(
            "textDocument/selectionRange",
            json!({
                "textDocument": {"uri": URI},
                "positions": [range_json(&deep, at, at, Enc::Utf16)["start"]],
            }),
        )
        .await;
    let chain = chain_texts(&deep, &res[0]);
    assert!(chain.len() <= 48, "{} ranges", chain.len());
    assert_eq!(chain.last().unwrap(), &deep);
    let folds = c
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert!(folds.is_array(), "{folds}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
