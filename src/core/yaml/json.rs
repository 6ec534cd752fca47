//! Converts the tree to a `serde_json::Value` (the data `PyYAML` would load), expanding aliases
//! and `<<` merge keys under a hard budget.

use serde_json::{Map, Number, Value};

use super::{
    MAX_DEPTH, NodeId, NodeKind, ScalarValue, Tree, YamlError, YamlErrorKind, big_int_digits,
};

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
    /// How deep the value being built is.
    depth: usize,
    /// Whether [`MAX_DEPTH`] was reported.
    reported_too_deep: bool,
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
        depth: 0,
        reported_too_deep: false,
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

/// Whether [`to_json`] can report a problem on `tree`: only aliases (a bomb, a recursion, a
/// nesting deeper than [`MAX_DEPTH`] through them) and keys that are not scalars can. Without
/// them every node is converted once, so the budget is never spent, and the tree itself nests
/// at most [`MAX_DEPTH`] collections deep.
#[must_use]
pub fn conversion_may_fail(tree: &Tree) -> bool {
    tree.nodes.iter().any(|n| match &n.kind {
        NodeKind::Alias { .. } => true,
        NodeKind::Mapping { entries, .. } => entries
            .iter()
            .any(|e| !matches!(tree.node(e.key).kind, NodeKind::Scalar(_))),
        _ => false,
    })
}

/// The JSON form of a scalar value.
#[must_use]
pub fn scalar_json(text: &str, value: &ScalarValue) -> Value {
    match value {
        ScalarValue::Null => Value::Null,
        ScalarValue::Bool(b) => Value::Bool(*b),
        ScalarValue::Int(i) => Value::Number((*i).into()),
        ScalarValue::BigInt => {
            let digits = big_int_digits(text);
            digits
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map_or_else(|| Value::String(digits), Value::Number)
        }
        ScalarValue::Float(f) => {
            Number::from_f64(*f).map_or_else(|| Value::String(text.to_owned()), Value::Number)
        }
        ScalarValue::Timestamp | ScalarValue::Str => Value::String(text.to_owned()),
    }
}

impl Ctx<'_> {
    /// The value of a node, nested [`MAX_DEPTH`] deep at most: the tree itself is no deeper,
    /// but aliases can nest it further (`c2: &c2 [*c1]`, `k2: &k2 {<<: *k1}`), and every
    /// walk of the value recurses per level.
    fn value(&mut self, id: NodeId) -> Value {
        // `MAX_DEPTH` collections, and the scalar at the bottom of them.
        if self.depth > MAX_DEPTH {
            self.too_deep(id);
            return Value::Null;
        }
        self.depth += 1;
        let v = self.value_within_depth(id);
        self.depth -= 1;
        v
    }

    #[cold]
    fn too_deep(&mut self, id: NodeId) {
        if !self.reported_too_deep {
            self.reported_too_deep = true;
            self.errors.push(YamlError {
                range: self.tree.span(self.outer_alias.unwrap_or(id)),
                kind: YamlErrorKind::TooDeep,
                message: format!(
                    "expanding the aliases (and `<<` merge keys) of this value goes more than {MAX_DEPTH} levels deep, past this checker's limit; the deeper levels are read as null. Replace the chain of aliases with plain values"
                ),
            });
        }
    }

    fn value_within_depth(&mut self, id: NodeId) -> Value {
        if self.budget == 0 {
            self.budget_exhausted(id);
            return Value::Null;
        }
        self.budget -= 1;
        let tree = self.tree;
        match &tree.node(id).kind {
            NodeKind::Scalar(s) => scalar_json(&s.text, &s.value),
            NodeKind::Sequence { items, .. } => self.sequence(items),
            NodeKind::Mapping { entries, .. } => self.mapping(entries),
            NodeKind::Alias { target: None } => Value::Null,
            NodeKind::Alias { target: Some(t) } => self.alias(id, *t),
        }
    }

    #[cold]
    fn budget_exhausted(&mut self, id: NodeId) {
        if !self.exhausted {
            self.exhausted = true;
            self.errors.push(YamlError {
                range: self.tree.span(self.outer_alias.unwrap_or(id)),
                kind: YamlErrorKind::AliasBudget,
                message: "expanding the aliases of this file would produce a huge document (an alias bomb); the rest is not expanded. Replace the nested aliases with plain values".into(),
            });
        }
    }

    // The levels recurse through the functions below: each is kept apart (and small) so that
    // a level costs only the stack its own kind needs.

    #[inline(never)]
    fn sequence(&mut self, items: &[NodeId]) -> Value {
        let mut out = Vec::with_capacity(items.len());
        for &i in items {
            out.push(self.value(i));
        }
        Value::Array(out)
    }

    #[inline(never)]
    fn mapping(&mut self, entries: &[super::Entry]) -> Value {
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
            return Value::Object(map);
        }
        // PyYAML puts merged pairs before the mapping's own pairs (later merge sources
        // first), then builds the dict in that order: a key keeps the position of its first
        // appearance and the value of its last.
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

    #[inline(never)]
    fn alias(&mut self, id: NodeId, target: NodeId) -> Value {
        if self.active.contains(&target) || self.is_ancestor(target, id) {
            self.errors.push(YamlError {
                range: self.tree.span(id),
                kind: YamlErrorKind::RecursiveAlias,
                message: "this alias refers to a node that contains it, which would never end; use a plain value".into(),
            });
            return Value::Null;
        }
        self.active.push(target);
        let outermost = self.outer_alias.is_none();
        if outermost {
            self.outer_alias = Some(id);
        }
        // The alias and its target are one level.
        let v = self.value_within_depth(target);
        if outermost {
            self.outer_alias = None;
        }
        self.active.pop();
        v
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

    /// Mapping keys as the strings Python would compare: the scalar's text. A mapping or a
    /// list cannot be a key (`PyYAML` refuses it as unhashable): it is reported and stands as
    /// a short placeholder, never converted (converting nested keys to text would grow
    /// exponentially with their nesting).
    fn key(&mut self, id: NodeId) -> String {
        let resolved = self.tree.resolve(id);
        let node = self.tree.node(resolved);
        let what = match &node.kind {
            NodeKind::Scalar(s) => return s.text.to_string(),
            NodeKind::Mapping { .. } => "a mapping",
            NodeKind::Sequence { .. } => "a list",
            NodeKind::Alias { .. } => "this value",
        };
        let span = self.tree.span(id);
        self.errors.push(YamlError {
            range: span,
            kind: YamlErrorKind::UnhashableKey,
            message: format!(
                "{what} is used as a key here, which rockcraft's YAML loader refuses (\"found unhashable key\"): keys must be plain strings, such as `name:`"
            ),
        });
        format!("<key at {}>", u32::from(span.start()))
    }
}
