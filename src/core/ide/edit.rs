//! Indentation-aware insertions into block YAML: add an entry to a (possibly missing) mapping,
//! merging with what is already written.

use serde_json::{Map, Value};

use crate::core::diagnostic::Edit;
use crate::core::document::Document;
use crate::core::emit::to_yaml_string_unfolded;
use crate::core::text::{TextRange, TextSize, line_start, next_line_start};
use crate::core::yaml::NodeId;

fn column(doc: &Document, id: NodeId) -> usize {
    let s = usize::from(doc.range(id).start());
    s - line_start(&doc.text, s)
}

/// How a document indents its blocks, so that what is inserted into it looks written by the
/// same hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Indentation {
    /// Columns from a key to the keys of the mapping below it.
    pub unit: usize,
    /// Columns from a key to the `-` of the block sequence below it: 0 for "indentless"
    /// sequences (`key:` then `- item` in the key's column).
    pub sequence: usize,
}

/// The indentation of documents that show none: two columns, sequences indented under their
/// key (as `rockcraft init` writes).
pub const DEFAULT_INDENTATION: Indentation = Indentation {
    unit: 2,
    sequence: 2,
};

/// How `doc` indents: the step of its first nested block mapping (else the offset of an
/// indented sequence), and the offset of its first block sequence under a key (the mapping
/// step when it has none); [`DEFAULT_INDENTATION`] where it shows neither.
#[must_use]
pub fn indentation(doc: &Document) -> Indentation {
    let Some(root) = doc.root_map() else {
        return DEFAULT_INDENTATION;
    };
    let (mut unit, mut sequence) = (None, None);
    // Depth first, in document order, until both are seen.
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if unit.is_some() && sequence.is_some() {
            break;
        }
        let entries = doc.tree.entries(node);
        for e in entries {
            if is_flow(doc, e.value) {
                continue;
            }
            let key_col = column(doc, e.key);
            if let Some(first) = doc.tree.entries(e.value).first() {
                let col = column(doc, first.key);
                if unit.is_none() && col > key_col && line_of(doc, first.key) > line_of(doc, e.key)
                {
                    unit = Some(col - key_col);
                }
            } else if let Some(&first) = doc.tree.items(e.value).first()
                && sequence.is_none()
                && line_of(doc, first) > line_of(doc, e.key)
            {
                // The `-` of the first item starts its line.
                let s = usize::from(doc.range(first).start());
                let ls = line_start(&doc.text, s);
                let lead = doc.text[ls..s].len() - doc.text[ls..s].trim_start_matches(' ').len();
                sequence = Some(lead.saturating_sub(key_col));
            }
        }
        // Children pushed in reverse, so the first is visited first.
        for e in entries.iter().rev() {
            stack.push(e.value);
        }
        for &item in doc.tree.items(node).iter().rev() {
            stack.push(item);
        }
    }
    // Without a nested mapping, an indented sequence shows the step.
    let unit = unit
        .or(sequence.filter(|s| *s > 0))
        .unwrap_or(DEFAULT_INDENTATION.unit);
    Indentation {
        unit,
        sequence: sequence.unwrap_or(unit),
    }
}

fn line_of(doc: &Document, id: NodeId) -> usize {
    line_start(&doc.text, usize::from(doc.range(id).start()))
}

fn is_flow(doc: &Document, id: NodeId) -> bool {
    doc.text_at(doc.range(id)).starts_with(['{', '['])
}

/// `value` printed as block YAML whose first line starts at column `indent`, nested the way
/// `ind` says. Scalars are written as the emitter writes them (quoted where YAML would read
/// them otherwise, `|` blocks for multi-line strings). Ends with a line break.
#[must_use]
pub fn block(value: &Value, indent: usize, ind: Indentation) -> String {
    let mut out = String::new();
    write_node(&mut out, value, indent, ind);
    out
}

fn write_node(out: &mut String, value: &Value, indent: usize, ind: Indentation) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                out.push_str(&" ".repeat(indent));
                out.push_str(&key_text(k));
                out.push(':');
                match v {
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        write_node(out, v, indent + ind.unit, ind);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        write_node(out, v, indent + ind.sequence, ind);
                    }
                    _ => {
                        out.push(' ');
                        out.push_str(&scalar_text(v, indent));
                        out.push('\n');
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                let nested = matches!(item, Value::Object(m) if !m.is_empty())
                    || matches!(item, Value::Array(a) if !a.is_empty());
                if nested {
                    // The item's block, its first line's indentation taken by the `- `.
                    let mut inner = String::new();
                    write_node(&mut inner, item, indent + 2, ind);
                    out.push_str(&" ".repeat(indent));
                    out.push_str("- ");
                    out.push_str(&inner[indent + 2..]);
                } else {
                    out.push_str(&" ".repeat(indent));
                    out.push_str("- ");
                    out.push_str(&scalar_text(item, indent));
                    out.push('\n');
                }
            }
        }
        _ => {
            out.push_str(&" ".repeat(indent));
            out.push_str(&scalar_text(value, indent));
            out.push('\n');
        }
    }
}

