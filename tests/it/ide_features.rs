//! Editor features of `core::ide`: expansion diagnostics mapped to the source, hover and code
//! actions, each checked through one `check_*` helper with `$0` marking the cursor.

use std::fmt::Write as _;

use std::path::Path;

use rockcraft_lsp::core::code::Code;
use rockcraft_lsp::core::document::Document;
use rockcraft_lsp::core::extensions::{DEFAULT_EXTENSIONS_DIR, MemoryFs, ProjectFs};
use rockcraft_lsp::core::ide::edit::apply_edits;
use rockcraft_lsp::core::ide::{ExpansionResult, actions, hover, starters};
use rockcraft_lsp::core::pipeline;
use rockcraft_lsp::core::text::{TextRange, TextSize};

const FLASK_APP: &str = "from flask import Flask\n\napp = Flask(__name__)\n";

fn flask_fs() -> MemoryFs {
    MemoryFs::new()
        .file("requirements.txt", "Flask\n")
        .file("app.py", FLASK_APP)
}

/// The text without its `$0` marker, and the marker's offset (0 when absent).
fn cursor(src: &str) -> (String, u32) {
    match src.find("$0") {
        Some(i) => (src.replacen("$0", "", 1), u32::try_from(i).unwrap()),
        None => (src.to_owned(), 0),
    }
}

fn expand(text: &str, fs: &dyn ProjectFs) -> (std::sync::Arc<Document>, ExpansionResult) {
    let fast = pipeline::fast(text);
    // A text that does not load is not expanded: no findings, as in the editor.
    let r = pipeline::expansion(&fast, fs, false, DEFAULT_EXTENSIONS_DIR).unwrap_or_default();
    (fast.doc, r)
}

/// Diagnostics of the expansion, rendered as `line:col code: message` with the range text.
fn check_expand(src: &str, fs: &dyn ProjectFs) -> String {
    let (text, _) = cursor(src);
    let (doc, r) = expand(&text, fs);
    render(&doc, &r.diagnostics)
}

/// What the editor shows: the fast analysis, then the expansion diagnostics it does not
/// already report at the same place (as the server merges them), rendered as
/// [`check_expand`] does.
fn check_editor(src: &str, fs: &dyn ProjectFs) -> String {
    let (text, _) = cursor(src);
    let (doc, r) = expand(&text, fs);
    let fast = rockcraft_lsp::core::analysis::diagnose(&doc);
    render(&doc, &pipeline::merge(&doc, &fast, &[], &r.diagnostics))
}

fn render(doc: &Document, diags: &[rockcraft_lsp::core::diagnostic::Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let line = doc.line_number(d.range.start());
        let _ = writeln!(
            out,
            "{line} {} [{}] `{}`: {}",
            d.severity.as_str(),
            d.code,
            doc.text_at(d.range),
            d.message
        );
        for f in &d.fixes {
            let _ = writeln!(out, "  fix: {}", f.title);
        }
    }
    out
}

/// The hover at `$0`, with the hovered text.
fn check_hover(src: &str, fs: &dyn ProjectFs) -> String {
    let (text, offset) = cursor(src);
    let (doc, r) = expand(&text, fs);
    match hover(&doc, Some(&r), offset) {
        Some(h) => format!("[{}]\n{}", doc.text_at(h.range), h.markdown),
        None => "(no hover)".into(),
    }
}

/// The actions at `$0`, and the text after applying the one whose title starts with `pick`.
fn check_action(src: &str, fs: &dyn ProjectFs, pick: &str) -> (Vec<String>, Option<String>) {
    let (text, offset) = cursor(src);
    let (doc, r) = expand(&text, fs);
    let at = TextRange::empty(TextSize::from(offset));
    let mut diags = r.diagnostics.clone();
    diags.extend(rockcraft_lsp::core::analysis::diagnose(&doc));
    let acts = actions(&doc, Some(&r), at, &diags);
    let titles = acts
        .iter()
        .map(|a| format!("{:?}: {}", a.kind, a.title))
        .collect();
    let applied = acts
        .iter()
        .find(|a| a.title.starts_with(pick))
        .map(|a| apply_edits(&text, &a.edits));
    (titles, applied)
}

