//! Names that refer to a part (`after:` of a part) or a service (`after`/`before`/`requires` of
//! a service, `entrypoint-service`): the definition they resolve to, from the expanded project
//! when there is one (a generated part or service included), else from the document.

use std::fmt::Write as _;

use super::{At, Text, origin_note, wrap, yaml_block};
use crate::core::ide::names::{self, NameKind, Role};

/// The hover of a reference to a part or service.
pub(super) fn hover(at: &At<'_>) -> Option<Text> {
    let o = names::at(at.doc, at.doc.range(at.node).start().into()).filter(|o| {
        o.node == at.node
            && o.role == Role::Reference
            && matches!(o.kind, NameKind::Part | NameKind::Service)
    })?;
    Some(resolve(at, o.kind, &o.name))
}

fn resolve(at: &At<'_>, kind: NameKind, name: &str) -> Text {
    let doc = at.doc;
    let section = kind.section();
    let noun = match kind {
        NameKind::Part => "Part",
        NameKind::Service => "Service",
        NameKind::Check => "Check",
        NameKind::Platform => "Platform",
    };
    let written = doc
        .section(section)
        .iter()
        .find(|e| doc.tree.text(e.key) == Some(name))
        .copied();
    let line = written.map(|e| doc.line_number(doc.key_range(e).start()));
    let generated_by = names::generator(doc, kind, name);
    let mut md = format!("**{noun} `{name}`**");
    let origin = match (generated_by, line) {
        (Some(ext), _) => origin_note(doc, ext, section, &[name.to_owned()]),
        (None, Some(l)) => format!("Defined at line {l} of this file."),
        (None, None) => String::new(),
    };
    if let Some(v) = at
        .expanded
        .and_then(|e| e.get(section))
        .and_then(|s| s.get(name))
    {
        let _ = write!(
            md,
            " (expanded)\n\n{origin}\n\n{}",
            yaml_block(&wrap(section, name, v))
        );
        return Text::expanded(md);
    }
    match (written, generated_by) {
        (Some(e), _) => {
            let _ = write!(md, "\n\n{origin}");
            let fields: &[&str] = match kind {
                NameKind::Part => &["plugin", "source"],
                NameKind::Service => &["command", "override", "startup"],
                NameKind::Check | NameKind::Platform => &[],
            };
            let summary: Vec<String> = fields
                .iter()
                .filter_map(|f| {
                    let v = doc.tree.get(e.value, f)?;
                    Some(format!("`{f}: {}`", doc.tree.text(v)?))
                })
                .collect();
            if !summary.is_empty() {
                let _ = write!(md, " {}.", summary.join(", "));
            }
        }
        (None, Some(_)) => {
            let _ = write!(
                md,
                "\n\n{origin} Its definition shows here once the project expands."
            );
        }
        (None, None) => {
            let _ = write!(
                md,
                "\n\nNo {} of this project, written or generated, is named `{name}`.",
                kind.noun()
            );
        }
    }
    Text::plain(md)
}
