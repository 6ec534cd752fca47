//! Document outline: the top-level keys, with the parts, services, checks and platforms as
//! children, which extension a part or service overrides, and the keys inside them to full
//! depth (list values summarised, list items that are mappings as children).

use crate::core::document::Document;
use crate::core::ide::names::{self, NameKind};
use crate::core::text::TextRange;
use crate::core::yaml::{Entry, NodeId};

/// What a symbol stands for (the server maps it to an LSP symbol kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// A top-level key such as `name` or `base`.
    Key,
    /// A section holding named entries (`parts`, `services`, ...), or the `extensions` list.
    Section,
    Part,
    Service,
    Check,
    Platform,
    Extension,
    /// An item of a list that holds mappings or lists (`[0]`, `[1]`, ...).
    Item,
}

/// One outline entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    /// A short description shown beside the name (a scalar value, a plugin, an override).
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole entry: key and value.
    pub range: TextRange,
    /// The key (or list item) to select.
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

/// Values longer than this are cut in the detail.
const MAX_DETAIL: usize = 60;

/// How many levels below a part, service or top-level key the outline shows: deeper keys are
/// in their parent's range (and no outline view shows such depths usefully).
const MAX_OUTLINE_DEPTH: usize = 12;

/// The outline of `doc` (empty when the document is not a mapping).
#[must_use]
pub fn symbols(doc: &Document) -> Vec<Symbol> {
    let Some(root) = doc.root_map() else {
        return Vec::new();
    };
    // Only the levels that fit in the budget are built.
    let levels = levels_within(&per_depth(doc, root), MAX_SYMBOLS);
    doc.tree
        .entries(root)
        .iter()
        .filter_map(|&e| top_symbol(doc, e, levels))
        .collect()
}

/// The most symbols an outline holds. A huge project (thousands of parts) keeps its outline
/// to the levels that fit: every part and service, say, without the keys inside them. No
/// outline view shows more usefully, and the reply stays small enough to answer at once.
pub const MAX_SYMBOLS: usize = 5000;

/// How many levels below the top one fit in `budget` symbols, given how many symbols each
/// depth holds (the top level is always kept).
fn levels_within(per_depth: &[usize], budget: usize) -> usize {
    let mut total = 0;
    let mut keep = 0;
    for (depth, n) in per_depth.iter().enumerate() {
        total += n;
        if total > budget && depth > 0 {
            break;
        }
        keep = depth;
    }
    keep
}

/// How many symbols each depth of the full outline of `root` holds (without building it): the
/// same walk as [`top_symbol`], [`named`] and [`fields`].
fn per_depth(doc: &Document, root: NodeId) -> Vec<usize> {
    fn add(counts: &mut Vec<usize>, depth: usize) {
        if counts.len() <= depth {
            counts.resize(depth + 1, 0);
        }
        counts[depth] += 1;
    }
    fn fields(doc: &Document, node: NodeId, rel: usize, depth: usize, counts: &mut Vec<usize>) {
        if rel >= MAX_OUTLINE_DEPTH {
            return;
        }
        if doc.tree.is_sequence(node) {
            for &item in doc.tree.items(node) {
                if doc.tree.scalar(item).is_none() {
                    add(counts, depth);
                    fields(doc, item, rel + 1, depth + 1, counts);
                }
            }
            return;
        }
        for e in doc.tree.entries(node) {
            if doc.tree.text(e.key).is_some() {
                add(counts, depth);
                fields(doc, e.value, rel + 1, depth + 1, counts);
            }
        }
    }
    let mut counts = Vec::new();
    for e in doc.tree.entries(root) {
        let Some(name) = doc.tree.text(e.key) else {
            continue;
        };
        add(&mut counts, 0);
        match name {
            "parts" | "services" | "checks" | "platforms" => {
                for n in doc.tree.entries(e.value) {
                    if doc.tree.text(n.key).is_some() {
                        add(&mut counts, 1);
                        fields(doc, n.value, 0, 2, &mut counts);
                    }
                }
            }
            "extensions" => {
                for _ in doc.extension_items() {
                    add(&mut counts, 1);
                }
            }
            _ => fields(doc, e.value, 0, 1, &mut counts),
        }
    }
    counts
}

