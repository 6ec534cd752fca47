//! End-to-end tests of the background extension expansion: real JSON-RPC over in-memory pipes,
//! real project directories on disk.

use std::time::Duration;

use crate::client::{Enc, PUBLISH, QUIET, TestClient, WAIT, apply_edits, range_json};
use rockcraft_lsp::core::analysis::analyze;
use rockcraft_lsp::server::{Options, ServeExit};
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("../golden/flask-init-template/input/rockcraft.yaml");
const APP_PY: &str = include_str!("../golden/flask-init-template/input/app.py");
const MAIN_PY: &str = include_str!("../golden/flask-entrypoint-main-py/input/main.py");

/// A server that expands as soon as a version is stored, so tests wait on its publishes.
fn quick() -> Options {
    Options::default().with_debounce(Duration::ZERO)
}

/// A server that debounces every expansion (as it does once a document's are slow): the fast
/// findings are published first, the expansion's after a pause in typing.
fn debounced() -> Options {
    Options::default().with_inline_below(Duration::ZERO)
}

/// A project directory under the system temp dir, removed on drop.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(tag: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("rockcraft-lsp-e2e-{tag}-"))
            .tempdir()
            .unwrap();
        Self { dir }
    }

    fn write(&self, rel: &str, contents: &str) -> &Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    fn file_uri(&self, rel: &str) -> String {
        format!("file://{}", self.dir.path().join(rel).display())
    }

    fn uri(&self) -> String {
        self.file_uri("rockcraft.yaml")
    }
}

/// The flask template with extra YAML appended.
fn flask_with(extra: &str) -> String {
    format!("{TEMPLATE}{extra}")
}

fn errors(diags: &[Value]) -> Vec<&Value> {
    diags.iter().filter(|d| d["severity"] == 1).collect()
}

fn messages(diags: &[Value]) -> Vec<&str> {
    diags
        .iter()
        .map(|d| d["message"].as_str().unwrap_or_default())
        .collect()
}

/// How many diagnostics the fast analysis alone reports for `text`.
fn fast_count(text: &str) -> usize {
    analyze(text).diagnostics.len()
}

/// The next publish for `uri` at `version` whose diagnostics satisfy `pred`.
async fn publish_where(
    c: &mut TestClient,
    uri: &str,
    version: i64,
    pred: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let found = c
        .notification(
            PUBLISH,
            |p| {
                p["uri"] == uri
                    && p["version"] == version
                    && pred(p["diagnostics"].as_array().unwrap())
            },
            WAIT,
        )
        .await
        .unwrap_or_else(|| panic!("no matching publish for {uri} v{version}"));
    found["diagnostics"].as_array().unwrap().clone()
}

async fn expanded_project(c: &mut TestClient, uri: &str) -> Value {
    c.request("rockcraft/expandedProject", json!({ "uri": uri }))
        .await
}

