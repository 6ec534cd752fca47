//! End-to-end tests of broken service overrides in a flask project, over the protocol: a
//! service named one edit away from the generated `flask`, and a `command` Pebble cannot
//! read. Each is reported, fixed through `textDocument/codeAction`, and the fixed project
//! expands with the override applied.

use std::time::Duration;

use crate::client::{Enc, PUBLISH, QUIET, TestClient, WAIT, apply_edits, range_json};
use rockcraft_lsp::server::Options;
use serde_json::{Value, json};

const TEMPLATE: &str = include_str!("../golden/flask-init-template/input/rockcraft.yaml");
const APP_PY: &str = include_str!("../golden/flask-init-template/input/app.py");

/// A flask project on disk (the `init` template plus `services`), removed on drop.
struct Project {
    dir: tempfile::TempDir,
    text: String,
}

impl Project {
    fn flask_with_services(services: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("rockcraft-lsp-e2e-overrides-")
            .tempdir()
            .unwrap();
        let text = format!("{TEMPLATE}services:\n{services}");
        for (name, contents) in [
            ("app.py", APP_PY),
            ("requirements.txt", "Flask\n"),
            ("rockcraft.yaml", text.as_str()),
        ] {
            std::fs::write(dir.path().join(name), contents).unwrap();
        }
        Self { dir, text }
    }

    fn uri(&self) -> String {
        format!(
            "file://{}",
            self.dir.path().join("rockcraft.yaml").display()
        )
    }
}

async fn client() -> TestClient {
    TestClient::with_options(Enc::Utf16, Options::default().with_debounce(Duration::ZERO)).await
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

fn has(diags: &[Value], code: &str) -> bool {
    diags.iter().any(|d| d["code"] == code)
}

/// The quick fixes offered for diagnostic `d`.
async fn quick_fixes(c: &mut TestClient, uri: &str, d: &Value) -> Vec<Value> {
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
    actions
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["kind"] == "quickfix")
        .cloned()
        .collect()
}

/// The `command:` of the flask service in the project the server expands now.
async fn expanded_flask_command(c: &mut TestClient, uri: &str) -> String {
    let out = c
        .request("rockcraft/expandedProject", json!({ "uri": uri }))
        .await;
    let yaml = out["yaml"]
        .as_str()
        .unwrap_or_else(|| panic!("no expansion: {out}"));
    let flask = &yaml[yaml.find("\n  flask:\n").expect("a flask service")..];
    // The emitter folds a long plain scalar onto lines indented past its key.
    let mut lines = flask
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("command: "));
    let mut command = lines
        .next()
        .and_then(|l| l.trim().strip_prefix("command: "))
        .expect("a command")
        .to_owned();
    for more in lines.take_while(|l| l.starts_with("      ")) {
        command.push(' ');
        command.push_str(more.trim());
    }
    command
}