/// A scalar (or an empty collection) as the value of a key or item in column `col`, without
/// the final line break: the emitter's text, its continuation lines (a `|` block) moved with
/// the key.
fn scalar_text(value: &Value, col: usize) -> String {
    let mut one = Map::new();
    one.insert("k".into(), value.clone());
    let text = to_yaml_string_unfolded(&Value::Object(one));
    let text = text.strip_prefix("k: ").unwrap_or(&text);
    let pad = " ".repeat(col);
    let mut out = String::new();
    for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad);
            }
        }
        out.push_str(line);
    }
    out
}

/// A mapping key as the emitter writes it (quoted where needed); a key that cannot be a
/// simple key is written as a JSON string, which YAML reads as the same text.
fn key_text(key: &str) -> String {
    let mut one = Map::new();
    one.insert(key.to_owned(), Value::Null);
    let text = to_yaml_string_unfolded(&Value::Object(one));
    match text.strip_suffix(": null\n") {
        Some(k) if !k.contains('\n') && !k.starts_with('?') => k.to_owned(),
        _ => serde_json::to_string(key).unwrap_or_default(),
    }
}

/// The offset just after the line on which a node ends (where a sibling line may start), and
/// whether a newline must be written first (end of text without one).
pub(crate) fn after_node(doc: &Document, id: NodeId) -> (usize, bool) {
    let end = usize::from(doc.range(id).end());
    // A node that ends with its line break (a block scalar): the next line starts there.
    if end > 0 && line_start(&doc.text, end) == end {
        return (end, false);
    }
    match next_line_start(&doc.text, end) {
        Some(i) => (i, false),
        None => (doc.text.len(), true),
    }
}

fn insert_at(offset: usize, text: String) -> Edit {
    let at = TextSize::from(u32::try_from(offset).unwrap_or(0));
    Edit {
        range: TextRange::empty(at),
        text,
    }
}

/// Adds `entries` under the mapping at `keys` (a path of mapping keys from the root), creating
/// missing mappings and keeping existing keys untouched (existing keys are skipped). `None`
/// when a container on the way is a flow collection or not a mapping, or nothing is missing.
#[must_use]
pub fn insert_entries(doc: &Document, keys: &[&str], entries: &Map<String, Value>) -> Option<Edit> {
    let mut ind = indentation(doc);
    let root = doc.root_map()?;
    let mut map = root;
    let mut indent = 0usize;
    for (depth, key) in keys.iter().enumerate() {
        match doc.tree.entry(map, key) {
            Some(e) if doc.tree.is_mapping(e.value) && !doc.tree.entries(e.value).is_empty() => {
                if is_flow(doc, e.value) {
                    return None;
                }
                let col = column(doc, doc.tree.entries(e.value)[0].key);
                if depth == 0 && col > 0 {
                    // Follow the indentation this section already uses.
                    ind.unit = col;
                }
                indent = col;
                map = e.value;
            }
            Some(e) if doc.tree.is_null(e.value) && doc.text_at(doc.range(e.value)).is_empty() => {
                // `key:` with nothing: write the rest below it.
                let rest = nest(&keys[depth + 1..], entries);
                let (pos, nl) = after_node(doc, e.key);
                let at = column(doc, e.key) + ind.unit;
                let mut text = String::new();
                if nl {
                    text.push('\n');
                }
                text.push_str(&block(&rest, at, ind));
                return Some(insert_at(pos, text));
            }
            Some(_) => return None,
            None => {
                let rest = nest(&keys[depth..], entries);
                let at = if depth == 0 { 0 } else { indent };
                let entries_here = doc.tree.entries(map);
                let last = entries_here.last()?;
                let (pos, nl) = after_node(doc, last.value.max(last.key));
                let mut text = String::new();
                if nl {
                    text.push('\n');
                }
                text.push_str(&block(&rest, at, ind));
                return Some(insert_at(pos, text));
            }
        }
    }
    // The mapping exists: add the missing keys after its last entry.
    let mut missing = Map::new();
    for (k, v) in entries {
        if doc.tree.entry(map, k).is_none() {
            missing.insert(k.clone(), v.clone());
        }
    }
    if missing.is_empty() {
        return None;
    }
    let last = *doc.tree.entries(map).last()?;
    let (pos, nl) = after_node(doc, last.value.max(last.key));
    let mut text = String::new();
    if nl {
        text.push('\n');
    }
    text.push_str(&block(&Value::Object(missing), indent, ind));
    Some(insert_at(pos, text))
}