/// The symbol of a mapping entry: the whole entry as its range, the key selected.
fn entry_symbol(
    doc: &Document,
    e: Entry,
    name: String,
    kind: SymbolKind,
    detail: Option<String>,
    children: Vec<Symbol>,
) -> Symbol {
    Symbol {
        name,
        detail,
        kind,
        range: doc.range(e.key).cover(doc.range(e.value)),
        selection: doc.range(e.key),
        children,
    }
}

fn scalar_detail(doc: &Document, node: NodeId) -> Option<String> {
    let text = doc.tree.text(node)?.split(['\n', '\r']).next()?.trim();
    if text.is_empty() {
        return None;
    }
    if text.chars().count() <= MAX_DETAIL {
        return Some(text.to_owned());
    }
    let cut: String = text.chars().take(MAX_DETAIL).collect();
    Some(format!("{cut}…"))
}

/// A top-level entry's symbol, with `levels` levels of symbols below it.
fn top_symbol(doc: &Document, e: Entry, levels: usize) -> Option<Symbol> {
    let name = doc.tree.text(e.key)?.to_owned();
    let section = |kind| named(doc, e.value, kind, levels);
    let (kind, children) = match name.as_str() {
        "parts" => (SymbolKind::Section, section(SymbolKind::Part)),
        "services" => (SymbolKind::Section, section(SymbolKind::Service)),
        "checks" => (SymbolKind::Section, section(SymbolKind::Check)),
        "platforms" => (SymbolKind::Section, section(SymbolKind::Platform)),
        "extensions" if levels > 0 => (SymbolKind::Section, extensions(doc)),
        "extensions" => (SymbolKind::Section, Vec::new()),
        _ => (SymbolKind::Key, fields(doc, e.value, 0, levels)),
    };
    let detail = if kind == SymbolKind::Key {
        value_detail(doc, e.value)
    } else {
        None
    };
    Some(entry_symbol(doc, e, name, kind, detail, children))
}

/// The entries of a `parts`/`services`/`checks`/`platforms` mapping (none when `levels` is 0),
/// with `levels - 1` levels below them.
fn named(doc: &Document, map: NodeId, kind: SymbolKind, levels: usize) -> Vec<Symbol> {
    if levels == 0 {
        return Vec::new();
    }
    doc.tree
        .entries(map)
        .iter()
        .filter_map(|&e| {
            let name = doc.tree.text(e.key)?.to_owned();
            let detail = match kind {
                SymbolKind::Part => part_detail(doc, e.value, &name),
                SymbolKind::Service => service_detail(doc, e.value, &name),
                SymbolKind::Check => ["http", "tcp", "exec"]
                    .into_iter()
                    .find(|k| doc.tree.get(e.value, k).is_some())
                    .map(str::to_owned),
                _ => None,
            };
            let children = fields(doc, e.value, 0, levels - 1);
            Some(entry_symbol(doc, e, name, kind, detail, children))
        })
        .collect()
}

/// The keys of the mapping at `node` (and the items of a list there that are collections),
/// each with its own below it, to [`MAX_OUTLINE_DEPTH`] and at most `levels` levels.
fn fields(doc: &Document, node: NodeId, depth: usize, levels: usize) -> Vec<Symbol> {
    if depth >= MAX_OUTLINE_DEPTH || levels == 0 {
        return Vec::new();
    }
    if doc.tree.is_sequence(node) {
        return doc
            .tree
            .items(node)
            .iter()
            .enumerate()
            .filter(|&(_, &item)| doc.tree.scalar(item).is_none())
            .map(|(i, &item)| {
                let range = doc.range(item);
                // A mapping item is selected by its first key, not all its lines.
                let selection = doc
                    .tree
                    .entries(item)
                    .first()
                    .map_or(range, |e| doc.range(e.key));
                Symbol {
                    name: format!("[{i}]"),
                    detail: None,
                    kind: SymbolKind::Item,
                    range,
                    selection,
                    children: fields(doc, item, depth + 1, levels - 1),
                }
            })
            .collect();
    }
    doc.tree
        .entries(node)
        .iter()
        .filter_map(|&e| {
            let name = doc.tree.text(e.key)?.to_owned();
            let detail = value_detail(doc, e.value);
            let children = fields(doc, e.value, depth + 1, levels - 1);
            Some(entry_symbol(
                doc,
                e,
                name,
                SymbolKind::Key,
                detail,
                children,
            ))
        })
        .collect()
}

