//! What a part plugin is: the build bases that have it and its own keys, with the schema's
//! description of each.

use std::fmt::Write as _;

use super::code_list;
use crate::core::facts::{BUILD_BASES, plugin_bases};
use crate::core::schema::{self, Value};

/// A part plugin: the build bases that have it and its own keys, with the schema's
/// description of each.
#[must_use]
pub fn plugin(name: &str) -> String {
    let mut md = format!("**{name}** plugin\n\n");
    match plugin_bases(name) {
        Some(bases) if bases.len() < BUILD_BASES.len() => {
            let _ = writeln!(md, "Build bases: {}.", code_list(bases.iter().copied()));
        }
        Some(_) => md.push_str("On every build base.\n"),
        None => md.push_str("rockcraft does not offer this plugin.\n"),
    }
    let own: Vec<(&str, Option<&str>)> = schema::plugin_blocks_ref()
        .iter()
        .filter(|(p, _)| *p == name)
        .filter_map(|(_, then)| then.get("properties").and_then(Value::as_object))
        .flat_map(schema::Object::iter)
        .filter(|(k, _)| !schema::is_common_part_key(k))
        .map(|(k, v)| (k, property_description(v)))
        .collect();
    if own.is_empty() {
        md.push_str("\nNo keys of its own.");
    } else {
        md.push_str("\nIts own keys:\n");
        for (k, d) in own {
            let _ = match d {
                Some(d) => writeln!(md, "- `{k}`: {d}"),
                None => writeln!(md, "- `{k}`"),
            };
        }
    }
    md.trim_end().to_owned()
}

/// The description of a schema property (or of the first of its alternatives that has one).
fn property_description(v: Value) -> Option<&'static str> {
    let v = schema::deref(v);
    v.get("description")
        .and_then(Value::as_str)
        .or_else(|| {
            v.get("anyOf")
                .and_then(Value::as_array)?
                .iter()
                .find_map(|a| a.get("description").and_then(Value::as_str))
        })
        .map(|d| d.lines().next().unwrap_or(d))
        .filter(|d| !d.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugins_list_their_own_keys() {
        let md = plugin("go");
        assert!(md.contains("On every build base."), "{md}");
        assert!(md.contains("- `go-buildtags`"), "{md}");
        assert!(!md.contains("`source`"), "{md}");
        assert!(plugin("uv").contains("Build bases: `ubuntu@20.04`"));
        assert!(plugin("nil").contains("No keys of its own."));
    }
}
