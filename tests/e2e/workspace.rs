//! End-to-end tests of the diagnostics of a whole repository: pull diagnostics with result ids,
//! `workspace/diagnostic` over multi-root workspaces with progress, and the `checkClosedFiles`
//! setting for clients that only take pushed diagnostics. Real project directories on disk.

use std::time::Duration;

use crate::client::{PUBLISH, QUIET, TestClient, WAIT};
use rockcraft_lsp::server::{Options, ServeExit};
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("../golden/flask-init-template/input/rockcraft.yaml");
const APP_PY: &str = include_str!("../golden/flask-init-template/input/app.py");

/// A rock that checks clean.
const CLEAN: &str = "name: hello
base: bare
build-base: ubuntu@24.04
version: \"1.0\"
summary: A small rock.
description: A small rock.
license: Apache-2.0
platforms:
  amd64:
parts:
  hello:
    plugin: nil
";

/// [`CLEAN`] with a key rockcraft does not know.
fn broken() -> String {
    format!("{CLEAN}bogus-key: 1\n")
}

const NO_WSGI: &str = "flask-framework found no WSGI application";

/// A directory under the system temp dir, removed on drop.
struct Dir(tempfile::TempDir);

impl Dir {
    fn new(tag: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("rockcraft-lsp-e2e-ws-{tag}-"))
            .tempdir()
            .unwrap();
        Self(dir)
    }

    fn write(&self, rel: &str, contents: &str) -> &Self {
        let path = self.0.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    fn uri(&self, rel: &str) -> String {
        format!("file://{}", self.0.path().join(rel).display())
    }

    fn folder(&self) -> Value {
        json!({"uri": self.uri(""), "name": "folder"})
    }
}

/// Capabilities of a client that pulls diagnostics.
fn pulling() -> Value {
    json!({
        "textDocument": {"diagnostic": {"dynamicRegistration": false}},
        "workspace": {"diagnostics": {"refreshSupport": true}},
        "window": {"workDoneProgress": true},
    })
}

/// A server initialized with `caps`, the workspace `folders` and `options`.
async fn start(
    caps: Value,
    folders: &[&Dir],
    init: Value,
    options: Options,
) -> (TestClient, Value) {
    let mut c = TestClient::start_with(options);
    let folders: Vec<Value> = folders.iter().map(|d| d.folder()).collect();
    let result = c
        .request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "workspaceFolders": folders,
                "capabilities": caps,
                "initializationOptions": init,
            }),
        )
        .await;
    c.notify("initialized", json!({})).await;
    (c, result)
}

fn quick() -> Options {
    Options::default().with_debounce(Duration::ZERO)
}

fn codes(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

fn messages(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect()
}

async fn pull(c: &mut TestClient, uri: &str, previous: Option<&str>) -> Value {
    c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": previous}),
    )
    .await
}

async fn pull_workspace(c: &mut TestClient, token: Option<&str>, previous: Value) -> Value {
    let mut params = json!({"previousResultIds": previous});
    if let Some(t) = token {
        params["workDoneToken"] = json!(t);
    }
    c.request("workspace/diagnostic", params).await
}

/// The workspace report's items by URI.
fn by_uri(report: &Value) -> std::collections::BTreeMap<String, Value> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["uri"].as_str().unwrap().to_owned(), i.clone()))
        .collect()
}

/// The `$/progress` notification on `token` of `kind` (`begin`, `report`, `end`).
async fn progress(c: &mut TestClient, token: &Value, kind: &str) -> Value {
    c.notification(
        "$/progress",
        |p| p["token"] == *token && p["value"]["kind"] == kind,
        WAIT,
    )
    .await
    .unwrap_or_else(|| panic!("no `{kind}` progress on {token}"))
}

