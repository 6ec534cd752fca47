//! End-to-end tests of hover over the protocol: what the names of a project stand for
//! (extensions, the `prime` rule, packages, slices, architectures, part and service
//! references), and hover answering from the last expansion while a newer one is pending.

use std::time::Duration;

use crate::client::{Enc, PUBLISH, TestClient, WAIT, range_json};
use rockcraft_lsp::server::{Options, ServeExit};
use serde_json::json;

/// A debounce no test outlives: an edit's expansion stays pending for the whole test.
const HELD: Duration = Duration::from_hours(1);

const APP_PY: &str = "from flask import Flask\n\napp = Flask(__name__)\n";

/// A flask project naming something of every kind a hover resolves. Its install-app `prime`
/// names a missing file, so the expansion's publish is recognisable by its warning.
const PROJECT: &str = "\
name: my-app
base: ubuntu@24.04
version: '0.1'
summary: s
description: d
platforms:
  amd64:
  mine:
    build-on: [arm64]
    build-for: [arm64]
extensions:
  - flask-framework
entrypoint-service: flask
parts:
  flask-framework/install-app:
    prime:
      - flask/app/app.py
      - flask/app/missing.txt
  extra:
    plugin: nil
    stage-packages: [libpq5_libs]
    build-packages: [curl]
    after: [flask-framework/dependencies]
services:
  worker:
    override: replace
    command: /bin/worker
    after: [flask]
";

/// A project directory with the flask app, removed on drop.
fn project() -> (tempfile::TempDir, String) {
    let dir = tempfile::Builder::new()
        .prefix("rockcraft-lsp-e2e-hover-")
        .tempdir()
        .unwrap();
    std::fs::write(dir.path().join("app.py"), APP_PY).unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "Flask\n").unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("rockcraft.yaml"), PROJECT).unwrap();
    let uri = format!("file://{}", dir.path().join("rockcraft.yaml").display());
    (dir, uri)
}

