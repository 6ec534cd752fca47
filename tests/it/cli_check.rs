//! The `check` command end to end on files: compiler-style text, JSON and exit codes.

use rockcraft_lsp::cli::check::{Format, run};

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// A fresh directory, removed when the returned guard drops.
fn tmpdir(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("rockcraft-lsp-cli-{tag}-"))
        .tempdir()
        .unwrap()
}

const GOOD: &str = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\n";

#[test]
fn text_output_points_at_the_problem() {
    let tmp = tmpdir("text");
    let d = tmp.path();
    let bad = GOOD.replace("plugin: nil", "plugin: nil\n    stage-package: [curl]");
    let path = write(d, "rockcraft.yaml", &bad);
    let r = run(std::slice::from_ref(&path), Format::Text);
    assert_eq!(r.exit_code, 1, "{}{}", r.stdout, r.stderr);
    let expected = format!(
        "\
error[unknown-key]: unknown key `stage-package` in part `p`; did you mean `stage-packages`?
  --> {path}:11:5
   |
11 |     stage-package: [curl]
   |     ^^^^^^^^^^^^^
   |
help: Rename to `stage-packages`

1 error, 0 warnings in 1 file
"
    );
    assert_eq!(r.stdout, expected);
    assert_eq!(r.stderr, "");
}

