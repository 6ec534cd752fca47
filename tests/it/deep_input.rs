//! Hostile nesting in a project, through the built binary's `check` and `expand-extensions`:
//! each must end with a finding and its usual exit code, never a stack overflow.

use crate::binary::run;

const TEMPLATE: &str = include_str!("../golden/flask-init-template/input/rockcraft.yaml");
const HEAD: &str = "from flask import Flask\napp = Flask(__name__)\n";

fn project(tag: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix(&format!("rockcraft-lsp-it-deep-{tag}-"))
        .tempdir()
        .unwrap();
    for (rel, text) in files {
        std::fs::write(dir.path().join(rel), text).unwrap();
    }
    dir
}

/// `check` and `expand-extensions` on a flask project whose `app.py` is `app_py`: both exit
/// normally with the syntax error of `app.py` in their output.
fn both_report(tag: &str, app_py: &str, wording: &str) {
    let dir = project(
        tag,
        &[
            ("rockcraft.yaml", TEMPLATE),
            ("requirements.txt", "Flask\n"),
            ("app.py", app_py),
        ],
    );
    let d = dir.path().to_str().unwrap();
    let check = run(dir.path(), &["check", d, "--format", "json"]);
    let stdout = &check.stdout;
    assert_eq!(check.code, Some(1), "{stdout}");
    assert!(stdout.contains(wording), "{stdout}");

    let expand = run(dir.path(), &["expand-extensions", "--project-dir", d]);
    let stderr = &expand.stderr;
    assert!(expand.code.is_some_and(|c| c != 0), "{stderr}");
    assert!(stderr.contains(wording), "{stderr}");
}

#[test]
fn app_py_of_200000_nested_brackets() {
    let n = 200_000;
    let app = format!("{HEAD}x = {}{}\n", "(".repeat(n), ")".repeat(n));
    both_report(
        "brackets",
        &app,
        "line 3 is not valid Python (too many nested parentheses)",
    );
}

#[test]
fn app_py_of_100000_nested_fstrings() {
    let n = 100_000;
    let app = format!("{HEAD}x = {}1{}\n", "f\"{".repeat(n), "}\"".repeat(n));
    both_report(
        "fstrings",
        &app,
        "line 3 is not valid Python (too many nested f-strings)",
    );
}

#[test]
fn app_py_of_60000_unary_minus_signs() {
    let app = format!("{HEAD}x = {}1\n", "-".repeat(60_000));
    both_report(
        "unary",
        &app,
        "line 3 is not valid Python (Python source too complex to parse",
    );
}

/// A small valid project with `hostile` (indented by two) under an unknown key.
fn yaml_with(hostile: &str) -> String {
    format!(
        "name: deep\nbase: ubuntu@24.04\nversion: '1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\nhostile:\n{hostile}"
    )
}

/// `check` reports `too-deep` and `expand-extensions` refuses to load the project, both
/// with their usual exit codes.
fn yaml_reported(tag: &str, text: &str) {
    let dir = project(tag, &[("rockcraft.yaml", text)]);
    let d = dir.path().to_str().unwrap();
    let check = run(dir.path(), &["check", d, "--format", "json"]);
    let stdout = &check.stdout;
    assert_eq!(check.code, Some(1), "{stdout}");
    assert!(stdout.contains("\"too-deep\""), "{stdout}");

    let expand = run(dir.path(), &["expand-extensions", "--project-dir", d]);
    let stderr = &expand.stderr;
    assert!(expand.code.is_some_and(|c| c != 0), "{stderr}");
    assert!(stderr.contains("more than 300 levels deep"), "{stderr}");
}

#[test]
fn yaml_alias_chain_of_1500_links() {
    use std::fmt::Write as _;
    // A long flow list raises the alias budget; then each link nests the previous one.
    let mut s = format!("  pad: [{}]\n  c0: &c0 [1]\n", "0, ".repeat(270_000));
    for i in 1..=1_500 {
        let _ = writeln!(s, "  c{i}: &c{i} [*c{}]", i - 1);
    }
    let text = yaml_with(&s);
    assert!(text.len() > 800_000);
    yaml_reported("alias", &text);
}

