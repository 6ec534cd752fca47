//! End-to-end tests of the starters over the protocol: a blank `rockcraft.yaml` in a real
//! directory is offered "Start a <profile> project", and the action writes exactly what
//! `rockcraft init --profile <profile>` writes there (the name derived from the directory as
//! rockcraft derives it), keeping the user's comments.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::client::{Enc, TestClient, apply_edits};
use rockcraft_lsp::server::{Options, ServeExit};
use serde_json::{Value, json};

/// A directory named `name` inside a fresh temporary directory.
fn project(tmp: &tempfile::TempDir, name: &str) -> PathBuf {
    let dir = tmp.path().join(name);
    std::fs::create_dir(&dir).unwrap();
    dir
}

fn uri_of(dir: &Path) -> String {
    format!("file://{}", dir.join("rockcraft.yaml").display())
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// The refactorings offered at the top of `uri`.
async fn actions(c: &mut TestClient, uri: &str) -> Vec<Value> {
    let res = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": []},
            }),
        )
        .await;
    res.as_array().cloned().unwrap_or_default()
}

/// `text` after the action titled `title`.
fn apply(text: &str, actions: &[Value], title: &str, uri: &str) -> String {
    let action = actions
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no action `{title}` in {actions:#?}"));
    let edits = action["edit"]["changes"][uri].as_array().unwrap().clone();
    apply_edits(text, &edits, Enc::Utf16)
}

fn quick() -> Options {
    Options::default().with_debounce(Duration::ZERO)
}

/// In a directory called `my_shop` (not a valid name: rockcraft falls back to
/// `my-rock-name`), the flask starter writes what `rockcraft init --profile flask-framework`
/// wrote in such a directory, and with the application files there the project has no error.
#[tokio::test]
async fn flask_starter_is_rockcraft_init_in_the_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(&tmp, "my_shop");
    std::fs::write(dir.join("rockcraft.yaml"), "").unwrap();
    for f in ["app.py", "requirements.txt"] {
        std::fs::write(
            dir.join(f),
            read(&format!("tests/golden/flask-init-template/input/{f}")),
        )
        .unwrap();
    }
    let uri = uri_of(&dir);
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, "").await;
    let offered = actions(&mut c, &uri).await;
    let text = apply("", &offered, "Start a flask-framework project", &uri);
    assert_eq!(
        text,
        read("tests/init/dir-underscore/expected-files/rockcraft.yaml")
    );
    c.change_full(&uri, 2, &text).await;
    let diags = c.diagnostics(&uri, Some(2)).await;
    let errors: Vec<&Value> = diags.iter().filter(|d| d["severity"] == 1).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}

/// A file of comments keeps them: the template follows after a blank line, named after the
/// directory (`my-shop` is a valid name).
#[tokio::test]
async fn starter_keeps_the_users_comments() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = project(&tmp, "my-shop");
    let notes = "# The shop's rock: ask Ana before changing the base.\n#   (see issue 12)\n";
    std::fs::write(dir.join("rockcraft.yaml"), notes).unwrap();
    let uri = uri_of(&dir);
    let mut c = TestClient::with_options(Enc::Utf16, quick()).await;
    c.open(&uri, 1, notes).await;
    let offered = actions(&mut c, &uri).await;
    let express = apply(
        notes,
        &offered,
        "Start an expressjs-framework project",
        &uri,
    );
    let golden = read("tests/golden/init-profile-expressjs-framework/expected-rockcraft.yaml");
    assert_eq!(
        express,
        format!("{notes}\n{}", golden.replace("my-expressjs-app", "my-shop"))
    );
    let simple = apply(notes, &offered, "Start a simple project", &uri);
    let golden = read("tests/golden/init-simple-default/expected-rockcraft.yaml");
    assert_eq!(
        simple,
        format!("{notes}\n{}", golden.replace("my-rock", "my-shop"))
    );
    // Once the file holds a project, no starter is offered.
    c.change_full(&uri, 2, &simple).await;
    let offered = actions(&mut c, &uri).await;
    assert!(
        !offered
            .iter()
            .any(|a| a["title"].as_str().is_some_and(|t| t.starts_with("Start "))),
        "{offered:#?}"
    );
    assert_eq!(c.shutdown_and_exit().await, ServeExit::Clean);
}
