//! Renaming a part, service or check: every place that names it changes together, and a
//! rename that rockcraft or Pebble would read differently is refused with the reason.

use crate::core::diagnostic::Edit;
use crate::core::document::Document;
use crate::core::facts::BASES_ALLOWING_SLASH_IN_PART_NAMES;
use crate::core::ide::names::{self, NameKind, Occurrence, Role};
use crate::core::yaml::resolves_to_str;

/// The name under the cursor that can be renamed, or why it cannot.
///
/// # Errors
/// No renameable name is at `offset` (the message says why).
pub fn prepare(doc: &Document, offset: u32) -> Result<Occurrence, String> {
    let Some(o) = names::at(doc, offset) else {
        return Err("only the names of parts, services and checks can be renamed here".into());
    };
    match o.kind {
        NameKind::Platform => Err(format!(
            "`{}` names a platform: its name is the architecture it builds for (or is written \
             in `build-for`), so it is renamed by hand, not as a reference",
            o.name
        )),
        NameKind::Part | NameKind::Service => match names::generator(doc, o.kind, &o.name) {
            Some(ext) => Err(format!(
                "`{}` is the {} {ext} generates: the entry written here overrides it, and \
                 under another name it would be a new {} instead, leaving {ext}'s own one in \
                 place. Remove the override rather than renaming it",
                o.name,
                o.kind.noun(),
                o.kind.noun()
            )),
            None => Ok(o),
        },
        NameKind::Check => Ok(o),
    }
}

/// The edits that rename the name at `offset` to `new_name` everywhere in `doc`.
///
/// # Errors
/// The name cannot be renamed ([`prepare`]), or `new_name` is not a name the project can use
/// (the message says why).
pub fn rename(doc: &Document, offset: u32, new_name: &str) -> Result<Vec<Edit>, String> {
    let o = prepare(doc, offset)?;
    if new_name == o.name {
        return Ok(Vec::new());
    }
    check_new_name(doc, &o, new_name)?;
    Ok(names::same_name(doc, &o)
        .into_iter()
        .map(|occ| Edit {
            range: occ.range,
            text: new_name.to_owned(),
        })
        .collect())
}

fn check_new_name(doc: &Document, o: &Occurrence, new: &str) -> Result<(), String> {
    let noun = o.kind.noun();
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/');
    if new.is_empty() {
        return Err(format!("a {noun} name cannot be empty"));
    }
    if !new.chars().all(allowed) || !new.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "`{new}` is not renamed to: a {noun} name written by rename is letters, digits, \
             `-`, `_`, `.` and `/`, starting with a letter or digit (other names need quoting \
             in YAML; write them by hand)"
        ));
    }
    if !resolves_to_str(new) {
        return Err(format!(
            "`{new}` would be read as a number, boolean or date, not as a {noun} name"
        ));
    }
    let taken = names::occurrences(doc)
        .iter()
        .any(|x| x.kind == o.kind && x.role == Role::Definition && x.name == new);
    if taken {
        return Err(format!("the project already has a {noun} `{new}`"));
    }
    if let Some(ext) = names::generator(doc, o.kind, new) {
        return Err(format!(
            "{ext} generates a {noun} `{new}`: under that name this {noun} would override \
             it instead of being its own"
        ));
    }
    if o.kind == NameKind::Part && new.contains('/') {
        let base = doc.top_text("build-base").or_else(|| doc.top_text("base"));
        if !base.is_some_and(|b| BASES_ALLOWING_SLASH_IN_PART_NAMES.contains(&b)) {
            return Err(format!(
                "rockcraft refuses part names with `/` on this build base: `{new}` cannot be a \
                 part name here"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ide::edit::apply_edits;

    const PROJECT: &str = "\
name: app
base: ubuntu@24.04
extensions: [flask-framework]
parts:
  lib:
    plugin: nil
  app:
    plugin: nil
    after: [lib]
  flask-framework/install-app:
    after:
      - \"lib\"
services:
  web:
    command: srv
    requires: [db]
    on-check-failure:
      up: restart
  db:
    command: db
checks:
  up:
    tcp: {port: 1}
entrypoint-service: db
";

    fn renamed(needle: &str, new: &str) -> Result<String, String> {
        let doc = Document::parse(PROJECT);
        let at = u32::try_from(PROJECT.find(needle).unwrap()).unwrap();
        rename(&doc, at, new).map(|edits| apply_edits(PROJECT, &edits))
    }

    #[test]
    fn every_occurrence_changes_together() {
        let text = renamed("lib:", "runtime").unwrap();
        assert!(text.contains("  runtime:\n    plugin: nil"), "{text}");
        assert!(text.contains("after: [runtime]"), "{text}");
        assert!(text.contains("      - runtime\n"), "{text}");
        assert!(!text.contains("lib"), "{text}");

        let text = renamed("db]", "database").unwrap();
        assert!(text.contains("requires: [database]"), "{text}");
        assert!(text.contains("  database:\n    command: db"), "{text}");
        assert!(text.contains("entrypoint-service: database"), "{text}");

        let text = renamed("up:\n    tcp", "alive").unwrap();
        assert!(text.contains("      alive: restart"), "{text}");
        assert!(text.contains("  alive:\n    tcp"), "{text}");
    }

    #[test]
    fn names_rockcraft_would_read_otherwise_are_refused() {
        for (new, why) in [
            ("app", "already has a part `app`"),
            ("flask-framework/install-app", "already has a part"),
            ("flask-framework/dependencies", "generates a part"),
            ("two words", "letters, digits"),
            ("", "cannot be empty"),
            ("1.5", "number"),
            ("yes", "boolean"),
        ] {
            let err = renamed("lib:", new).unwrap_err();
            assert!(err.contains(why), "{new}: {err}");
        }
        let doc = Document::parse(&PROJECT.replace("ubuntu@24.04", "ubuntu@26.04"));
        let at = u32::try_from(PROJECT.find("lib:").unwrap()).unwrap();
        let err = rename(&doc, at, "my/lib").unwrap_err();
        assert!(err.contains("refuses part names with `/`"), "{err}");
        assert!(renamed("lib:", "my/lib").is_ok(), "allowed on ubuntu@24.04");
        let err = renamed("web:", "flask").unwrap_err();
        assert!(err.contains("generates a service `flask`"), "{err}");
    }

    #[test]
    fn generated_names_and_non_names_are_not_renamed() {
        let doc = Document::parse(PROJECT);
        let at = |s: &str| u32::try_from(PROJECT.find(s).unwrap()).unwrap();
        let err = prepare(&doc, at("flask-framework/install-app:")).unwrap_err();
        assert!(err.contains("overrides it"), "{err}");
        assert!(prepare(&doc, at("srv")).is_err());
        assert_eq!(prepare(&doc, at("web:")).unwrap().name, "web");
    }
}
