//! End-to-end completion tests: real JSON-RPC against the server, with a project on disk.

mod common;

use common::{Enc, TestClient, position};
use serde_json::{Value, json};

/// A temporary project directory, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "rockcraft-lsp-completion-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn uri(&self, rel: &str) -> String {
        format!("file://{}", self.0.join(rel).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn client(options: Value) -> TestClient {
    let mut c = TestClient::start();
    c.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": null,
            "capabilities": {
                "general": { "positionEncodings": ["utf-8"] },
                "textDocument": { "completion": { "completionItem": { "snippetSupport": true } } }
            },
            "initializationOptions": options,
        }),
    )
    .await;
    c.notify("initialized", json!({})).await;
    c
}

/// Opens `src` (with `$0` marking the cursor) and returns the completion items there.
async fn complete_at(c: &mut TestClient, uri: &str, src: &str) -> Vec<Value> {
    let offset = src.find("$0").unwrap();
    let text = src.replacen("$0", "", 1);
    c.open(uri, 1, &text).await;
    let (line, character) = position(&text, offset, Enc::Utf8);
    let res = c
        .request(
            "textDocument/completion",
            json!({
                "textDocument": { "uri": uri },
                "position": { "line": line, "character": character },
            }),
        )
        .await;
    res["items"].as_array().cloned().unwrap_or_default()
}

fn labels(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn extensions_list_offers_the_six_extensions() {
    let mut c = client(json!(null)).await;
    let items = complete_at(
        &mut c,
        "file:///tmp/ext/rockcraft.yaml",
        "name: x\nbase: ubuntu@24.04\nextensions:\n  - $0\n",
    )
    .await;
    assert_eq!(
        labels(&items),
        [
            "django-framework",
            "expressjs-framework",
            "fastapi-framework",
            "flask-framework",
            "go-framework",
            "spring-boot-framework"
        ]
    );
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn flask_install_app_prime_offers_project_files() {
    let dir = TempDir::new("flask");
    dir.write("app.py", "");
    dir.write("templates/index.html", "");
    dir.write("node_modules/x.js", "");
    let src = "name: x\nbase: ubuntu@22.04\nplatforms:\n  amd64:\nextensions:\n  - flask-framework\nparts:\n  flask-framework/install-app:\n    prime:\n      - $0\n";
    dir.write("rockcraft.yaml", &src.replace("$0", ""));
    let mut c = client(json!(null)).await;
    let items = complete_at(&mut c, &dir.uri("rockcraft.yaml"), src).await;
    let l = labels(&items);
    assert!(l.contains(&"flask/app/app.py"), "{l:?}");
    assert!(l.contains(&"flask/app/templates/"), "{l:?}");
    assert!(!l.iter().any(|x| x.contains("node_modules")), "{l:?}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn stage_packages_on_bare_offer_slices() {
    let mut c = client(json!(null)).await;
    let items = complete_at(
        &mut c,
        "file:///tmp/bare/rockcraft.yaml",
        "name: x\nbase: bare\nbuild-base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages:\n      - libpq$0\n",
    )
    .await;
    assert!(labels(&items).contains(&"libpq5_libs"), "{items:?}");
    c.shutdown_and_exit().await;
}

#[tokio::test]
async fn configured_packages_index_offers_debs_with_descriptions() {
    let dir = TempDir::new("debs");
    dir.write(
        "Packages",
        "Package: curl\nVersion: 8\nDescription: command line tool for transferring data\n curl is a client.\n\nPackage: cups\nDescription: printing system\n",
    );
    let index = dir.0.join("Packages").display().to_string();
    let mut c = client(json!({ "packages": { "indexFiles": [index] } })).await;
    let items = complete_at(
        &mut c,
        "file:///tmp/debs/rockcraft.yaml",
        "name: x\nbase: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [cur$0]\n",
    )
    .await;
    assert_eq!(labels(&items), ["curl"]);
    assert_eq!(
        items[0]["detail"],
        "command line tool for transferring data"
    );
    let doc = items[0]["documentation"]["value"].as_str().unwrap();
    assert!(doc.contains("curl is a client."), "{doc}");
    c.shutdown_and_exit().await;
}
