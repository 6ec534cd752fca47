//! Protocol misuse over the wire: `$/` requests, malformed but framed messages, broken headers.
//! The session must answer each with a JSON-RPC error and go on.

use std::fmt::Write as _;

use crate::client::{Enc, QUIET, TestClient, WAIT};
use rockcraft_lsp::server::ServeExit;
use serde_json::{Value, json};

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The session still answers: a hover request on an open document gets its response.
async fn still_answers(c: &mut TestClient) {
    let res = c
        .request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///tmp/p/rockcraft.yaml"},
                   "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert!(res.get("error").is_none(), "{res}");
}

#[tokio::test]
async fn dollar_requests_get_method_not_found_and_dollar_notifications_nothing() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    c.notify("$/unknownNotification", json!({})).await;
    // (`$/cancelRequest` sent as a request is answered InvalidRequest: the method exists, as a
    // notification.)
    for method in ["$/unknownRequest", "$/setTrace", "$/progress"] {
        let res = c.request_raw(method, json!({})).await;
        assert_eq!(res["error"]["code"], -32601, "{method}: {res}");
    }
    still_answers(&mut c).await;
    assert_eq!(c.null_id_response(QUIET).await, None);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn malformed_messages_are_answered_and_the_session_goes_on() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    let cases: [(&[u8], i64); 6] = [
        (b"{this is not json", -32700),
        (b"", -32700),
        (b"\xff\xfe", -32700),
        (b"[1, 2, 3]", -32600),
        (br#"{"hello": "world"}"#, -32600),
        (
            br#"{"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"}"#,
            -32600,
        ),
    ];
    for (body, code) in cases {
        c.write_raw(&framed(body)).await;
        let res = c
            .null_id_response(WAIT)
            .await
            .unwrap_or_else(|| panic!("no answer to {:?}", String::from_utf8_lossy(body)));
        assert_eq!(res["error"]["code"], code, "{res}");
        assert_eq!(res["id"], Value::Null);
        still_answers(&mut c).await;
    }
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn broken_headers_are_answered_and_the_session_goes_on() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    for header in [
        &b"Content-Length: nope\r\n\r\n"[..],
        b"Content-Type: application/json\r\n\r\n",
        b"Content-Length: 99999999999999999999999\r\n\r\n",
    ] {
        c.write_raw(header).await;
        let res = c
            .null_id_response(WAIT)
            .await
            .expect("no answer to a broken header");
        assert_eq!(res["error"]["code"], -32700, "{res}");
        still_answers(&mut c).await;
    }
    // A header that never ends is cut off at the bound; the next frame is read again.
    c.write_raw(&vec![b'x'; 100_000]).await;
    let res = c
        .null_id_response(WAIT)
        .await
        .expect("no answer to an endless header");
    assert_eq!(res["error"]["code"], -32700, "{res}");
    still_answers(&mut c).await;
    // Three headers (tower-lsp-server's own reader accepts two at most) are fine.
    let body = br#"{"jsonrpc":"2.0","id":"h","method":"textDocument/hover","params":{"textDocument":{"uri":"file:///tmp/x.yaml"},"position":{"line":0,"character":0}}}"#;
    let mut frame = format!(
        "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Other: 1\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    frame.extend_from_slice(body);
    c.write_raw(&frame).await;
    assert_eq!(c.null_id_response(QUIET).await, None);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

/// `parts: {a: 1, a: 1, …}`: the pair 5,000 times (30 KB).
fn duplicate_parts() -> String {
    let pairs = vec!["a: 1"; 5_000].join(", ");
    format!(
        "name: hello\nbase: ubuntu@24.04\nversion: '1.0'\nsummary: s\ndescription: d\n\
         platforms:\n  amd64:\nparts: {{{pairs}}}\n"
    )
}

#[tokio::test]
async fn diagnostics_per_document_are_capped() {
    const URI: &str = "file:///tmp/p/rockcraft.yaml";
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    c.open(URI, 1, &duplicate_parts()).await;
    let diags = c.diagnostics(URI, Some(1)).await;
    // 4,999 duplicate keys (each once, pointing at the first) and 5,000 wrong types: the first
    // 1,000 are published, then one saying how many more there are.
    assert_eq!(diags.len(), 1_001);
    let last = &diags[1_000];
    assert_eq!(last["code"], "too-many-diagnostics", "{last}");
    let message = last["message"].as_str().unwrap();
    assert!(message.starts_with("8999 more diagnostics"), "{message}");
    assert!(message.contains("rockcraft-lsp check"), "{message}");
    let duplicates: Vec<_> = diags
        .iter()
        .filter(|d| d["code"] == "duplicate-key")
        .collect();
    assert!(!duplicates.is_empty());
    for d in duplicates {
        let related = d["relatedInformation"].as_array().unwrap();
        assert_eq!(related.len(), 1, "{d}");
        assert_eq!(related[0]["location"]["range"]["start"]["character"], 8);
    }
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

/// A flask project whose `install-app` part primes 32,000 entries without the `flask/app/`
/// prefix: one `prime-prefix` error with a fix each.
fn prime_entries(n: usize) -> String {
    let mut text = String::from(
        "name: flask-app\nbase: ubuntu@24.04\nversion: '0.1'\nsummary: s\ndescription: d\n\
         platforms:\n  amd64:\nextensions: [flask-framework]\nparts:\n  flask-framework/install-app:\n    prime:\n",
    );
    for i in 0..n {
        let _ = writeln!(text, "      - file{i}");
    }
    text
}

#[tokio::test]
async fn code_actions_over_32000_prime_entries_are_bounded() {
    const URI: &str = "file:///tmp/p/rockcraft.yaml";
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    let text = prime_entries(32_000);
    c.open(URI, 1, &text).await;
    let diags = c.diagnostics(URI, Some(1)).await;
    assert_eq!(diags.len(), 1_001, "published diagnostics are capped");
    let actions =
        |res: &Value| -> Vec<Value> { res["result"].as_array().cloned().unwrap_or_default() };
    let quickfixes = |all: &[Value]| all.iter().filter(|a| a["kind"] == "quickfix").count();

    // The whole document, with every published diagnostic sent back: answered within the
    // client's wait (this took 30 s), with the fixes of at most 1,000 diagnostics.
    let lines = u32::try_from(text.lines().count()).unwrap();
    let whole =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}});
    let res = c
        .request_raw(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": whole, "context": {"diagnostics": diags}}),
        )
        .await;
    let all = actions(&res);
    // (A few of the first 1,000 findings, above the list, have no fix.)
    let fixes = quickfixes(&all);
    assert!((990..=1_000).contains(&fixes), "{fixes}");
    assert!(all.len() <= 1_010, "{}", all.len());

    // One entry: its own fix only.
    let line = 11 + 20_000;
    let one =
        json!({"start": {"line": line, "character": 8}, "end": {"line": line, "character": 8}});
    let res = c
        .request_raw(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": one, "context": {"diagnostics": []}}),
        )
        .await;
    let all = actions(&res);
    assert_eq!(quickfixes(&all), 1, "{all:#?}");
    let fix = all.iter().find(|a| a["kind"] == "quickfix").unwrap();
    assert!(
        fix["title"].as_str().unwrap().contains("flask/app/"),
        "{fix}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
