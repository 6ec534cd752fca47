//! Snapshots of `check`'s text: the layout drawn by annotate-snippets, without colour (a pipe,
//! `NO_COLOR`) and with it (a terminal; forced here through `run_to`'s `color` argument).

use rockcraft_lsp::cli::check::{Format, run_to};
use rockcraft_lsp::host::packages::PackageSettings;

const HEAD: &str = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\n";

/// `check` on a project whose `rockcraft.yaml` is `text`; the temporary path shown as
/// `rockcraft.yaml` and the escape character as `␛`.
fn check(text: &str, color: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rockcraft.yaml");
    std::fs::write(&path, text).unwrap();
    let shown = path.display().to_string();
    let mut out = Vec::new();
    let _ = run_to(
        std::slice::from_ref(&shown),
        Format::Text,
        &PackageSettings::default(),
        color,
        &mut out,
    );
    String::from_utf8(out)
        .unwrap()
        .replace(&shown, "rockcraft.yaml")
        .replace('\u{1b}', "␛")
}

/// A repeated key (a related span: where it was first set), a fix (`help:`), a long message
/// (wrapped, continuation lines indented).
const RELATED: &str = "name: my-rock\nsummary: s\nname: my-rock\ndescription: d\nversion: '1'\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\n    stage-package: [curl]\n";

#[test]
fn related_spans_fixes_and_long_messages() {
    insta::assert_snapshot!("plain", check(RELATED, false));
    insta::assert_snapshot!("color", check(RELATED, true));
}

#[test]
fn multi_line_spans() {
    let text = format!("{HEAD}    stage-packages:\n      a: 1\n      b: 2\n");
    insta::assert_snapshot!(check(&text, false));
}

/// Wide characters, a tab before the span and a byte-order mark: the carets stay under the
/// span and the columns count characters, the mark not included.
#[test]
fn carets_under_wide_characters_and_tabs() {
    let text = format!(
        "\u{feff}{}    \"日本語\": [x]\n    stage-packages: [\tcurl,\t{{a: 1}}]\n",
        HEAD.replace("name: my-rock", "name: Mon_Rock")
    );
    insta::assert_snapshot!(check(&text, false));
}

/// A long line is cut around the span; control characters quoted from the file are escaped.
#[test]
fn long_lines_and_quoted_control_characters() {
    let long = format!(
        "{HEAD}    stage-packages: [{}, {{a: 1}}, {}]\n    \"\\e]0;x\\a\": y\n",
        vec!["pkg"; 40].join(", "),
        vec!["pkg"; 40].join(", ")
    );
    let out = check(&long, false);
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    insta::assert_snapshot!(out);
}

/// Control characters in the file's text are printed escaped, never raw.
#[test]
fn raw_control_characters() {
    let text = format!("{HEAD}    stage-package: [x] # \u{1b}[31m\u{9b}1m\u{202e}\n");
    let out = check(&text, false);
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    insta::assert_snapshot!(out);
}

/// Related spans on a very long line, away from the finding: shown on a line of their own, or
/// as a note with their location when that line would be cut before them too.
#[test]
fn related_spans_far_along_a_long_line() {
    let (a, b) = ("A".repeat(450), "B".repeat(450));
    let text = format!(
        "{{name: my-rock, description: \"{a}\", name: my-rock, summary: \"{b}\", summary: s, \
         base: ubuntu@24.04, version: '1', platforms: {{amd64: {{}}}}, parts: {{p: {{plugin: nil}}}}}}\n"
    );
    insta::assert_snapshot!(check(&text, false));
}
