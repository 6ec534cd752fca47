//! The `prime` list a framework's install-app part would get today if the user's part had none:
//! computed with the expansion (which may read the project), so that the hover on a user's
//! `prime` can show it without touching the file system.

use serde_json::Value;

use crate::core::document::Document;
use crate::core::extensions::ProjectFs;
use crate::core::facts::{FASTAPI_DEFAULT_PRIME, FLASK_DEFAULT_PRIME, prefix_rule};

/// The default `prime` list of each install-app part of the declared extensions that has one
/// (Flask's and `FastAPI`'s), as `(part name, entries)`, in the extensions' order.
#[must_use]
pub fn default_primes(
    doc: &Document,
    fs: &dyn ProjectFs,
    expanded: Option<&Value>,
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for ext in doc.declared_extensions() {
        let part = format!("{}/install-app", ext.name);
        let Some(rule) = prefix_rule(&part).filter(|r| r.key == "prime") else {
            continue;
        };
        let candidates = match ext.name {
            "flask-framework" => FLASK_DEFAULT_PRIME,
            "fastapi-framework" => FASTAPI_DEFAULT_PRIME,
            _ => continue,
        };
        let mut list: Vec<String> = candidates
            .iter()
            .filter(|f| fs.exists(f))
            .map(|f| format!("{}{f}", rule.dir))
            .collect();
        if ext.name == "fastapi-framework"
            && let Some(entry) = asgi_entry(doc, fs, expanded, ext.service)
        {
            list.push(format!("{}{entry}", rule.dir));
        }
        out.push((part, list));
    }
    out
}

/// The project-root entry holding the ASGI application (`app.py`, `src`), read back from the
/// generated `uvicorn <module>:app` command; `None` when the user sets the command (the
/// extension then adds nothing) or there is no generated command.
fn asgi_entry(
    doc: &Document,
    fs: &dyn ProjectFs,
    expanded: Option<&Value>,
    service: &str,
) -> Option<String> {
    let user_command = doc
        .tree
        .at_path(&[
            crate::core::yaml::PathSeg::Key("services".into()),
            crate::core::yaml::PathSeg::Key(service.into()),
        ])
        .and_then(|s| doc.tree.get(s, "command"))
        .is_some();
    if user_command {
        return None;
    }
    let command = expanded?
        .get("services")?
        .get(service)?
        .get("command")?
        .as_str()?;
    let module = command
        .split_whitespace()
        .find_map(|w| w.strip_suffix(":app"))?;
    let first = module.split('.').next()?;
    let file = format!("{first}.py");
    if fs.is_file(&file) {
        Some(file)
    } else if fs.exists(first) {
        Some(first.to_owned())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::core::extensions::{DEFAULT_EXTENSIONS_DIR, MemoryFs};
    use crate::core::pipeline;

    fn defaults(text: &str, fs: &MemoryFs) -> Vec<(String, Vec<String>)> {
        let fast = pipeline::fast(text);
        pipeline::expansion(&fast, fs, false, DEFAULT_EXTENSIONS_DIR)
            .map(|r| r.default_prime)
            .unwrap_or_default()
    }

    const HEAD: &str = "name: my-app\nbase: ubuntu@24.04\nversion: '0.1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\n";

    #[test]
    fn flask_default_is_the_existing_candidates() {
        let fs = MemoryFs::new()
            .file("requirements.txt", "Flask\n")
            .file("app.py", "from flask import Flask\napp = Flask(__name__)\n")
            .dir("static")
            .file("notes.txt", "x");
        let text = format!(
            "{HEAD}extensions: [flask-framework]\nparts:\n  flask-framework/install-app:\n    prime: [flask/app/app.py]\n"
        );
        insta::assert_debug_snapshot!(defaults(&text, &fs), @r#"
        [
            (
                "flask-framework/install-app",
                [
                    "flask/app/app.py",
                    "flask/app/static",
                ],
            ),
        ]
        "#);
    }

    #[test]
    fn fastapi_default_adds_the_asgi_file_unless_the_command_is_set() {
        let fs = MemoryFs::new()
            .file("requirements.txt", "fastapi\n")
            .file(
                "src/main.py",
                "from fastapi import FastAPI\napp = FastAPI()\n",
            )
            .file("src/__init__.py", "")
            .dir("templates");
        let text = format!("{HEAD}extensions: [fastapi-framework]\n");
        insta::assert_debug_snapshot!(defaults(&text, &fs), @r#"
        [
            (
                "fastapi-framework/install-app",
                [
                    "app/templates",
                    "app/src",
                ],
            ),
        ]
        "#);
        let text = format!(
            "{HEAD}extensions: [fastapi-framework]\nservices:\n  fastapi:\n    command: /bin/true\n"
        );
        assert_eq!(
            defaults(&text, &fs),
            [(
                "fastapi-framework/install-app".to_owned(),
                vec!["app/templates".to_owned()]
            )]
        );
    }
}
