//! `check --format github` and `check --format sarif` end to end on files: the workflow
//! commands and the SARIF log, snapshotted, with their columns, escaping and required fields.

use rockcraft_lsp::cli::check::{Format, run};
use rockcraft_lsp::cli::format::sarif::Sarif;
use rockcraft_lsp::cli::format::{FileFindings, Writer};
use rockcraft_lsp::core::document::Document;
use serde_json::Value;

use crate::safety::findings;

/// Three findings: one after wide characters on its line (`𝔘` is two UTF-16 units), one with a
/// fix, one with a related place.
const PROJECT: &str = "name: my-rock\nsummary: s\ndescription: d\nversion: \"1\"\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nenvironment: {A: \"𝔘é\", B: $HOME}\nparts:\n  p:\n    plugin: nil\n    stage-package: [curl]\n  p:\n    plugin: nil\n";

fn project_in(dir: &std::path::Path) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("rockcraft.yaml");
    std::fs::write(&path, PROJECT).unwrap();
    path.display().to_string()
}

#[test]
fn github_workflow_commands() {
    let tmp = tempfile::tempdir().unwrap();
    // `,` and `:` end a property's value: the path is escaped.
    let dir = tmp.path().join("a,b:c");
    let path = project_in(&dir);
    let r = run(&[path], Format::Github);
    assert_eq!(r.exit_code, 1, "{}", r.stderr);
    let shown = dir
        .display()
        .to_string()
        .replace(',', "%2C")
        .replace(':', "%3A");
    assert!(r.stdout.contains(&shown), "{}", r.stdout);
    let out = r.stdout.replace(&shown, "[DIR]");
    assert_eq!(out.lines().count(), 3, "one line per finding: {out}");
    insta::assert_snapshot!(out);
}

#[test]
fn github_messages_are_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("rockcraft.yaml");
    std::fs::write(&path, "\"100%\\r\\nx\": 1\n").unwrap();
    let r = run(&[path.display().to_string()], Format::Github);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("unknown-key"))
        .unwrap_or_default();
    assert!(
        line.contains("::unknown key `100%25%0D%0Ax`"),
        "{}",
        r.stdout
    );
}

fn sarif_log(dir: &std::path::Path) -> Value {
    let doc = Document::parse(PROJECT);
    let diagnostics = findings(PROJECT, dir, false);
    let mut w = Sarif::new(Some(dir.to_path_buf()))
        .with_information_uri(Some("https://example.org/rockcraft-lsp"));
    w.file(FileFindings {
        path: &dir.join("rockcraft.yaml"),
        doc: &doc,
        diagnostics: &diagnostics,
    });
    serde_json::from_str(&w.finish()).unwrap()
}

#[test]
fn sarif_log_for_code_scanning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    project_in(&dir);
    let mut log = sarif_log(&dir);
    let run = &mut log["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", dir.display())
    );
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///[DIR]/".into();
    // Every code is a rule, with its description and help; the snapshot keeps the first.
    let rules = run["tool"]["driver"]["rules"].as_array_mut().unwrap();
    assert_eq!(rules.len(), rockcraft_lsp::core::code::Code::ALL.len());
    for rule in rules.iter() {
        assert!(
            rule["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert_eq!(
            rule["helpUri"],
            "https://example.org/rockcraft-lsp#what-it-checks"
        );
    }
    rules.truncate(1);
    insta::assert_json_snapshot!(log);
}

/// The log is valid against SARIF 2.1.0's own JSON schema (`tests/fixtures/sarif`, see its
/// PROVENANCE), with and without the optional parts (rules' help, the base URI, fixes).
#[test]
fn sarif_log_matches_the_sarif_schema() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema =
        std::fs::read_to_string(root.join("tests/fixtures/sarif/sarif-schema-2.1.0.json")).unwrap();
    let mut schema: Value = serde_json::from_str(&schema).unwrap();
    // The pattern of the `language` properties has a stray `]` that regular-expression engines
    // other than ECMAScript's refuse; it is dropped as loaded (the log has no `language`).
    let mut dropped = 0;
    for definition in schema["definitions"].as_object_mut().unwrap().values_mut() {
        if let Some(language) = definition
            .pointer_mut("/properties/language")
            .and_then(Value::as_object_mut)
        {
            dropped += usize::from(language.remove("pattern").is_some());
        }
    }
    assert_eq!(dropped, 2);
    let validator = jsonschema::validator_for(&schema).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    let path = project_in(&dir);
    let mut logs = vec![sarif_log(&dir)];
    logs.push(serde_json::from_str(&run(&[path], Format::Sarif).stdout).unwrap());
    // No findings, no base directory, no home page.
    let mut w = Sarif::new(None);
    logs.push(serde_json::from_str(&w.finish()).unwrap());
    for log in &logs {
        let errors: Vec<String> = validator
            .iter_errors(log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // The schema is not vacuous: a result without its message is refused.
    let mut broken = logs[0].clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&broken));
}

/// The fields GitHub code scanning requires (and SARIF 2.1.0 makes mandatory) are present and
/// consistent, from the command line.
#[test]
fn sarif_required_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let path = project_in(&tmp.path().join("p q"));
    let r = run(&[path], Format::Sarif);
    assert_eq!(r.exit_code, 1, "{}", r.stderr);
    let log: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .unwrap()
            .contains("sarif-schema-2.1.0")
    );
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "rockcraft-lsp");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{results:#?}");
    for result in results {
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        // Outside the working directory: an absolute `file:` URI, the space encoded.
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("file:///") && uri.ends_with("/p%20q/rockcraft.yaml"),
            "{uri}"
        );
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{key}: {region}");
        }
    }
    // Columns are UTF-16 code units: `$HOME` follows `𝔘` (two units) and `é` (one).
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(results[0]["ruleId"], "env-interpolation");
    let line = PROJECT.lines().nth(7).unwrap();
    let before = &line[..line.find('$').unwrap()];
    assert_eq!(region["startColumn"], before.encode_utf16().count() + 1);
    assert_eq!(region["startColumn"], before.chars().count() + 2);
}
