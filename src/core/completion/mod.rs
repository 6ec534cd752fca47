//! Completion for `rockcraft.yaml`: byte offset in, plain completion items out.
//!
//! [`context`] finds what the cursor is on (key, value or list item, its key path, flow or
//! block); the item sources are the schema (keys with snippets and documentation, enum
//! values), the project model (plugins per build base, extensions, part and service names),
//! the project's files (framework `prime`/`stage` paths), and package indexes (Chisel slices,
//! Debian packages). Every item is valid where the cursor is ([`fits`] decides for the values
//! that depend on the rest of the project); the list is ordered likeliest first ([`Rank`]) and
//! items are documented from [`describe`].

pub mod context;
mod paths;
mod schema_items;
#[cfg(test)]
mod tests;

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use crate::core::describe;
use crate::core::diagnostic::Edit;
use crate::core::document::Document;
use crate::core::extensions::ProjectFs;
use crate::core::extensions::registry::{self, EXTENSIONS};
use crate::core::facts::{
    ARCHITECTURES, BARE, DAEMON_USER, DJANGO_INSTALL_APP, PROPRIETARY, SOURCE_TYPES, at_spelling,
    inferred_source_type, is_architecture, plugins_for, prefix_rule, release_of_base, spdx_id,
    spdx_ids,
};
use crate::core::fits::{self, PackageKind};
use crate::core::ide::edit::{Indentation, indentation};
use crate::core::packages::{PackageIndexes, SliceOrigin};
use crate::core::rules;
use crate::core::suggest;
use crate::core::text::TextRange;

use context::{Ctx, Lead, Outline, Seg, Slot};

/// At most this many package items are returned for one request (the list is then partial).
pub const MAX_PACKAGE_ITEMS: usize = 300;

/// At most this many project paths are returned for one request. A directory holding more
/// (generated files, a dataset) gets a list marked incomplete, so the client asks again as the
/// user types, and the entries are then those starting with the typed name.
pub const MAX_PATH_ITEMS: usize = 500;

/// What an item stands for (the server maps it to a protocol kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Key,
    Value,
    Plugin,
    Extension,
    Part,
    Service,
    Check,
    Platform,
    File,
    Folder,
    Slice,
    Package,
}

/// One completion item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// The text replacing `edit_range` (a snippet when `is_snippet`).
    pub insert_text: String,
    pub is_snippet: bool,
    pub edit_range: TextRange,
    /// Edits elsewhere that make the item valid (a `build-base` line for `base: bare`).
    pub additional_edits: Vec<Edit>,
    /// How likely the item is where the cursor is: the list is ordered by it (stable, so
    /// items of one rank keep their order), and the server turns the order into `sortText`.
    pub rank: Rank,
    /// The item the editor should select first (at most one per list).
    pub preselect: bool,
}

/// How likely an item is where the cursor is; likelier items come first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// What a user most often writes there (the `prime` list of an install-app part, the
    /// source type the `source` implies).
    Likely,
    #[default]
    Normal,
    /// Valid but rarely meant (a `copyright` slice, `rockcraft.yaml` in a `prime` list).
    Unlikely,
}

impl Item {
    /// The same item with its snippet placeholders removed, for clients without snippets.
    #[must_use]
    pub fn without_snippet(mut self) -> Self {
        if self.is_snippet {
            self.insert_text = strip_snippet(&self.insert_text);
            self.is_snippet = false;
        }
        self
    }
}

