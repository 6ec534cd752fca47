//! Navigation of rockcraft's JSON schema by document path, for hover documentation.
//!
//! Follows `properties`, `patternProperties`, `additionalProperties`, `items`, `anyOf`/`oneOf`
//! branches, `allOf` (including the part schema's `if plugin == X then …` blocks) and `$ref`.

use crate::core::schema::{self, Kind, Value};
use crate::core::yaml::PathSeg;

/// The schema alternatives a schema stands for: itself (after `$ref`) and its `anyOf`/`oneOf`
/// branches and `allOf` members, recursively (plugin blocks only for `plugin`).
fn alternatives(s: Value, plugin: Option<&str>, out: &mut Vec<Value>, depth: u8) {
    let s = schema::deref(s);
    if depth > 6 || out.contains(&s) {
        return;
    }
    out.push(s);
    for key in ["anyOf", "oneOf", "allOf"] {
        for b in s.get(key).and_then(Value::as_array).into_iter().flatten() {
            if let Some(cond) = b
                .pointer("/if/properties/plugin/const")
                .and_then(Value::as_str)
            {
                if plugin == Some(cond)
                    && let Some(then) = b.get("then")
                {
                    alternatives(then, plugin, out, depth + 1);
                }
                continue;
            }
            alternatives(b, plugin, out, depth + 1);
        }
    }
}

fn child(s: Value, seg: &PathSeg) -> Option<Value> {
    match seg {
        PathSeg::Key(k) => {
            if let Some(p) = s.get("properties").and_then(|p| p.get(k)) {
                return Some(p);
            }
            if let Some(pp) = s.get("patternProperties").and_then(Value::as_object) {
                for (pat, sub) in pp {
                    if schema::pattern(pat).is_some_and(|re| re.is_match(k)) {
                        return Some(sub);
                    }
                }
            }
            s.get("additionalProperties").filter(|a| a.is_object())
        }
        PathSeg::Index(_) => s.get("items").filter(|a| a.is_object()),
    }
}

/// The schema of the value at `path` (from the document root). `plugin` is the plugin of the
/// part the path goes through, if any, so plugin-specific keys resolve.
#[must_use]
pub fn schema_at(path: &[PathSeg], plugin: Option<&str>) -> Option<Value> {
    let mut cur: Value = schema::root();
    for seg in path {
        let mut alts = Vec::new();
        alternatives(cur, plugin, &mut alts, 0);
        cur = alts.iter().find_map(|&a| child(a, seg))?;
    }
    Some(cur)
}

/// Hover documentation gathered from a schema and its alternatives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemaDoc {
    pub title: Option<String>,
    pub description: Option<String>,
    pub allowed: Vec<String>,
    pub default: Option<String>,
    pub types: Vec<String>,
}

/// Title, description, allowed values, default and types of a schema.
#[must_use]
pub fn describe(s: Value, plugin: Option<&str>) -> SchemaDoc {
    let mut alts = Vec::new();
    alternatives(s, plugin, &mut alts, 0);
    let mut d = SchemaDoc::default();
    for a in alts {
        if d.title.is_none() {
            d.title = a.get("title").and_then(Value::as_str).map(str::to_owned);
        }
        if d.description.is_none() {
            d.description = a
                .get("description")
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .map(str::to_owned);
        }
        if d.default.is_none() {
            d.default = a
                .get("default")
                .filter(|v| !v.is_null())
                .map(|v| match v.kind() {
                    Kind::String(s) => s.to_owned(),
                    _ => v.to_string(),
                });
        }
        for v in a
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let s = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            if !d.allowed.contains(&s) {
                d.allowed.push(s);
            }
        }
        if let Some(c) = a.get("const") {
            let s = c.as_str().map_or_else(|| c.to_string(), str::to_owned);
            if !d.allowed.contains(&s) {
                d.allowed.push(s);
            }
        }
        if let Some(t) = a.get("type").and_then(Value::as_str)
            && !d.types.iter().any(|x| x == t)
        {
            d.types.push(t.to_owned());
        }
    }
    d
}
