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

/// The indentation step the document uses (first nested block entry), default 2.
#[must_use]
pub fn indent_unit(doc: &Document) -> usize {
    let Some(root) = doc.root_map() else { return 2 };
    for e in doc.tree.entries(root) {
        if let Some(first) = doc.tree.entries(e.value).first()
            && !is_flow(doc, e.value)
        {
            let c = column(doc, first.key);
            if c > 0 {
                return c;
            }
        }
    }
    2
}

fn is_flow(doc: &Document, id: NodeId) -> bool {
    doc.text_at(doc.range(id)).starts_with(['{', '['])
}

/// `value` printed as block YAML with every line indented by `indent` spaces.
#[must_use]
pub fn block(value: &Value, indent: usize, unit: usize) -> String {
    let text = to_yaml_string_unfolded(value);
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for line in text.lines() {
        // Re-indent the emitter's 2-space nesting to the document's unit.
        let lead = line.len() - line.trim_start_matches(' ').len();
        let depth = lead / 2;
        let rest = &line[lead..];
        out.push_str(&pad);
        out.push_str(&" ".repeat(depth * unit + lead % 2));
        out.push_str(rest);
        out.push('\n');
    }
    out
}

/// The offset just after the line on which a node ends (where a sibling line may start), and
/// whether a newline must be written first (end of text without one).
fn after_node(doc: &Document, id: NodeId) -> (usize, bool) {
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
    let mut unit = indent_unit(doc);
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
                    unit = col;
                }
                indent = col;
                map = e.value;
            }
            Some(e) if doc.tree.is_null(e.value) && doc.text_at(doc.range(e.value)).is_empty() => {
                // `key:` with nothing: write the rest below it.
                let rest = nest(&keys[depth + 1..], entries);
                let (pos, nl) = after_node(doc, e.key);
                let ind = column(doc, e.key) + unit;
                let mut text = String::new();
                if nl {
                    text.push('\n');
                }
                text.push_str(&block(&rest, ind, unit));
                return Some(insert_at(pos, text));
            }
            Some(_) => return None,
            None => {
                let rest = nest(&keys[depth..], entries);
                let ind = if depth == 0 { 0 } else { indent };
                let entries_here = doc.tree.entries(map);
                let last = entries_here.last()?;
                let (pos, nl) = after_node(doc, last.value.max(last.key));
                let mut text = String::new();
                if nl {
                    text.push('\n');
                }
                text.push_str(&block(&rest, ind, unit));
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
    text.push_str(&block(&Value::Object(missing), indent, unit));
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

/// Applies edits to a text (edits must not overlap), for tests and previews.
#[must_use]
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
    let mut out = text.to_owned();
    for e in sorted {
        out.replace_range(
            usize::from(e.range.start())..usize::from(e.range.end()),
            &e.text,
        );
    }
    out
}
