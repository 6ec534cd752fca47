//! Cross-checks our schema validator against a general JSON-schema implementation
//! (`jsonschema`, used only here) on rockcraft's own schema: on every expanded project that
//! rockcraft printed (the golden `expected*.yaml`) both accept, and on mutations of them that
//! break the schema both reject. Our validator walks the YAML tree for exact ranges and
//! extension awareness; this keeps it from being weaker than the schema.

use std::path::{Path, PathBuf};

use rockcraft_lsp::core::diagnostic::Severity;
use rockcraft_lsp::core::document::Document;
use rockcraft_lsp::core::schema::validate::validate;
use serde_json::Value;

fn expected_outputs() -> Vec<PathBuf> {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut out = Vec::new();
    for case in std::fs::read_dir(golden).unwrap().filter_map(Result::ok) {
        for name in ["expected.yaml", "expected.alt.yaml"] {
            let p = case.path().join(name);
            if p.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The YAML part of rockcraft's stdout (warnings come first).
fn yaml_of(text: &str) -> &str {
    text.find("name:").map_or(text, |i| &text[i..])
}

fn our_errors(text: &str) -> Vec<String> {
    let doc = Document::parse(text);
    validate(&doc)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

/// Mutations that break the schema, applied as YAML text edits at the end of the document or
/// on the first part.
fn mutations(yaml: &str) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("unknown top-level key", format!("{yaml}colour: blue\n")),
        (
            "wrong type",
            yaml.replacen("summary: ", "summary:\n  - ", 1),
        ),
        ("bad enum", format!("{yaml}run-user: root\n")),
    ];
    if let Some(i) = yaml.find("\nparts:\n") {
        let after = &yaml[i + 8..];
        if let Some(nl) = after.find(":\n") {
            let at = i + 8 + nl + 2;
            v.push((
                "unknown part key",
                format!("{}    no-such-key: true\n{}", &yaml[..at], &yaml[at..]),
            ));
            v.push((
                "part key of the wrong type",
                format!(
                    "{}    disable-parallel: maybe\n{}",
                    &yaml[..at],
                    &yaml[at..]
                ),
            ));
        }
    }
    v
}

#[test]
fn both_validators_agree_on_rockcraft_outputs_and_their_mutations() {
    let schema: Value = serde_json::from_str(include_str!("../../schemas/rockcraft.json")).unwrap();
    let oracle = jsonschema::validator_for(&schema).unwrap();
    let files = expected_outputs();
    assert!(files.len() > 100, "{} outputs", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let yaml = yaml_of(&text);
        let doc = Document::parse(yaml);
        // rockcraft's models accept a few values the schema does not (its spring-boot extension
        // writes `maven-use-wrapper: 'True'`, a string, where the schema says boolean); our
        // validator follows the models.
        let lax_boolean = yaml.contains("maven-use-wrapper: 'True'");
        if !lax_boolean && !oracle.is_valid(doc.json()) {
            failures.push(format!(
                "{}: jsonschema rejects rockcraft's own output",
                f.display()
            ));
        }
        let ours = our_errors(yaml);
        if !ours.is_empty() {
            failures.push(format!(
                "{}: we reject rockcraft's own output: {ours:?}",
                f.display()
            ));
        }
        for (what, mutated) in mutations(yaml) {
            let doc = Document::parse(&mutated);
            let theirs = oracle.is_valid(doc.json());
            let ours = our_errors(&mutated);
            if theirs {
                failures.push(format!(
                    "{} ({what}): jsonschema accepts the mutation",
                    f.display()
                ));
            }
            if ours.is_empty() {
                failures.push(format!(
                    "{} ({what}): we accept what the schema rejects",
                    f.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