/// `$0`, `$1` and `${1:text}` → `text`; `\$` → `$`.
fn strip_snippet(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '$' => {
                if chars.peek() == Some(&'{') {
                    chars.next();
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    if chars.peek() == Some(&':') {
                        chars.next();
                    }
                    for n in chars.by_ref() {
                        if n == '}' {
                            break;
                        }
                        out.push(n);
                    }
                } else {
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Where completion items may come from besides the document itself.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    /// The project directory (for `prime`/`stage` paths); `None` when unknown.
    pub fs: Option<&'a dyn ProjectFs>,
    /// Chisel slices and Debian packages per release.
    pub packages: &'a dyn PackageIndexes,
    /// Whether experimental extensions are enabled where the project is packed.
    pub experimental: bool,
    /// The latest expansion of the project (also of an older version of the text), for the
    /// parts the extensions really generate for it; `None` when there is none yet.
    pub expanded: Option<&'a serde_json::Value>,
}

/// The completion items at `offset` in `doc`.
#[must_use]
pub fn complete(doc: &Document, offset: u32, sources: &Sources<'_>) -> Vec<Item> {
    complete_list(doc, offset, sources).items
}

/// Completion items, and whether some were left out (the client should ask again).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completions {
    pub items: Vec<Item>,
    /// Project paths were left out ([`MAX_PATH_ITEMS`], or a directory listed in part).
    pub incomplete: bool,
}

/// The completion items at `offset` in `doc`, and whether the list is partial.
#[must_use]
pub fn complete_list(doc: &Document, offset: u32, sources: &Sources<'_>) -> Completions {
    // One view of the lines for the cursor context and the project outline: what either
    // works out about them (block scalars, top-level lines) is worked out once.
    let outline = Outline::new(doc);
    let Some(mut ctx) = context::context(doc, offset, outline.lines()) else {
        return Completions::default();
    };
    // In block style, a place for a list's items that is not written as one yet: a line of
    // its own under the key, or the key's value.
    if !ctx.flow && is_list(&ctx.path) {
        match ctx.slot {
            Slot::Key if !ctx.colon_follows => {
                ctx.slot = Slot::Item;
                ctx.lead = Lead::Dash;
                ctx.siblings.clear();
            }
            Slot::Value => {
                ctx.slot = Slot::Item;
                let column = ctx
                    .items_column
                    .unwrap_or(ctx.key_column + indentation(doc).sequence);
                ctx.lead = Lead::Block(column);
            }
            _ => {}
        }
    }
    let project = Project::new(doc, outline);
    let mut out = Out {
        ctx: &ctx,
        doc,
        indentation: OnceCell::new(),
        items: Vec::new(),
        incomplete: false,
    };
    match ctx.slot {
        Slot::Key => keys(&mut out, &project, sources),
        Slot::Value | Slot::Item => values(&mut out, &project, sources),
    }
    let mut items = out.items;
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.label.clone()));
    items.sort_by_key(|i| i.rank);
    // One item preselected at most: the likeliest.
    let mut preselected = false;
    for i in &mut items {
        if preselected {
            i.preselect = false;
        }
        preselected |= i.preselect;
    }
    Completions {
        items,
        incomplete: out.incomplete,
    }
}

/// Project facts read from the text (they survive syntax errors) and the tree, each computed
/// on first use: most requests need none of them, and some (the part names) read a whole
/// top-level section.
struct Project<'a> {
    doc: &'a Document,
    outline: Outline<'a>,
    base: OnceCell<Option<String>>,
    build_base: OnceCell<Option<String>>,
    parts: OnceCell<Vec<String>>,
    services: OnceCell<Vec<String>>,
    checks: OnceCell<Vec<String>>,
    extensions: OnceCell<Vec<String>>,
}

impl<'a> Project<'a> {
    fn new(doc: &'a Document, outline: Outline<'a>) -> Self {
        Self {
            doc,
            outline,
            base: OnceCell::new(),
            build_base: OnceCell::new(),
            parts: OnceCell::new(),
            services: OnceCell::new(),
            checks: OnceCell::new(),
            extensions: OnceCell::new(),
        }
    }

