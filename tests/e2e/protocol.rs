//! End-to-end tests: real JSON-RPC over in-memory pipes against `rockcraft_lsp::server::serve`.

use crate::client::{Enc, TestClient, apply_edits, position, range_json, range_of};
use rockcraft_lsp::server::ServeExit;
use serde_json::{Value, json};

const URI: &str = "file:///tmp/p/rockcraft.yaml";
const OTHER: &str = "file:///tmp/p/other.yaml";

/// A valid project; tests break it in different ways.
const VALID: &str = "\
name: hello
base: ubuntu@24.04
version: '1.0'
summary: A test rock
description: A rock for the tests.
platforms:
  amd64:
parts:
  p:
    plugin: nil
";

fn with_unknown_key() -> String {
    format!("{VALID}sumary: typo\n")
}

fn only_diag<'a>(diags: &'a [Value], code: &str) -> &'a Value {
    assert_eq!(
        diags.len(),
        1,
        "expected exactly one diagnostic, got {diags:#?}"
    );
    assert_eq!(diags[0]["code"], code, "{diags:#?}");
    &diags[0]
}

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

// 1. initialize / encoding negotiation / shutdown / exit

#[tokio::test]
async fn initialize_negotiates_utf8_when_offered_and_exits_cleanly() {
    let (client, mut init) = TestClient::initialized(Some(&["utf-16", "utf-8"]), json!({})).await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(init["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    init["serverInfo"]["version"] = json!("[version]");
    // Everything advertised: incremental sync with open/close and save, quick fixes and
    // refactors, hover, no go-to-definition, the server's name.
    insta::assert_json_snapshot!(init);
    assert_eq!(client.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn initialize_falls_back_to_utf16() {
    for offered in [None, Some(&["utf-16"][..]), Some(&["utf-32", "utf-16"][..])] {
        let (client, init) = TestClient::initialized(offered, json!({})).await;
        assert_eq!(
            init["capabilities"]["positionEncoding"], "utf-16",
            "offered {offered:?}"
        );
        assert_eq!(client.shutdown_and_exit().await, ServeExit::Clean);
    }
}

#[tokio::test]
async fn exit_without_shutdown_is_reported() {
    let (client, _) = TestClient::initialized(None, json!({})).await;
    assert_eq!(client.exit().await, ServeExit::WithoutShutdown);
}

// 2. didOpen → versioned diagnostics

#[tokio::test]
async fn did_open_publishes_unknown_key() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    let text = with_unknown_key();
    c.open(URI, 7, &text).await;
    let diags = c.diagnostics(URI, Some(7)).await;
    let d = only_diag(&diags, "unknown-key");
    assert_eq!(d["range"], range_of(&text, "sumary", 0, Enc::Utf16));
    // The fix travels in `data` (with the analysed version), in protocol coordinates.
    assert_eq!(d["data"]["fixes"][0]["edits"][0]["range"], d["range"]);
    insta::assert_json_snapshot!(d);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// 3. full and incremental changes

#[tokio::test]
async fn full_then_incremental_changes_are_versioned() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    c.open(URI, 1, &with_unknown_key()).await;
    assert_eq!(codes(&c.diagnostics(URI, Some(1)).await), ["unknown-key"]);

    // Full replacement fixing it.
    c.change_full(URI, 2, VALID).await;
    assert_eq!(c.diagnostics(URI, Some(2)).await, Vec::<Value>::new());

    // Incremental: `nil` → `nill` on the plugin line.
    let r = range_of(VALID, "nil", 0, Enc::Utf16);
    assert_eq!(r["start"], json!({"line": 9, "character": 12}));
    c.change(URI, 3, json!([{ "range": r, "text": "nill" }]))
        .await;
    let v3 = VALID.replacen("plugin: nil", "plugin: nill", 1);
    let diags = c.diagnostics(URI, Some(3)).await;
    let d = only_diag(&diags, "invalid-value");
    assert_eq!(d["range"], range_of(&v3, "nill", 0, Enc::Utf16));
    assert_eq!(d["range"]["end"], json!({"line": 9, "character": 16}));

    // Two changes in one notification, the second positioned against the first's result:
    // a comment line at the top moves everything down; then fix the typo on its new line.
    let v4a = format!("# top\n{v3}");
    let fix = range_of(&v4a, "nill", 0, Enc::Utf16);
    assert_eq!(fix["start"]["line"], 10);
    c.change(
        URI,
        4,
        json!([
            { "range": range_json(&v3, 0, 0, Enc::Utf16), "text": "# top\n" },
            { "range": fix, "text": "dump" },
        ]),
    )
    .await;
    let v4 = format!(
        "# top\n{}",
        VALID.replacen("plugin: nil", "plugin: dump", 1)
    );
    // Both edits landed exactly: the document is valid again.
    assert_eq!(c.diagnostics(URI, Some(4)).await, Vec::<Value>::new());

    // A stale change (version 4 again) is ignored, with no publish.
    c.change_full(URI, 4, "name: [").await;
    c.assert_no_diagnostics_for(URI).await;

    // The next edit applies to v4's text, not the stale one: append an unknown key at the end.
    let end = range_json(&v4, v4.len(), v4.len(), Enc::Utf16);
    c.change(URI, 5, json!([{ "range": end, "text": "sumary: x\n" }]))
        .await;
    let v5 = format!("{v4}sumary: x\n");
    let diags = c.diagnostics(URI, Some(5)).await;
    let unknown: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "unknown-key")
        .collect();
    assert_eq!(unknown.len(), 1, "{diags:#?}");
    assert_eq!(unknown[0]["range"], range_of(&v5, "sumary", 0, Enc::Utf16));
    assert_eq!(unknown[0]["range"]["start"]["line"], 11);
    assert!(
        !codes(&diags).contains(&"yaml-syntax"),
        "stale change was applied: {diags:#?}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// 4. UTF-16 vs UTF-8 columns

const WIDE: &str = "\
name: hello
base: ubuntu@24.04
version: '1.0'
summary: A test rock
description: A rock for the tests.
platforms:
  amd64:
parts: {p: {source: \"é ☕ 𝄞\", plugin: nill}}
";

async fn wide_columns(enc: Enc, nill_start: u32) {
    let mut c = TestClient::with_encoding(enc).await;
    c.open(URI, 1, WIDE).await;
    let diags = c.diagnostics(URI, Some(1)).await;
    let d = only_diag(&diags, "invalid-value");
    assert_eq!(
        d["range"]["start"],
        json!({"line": 7, "character": nill_start})
    );
    assert_eq!(
        d["range"]["end"],
        json!({"line": 7, "character": nill_start + 4})
    );
    assert_eq!(d["range"], range_of(WIDE, "nill", 0, enc));

    // Edits after the wide characters, on the same line, in the client's encoding: put an `X`
    // right after 𝄞 inside the quotes, then (against that result) replace `nill` with `nix`.
    let clef_end = WIDE.find('𝄞').unwrap() + '𝄞'.len_utf8();
    let step1 = format!("{}X{}", &WIDE[..clef_end], &WIDE[clef_end..]);
    c.change(
        URI,
        2,
        json!([
            { "range": range_json(WIDE, clef_end, clef_end, enc), "text": "X" },
            { "range": range_of(&step1, "nill", 0, enc), "text": "nix" },
        ]),
    )
    .await;
    let v2 = step1.replacen("nill", "nix", 1);
    let diags = c.diagnostics(URI, Some(2)).await;
    let d = only_diag(&diags, "invalid-value");
    assert_eq!(d["range"], range_of(&v2, "nix", 0, enc));
    assert_eq!(
        d["range"]["start"]["character"],
        nill_start + 1,
        "the X shifts it by one"
    );
    assert!(d["message"].as_str().unwrap().contains("`nix`"), "{d}");

    // Apply the server's fix client-side: the result must be exactly the expected text, which
    // proves the server's copy of the document matches ours byte for byte.
    let actions = code_actions(&mut c, &d["range"], std::slice::from_ref(d)).await;
    assert_eq!(actions[0]["title"], "Replace with `nil`");
    let fixed = apply_edits(&v2, &edits_of(&actions[0], URI), enc);
    assert_eq!(
        fixed,
        WIDE.replacen("nill", "nil", 1).replacen('𝄞', "𝄞X", 1)
    );

    // An edit on a line after the wide one lands where the client meant it.
    let v3 = format!("{v2}sumary: x\n");
    c.change(
        URI,
        3,
        json!([{ "range": range_json(&v2, v2.len(), v2.len(), enc), "text": "sumary: x\n" }]),
    )
    .await;
    let diags = c.diagnostics(URI, Some(3)).await;
    let unknown = diags
        .iter()
        .find(|d| d["code"] == "unknown-key")
        .expect("unknown-key");
    assert_eq!(unknown["range"], range_of(&v3, "sumary", 0, enc));
    assert_eq!(
        unknown["range"]["start"],
        json!({"line": 8, "character": 0})
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn utf16_columns_count_surrogate_pairs() {
    // `parts: {p: {source: "` is 21 units; é ☕ 𝄞 = 1+1+1+1+2 units; `", plugin: ` is 11.
    let col = 21 + 6 + 11;
    assert_eq!(
        position(WIDE, WIDE.find("nill").unwrap(), Enc::Utf16),
        (7, col)
    );
    wide_columns(Enc::Utf16, col).await;
}

#[tokio::test]
async fn utf8_columns_count_bytes() {
    // Same line in bytes: é ☕ 𝄞 = 2+1+3+1+4 bytes.
    let col = 21 + 11 + 11;
    assert_eq!(
        position(WIDE, WIDE.find("nill").unwrap(), Enc::Utf8),
        (7, col)
    );
    wide_columns(Enc::Utf8, col).await;
}

// 5. didClose

#[tokio::test]
async fn did_close_clears_diagnostics() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    c.open(URI, 1, &with_unknown_key()).await;
    assert_eq!(c.diagnostics(URI, Some(1)).await.len(), 1);
    c.close(URI).await;
    assert_eq!(c.diagnostics(URI, None).await, Vec::<Value>::new());
    // The document is gone: code actions on it answer empty, not an error.
    let res = c
        .request_raw("textDocument/codeAction", code_action_params(URI, &json!({"start": {"line": 10, "character": 0}, "end": {"line": 10, "character": 6}}), &[]))
        .await;
    assert!(res.get("error").is_none(), "{res}");
    assert!(
        res["result"].is_null() || res["result"] == json!([]),
        "{res}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// 6. only rockcraft.yaml is diagnosed

#[tokio::test]
async fn other_yaml_files_get_no_diagnostics() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    let bad = with_unknown_key();
    c.open(OTHER, 1, &bad).await;
    c.change_full(OTHER, 2, "name: [").await;
    c.open(URI, 1, &bad).await;
    // Notifications are handled in order, so rockcraft.yaml's publish comes after any for
    // other.yaml would have.
    assert_eq!(codes(&c.diagnostics(URI, Some(1)).await), ["unknown-key"]);
    c.assert_no_diagnostics_for(OTHER).await;
    let r = range_of(&bad, "sumary", 0, Enc::Utf16);
    let res = c
        .request(
            "textDocument/codeAction",
            code_action_params(OTHER, &r, &[]),
        )
        .await;
    assert!(res.is_null() || res == json!([]), "{res}");
    c.close(OTHER).await;
    c.assert_no_diagnostics_for(OTHER).await;
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// 7. code actions

fn code_action_params(uri: &str, range: &Value, diagnostics: &[Value]) -> Value {
    json!({
        "textDocument": {"uri": uri},
        "range": range,
        "context": {"diagnostics": diagnostics},
    })
}

async fn code_actions(c: &mut TestClient, range: &Value, diagnostics: &[Value]) -> Vec<Value> {
    let res = c
        .request(
            "textDocument/codeAction",
            code_action_params(URI, range, diagnostics),
        )
        .await;
    res.as_array().cloned().unwrap_or_default()
}

/// The text edits of a code action on `uri`, from `changes` or `documentChanges`.
fn edits_of(action: &Value, uri: &str) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(edits) = edit["changes"][uri].as_array() {
        return edits.clone();
    }
    let dc = edit["documentChanges"]
        .as_array()
        .expect("no edits in action");
    assert_eq!(dc.len(), 1);
    assert_eq!(dc[0]["textDocument"]["uri"], uri);
    dc[0]["edits"].as_array().unwrap().clone()
}

#[tokio::test]
async fn quickfix_renames_unknown_key() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    let text = with_unknown_key();
    c.open(URI, 1, &text).await;
    let diags = c.diagnostics(URI, Some(1)).await;
    let d = only_diag(&diags, "unknown-key").clone();

    let actions = code_actions(&mut c, &d["range"], std::slice::from_ref(&d)).await;
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let a = &actions[0];
    assert_eq!(a["title"], "Rename to `summary`");
    assert_eq!(a["kind"], "quickfix");
    assert_eq!(a["isPreferred"], true);
    assert_eq!(
        a["diagnostics"],
        json!([d]),
        "the action is attached to the client's diagnostic"
    );
    let fixed = apply_edits(&text, &edits_of(a, URI), Enc::Utf16);
    assert_eq!(fixed, format!("{VALID}summary: typo\n"));

    // A cursor inside the key, with no diagnostics in the context, finds the same fix.
    let cursor =
        json!({"start": {"line": 10, "character": 3}, "end": {"line": 10, "character": 3}});
    let again = code_actions(&mut c, &cursor, &[]).await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0]["edit"], a["edit"]);
    assert_eq!(again[0]["diagnostics"][0]["code"], "unknown-key");

    // Elsewhere, or when only refactorings are wanted: nothing.
    let elsewhere =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}});
    assert_eq!(
        code_actions(&mut c, &elsewhere, &[]).await,
        Vec::<Value>::new()
    );
    let mut only = code_action_params(URI, &d["range"], std::slice::from_ref(&d));
    only["context"]["only"] = json!(["refactor"]);
    let res = c.request("textDocument/codeAction", only).await;
    assert!(res.is_null() || res == json!([]), "{res}");

    // Applying the fix through the protocol leaves no diagnostics.
    c.change(
        URI,
        2,
        json!(
            edits_of(a, URI)
                .iter()
                .map(|e| json!({"range": e["range"], "text": e["newText"]}))
                .collect::<Vec<_>>()
        ),
    )
    .await;
    // Duplicate `summary` is what remains; the typo itself is gone.
    let after = c.diagnostics(URI, Some(2)).await;
    assert!(!codes(&after).contains(&"unknown-key"), "{after:#?}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn quickfix_for_enum_value_with_versioned_edits() {
    let caps = json!({"workspace": {"workspaceEdit": {"documentChanges": true}}});
    let (mut c, _) = TestClient::initialized(Some(&["utf-8"]), caps).await;
    let text = VALID.replacen("plugin: nil", "plugin: nill", 1);
    c.open(URI, 3, &text).await;
    let diags = c.diagnostics(URI, Some(3)).await;
    let d = only_diag(&diags, "invalid-value").clone();
    let actions = code_actions(&mut c, &d["range"], std::slice::from_ref(&d)).await;
    assert!(
        actions.len() > 1,
        "one action per allowed value: {actions:#?}"
    );
    assert_eq!(
        actions[0]["title"], "Replace with `nil`",
        "closest suggestion first"
    );
    assert!(
        actions
            .iter()
            .all(|a| a["kind"] == "quickfix" && a["diagnostics"] == json!([d]))
    );
    let dc = &actions[0]["edit"]["documentChanges"][0];
    assert_eq!(
        dc["textDocument"]["version"], 3,
        "edit pinned to the analysed version"
    );
    assert_eq!(
        apply_edits(&text, &edits_of(&actions[0], URI), Enc::Utf8),
        VALID
    );
    let dump = actions
        .iter()
        .find(|a| a["title"] == "Replace with `dump`")
        .expect("dump");
    assert_eq!(
        apply_edits(&text, &edits_of(dump, URI), Enc::Utf8),
        VALID.replacen("plugin: nil", "plugin: dump", 1)
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// 8. broken YAML mid-edit

#[tokio::test]
async fn broken_yaml_mid_edit_keeps_the_server_answering() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    c.open(URI, 1, VALID).await;
    assert_eq!(c.diagnostics(URI, Some(1)).await, Vec::<Value>::new());
    let end = range_json(VALID, VALID.len(), VALID.len(), Enc::Utf16);
    c.change(URI, 2, json!([{ "range": end, "text": "    prime: [a, " }]))
        .await;
    let diags = c.diagnostics(URI, Some(2)).await;
    let d = only_diag(&diags, "yaml-syntax");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["range"]["start"]["line"], 10, "{d}");
    assert!(d["message"].as_str().unwrap().contains('['), "{d}");

    // Still answering requests and notifications.
    let r = json!({"start": {"line": 10, "character": 0}, "end": {"line": 10, "character": 1}});
    assert_eq!(code_actions(&mut c, &r, &[]).await, Vec::<Value>::new());
    let v2 = format!("{VALID}    prime: [a, ");
    let close_at = range_json(&v2, v2.len(), v2.len(), Enc::Utf16);
    c.change(URI, 3, json!([{ "range": close_at, "text": "b]\n" }]))
        .await;
    assert_eq!(c.diagnostics(URI, Some(3)).await, Vec::<Value>::new());
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}}),
    )
    .await;
    assert_eq!(
        c.diagnostics(URI, Some(3)).await,
        Vec::<Value>::new(),
        "didSave re-publishes"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// Robustness

#[tokio::test]
async fn huge_documents_are_not_analysed() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    let mut text = String::from("name: hello\n");
    while text.len() <= 8 * 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    c.open(URI, 1, &text).await;
    let diags = c.diagnostics(URI, Some(1)).await;
    let d = only_diag(&diags, "file-too-large");
    assert_eq!(d["range"]["start"], json!({"line": 0, "character": 0}));
    assert!(d["message"].as_str().unwrap().contains("too large"), "{d}");
    // The server is still responsive and handles the next (small) version normally.
    c.change_full(URI, 2, &with_unknown_key()).await;
    assert_eq!(codes(&c.diagnostics(URI, Some(2)).await), ["unknown-key"]);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn unknown_documents_and_changes_answer_quietly() {
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    let never = "file:///tmp/q/rockcraft.yaml";
    c.change_full(never, 2, "name: x\n").await;
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": never}}),
    )
    .await;
    let r = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}});
    let res = c
        .request_raw(
            "textDocument/codeAction",
            code_action_params(never, &r, &[]),
        )
        .await;
    assert!(res.get("error").is_none(), "{res}");
    c.assert_no_diagnostics_for(never).await;
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// Outline

#[tokio::test]
async fn document_symbols_outline_the_project() {
    let (mut c, init) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    assert_eq!(init["capabilities"]["documentSymbolProvider"], true);
    let text =
        format!("{VALID}services:\n  web:\n    override: replace\n    command: srv --port 8080\n");
    c.open(URI, 1, &text).await;
    let syms = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    // Top-level keys in order, parts and services with their children and details.
    insta::assert_json_snapshot!(syms);
    let syms = syms.as_array().expect("a list of symbols");
    let parts = &syms[6];
    let at = text.find("  p:\n").unwrap() + 2;
    assert_eq!(
        parts["children"][0]["selectionRange"],
        range_json(&text, at, at + 1, Enc::Utf16)
    );
    let web = &syms[7]["children"][0];
    // The service's range spans its whole entry, to the end of its command.
    let end = text.find("8080").unwrap() + 4;
    assert_eq!(
        web["range"]["end"],
        range_json(&text, end, end, Enc::Utf16)["start"]
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
