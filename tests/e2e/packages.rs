//! "Add Debian packages / chisel slices" over the protocol: the kind of the list it extends,
//! the file's indentation, offered once, and the three ways it reaches the client (a snippet
//! edit, a plain edit with the cursor moved by `window/showDocument`, a plain edit alone).

use std::time::Duration;

use crate::client::{Enc, QUIET, TestClient, WAIT, apply_edits};
use rockcraft_lsp::server::{Options, ServeExit};
use serde_json::{Value, json};

/// A server that expands as soon as a version is stored.
fn quick() -> Options {
    Options::default().with_debounce(Duration::ZERO)
}

const HEAD: &str =
    "name: my-app\nversion: '0.1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\n";

/// A project directory with `files`, removed on drop.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("rockcraft-lsp-e2e-packages-")
        .tempdir()
        .unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn uri(dir: &tempfile::TempDir) -> String {
    format!("file://{}", dir.path().join("rockcraft.yaml").display())
}

const FLASK_FILES: &[(&str, &str)] = &[
    ("requirements.txt", "Flask\n"),
    ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
];

/// What a client advertises: nothing special, `window/showDocument`, or LSP 3.18 snippet
/// edits (with versioned document changes, which snippet edits travel in).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Caps {
    Plain,
    ShowDocument,
    Snippets,
}

async fn client(caps: Caps) -> TestClient {
    let caps = match caps {
        Caps::Plain => json!({}),
        Caps::ShowDocument => json!({"window": {"showDocument": {"support": true}}}),
        Caps::Snippets => json!({"workspace": {"workspaceEdit": {
            "documentChanges": true, "snippetEditSupport": true
        }}}),
    };
    let (c, _) = TestClient::initialized_with(Some(&["utf-16"]), caps, quick()).await;
    c.answer("workspace/applyEdit", json!({"applied": true}));
    c.answer("window/showDocument", json!({"success": true}));
    c
}

/// The "Add …" actions offered at the top of the document (no `only`: quick fixes and
/// refactorings alike), once the expansion of the current version is in.
async fn add_actions(c: &mut TestClient, uri: &str) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let all = c
            .request(
                "textDocument/codeAction",
                json!({
                    "textDocument": {"uri": uri},
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                    "context": {"diagnostics": []},
                }),
            )
            .await;
        let adds: Vec<Value> = all
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Add ")))
            .cloned()
            .collect();
        if !adds.is_empty() || tokio::time::Instant::now() > deadline {
            return adds;
        }
        // The refactoring needs the expansion of this version, which runs in the background.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The one "Add …" action for `text` in a project of `files`, with a plain client: its title