    fn outline(&self) -> &Outline<'a> {
        &self.outline
    }

    fn base(&self) -> Option<&str> {
        self.base
            .get_or_init(|| {
                self.doc
                    .base()
                    .map(str::to_owned)
                    .or_else(|| self.outline().top_value("base"))
            })
            .as_deref()
    }

    fn build_base(&self) -> Option<&str> {
        self.build_base
            .get_or_init(|| {
                self.doc
                    .effective_build_base()
                    .or_else(|| self.outline().top_value("build-base"))
                    .or_else(|| self.base().filter(|b| *b != BARE).map(str::to_owned))
                    .map(|b| at_spelling(&b))
            })
            .as_deref()
    }

    /// The project directory a `dump` part copies, when its `source` is a local directory
    /// inside the project (`.`, `web`, `./static`): `""` for the project root. Remote, absolute
    /// and parent-relative sources are not followed.
    fn dump_source(&self, part: &str) -> Option<String> {
        let tree = &self.doc.tree;
        let node = tree.get(tree.top("parts")?, part)?;
        if tree.text(tree.get(node, "plugin")?)? != "dump" {
            return None;
        }
        let source = tree.text(tree.get(node, "source")?)?.trim();
        let remote = source.contains("://") || source.starts_with("git@");
        if remote || source.starts_with('/') || source.split('/').any(|s| s == "..") {
            return None;
        }
        let dir: Vec<&str> = source
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect();
        Some(dir.join("/"))
    }

    fn parts(&self) -> &[String] {
        self.parts.get_or_init(|| self.outline().children("parts"))
    }

    fn services(&self) -> &[String] {
        self.services
            .get_or_init(|| self.outline().children("services"))
    }

    fn checks(&self) -> &[String] {
        self.checks
            .get_or_init(|| self.outline().children("checks"))
    }

    fn extensions(&self) -> &[String] {
        self.extensions.get_or_init(|| {
            let mut extensions = self.outline().list("extensions");
            for (_, e) in self.doc.extension_items() {
                if !extensions.iter().any(|x| x == e) {
                    extensions.push(e.to_owned());
                }
            }
            extensions
        })
    }

    fn declared(&self) -> impl Iterator<Item = &'static registry::ExtensionInfo> + '_ {
        self.extensions().iter().filter_map(|e| registry::find(e))
    }

    /// Part names: the project's and those its extensions generate.
    fn all_parts(&self, sources: &Sources<'_>) -> Vec<String> {
        let mut v = self.parts().to_vec();
        for ext in self.declared() {
            v.extend(generated_parts(ext, sources));
        }
        v
    }

    fn all_services(&self) -> Vec<String> {
        let mut v = self.services().to_vec();
        for ext in self.declared() {
            v.extend(ext.services.iter().map(|s| (*s).to_owned()));
        }
        v
    }
}

/// The parts `ext` generates for this project: those of the latest expansion, else every part
/// it can generate (on some bases or with some files only).
fn generated_parts(ext: &registry::ExtensionInfo, sources: &Sources<'_>) -> Vec<String> {
    let prefix = format!("{}/", ext.name);
    if let Some(parts) = sources
        .expanded
        .and_then(|e| e.get("parts"))
        .and_then(serde_json::Value::as_object)
    {
        return parts
            .keys()
            .filter(|p| p.starts_with(&prefix))
            .cloned()
            .collect();
    }
    ext.parts.iter().map(|p| format!("{prefix}{p}")).collect()
}

struct Out<'c> {
    ctx: &'c Ctx,
    doc: &'c Document,
    /// How the document indents, for the blocks key items write (read on first use).
    indentation: OnceCell<Indentation>,
    items: Vec<Item>,
    /// Some items were left out.
    incomplete: bool,
}

