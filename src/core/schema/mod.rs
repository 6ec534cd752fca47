//! rockcraft's JSON schema (vendored in `schemas/rockcraft.json`) and navigation over it.

mod tags;
pub mod validate;
mod value;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use regex_automata::meta::Regex;

pub use value::{Array, Kind, Object, Value};

/// The root schema.
#[must_use]
pub fn root() -> Value {
    value::ROOT
}

/// Follows a local `$ref` (`#/$defs/Name`); other schemas are returned as they are.
#[must_use]
pub fn deref(schema: Value) -> Value {
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
pub fn properties(schema: Value) -> Option<Object> {
    deref(schema).get("properties").and_then(Value::as_object)
}

/// A `patternProperties` pattern of the schema, compiled once per process (`None` when it is
/// not a valid regex), with the `regex` crate's syntax and engine but no literal prefilter:
/// building one for an alternation of words (`(amd64|arm64|...)`) costs more than a
/// process's matches of a few keys gain from it. Shared, so the search caches made for it are
/// reused from one use to the next (a copy of a `Regex` starts with none).
#[must_use]
pub fn pattern(p: &'static str) -> Option<Arc<Regex>> {
    type Compiled = HashMap<&'static str, Option<Arc<Regex>>>;
    static COMPILED: LazyLock<Mutex<Compiled>> = LazyLock::new(Mutex::default);
    match COMPILED.lock() {
        Ok(mut compiled) => compiled
            .entry(p)
            .or_insert_with(|| compile(p).map(Arc::new))
            .clone(),
        Err(_) => compile(p).map(Arc::new),
    }
}

fn compile(p: &str) -> Option<Regex> {
    Regex::builder()
        .configure(Regex::config().auto_prefilter(false))
        .build(p)
        .ok()
}

/// Plugin-specific part schemas: `(plugin name, then-schema)` for each `if plugin == X` block.
#[must_use]
pub fn plugin_blocks() -> Vec<(&'static str, Value)> {
    PLUGIN_BLOCKS.clone()
}

/// The same blocks, without copying.
#[must_use]
pub fn plugin_blocks_ref() -> &'static [(&'static str, Value)] {
    &PLUGIN_BLOCKS
}

static PLUGIN_BLOCKS: LazyLock<Vec<(&'static str, Value)>> = LazyLock::new(|| {
    let Some(all) = root()
        .get("$defs")
        .and_then(|d| d.get("Part"))
        .and_then(|p| p.get("allOf"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    all.iter()
        .filter_map(|b| {
            let name = b
                .get("if")?
                .get("properties")?
                .get("plugin")?
                .get("const")?
                .as_str()?;
            Some((name, b.get("then")?))
        })
        .collect()
});

/// The keys every part may have, whatever its plugin.
static PART_COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    root()
        .get("$defs")
        .and_then(|d| d.get("Part"))
        .and_then(|p| p.get("properties"))
        .and_then(Value::as_object)
        .map(|m| m.keys().collect())
        .unwrap_or_default()
});

/// Whether `key` is a part key shared by all plugins.
#[must_use]
pub fn is_common_part_key(key: &str) -> bool {
    PART_COMMON.contains(key)
}

/// Whether a part with `plugin` may have `key`: a key common to all parts, or one of that
/// plugin's own (an unknown plugin accepts nothing beyond the common keys).
#[must_use]
pub fn plugin_accepts_key(plugin: &str, key: &str) -> bool {
    is_common_part_key(key)
        || PLUGIN_BLOCKS.iter().any(|(p, then)| {
            *p == plugin
                && then
                    .get("properties")
                    .and_then(|props| props.get(key))
                    .is_some()
        })
}

/// The schema of a plugin-specific part key and the first plugin that has it (looked up in
/// the plugin blocks as asked: a run asks about a few keys, fewer than the blocks have).
#[must_use]
pub fn plugin_key(key: &str) -> Option<(&'static str, Value)> {
    if is_common_part_key(key) {
        return None;
    }
    PLUGIN_BLOCKS.iter().find_map(|(plugin, then)| {
        then.get("properties")?
            .get(key)
            .map(|schema| (*plugin, schema))
    })
}

/// Every part key of every plugin (common keys first).
#[must_use]
pub fn all_part_keys() -> Vec<&'static str> {
    let mut v: Vec<&str> = PART_COMMON.iter().copied().collect();
    v.sort_unstable();
    let mut extra: Vec<&str> = PLUGIN_BLOCKS
        .iter()
        .filter_map(|(_, then)| then.get("properties").and_then(Value::as_object))
        .flat_map(|props| props.iter().map(|(k, _)| k))
        .filter(|k| !is_common_part_key(k))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    v.extend(extra);
    v
}

/// The plugin whose options include `key`, when the key is not common to all plugins.
#[must_use]
pub fn plugin_owning_key(key: &str) -> Option<&'static str> {
    plugin_key(key).map(|(p, _)| p)
}
