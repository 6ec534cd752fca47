//! The schema's documentation of the key under the cursor (with the part's plugin options).

use std::fmt::Write as _;

use crate::core::document::Document;
use crate::core::ide::schema_nav;
use crate::core::yaml::PathSeg;

/// The schema's title, types, description, allowed values and default for a path.
pub(super) fn hover(doc: &Document, path: &[PathSeg]) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let plugin = match path {
        [PathSeg::Key(p), PathSeg::Key(_), ..] if p == "parts" => doc
            .tree
            .at_path(&path[..2])
            .and_then(|n| doc.tree.get(n, "plugin"))
            .and_then(|n| doc.tree.text(n))
            .map(str::to_owned),
        _ => None,
    };
    let s = schema_nav::schema_at(path, plugin.as_deref())?;
    let d = schema_nav::describe(s, plugin.as_deref());
    let key = path.iter().rev().find_map(|s| match s {
        PathSeg::Key(k) => Some(k.as_str()),
        PathSeg::Index(_) => None,
    })?;
    let mut md = match &d.title {
        Some(t) => format!("**{t}** (`{key}`)"),
        None => format!("**`{key}`**"),
    };
    if !d.types.is_empty() {
        let types: Vec<&str> = d
            .types
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();
        if !types.is_empty() {
            let _ = write!(md, ": {}", types.join(" or "));
        }
    }
    if let Some(desc) = &d.description {
        md.push_str("\n\n");
        md.push_str(desc.trim());
    }
    if !d.allowed.is_empty() {
        let vals: Vec<String> = d.allowed.iter().map(|v| format!("`{v}`")).collect();
        let _ = write!(md, "\n\nAllowed values: {}", vals.join(", "));
    }
    if let Some(def) = &d.default {
        let _ = write!(md, "\n\nDefault: `{def}`");
    }
    if let Some(p) = &plugin
        && schema_nav::schema_at(path, None).is_none()
    {
        let _ = write!(md, "\n\nOption of the `{p}` plugin.");
    }
    Some(md)
}