impl Out<'_> {
    fn indentation(&self) -> Indentation {
        *self.indentation.get_or_init(|| indentation(self.doc))
    }

    /// A plain value item, written with what it needs before it where the cursor is.
    fn value(
        &mut self,
        label: &str,
        kind: ItemKind,
        detail: Option<String>,
        doc: Option<String>,
    ) -> &mut Item {
        let insert = match self.ctx.lead {
            Lead::None => label.to_owned(),
            Lead::Space => format!(" {label}"),
            Lead::Dash => format!("- {label}"),
            Lead::Block(column) => format!("\n{}- {label}", " ".repeat(column)),
        };
        self.push(Item {
            label: label.to_owned(),
            kind,
            detail,
            documentation: doc,
            insert_text: insert,
            is_snippet: false,
            edit_range: self.ctx.range,
            additional_edits: Vec::new(),
            rank: Rank::Normal,
            preselect: false,
        })
    }

    fn push(&mut self, item: Item) -> &mut Item {
        self.items.push(item);
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    /// A key item; `shape` decides what follows the colon.
    fn key(
        &mut self,
        label: &str,
        kind: ItemKind,
        shape: Shape,
        detail: Option<String>,
        doc: Option<String>,
    ) -> &mut Item {
        let (insert_text, is_snippet) = if self.ctx.colon_follows {
            (label.to_owned(), false)
        } else if self.ctx.flow {
            (format!("{label}: $0"), true)
        } else {
            // The block below the key, indented as the document indents.
            let ind = self.indentation();
            match shape {
                Shape::Scalar => (format!("{label}: $0"), true),
                Shape::List => {
                    let inner = " ".repeat(self.ctx.column + ind.sequence);
                    (format!("{label}:\n{inner}- $0"), true)
                }
                Shape::Mapping => {
                    let inner = " ".repeat(self.ctx.column + ind.unit);
                    (format!("{label}:\n{inner}$0"), true)
                }
            }
        };
        self.push(Item {
            label: label.to_owned(),
            kind,
            detail,
            documentation: doc,
            insert_text,
            is_snippet,
            edit_range: self.ctx.range,
            additional_edits: Vec::new(),
            rank: Rank::Normal,
            preselect: false,
        })
    }

    fn has_sibling(&self, name: &str) -> bool {
        self.ctx.siblings.iter().any(|(k, _)| k == name)
    }

    fn sibling_value(&self, name: &str) -> Option<&str> {
        self.ctx
            .siblings
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a key's value looks like, for its snippet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Scalar,
    List,
    Mapping,
}

/// Whether the value at `path` is a list (`extensions`, which the schema of the expanded
/// project does not have, included).
fn is_list(path: &[Seg]) -> bool {
    matches!(path, [Seg::Key(k)] if k == "extensions") || schema_items::is_list(path)
}

fn key_str(path: &[Seg], i: usize) -> Option<&str> {
    match path.get(i)? {
        Seg::Key(k) => Some(k),
        Seg::Item => None,
    }
}

fn keys(out: &mut Out<'_>, project: &Project<'_>, sources: &Sources<'_>) {
    let path = out.ctx.path.clone();
    let p: Vec<Option<&str>> = (0..path.len()).map(|i| key_str(&path, i)).collect();
    match p.as_slice() {
        [] => {
            schema_items::keys(out, &path, None);
            if !out.has_sibling("extensions") {
                out.key(
                    "extensions",
                    ItemKind::Key,
                    Shape::List,
                    Some("list of extensions".into()),
                    Some("The 12-factor extensions the project uses (`flask-framework`, `django-framework`, ...). Each adds parts, services and checks.".into()),
                );
            }
        }
        [Some("parts")] => {
            for ext in project.declared() {
                for name in generated_parts(ext, sources) {
                    // Declaring it replaces the whole part (see the plugins rule): not offered.
                    if !out.has_sibling(&name) && name != DJANGO_INSTALL_APP {
                        let item = out.key(
                            &name,
                            ItemKind::Part,
                            Shape::Mapping,
                            Some(format!("part generated by {}", ext.name)),
                            Some(format!("Override or extend the `{name}` part that the `{}` extension generates.", ext.name)),
                        );
                        // The part whose files and packages a user most often adds to.
                        if name.ends_with("/install-app") {
                            item.rank = Rank::Likely;
                        }
                    }
                }
            }
        }
        [Some("parts"), Some(part)] => {
            let plugin = out.sibling_value("plugin").map(str::to_owned);
            let first = out.items.len();
            schema_items::keys(out, &path, plugin.as_deref());
            rank_extension_part_keys(&mut out.items[first..], part);
        }
        [Some("parts"), Some(part), Some("organize")] => {
            if let Some(fs) = sources.fs
                && let Some(root) = project.dump_source(part)
            {
                paths::complete(out, fs, &root, "", paths::As::Key);
            }
        }
        [Some("platforms")] => {
            for arch in ARCHITECTURES {
                if !out.has_sibling(arch) {
                    out.key(
                        arch,
                        ItemKind::Platform,
                        Shape::Mapping,
                        Some("architecture".into()),
                        describe::architecture(arch),
                    );
                }
            }
        }
        [Some("services"), Some(_), Some("on-check-failure")] => {
            for c in project.checks() {
                if !out.has_sibling(c) {
                    out.key(
                        c,
                        ItemKind::Check,
                        Shape::Scalar,
                        Some("health check".into()),
                        None,
                    );
                }
            }
        }
        [Some("services")] => {
            for s in project.all_services() {
                if !out.has_sibling(&s) && !project.services().contains(&s) {
                    out.key(
                        &s,
                        ItemKind::Service,
                        Shape::Mapping,
                        Some("service generated by an extension".into()),
                        None,
                    );
                }
            }
        }
        _ => schema_items::keys(out, &path, None),
    }
}

fn values(out: &mut Out<'_>, project: &Project<'_>, sources: &Sources<'_>) {
    let item = out.ctx.slot == Slot::Item;
    let path = out.ctx.path.clone();
    let p: Vec<Option<&str>> = (0..path.len()).map(|i| key_str(&path, i)).collect();
    let taken = |out: &Out<'_>, s: &str| item && out.has_sibling(s);
    match (p.as_slice(), item) {
        ([Some("extensions")], true) => {
            let base = project.base().or(project.build_base());
            for ext in EXTENSIONS {
                if taken(out, ext.name) {
                    continue;
                }
                // Only what the bases offer (experimental ones when enabled).
                if let Some(b) = project.base()
                    && !registry::expands_on(ext, b, project.doc.build_base(), sources.experimental)
                {
                    continue;
                }
                let bases = registry::all_bases(ext);
                let experimental = base.is_some_and(|b| registry::experimental_on(ext, b));
                let detail = if experimental {
                    format!("experimental on {}", base.unwrap_or_default())
                } else {
                    format!("bases: {}", bases.join(", "))
                };
                let doc = describe::extension(ext, project.base(), project.doc.build_base());
                out.value(ext.name, ItemKind::Extension, Some(detail), Some(doc));
            }
        }
        ([Some("parts"), Some(part), Some("plugin")], false) => {
            let fits = fits::Fits::new(project.doc);
            for pl in plugins_for(project.build_base()) {
                // Only plugins that take the keys the part already has.
                if !fits.value_fits(&["parts", part, "plugin"], pl, sources.experimental) {
                    continue;
                }
                let detail = project
                    .build_base()
                    .map(|b| format!("plugin available on {b}"));
                out.value(pl, ItemKind::Plugin, detail, Some(describe::plugin(pl)));
            }
        }
        ([Some("parts"), Some(me), Some("after")], true) => {
            // Parts already after this one would close a circle.
            let later = parts_after(project.doc, me);
            for part in project.all_parts(sources) {
                if part != *me && !taken(out, &part) && !later.contains(part.as_str()) {
                    out.value(&part, ItemKind::Part, Some("part".into()), None);
                }
            }
        }
        ([Some("adopt-info")], false) => {
            for part in project.all_parts(sources) {
                out.value(&part, ItemKind::Part, Some("part".into()), None);
            }
        }
        (
            [
                Some("services"),
                Some(me),
                Some("after" | "before" | "requires"),
            ],
            true,
        ) => {
            for s in project.all_services() {
                if s != *me && !taken(out, &s) {
                    out.value(&s, ItemKind::Service, Some("service".into()), None);
                }
            }
        }
        ([Some("entrypoint-service")], false) => {
            for s in project.all_services() {
                out.value(&s, ItemKind::Service, Some("service".into()), None);
            }
        }
        (
            [
                Some("platforms"),
                Some(label),
                Some(key @ ("build-on" | "build-for")),
            ],
            _,
        ) => {
            // A platform named after an architecture builds for that architecture only.
            let only = (*key == "build-for" && is_architecture(label)).then_some(*label);
            for a in ARCHITECTURES {
                if !taken(out, a) && only.is_none_or(|o| o == *a) {
                    let doc = describe::architecture(a);
                    out.value(a, ItemKind::Platform, Some("architecture".into()), doc);
                }
            }
        }
        ([Some("parts"), Some(part), Some(key @ ("prime" | "stage"))], true) => {
            let Some(fs) = sources.fs else { return };
            if registry::owner_of_part(part).is_some() {
                // Only the lists rockcraft reads to choose the app's files (flask's and
                // fastapi's install-app `prime`, go's and spring-boot's assets `stage`), under
                // the directory it copies the app to; other lists of an extension part name
                // files of the build, not of the project.
                if let Some(rule) = prefix_rule(part).filter(|r| r.key == *key) {
                    paths::complete(out, fs, "", rule.dir, paths::As::Value);
                }
            } else if let Some(root) = project.dump_source(part) {
                // A `dump` part installs its source tree as is.
                paths::complete(out, fs, &root, "", paths::As::Value);
            }
        }
        (
            [
                Some("parts"),
                Some(_),
                Some(key @ ("stage-packages" | "build-packages" | "overlay-packages")),
            ],
            true,
        ) => {
            packages(out, project, sources, *key == "stage-packages");
        }
        ([Some("license")], false) => license(out),
        ([Some("parts"), Some(part), Some("source-type")], false) => {
            source_types(out, project, part, sources.experimental);
        }
        (
            [Some("services"), Some(_), Some("user")]
            | [Some("checks"), Some(_), Some("exec"), Some("user")],
            false,
        ) => users(out, project),
        ([Some("parts"), Some(_), Some("build-snaps" | "stage-snaps")], true) => {
            snaps(out, project, sources);
        }
        ([Some(key @ ("base" | "build-base"))], false) => {
            // The schema's values, less those the rest of the project refuses.
            let first = out.items.len();
            schema_items::values(out, &path);
            let mut offered = out.items.split_off(first);
            let doc = project.doc;
            let fits = fits::Fits::new(doc);
            offered.retain_mut(|item| {
                if fits.value_fits(&[*key], &item.label, sources.experimental) {
                    return true;
                }
                // `bare` and the development series come with the build base they need.
                let Some(bb) = (*key == "base")
                    .then(|| fits.build_base_for(&item.label, sources.experimental))
                    .flatten()
                else {
                    return false;
                };
                let (range, text) = rules::build_base_edit(doc, bb);
                item.detail = Some(format!("adds `build-base: {bb}`"));
                item.additional_edits.push(Edit { range, text });
                true
            });
            out.items.extend(offered);
        }
        _ => {
            // The schema's values, less those the rest of the project refuses.
            let first = out.items.len();
            schema_items::values(out, &path);
            if let Some(keys) = p.iter().copied().collect::<Option<Vec<&str>>>() {
                let mut offered = out.items.split_off(first);
                let fits = fits::Fits::new(project.doc);
                offered.retain(|item| fits.value_fits(&keys, &item.label, sources.experimental));
                out.items.extend(offered);
            }
        }
    }
}

/// The parts that come after `part`, directly or through others (by their `after` lists).
fn parts_after<'d>(doc: &'d Document, part: &str) -> HashSet<&'d str> {
    let tree = &doc.tree;
    // Who names whom in `after`, read once: the search is then linear.
    let mut waiting: HashMap<&'d str, Vec<&'d str>> = HashMap::new();
    for p in doc.section("parts") {
        let (Some(name), Some(after)) = (tree.text(p.key), tree.get(p.value, "after")) else {
            continue;
        };
        let items = if tree.is_sequence(after) {
            tree.items(after)
        } else {
            std::slice::from_ref(&after)
        };
        for dep in items.iter().filter_map(|&i| tree.text(i)) {
            waiting.entry(dep).or_default().push(name);
        }
    }
    let mut later = HashSet::new();
    let mut frontier = vec![part];
    while let Some(done) = frontier.pop() {
        for &name in waiting.get(done).map_or(&[][..], Vec::as_slice) {
            if later.insert(name) {
                frontier.push(name);
            }
        }
    }
    later
}