/// Waits for the publish of `version` that carries the expansion's `prime-missing-file`.
async fn expanded(c: &mut TestClient, uri: &str, version: i64) {
    c.notification(
        PUBLISH,
        |p| {
            p["uri"] == uri
                && p["version"] == version
                && p["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["code"] == "prime-missing-file"))
        },
        WAIT,
    )
    .await
    .unwrap_or_else(|| panic!("no expansion publish for v{version}"));
}

/// A server that expands at once, with [`PROJECT`] open and expanded.
async fn opened() -> (TestClient, tempfile::TempDir, String) {
    let (dir, uri) = project();
    let mut c =
        TestClient::with_options(Enc::Utf16, Options::default().with_debounce(Duration::ZERO))
            .await;
    c.open(&uri, 1, PROJECT).await;
    expanded(&mut c, &uri, 1).await;
    (c, dir, uri)
}

/// The hover's Markdown at the `nth` occurrence of `needle` in `text` (`None`: no hover).
async fn hover_at(
    c: &mut TestClient,
    uri: &str,
    text: &str,
    needle: &str,
    nth: usize,
) -> Option<String> {
    let start = text.match_indices(needle).nth(nth).expect("needle").0;
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

async fn hover(c: &mut TestClient, uri: &str, needle: &str) -> String {
    hover_at(c, uri, PROJECT, needle, 0)
        .await
        .unwrap_or_else(|| panic!("no hover at `{needle}`"))
}

fn has_all(got: &str, want: &[&str]) {
    for w in want {
        assert!(got.contains(w), "missing {w:?} in:\n{got}");
    }
}

#[tokio::test]
async fn extensions_key_and_items_say_what_each_extension_adds() {
    let (mut c, _dir, uri) = opened().await;
    let got = hover(&mut c, &uri, "extensions:").await;
    has_all(
        &got,
        &[
            "**flask-framework** adds 6 parts (`flask-framework/install-app`, `flask-framework/dependencies`",
            "2 services (`flask`, `statsd-exporter`)",
            "runs them as `_daemon_`",
            "`ubuntu@26.04` (experimental)",
            "On `base: ubuntu@24.04` it is supported.",
        ],
    );
    let got = hover(&mut c, &uri, "flask-framework\n").await;
    has_all(
        &got,
        &[
            "adds 6 parts and 2 services.",
            "`ubuntu@26.04` (experimental)",
            "gunicorn",
        ],
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn prime_of_install_app_shows_the_prefix_rule_and_todays_default() {
    let (mut c, _dir, uri) = opened().await;
    let got = hover(&mut c, &uri, "prime:").await;
    has_all(
        &got,
        &[
            "every entry must start with `flask/app`",
            "only the entries listed go into the image",
            "```yaml\nprime:\n  - flask/app/app.py\n  - flask/app/templates\n```",
        ],
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

#[tokio::test]
async fn list_items_resolve_to_what_they_name() {
    let (mut c, _dir, uri) = opened().await;
    let got = hover(&mut c, &uri, "libpq5_libs").await;
    has_all(
        &got,
        &[
            "Chisel slice `libs` of the Debian package `libpq5` (ubuntu-24.04)",
            "`libpq5_copyright`",
            "slice names only",
        ],
    );
    let got = hover(&mut c, &uri, "curl]").await;
    has_all(&got, &["**`curl`**: Debian package (ubuntu-24.04)"]);
    let got = hover(&mut c, &uri, "amd64:").await;
    has_all(&got, &["64-bit x86", "builds on `amd64` for `amd64`"]);
    let got = hover(&mut c, &uri, "arm64]\n    build-for").await;
    has_all(
        &got,
        &["64-bit ARM", "Built on machines of this architecture."],
    );
    let got = hover(&mut c, &uri, "flask-framework/dependencies]").await;
    has_all(
        &got,
        &[
            "**Part `flask-framework/dependencies`** (expanded)",
            "Generated by `flask-framework`",
            "plugin: python",
        ],
    );
    let got = hover(&mut c, &uri, "flask]").await;
    has_all(&got, &["**Service `flask`** (expanded)", "gunicorn"]);
    let got = hover(&mut c, &uri, "flask\nparts").await;
    has_all(&got, &["**Service `flask`** (expanded)", "gunicorn"]);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

/// While the expansion of a new version is pending (deterministically: every expansion is
/// debounced, and the server's debounce outlasts the test), hover answers from the last finished expansion and says it is of an
/// earlier version. The first expansion runs at once because a settings change expands every
/// open document without waiting for the debounce.
#[tokio::test]
async fn hover_answers_from_the_last_expansion_while_a_new_one_is_pending() {
    if std::env::var_os("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS").is_some_and(|v| !v.is_empty()) {
        return; // The settings change below would change nothing, so nothing would expand.
    }
    let (_dir, uri) = project();
    let options = Options::default()
        .with_debounce(HELD)
        .with_inline_below(Duration::ZERO);
    let mut c = TestClient::with_options(Enc::Utf16, options).await;
    c.open(&uri, 1, PROJECT).await;
    // Before any expansion: the registry's description, not nothing.
    let got = hover(&mut c, &uri, "flask-framework\n").await;
    has_all(
        &got,
        &["can generate the parts", "`flask-framework/install-app`"],
    );
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rockcraft": {"experimentalExtensions": true}}}),
    )
    .await;
    expanded(&mut c, &uri, 1).await;
    let got = hover(&mut c, &uri, "flask]").await;
    has_all(&got, &["**Service `flask`** (expanded)", "gunicorn"]);
    assert!(!got.contains("earlier version"), "{got}");

    // A new version: its expansion waits for the held debounce.
    let v2 = PROJECT.replace("summary: s\n", "summary: a longer summary\n");
    c.change_full(&uri, 2, &v2).await;
    let stale = |got: Option<String>| {
        let got = got.expect("a hover from the last expansion, not null");
        assert!(got.contains("earlier version of this file"), "{got}");
        got
    };
    let got = stale(hover_at(&mut c, &uri, &v2, "flask]", 0).await);
    has_all(&got, &["**Service `flask`** (expanded)", "gunicorn"]);
    let got = stale(hover_at(&mut c, &uri, &v2, "flask-framework\n", 0).await);
    has_all(&got, &["adds 6 parts and 2 services."]);
    let got = stale(hover_at(&mut c, &uri, &v2, "worker:", 0).await);
    has_all(&got, &["**Service `worker`** (expanded)", "/bin/worker"]);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

/// With a `Packages` index configured, a Debian package's hover shows its description (once
/// the index has loaded, which the `unknown-package` warning on a misspelt name announces).
#[tokio::test]
async fn package_hover_shows_the_description_from_the_configured_index() {
    let dir = tempfile::Builder::new()
        .prefix("rockcraft-lsp-e2e-hover-debs-")
        .tempdir()
        .unwrap();
    let index = dir.path().join("Packages");
    std::fs::write(
        &index,
        "Package: curl\nVersion: 8\nDescription: command line tool for transferring data with URL syntax\n curl is a command line tool.\n",
    )
    .unwrap();
    let mut c = TestClient::start();
    c.request(
        "initialize",
        json!({
            "processId": null, "rootUri": null, "capabilities": {},
            "initializationOptions": {
                "packages": {"indexFiles": [index.display().to_string()], "aptListsDir": ""},
            },
        }),
    )
    .await;
    c.notify("initialized", json!({})).await;
    let uri = "file:///tmp/hover-debs/rockcraft.yaml";
    let text = "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    build-packages: [curl, curll]\n";
    c.open(uri, 1, text).await;
    c.notification(
        PUBLISH,
        |p| {
            p["diagnostics"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["code"] == "unknown-package"))
        },
        WAIT,
    )
    .await
    .expect("the index never loaded");
    let got = hover_at(&mut c, uri, text, "curl,", 0)
        .await
        .expect("a hover on curl");
    has_all(
        &got,
        &[
            "**`curl`**: Debian package (ubuntu-24.04)",
            "*command line tool for transferring data with URL syntax*",
            "curl is a command line tool.",
        ],
    );
    let got = hover_at(&mut c, uri, text, "curll", 0)
        .await
        .expect("a hover on curll");
    has_all(&got, &["The loaded Debian package indexes do not list it."]);
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