const PRIME_NO_PREFIX: &str = "\
name: my-app
base: ubuntu@24.04
version: '0.1'
summary: s
description: d
platforms:
  amd64:
extensions:
  - flask-framework
parts:
  flask-framework/install-app:
    prime:
      - flask/app/app.py
      - $0templates
";

#[test]
fn prime_entry_without_prefix_is_reported_and_fixed() {
    let fs = flask_fs().dir("templates");
    insta::assert_snapshot!(check_editor(PRIME_NO_PREFIX, &fs));
    // The expansion keeps its own copy, on the same entry, so the hover and the expanded-project
    // view can say why it failed (the editor shows the rule's, above, once).
    let (text, _) = cursor(PRIME_NO_PREFIX);
    let (doc, r) = expand(&text, &fs);
    let own: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::PrimePrefix)
        .collect();
    assert_eq!(own.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(doc.text_at(own[0].range), "templates");
    let (_, fixed) = check_action(PRIME_NO_PREFIX, &fs, "Prefix with");
    let fixed = fixed.expect("a prefix fix");
    assert!(fixed.contains("      - flask/app/templates\n"), "{fixed}");
    let (_, r) = expand(&fixed, &fs);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(r.expanded.is_some());
}

#[test]
fn fastapi_prime_with_flask_prefix_gets_replaced() {
    let src = "name: my-app\nbase: ubuntu@24.04\nversion: '0.1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\nextensions: [fastapi-framework]\nparts:\n  fastapi-framework/install-app:\n    prime: [\"$0flask/app/main.py\"]\n";
    let fs = MemoryFs::new()
        .file("requirements.txt", "fastapi\n")
        .file("main.py", "from fastapi import FastAPI\napp = FastAPI()\n");
    let (_, fixed) = check_action(src, &fs, "Prefix with");
    let fixed = fixed.expect("fix");
    assert!(fixed.contains("prime: [\"app/main.py\"]"), "{fixed}");
    let (_, r) = expand(&fixed, &fs);
    assert!(r.expanded.is_some(), "{:?}", r.diagnostics);
}

const FLASK: &str = "\
name: my-app
base: ubuntu@24.04
version: '0.1'
summary: s
description: d
platforms:
  amd64:
extensions:
  - fla$0sk-framework
";

#[test]
fn hover_on_extension_shows_gunicorn_command() {
    let h = check_hover(FLASK, &flask_fs());
    assert!(h.contains("app:app"), "{h}");
    insta::assert_snapshot!(h);
}

#[test]
fn hover_on_user_service_shows_merged_service() {
    let src = format!("{FLASK}services:\n  fl$0ask:\n    environment:\n      DEBUG: '1'\n")
        .replacen("$0", "", 1);
    let h = check_hover(&src, &flask_fs());
    assert!(h.contains("gunicorn") && h.contains("DEBUG"), "{h}");
    insta::assert_snapshot!(h);
}

#[test]
fn hover_says_why_the_expansion_is_missing() {
    // No requirements file: the extension cannot be expanded, and the hover on the service
    // says so before the schema text.
    let fs = MemoryFs::new().file("app.py", "app = 1\n");
    let src =
        format!("{FLASK}services:\n  fl$0ask:\n    startup: disabled\n").replacen("$0", "", 1);
    let h = check_hover(&src, &fs);
    assert!(
        h.contains("cannot be expanded") && h.contains("requirements"),
        "{h}"
    );
    // Keys whose hover never shows the expansion are unchanged.
    let src =
        format!("{FLASK}services:\n  flask:\n    start$0up: disabled\n").replacen("$0", "", 1);
    let h = check_hover(&src, &fs);
    assert!(!h.contains("cannot be expanded"), "{h}");
}

#[test]
fn hover_on_plain_keys_uses_the_schema() {
    let h = check_hover("na$0me: x\nbase: ubuntu@24.04\n", &MemoryFs::new());
    insta::assert_snapshot!("schema_name", h);
    let h = check_hover(
        "base: ubuntu@24.04\nservices:\n  s:\n    start$0up: enabled\n",
        &MemoryFs::new(),
    );
    assert!(h.contains("`enabled`"), "{h}");
    let h = check_hover(
        "parts:\n  p:\n    plugin: python\n    python-pack$0ages: [x]\n",
        &MemoryFs::new(),
    );
    assert!(h.contains("python"), "{h}");
}

