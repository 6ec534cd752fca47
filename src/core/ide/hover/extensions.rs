//! The `extensions:` key and its items: what each extension adds to this project (from the
//! latest expansion, else from the registry), its bases and where it is experimental.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::{At, Text, counted, failure_note, user_keys, yaml_block};
use crate::core::describe;
use crate::core::extensions::registry::{self, ExtensionInfo};
use crate::core::ide::expansion::ExpansionResult;
use crate::core::yaml::PathSeg;

/// The hover of the `extensions` key or one of its items.
pub(super) fn hover(at: &At<'_>, expansion: Option<&ExpansionResult>) -> Option<Text> {
    match at.path {
        [PathSeg::Key(e)] if e == "extensions" && at.is_key => Some(key(at, expansion)),
        [PathSeg::Key(e), PathSeg::Index(_)] if e == "extensions" && !at.is_key => {
            let info = registry::find(at.text()?)?;
            Some(item(at, info, expansion))
        }
        _ => None,
    }
}

/// What an extension adds in the expanded project: its parts, its services, the run user.
struct Added {
    parts: Map<String, Value>,
    services: Map<String, Value>,
    run_user: Option<Value>,
}

fn added(exp: &Value, info: &ExtensionInfo) -> Added {
    let prefix = format!("{}/", info.name);
    let parts = exp
        .get("parts")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let services = info
        .services
        .iter()
        .filter_map(|s| {
            exp.get("services")
                .and_then(|x| x.get(*s))
                .map(|v| ((*s).to_owned(), v.clone()))
        })
        .collect();
    Added {
        parts,
        services,
        run_user: exp.get("run-user").cloned(),
    }
}

fn names<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    keys.map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn bases(at: &At<'_>, info: &ExtensionInfo) -> String {
    describe::extension_bases(info, at.doc.base(), at.doc.build_base())
}

/// The `extensions` key: one paragraph per listed extension.
fn key(at: &At<'_>, expansion: Option<&ExpansionResult>) -> Text {
    let failed = failure_note(expansion);
    let mut md = failed
        .clone()
        .map_or_else(String::new, |n| n + "\n\n---\n\n");
    md.push_str(
        "**`extensions`**: rockcraft applies these before it builds, adding their parts and services to the project (`rockcraft expand-extensions` prints the result).",
    );
    let declared = at.doc.declared_extensions();
    for info in &declared {
        let _ = write!(md, "\n\n**{}** adds ", info.name);
        if let Some(exp) = at.expanded {
            let a = added(exp, info);
            let _ = write!(
                md,
                "{} ({}) and {} ({})",
                counted(a.parts.len(), "part"),
                names(a.parts.keys()),
                counted(a.services.len(), "service"),
                names(a.services.keys()),
            );
            if let Some(Value::String(u)) = &a.run_user {
                let _ = write!(md, ", and runs them as `{u}`");
            }
            md.push('.');
        } else {
            let parts: Vec<String> = info
                .parts
                .iter()
                .map(|p| format!("{}/{p}", info.name))
                .collect();
            let services: Vec<String> = info.services.iter().map(|s| (*s).to_owned()).collect();
            let _ = write!(
                md,
                "up to {} ({}) and {} ({}); which exactly depends on the project, shown once it expands.",
                counted(parts.len(), "part"),
                names(parts.iter()),
                counted(services.len(), "service"),
                names(services.iter()),
            );
        }
        let _ = write!(md, " {}", bases(at, info));
    }
    if declared.is_empty() {
        md.push_str("\n\nNone of the listed names is a known extension.");
    }
    Text {
        markdown: md,
        from_expansion: failed.is_some() || (at.expanded.is_some() && !declared.is_empty()),
    }
}

/// One item: the expanded contribution when there is one, else the registry's description.
fn item(at: &At<'_>, info: &ExtensionInfo, expansion: Option<&ExpansionResult>) -> Text {
    let doc = at.doc;
    let name = info.name;
    let Some(exp) = at.expanded else {
        let described = describe::extension(info, doc.base(), doc.build_base());
        return match failure_note(expansion) {
            Some(note) => Text::expanded(format!("{note}\n\n---\n\n{described}")),
            None => Text::plain(described),
        };
    };
    let a = added(exp, info);
    let mut shown = Map::new();
    if let Some(ru) = &a.run_user {
        shown.insert("run-user".into(), ru.clone());
    }
    shown.insert("services".into(), Value::Object(a.services.clone()));
    shown.insert("parts".into(), Value::Object(a.parts.clone()));
    let mut mine = Vec::new();
    for s in a.services.keys() {
        mine.extend(user_keys(doc, "services", s));
    }
    for p in a.parts.keys() {
        mine.extend(user_keys(doc, "parts", p));
    }
    let note = if mine.is_empty() {
        format!("Everything below comes from `{name}`; you have not overridden any of it.")
    } else {
        format!(
            "Everything below comes from `{name}`, except what you wrote: {}.",
            mine.join(", ")
        )
    };
    Text::expanded(format!(
        "**{name}** adds {} and {}.\n\n{}\n\n{note}\n\n{}",
        counted(a.parts.len(), "part"),
        counted(a.services.len(), "service"),
        bases(at, info),
        yaml_block(&Value::Object(shown))
    ))
}
