//! Schema-driven items: the keys a mapping may still take (with snippets shaped by the value's
//! type and the schema description as documentation) and the enum/const/boolean values.

use crate::core::schema::{self, Kind, Value};

use super::context::Seg;
use super::{ItemKind, Out, Shape};

/// The non-null alternatives of a schema, `$ref`s followed and `anyOf`/`oneOf` flattened.
fn alternatives(s: Value) -> Vec<Value> {
    let s = schema::deref(s);
    let mut out = Vec::new();
    let mut nested = false;
    for k in ["anyOf", "oneOf"] {
        if let Some(alts) = s.get(k).and_then(Value::as_array) {
            nested = true;
            for a in alts {
                out.extend(alternatives(a));
            }
        }
    }
    if !nested && s.get("type").and_then(Value::as_str) != Some("null") {
        out.push(s);
    }
    // Keep the outer schema too when it carries its own enum next to `anyOf`.
    if nested && s.get("enum").is_some() {
        out.push(s);
    }
    out
}

fn part_schema() -> Option<Value> {
    schema::root().pointer("/$defs/Part")
}

fn is_part(s: Value) -> bool {
    part_schema() == Some(s)
}

fn child(s: Value, seg: &Seg) -> Vec<Value> {
    let mut out = Vec::new();
    for alt in alternatives(s) {
        match seg {
            Seg::Key(k) => {
                if let Some(p) = alt.get("properties").and_then(|p| p.get(k)) {
                    out.push(p);
                } else if is_part(alt) {
                    out.extend(
                        schema::plugin_blocks()
                            .into_iter()
                            .find_map(|(_, then)| then.pointer("/properties")?.get(k)),
                    );
                } else if let Some(ap) = alt.get("additionalProperties").filter(|v| v.is_object()) {
                    out.push(ap);
                } else if let Some(pp) = alt.get("patternProperties").and_then(Value::as_object) {
                    out.extend(pp.values().next());
                }
            }
            Seg::Item => out.extend(alt.get("items")),
        }
    }
    out
}

fn resolve(path: &[Seg]) -> Vec<Value> {
    let mut cur = vec![schema::root()];
    for seg in path {
        cur = cur.into_iter().flat_map(|s| child(s, seg)).collect();
        if cur.is_empty() {
            break;
        }
    }
    cur
}

/// The description of a property (looking into its alternatives).
fn description(s: Value) -> Option<String> {
    std::iter::once(s)
        .chain(std::iter::once(schema::deref(s)))
        .chain(alternatives(s))
        .find_map(|v| v.get("description").and_then(Value::as_str))
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
}

fn shape(s: Value) -> Shape {
    let alts = alternatives(s);
    let ty = |v: &Value, t: &str| v.get("type").and_then(Value::as_str) == Some(t);
    if alts.iter().any(|a| {
        ["string", "integer", "number", "boolean"]
            .iter()
            .any(|t| ty(a, t))
            || a.get("enum").is_some()
            || a.get("const").is_some()
    }) {
        Shape::Scalar
    } else if alts.iter().any(|a| ty(a, "array")) {
        Shape::List
    } else if alts.iter().any(|a| {
        ty(a, "object") || a.get("properties").is_some() || a.get("additionalProperties").is_some()
    }) {
        Shape::Mapping
    } else {
        Shape::Scalar
    }
}

fn type_detail(s: Value) -> String {
    let alts = alternatives(s);
    let values = enum_values(&alts);
    if !values.is_empty() {
        return format!("one of: {}", values.join(", "));
    }
    match shape(s) {
        Shape::Scalar => alts
            .iter()
            .find_map(|a| a.get("type").and_then(Value::as_str))
            .unwrap_or("string"),
        Shape::List => "list",
        Shape::Mapping => "mapping",
    }
    .to_owned()
}

fn enum_values(alts: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in alts {
        let mut push = |v: Kind| {
            let s = match v {
                Kind::String(s) => s.to_owned(),
                Kind::Bool(b) => b.to_string(),
                Kind::Number(n) => n.to_string(),
                _ => return,
            };
            if !out.contains(&s) {
                out.push(s);
            }
        };
        if let Some(e) = a.get("enum").and_then(Value::as_array) {
            e.iter().map(Value::kind).for_each(&mut push);
        }
        if let Some(c) = a.get("const") {
            push(c.kind());
        }
        if a.get("type").and_then(Value::as_str) == Some("boolean") {
            push(Kind::Bool(true));
            push(Kind::Bool(false));
        }
    }
    out
}

/// Whether the schema at `path` is a list (and not also a scalar or a mapping).
pub(super) fn is_list(path: &[Seg]) -> bool {
    resolve(path).first().is_some_and(|&s| {
        let mapping = alternatives(s)
            .iter()
            .any(|a| a.get("properties").is_some() || a.get("additionalProperties").is_some());
        shape(s) == Shape::List && !mapping
    })
}

/// The keys the mapping at `path` may still take. `plugin` adds that plugin's part options.
pub(super) fn keys(out: &mut Out<'_>, path: &[Seg], plugin: Option<&str>) {
    let mut props: Vec<(&'static str, Value)> = Vec::new();
    for s in resolve(path) {
        for alt in alternatives(s) {
            if let Some(p) = alt.get("properties").and_then(Value::as_object) {
                props.extend(p.iter());
            }
            if is_part(alt)
                && let Some(pl) = plugin
                && let Some((_, then)) = schema::plugin_blocks().into_iter().find(|(n, _)| *n == pl)
                && let Some(p) = then.get("properties").and_then(Value::as_object)
            {
                props.extend(p.iter());
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (k, v) in props {
        if !seen.insert(k) || out.has_sibling(k) {
            continue;
        }
        out.key(
            k,
            ItemKind::Key,
            shape(v),
            Some(type_detail(v)),
            description(v),
        );
    }
}

/// The enum, const and boolean values allowed at `path` (for a list item: its items).
pub(super) fn values(out: &mut Out<'_>, path: &[Seg]) {
    let mut p = path.to_vec();
    if out.ctx.slot == super::Slot::Item {
        p.push(Seg::Item);
    }
    let schemas = resolve(&p);
    let alts: Vec<Value> = schemas.iter().flat_map(|&s| alternatives(s)).collect();
    let doc = schemas.first().and_then(|&s| description(s));
    for v in enum_values(&alts) {
        if out.ctx.slot == super::Slot::Item && out.has_sibling(&v) {
            continue;
        }
        out.value(&v, ItemKind::Value, None, doc.clone());
    }
}