/// The kind of the list being completed ([`fits::stage_packages_kind`]): what its other items
/// are, else what the latest expansion holds there, else slices on `bare` and Debian packages
/// elsewhere. Lists other than `stage-packages` take Debian packages only.
fn list_kind(
    out: &Out<'_>,
    project: &Project<'_>,
    sources: &Sources<'_>,
    stage: bool,
) -> PackageKind {
    let part = match out.ctx.path.get(1) {
        Some(Seg::Key(part)) if stage => part.as_str(),
        _ => return PackageKind::Debs,
    };
    let written = out.ctx.siblings.iter().map(|(item, _)| item.as_str());
    fits::stage_packages_kind(
        written,
        &out.ctx.word,
        sources.expanded,
        part,
        project.base(),
    )
}

fn packages(out: &mut Out<'_>, project: &Project<'_>, sources: &Sources<'_>, stage: bool) {
    let word = out.ctx.word.clone();
    let release = project.build_base().and_then(release_of_base);
    let known = sources.packages.for_release(release.as_deref());
    let kind = list_kind(out, project, sources, stage);
    let mut n = 0;
    if kind == PackageKind::Slices
        && let (Some(release), Some((slices, origin))) = (&release, known.slices)
    {
        let (pkg_prefix, slice_prefix) = match word.rsplit_once('_') {
            Some((p, s)) => (p.to_owned(), Some(s.to_owned())),
            None => (word.clone(), None),
        };
        let detail = match origin {
            SliceOrigin::Bundled => format!("Chisel slice ({release})"),
            SliceOrigin::Checkout => format!("Chisel slice ({release}, your chisel-releases)"),
        };
        // Read lazily: the loop stops at the item cap.
        let candidates: Box<dyn Iterator<Item = _>> = match &slice_prefix {
            Some(_) => Box::new(slices.package(&pkg_prefix).into_iter()),
            None => Box::new(slices.with_prefix(&pkg_prefix)),
        };
        for pkg in candidates {
            for slice in &pkg.slices {
                if slice_prefix
                    .as_ref()
                    .is_some_and(|s| !slice.starts_with(s.as_str()))
                {
                    continue;
                }
                let label = format!("{}_{slice}", pkg.package);
                if out.has_sibling(&label) {
                    continue;
                }
                let doc = describe::slice(&known, &label);
                let item = out.value(&label, ItemKind::Slice, Some(detail.clone()), Some(doc));
                // Other slices pull in a package's `copyright` slice where it is needed.
                if &**slice == "copyright" {
                    item.rank = Rank::Unlikely;
                }
                n += 1;
                if n >= MAX_PACKAGE_ITEMS {
                    return;
                }
            }
        }
    }
    if kind == PackageKind::Slices {
        return;
    }
    if known.has_debs() {
        // Several indexes (the user's files, the host's lists): merged in name order.
        let mut debs: Vec<_> = known
            .debs
            .iter()
            .flat_map(|d| d.with_prefix(&word).take(MAX_PACKAGE_ITEMS))
            .collect();
        debs.sort_by(|a, b| a.name.cmp(b.name));
        debs.dedup_by(|a, b| a.name == b.name);
        for deb in debs {
            if out.has_sibling(deb.name) {
                continue;
            }
            let summary = deb.description.lines().next().map(str::to_owned);
            out.value(
                deb.name,
                ItemKind::Package,
                summary,
                Some(describe::deb(&known, deb.name)),
            );
            n += 1;
            if n >= MAX_PACKAGE_ITEMS {
                return;
            }
        }
    } else if let (Some(release), Some((slices, _))) = (&release, known.slices) {
        // No package list loaded: the packages that have slices are real packages too.
        for pkg in slices.with_prefix(&word) {
            if out.has_sibling(&pkg.package) {
                continue;
            }
            out.value(
                &pkg.package,
                ItemKind::Package,
                Some(format!("Ubuntu package ({release}, has Chisel slices)")),
                Some(describe::deb(&known, &pkg.package)),
            );
            n += 1;
            if n >= MAX_PACKAGE_ITEMS {
                return;
            }
        }
    }
}