#[test]
fn yaml_merge_key_chain_of_200000_lines() {
    use std::fmt::Write as _;
    let mut s = String::from("  k0: &k0 {a: 1}\n");
    for i in 1..200_000 {
        let _ = writeln!(s, "  k{i}: &k{i} {{<<: *k{}}}", i - 1);
    }
    yaml_reported("merge", &yaml_with(&s));
}

#[test]
fn yaml_nested_100000_deep() {
    let n = 100_000;
    let flow = yaml_with(&format!("  f: {}{}\n", "[".repeat(n), "]".repeat(n)));
    yaml_reported("flow", &flow);
    let block = yaml_with(&format!("  b:\n  {}x\n", "- ".repeat(n)));
    yaml_reported("block", &block);
}

/// Every feature over a document nested as deep as the tree keeps, on the work thread the
/// server and the command line run them on: the walks over the tree and its value fit.
#[test]
fn every_feature_fits_the_work_stack_at_the_depth_limit() {
    use rockcraft_lsp::core::completion::{Sources, complete};
    use rockcraft_lsp::core::document::Document;
    use rockcraft_lsp::core::extensions::{DEFAULT_EXTENSIONS_DIR, MemoryFs};
    use rockcraft_lsp::core::ide::{actions, hover, symbols};
    use rockcraft_lsp::core::packages::StaticIndexes;
    use rockcraft_lsp::core::pipeline;
    use rockcraft_lsp::core::text::{TextRange, TextSize};
    use rockcraft_lsp::core::yaml::MAX_DEPTH;

    // The root mapping is one level; the deep values take the others.
    let levels = MAX_DEPTH;
    let flow = format!(
        "{TEMPLATE}services:\n  s:\n    command: x\n    environment:\n      E: {}1{}\n",
        "[".repeat(levels - 4),
        "]".repeat(levels - 4)
    );
    let mut block = format!("{TEMPLATE}hostile:\n");
    for i in 1..levels {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    let fs = MemoryFs::new()
        .file("requirements.txt", "Flask\n")
        .file("app.py", HEAD);
    // One level more is reported, not read.
    let deeper = flow.replacen("E: [", "E: [[", 1).replacen("1]", "1]]", 1);
    assert!(
        Document::parse(&deeper)
            .yaml_errors
            .iter()
            .any(|e| e.message.contains("nested more than")),
    );
    rockcraft_lsp::host::threads::on_work_thread(|| {
        for text in [&flow, &block] {
            let fast = pipeline::fast(text);
            let doc = &fast.doc;
            assert!(doc.yaml_errors.is_empty(), "{:?}", doc.yaml_errors.first());
            let diags = &fast.diagnostics;
            // The emitter, as `expand-extensions` prints the project.
            assert!(!rockcraft_lsp::core::emit::to_yaml_string(doc.json()).is_empty());
            let expansion = pipeline::expansion(&fast, &fs, false, DEFAULT_EXTENSIONS_DIR);
            assert!(!symbols::symbols(doc).is_empty());
            let indexes = StaticIndexes { debs: Vec::new() };
            let sources = Sources {
                fs: Some(&fs),
                packages: &indexes,
                experimental: false,
                expanded: expansion.as_ref().and_then(|e| e.expanded.as_ref()),
            };
            let deepest = u32::try_from(text.rfind(['1', 'k']).unwrap()).unwrap();
            for offset in [deepest, deepest + 1, u32::try_from(text.len()).unwrap()] {
                let _ = complete(doc, offset, &sources);
                let _ = hover::hover(doc, expansion.as_ref(), offset);
                let at = TextRange::empty(TextSize::from(offset));
                let _ = actions::actions(doc, expansion.as_ref(), at, diags);
            }
        }
    })
    .unwrap();
}
