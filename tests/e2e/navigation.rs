//! End-to-end tests of navigation: definitions (written, and generated in the expanded
//! project), references, highlights and rename of parts, services and checks, and document
//! links.

use crate::client::{Enc, TestClient, apply_edits, range_json};
use rockcraft_lsp::server::ServeExit;
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("../golden/flask-init-template/input/rockcraft.yaml");
const APP_PY: &str = include_str!("../golden/flask-init-template/input/app.py");
const REQUIREMENTS: &str = include_str!("../golden/flask-init-template/input/requirements.txt");

const EXTRA: &str = "  lib:
    plugin: nil
  app:
    plugin: nil
    after: [lib, flask-framework/install-app]
  flask-framework/install-app:
    prime:
      - flask/app/app.py
services:
  web:
    override: replace
    command: srv
    requires: [db]
    on-check-failure:
      up: restart
  db:
    override: replace
    command: db
checks:
  up:
    override: replace
    tcp: {port: 1}
";

/// The flask template with the parts, services and checks above.
fn project() -> String {
    format!("{TEMPLATE}parts:\n{EXTRA}")
}

fn position(text: &str, needle: &str, nth: usize) -> Value {
    let at = text.match_indices(needle).nth(nth).expect(needle).0 + 1;
    range_json(text, at, at, Enc::Utf16)["start"].clone()
}

fn at_params(uri: &str, text: &str, needle: &str, nth: usize) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position(text, needle, nth)})
}

/// The texts that a list of ranges (or locations, or highlights) covers in `text`.
fn covered(text: &str, items: &Value) -> Vec<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let offset = |p: &Value| -> usize {
        let line = usize::try_from(p["line"].as_u64().unwrap()).unwrap();
        let col = usize::try_from(p["character"].as_u64().unwrap()).unwrap();
        lines[..line].iter().map(|l| l.len() + 1).sum::<usize>() + col
    };
    items
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| {
            let (a, b) = (offset(&i["range"]["start"]), offset(&i["range"]["end"]));
            format!("{}@{}", &text[a..b], i["range"]["start"]["line"])
        })
        .collect()
}

fn line_of(text: &str, needle: &str, nth: usize) -> usize {
    let at = text.match_indices(needle).nth(nth).expect(needle).0;
    text[..at].matches('\n').count()
}