/// Under a part an extension generates, the key a user most often adds comes first: the list
/// the extension's prefix rule checks (`prime` of an install-app part, `stage` of an assets
/// part), then `stage-packages` of an install-app part.
fn rank_extension_part_keys(items: &mut [Item], part: &str) {
    if registry::owner_of_part(part).is_none() {
        return;
    }
    let listed = prefix_rule(part).map(|r| r.key);
    let install_app = part.ends_with("/install-app");
    for item in items.iter_mut() {
        if Some(item.label.as_str()) == listed {
            item.rank = Rank::Likely;
            item.preselect = true;
        } else if install_app && item.label == "stage-packages" {
            item.rank = Rank::Likely;
            item.preselect = listed.is_none();
        }
    }
    // The preselected key first among the likely ones.
    items.sort_by_key(|i| (i.rank, !i.preselect));
}

/// `license`: `proprietary` and the SPDX identifiers rockcraft knows; those starting with the
/// typed text (in any case) first, the one it spells (in another case, or with a typo)
/// preselected.
fn license(out: &mut Out<'_>) {
    let word = out.ctx.word.to_ascii_lowercase();
    let exact = spdx_id(&word).or((word == PROPRIETARY).then_some(PROPRIETARY));
    let meant = exact.or_else(|| {
        let starts = spdx_ids()
            .iter()
            .any(|id| id.to_ascii_lowercase().starts_with(&word));
        (!word.is_empty() && !starts)
            .then(|| suggest::closest(&out.ctx.word, spdx_ids().iter().copied()))
            .flatten()
    });
    for id in std::iter::once(PROPRIETARY).chain(spdx_ids().iter().copied()) {
        let detail = if id == PROPRIETARY {
            "not an open-source licence"
        } else {
            "SPDX licence identifier"
        };
        let starts = !word.is_empty() && id.to_ascii_lowercase().starts_with(&word);
        let item = out.value(
            id,
            ItemKind::Value,
            Some(detail.into()),
            Some(describe::license(id)),
        );
        if Some(id) == meant {
            item.rank = Rank::Likely;
            item.preselect = true;
        } else if starts {
            item.rank = Rank::Likely;
        }
    }
}