#[test]
fn override_action_reproduces_the_generated_command() {
    let fs = flask_fs();
    let (doc, before) = expand(&cursor(FLASK).0, &fs);
    let _ = doc;
    let want = before.expanded.as_ref().unwrap()["services"]["flask"]["command"].clone();
    let (titles, applied) = check_action(FLASK, &fs, "Override the flask service command");
    insta::assert_snapshot!(titles.join("\n"));
    let applied = applied.expect("override action");
    insta::assert_snapshot!("override_applied", applied);
    let (_, after) = expand(&applied, &fs);
    assert!(after.diagnostics.is_empty(), "{:?}", after.diagnostics);
    assert_eq!(
        after.expanded.unwrap()["services"]["flask"]["command"],
        want
    );
}

#[test]
fn refactors_merge_into_existing_sections() {
    let src = format!(
        "{FLASK}parts:\n    my-part:\n        plugin: nil\nservices:\n    other:\n        command: /bin/true\n        override: replace\n"
    );
    let src = src.replacen("$0", "", 1);
    let fs = flask_fs();
    for pick in [
        "Override the flask",
        "Add Debian packages",
        "Choose which files",
    ] {
        let (_, applied) = check_action(&src, &fs, pick);
        let applied = applied.unwrap_or_else(|| panic!("{pick}"));
        insta::assert_snapshot!(pick.replace(' ', "_"), applied);
        let doc = Document::parse(&applied);
        assert!(doc.yaml_errors.is_empty(), "{applied}");
        let (_, r) = expand(&applied, &fs);
        assert!(r.expanded.is_some(), "{pick}: {:?}", r.diagnostics);
    }
}

#[test]
fn adding_app_py_changes_the_diagnostics() {
    let no_app = MemoryFs::new().file("requirements.txt", "Flask\n");
    let missing = check_expand(FLASK, &no_app);
    assert!(missing.contains("extension-error"), "{missing}");
    insta::assert_snapshot!(missing);
    assert_eq!(check_expand(FLASK, &flask_fs()), "");
}

#[test]
fn experimental_extension_is_reported_on_its_item() {
    let src = FLASK.replace("ubuntu@24.04", "ubuntu@26.04");
    insta::assert_snapshot!(check_expand(&src, &flask_fs()));
}

#[test]
fn lints() {
    let src = format!(
        "{FLASK}parts:\n  flask/install-app:\n    plugin: nil\n  flask-framework/install-app:\n    prime:\n      - -flask/app/tests\nservices:\n  flask:\n    working-dir: /django/app\n"
    );
    insta::assert_snapshot!(check_expand(&src, &flask_fs()));
    let src = format!(
        "{FLASK}parts:\n  flask-framework/install-app:\n    prime:\n      - flask/app/app.py\n      - flask/app/static\n"
    );
    insta::assert_snapshot!("prime_missing", check_expand(&src, &flask_fs()));
    let plain =
        "name: x\nbase: ubuntu@24.04\nparts:\n  flask-framework/install-app:\n    plugin: nil\n";
    insta::assert_snapshot!("no_extension", check_expand(plain, &MemoryFs::new()));
    let (_, applied) = check_action(
        &format!("{FLASK}services:\n  flask:\n    command: $0x\n"),
        &flask_fs(),
        "Override",
    );
    assert!(
        applied.is_none(),
        "no override action when the command is already set"
    );
}

#[test]
fn redundant_service_command() {
    let fs = flask_fs();
    let (_, before) = expand(&cursor(FLASK).0, &fs);
    let cmd = before.expanded.unwrap()["services"]["flask"]["command"]
        .as_str()
        .unwrap()
        .to_owned();
    let src = format!(
        "{}services:\n  flask:\n    command: {cmd}\n",
        cursor(FLASK).0
    );
    let out = check_expand(&src, &fs);
    assert!(out.contains("redundant-service-command"), "{out}");
}