/// and the text its edit gives.
async fn plain_add(files: &[(&str, &str)], text: &str) -> (String, String) {
    let dir = project(files);
    let uri = uri(&dir);
    std::fs::write(dir.path().join("rockcraft.yaml"), text).unwrap();
    let mut c = client(Caps::Plain).await;
    c.open(&uri, 1, text).await;
    let adds = add_actions(&mut c, &uri).await;
    assert_eq!(adds.len(), 1, "offered once: {adds:#?}");
    let a = &adds[0];
    assert!(a.get("command").is_none(), "{a:#?}");
    let edits = a["edit"]["changes"][&uri].as_array().unwrap().clone();
    let applied = apply_edits(text, &edits, Enc::Utf16);
    // The result is a project rockcraft takes: no error, fast or from the expansion.
    c.change_full(&uri, 2, &applied).await;
    let fast = c.diagnostics(&uri, Some(2)).await;
    assert!(
        fast.iter().all(|d| d["severity"] != 1),
        "{applied}\n{fast:#?}"
    );
    let out = c
        .request("rockcraft/expandedProject", json!({ "uri": uri }))
        .await;
    assert_eq!(out["error"], Value::Null, "{applied}\n{out}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
    (a["title"].as_str().unwrap().to_owned(), applied)
}

#[tokio::test]
async fn bare_expressjs_gets_debian_packages_in_its_runtime_part() {
    // The runtime part holds npm, libstdc++6, zlib1g: Debian packages, even on bare.
    let files = &[(
        "app/package.json",
        r#"{"name": "app", "scripts": {"start": "node app.js"}}"#,
    )];
    let text = format!(
        "{HEAD}base: bare\nbuild-base: ubuntu@24.04\nextensions:\n  - expressjs-framework\n"
    );
    let (title, applied) = plain_add(files, &text).await;
    assert_eq!(title, "Add Debian packages to expressjs-framework/runtime");
    assert!(
        applied.ends_with("parts:\n  expressjs-framework/runtime:\n    stage-packages: []\n"),
        "{applied}"
    );
}

#[tokio::test]
async fn go_on_ubuntu_gets_slices_where_the_generated_list_holds_them() {
    // `go-framework/runtime` holds `ca-certificates_data` on ubuntu@24.04 too.
    let files = &[("go.mod", "module example.com/app\n")];
    let text = format!("{HEAD}base: ubuntu@24.04\nextensions:\n  - go-framework\n");
    let (title, _) = plain_add(files, &text).await;
    assert_eq!(title, "Add chisel slices to go-framework/runtime");
}

#[tokio::test]
async fn flask_on_ubuntu_gets_debs_and_an_existing_list_keeps_its_kind() {
    let text = format!("{HEAD}base: ubuntu@24.04\nextensions:\n  - flask-framework\n");
    let (title, _) = plain_add(FLASK_FILES, &text).await;
    assert_eq!(title, "Add Debian packages to flask-framework/dependencies");
    // A list the user wrote grows by a blank line in its own column, where the name goes.
    let text = format!(
        "{HEAD}base: ubuntu@24.04\nextensions:\n  - flask-framework\nparts:\n  flask-framework/dependencies:\n    stage-packages:\n      - libpq5\n"
    );
    let (title, applied) = plain_add(FLASK_FILES, &text).await;
    assert_eq!(title, "Add Debian packages to flask-framework/dependencies");
    assert!(applied.ends_with("      - libpq5\n      \n"), "{applied:?}");
}

#[tokio::test]
async fn a_four_space_file_gets_four_space_blocks() {
    let text = format!(
        "{}base: ubuntu@24.04\nextensions:\n    - flask-framework\nparts:\n    my-part:\n        plugin: nil\n",
        HEAD.replace("  amd64", "    amd64")
    );
    let (_, applied) = plain_add(FLASK_FILES, &text).await;
    assert!(
        applied.ends_with(
            "    my-part:\n        plugin: nil\n    flask-framework/dependencies:\n        stage-packages: []\n"
        ),
        "{applied}"
    );
}

/// The action for a flask project with a list of debs, with a client advertising `caps`:
/// runs its command and returns the action and the requests the server sent.
async fn run_command(caps: Caps) -> (Value, Option<Value>, Option<Value>, String) {
    let dir = project(FLASK_FILES);
    let uri = uri(&dir);
    let text = format!(
        "{HEAD}base: ubuntu@24.04\nextensions:\n  - flask-framework\nparts:\n  flask-framework/dependencies:\n    stage-packages:\n      - libpq5\nservices: {{}}\n"
    );
    std::fs::write(dir.path().join("rockcraft.yaml"), &text).unwrap();
    let mut c = client(caps).await;
    c.open(&uri, 1, &text).await;
    let adds = add_actions(&mut c, &uri).await;
    assert_eq!(adds.len(), 1, "offered once: {adds:#?}");
    let action = adds[0].clone();
    assert!(action.get("edit").is_none(), "{action:#?}");
    let res = c
        .request("workspace/executeCommand", action["command"].clone())
        .await;
    assert_eq!(res, Value::Null);
    let apply = c.server_request("workspace/applyEdit", WAIT).await;
    let show = c.server_request("window/showDocument", QUIET).await;
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
    (action, apply, show, text)
}

#[tokio::test]
async fn snippet_clients_get_a_tab_stop() {
    let (action, apply, show, text) = run_command(Caps::Snippets).await;
    assert_eq!(
        action["title"],
        "Add Debian packages to flask-framework/dependencies"
    );
    let apply = apply.expect("no workspace/applyEdit");
    let change = &apply["params"]["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["version"], 1, "{apply:#}");
    let edit = &change["edits"][0];
    assert_eq!(edit["snippet"]["kind"], "snippet", "{apply:#}");
    assert_eq!(edit["snippet"]["value"], "      - $0\n", "{apply:#}");
    let line = text.lines().position(|l| l == "services: {}").unwrap();
    assert_eq!(
        edit["range"]["start"],
        json!({"line": line, "character": 0})
    );
    assert!(show.is_none(), "{show:?}");
}

#[tokio::test]
async fn other_clients_get_a_valid_edit_and_the_cursor_moved() {
    let (_, apply, show, text) = run_command(Caps::ShowDocument).await;
    let apply = apply.expect("no workspace/applyEdit");
    let uri = apply["params"]["edit"]["changes"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let edits = apply["params"]["edit"]["changes"][&uri].as_array().unwrap();
    let applied = apply_edits(&text, edits, Enc::Utf16);
    assert!(
        applied.contains("      - libpq5\n      \nservices"),
        "{applied:?}"
    );
    let show = show.expect("no window/showDocument");
    let line = applied.lines().position(|l| l == "      ").unwrap();
    let at = json!({"line": line, "character": 6});
    assert_eq!(show["params"]["uri"], uri.as_str());
    assert_eq!(show["params"]["selection"], json!({"start": at, "end": at}));
    assert_eq!(show["params"]["takeFocus"], true);
}

#[tokio::test]
async fn a_stale_command_is_refused() {
    let dir = project(FLASK_FILES);
    let uri = uri(&dir);
    let text = format!("{HEAD}base: ubuntu@24.04\nextensions:\n  - flask-framework\n");
    std::fs::write(dir.path().join("rockcraft.yaml"), &text).unwrap();
    let mut c = client(Caps::ShowDocument).await;
    c.open(&uri, 1, &text).await;
    let adds = add_actions(&mut c, &uri).await;
    assert_eq!(adds.len(), 1, "{adds:#?}");
    c.change_full(&uri, 2, &format!("{text}# edited\n")).await;
    c.diagnostics(&uri, Some(2)).await;
    let res = c
        .request_raw("workspace/executeCommand", adds[0]["command"].clone())
        .await;
    assert_eq!(res["error"]["code"], -32801, "{res}");
    assert!(
        c.server_request("workspace/applyEdit", QUIET)
            .await
            .is_none()
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn completion_writes_blocks_in_the_file_indentation() {
    let dir = project(FLASK_FILES);
    let uri = uri(&dir);
    let mut c = client(Caps::Plain).await;
    // A client without snippets: the items' text without their tab stop.
    for (text, key, want) in [
        // 4 spaces, sequences indented.
        (
            "name: a\nbase: ubuntu@24.04\nextensions:\n    - flask-framework\nparts:\n    p:\n        plugin: nil\n        \n",
            "build-environment",
            "build-environment:\n            - ",
        ),
        // 2 spaces, "indentless" sequences.
        (
            "name: a\nbase: ubuntu@24.04\nextensions:\n- flask-framework\nparts:\n  p:\n    plugin: nil\n    \n",
            "build-environment",
            "build-environment:\n    - ",
        ),
    ] {
        c.open(&uri, 1, text).await;
        let line = text.lines().count() - 1;
        let col = text.lines().last().unwrap().len();
        let res = c
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}}),
            )
            .await;
        let items = res["items"].as_array().cloned().unwrap_or_default();
        let item = items
            .iter()
            .find(|i| i["label"] == key)
            .unwrap_or_else(|| panic!("no {key}: {items:#?}"));
        let insert = item["textEdit"]["newText"]
            .as_str()
            .or(item["insertText"].as_str())
            .unwrap();
        assert_eq!(insert, want, "{text}");
        c.close(&uri).await;
    }
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