/// `source-type`: craft-parts' source types that take the options the part sets; the type
/// its `source` implies first and preselected.
fn source_types(out: &mut Out<'_>, project: &Project<'_>, part: &str, experimental: bool) {
    let tree = &project.doc.tree;
    let implied = tree
        .top("parts")
        .and_then(|p| tree.get(p, part))
        .and_then(|p| tree.get(p, "source"))
        .and_then(|s| tree.text(s))
        .and_then(inferred_source_type);
    let fits = fits::Fits::new(project.doc);
    for t in SOURCE_TYPES {
        let keys = ["parts", part, "source-type"];
        if !fits.value_fits(&keys, t.name, experimental) {
            continue;
        }
        let item = out.value(
            t.name,
            ItemKind::Value,
            Some(t.what.to_owned()),
            Some(describe::source_type(t)),
        );
        if Some(t.name) == implied {
            item.rank = Rank::Likely;
            item.preselect = true;
        } else if t.name == "local" && implied.is_some() {
            item.rank = Rank::Unlikely;
        }
    }
}

/// A service's or check's `user`: the users the rock is known to have. `_daemon_` exists when
/// rockcraft creates it (`run-user: _daemon_`, which every framework extension sets); `root`
/// exists in the Ubuntu bases, not necessarily on `bare`.
fn users(out: &mut Out<'_>, project: &Project<'_>) {
    let run_user = ["run-user", "run_user"]
        .iter()
        .find_map(|k| project.outline().top_value(k));
    if run_user.as_deref() == Some(DAEMON_USER) || project.declared().next().is_some() {
        let item = out.value(
            DAEMON_USER,
            ItemKind::Value,
            Some("the user rockcraft creates for `run-user`".into()),
            Some(format!("`{DAEMON_USER}` (UID and GID 584792): rockcraft creates it when `run-user` is `{DAEMON_USER}`, as every framework extension sets it.")),
        );
        item.preselect = true;
    }
    if project.base().is_some_and(|b| b != BARE) {
        out.value(
            "root",
            ItemKind::Value,
            Some("the Ubuntu base's superuser".into()),
            Some("`root` is in the Ubuntu base images; a `bare` rock has only the users its slices or rockcraft add.".into()),
        );
    }
}