#[tokio::test]
async fn capabilities_advertise_hover_refactor_and_the_command() {
    let (c, init) = TestClient::initialized(None, json!({})).await;
    let caps = &init["capabilities"];
    assert_eq!(caps["hoverProvider"], true, "{caps}");
    assert_eq!(
        caps["executeCommandProvider"]["commands"],
        json!([
            "rockcraft.showExpandedProject",
            "rockcraft.allowExperimentalExtensions",
            "rockcraft.applyActionAtCursor",
            "rockcraft.compareWithGenerated"
        ])
    );
    let kinds = caps["codeActionProvider"]["codeActionKinds"]
        .as_array()
        .unwrap();
    assert!(kinds.contains(&json!("quickfix")) && kinds.contains(&json!("refactor")));
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn watchers_are_registered_when_the_client_allows_it() {
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let (mut c, _) = TestClient::initialized(None, caps).await;
    let req = c
        .server_request("client/registerCapability", WAIT)
        .await
        .expect("no registration");
    let reg = &req["params"]["registrations"][0];
    assert_eq!(reg["method"], "workspace/didChangeWatchedFiles");
    assert!(
        !reg["registerOptions"]["watchers"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);

    // Without dynamic registration: no request.
    let (mut c, _) = TestClient::initialized(None, json!({})).await;
    let req = c.server_request("client/registerCapability", QUIET).await;
    assert!(req.is_none(), "{req:?}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn experimental_extensions_follow_initialization_options() {
    let p = Project::new("experimental");
    p.write("app.py", APP_PY)
        .write("requirements.txt", "Flask\n");
    let text = TEMPLATE
        .replace("base: bare", "base: ubuntu@26.04")
        .replace("build-base: ubuntu@24.04", "");
    p.write("rockcraft.yaml", &text);
    let uri = p.uri();
    let with_env =
        std::env::var_os("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS").is_some_and(|v| !v.is_empty());
    for experimental in [false, true] {
        let mut c = TestClient::start_with(quick());
        c.request(
            "initialize",
            json!({
                "processId": null, "rootUri": null, "capabilities": {},
                "initializationOptions": {"experimentalExtensions": experimental},
            }),
        )
        .await;
        c.notify("initialized", json!({})).await;
        c.open(&uri, 1, &text).await;
        let out = expanded_project(&mut c, &uri).await;
        if experimental || with_env {
            assert_eq!(out["error"], Value::Null, "{out}");
        } else {
            assert!(
                out["error"].as_str().unwrap().contains("experimental"),
                "{out}"
            );
            let diags = publish_where(&mut c, &uri, 1, |d| !errors(d).is_empty()).await;
            assert!(
                diags.iter().any(|d| d["code"] == "extension-experimental"),
                "{diags:#?}"
            );
        }
        assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
    }
}

// (1) a prime entry without the `flask/app/` prefix, and its quick fix

#[tokio::test]
async fn prime_entry_without_prefix_is_reported_and_fixed() {
    let p = Project::new("prime");
    p.write("app.py", APP_PY)
        .write("requirements.txt", "Flask\n");
    let text = flask_with("parts:\n  flask-framework/install-app:\n    prime:\n      - app.py\n");
    p.write("rockcraft.yaml", &text);
    let uri = p.uri();
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, &text).await;
    // Typing never waits: the fast diagnostics come first and already hold the error on the
    // entry itself (the prefix rule needs no expansion).
    let fast = c.diagnostics(&uri, Some(1)).await;
    assert_eq!(fast.len(), fast_count(&text), "{fast:#?}");
    let at = text.rfind("- app.py").unwrap() + 2;
    let entry = range_json(&text, at, at + "app.py".len(), Enc::Utf16);
    // The expansion finds the same mistake: it is not reported twice.
    let later = c
        .notification(
            PUBLISH,
            |p| p["uri"] == uri.as_str() && p["version"] == 1,
            QUIET,
        )
        .await;
    let diags = later.map_or(fast, |p| p["diagnostics"].as_array().unwrap().clone());
    let on_entry: Vec<&Value> = errors(&diags)
        .into_iter()
        .filter(|d| d["range"]["start"]["line"] == entry["start"]["line"])
        .collect();
    assert_eq!(on_entry.len(), 1, "{diags:#?}");
    assert_eq!(on_entry[0]["range"], entry, "{diags:#?}");
    let d = on_entry[0].clone();
    assert!(
        d["message"].as_str().unwrap().contains("flask/app"),
        "{d:#?}"
    );

    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": d["range"],
                "context": {"diagnostics": [d]},
            }),
        )
        .await;
    let actions = actions.as_array().cloned().unwrap_or_default();
    let fix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("no quick fix: {actions:#?}"));
    assert_eq!(fix["diagnostics"][0]["range"], d["range"]);
    // The fast rule and the expansion both find the mistake; a client that sends no
    // diagnostics (the cursor on the entry) still gets the fix once.
    let at_cursor = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": d["range"]["start"], "end": d["range"]["start"]},
                "context": {"diagnostics": []},
            }),
        )
        .await;
    let fixes: Vec<&Value> = at_cursor
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["kind"] == "quickfix")
        .collect();
    assert_eq!(fixes.len(), 1, "{at_cursor:#?}");
    let edits = fix["edit"]["changes"][&uri].as_array().unwrap().clone();
    let fixed = apply_edits(&text, &edits, Enc::Utf16);
    assert!(fixed.contains("- flask/app/app.py"), "{fixed}");

    c.change_full(&uri, 2, &fixed).await;
    let fast = c.diagnostics(&uri, Some(2)).await;
    assert!(errors(&fast).is_empty(), "{fast:#?}");
    // The next expansion has no errors: nothing more is published for v2 with errors, and the
    // expanded project is available.
    let late = c
        .notification(
            PUBLISH,
            |p| {
                p["uri"] == uri.as_str() && !errors(p["diagnostics"].as_array().unwrap()).is_empty()
            },
            QUIET,
        )
        .await;
    assert!(late.is_none(), "errors after the fix: {late:#?}");
    let out = expanded_project(&mut c, &uri).await;
    assert_eq!(out["error"], Value::Null, "{out}");
    assert!(
        out["yaml"].as_str().unwrap().contains("flask/app/app.py"),
        "{out}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// (2) hover shows the generated gunicorn command with the detected module

/// Hover on the last occurrence of `needle`, at its first non-blank character.
async fn hover_text(c: &mut TestClient, uri: &str, text: &str, needle: &str) -> Option<String> {
    let start = text.rfind(needle).unwrap() + needle.len() - needle.trim_start().len();
    let at = range_json(text, start, start, Enc::Utf16)["start"].clone();
    let res = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at}),
        )
        .await;
    if res.is_null() {
        return None;
    }
    assert_eq!(res["contents"]["kind"], "markdown", "{res}");
    res["contents"]["value"].as_str().map(ToOwned::to_owned)
}