/// Each starter writes exactly what `rockcraft init --profile <profile> --name <name>` wrote
/// (the `init-profile-*` and `init-simple-default` golden cases), byte for byte.
#[test]
fn starters_match_rockcraft_init() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut compared = 0;
    for e in std::fs::read_dir(&golden).unwrap().flatten() {
        let case = e.file_name().to_string_lossy().into_owned();
        let Some(profile) = case
            .strip_prefix("init-profile-")
            .or_else(|| (case == "init-simple-default").then_some("simple"))
        else {
            continue;
        };
        let command = std::fs::read_to_string(e.path().join("command.txt")).unwrap();
        let name = command
            .split_whitespace()
            .skip_while(|w| *w != "--name")
            .nth(1)
            .unwrap();
        let want = std::fs::read_to_string(e.path().join("expected-rockcraft.yaml")).unwrap();
        let doc = Document::parse("");
        let actions = starters::starter_actions(&doc, Some(name));
        let title = if profile.starts_with('e') {
            format!("Start an {profile} project")
        } else {
            format!("Start a {profile} project")
        };
        let action = actions
            .iter()
            .find(|a| a.title == title)
            .unwrap_or_else(|| panic!("{title}"));
        assert_eq!(apply_edits("", &action.edits), want, "{case}");
        compared += 1;
    }
    assert_eq!(compared, 7);
}

/// A starter's project has no error once the application files are there: each framework's
/// in the `<framework>-init-template` golden project (app files by the real template), the
/// simple one anywhere.
#[test]
fn starters_pass_check() {
    use rockcraft_lsp::core::diagnostic::Severity;
    use rockcraft_lsp::core::packages::StaticIndexes;
    use rockcraft_lsp::host::fs::RealFs;

    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let empty = tempfile::tempdir().unwrap();
    for profile in starters::EDITOR_PROFILES {
        let (dir, name) = match profile.strip_suffix("-framework") {
            Some(fw) => {
                let case = golden.join(format!("{fw}-init-template"));
                // The name the application files were made for (Django's project directory).
                let init = std::fs::read_to_string(case.join("init.txt")).unwrap();
                let name = init
                    .split_whitespace()
                    .skip_while(|w| *w != "--name")
                    .nth(1);
                (case.join("input"), name.unwrap().to_owned())
            }
            None => (empty.path().to_path_buf(), "my-shop".to_owned()),
        };
        let doc = Document::parse("# my notes\n");
        let action = starters::starter_actions(&doc, Some(&name))
            .into_iter()
            .find(|a| a.title.contains(&format!(" {profile} ")))
            .unwrap();
        let text = apply_edits(&doc.text, &action.edits);
        let fs = RealFs::new(&dir);
        let inputs = pipeline::Inputs {
            fs: &fs,
            packages: &StaticIndexes::default(),
            experimental: *profile == "spring-boot-framework",
            extensions_dir: DEFAULT_EXTENSIONS_DIR,
        };
        let errors: Vec<String> = pipeline::run(&text, &inputs)
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(errors.is_empty(), "{profile}: {errors:?}");
    }
}

/// Loads a golden case's input directory into memory.
fn golden_fs(case: &str) -> (String, MemoryFs) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(case)
        .join("input");
    let mut fs = MemoryFs::new();
    let mut text = String::new();
    let mut stack = vec![(dir.clone(), String::new())];
    while let Some((d, rel)) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let r = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type().unwrap().is_dir() {
                fs = fs.dir(&r);
                stack.push((e.path(), r));
            } else {
                let c = std::fs::read_to_string(e.path()).unwrap_or_default();
                if r == "rockcraft.yaml" {
                    text.clone_from(&c);
                }
                fs = fs.file(&r, &c);
            }
        }
    }
    (text, fs)
}

#[test]
fn golden_cases() {
    let (text, fs) = golden_fs("flask-init-template");
    assert_eq!(check_expand(&text, &fs), "");
    let at = text.find("  - flask-framework").unwrap() + 4;
    let src = format!("{}$0{}", &text[..at], &text[at..]);
    assert!(check_hover(&src, &fs).contains("gunicorn"));
    let mut out = String::new();
    for case in [
        "flask-prime-wrong-prefix-app-slash",
        "fastapi-prime-missing-prefix",
        "ext-run-user-set-by-user-with-expressjs",
        "flask-parts-user-plugin-nil-invalid",
        "django-missing-requirements",
        "flask-missing-requirements-and-entrypoint",
    ] {
        let (text, fs) = golden_fs(case);
        let _ = write!(out, "== {case}\n{}", check_editor(&text, &fs));
    }
    insta::assert_snapshot!(out);
}