/// A value in a few words: a scalar's text, or a list's scalar items joined.
fn value_detail(doc: &Document, node: NodeId) -> Option<String> {
    if !doc.tree.is_sequence(node) {
        return scalar_detail(doc, node);
    }
    let items: Vec<&str> = doc
        .tree
        .items(node)
        .iter()
        .filter_map(|&i| doc.tree.text(i))
        .collect();
    if items.is_empty() {
        return None;
    }
    let joined = items.join(", ");
    if joined.chars().count() <= MAX_DETAIL {
        return Some(joined);
    }
    let cut: String = joined.chars().take(MAX_DETAIL).collect();
    Some(format!("{cut}…"))
}

fn part_detail(doc: &Document, part: NodeId, name: &str) -> Option<String> {
    let plugin = doc
        .tree
        .get(part, "plugin")
        .and_then(|n| doc.tree.text(n))
        .map(|p| format!("plugin: {p}"));
    // Only a part of a declared extension overrides anything.
    let owner = names::generator(doc, NameKind::Part, name).map(|ext| format!("overrides {ext}"));
    match (plugin, owner) {
        (Some(p), Some(o)) => Some(format!("{o}, {p}")),
        (p, o) => p.or(o),
    }
}

fn service_detail(doc: &Document, service: NodeId, name: &str) -> Option<String> {
    let command = doc
        .tree
        .get(service, "command")
        .and_then(|n| scalar_detail(doc, n));
    let owner =
        names::generator(doc, NameKind::Service, name).map(|ext| format!("overrides {ext}"));
    match (owner, command) {
        (Some(o), Some(c)) => Some(format!("{o}: {c}")),
        (o, c) => o.or(c),
    }
}

fn extensions(doc: &Document) -> Vec<Symbol> {
    doc.extension_items()
        .into_iter()
        .map(|(item, name)| {
            let range = doc.range(item);
            Symbol {
                name: name.to_owned(),
                detail: None,
                kind: SymbolKind::Extension,
                range,
                selection: range,
                children: Vec::new(),
            }
        })
        .collect()
}

/// A name a workspace-wide search finds in one project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectName {
    pub name: String,
    pub kind: SymbolKind,
    /// The key (or, for the rock, the `name` value) to select.
    pub range: TextRange,
    /// The rock's name, shown beside a part, service or check.
    pub container: Option<String>,
}

/// The rock's `name` and its parts, services and checks, for workspace symbols.
#[must_use]
pub fn project_names(doc: &Document) -> Vec<ProjectName> {
    let rock = doc
        .top_entry("name")
        .and_then(|e| Some((e, doc.tree.text(e.value)?.to_owned())));
    let mut out = Vec::new();
    if let Some((e, name)) = &rock {
        out.push(ProjectName {
            name: name.clone(),
            kind: SymbolKind::Section,
            range: doc.range(e.value),
            container: None,
        });
    }
    let container = rock.map(|(_, n)| n);
    for (section, kind) in [
        ("parts", SymbolKind::Part),
        ("services", SymbolKind::Service),
        ("checks", SymbolKind::Check),
    ] {
        for e in doc.section(section) {
            if let Some(name) = doc.tree.text(e.key) {
                out.push(ProjectName {
                    name: name.to_owned(),
                    kind,
                    range: doc.range(e.key),
                    container: container.clone(),
                });
            }
        }
    }
    out
}