/// Hovers until the expansion of the open version is in (or [`WAIT`] passes).
async fn hover_until(
    c: &mut TestClient,
    uri: &str,
    text: &str,
    needle: &str,
    want: &[&str],
) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let got = hover_text(c, uri, text, needle).await.unwrap_or_default();
        if want.iter().all(|w| got.contains(w)) {
            return got;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "hover on `{needle}` never showed {want:?}; last: {got}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn hover_shows_gunicorn_command_with_detected_module() {
    let p = Project::new("hover");
    p.write("main.py", MAIN_PY)
        .write("requirements.txt", "Flask\n");
    let text = flask_with("services:\n  flask:\n    override: merge\n    startup: disabled\n");
    p.write("rockcraft.yaml", &text);
    let uri = p.uri();
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, &text).await;
    let want = ["gunicorn", "main:app"];
    hover_until(&mut c, &uri, &text, "  flask:\n", &want).await;
    let on_ext = hover_until(&mut c, &uri, &text, "flask-framework\n", &want).await;
    assert!(!on_ext.contains("app:app"), "{on_ext}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// (3) project files changing on disk re-expand without touching the YAML

#[tokio::test]
async fn watched_file_changes_clear_and_raise_diagnostics() {
    let p = Project::new("watch");
    p.write("requirements.txt", "Flask\n");
    p.write("rockcraft.yaml", TEMPLATE);
    let uri = p.uri();
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let (mut c, _) = TestClient::initialized_with(None, caps, quick()).await;
    c.open(&uri, 1, TEMPLATE).await;
    // No entrypoint yet.
    let diags = publish_where(&mut c, &uri, 1, |d| !errors(d).is_empty()).await;
    assert!(
        messages(&diags).iter().any(|m| m
            .starts_with("flask-framework found no WSGI application: none of the files it searches (`app.py` and `main.py` in the project root, then")),
        "{diags:#?}"
    );

    p.write("app.py", APP_PY);
    let changed =
        |rel: &str, kind: u8| json!({"changes": [{"uri": p.file_uri(rel), "type": kind}]});
    c.notify("workspace/didChangeWatchedFiles", changed("app.py", 1))
        .await;
    let diags = publish_where(&mut c, &uri, 1, |d| errors(d).is_empty()).await;
    assert_eq!(diags.len(), fast_count(TEMPLATE), "{diags:#?}");

    p.write("requirements.txt", "requests\n");
    c.notify(
        "workspace/didChangeWatchedFiles",
        changed("requirements.txt", 2),
    )
    .await;
    let diags = publish_where(&mut c, &uri, 1, |d| !errors(d).is_empty()).await;
    assert!(
        messages(&errors(&diags).into_iter().cloned().collect::<Vec<_>>())
            .iter()
            .any(|m| m.starts_with(
                "flask-framework needs `flask` as a dependency, but `requirements.txt` does not list it"
            )),
        "{diags:#?}"
    );

    // A file outside the project changes nothing.
    let other = Project::new("elsewhere");
    other.write("app.py", APP_PY);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": other.file_uri("app.py"), "type": 1}]}),
    )
    .await;
    let got = c
        .notification(PUBLISH, |p| p["uri"] == uri.as_str(), QUIET)
        .await;
    assert!(got.is_none(), "unexpected publish: {got:#?}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// (4) edits faster than the debounce: only the final version's expansion is published

#[tokio::test]
async fn fast_edits_publish_only_the_final_expansion() {
    const LAST: i64 = 6;
    let p = Project::new("stale");
    // No app.py: every version's expansion has an error.
    p.write("requirements.txt", "Flask\n");
    p.write("rockcraft.yaml", TEMPLATE);
    let uri = p.uri();
    // The default debounce: versions that follow each other faster are never expanded.
    let mut c = TestClient::with_options(Enc::Utf16, debounced()).await;
    let version_text = |v: i64| TEMPLATE.replace("A summary of", &format!("Summary {v} of"));
    c.open(&uri, 1, &version_text(1)).await;
    for v in 2..=LAST {
        tokio::time::sleep(Duration::from_millis(10)).await;
        c.change_full(&uri, v, &version_text(v)).await;
    }
    let mut seen = Vec::new();
    let mut final_expansion = false;
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::time::Instant::now() < deadline {
        let Some(p) = c
            .notification(PUBLISH, |p| p["uri"] == uri.as_str(), QUIET)
            .await
        else {
            if final_expansion {
                break;
            }
            continue;
        };
        let v = p["version"].as_i64().unwrap();
        let n = p["diagnostics"].as_array().unwrap().len();
        let fast = fast_count(&version_text(v));
        if v < LAST {
            assert_eq!(n, fast, "expansion diagnostics published for v{v}: {p:#?}");
        } else if n > fast {
            final_expansion = true;
        }
        seen.push(v);
    }
    assert!(
        final_expansion,
        "no expansion publish for v{LAST}: {seen:?}"
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "out of order: {seen:?}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// (5) the expanded project equals `rockcraft-lsp expand-extensions`

#[tokio::test]
async fn show_expanded_project_matches_the_cli() {
    let p = Project::new("command");
    p.write("app.py", APP_PY)
        .write("requirements.txt", "Flask\n");
    p.write("rockcraft.yaml", TEMPLATE);
    let uri = p.uri();
    let cli = rockcraft_lsp::cli::expand::run_expand(
        p.dir.path(),
        rockcraft_lsp::core::extensions::DEFAULT_EXTENSIONS_DIR,
        false,
    );
    assert_eq!(cli.exit_code, 0, "{}", cli.stderr);
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    // Before the document is opened (read from disk), and once it is open.
    for open in [false, true] {
        if open {
            c.open(&uri, 1, TEMPLATE).await;
        }
        let res = c
            .request(
                "workspace/executeCommand",
                json!({"command": "rockcraft.showExpandedProject", "arguments": [uri]}),
            )
            .await;
        assert_eq!(res.as_str(), Some(cli.stdout.as_str()), "open: {open}");
        let out = expanded_project(&mut c, &uri).await;
        assert_eq!(out["yaml"].as_str(), Some(cli.stdout.as_str()));
        assert_eq!(out["error"], Value::Null);
    }

    // A project that cannot be expanded: an error, not YAML.
    let broken = TEMPLATE.replace("flask-framework", "flask-frameworkk");
    c.change_full(&uri, 2, &broken).await;
    let res = c
        .request_raw(
            "workspace/executeCommand",
            json!({"command": "rockcraft.showExpandedProject", "arguments": [uri]}),
        )
        .await;
    assert!(res["error"]["message"].as_str().is_some(), "{res}");
    let out = expanded_project(&mut c, &uri).await;
    assert_eq!(out["yaml"], Value::Null, "{out}");
    assert!(out["error"].as_str().is_some(), "{out}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// (4) refactorings computed from the current expansion, and starters for an empty file

/// The code actions offered at the start of the document, with no diagnostics sent (`context`
/// holds the other fields of the request's context, such as `only`).
async fn actions_at_start(c: &mut TestClient, uri: &str, mut context: Value) -> Vec<Value> {
    context["diagnostics"] = json!([]);
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": context,
            }),
        )
        .await;
    actions.as_array().cloned().unwrap_or_default()
}

/// The code actions offered on the first `needle` of `text`, with no diagnostics sent.
async fn actions_in(c: &mut TestClient, uri: &str, text: &str, needle: &str) -> Vec<Value> {
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": crate::client::range_of(text, needle, 0, Enc::Utf16),
                "context": {"diagnostics": []},
            }),
        )
        .await;
    actions.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn show_expanded_project_opens_a_read_only_snapshot_where_the_client_can() {
    let p = Project::new("show");
    p.write("app.py", APP_PY)
        .write("requirements.txt", "Flask\n");
    p.write("rockcraft.yaml", TEMPLATE);
    let uri = p.uri();
    let cli = cli_expand(&p, TEMPLATE);
    assert_eq!(cli.exit_code, 0, "{}", cli.stderr);
    let caps = json!({"window": {"showDocument": {"support": true}}});
    let (mut c, _) = TestClient::initialized_with(Some(&["utf-16"]), caps, quick()).await;
    c.answer("window/showDocument", json!({"success": true}));
    c.open(&uri, 1, TEMPLATE).await;
    // Offered anywhere in the project: running it opens the expansion in the editor.
    let actions = actions_at_start(&mut c, &uri, json!({})).await;
    let show = titled(&actions, "Show the expanded project");
    let mut shown = Vec::new();
    for _ in 0..2 {
        let res = c
            .request(
                "workspace/executeCommand",
                json!({"command": show["command"]["command"], "arguments": show["command"]["arguments"]}),
            )
            .await;
        assert_eq!(res.as_str(), Some(cli.stdout.as_str()));
        let req = c
            .server_request("window/showDocument", WAIT)
            .await
            .expect("the server asks the client to show the expansion");
        let target = req["params"]["uri"].as_str().unwrap().to_owned();
        assert_eq!(req["params"]["takeFocus"], false, "{req}");
        let path = std::path::PathBuf::from(target.strip_prefix("file://").unwrap());
        // Outside the project, read-only, the YAML below a comment saying what it is.
        assert!(!path.starts_with(p.dir.path()), "{}", path.display());
        assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# The project of "), "{text}");
        assert!(text.ends_with(&cli.stdout), "{text}");
        let header = &text[..text.len() - cli.stdout.len()];
        assert!(header.lines().all(|l| l.starts_with("# ")), "{header}");
        shown.push(path);
    }
    // Each run shows a new file (a client keeps a buffer per name), the old one is gone.
    assert_ne!(shown[0], shown[1]);
    assert!(!shown[0].exists());
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
    assert!(
        !shown[1].exists(),
        "the scratch directory goes with the server"
    );
}

#[tokio::test]
async fn show_expanded_project_is_offered_on_extensions_only_without_show_document() {
    let p = Project::new("show-once");
    p.write("app.py", APP_PY)
        .write("requirements.txt", "Flask\n");
    p.write("rockcraft.yaml", TEMPLATE);
    let uri = p.uri();
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, TEMPLATE).await;
    let is_show = |a: &Value| {
        a["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Show the expanded"))
    };
    for needle in ["name: my-flask-app", "base: bare", "- flask-framework"] {
        let actions = actions_in(&mut c, &uri, TEMPLATE, needle).await;
        let offered = actions.iter().filter(|a| is_show(a)).count();
        let want = usize::from(needle == "- flask-framework");
        assert_eq!(offered, want, "on `{needle}`: {actions:#?}");
    }
    // Running it answers the YAML and asks the client nothing.
    let res = c
        .request(
            "workspace/executeCommand",
            json!({"command": "rockcraft.showExpandedProject", "arguments": [uri]}),
        )
        .await;
    assert!(
        res.as_str().is_some_and(|y| y.contains("services:")),
        "{res}"
    );
    assert!(
        c.server_request("window/showDocument", QUIET)
            .await
            .is_none()
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

/// The refactorings offered at the top of the document, once the expansion of `version` is in
/// (the override action needs it).
async fn refactors(c: &mut TestClient, uri: &str) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let actions = actions_at_start(c, uri, json!({"only": ["refactor"]})).await;
        let ready = actions
            .iter()
            .any(|a| a["title"] == "Override the flask service command");
        if ready || tokio::time::Instant::now() > deadline {
            return actions;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn titled<'a>(actions: &'a [Value], title: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with(title)))
        .unwrap_or_else(|| panic!("no action `{title}` in {actions:#?}"))
}

