//! Lone `\r` and `\r\n` line breaks over the protocol: positions count them as the LSP
//! specification does, and requests inside a line break are answered.

use crate::client::{Enc, PUBLISH, TestClient, WAIT};
use rockcraft_lsp::server::ServeExit;
use serde_json::{Value, json};

const BAD: &str = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\n    stage-package: [curl]\n";

async fn unknown_key_start(c: &mut TestClient, uri: &str, text: &str) -> Value {
    c.open(uri, 1, text).await;
    let p = c
        .notification(
            PUBLISH,
            |p| {
                p["uri"] == uri
                    && p["diagnostics"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|d| d["code"] == "unknown-key")
            },
            WAIT,
        )
        .await
        .expect("no unknown-key diagnostic");
    let d = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-key")
        .unwrap()
        .clone();
    d["range"]["start"].clone()
}

#[tokio::test]
async fn lone_carriage_returns_are_line_breaks() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    let want = json!({"line": 10, "character": 4});
    for (i, brk) in ["\n", "\r", "\r\n"].into_iter().enumerate() {
        let uri = format!("untitled:/cr{i}/rockcraft.yaml");
        let text = BAD.replace('\n', brk);
        assert_eq!(
            unknown_key_start(&mut c, &uri, &text).await,
            want,
            "{brk:?}"
        );
    }
    // Completion inside a `\r\n` line break (between the two characters).
    let uri = "untitled:/crlf/rockcraft.yaml";
    c.open(uri, 1, "x\r\n").await;
    let r = c
        .request_raw(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
        )
        .await;
    assert!(r.get("error").is_none(), "{r}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
