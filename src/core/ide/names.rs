//! Names that other places of a project refer to, and where they are written: parts (named in
//! other parts' `after`), services (named in services' `after`, `before` and `requires`, and in
//! `entrypoint-service`), checks (the keys of a service's `on-check-failure`) and platforms.
//! [`occurrences`] is the one home of those places, for navigation (definition, references,
//! highlights, rename), hover, inlay hints, code lenses and semantic tokens.

use crate::core::document::Document;
use crate::core::extensions::registry;
use crate::core::text::TextRange;
use crate::core::yaml::{NodeId, ScalarValue};

/// What a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameKind {
    Part,
    Service,
    Check,
    Platform,
}

impl NameKind {
    /// The top-level section that defines names of this kind.
    #[must_use]
    pub fn section(self) -> &'static str {
        match self {
            Self::Part => "parts",
            Self::Service => "services",
            Self::Check => "checks",
            Self::Platform => "platforms",
        }
    }

    /// The word for one of them in messages.
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            Self::Part => "part",
            Self::Service => "service",
            Self::Check => "check",
            Self::Platform => "platform",
        }
    }
}

/// Whether an occurrence defines the name or refers to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Definition,
    Reference,
}

/// One place a name is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub kind: NameKind,
    pub name: String,
    /// The scalar as written (quotes included when it is quoted).
    pub range: TextRange,
    pub role: Role,
    /// The scalar node.
    pub node: NodeId,
}

/// Every name written in `doc`, definitions and references, in the order they appear.
#[must_use]
pub fn occurrences(doc: &Document) -> Vec<Occurrence> {
    collect(doc, None)
}

/// The occurrences of `doc`, or with `near`, those of the entries that can hold something
/// written at that offset: of each section, the last entry whose key starts at or before it
/// (entries are in the order they are written, and a name is written inside its entry unless
/// an alias brings it from elsewhere, which the caller rules out).
fn collect(doc: &Document, near: Option<u32>) -> Vec<Occurrence> {
    let entries = |section: &str| {
        let all = doc.section(section);
        match near {
            None => all,
            Some(at) => {
                let i = all.partition_point(|e| u32::from(doc.range(e.key).start()) <= at);
                &all[i.saturating_sub(1)..i]
            }
        }
    };
    let mut out = Vec::new();
    let mut push = |node: NodeId, kind: NameKind, role: Role| {
        if let Some(name) = name_text(doc, node) {
            out.push(Occurrence {
                kind,
                name: name.to_owned(),
                range: doc.range(node),
                role,
                node,
            });
        }
    };
    for kind in [
        NameKind::Part,
        NameKind::Service,
        NameKind::Check,
        NameKind::Platform,
    ] {
        for e in entries(kind.section()) {
            push(e.key, kind, Role::Definition);
        }
    }
    for part in entries("parts") {
        if let Some(after) = doc.tree.get(part.value, "after") {
            for item in items(doc, after) {
                push(item, NameKind::Part, Role::Reference);
            }
        }
    }
    for svc in entries("services") {
        for key in ["after", "before", "requires"] {
            if let Some(list) = doc.tree.get(svc.value, key) {
                for item in items(doc, list) {
                    push(item, NameKind::Service, Role::Reference);
                }
            }
        }
        if let Some(map) = doc.tree.get(svc.value, "on-check-failure") {
            for e in doc.tree.entries(map) {
                push(e.key, NameKind::Check, Role::Reference);
            }
        }
    }
    if let Some(e) = doc.top_entry("entrypoint-service") {
        push(e.value, NameKind::Service, Role::Reference);
    }
    out.sort_by_key(|o| o.range.start());
    out
}

/// Whether `text` may hold a YAML alias (`*name` at the start of a value): a `*` at the start
/// of the text or after a space, a line break or a flow indicator. Globs such as `usr/lib/*`
/// do not count; `- *.so` does, which only costs a longer search.
fn may_have_aliases(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'*', bytes).any(|i| {
        i == 0
            || matches!(
                bytes[i - 1],
                b' ' | b'\n' | b'\t' | b'\r' | b'[' | b'{' | b',' | b':' | b'-' | b'?'
            )
    })
}

/// The name written at `offset` (ends inclusive, so a cursor right after a name finds it).
#[must_use]
pub fn at(doc: &Document, offset: u32) -> Option<Occurrence> {
    // Without aliases a name is written inside the entry that holds it, so only the entries
    // around the offset need looking at.
    let near = (!may_have_aliases(&doc.text)).then_some(offset);
    collect(doc, near)
        .into_iter()
        .find(|o| u32::from(o.range.start()) <= offset && offset <= u32::from(o.range.end()))
}