fn apply_action(text: &str, action: &Value, uri: &str) -> String {
    let edits = action["edit"]["changes"][uri].as_array().unwrap().clone();
    apply_edits(text, &edits, Enc::Utf16)
}

/// The expansion of `text` in `p` by the command line, as rockcraft would print it.
fn cli_expand(p: &Project, text: &str) -> rockcraft_lsp::cli::check::Report {
    p.write("rockcraft.yaml", text);
    rockcraft_lsp::cli::expand::run_expand(
        p.dir.path(),
        rockcraft_lsp::core::extensions::DEFAULT_EXTENSIONS_DIR,
        false,
    )
}

/// The `command:` line of the flask service in an expanded project.
fn flask_command(expanded: &str) -> &str {
    let services = &expanded[expanded.find("\nservices:\n").expect("services")..];
    services
        .lines()
        .find(|l| l.trim_start().starts_with("command: "))
        .expect("command")
        .trim()
}

#[tokio::test]
async fn refactorings_insert_overrides_that_expand_as_rockcraft_would() {
    let p = Project::new("refactor");
    p.write("app.py", APP_PY)
        .write("requirements.txt", "Flask\n")
        .write("templates/index.html", "<p>hi</p>\n");
    let original = cli_expand(&p, TEMPLATE);
    assert_eq!(original.exit_code, 0, "{}", original.stderr);
    let uri = p.uri();
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, TEMPLATE).await;
    let actions = refactors(&mut c, &uri).await;

    // Override the service command: the inserted command is the one rockcraft would run, and
    // the edited file expands to the same command.
    let over = apply_action(
        TEMPLATE,
        titled(&actions, "Override the flask service command"),
        &uri,
    );
    assert!(
        over.contains("services:\n  flask:\n    override: replace\n"),
        "{over}"
    );
    let cmd = flask_command(&original.stdout);
    assert!(cmd.contains("gunicorn") && cmd.contains("app:app"), "{cmd}");
    assert!(over.contains(cmd), "{over}");
    let after = cli_expand(&p, &over);
    assert_eq!(after.exit_code, 0, "{}", after.stderr);
    assert_eq!(flask_command(&after.stdout), cmd);
    assert!(
        analyze(&over)
            .diagnostics
            .iter()
            .all(|d| d.severity != rockcraft_lsp::core::diagnostic::Severity::Error),
        "{over}"
    );

    // Extra packages (chisel slices: the template is on `base: bare`): a dependencies part with
    // an empty list to fill, which expands to the generated one.
    let debs = apply_action(
        TEMPLATE,
        titled(
            &actions,
            "Add chisel slices to flask-framework/dependencies",
        ),
        &uri,
    );
    assert!(
        debs.contains("  flask-framework/dependencies:\n    stage-packages: []\n"),
        "{debs}"
    );
    let after = cli_expand(&p, &debs);
    assert_eq!(after.exit_code, 0, "{}", after.stderr);
    assert!(
        after.stdout.contains("- python3.12-venv_ensurepip"),
        "{}",
        after.stdout
    );

    // Choose which files go in: today's defaults, all prefixed; the expansion primes the same.
    let files = apply_action(
        TEMPLATE,
        titled(&actions, "Choose which files go into the image"),
        &uri,
    );
    assert!(files.contains("      - flask/app/app.py\n"), "{files}");
    assert!(files.contains("      - flask/app/templates\n"), "{files}");
    let after = cli_expand(&p, &files);
    assert_eq!(after.exit_code, 0, "{}", after.stderr);

    // Show the expanded project (offered on `extensions:` to a client that cannot open
    // documents for the server): a command returning exactly what the CLI prints.
    assert!(
        !actions.iter().any(|a| a["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Show the expanded"))),
        "offered at the top of the file: {actions:#?}"
    );
    let on_extensions = actions_in(&mut c, &uri, TEMPLATE, "extensions:").await;
    let show = titled(&on_extensions, "Show the expanded project");
    assert_eq!(show["command"]["command"], "rockcraft.showExpandedProject");
    let res = c
        .request(
            "workspace/executeCommand",
            json!({"command": show["command"]["command"], "arguments": show["command"]["arguments"]}),
        )
        .await;
    assert_eq!(res.as_str(), Some(original.stdout.as_str()));
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn empty_file_offers_a_starter_per_profile() {
    let p = Project::new("starter");
    p.write("app.py", APP_PY)
        .write("requirements.txt", "Flask\n");
    p.write("rockcraft.yaml", "");
    let uri = p.uri();
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, "").await;
    let actions = actions_at_start(&mut c, &uri, json!({})).await;
    let starters: Vec<&str> = actions
        .iter()
        .filter_map(|a| a["title"].as_str())
        .filter(|t| t.starts_with("Start a"))
        .collect();
    assert_eq!(
        starters,
        [
            "Start a flask-framework project",
            "Start a django-framework project",
            "Start a fastapi-framework project",
            "Start a go-framework project",
            "Start an expressjs-framework project",
            "Start a spring-boot-framework project",
            "Start a simple project",
        ],
        "{starters:?}"
    );
    let flask = apply_action(
        "",
        titled(&actions, "Start a flask-framework project"),
        &uri,
    );
    assert!(
        flask.contains("extensions:\n  - flask-framework\n"),
        "{flask}"
    );
    let after = cli_expand(&p, &flask);
    assert_eq!(after.exit_code, 0, "{}", after.stderr);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// (6) no flicker: typing keeps the expansion's findings, moved with the text

