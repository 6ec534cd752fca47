//! Code actions: quick fixes carried by diagnostics, and refactorings computed from the
//! current expansion (override a generated service, add packages, choose the files that go
//! into the image, start a project from a profile).

use serde_json::{Map, Value, json};

use crate::core::diagnostic::{Diagnostic, Edit};
use crate::core::document::Document;
use crate::core::extensions::registry::ExtensionInfo;
use crate::core::facts;
use crate::core::fits;
use crate::core::ide::edit::insert_entries;
use crate::core::ide::expansion::ExpansionResult;
use crate::core::text::{TextRange, TextSize};

/// What kind of action it is (maps to LSP `quickfix` / `refactor`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionKind {
    QuickFix,
    Refactor,
}

/// A titled set of edits on the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<Edit>,
    /// The diagnostic this action fixes, for quick fixes.
    pub diagnostic: Option<Diagnostic>,
    pub is_preferred: bool,
}

fn overlaps(a: TextRange, b: TextRange) -> bool {
    a.start() <= b.end() && b.start() <= a.end()
}

/// Actions available for `range`, given the diagnostics overlapping it: the diagnostics'
/// fixes first, then refactorings.
#[must_use]
pub fn actions(
    doc: &Document,
    expansion: Option<&ExpansionResult>,
    range: TextRange,
    diagnostics: &[Diagnostic],
) -> Vec<Action> {
    let mut out = Vec::new();
    for d in diagnostics.iter().filter(|d| overlaps(d.range, range)) {
        for (i, f) in d.fixes.iter().enumerate() {
            out.push(Action {
                title: f.title.clone(),
                kind: ActionKind::QuickFix,
                edits: f.edits.clone(),
                diagnostic: Some(d.clone()),
                is_preferred: i == 0 && d.fixes.len() == 1,
            });
        }
    }
    let Some(expanded) = expansion.and_then(|e| e.expanded.as_ref()) else {
        return out;
    };
    for info in doc.declared_extensions() {
        if let Some(a) = override_service(doc, expanded, info) {
            out.push(a);
        }
        if let Some(a) = add_packages(doc, info) {
            out.push(a);
        }
        if let Some(a) = choose_files(doc, expanded, info) {
            out.push(a);
        }
    }
    out
}

fn refactor(title: String, edits: Vec<Edit>) -> Action {
    Action {
        title,
        kind: ActionKind::Refactor,
        edits,
        diagnostic: None,
        is_preferred: false,
    }
}

/// (a) `services: <fw>: override: replace` with the generated command and other keys.
fn override_service(doc: &Document, expanded: &Value, info: &ExtensionInfo) -> Option<Action> {
    let svc = info.service;
    let generated = expanded.get("services")?.get(svc)?.as_object()?;
    let user = doc
        .section("services")
        .iter()
        .find(|e| doc.tree.text(e.key) == Some(svc))
        .copied();
    if user.is_some_and(|e| doc.tree.entry(e.value, "command").is_some()) {
        return None;
    }
    let mut entries = Map::new();
    entries.insert("override".into(), json!("replace"));
    for (k, v) in generated {
        if k != "override" {
            entries.insert(k.clone(), v.clone());
        }
    }
    let edit = insert_entries(doc, &["services", svc], &entries)?;
    Some(refactor(
        format!("Override the {svc} service command"),
        vec![edit],
    ))
}