/// Every occurrence of the same name as `of`, definitions and references.
#[must_use]
pub fn same_name(doc: &Document, of: &Occurrence) -> Vec<Occurrence> {
    occurrences(doc)
        .into_iter()
        .filter(|o| o.kind == of.kind && o.name == of.name)
        .collect()
}

/// The extension of `doc` that generates the part or service `name`, when one does (the user's
/// entry of that name then overrides the generated one).
#[must_use]
pub fn generator(doc: &Document, kind: NameKind, name: &str) -> Option<&'static str> {
    match kind {
        NameKind::Part => registry::owner_of_part(name)
            .filter(|_| doc.is_extension_part(name))
            .map(|e| e.name),
        NameKind::Service => doc
            .declared_extensions()
            .iter()
            .find(|e| e.services.contains(&name))
            .map(|e| e.name),
        NameKind::Check | NameKind::Platform => None,
    }
}

/// Where the name under the cursor is defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Written in this document (a name defined twice has two).
    Here(Vec<TextRange>),
    /// Generated by an extension: defined in the expanded project, under `section`. A written
    /// entry of the same name overrides the generated one, which is its definition.
    Generated {
        kind: NameKind,
        name: String,
        extension: &'static str,
    },
}

/// The definition of the name at `offset`, when there is a name there and it is defined.
#[must_use]
pub fn definition(doc: &Document, offset: u32) -> Option<Target> {
    let o = at(doc, offset)?;
    if let Some(extension) = generator(doc, o.kind, &o.name) {
        return Some(Target::Generated {
            kind: o.kind,
            name: o.name,
            extension,
        });
    }
    let here: Vec<TextRange> = same_name(doc, &o)
        .into_iter()
        .filter(|x| x.role == Role::Definition)
        .map(|x| x.range)
        .collect();
    (!here.is_empty()).then_some(Target::Here(here))
}

/// The range of the key defining `name` under `kind`'s section in `text`, an expanded
/// project as printed (where a generated part or service is defined).
#[must_use]
pub fn definition_in(text: &str, kind: NameKind, name: &str) -> Option<TextRange> {
    let doc = Document::parse(text);
    doc.section(kind.section())
        .iter()
        .find(|e| doc.tree.text(e.key) == Some(name))
        .map(|e| doc.key_range(*e))
}

/// The items of a list of names (a single scalar counts as a one-item list).
fn items(doc: &Document, id: NodeId) -> Vec<NodeId> {
    if doc.tree.is_sequence(id) {
        doc.tree.items(id).to_vec()
    } else {
        vec![id]
    }
}

/// The text of a scalar that names something: strings, and numbers, which the loader reads as
/// strings in a list of names (`after: [1]` names part `1`).
fn name_text(doc: &Document, id: NodeId) -> Option<&str> {
    let s = doc.tree.scalar(id)?;
    if doc.tree.resolve(id) != id {
        // An alias: its text is written at the anchor, not here.
        return None;
    }
    matches!(
        s.value,
        ScalarValue::Str | ScalarValue::Int(_) | ScalarValue::Float(_)
    )
    .then_some(s.text.as_str())
    .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`at`] looks only around the offset; it finds what a search of every occurrence finds,
    /// at every offset of projects written in many shapes (flow lists, quoted names, a single
    /// name for a list, aliases, names defined twice).
    #[test]
    fn the_name_at_an_offset_is_the_one_all_occurrences_have_there() {
        let projects = [
            PROJECT.to_owned(),
            "parts: {a: {after: [b, 'c']}, b: {after: a}}\nservices: {s: {after: [t]}, t: {}}\n"
                .to_owned(),
            "x: &l [a, b]\nparts:\n  a:\n    after: *l\n  b:\n    after: [a]\n".to_owned(),
            "parts:\n  a:\n    after: [b]\n  a:\n    after: [a]\nentrypoint-service: s\n\
             services:\n  s:\n    requires: s\n    on-check-failure:\n      c: restart\n\
             checks:\n  c:\n    exec: {command: x}\nplatforms:\n  amd64:\n"
                .to_owned(),
        ];
        for text in projects {
            let doc = Document::parse(&text);
            let all = occurrences(&doc);
            for offset in 0..=u32::try_from(text.len()).unwrap_or(0) {
                let expected = all.iter().find(|o| {
                    u32::from(o.range.start()) <= offset && offset <= u32::from(o.range.end())
                });
                assert_eq!(at(&doc, offset).as_ref(), expected, "{text}\nat {offset}");
            }
        }
    }

    const PROJECT: &str = "\
name: app
extensions: [flask-framework]
parts:
  lib:
    plugin: nil
  app:
    plugin: nil
    after: [lib, flask-framework/install-app]
  flask-framework/install-app:
    prime: [flask/app/app.py]