/// The diagnostics of `all` that the fast analysis of `text` does not report (by code and
/// message).
fn expansion_only(text: &str, all: &[Value]) -> Vec<Value> {
    let fast = analyze(text).diagnostics;
    all.iter()
        .filter(|d| {
            !fast
                .iter()
                .any(|f| d["code"] == f.code.name() && d["message"] == f.message.as_str())
        })
        .cloned()
        .collect()
}

#[tokio::test]
async fn typing_keeps_expansion_findings_at_their_moved_place() {
    let p = Project::new("flicker");
    // No app.py: the expansion reports that flask-framework finds no WSGI application.
    p.write("requirements.txt", "Flask\n");
    p.write("rockcraft.yaml", TEMPLATE);
    let uri = p.uri();
    // The default debounce: the versions typed below come faster than it, so none of them is
    // expanded and every publish while typing is a fast one.
    let mut c = TestClient::with_options(Enc::Utf16, debounced()).await;
    c.open(&uri, 1, TEMPLATE).await;
    // The publishes in the order they come: the fast one, then the first complete one.
    let first = loop {
        let params = c
            .notification(PUBLISH, |p| p["uri"] == uri.as_str(), WAIT)
            .await
            .expect("no complete publish");
        let diags = params["diagnostics"].as_array().unwrap().clone();
        if !errors(&diags).is_empty() {
            break diags;
        }
    };
    let from_expansion = expansion_only(TEMPLATE, &first);
    assert!(
        from_expansion.iter().any(|d| d["severity"] == 1
            && d["message"]
                .as_str()
                .is_some_and(|m| m.contains("no WSGI application"))),
        "{first:#?}"
    );
    // Where each finding is, in bytes of the opened text.
    let at = |pos: &Value| {
        let n = |k: &str| u32::try_from(pos[k].as_u64().unwrap()).unwrap();
        crate::client::offset(TEMPLATE, n("line"), n("character"), Enc::Utf16)
    };
    let spans: Vec<(usize, usize)> = from_expansion
        .iter()
        .map(|d| (at(&d["range"]["start"]), at(&d["range"]["end"])))
        .collect();

    // Ten characters, one didChange each, on the blank third line (a comment, then a line
    // break that moves everything below it one line down).
    let typed = "# abcdefg\n";
    assert_eq!(typed.len(), 10);
    let insert_at = TEMPLATE.match_indices('\n').nth(1).unwrap().0 + 1;
    assert!(spans.iter().all(|&(s, _)| s > insert_at), "{spans:?}");
    let text_at = |n: usize| {
        let mut t = TEMPLATE.to_owned();
        t.insert_str(insert_at, &typed[..n]);
        t
    };
    for (i, ch) in typed.char_indices() {
        let before = text_at(i);
        let here = range_json(&before, insert_at + i, insert_at + i, Enc::Utf16);
        c.change(
            &uri,
            i64::try_from(i).unwrap() + 2,
            json!([{ "range": here, "text": ch.to_string() }]),
        )
        .await;
    }
    let last = i64::try_from(typed.len()).unwrap() + 1;

    // Every publish from now on (up to the last version, and whatever follows it) carries
    // every expansion finding, at its place in that version's text.
    let mut seen = Vec::new();
    loop {
        let wait = if seen.last() == Some(&last) {
            QUIET
        } else {
            WAIT
        };
        let Some(params) = c
            .notification(PUBLISH, |p| p["uri"] == uri.as_str(), wait)
            .await
        else {
            break;
        };
        let v = params["version"].as_i64().unwrap();
        let diags = params["diagnostics"].as_array().unwrap();
        let text = text_at(usize::try_from(v - 1).unwrap());
        let shift = text.len() - TEMPLATE.len();
        for (d, &(s, e)) in from_expansion.iter().zip(&spans) {
            let want = range_json(&text, s + shift, e + shift, Enc::Utf16);
            assert!(
                diags.iter().any(|x| x["code"] == d["code"]
                    && x["message"] == d["message"]
                    && x["range"] == want),
                "v{v} lost or misplaced {d:#?}; published: {diags:#?}"
            );
        }
        seen.push(v);
    }
    assert_eq!(seen.last(), Some(&last), "{seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "out of order: {seen:?}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

/// While expansions are cheap (the template's are), each version is published once, with the
/// expansion's findings: no fast-only publish comes first, whatever the pace of the edits.
#[tokio::test]
async fn each_version_is_published_once_with_its_expansion_findings() {
    const LAST: i64 = 8;
    let p = Project::new("once");
    // No app.py: every version's expansion has an error.
    p.write("requirements.txt", "Flask\n");
    p.write("rockcraft.yaml", TEMPLATE);
    let uri = p.uri();
    let mut c = TestClient::with_encoding(Enc::Utf16).await;
    let version_text = |v: i64| TEMPLATE.replace("A summary of", &format!("Summary {v} of"));
    let wsgi = |diags: &[Value]| {
        diags.iter().any(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("no WSGI application"))
        })
    };
    c.open(&uri, 1, &version_text(1)).await;
    let mut seen = Vec::new();
    let record = |params: Value, seen: &mut Vec<i64>| {
        let v = params["version"].as_i64().unwrap();
        let diags = params["diagnostics"].as_array().unwrap();
        assert!(
            wsgi(diags),
            "v{v} published without its expansion: {diags:#?}"
        );
        assert!(diags.len() > fast_count(&version_text(v)), "{diags:#?}");
        seen.push(v);
    };
    // The first versions one by one, waiting for each publish; the last ones in a burst.
    for v in 2..=LAST {
        if v <= 4 {
            let params = c
                .notification(PUBLISH, |p| p["uri"] == uri.as_str(), WAIT)
                .await
                .expect("no publish");
            record(params, &mut seen);
        }
        c.change_full(&uri, v, &version_text(v)).await;
    }
    while let Some(params) = c
        .notification(
            PUBLISH,
            |p| p["uri"] == uri.as_str(),
            if seen.last() == Some(&LAST) {
                QUIET
            } else {
                WAIT
            },
        )
        .await
    {
        record(params, &mut seen);
    }
    assert_eq!(seen.last(), Some(&LAST), "{seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "a version published twice or out of order: {seen:?}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn yaml_that_does_not_load_keeps_the_last_expansion_findings() {
    let p = Project::new("broken");
    // No app.py: the expansion reports that flask-framework finds no WSGI application.
    p.write("requirements.txt", "Flask\n");
    p.write("rockcraft.yaml", TEMPLATE);
    let uri = p.uri();
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, TEMPLATE).await;
    let wsgi = |diags: &[Value]| {
        diags.iter().any(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("no WSGI application"))
        })
    };
    loop {
        let params = c
            .notification(PUBLISH, |p| p["uri"] == uri.as_str(), WAIT)
            .await
            .expect("no complete publish");
        if wsgi(params["diagnostics"].as_array().unwrap()) {
            break;
        }
    }
    // Half-typed YAML (an unclosed flow list): the expansion cannot run, which is no news
    // about the project, so its last findings stay beside the syntax error, with no debounce
    // to hide a publish that would drop them.
    let broken = format!("{TEMPLATE}x: [\n");
    c.change_full(&uri, 2, &broken).await;
    let mut publishes = 0;
    while let Some(params) = c
        .notification(PUBLISH, |p| p["uri"] == uri.as_str(), QUIET)
        .await
    {
        let diags = params["diagnostics"].as_array().unwrap();
        assert!(
            diags.iter().any(|d| d["code"] == "yaml-syntax"),
            "{diags:#?}"
        );
        assert!(wsgi(diags), "the expansion finding was dropped: {diags:#?}");
        publishes += 1;
    }
    assert!(publishes >= 1);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

