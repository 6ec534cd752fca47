//! The expanded form of the `services` key, of a service name and of a generated part's name:
//! what rockcraft sees after the extensions are applied, or why it cannot be shown.

use serde_json::Value;

use super::{At, Text, failure_note, origin_note, schema, wrap, wrap_one, yaml_block};
use crate::core::extensions::registry;
use crate::core::ide::expansion::ExpansionResult;
use crate::core::yaml::PathSeg;

/// What a hover shows from the expanded project.
#[derive(Clone, Copy)]
enum Target<'p> {
    /// The `services:` key: all services.
    Services,
    /// A service name.
    Service(&'p String),
    /// The name of a part an extension generates.
    Part(&'p String),
}

fn target<'p>(at: &At<'_>, path: &'p [PathSeg]) -> Option<Target<'p>> {
    if !at.is_key {
        return None;
    }
    match path {
        [PathSeg::Key(s)] if s == "services" => Some(Target::Services),
        [PathSeg::Key(s), PathSeg::Key(name)] if s == "services" => Some(Target::Service(name)),
        [PathSeg::Key(p), PathSeg::Key(name)] if p == "parts" && at.doc.is_extension_part(name) => {
            Some(Target::Part(name))
        }
        _ => None,
    }
}

/// The expanded form at a key that has one; when the expansion failed, why, above the
/// schema's text.
pub(super) fn hover(at: &At<'_>, expansion: Option<&ExpansionResult>) -> Option<Text> {
    let t = target(at, at.path)?;
    if let Some(exp) = at.expanded
        && let Some(md) = shown(at, exp, t)
    {
        return Some(Text::expanded(md));
    }
    let note = failure_note(expansion)?;
    let markdown = match schema::hover(at.doc, at.path) {
        Some(s) => format!("{note}\n\n---\n\n{s}"),
        None => note,
    };
    // The failure is the expansion's news: it is marked when that expansion is an older one.
    Some(Text::expanded(markdown))
}

fn shown(at: &At<'_>, exp: &Value, t: Target<'_>) -> Option<String> {
    let doc = at.doc;
    match t {
        Target::Services => {
            let services = exp.get("services")?;
            Some(format!(
                "The services after the extensions are applied:\n\n{}",
                yaml_block(&wrap_one("services", services))
            ))
        }
        Target::Service(name) => {
            let v = exp.get("services")?.get(name)?;
            let note = doc
                .declared_extensions()
                .iter()
                .find(|e| e.services.contains(&name.as_str()))
                .map_or_else(
                    || "Your own service, as rockcraft sees it after expansion.".to_owned(),
                    |e| origin_note(doc, e.name, "services", std::slice::from_ref(name)),
                );
            Some(format!(
                "**Service `{name}`** (expanded)\n\n{note}\n\n{}",
                yaml_block(&wrap("services", name, v))
            ))
        }
        Target::Part(name) => {
            let v = exp.get("parts")?.get(name)?;
            let ext = registry::owner_of_part(name)?.name;
            let note = origin_note(doc, ext, "parts", std::slice::from_ref(name));
            Some(format!(
                "**Part `{name}`** (expanded)\n\n{note}\n\n{}",
                yaml_block(&wrap("parts", name, v))
            ))
        }
    }
}
