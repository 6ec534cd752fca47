//! End-to-end tests of what the editor shows beside the text: inlay hints from the expansion
//! (refreshed when it is stored) and the settings that turn them off, and code lenses with the
//! commands they run, and semantic tokens.

use crate::client::{TestClient, WAIT};
use rockcraft_lsp::server::ServeExit;
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("../golden/flask-init-template/input/rockcraft.yaml");
const APP_PY: &str = include_str!("../golden/flask-init-template/input/app.py");
const REQUIREMENTS: &str = include_str!("../golden/flask-init-template/input/requirements.txt");

/// The flask template with the service overridden without a command of its own.
fn project() -> String {
    format!("{TEMPLATE}services:\n  flask:\n    override: merge\n    startup: disabled\n")
}

/// A flask project directory with the files the extension reads.
fn project_dir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("rockcraft-lsp-e2e-views-")
        .tempdir()
        .unwrap();
    std::fs::write(dir.path().join("app.py"), APP_PY).unwrap();
    std::fs::write(dir.path().join("requirements.txt"), REQUIREMENTS).unwrap();
    std::fs::write(dir.path().join("rockcraft.yaml"), project()).unwrap();
    dir
}

/// A client that re-asks for inlay hints on refresh, with `options` as initialization options.
async fn client(options: Value) -> TestClient {
    let mut c = TestClient::start();
    let init = c
        .request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {
                    "general": { "positionEncodings": ["utf-8"] },
                    "workspace": { "inlayHint": { "refreshSupport": true } },
                },
                "initializationOptions": options,
            }),
        )
        .await;
    assert_eq!(init["capabilities"]["inlayHintProvider"], true);
    c.notify("initialized", json!({})).await;
    c
}

async fn hints(c: &mut TestClient, uri: &str) -> Vec<String> {
    let res = c
        .request(
            "textDocument/inlayHint",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 10000, "character": 0}},
            }),
        )
        .await;
    res.as_array()
        .expect("a list of hints")
        .iter()
        .map(|h| {
            format!(
                "{}: {}",
                h["position"]["line"],
                h["label"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[tokio::test]
async fn inlay_hints_show_what_the_extension_adds_once_it_is_expanded() {
    let dir = project_dir();
    let uri = format!("file://{}/rockcraft.yaml", dir.path().display());
    let text = project();
    let mut c = client(json!({})).await;
    c.open(&uri, 1, &text).await;
    c.server_request("workspace/inlayHint/refresh", WAIT)
        .await
        .expect("a refresh once the expansion is stored");
    let shown = hints(&mut c, &uri).await;
    let ext_line = text[..text.find("  - flask-framework").unwrap()]
        .matches('\n')
        .count();
    let flask_line = text[..text.rfind("  flask:").unwrap()]
        .matches('\n')
        .count();
    assert!(
        shown
            .iter()
            .any(|h| h.starts_with(&format!("{ext_line}: +")) && h.contains(" parts, ")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|h| h.starts_with(&format!("{flask_line}: command: /bin/python3 -m gunicorn"))),
        "the override keeps the generated command: {shown:?}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn each_kind_of_inlay_hint_can_be_turned_off() {
    let dir = project_dir();
    let uri = format!("file://{}/rockcraft.yaml", dir.path().display());
    let mut c = client(json!({"inlayHints": {"extensions": false, "overrides": false}})).await;
    c.open(&uri, 1, &project()).await;
    c.server_request("workspace/inlayHint/refresh", WAIT)
        .await
        .expect("a refresh once the expansion is stored");
    assert_eq!(hints(&mut c, &uri).await, Vec::<String>::new());
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn code_lenses_show_the_expansion_and_compare_an_override_with_the_generated_entry() {
    let dir = project_dir();
    let uri = format!("file://{}/rockcraft.yaml", dir.path().display());
    let text = project();
    let mut c = TestClient::start();
    let init = c
        .request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {
                    "general": { "positionEncodings": ["utf-8"] },
                    "window": { "showDocument": { "support": true } },
                },
            }),
        )
        .await;
    assert_eq!(
        init["capabilities"]["codeLensProvider"]["resolveProvider"],
        false
    );
    let commands = init["capabilities"]["executeCommandProvider"]["commands"].to_string();
    assert!(
        commands.contains("rockcraft.compareWithGenerated"),
        "{commands}"
    );
    c.notify("initialized", json!({})).await;
    c.open(&uri, 1, &text).await;
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": &uri}}),
        )
        .await;
    let lenses = lenses.as_array().expect("a list of lenses");
    let titles: Vec<&str> = lenses
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Show the expanded project",
            "Compare with what flask-framework generates"
        ]
    );
    let compare = &lenses[1]["command"];
    assert_eq!(
        compare["arguments"],
        json!([&uri, "services", "flask"]),
        "{compare}"
    );
    let result = c
        .request(
            "workspace/executeCommand",
            json!({"command": compare["command"], "arguments": compare["arguments"]}),
        )
        .await;
    let result = result.as_str().expect("the comparison text");
    let (generated, merged) = result.split_once("---\n").expect("two documents");
    assert!(
        generated.contains("as flask-framework generates it"),
        "{result}"
    );
    assert!(
        generated.contains("command: /bin/python3 -m gunicorn"),
        "{result}"
    );
    assert!(merged.contains("startup: disabled"), "{result}");
    assert!(!generated.contains("startup: disabled"), "{result}");
    let shown = c
        .server_request("window/showDocument", WAIT)
        .await
        .expect("the comparison is shown");
    let shown_uri = shown["params"]["uri"].as_str().unwrap();
    assert!(shown_uri.ends_with("/rockcraft.compare.yaml"), "{shown}");
    assert_eq!(
        std::fs::read_to_string(shown_uri.strip_prefix("file://").unwrap()).unwrap(),
        result
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn semantic_tokens_tell_overrides_from_plain_parts() {
    let (mut c, init) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    let legend = &init["capabilities"]["semanticTokensProvider"]["legend"];
    assert_eq!(
        legend["tokenTypes"],
        json!(["namespace", "class", "variable"])
    );
    assert_eq!(
        legend["tokenModifiers"],
        json!(["declaration", "defaultLibrary"])
    );
    let uri = "file:///tmp/views-tokens/rockcraft.yaml";
    let text = "extensions: [flask-framework]\nparts:\n  flask-framework/install-app:\n    prime: [flask/app/app.py]\n  lib:\n    after: [flask-framework/install-app]\n";
    c.open(uri, 1, text).await;
    let res = c
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let data: Vec<u64> = res["data"]
        .as_array()
        .expect("token data")
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    // Decoded: (line, start, length, type, modifiers).
    let mut decoded = Vec::new();
    let (mut line, mut col) = (0, 0);
    for t in data.chunks(5) {
        line += t[0];
        col = if t[0] == 0 { col + t[1] } else { t[1] };
        decoded.push((line, col, t[2], t[3], t[4]));
    }
    assert_eq!(
        decoded,
        [
            (0, 13, 15, 0, 0), // flask-framework: an extension
            (2, 2, 27, 1, 3),  // the install-app override: a declaration, generated
            (4, 2, 3, 1, 1),   // lib: a declaration
            (5, 12, 27, 2, 2), // a reference to the generated part
        ]
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