// (6) files the client names are read only when they are regular files

#[cfg(unix)]
#[tokio::test]
async fn expanded_project_of_a_device_fifo_or_stream_is_an_error_not_a_read() {
    let p = Project::new("hostile-uri");
    let fifo = p.dir.path().join("rockcraft.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    for (uri, why) in [
        ("file:///dev/zero".to_owned(), "it is a character device"),
        (p.uri(), "it is a FIFO"),
        // The server's own standard input: never read (whatever it is, it is no regular file
        // when the tests run under cargo).
        ("file:///proc/self/fd/0".to_owned(), "not a regular file"),
    ] {
        if uri.contains("/proc/") && std::fs::metadata("/proc/self/fd/0").is_ok_and(|m| m.is_file())
        {
            continue;
        }
        let out = expanded_project(&mut c, &uri).await;
        assert_eq!(out["yaml"], Value::Null, "{uri}: {out}");
        let error = out["error"].as_str().unwrap_or_default();
        assert!(
            error.starts_with(&format!("cannot read {uri}: ")) && error.contains(why),
            "{uri}: {out}"
        );
    }
    // The server still answers.
    let out = expanded_project(&mut c, &p.file_uri("missing/rockcraft.yaml")).await;
    assert!(out["error"].as_str().is_some(), "{out}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[cfg(unix)]
#[tokio::test]
async fn project_files_that_are_fifos_or_streams_are_findings_of_the_expansion() {
    for (file, target) in [
        ("app.py", "fifo"),
        ("requirements.txt", "fifo"),
        ("requirements.txt", "/dev/stdin"),
        ("app.py", "/proc/self/fd/0"),
        ("app.py", "/dev/zero"),
    ] {
        let p = Project::new("hostile-files");
        p.write("app.py", APP_PY)
            .write("requirements.txt", "Flask\n")
            .write("rockcraft.yaml", TEMPLATE);
        let path = p.dir.path().join(file);
        std::fs::remove_file(&path).unwrap();
        if target == "fifo" {
            let made = std::process::Command::new("mkfifo")
                .arg(&path)
                .status()
                .unwrap();
            assert!(made.success());
        } else {
            std::os::unix::fs::symlink(target, &path).unwrap();
        }
        let uri = p.uri();
        let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
        c.open(&uri, 1, TEMPLATE).await;
        // The expansion ends (nothing blocks on the file) with the reason it was not read.
        let diags = publish_where(&mut c, &uri, 1, |d| !errors(d).is_empty()).await;
        assert!(
            messages(&diags)
                .iter()
                .any(|m| m.starts_with(&format!("`{file}` cannot be read (it is "))),
            "{file} -> {target}: {diags:#?}"
        );
        assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
    }
}

/// A mistake written in the source is reported once, by the fast stage, not a second time as
/// the expanded project's refusal; what only the merge makes wrong still is.
#[tokio::test]
async fn a_written_mistake_is_one_diagnostic_not_two() {
    let p = Project::new("once");
    p.write("app.py", APP_PY)
        .write("requirements.txt", "Flask\n");
    let text = flask_with(
        "parts:\n  flask-framework/install-app:\n    prime:\n      - flask/app/app.py\n      - flask/app/missing.txt\nservices:\n  flask:\n    override: replac\n    command: [a, b]\n",
    )
    .replacen("name: my-flask-app", "name: My-App", 1);
    p.write("rockcraft.yaml", &text);
    let uri = p.uri();
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, &text).await;
    // The expansion has run once its own finding (the missing primed file) is published.
    let diags = publish_where(&mut c, &uri, 1, |d| {
        d.iter().any(|d| d["code"] == "prime-missing-file")
    })
    .await;
    let codes: Vec<&str> = errors(&diags)
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["invalid-name", "invalid-value", "invalid-type"],
        "{diags:#?}"
    );
    c.shutdown_and_exit().await;
}