#[tokio::test]
async fn pulled_diagnostics_have_result_ids_unchanged_answers_and_the_expansion() {
    let p = Dir::new("pull");
    p.write("requirements.txt", "Flask\n");
    let text = format!("{TEMPLATE}bogus-key: 1\n");
    p.write("rockcraft.yaml", &text);
    let uri = p.uri("rockcraft.yaml");
    // The default debounce: the answer must not depend on the background expansion.
    let (mut c, init) = start(pulling(), &[&p], Value::Null, Options::default()).await;
    let provider = &init["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["identifier"], "rockcraft", "{init}");
    assert_eq!(provider["interFileDependencies"], true);
    assert_eq!(provider["workspaceDiagnostics"], true);
    assert_eq!(
        init["capabilities"]["workspace"]["workspaceFolders"]["changeNotifications"],
        true
    );

    c.open(&uri, 1, &text).await;
    let first = pull(&mut c, &uri, None).await;
    assert_eq!(first["kind"], "full", "{first}");
    let id = first["resultId"].as_str().unwrap().to_owned();
    assert!(codes(&first["items"]).contains(&"unknown-key"), "{first}");
    // Complete: the extension expansion's findings are in the first answer.
    assert!(
        messages(&first["items"])
            .iter()
            .any(|m| m.starts_with(NO_WSGI)),
        "{first}"
    );

    let again = pull(&mut c, &uri, Some(&id)).await;
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));

    // An edit: a new report, the unknown key gone.
    c.change_full(&uri, 2, TEMPLATE).await;
    let edited = pull(&mut c, &uri, Some(&id)).await;
    assert_eq!(edited["kind"], "full", "{edited}");
    assert_ne!(edited["resultId"], json!(id));
    assert!(
        !codes(&edited["items"]).contains(&"unknown-key"),
        "{edited}"
    );

    // The client pulls: nothing was pushed.
    c.assert_no_diagnostics_for(&uri).await;
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn a_project_file_changing_after_the_answer_asks_the_client_to_pull_again() {
    let p = Dir::new("refresh");
    p.write("requirements.txt", "Flask\n")
        .write("rockcraft.yaml", TEMPLATE);
    let uri = p.uri("rockcraft.yaml");
    let (mut c, _) = start(pulling(), &[&p], Value::Null, quick()).await;
    c.open(&uri, 1, TEMPLATE).await;
    let first = pull(&mut c, &uri, None).await;
    assert!(
        messages(&first["items"])
            .iter()
            .any(|m| m.starts_with(NO_WSGI)),
        "{first}"
    );
    let refresh = "workspace/diagnostic/refresh";
    assert!(c.server_request(refresh, QUIET).await.is_none());

    p.write("app.py", APP_PY);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": p.uri("app.py"), "type": 1}]}),
    )
    .await;
    assert!(c.server_request(refresh, WAIT).await.is_some());
    let id = first["resultId"].as_str().unwrap();
    let now = pull(&mut c, &uri, Some(id)).await;
    assert_eq!(now["kind"], "full", "{now}");
    assert!(
        !messages(&now["items"])
            .iter()
            .any(|m| m.starts_with(NO_WSGI)),
        "{now}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn workspace_diagnostics_cover_every_project_of_every_folder_with_progress() {
    let a = Dir::new("a");
    a.write("one/rockcraft.yaml", CLEAN)
        .write("two/rockcraft.yaml", &broken())
        .write("node_modules/dep/rockcraft.yaml", &broken())
        .write(".git/rockcraft.yaml", &broken());
    let b = Dir::new("b");
    b.write("rockcraft.yaml", CLEAN);
    let (mut c, _) = start(pulling(), &[&a, &b], Value::Null, quick()).await;

    let report = pull_workspace(&mut c, Some("ws-1"), json!([])).await;
    let token = json!("ws-1");
    let begin = progress(&mut c, &token, "begin").await;
    assert_eq!(begin["value"]["title"], "Checking rockcraft.yaml files");
    let end = progress(&mut c, &token, "end").await;
    assert_eq!(end["value"]["message"], "3 rockcraft.yaml files checked");
    let items = by_uri(&report);
    let (one, two, b_uri) = (
        a.uri("one/rockcraft.yaml"),
        a.uri("two/rockcraft.yaml"),
        b.uri("rockcraft.yaml"),
    );
    assert_eq!(
        items.keys().cloned().collect::<Vec<_>>(),
        {
            let mut want = vec![one.clone(), two.clone(), b_uri.clone()];
            want.sort();
            want
        },
        "{report:#}"
    );
    assert_eq!(items[&two]["kind"], "full");
    assert_eq!(codes(&items[&two]["items"]), ["unknown-key"], "{report:#}");
    assert_eq!(items[&one]["items"], json!([]), "{report:#}");
    assert_eq!(items[&b_uri]["items"], json!([]), "{report:#}");
    assert_eq!(items[&two]["version"], Value::Null);

    // The ids sent back: every report unchanged. An open document is answered from its text.
    let previous: Vec<Value> = items
        .iter()
        .map(|(uri, i)| json!({"uri": uri, "value": i["resultId"]}))
        .collect();
    c.open(&b_uri, 1, CLEAN).await;
    c.change_full(&b_uri, 2, &broken()).await;
    // No token from the client: the server creates one.
    let report = pull_workspace(&mut c, None, json!(previous)).await;
    let create = c
        .server_request("window/workDoneProgress/create", WAIT)
        .await
        .expect("a progress token is created");
    let token = create["params"]["token"].clone();
    progress(&mut c, &token, "begin").await;
    progress(&mut c, &token, "end").await;
    let items = by_uri(&report);
    assert_eq!(items[&one]["kind"], "unchanged", "{report:#}");
    assert_eq!(items[&two]["kind"], "unchanged", "{report:#}");
    assert_eq!(items[&b_uri]["kind"], "full", "{report:#}");
    assert_eq!(items[&b_uri]["version"], 2);
    assert_eq!(codes(&items[&b_uri]["items"]), ["unknown-key"]);

    // A folder removed: its projects are no longer reported.
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [b.folder()]}}),
    )
    .await;
    let report = pull_workspace(&mut c, Some("ws-3"), json!([])).await;
    let items = by_uri(&report);
    assert_eq!(items.len(), 2, "{report:#}");
    assert!(!items.contains_key(&b_uri));
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn a_workspace_pull_with_nothing_changed_waits_for_a_change() {
    let a = Dir::new("hold");
    a.write("rockcraft.yaml", &broken());
    let uri = a.uri("rockcraft.yaml");
    let (mut c, _) = start(pulling(), &[&a], Value::Null, quick()).await;
    let first = pull_workspace(&mut c, None, json!([])).await;
    let id = by_uri(&first)[&uri]["resultId"].clone();
    let previous = json!({"previousResultIds": [{"uri": uri, "value": id}]});
    // The package indexes finishing their start-up load is a change too: pull until a pull
    // is held.
    let mut held = None;
    for _ in 0..5 {
        let id = c
            .send_request("workspace/diagnostic", previous.clone())
            .await;
        if let Some(answer) = c.response(id, QUIET).await {
            assert_eq!(by_uri(&answer["result"])[&uri]["kind"], "unchanged");
        } else {
            held = Some(id);
            break;
        }
    }
    let held = held.expect("a pull with nothing changed is held");

    a.write("rockcraft.yaml", CLEAN);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 2}]}),
    )
    .await;
    let answer = c
        .response(held, WAIT)
        .await
        .expect("answered after the change");
    let report = &by_uri(&answer["result"])[&uri];
    assert_eq!(report["kind"], "full", "{answer}");
    assert_eq!(report["items"], json!([]));
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn push_only_clients_get_closed_files_checked_with_the_setting() {
    let a = Dir::new("closed");
    a.write("ok/rockcraft.yaml", CLEAN)
        .write("bad/rockcraft.yaml", &broken());
    let bad = a.uri("bad/rockcraft.yaml");
    let caps = json!({"window": {"workDoneProgress": true}});
    let (mut c, init) = start(caps, &[&a], json!({"checkClosedFiles": true}), quick()).await;
    assert!(init["capabilities"].get("diagnosticProvider").is_none());

    let create = c
        .server_request("window/workDoneProgress/create", WAIT)
        .await
        .expect("a progress token is created");
    let token = create["params"]["token"].clone();
    progress(&mut c, &token, "begin").await;
    let published = c.diagnostics(&bad, None).await;
    assert_eq!(codes(&json!(published)), ["unknown-key"]);
    progress(&mut c, &token, "end").await;
    // A clean closed file has nothing to show.
    c.assert_no_diagnostics_for(&a.uri("ok/rockcraft.yaml"))
        .await;

    // Opened: the open document's findings replace those from disk.
    c.open(&bad, 1, CLEAN).await;
    assert_eq!(c.diagnostics(&bad, Some(1)).await, Vec::<Value>::new());
    // Closed: cleared, then checked from disk again.
    c.close(&bad).await;
    assert_eq!(c.diagnostics(&bad, None).await, Vec::<Value>::new());
    let again = c.diagnostics(&bad, None).await;
    assert_eq!(codes(&json!(again)), ["unknown-key"]);

    // Fixed on disk: checked again on the watched-file change.
    a.write("bad/rockcraft.yaml", CLEAN);
    let changed = |kind: u8| json!({"changes": [{"uri": bad, "type": kind}]});
    c.notify("workspace/didChangeWatchedFiles", changed(2))
        .await;
    assert_eq!(c.diagnostics(&bad, None).await, Vec::<Value>::new());
    // Broken again, then deleted: cleared.
    a.write("bad/rockcraft.yaml", &broken());
    c.notify("workspace/didChangeWatchedFiles", changed(2))
        .await;
    assert_eq!(
        codes(&json!(c.diagnostics(&bad, None).await)),
        ["unknown-key"]
    );
    std::fs::remove_file(a.0.path().join("bad/rockcraft.yaml")).unwrap();
    c.notify("workspace/didChangeWatchedFiles", changed(3))
        .await;
    assert_eq!(c.diagnostics(&bad, None).await, Vec::<Value>::new());
    let got = c
        .notification(PUBLISH, |p| p["uri"] == bad.as_str(), QUIET)
        .await;
    assert!(got.is_none(), "{got:?}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn workspace_symbols_find_rocks_parts_and_services_in_every_folder() {
    let a = Dir::new("sym-a");
    a.write(
        "shop/rockcraft.yaml",
        &CLEAN.replace("name: hello", "name: shop"),
    )
    .write(
        "billing/rockcraft.yaml",
        &format!(
            "{}services:\n  billing-worker:\n    override: replace\n    command: run\n",
            CLEAN.replace("name: hello", "name: billing")
        ),
    )
    .write("node_modules/x/rockcraft.yaml", "name: hidden\n");
    let b = Dir::new("sym-b");
    b.write("rockcraft.yaml", CLEAN);
    let (mut c, init) = start(json!({}), &[&a, &b], Value::Null, quick()).await;
    assert_eq!(init["capabilities"]["workspaceSymbolProvider"], true);
    // An open document is searched as edited, not as saved.
    let open = b.uri("rockcraft.yaml");
    c.open(&open, 1, &CLEAN.replace("  hello:\n", "  edited-part:\n"))
        .await;

    let names = |res: &Value| -> Vec<String> {
        let mut v: Vec<String> = res
            .as_array()
            .expect("a list of symbols")
            .iter()
            .map(|s| {
                format!(
                    "{} in {}",
                    s["name"].as_str().unwrap(),
                    s["containerName"].as_str().unwrap_or("-")
                )
            })
            .collect();
        v.sort();
        v
    };
    let all = c.request("workspace/symbol", json!({"query": ""})).await;
    assert_eq!(
        names(&all),
        [
            "billing in -",
            "billing-worker in billing",
            "edited-part in hello",
            "hello in -",
            "hello in billing",
            "hello in shop",
            "shop in -",
        ],
        "{all:#}"
    );
    let worker = c
        .request("workspace/symbol", json!({"query": "bworker"}))
        .await;
    assert_eq!(names(&worker), ["billing-worker in billing"]);
    let loc = &worker[0]["location"];
    assert_eq!(loc["uri"], a.uri("billing/rockcraft.yaml"));
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