/// `build-snaps`/`stage-snaps`: no list of snaps is bundled, so only the snaps this project
/// already installs elsewhere (in its own parts or in those its extensions generate).
fn snaps(out: &mut Out<'_>, project: &Project<'_>, sources: &Sources<'_>) {
    const KEYS: [&str; 2] = ["build-snaps", "stage-snaps"];
    let mut found: Vec<(String, &'static str)> = Vec::new();
    let tree = &project.doc.tree;
    for p in project.doc.section("parts") {
        for key in KEYS {
            let Some(list) = tree.get(p.value, key) else {
                continue;
            };
            let items = tree.items(list).iter().filter(|&&i| !tree.is_null(i));
            for snap in items.filter_map(|&i| tree.text(i)) {
                found.push((snap.to_owned(), "snap this project installs"));
            }
        }
    }
    if let Some(parts) = sources
        .expanded
        .and_then(|e| e.get("parts"))
        .and_then(serde_json::Value::as_object)
    {
        for part in parts.values() {
            for key in KEYS {
                let items = part.get(key).and_then(serde_json::Value::as_array);
                for snap in items.into_iter().flatten().filter_map(|s| s.as_str()) {
                    found.push((snap.to_owned(), "snap an extension installs"));
                }
            }
        }
    }
    let word = out.ctx.word.clone();
    let mut seen = HashSet::new();
    for (snap, detail) in found {
        if snap.is_empty() || snap == word || out.has_sibling(&snap) || !seen.insert(snap.clone()) {
            continue;
        }
        out.value(
            &snap,
            ItemKind::Package,
            Some(detail.into()),
            Some(format!("`{snap}` is already installed elsewhere in this project. No list of snaps is bundled, so only those are offered; any snap of the Snap Store (`name/track/risk`) may be written.")),
        );
    }
}
