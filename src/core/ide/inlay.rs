//! Inlay hints: what rockcraft will make of the project, written where it applies: after each
//! extension, what it adds to this project; after a part or service that overrides a generated
//! one, the generated value it keeps (the merged `command`, the plugin); after each part of a
//! `base: bare` project, the base that builds it.

use std::fmt::Write as _;

use serde_json::Value;

use crate::core::document::Document;
use crate::core::extensions::registry;
use crate::core::ide::names::{self, NameKind};
use crate::core::text::{TextRange, TextSize};

/// Which kind of hint, each one can be turned off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HintKind {
    /// After an extension item: `+4 parts, 1 service`.
    ExtensionAdds,
    /// After an override of a generated part or service: the value it keeps from the
    /// generated one.
    Merged,
    /// After a part of a `base: bare` project: the base it is built on.
    BuildBase,
}

/// Which hints to give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // one switch per kind of hint, as the settings name them
pub struct HintKinds {
    pub extension_adds: bool,
    pub merged: bool,
    pub build_base: bool,
}

impl Default for HintKinds {
    fn default() -> Self {
        Self {
            extension_adds: true,
            merged: true,
            build_base: true,
        }
    }
}

/// One hint, shown at `offset` (the end of what it is about).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub offset: TextSize,
    pub label: String,
    pub kind: HintKind,
    /// A longer explanation shown on hover.
    pub tooltip: String,
}

/// Values longer than this are cut in a hint.
const MAX_LABEL: usize = 60;

/// The fields of a generated service or part shown when the override does not write them.
const SERVICE_FIELDS: &[&str] = &["command"];
const PART_FIELDS: &[&str] = &["plugin"];

/// The hints of `doc` inside `range`, from `expanded` (the project as the latest expansion
/// left it) where they need it.
#[must_use]
pub fn inlay_hints(
    doc: &Document,
    expanded: Option<&Value>,
    range: TextRange,
    kinds: HintKinds,
) -> Vec<Hint> {
    let mut out = Vec::new();
    if kinds.extension_adds
        && let Some(expanded) = expanded
    {
        extension_adds(doc, expanded, &mut out);
    }
    if kinds.merged
        && let Some(expanded) = expanded
    {
        merged(doc, expanded, &mut out);
    }
    if kinds.build_base {
        build_base(doc, &mut out);
    }
    out.retain(|h| range.contains_inclusive(h.offset));
    out.sort_by_key(|h| h.offset);
    out
}

fn extension_adds(doc: &Document, expanded: &Value, out: &mut Vec<Hint>) {
    for (item, name) in doc.extension_items() {
        let Some(info) = registry::find(name) else {
            continue;
        };
        let prefix = format!("{name}/");
        let parts: Vec<&str> = expanded
            .get("parts")
            .and_then(Value::as_object)
            .map(|p| {
                p.keys()
                    .filter(|k| k.starts_with(&prefix))
                    .map(String::as_str)
                    .collect()
            })
            .unwrap_or_default();
        let services: Vec<&str> = info
            .services
            .iter()
            .copied()
            .filter(|s| expanded.pointer(&format!("/services/{s}")).is_some())
            .collect();
        if parts.is_empty() && services.is_empty() {
            continue;
        }
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        let mut label = format!("+{}", plural(parts.len(), "part"));
        if !services.is_empty() {
            let _ = write!(label, ", {}", plural(services.len(), "service"));
        }
        let mut tooltip = format!("{name} adds to this project:");
        for p in &parts {
            let _ = write!(tooltip, "\n- part `{p}`");
        }
        for s in &services {
            let _ = write!(tooltip, "\n- service `{s}`");
        }
        out.push(Hint {
            offset: doc.range(item).end(),
            label,
            kind: HintKind::ExtensionAdds,
            tooltip,
        });
    }
}