/// `flsk:` next to flask-framework is reported as a second service, and renaming it through
/// the quick fix makes the override apply to the generated `flask`.
#[tokio::test]
async fn a_misspelled_service_is_renamed_to_the_generated_one() {
    let p = Project::flask_with_services(
        "  flsk:\n    override: merge\n    command: /bin/python3 -m gunicorn --backlog 1024 [ app:app ]\n",
    );
    let uri = p.uri();
    let mut c = client().await;
    c.open(&uri, 1, &p.text).await;
    let diags = publish_where(&mut c, &uri, 1, |d| has(d, "misspelled-extension-service")).await;
    let d = diags
        .iter()
        .find(|d| d["code"] == "misspelled-extension-service")
        .unwrap()
        .clone();
    let key = p.text.rfind("flsk:").unwrap();
    assert_eq!(
        d["range"],
        range_json(&p.text, key, key + "flsk".len(), Enc::Utf16)
    );
    assert_eq!(d["severity"], 2, "{d:#?}");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("creates a second service") && message.contains("`flask`"),
        "{message}"
    );
    // Before the fix, the generated service keeps its default command.
    assert!(
        !expanded_flask_command(&mut c, &uri)
            .await
            .contains("--backlog")
    );

    let fixes = quick_fixes(&mut c, &uri, &d).await;
    let [fix] = fixes.as_slice() else {
        panic!("one quick fix expected: {fixes:#?}")
    };
    assert_eq!(fix["title"], "Rename to `flask`");
    let edits = fix["edit"]["changes"][&uri].as_array().unwrap().clone();
    let fixed = apply_edits(&p.text, &edits, Enc::Utf16);
    assert!(
        fixed.ends_with("services:\n  flask:\n    override: merge\n    command: /bin/python3 -m gunicorn --backlog 1024 [ app:app ]\n"),
        "{fixed}"
    );

    c.change_full(&uri, 2, &fixed).await;
    let after = publish_where(&mut c, &uri, 2, |d| !has(d, "misspelled-extension-service")).await;
    assert!(after.iter().all(|d| d["severity"] != 1), "{after:#?}");
    assert_eq!(
        expanded_flask_command(&mut c, &uri).await,
        "/bin/python3 -m gunicorn --backlog 1024 [ app:app ]"
    );
    let late = c
        .notification(
            PUBLISH,
            |p| {
                p["uri"] == uri.as_str()
                    && has(
                        p["diagnostics"].as_array().unwrap(),
                        "misspelled-extension-service",
                    )
            },
            QUIET,
        )
        .await;
    assert!(late.is_none(), "{late:#?}");
    c.shutdown_and_exit().await;
}

/// An unclosed quote in the flask service's command is a warning on the quote itself (the
/// rock builds; Pebble refuses the plan), and the offered fix closes it where Pebble then
/// reads the command with its `[ ... ]` group intact.
#[tokio::test]
async fn an_unclosed_quote_in_a_command_is_reported_and_closed() {
    let p = Project::flask_with_services(
        "  flask:\n    override: merge\n    command: /bin/python3 -m gunicorn -c /flask/gunicorn.conf.py 'app:app -k [ sync ]\n",
    );
    let uri = p.uri();
    let mut c = client().await;
    c.open(&uri, 1, &p.text).await;
    // A fast rule: the first publish already has it.
    let diags = c.diagnostics(&uri, Some(1)).await;
    let found: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "service-command-syntax")
        .collect();
    let [d] = found.as_slice() else {
        panic!("one service-command-syntax expected: {diags:#?}")
    };
    let d = (*d).clone();
    let quote = p.text.rfind("'app:app").unwrap();
    assert_eq!(
        d["range"],
        range_json(&p.text, quote, quote + 1, Enc::Utf16)
    );
    assert_eq!(d["severity"], 2, "{d:#?}");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("Pebble refuses the plan when the rock starts"),
        "{d:#?}"
    );
    assert!(diags.iter().all(|d| d["severity"] != 1), "{diags:#?}");

    let fixes = quick_fixes(&mut c, &uri, &d).await;
    let titles: Vec<&str> = fixes.iter().filter_map(|f| f["title"].as_str()).collect();
    // Closing at the very end would swallow the `[ ... ]` group: not offered.
    assert_eq!(titles, ["Close the quote after `app:app`"], "{fixes:#?}");
    let edits = fixes[0]["edit"]["changes"][&uri]
        .as_array()
        .unwrap()
        .clone();
    let fixed = apply_edits(&p.text, &edits, Enc::Utf16);

    c.change_full(&uri, 2, &fixed).await;
    let after = c.diagnostics(&uri, Some(2)).await;
    assert!(!has(&after, "service-command-syntax"), "{after:#?}");
    assert_eq!(
        expanded_flask_command(&mut c, &uri).await,
        "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py 'app:app' -k [ sync ]"
    );
    c.shutdown_and_exit().await;
}