/// An experimental extension is reported on its item (with the base as related information),
/// names the editor setting, and its quick fix allows experimental extensions for the session:
/// the project is then expanded again without the error.
#[tokio::test]
async fn experimental_extension_error_is_on_the_item_and_its_fix_allows_them() {
    if std::env::var_os("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS").is_some_and(|v| !v.is_empty()) {
        return; // The environment already allows them: there is no error to fix.
    }
    let p = Project::new("allow");
    p.write("app.py", APP_PY)
        .write("requirements.txt", "Flask\n");
    let text = TEMPLATE
        .replace("base: bare", "base: ubuntu@26.04")
        .replace("build-base: ubuntu@24.04", "");
    p.write("rockcraft.yaml", &text);
    let uri = p.uri();
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, &text).await;
    let diags = publish_where(&mut c, &uri, 1, |d| {
        d.iter().any(|d| d["code"] == "extension-experimental")
    })
    .await;
    let d = diags
        .iter()
        .find(|d| d["code"] == "extension-experimental")
        .unwrap()
        .clone();
    let item = text.find("- flask-framework").unwrap() + 2;
    assert_eq!(
        d["range"],
        range_json(&text, item, item + "flask-framework".len(), Enc::Utf16),
        "{d:#?}"
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("`experimentalExtensions` setting"),
        "{d:#?}"
    );
    let base = text.find("ubuntu@26.04").unwrap();
    assert_eq!(
        d["relatedInformation"][0]["location"]["range"],
        range_json(&text, base, base + "ubuntu@26.04".len(), Enc::Utf16)
    );
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": d["range"],
                "context": {"diagnostics": [d]},
            }),
        )
        .await;
    let allow = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Allow experimental extensions for this session")
        .unwrap_or_else(|| panic!("{actions:#?}"))
        .clone();
    c.request("workspace/executeCommand", allow["command"].clone())
        .await;
    let after = publish_where(&mut c, &uri, 1, |d| {
        !d.iter().any(|d| d["code"] == "extension-experimental")
    })
    .await;
    assert!(errors(&after).is_empty(), "{after:#?}");
    c.shutdown_and_exit().await;
}

/// Hover on an extension counts what it adds in words that agree with the number.
#[tokio::test]
async fn hover_on_an_extension_counts_in_words() {
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/fastapi-init-template/input");
    let p = Project::new("count");
    for f in ["app.py", "requirements.txt"] {
        p.write(f, &std::fs::read_to_string(golden.join(f)).unwrap());
    }
    let text = std::fs::read_to_string(golden.join("rockcraft.yaml")).unwrap();
    p.write("rockcraft.yaml", &text);
    let uri = p.uri();
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, &text).await;
    let got = hover_until(&mut c, &uri, &text, "fastapi-framework\n", &["1 service."]).await;
    assert!(!got.contains("1 services"), "{got}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