fn merged(doc: &Document, expanded: &Value, out: &mut Vec<Hint>) {
    for (kind, fields) in [
        (NameKind::Service, SERVICE_FIELDS),
        (NameKind::Part, PART_FIELDS),
    ] {
        for e in doc.section(kind.section()) {
            let Some(name) = doc.tree.text(e.key) else {
                continue;
            };
            let Some(ext) = names::generator(doc, kind, name) else {
                continue;
            };
            let Some(generated) = expanded.get(kind.section()).and_then(|s| s.get(name)) else {
                continue;
            };
            for field in fields {
                if doc.tree.get(e.value, field).is_some() {
                    continue;
                }
                let Some(value) = generated.get(field).and_then(Value::as_str) else {
                    continue;
                };
                out.push(Hint {
                    offset: after_colon(doc, doc.range(e.key)),
                    label: format!("{field}: {}", cut(value)),
                    kind: HintKind::Merged,
                    tooltip: format!(
                        "The {} keeps `{field}` from the one {ext} generates:\n\n{field}: {value}",
                        kind.noun()
                    ),
                });
            }
        }
    }
}

fn build_base(doc: &Document, out: &mut Vec<Hint>) {
    if doc.base() != Some("bare") {
        return;
    }
    let Some(build_base) = doc.effective_build_base() else {
        return;
    };
    for e in doc.section("parts") {
        out.push(Hint {
            offset: after_colon(doc, doc.range(e.key)),
            label: format!("built on {build_base}"),
            kind: HintKind::BuildBase,
            tooltip: format!(
                "With `base: bare`, parts are built in a {build_base} environment (`build-base`) and only what they stage goes into the bare image"
            ),
        });
    }
}

/// Just after the colon that follows a key (the key's end when the colon is not on its line).
fn after_colon(doc: &Document, key: TextRange) -> TextSize {
    let rest = &doc.text[usize::from(key.end())..];
    let line = rest.split(['\n', '\r']).next().unwrap_or_default();
    line.find(':')
        .and_then(|i| TextSize::try_from(i + 1).ok())
        .map_or(key.end(), |n| key.end() + n)
}

fn cut(value: &str) -> String {
    let line = value.lines().next().unwrap_or_default();
    if line.chars().count() <= MAX_LABEL && line.len() == value.len() {
        return line.to_owned();
    }
    let cut: String = line.chars().take(MAX_LABEL).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hints(text: &str, expanded: Option<&Value>, kinds: HintKinds) -> Vec<String> {
        let doc = Document::parse(text);
        let all = TextRange::up_to(TextSize::try_from(text.len()).unwrap());
        inlay_hints(&doc, expanded, all, kinds)
            .iter()
            .map(|h| {
                let (line, col) = doc.line_col(h.offset.into());
                format!("{line}:{col} {:?} {}", h.kind, h.label)
            })
            .collect()
    }

    const PROJECT: &str = "\
name: app
base: bare
build-base: ubuntu@24.04
extensions:
  - flask-framework
parts:
  flask-framework/install-app:
    prime: [flask/app/app.py]
services:
  flask:
    override: merge
    startup: enabled
";

    fn expanded() -> Value {
        json!({
            "parts": {
                "flask-framework/install-app": {"plugin": "dump", "prime": ["flask/app/app.py"]},
                "flask-framework/dependencies": {"plugin": "python"},
                "flask-framework/state-dir": {"plugin": "nil"},
                "flask-framework/runtime": {"plugin": "nil"},
            },
            "services": {"flask": {"override": "merge", "command": "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py 'app:app' -k [ sync ]"}},
        })
    }

    #[test]
    fn extensions_overrides_and_bare_parts_get_hints() {
        let e = expanded();
        assert_eq!(
            hints(PROJECT, Some(&e), HintKinds::default()),
            [
                "5:20 ExtensionAdds +4 parts, 1 service",
                "7:31 Merged plugin: dump",
                "7:31 BuildBase built on ubuntu@24.04",
                "10:9 Merged command: /bin/python3 -m gunicorn -c /flask/gunicorn.conf.py 'app:app…",
            ]
        );
    }

    #[test]
    fn each_kind_can_be_turned_off_and_nothing_is_guessed_without_an_expansion() {
        let e = expanded();
        let none = HintKinds {
            extension_adds: false,
            merged: false,
            build_base: false,
        };
        assert!(hints(PROJECT, Some(&e), none).is_empty());
        assert_eq!(
            hints(PROJECT, None, HintKinds::default()),
            ["7:31 BuildBase built on ubuntu@24.04"]
        );
        let written = PROJECT.replace("startup: enabled", "command: srv");
        assert!(
            !hints(&written, Some(&e), HintKinds::default())
                .iter()
                .any(|h| h.contains("command:")),
            "a written command needs no hint"
        );
        assert!(hints("", None, HintKinds::default()).is_empty());
    }
}