#[test]
fn json_output_and_clean_exit() {
    let tmp = tmpdir("json");
    let d = tmp.path();
    write(d, "a/rockcraft.yaml", GOOD);
    write(
        d,
        "b/rockcraft.yaml",
        &GOOD.replace("base: ubuntu@24.04", "base: ubuntu@23.04"),
    );
    write(d, "node_modules/x/rockcraft.yaml", "not: [valid");
    let r = run(&[d.display().to_string()], Format::Json);
    assert_eq!(r.exit_code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", r.stdout);
    assert_eq!(items[0]["code"], "invalid-value");
    assert_eq!(items[0]["severity"], "error");
    assert!(
        items[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("b/rockcraft.yaml")
    );
    assert_eq!(items[0]["range"]["start"]["line"], 5);
    assert_eq!(items[0]["range"]["start"]["column"], 7);
    assert!(r.stderr.contains("in 2 files"));

    let clean = run(&[d.join("a").display().to_string()], Format::Text);
    assert_eq!(clean.exit_code, 0);
    assert_eq!(clean.stdout, "0 errors, 0 warnings in 1 file\n");
}

#[test]
fn missing_path_is_a_usage_error() {
    let r = run(&["/nonexistent/rockcraft.yaml".into()], Format::Text);
    assert_eq!(r.exit_code, 2);
    assert!(r.stderr.starts_with("error: /nonexistent/rockcraft.yaml"));
}

#[test]
fn check_includes_what_the_expansion_finds() {
    let tmp = tmpdir("expand");
    let d = tmp.path();
    let template = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden/flask-init-template/input/rockcraft.yaml"),
    )
    .unwrap();
    write(d, "rockcraft.yaml", &template);
    write(
        d,
        "app.py",
        "from flask import Flask\napp = Flask(__name__)\n",
    );
    // No requirements.txt: rockcraft refuses the project, and so does `check`.
    let r = run(&[d.display().to_string()], Format::Json);
    assert_eq!(r.exit_code, 1, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", r.stdout);
    assert_eq!(items[0]["code"], "extension-error");
    assert!(
        items[0]["message"].as_str().unwrap().starts_with(
            "flask-framework needs a requirements file, but the project root has neither `requirements.txt` nor `pyproject.toml`. Add `requirements.txt` to the project root with a line `flask`"
        ),
        "{}",
        r.stdout
    );
    // The error sits on the extension's name in `extensions:`.
    let line = template
        .lines()
        .position(|l| l.trim() == "- flask-framework")
        .unwrap()
        + 1;
    assert_eq!(items[0]["range"]["start"]["line"], line);

    write(d, "requirements.txt", "Flask\n");
    let ok = run(&[d.display().to_string()], Format::Text);
    assert_eq!(ok.exit_code, 0, "{}{}", ok.stdout, ok.stderr);
}

#[test]
fn a_file_that_is_not_utf8_is_one_diagnostic() {
    let tmp = tmpdir("latin1");
    let d = tmp.path();
    let path = d.join("rockcraft.yaml");
    std::fs::write(&path, b"name: caf\xe9\nbase: ubuntu@24.04\n").unwrap();
    let shown = path.display().to_string();
    let r = run(std::slice::from_ref(&shown), Format::Text);
    assert_eq!(r.exit_code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .starts_with("error[not-utf8]: the file is not UTF-8 text: byte 0xe9"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!(" --> {shown}:1:10\n")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.ends_with("\n\n1 error, 0 warnings in 1 file\n"));
    assert_eq!(r.stderr, "");
}

#[test]
fn unknown_chisel_slices_are_reported() {
    let tmp = tmpdir("slices");
    let d = tmp.path();
    let bare = GOOD
        .replace("base: ubuntu@24.04", "base: bare\nbuild-base: ubuntu@24.04")
        .replace(
            "plugin: nil",
            "plugin: nil\n    stage-packages: [libpq5_libz, base-files_base]",
        );
    let path = write(d, "rockcraft.yaml", &bare);
    let r = run(std::slice::from_ref(&path), Format::Json);
    assert_eq!(r.exit_code, 1, "{}{}", r.stdout, r.stderr);
    let items: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["code"], "unknown-slice");
    assert_eq!(items[0]["fixes"][0]["edits"][0]["text"], "libpq5_libs");
}

#[test]
fn lone_carriage_returns_end_lines_in_the_report() {
    let tmp = tmpdir("cr");
    let bad = GOOD.replace("plugin: nil", "plugin: nil\n    stage-package: [curl]");
    let report = |text: &str, name: &str| {
        let path = write(tmp.path(), &format!("{name}/rockcraft.yaml"), text);
        let r = run(std::slice::from_ref(&path), Format::Text);
        assert_eq!(r.exit_code, 1, "{}{}", r.stdout, r.stderr);
        r.stdout.replace(&path, "rockcraft.yaml")
    };
    let lf = report(&bad, "lf");
    assert!(lf.contains("--> rockcraft.yaml:11:5\n"), "{lf}");
    assert_eq!(report(&bad.replace('\n', "\r"), "cr"), lf);
    assert_eq!(report(&bad.replace('\n', "\r\n"), "crlf"), lf);
}

/// The README's transcript of `check examples/errors` is what `check` prints: each piece
/// between the `...` lines appears in the real output, in order.
#[test]
fn readme_transcript_matches_the_output() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let command = "$ cargo run --release -- check examples/errors\n";
    let start = readme.find(command).expect("the transcript") + command.len();
    let transcript = &readme[start..start + readme[start..].find("```").unwrap()];

    let cwd = std::env::current_dir().unwrap();
    assert_eq!(cwd, root, "integration tests run in the package root");
    let r = run(&["examples/errors".into()], Format::Text);
    assert_eq!(r.exit_code, 1);
    let mut rest = r.stdout.as_str();
    for piece in transcript.split("\n...\n\n") {
        let piece = piece.trim_start_matches('\n');
        let Some(at) = rest.find(piece) else {
            panic!(
                "README piece not in the output (in order):\n{piece}\n--- output:\n{}",
                r.stdout
            );
        };
        rest = &rest[at + piece.len()..];
    }
    assert!(
        rest.is_empty(),
        "the transcript ends where the output ends: {rest:?}"
    );
}

/// A file named several times (twice, through its directory and itself, spelt differently) is
/// checked once, under the name it was first given.
#[test]
fn a_file_named_several_times_is_checked_once() {
    let tmp = tmpdir("twice");
    let d = tmp.path();
    let bad = GOOD.replace("base: ubuntu@24.04", "base: ubuntu@23.04");
    let file = write(d, "p/rockcraft.yaml", &bad);
    write(d, "p/sub/x", "");
    let dir = d.join("p").display().to_string();
    let spellings = [
        dir.clone(),
        file.clone(),
        file.clone(),
        format!("{dir}/./rockcraft.yaml"),
        format!("{dir}/sub/../rockcraft.yaml"),
        format!("{dir}//rockcraft.yaml"),
    ];
    let r = run(&spellings, Format::Text);
    assert_eq!(r.exit_code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout.matches("error[invalid-value]").count(),
        1,
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!("--> {file}:5:7\n")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with("1 error, 0 warnings in 1 file\n"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "");
    // Relative and absolute (the tests run in the package root).
    let relative = "examples/errors/rockcraft.yaml".to_owned();
    let absolute = std::fs::canonicalize(&relative)
        .unwrap()
        .display()
        .to_string();
    let r = run(
        &[relative, "examples/errors".into(), absolute],
        Format::Json,
    );
    assert!(r.stderr.ends_with(" in 1 file\n"), "{}", r.stderr);
}

/// Directories without a project file: the error names them.
#[test]
fn no_project_file_found_names_the_directories() {
    let tmp = tmpdir("none");
    let d = tmp.path();
    write(d, "a/notes.txt", "");
    write(d, "b/rockcraft.yml", GOOD);
    let (a, b) = (
        d.join("a").display().to_string(),
        d.join("b").display().to_string(),
    );
    let r = run(std::slice::from_ref(&a), Format::Text);
    assert_eq!(r.exit_code, 2);
    assert_eq!(r.stderr, format!("error: no rockcraft.yaml found in {a}\n"));
    assert_eq!(r.stdout, "");
    let r = run(&[a.clone(), b.clone()], Format::Text);
    assert_eq!(
        r.stderr,
        format!("error: no rockcraft.yaml found in {a}, {b}\n")
    );
}

/// A file given by name is checked whatever its name, with a warning on stderr when that is not
/// `rockcraft.yaml` (once, however often it is given).
#[test]
fn a_file_given_under_another_name_is_checked_with_a_warning() {
    let tmp = tmpdir("other-name");
    let d = tmp.path();
    let other = write(d, "rockcraft.yml", GOOD);
    let r = run(&[other.clone(), other.clone()], Format::Text);
    assert_eq!(r.exit_code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "0 errors, 0 warnings in 1 file\n");
    assert_eq!(
        r.stderr,
        format!("warning: {other} is not named rockcraft.yaml; it is checked as one\n")
    );
    // Found by the search, a project file draws no warning.
    let ok = write(d, "p/rockcraft.yaml", GOOD);
    let r = run(&[ok, d.join("p").display().to_string()], Format::Text);
    assert_eq!((r.exit_code, r.stderr.as_str()), (0, ""));
}