services:
  web:
    command: srv
    requires: [db]
    after:
      - db
    on-check-failure:
      up: restart
  db:
    command: db
checks:
  up:
    tcp: {port: 1}
entrypoint-service: web
";

    fn names_at(needle: &str, nth: usize) -> Vec<(Role, String)> {
        let doc = Document::parse(PROJECT);
        let offset = PROJECT
            .match_indices(needle)
            .nth(nth)
            .expect("the needle")
            .0;
        let o = at(&doc, u32::try_from(offset).unwrap()).expect("a name there");
        same_name(&doc, &o)
            .into_iter()
            .map(|o| {
                let (line, col) = doc.line_col(o.range.start().into());
                (o.role, format!("{}:{line}:{col}", o.name))
            })
            .collect()
    }

    #[test]
    fn parts_services_and_checks_are_found_from_any_occurrence() {
        use Role::{Definition as D, Reference as R};
        assert_eq!(
            names_at("lib", 0),
            [(D, "lib:4:3".into()), (R, "lib:8:13".into())]
        );
        assert_eq!(names_at("lib", 1), names_at("lib", 0));
        assert_eq!(
            names_at("db", 1),
            [
                (R, "db:14:16".into()),
                (R, "db:16:9".into()),
                (D, "db:19:3".into())
            ]
        );
        assert_eq!(
            names_at("web", 1),
            [(D, "web:12:3".into()), (R, "web:24:21".into())]
        );
        assert_eq!(
            names_at("up", 0),
            [(R, "up:18:7".into()), (D, "up:22:3".into())]
        );
        assert_eq!(
            names_at("flask-framework/install-app", 0),
            [
                (R, "flask-framework/install-app:8:18".into()),
                (D, "flask-framework/install-app:9:3".into())
            ]
        );
    }

    #[test]
    fn values_that_name_nothing_are_not_names() {
        let doc = Document::parse(PROJECT);
        for needle in ["srv", "restart", "plugin", "flask/app/app.py", "name"] {
            let offset = PROJECT.find(needle).unwrap();
            assert_eq!(at(&doc, u32::try_from(offset).unwrap()), None, "{needle}");
        }
    }

    #[test]
    fn definitions_are_written_or_generated() {
        let doc = Document::parse(PROJECT);
        let at_ = |s: &str| u32::try_from(PROJECT.find(s).unwrap()).unwrap();
        let lib = PROJECT.find("  lib:").unwrap() + 2;
        assert_eq!(
            definition(&doc, at_("lib, flask")),
            Some(Target::Here(vec![TextRange::at(
                u32::try_from(lib).unwrap().into(),
                3.into()
            )]))
        );
        assert_eq!(
            definition(&doc, at_("flask-framework/install-app]")),
            Some(Target::Generated {
                kind: NameKind::Part,
                name: "flask-framework/install-app".into(),
                extension: "flask-framework"
            })
        );
        assert_eq!(definition(&doc, at_("srv")), None);
        let expanded = "name: app\nparts:\n  flask-framework/install-app:\n    plugin: dump\n";
        let r = definition_in(expanded, NameKind::Part, "flask-framework/install-app").unwrap();
        assert_eq!(&expanded[r], "flask-framework/install-app");
        assert_eq!(definition_in(expanded, NameKind::Service, "flask"), None);
    }

    #[test]
    fn the_generator_of_an_extension_part_or_service() {
        let doc = Document::parse(PROJECT);
        assert_eq!(
            generator(&doc, NameKind::Part, "flask-framework/install-app"),
            Some("flask-framework")
        );
        assert_eq!(generator(&doc, NameKind::Part, "lib"), None);
        assert_eq!(
            generator(&doc, NameKind::Service, "flask"),
            Some("flask-framework")
        );
        assert_eq!(generator(&doc, NameKind::Service, "web"), None);
    }
}