/// Hover, code actions, completion and the outline never panic, at every offset of the init
/// templates (with and without their project files, with `\n`, `\r` and `\r\n` line breaks)
/// and of every document prefix cut at a line end: what an editor sends while a file is being
/// typed.
#[test]
fn ide_features_never_panic_anywhere() {
    use rockcraft_lsp::core::completion::{Sources, complete};
    use rockcraft_lsp::core::ide::symbols;
    use rockcraft_lsp::core::packages::StaticIndexes;

    let indexes = StaticIndexes { debs: Vec::new() };
    let cases = [
        "flask-init-template",
        "django-init-template",
        "go-init-template",
        "flask-prime-wrong-prefix-app-slash",
        "ext-run-user-set-by-user-with-expressjs",
    ];
    for case in cases {
        let (full, fs) = golden_fs(case);
        let mut cut = 0;
        // Every offset of the file with each kind of line break (`\r\n` has offsets inside
        // its line breaks).
        let whole = [
            full.clone(),
            full.replace('\n', "\r"),
            full.replace('\n', "\r\n"),
        ];
        let mut prefixes = whole.to_vec();
        for line in full.split_inclusive('\n') {
            cut += line.len();
            prefixes.push(full[..cut].to_owned());
        }
        for (n, text) in prefixes.iter().enumerate() {
            let (doc, r) = expand(text, &fs);
            let sources = Sources {
                fs: Some(&fs),
                packages: &indexes,
                experimental: false,
                expanded: None,
            };
            let _ = symbols(&doc);
            // Every offset of the whole file; line ends of the prefixes.
            let offsets: Vec<usize> = if n < whole.len() {
                (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .collect()
            } else {
                vec![text.len(), text.len().saturating_sub(1)]
            };
            for i in offsets {
                let at = u32::try_from(i).unwrap();
                let _ = hover(&doc, Some(&r), at);
                let _ = complete(&doc, at, &sources);
                let range = TextRange::empty(TextSize::from(at));
                let _ = actions(&doc, Some(&r), range, &r.diagnostics);
            }
        }
    }
}

/// The single expansion error of `src` in the editor, as its code, the range text and the
/// message, checked against what `rockcraft-lsp expand-extensions` prints.
fn base_error_matches_cli(
    src: &str,
    experimental: bool,
    tag: &str,
) -> (&'static str, String, String) {
    let fast = pipeline::fast(src);
    let doc = &fast.doc;
    let r = pipeline::expansion(&fast, &flask_fs(), experimental, DEFAULT_EXTENSIONS_DIR)
        .expect("the YAML loads");
    let [d] = r.diagnostics.as_slice() else {
        panic!("{:?}", r.diagnostics);
    };
    let tmp = tempfile::Builder::new()
        .prefix(&format!("rockcraft-lsp-ide-{tag}-"))
        .tempdir()
        .unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("rockcraft.yaml"), src).unwrap();
    std::fs::write(dir.join("requirements.txt"), "Flask\n").unwrap();
    std::fs::write(dir.join("app.py"), FLASK_APP).unwrap();
    let cli = rockcraft_lsp::cli::expand::run_expand(dir, DEFAULT_EXTENSIONS_DIR, experimental);
    drop(tmp);
    assert_eq!(cli.exit_code, 1, "{}", cli.stderr);
    let line = |prefix: &str| {
        cli.stderr
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` in {}", cli.stderr))
            .to_owned()
    };
    // The message is the line after the progress notes.
    let message = cli
        .stderr
        .lines()
        .find(|l| !l.starts_with("note: "))
        .unwrap();
    let expected = format!(
        "{}. {} (see {})",
        message.trim_end_matches('.'),
        line("  fix: ").trim_end_matches('.'),
        line("  docs: ")
    );
    // The editor also names its setting.
    let editor = ". In the editor, turn on the `experimentalExtensions` setting (`rockcraft.experimentalExtensions` in VS Code)";
    assert_eq!(d.message.replacen(editor, "", 1), expected);
    (
        d.code.name(),
        doc.text_at(d.range).to_owned(),
        d.message.clone(),
    )
}

#[test]
fn unsupported_base_is_reported_on_the_key_the_cli_blames() {
    // A build base of another release than the base: the build base is wrong.
    let src = FLASK.replace("$0", "").replace(
        "base: ubuntu@24.04\n",
        "base: ubuntu@24.04\nbuild-base: ubuntu@26.04\n",
    );
    let (code, range, msg) = base_error_matches_cli(&src, true, "build-base");
    assert_eq!((code, range.as_str()), ("extension-base", "ubuntu@26.04"));
    assert!(
        msg.starts_with(
            "flask-framework cannot build `base: ubuntu@24.04` on `build-base: ubuntu@26.04`"
        ),
        "{msg}"
    );
    // `bare` without a build base: the base needs one.
    let src = FLASK.replace("$0", "").replace("ubuntu@24.04", "bare");
    let (code, range, msg) = base_error_matches_cli(&src, true, "bare");
    assert_eq!((code, range.as_str()), ("extension-base", "bare"));
    assert!(
        msg.starts_with("flask-framework needs a `build-base` with `base: bare`"),
        "{msg}"
    );
    // Without the opt-in, the build base that selects the experimental generation.
    let src = FLASK.replace("$0", "").replace(
        "base: ubuntu@24.04\n",
        "base: ubuntu@24.04\nbuild-base: ubuntu@26.04\n",
    );
    let (code, range, msg) = base_error_matches_cli(&src, false, "experimental");
    assert_eq!(
        (code, range.as_str()),
        ("extension-experimental", "flask-framework")
    );
    assert!(
        msg.starts_with("flask-framework is experimental on `build-base: ubuntu@26.04`"),
        "{msg}"
    );
}

/// A base that is not a base: the fast error on `base` is the one to fix, so the expansion's
/// base error (which would blame `build-base`) is not shown beside it.
#[test]
fn invalid_base_is_reported_once() {
    let src = FLASK.replacen("$0", "", 1).replace(
        "base: ubuntu@24.04",
        "base: ubuntu@23.04\nbuild-base: ubuntu@24.04",
    );
    let out = check_editor(&src, &flask_fs());
    assert!(out.contains("[invalid-value] `ubuntu@23.04`"), "{out}");
    assert!(!out.contains("extension-base"), "{out}");
}

/// The last `n` lines of `text`, trimmed (the indentation follows the file's own).
fn last_lines(text: &str, n: usize) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    lines[lines.len().saturating_sub(n)..].to_vec()
}

#[test]
fn choose_files_is_offered_where_a_list_chooses_the_app_files() {
    let head = "name: my-app\nbase: ubuntu@24.04\nversion: '0.1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\n";
    let choose = "Choose which files go into the image";
    // go: the assets part exists only when there is something to copy.
    let go = format!("{head}extensions:\n  - go-framework\n");
    let go_fs = MemoryFs::new()
        .file("go.mod", "module x\n")
        .file("main.go", "");
    assert_eq!(check_action(&go, &go_fs, choose).1, None);
    let applied = check_action(&go, &go_fs.clone().dir("static"), choose)
        .1
        .expect("offered once static/ exists");
    assert_eq!(
        last_lines(&applied, 3),
        ["go-framework/assets:", "stage:", "- app/static"],
        "{applied}"
    );
    // fastapi's install-app has no generated `prime`: the list is what it stages.
    let fastapi = format!("{head}extensions:\n  - fastapi-framework\n");
    let fastapi_fs = MemoryFs::new()
        .file("requirements.txt", "fastapi\n")
        .file("app.py", "app = FastAPI()\n")
        .dir("templates");
    let applied = check_action(&fastapi, &fastapi_fs, choose)
        .1
        .expect("offered");
    assert_eq!(
        last_lines(&applied, 3),
        ["prime:", "- app/templates", "- app/app.py"],
        "{applied}"
    );
    // Written once: not offered again when the list is there.
    assert_eq!(check_action(&applied, &fastapi_fs, choose).1, None);
    // django and expressjs copy the app directory whole.
    let django = format!("{head}extensions:\n  - django-framework\n");
    let django_fs = MemoryFs::new()
        .file("requirements.txt", "django\n")
        .file("my_app/my_app/wsgi.py", "application = 1\n");
    let (titles, applied) = check_action(&django, &django_fs, choose);
    assert_eq!(applied, None, "{titles:?}");
}
