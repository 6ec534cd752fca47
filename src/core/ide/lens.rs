//! Code lenses: "Show the expanded project" above `extensions:`, and above each part or service
//! that overrides a generated one, "Compare with what <extension> generates", which shows the
//! generated entry beside the one `rockcraft pack` builds once the override is merged.

use serde_json::{Map, Value};

use crate::core::document::Document;
use crate::core::emit::to_yaml_string_unfolded;
use crate::core::extensions::Context;
use crate::core::extensions::apply::apply_extensions;
use crate::core::ide::names::{self, NameKind};
use crate::core::text::TextRange;

/// What a lens runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LensKind {
    ShowExpanded,
    /// Compare the override of a generated part or service with the generated one.
    Compare {
        kind: NameKind,
        name: String,
    },
}

/// One lens: shown above `range`'s line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lens {
    pub range: TextRange,
    pub title: String,
    pub kind: LensKind,
}

/// The lenses of `doc`.
#[must_use]
pub fn lenses(doc: &Document) -> Vec<Lens> {
    let mut out = Vec::new();
    if let Some(e) = doc.top_entry("extensions")
        && doc.has_extensions()
    {
        out.push(Lens {
            range: doc.key_range(e),
            title: "Show the expanded project".to_owned(),
            kind: LensKind::ShowExpanded,
        });
    }
    for kind in [NameKind::Part, NameKind::Service] {
        for e in doc.section(kind.section()) {
            let Some(name) = doc.tree.text(e.key) else {
                continue;
            };
            if let Some(ext) = names::generator(doc, kind, name) {
                out.push(Lens {
                    range: doc.key_range(*e),
                    title: format!("Compare with what {ext} generates"),
                    kind: LensKind::Compare {
                        kind,
                        name: name.to_owned(),
                    },
                });
            }
        }
    }
    out.sort_by_key(|l| l.range.start());
    out
}

/// A YAML text showing the part or service `name` as its extension generates it (the project
/// expanded without the written entry), then as `rockcraft pack` builds it (expanded with it),
/// as two YAML documents under comments saying which is which.
///
/// # Errors
/// The project does not expand (the message says why), or the extension does not generate
/// `name` for it.
pub fn comparison(
    doc: &Document,
    kind: NameKind,
    name: &str,
    ctx: &Context<'_>,
) -> Result<String, String> {
    let section = kind.section();
    let ext = names::generator(doc, kind, name).ok_or_else(|| {
        format!(
            "no extension of this project generates the {} `{name}`",
            kind.noun()
        )
    })?;
    let project = doc.json_once();
    let mut without = project.as_ref().clone();
    if let Some(entries) = without.get_mut(section).and_then(Value::as_object_mut) {
        entries.shift_remove(name);
    }
    let entry_of = |project: &Value| -> Result<Value, String> {
        let applied = apply_extensions(project, ctx).map_err(|e| e.text())?;
        let value = applied
            .data
            .get(section)
            .and_then(|s| s.get(name))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "{ext} generates no {} `{name}` for this project",
                    kind.noun()
                )
            })?;
        let mut inner = Map::new();
        inner.insert(name.to_owned(), value);
        let mut outer = Map::new();
        outer.insert(section.to_owned(), Value::Object(inner));
        Ok(Value::Object(outer))
    };
    let generated = entry_of(&without)?;
    let merged = entry_of(&project)?;
    let noun = kind.noun();
    Ok(format!(
        "# The {noun} `{name}` as {ext} generates it for this project:\n{}---\n# The {noun} `{name}` as `rockcraft pack` builds it, with the entry written in\n# rockcraft.yaml merged over the generated one:\n{}",
        to_yaml_string_unfolded(&generated),
        to_yaml_string_unfolded(&merged),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cancel::Cancel;
    use crate::core::extensions::DEFAULT_EXTENSIONS_DIR;
    use crate::core::rules::test_support::flask_fs;

    const PROJECT: &str = "\
name: app
base: ubuntu@22.04
version: '1.0'
summary: s
description: d
platforms:
  amd64:
extensions:
  - flask-framework
parts:
  flask-framework/install-app:
    prime: [flask/app/app.py]
  mine:
    plugin: nil
services:
  flask:
    override: merge
    command: /bin/python3 -m gunicorn app:app --backlog 1024
";

    #[test]
    fn lenses_above_extensions_and_overrides() {
        let doc = Document::parse(PROJECT);
        let shown: Vec<String> = lenses(&doc)
            .iter()
            .map(|l| format!("{} @ {}", l.title, doc.text_at(l.range)))
            .collect();
        assert_eq!(
            shown,
            [
                "Show the expanded project @ extensions",
                "Compare with what flask-framework generates @ flask-framework/install-app",
                "Compare with what flask-framework generates @ flask",
            ]
        );
        assert!(lenses(&Document::parse("name: x\nparts:\n  p:\n    plugin: nil\n")).is_empty());
    }

    #[test]
    fn the_comparison_shows_the_generated_entry_then_the_merged_one() {
        let doc = Document::parse(PROJECT);
        let fs = flask_fs();
        let ctx = Context {
            fs: &fs,
            experimental: false,
            extensions_dir: DEFAULT_EXTENSIONS_DIR,
            cancel: Cancel::NEVER,
        };
        let text = comparison(&doc, NameKind::Service, "flask", &ctx).unwrap();
        let (generated, merged) = text.split_once("---\n").unwrap();
        assert!(
            generated.contains("command: /bin/python3 -m gunicorn -c /flask/gunicorn.conf.py"),
            "{text}"
        );
        assert!(!generated.contains("--backlog"), "{text}");
        assert!(merged.contains("--backlog 1024"), "{text}");
        let part = comparison(&doc, NameKind::Part, "flask-framework/install-app", &ctx).unwrap();
        assert!(part.contains("plugin: dump"), "{part}");
        assert!(comparison(&doc, NameKind::Part, "mine", &ctx).is_err());
    }
}
