//! Hover: what the name under the cursor stands for (an extension, a part or service it refers
//! to, a package, a slice, an architecture, a framework's `prime` rule), the expanded service,
//! part or extension contribution, or the schema's documentation. One file per kind of answer.

mod expanded;
mod extensions;
mod items;
mod prime;
mod references;
mod schema;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use crate::core::document::Document;
use crate::core::emit::to_yaml_string_unfolded;
use crate::core::ide::expansion::ExpansionResult;
use crate::core::packages::PackageIndexes;
use crate::core::text::TextRange;
use crate::core::yaml::{NodeId, PathSeg};

/// Markdown to show for a range of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverResult {
    pub range: TextRange,
    pub markdown: String,
}

/// What a hover may draw on besides the document.
#[derive(Clone, Copy, Default)]
pub struct Sources<'a> {
    /// The latest finished expansion of the document.
    pub expansion: Option<&'a ExpansionResult>,
    /// Whether that expansion is of an earlier version of the text (a newer one is pending or
    /// cannot run): names are looked up in it all the same, and the hover says so.
    pub stale: bool,
    /// Chisel slices and Debian packages per release (`None`: the bundled slice index only).
    pub packages: Option<&'a dyn PackageIndexes>,
}

/// Hover at a byte offset, with the expansion of the current text (if any).
#[must_use]
pub fn hover(
    doc: &Document,
    expansion: Option<&ExpansionResult>,
    offset: u32,
) -> Option<HoverResult> {
    hover_with(
        doc,
        &Sources {
            expansion,
            ..Sources::default()
        },
        offset,
    )
}

/// The position being hovered, with what every kind of answer needs.
struct At<'a> {
    doc: &'a Document,
    node: NodeId,
    path: &'a [PathSeg],
    is_key: bool,
    /// The expanded project of the latest successful expansion.
    expanded: Option<&'a Value>,
}

impl At<'_> {
    /// The hovered scalar's text.
    fn text(&self) -> Option<&str> {
        self.doc.tree.text(self.node)
    }
}

/// A hover's text, and whether it shows something from the expansion.
struct Text {
    markdown: String,
    from_expansion: bool,
}

impl Text {
    fn plain(markdown: String) -> Self {
        Self {
            markdown,
            from_expansion: false,
        }
    }

    fn expanded(markdown: String) -> Self {
        Self {
            markdown,
            from_expansion: true,
        }
    }
}

/// Said under an answer taken from an expansion of an earlier version of the text.
const STALE_NOTE: &str = "*From the last finished expansion, of an earlier version of this file.*";

/// Hover at a byte offset.
#[must_use]
pub fn hover_with(doc: &Document, sources: &Sources<'_>, offset: u32) -> Option<HoverResult> {
    let node = doc.tree.node_at(offset)?;
    if Some(node) == doc.tree.root {
        return None;
    }
    let (path, is_key) = doc.tree.path_of(node);
    let range = doc.range(node);
    let at = At {
        doc,
        node,
        path: &path,
        is_key,
        expanded: sources.expansion.and_then(|e| e.expanded.as_ref()),
    };
    let text = items::hover(&at, sources.packages)
        .or_else(|| references::hover(&at))
        .or_else(|| extensions::hover(&at, sources.expansion))
        .or_else(|| prime::hover(&at, sources.expansion))
        .or_else(|| expanded::hover(&at, sources.expansion))
        .or_else(|| schema::hover(doc, &path).map(Text::plain))?;
    let markdown = if text.from_expansion && sources.stale {
        format!("{}\n\n{STALE_NOTE}", text.markdown)
    } else {
        text.markdown
    };
    Some(HoverResult { range, markdown })
}

/// Why the expansion has no result, as a line to put above what is shown instead; `None` when
/// it has one or was not run.
fn failure_note(expansion: Option<&ExpansionResult>) -> Option<String> {
    let e = expansion.filter(|e| e.expanded.is_none())?;
    let first = e
        .diagnostics
        .iter()
        .find(|d| d.severity == crate::core::diagnostic::Severity::Error)?;
    let line = first.message.lines().next().unwrap_or_default();
    Some(format!(
        "*The extensions cannot be expanded right now, so the generated result is not shown:* {line}"
    ))
}

fn yaml_block(v: &Value) -> String {
    format!("```yaml\n{}```", to_yaml_string_unfolded(v))
}

/// `{key: {name: v}}`.
fn wrap(key: &str, name: &str, v: &Value) -> Value {
    let mut inner = Map::new();
    inner.insert(name.to_owned(), v.clone());
    wrap_one(key, &Value::Object(inner))
}

/// `{key: v}`.
fn wrap_one(key: &str, v: &Value) -> Value {
    let mut m = Map::new();
    m.insert(key.to_owned(), v.clone());
    Value::Object(m)
}

/// The keys the user wrote under `section.name`, as `section.name.key` strings.
fn user_keys(doc: &Document, section: &str, name: &str) -> Vec<String> {
    doc.section(section)
        .iter()
        .find(|e| doc.tree.text(e.key) == Some(name))
        .map(|e| {
            doc.tree
                .entries(e.value)
                .iter()
                .filter_map(|k| doc.tree.text(k.key))
                .map(|k| format!("`{section}.{name}.{k}`"))
                .collect()
        })
        .unwrap_or_default()
}

/// Where a generated part or service comes from, and what of it the user wrote.
fn origin_note(doc: &Document, ext: &str, section: &str, names: &[String]) -> String {
    let mut mine = Vec::new();
    for n in names {
        mine.extend(user_keys(doc, section, n));
    }
    if mine.is_empty() {
        format!("Generated by `{ext}`; nothing here comes from your rockcraft.yaml.")
    } else {
        format!(
            "Generated by `{ext}`, merged with what you wrote: {}.",
            mine.join(", ")
        )
    }
}

/// `1 part`, `2 parts`, `0 parts`.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