fn nest(keys: &[&str], entries: &Map<String, Value>) -> Value {
    let mut v = Value::Object(entries.clone());
    for k in keys.iter().rev() {
        let mut m = Map::new();
        m.insert((*k).to_owned(), v);
        v = Value::Object(m);
    }
    v
}

/// Applies edits to a text in one walk over it (edits must not overlap; of two insertions at
/// one place, the later one in `edits` comes first, as when they are applied from the end).
/// Used by previews, `check --fix` and the tests.
#[must_use]
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<(usize, &Edit)> = edits.iter().enumerate().collect();
    sorted.sort_by_key(|&(i, e)| (e.range.start(), std::cmp::Reverse(i)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for (_, e) in sorted {
        let (start, end) = (usize::from(e.range.start()), usize::from(e.range.end()));
        out.push_str(text.get(at..start).unwrap_or_default());
        out.push_str(&e.text);
        at = at.max(end);
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ind(src: &str) -> Indentation {
        indentation(&Document::parse(src))
    }

    #[test]
    fn edits_apply_in_one_walk_as_they_would_from_the_end() {
        let at = |a: u32, b: u32, t: &str| Edit {
            range: TextRange::new(a.into(), b.into()),
            text: t.to_owned(),
        };
        let text = "name: a\nbase: b\n";
        assert_eq!(
            apply_edits(text, &[at(14, 15, "c"), at(6, 7, "x")]),
            "name: x\nbase: c\n"
        );
        // Two insertions at one place: the later one first.
        assert_eq!(
            apply_edits(text, &[at(0, 0, "A"), at(0, 0, "B")]),
            "BAname: a\nbase: b\n"
        );
        assert_eq!(apply_edits(text, &[]), text);
    }

    #[test]
    fn indentation_is_read_from_the_document() {
        assert_eq!(ind("name: a\n"), DEFAULT_INDENTATION);
        assert_eq!(
            ind("parts:\n    p:\n        plugin: nil\n        stage-packages:\n            - a\n"),
            Indentation {
                unit: 4,
                sequence: 4
            }
        );
        assert_eq!(
            ind("extensions:\n- flask-framework\nparts:\n  p:\n    plugin: nil\n"),
            Indentation {
                unit: 2,
                sequence: 0
            }
        );
        // Flow collections show nothing; a mapping without sequences: sequences by the step.
        assert_eq!(
            ind("a: {b: 1}\nc: [d]\nparts:\n   p:\n      plugin: nil\n"),
            Indentation {
                unit: 3,
                sequence: 3
            }
        );
    }

    #[test]
    fn inserted_entries_follow_the_file() {
        let entries = |v: Value| v.as_object().unwrap().clone();
        let add = json!({"override": "replace", "after": ["statsd-exporter"]});
        // Indentless sequences, 2-space mappings.
        let src = "name: a\nextensions:\n- flask-framework\nservices:\n  other:\n    command: x\n";
        let doc = Document::parse(src);
        let e = insert_entries(&doc, &["services", "flask"], &entries(add.clone())).unwrap();
        assert_eq!(
            apply_edits(src, &[e]),
            format!("{src}  flask:\n    override: replace\n    after:\n    - statsd-exporter\n")
        );
        // 4-space mappings and sequences, under a key written without a value.
        let src = "name: a\nextensions:\n    - flask-framework\nservices:\n";
        let doc = Document::parse(src);
        let e = insert_entries(&doc, &["services", "flask"], &entries(add)).unwrap();
        assert_eq!(
            apply_edits(src, &[e]),
            format!(
                "{src}    flask:\n        override: replace\n        after:\n            - statsd-exporter\n"
            )
        );
    }

    #[test]
    fn blocks_follow_the_indentation() {
        let v = json!({"parts": {"p": {"stage-packages": ["a", "b"], "build-environment": [{"X": "1", "Y": "yes"}], "override-build": "one\n  two\n"}}});
        let four = Indentation {
            unit: 4,
            sequence: 4,
        };
        assert_eq!(
            block(&v, 0, four),
            "parts:\n    p:\n        stage-packages:\n            - a\n            - b\n        build-environment:\n            - X: '1'\n              Y: 'yes'\n        override-build: |\n          one\n            two\n"
        );
        let indentless = Indentation {
            unit: 2,
            sequence: 0,
        };
        assert_eq!(
            block(&json!({"after": ["x"], "prime": []}), 4, indentless),
            "    after:\n    - x\n    prime: []\n"
        );
        // Whatever the text, what is written reads back as the value.
        let odd = json!({"": null, "a: b": ["- c", "#d", "x\ny"], "yes": {"k": 1.5}});
        let text = block(&odd, 0, four);
        let doc = Document::parse(&text);
        assert!(doc.yaml_errors.is_empty(), "{text}");
        assert_eq!(crate::core::yaml::to_json(&doc.tree).value, odd, "{text}");
    }
}
