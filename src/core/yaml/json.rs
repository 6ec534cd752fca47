//! Converts the tree to a `serde_json::Value` (the data `PyYAML` would load), expanding aliases
//! and `<<` merge keys under a hard budget.

use serde_json::{Map, Number, Value};

use super::{NodeId, NodeKind, ScalarValue, Tree, YamlError, YamlErrorKind};

/// The JSON value of a document and any problems met while expanding aliases.
#[derive(Debug, Clone)]
pub struct ToJson {
    pub value: Value,
    pub errors: Vec<YamlError>,
}

struct Ctx<'a> {
    tree: &'a Tree,
    budget: usize,
    errors: Vec<YamlError>,
    /// Alias targets being expanded (to catch recursion).
    active: Vec<NodeId>,
    /// The outermost alias being expanded: where an alias bomb is reported, since the
    /// node that happens to exhaust the budget is deep inside the anchors.
    outer_alias: Option<NodeId>,
    exhausted: bool,
}

/// Converts the whole tree. A missing root is `null`.
#[must_use]
pub fn to_json(tree: &Tree) -> ToJson {
    // Each node of the source may be produced many times through aliases; allow a generous
    // multiple of the document's own size, then stop.
    let budget = tree.nodes.len().saturating_mul(4).max(100_000);
    let mut ctx = Ctx {
        tree,
        budget,
        errors: Vec::new(),
        active: Vec::new(),
        outer_alias: None,
        exhausted: false,
    };
    let value = match tree.root {
        Some(root) => ctx.value(root),
        None => Value::Null,
    };
    ToJson {
        value,
        errors: ctx.errors,
    }
}

/// The JSON form of a scalar value.
#[must_use]
pub fn scalar_json(text: &str, value: &ScalarValue) -> Value {
    match value {
        ScalarValue::Null => Value::Null,
        ScalarValue::Bool(b) => Value::Bool(*b),
        ScalarValue::Int(i) => Value::Number((*i).into()),
        ScalarValue::BigInt(s) => s
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::String(s.clone()), Value::Number),
        ScalarValue::Float(f) => {
            Number::from_f64(*f).map_or_else(|| Value::String(text.to_owned()), Value::Number)
        }
        ScalarValue::Timestamp | ScalarValue::Str => Value::String(text.to_owned()),
    }
}

impl Ctx<'_> {
    fn value(&mut self, id: NodeId) -> Value {
        if self.budget == 0 {
            if !self.exhausted {
                self.exhausted = true;
                self.errors.push(YamlError {
                    range: self.tree.node(self.outer_alias.unwrap_or(id)).span,
                    kind: YamlErrorKind::AliasBudget,
                    message: "expanding the aliases of this file would produce a huge document (an alias bomb); the rest is not expanded. Replace the nested aliases with plain values".into(),
                });
            }
            return Value::Null;
        }
        self.budget -= 1;
        let node = self.tree.node(id);
        match &node.kind {
            NodeKind::Scalar(s) => scalar_json(&s.text, &s.value),
            NodeKind::Sequence { items, .. } => {
                Value::Array(items.iter().map(|&i| self.value(i)).collect())
            }
            NodeKind::Mapping { entries, .. } => {
                let mut map = Map::new();
                let mut merged: Vec<Map<String, Value>> = Vec::new();
                for e in entries {
                    let key_is_merge = matches!(&self.tree.node(e.key).kind,
                        NodeKind::Scalar(s) if s.text == "<<" && s.style == super::ScalarStyle::Plain);
                    if key_is_merge {
                        match self.value(e.value) {
                            Value::Object(m) => merged.push(m),
                            Value::Array(list) => {
                                for v in list {
                                    if let Value::Object(m) = v {
                                        merged.push(m);
                                    }
                                }
                            }
                            _ => {}
                        }
                        continue;
                    }
                    let key = self.key(e.key);
                    let value = self.value(e.value);
                    map.insert(key, value);
                }
                if merged.is_empty() {
                    Value::Object(map)
                } else {
                    // PyYAML puts merged pairs before the mapping's own pairs (later merge
                    // sources first), then builds the dict in that order: a key keeps the
                    // position of its first appearance and the value of its last.
                    let mut out = Map::new();
                    for m in merged.into_iter().rev() {
                        for (k, v) in m {
                            out.insert(k, v);
                        }
                    }
                    for (k, v) in map {
                        out.insert(k, v);
                    }
                    Value::Object(out)
                }
            }
            NodeKind::Alias { target: None } => Value::Null,
            NodeKind::Alias { target: Some(t) } => {
                let t = *t;
                if self.active.contains(&t) || self.is_ancestor(t, id) {
                    self.errors.push(YamlError {
                        range: node.span,
                        kind: YamlErrorKind::RecursiveAlias,
                        message: "this alias refers to a node that contains it, which would never end; use a plain value".into(),
                    });
                    return Value::Null;
                }
                self.active.push(t);
                let outermost = self.outer_alias.is_none();
                if outermost {
                    self.outer_alias = Some(id);
                }
                let v = self.value(t);
                if outermost {
                    self.outer_alias = None;
                }
                self.active.pop();
                v
            }
        }
    }

    fn is_ancestor(&self, maybe_ancestor: NodeId, mut id: NodeId) -> bool {
        while let Some(p) = self.tree.node(id).parent {
            if p == maybe_ancestor {
                return true;
            }
            id = p;
        }
        false
    }

    /// Mapping keys as the strings Python would compare: the scalar's text. Non-scalar keys
    /// cannot be JSON keys and are shown in a compact form.
    fn key(&mut self, id: NodeId) -> String {
        let id = self.tree.resolve(id);
        if let NodeKind::Scalar(s) = &self.tree.node(id).kind {
            s.text.clone()
        } else {
            let v = self.value(id);
            v.to_string()
        }
    }
}