/// (b) Debian packages (or chisel slices on `base: bare`) for the framework's dependencies.
fn add_packages(doc: &Document, info: &ExtensionInfo) -> Option<Action> {
    let sub = if info.parts.contains(&"dependencies") {
        "dependencies"
    } else if info.parts.contains(&"runtime") {
        "runtime"
    } else {
        return None;
    };
    let part = format!("{}/{sub}", info.name);
    let user_part = doc
        .section("parts")
        .iter()
        .find(|e| doc.tree.text(e.key) == Some(part.as_str()))
        .copied();
    if user_part.is_none() && !fits::part_name_fits(doc, &part) {
        return None;
    }
    let bare = doc.base() == Some(crate::core::facts::BARE);
    let (what, placeholder) = if bare {
        ("chisel slices", "package_slice")
    } else {
        ("Debian packages", "package-name")
    };
    if let Some(p) = user_part
        && let Some(list) = doc.tree.entry(p.value, "stage-packages")
    {
        // Append an item to the existing block list.
        let items = doc.tree.items(list.value);
        let last = *items.last()?;
        if doc.text_at(doc.range(list.value)).starts_with('[') {
            return Some(refactor(
                format!("Add {what} to {part}"),
                vec![Edit {
                    range: TextRange::empty(doc.range(last).end()),
                    text: format!(", {placeholder}"),
                }],
            ));
        }
        let start = usize::from(doc.range(last).start());
        let ls = crate::core::text::line_start(&doc.text, start);
        let prefix = &doc.text[ls..start];
        let end = usize::from(doc.range(last).end());
        let (pos, nl) = match crate::core::text::next_line_start(&doc.text, end) {
            Some(i) => (i, false),
            None => (doc.text.len(), true),
        };
        let text = format!("{}{prefix}{placeholder}\n", if nl { "\n" } else { "" });
        return Some(refactor(
            format!("Add {what} to {part}"),
            vec![Edit {
                range: TextRange::empty(TextSize::from(u32::try_from(pos).ok()?)),
                text,
            }],
        ));
    }
    let mut entries = Map::new();
    entries.insert("stage-packages".into(), json!([placeholder]));
    let edit = insert_entries(doc, &["parts", &part], &entries)?;
    Some(refactor(format!("Add {what} to {part}"), vec![edit]))
}

/// (c) The list that chooses the app's files, for the frameworks that have one (flask's and
/// fastapi's install-app `prime`, go's and spring-boot's assets `stage`: the parts of
/// [`facts::PREFIX_RULES`]), pre-filled with what the expansion copies today. Django and
/// expressjs copy their app directory whole and have no such list.
///
/// The default list is the part's own list when the expansion wrote one (flask's `prime`, the
/// assets' `stage`), else the part's `stage`, which names everything its `organize` copies
/// (fastapi's install-app has no `prime`). Entries are written as rockcraft writes its
/// defaults: under the app directory, a directory without a trailing slash (`app/static`), the
/// spelling path completion offers too. Not offered when the user wrote the list already, or
/// when the expansion copies nothing of the project (go without `static/`, `templates/`, ...).
fn choose_files(doc: &Document, expanded: &Value, info: &ExtensionInfo) -> Option<Action> {
    let rule = facts::PREFIX_RULES.iter().find(|r| {
        r.part
            .split_once('/')
            .is_some_and(|(ext, _)| ext == info.name)
    })?;
    let part = rule.part;
    let declared = doc
        .section("parts")
        .iter()
        .any(|e| doc.tree.text(e.key) == Some(part));
    if !declared && !fits::part_name_fits(doc, part) {
        return None;
    }
    let generated = expanded.get("parts")?.get(part)?;
    let listed = |key: &str| {
        generated
            .get(key)
            .and_then(Value::as_array)
            .filter(|l| !l.is_empty())
    };
    let defaults = listed(rule.key).or_else(|| listed("stage"))?;
    let list: Vec<Value> = defaults
        .iter()
        .filter_map(Value::as_str)
        .filter(|p| !p.starts_with('-'))
        .map(|p| {
            let p = p.trim_end_matches('/');
            if p.starts_with(rule.dir) {
                Value::String(p.to_owned())
            } else {
                Value::String(format!("{}{p}", rule.dir))
            }
        })
        .collect();
    if list.is_empty() {
        return None;
    }
    let mut entries = Map::new();
    entries.insert(rule.key.into(), Value::Array(list));
    let edit = insert_entries(doc, &["parts", part], &entries)?;
    Some(refactor(
        "Choose which files go into the image".into(),
        vec![edit],
    ))
}
