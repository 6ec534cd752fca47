//! Names that refer to a part (`after:` of a part) or a service (`after`/`before`/`requires` of
//! a service, `entrypoint-service`): the definition they resolve to, from the expanded project
//! when there is one (a generated part or service included), else from the document.

use std::fmt::Write as _;

use super::{At, Text, origin_note, wrap, yaml_block};
use crate::core::extensions::registry;
use crate::core::yaml::PathSeg;

/// What kind of definition a name refers to.
#[derive(Clone, Copy)]
enum Kind {
    Part,
    Service,
}

impl Kind {
    fn section(self) -> &'static str {
        match self {
            Self::Part => "parts",
            Self::Service => "services",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Part => "Part",
            Self::Service => "Service",
        }
    }
}

/// The hover of a reference to a part or service.
pub(super) fn hover(at: &At<'_>) -> Option<Text> {
    if at.is_key {
        return None;
    }
    let kind = match at.path {
        [
            PathSeg::Key(s),
            PathSeg::Key(_),
            PathSeg::Key(k),
            PathSeg::Index(_),
        ] if s == "parts" && k == "after" => Kind::Part,
        [
            PathSeg::Key(s),
            PathSeg::Key(_),
            PathSeg::Key(k),
            PathSeg::Index(_),
        ] if s == "services" && matches!(k.as_str(), "after" | "before" | "requires") => {
            Kind::Service
        }
        [PathSeg::Key(k)] if k == "entrypoint-service" => Kind::Service,
        _ => return None,
    };
    let name = at.text()?;
    Some(resolve(at, kind, name))
}

/// The extension generating a part or service of this project, if one does.
fn generator(at: &At<'_>, kind: Kind, name: &str) -> Option<&'static str> {
    match kind {
        Kind::Part => registry::owner_of_part(name)
            .filter(|_| at.doc.is_extension_part(name))
            .map(|e| e.name),
        Kind::Service => at
            .doc
            .declared_extensions()
            .iter()
            .find(|e| e.services.contains(&name))
            .map(|e| e.name),
    }
}

fn resolve(at: &At<'_>, kind: Kind, name: &str) -> Text {
    let doc = at.doc;
    let section = kind.section();
    let noun = kind.noun();
    let written = doc
        .section(section)
        .iter()
        .find(|e| doc.tree.text(e.key) == Some(name))
        .copied();
    let line = written.map(|e| doc.line_number(doc.key_range(e).start()));
    let generated_by = generator(at, kind, name);
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
                Kind::Part => &["plugin", "source"],
                Kind::Service => &["command", "override", "startup"],
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
                noun.to_lowercase()
            );
        }
    }
    Text::plain(md)
}