#[tokio::test]
async fn definitions_references_and_highlights_of_written_names() {
    let (mut c, init) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    for cap in [
        "definitionProvider",
        "referencesProvider",
        "documentHighlightProvider",
    ] {
        assert_eq!(init["capabilities"][cap], true, "{cap}");
    }
    let uri = "file:///tmp/navigation/rockcraft.yaml";
    let text = project();
    c.open(uri, 1, &text).await;

    // From `after: [lib, ...]` to the part `lib`.
    let def = c
        .request("textDocument/definition", at_params(uri, &text, "lib,", 0))
        .await;
    let lib_line = line_of(&text, "  lib:", 0);
    assert_eq!(covered(&text, &def), [format!("lib@{lib_line}")]);
    assert_eq!(def[0]["uri"], uri);

    // Every place naming service `db`, with and without its definition.
    let mut params = at_params(uri, &text, "db]", 0);
    params["context"] = json!({"includeDeclaration": true});
    let refs = c.request("textDocument/references", params.clone()).await;
    let db_line = line_of(&text, "  db:", 0);
    let requires_line = line_of(&text, "requires: [db]", 0);
    assert_eq!(
        covered(&text, &refs),
        [format!("db@{requires_line}"), format!("db@{db_line}")]
    );
    params["context"] = json!({"includeDeclaration": false});
    let refs = c.request("textDocument/references", params).await;
    assert_eq!(covered(&text, &refs), [format!("db@{requires_line}")]);

    // The check `up`: its reference in `on-check-failure` read, its definition written.
    let hl = c
        .request(
            "textDocument/documentHighlight",
            at_params(uri, &text, "up:", 1),
        )
        .await;
    let kinds: Vec<i64> = hl
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_i64().unwrap())
        .collect();
    assert_eq!(kinds, [2, 3], "read, then write: {hl}");
    assert_eq!(covered(&text, &hl).len(), 2);

    // A value that names nothing has no definition.
    let none = c
        .request("textDocument/definition", at_params(uri, &text, "srv", 0))
        .await;
    assert!(none.is_null(), "{none}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn a_generated_part_is_defined_in_the_expanded_project() {
    let dir = tempfile::Builder::new()
        .prefix("rockcraft-lsp-e2e-navigation-")
        .tempdir()
        .unwrap();
    std::fs::write(dir.path().join("app.py"), APP_PY).unwrap();
    std::fs::write(dir.path().join("requirements.txt"), REQUIREMENTS).unwrap();
    let uri = format!("file://{}/rockcraft.yaml", dir.path().display());
    let text = project();
    std::fs::write(dir.path().join("rockcraft.yaml"), &text).unwrap();
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    c.open(&uri, 1, &text).await;
    let def = c
        .request(
            "textDocument/definition",
            at_params(&uri, &text, "flask-framework/install-app]", 0),
        )
        .await;
    let target = def["uri"].as_str().expect("one location");
    assert_ne!(target, uri);
    assert!(target.ends_with("/rockcraft.expanded.yaml"), "{target}");
    let path = target.strip_prefix("file://").unwrap();
    let shown = std::fs::read_to_string(path).unwrap();
    let line = usize::try_from(def["range"]["start"]["line"].as_u64().unwrap()).unwrap();
    assert_eq!(
        shown.lines().nth(line).unwrap().trim(),
        "flask-framework/install-app:",
        "{shown}"
    );
    assert!(
        std::fs::metadata(path).unwrap().permissions().readonly(),
        "the expanded project is shown read-only"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn rename_changes_every_occurrence_or_says_why_not() {
    let (mut c, init) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    assert_eq!(
        init["capabilities"]["renameProvider"]["prepareProvider"],
        true
    );
    let uri = "file:///tmp/navigation-rename/rockcraft.yaml";
    let text = project();
    c.open(uri, 1, &text).await;

    let prep = c
        .request(
            "textDocument/prepareRename",
            at_params(uri, &text, "db:", 0),
        )
        .await;
    assert_eq!(prep["placeholder"], "db");
    let edit = c
        .request(
            "textDocument/rename",
            json!({
                "textDocument": {"uri": uri},
                "position": position(&text, "db:", 0),
                "newName": "database",
            }),
        )
        .await;
    let edits = edit["changes"][uri]
        .as_array()
        .expect("edits of the document");
    let renamed = apply_edits(&text, edits, Enc::Utf16);
    assert!(renamed.contains("requires: [database]"), "{renamed}");
    assert!(renamed.contains("  database:\n    override: replace\n    command: db"));

    // A generated part's override: refused, with the reason.
    let refused = c
        .request_raw(
            "textDocument/prepareRename",
            // (the first one is in a comment of the template)
            at_params(uri, &text, "flask-framework/install-app:", 1),
        )
        .await;
    let why = refused["error"]["message"].as_str().expect("an error");
    assert!(why.contains("flask-framework generates"), "{why}");

    // A new name that would override a generated service: refused.
    let refused = c
        .request_raw(
            "textDocument/rename",
            json!({
                "textDocument": {"uri": uri},
                "position": position(&text, "web:", 0),
                "newName": "flask",
            }),
        )
        .await;
    let why = refused["error"]["message"].as_str().expect("an error");
    assert!(why.contains("generates a service `flask`"), "{why}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn links_open_project_files_sources_and_extension_pages() {
    let dir = tempfile::Builder::new()
        .prefix("rockcraft-lsp-e2e-links-")
        .tempdir()
        .unwrap();
    std::fs::write(dir.path().join("app.py"), APP_PY).unwrap();
    std::fs::write(dir.path().join("requirements.txt"), REQUIREMENTS).unwrap();
    std::fs::create_dir(dir.path().join("static")).unwrap();
    let uri = format!("file://{}/rockcraft.yaml", dir.path().display());
    let text = format!(
        "{TEMPLATE}parts:\n  flask-framework/install-app:\n    prime:\n      - flask/app/app.py\n      - flask/app/static\n      - flask/app/nowhere.py\n  remote:\n    plugin: nil\n    source: https://example.com/src.tar.gz\n"
    );
    let (mut c, init) = TestClient::initialized(Some(&["utf-16"]), json!({})).await;
    assert!(init["capabilities"]["documentLinkProvider"].is_object());
    c.open(&uri, 1, &text).await;
    let links = c
        .request(
            "textDocument/documentLink",
            json!({"textDocument": {"uri": &uri}}),
        )
        .await;
    let targets: Vec<(String, String)> = covered(&text, &links)
        .into_iter()
        .zip(links.as_array().unwrap())
        .map(|(t, l)| {
            let target = l["target"].as_str().unwrap();
            let shown = target
                .strip_prefix(&format!("file://{}", dir.path().display()))
                .map_or_else(|| target.to_owned(), |p| format!("<project>{p}"));
            (t.split('@').next().unwrap().to_owned(), shown)
        })
        .collect();
    let expected = [
        (
            "flask-framework",
            "https://documentation.ubuntu.com/rockcraft/latest/reference/extensions/flask-framework",
        ),
        ("flask/app/app.py", "<project>/app.py"),
        ("flask/app/static", "<project>/static"),
        (
            "https://example.com/src.tar.gz",
            "https://example.com/src.tar.gz",
        ),
    ];
    assert_eq!(
        targets,
        expected.map(|(a, b)| (a.to_owned(), b.to_owned())),
        "{links}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
