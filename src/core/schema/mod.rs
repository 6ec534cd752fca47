//! rockcraft's JSON schema (vendored in `schemas/rockcraft.json`) and navigation over it.

pub mod validate;

use std::sync::LazyLock;

use serde_json::Value;

static SCHEMA: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../schemas/rockcraft.json")).unwrap_or(Value::Null)
});

/// The root schema.
#[must_use]
pub fn root() -> &'static Value {
    &SCHEMA
}

/// Follows a local `$ref` (`#/$defs/Name`); other schemas are returned as they are.
#[must_use]
pub fn deref(schema: &'static Value) -> &'static Value {
    let mut s = schema;
    for _ in 0..8 {
        match s
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            Some(name) => match root().get("$defs").and_then(|d| d.get(name)) {
                Some(t) => s = t,
                None => return s,
            },
            None => return s,
        }
    }
    s
}

/// The `properties` of a schema (after `$ref`), if any.
#[must_use]
pub fn properties(schema: &'static Value) -> Option<&'static serde_json::Map<String, Value>> {
    deref(schema).get("properties").and_then(Value::as_object)
}

/// Plugin-specific part schemas: `(plugin name, then-schema)` for each `if plugin == X` block.
#[must_use]
pub fn plugin_blocks() -> Vec<(&'static str, &'static Value)> {
    let Some(all) = root()
        .pointer("/$defs/Part/allOf")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    all.iter()
        .filter_map(|b| {
            let name = b.pointer("/if/properties/plugin/const")?.as_str()?;
            Some((name, b.get("then")?))
        })
        .collect()
}

/// The plugin whose options include `key`, when exactly one plugin owns it.
#[must_use]
pub fn plugin_owning_key(key: &str) -> Option<&'static str> {
    let common = properties(root().pointer("/$defs/Part")?)?;
    if common.contains_key(key) {
        return None;
    }
    plugin_blocks()
        .into_iter()
        .find(|(_, then)| {
            then.pointer("/properties")
                .and_then(|p| p.get(key))
                .is_some()
        })
        .map(|(n, _)| n)
}