/// Whether `name` matches a workspace symbol query: its characters appear in `name` in order,
/// ignoring case (what editors' symbol pickers do); an empty query matches everything.
#[must_use]
pub fn matches_query(name: &str, query: &str) -> bool {
    let mut chars = name.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .flat_map(char::to_lowercase)
        .all(|q| chars.any(|c| c == q))
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// The outline as indented lines: `name [kind] detail @ selected text`.
    fn check(text: &str) -> String {
        fn walk(doc: &Document, s: &[Symbol], depth: usize, out: &mut String) {
            for sym in s {
                assert!(sym.range.contains_range(sym.selection), "{sym:?}");
                let _ = writeln!(
                    out,
                    "{}{} [{:?}]{} @ {}",
                    "  ".repeat(depth),
                    sym.name,
                    sym.kind,
                    sym.detail
                        .as_ref()
                        .map(|d| format!(" {d}"))
                        .unwrap_or_default(),
                    doc.text_at(sym.selection)
                );
                walk(doc, &sym.children, depth + 1, out);
            }
        }
        let doc = Document::parse(text);
        let mut out = String::new();
        walk(&doc, &symbols(&doc), 0, &mut out);
        out
    }

    #[test]
    fn outline_of_a_flask_project() {
        let text = "name: hello\nbase: ubuntu@24.04\nsummary: A very long summary that goes on and on and on, far beyond what fits\nplatforms:\n  amd64:\nextensions:\n  - flask-framework\nparts:\n  flask-framework/install-app:\n    prime: [flask/app/app.py]\n  tools:\n    plugin: nil\nservices:\n  flask:\n    override: replace\n    command: gunicorn app:app\n  worker:\n    override: replace\n    command: celery\nchecks:\n  up:\n    override: replace\n    http:\n      url: http://localhost\n";
        insta::assert_snapshot!(check(text), @r#"
            name [Key] hello @ name
            base [Key] ubuntu@24.04 @ base
            summary [Key] A very long summary that goes on and on and on, far beyond w… @ summary
            platforms [Section] @ platforms
              amd64 [Platform] @ amd64
            extensions [Section] @ extensions
              flask-framework [Extension] @ flask-framework
            parts [Section] @ parts
              flask-framework/install-app [Part] overrides flask-framework @ flask-framework/install-app
                prime [Key] flask/app/app.py @ prime
              tools [Part] plugin: nil @ tools
                plugin [Key] nil @ plugin
            services [Section] @ services
              flask [Service] overrides flask-framework: gunicorn app:app @ flask
                override [Key] replace @ override
                command [Key] gunicorn app:app @ command
              worker [Service] celery @ worker
                override [Key] replace @ override
                command [Key] celery @ command
            checks [Section] @ checks
              up [Check] http @ up
                override [Key] replace @ override
                http [Key] @ http
                  url [Key] http://localhost @ url
            "#);
    }

    #[test]
    fn lists_are_summarised_and_their_mappings_outlined_to_a_bounded_depth() {
        let text = "parts:\n  p:\n    stage: [a, b, c]\n    organize:\n      - from: x\n        to: y\nrun-user: _daemon_\nenvironment:\n  KEY: value\n";
        insta::assert_snapshot!(check(text), @r#"
            parts [Section] @ parts
              p [Part] @ p
                stage [Key] a, b, c @ stage
                organize [Key] @ organize
                  [0] [Item] @ from
                    from [Key] x @ from
                    to [Key] y @ to
            run-user [Key] _daemon_ @ run-user
            environment [Key] @ environment
              KEY [Key] value @ KEY
            "#);
        let mut deep = String::new();
        for i in 0..40 {
            let _ = writeln!(deep, "{}k{i}:", "  ".repeat(i));
        }
        let out = check(&deep);
        assert!(out.lines().count() <= MAX_OUTLINE_DEPTH + 2, "{out}");
    }

    #[test]
    fn project_names_and_queries() {
        let doc = Document::parse(
            "name: shop\nparts:\n  web-app:\n    plugin: nil\nservices:\n  worker:\n    command: w\nchecks:\n  up:\n    tcp: {port: 1}\n",
        );
        let names: Vec<String> = project_names(&doc)
            .iter()
            .map(|n| format!("{} {:?} {:?}", n.name, n.kind, n.container))
            .collect();
        assert_eq!(
            names,
            [
                "shop Section None",
                "web-app Part Some(\"shop\")",
                "worker Service Some(\"shop\")",
                "up Check Some(\"shop\")",
            ]
        );
        assert!(matches_query("web-app", "wapp"));
        assert!(matches_query("web-app", "WEB"));
        assert!(matches_query("web-app", ""));
        assert!(!matches_query("web-app", "paw"));
        assert!(project_names(&Document::parse("- a\n")).is_empty());
    }

    #[test]
    fn a_huge_outline_keeps_the_levels_that_fit() {
        let mut text = String::from("name: big\nparts:\n");
        for i in 0..3000 {
            let _ = writeln!(text, "  p{i}:\n    plugin: nil\n    source: .");
        }
        let doc = Document::parse(&text);
        let out = symbols(&doc);
        let parts = &out[1];
        assert_eq!(parts.children.len(), 3000, "every part is kept");
        assert!(
            parts.children.iter().all(|p| p.children.is_empty()),
            "their keys are not"
        );
        // A small one keeps every level.
        let small = symbols(&Document::parse("parts:\n  p:\n    plugin: nil\n"));
        assert_eq!(small[0].children[0].children.len(), 1);
    }

    #[test]
    fn the_count_of_each_level_is_that_of_the_full_outline() {
        fn walk(s: &[Symbol], depth: usize, counts: &mut Vec<usize>) {
            for x in s {
                if counts.len() <= depth {
                    counts.resize(depth + 1, 0);
                }
                counts[depth] += 1;
                walk(&x.children, depth + 1, counts);
            }
        }
        let deep = "a:\n".to_owned() + &"- b:\n".repeat(30);
        let root = env!("CARGO_MANIFEST_DIR");
        let sample = std::fs::read_to_string(format!("{root}/bench/samples/flask/rockcraft.yaml"))
            .unwrap_or_default();
        for text in [
            "name: hello\nextensions:\n  - flask-framework\nparts:\n  flask-framework/install-app:\n    prime: [flask/app/app.py]\nservices:\n  flask:\n    command: gunicorn\n",
            "extensions: [flask-framework]\nparts:\n  p: {plugin: nil, after: [q]}\n  7: x\n",
            "services:\n  s:\n    command: a\nchecks:\n  c:\n    http: {url: x}\nplatforms:\n  amd64:\n",
            "parts: [a, {b: c}]\nx:\n  - [1, [2]]\n  - {k: v}\n",
            &deep,
            &sample,
        ] {
            let doc = Document::parse(text);
            let Some(root) = doc.root_map() else { continue };
            let full: Vec<Symbol> = doc
                .tree
                .entries(root)
                .iter()
                .filter_map(|&e| top_symbol(&doc, e, usize::MAX))
                .collect();
            let mut counts = Vec::new();
            walk(&full, 0, &mut counts);
            assert_eq!(per_depth(&doc, root), counts, "{text}");
            assert_eq!(symbols(&doc), full, "a small outline keeps every level");
        }
    }

    #[test]
    fn broken_and_empty_documents() {
        assert_eq!(check(""), "");
        assert_eq!(check("- a list\n"), "");
        // A syntax error keeps what was parsed before it.
        let out = check("name: x\nparts:\n  a:\n    plugin: nil\n  b: [\n");
        assert!(out.contains("a [Part] plugin: nil"), "{out}");
        // The part of an extension the project does not declare overrides nothing.
        let out = check("parts:\n  flask-framework/install-app:\n    plugin: dump\n");
        assert!(out.contains("install-app [Part] plugin: dump @"), "{out}");
    }
}
