//! Code actions: quick fixes carried by diagnostics, and refactorings computed from the
//! current expansion (override a generated service, add packages, choose the files that go
//! into the image, start a project from a profile).

use serde_json::{Map, Value, json};

use crate::core::diagnostic::{Diagnostic, Edit};
use crate::core::document::Document;
use crate::core::extensions::registry::ExtensionInfo;
use crate::core::facts::{self, DJANGO_INSTALL_APP};
use crate::core::fits::{self, PackageKind};
use crate::core::ide::edit::{after_node, indentation, insert_entries};
use crate::core::ide::expansion::ExpansionResult;
use crate::core::text::{TextRange, TextSize};
use crate::core::yaml::Entry;

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
    /// Where the user types next, for clients that can take them there (`None`: the edits
    /// are the whole action).
    pub snippet: Option<Snippet>,
}

/// The interactive form of an action: the user is left typing where the action made room
/// (a new list item), rather than facing a placeholder to replace, which would be an error
/// (or, worse, a real name) if left as is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// The edits in LSP snippet syntax, with a `$0` tab stop where the user types (`$`, `}`
    /// and `\` of the text escaped). They may differ from the plain edits: a new empty list
    /// item is fine in the middle of a snippet session, not as the result of a plain edit.
    pub edits: Vec<Edit>,
    /// Where the cursor goes once the action's plain edits are applied: an offset in the
    /// text they produce.
    pub cursor: TextSize,
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
                snippet: None,
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
        if let Some(a) = add_packages(doc, expanded, info) {
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
        snippet: None,
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

/// The parts of an extension that packages are added to, in order of preference: the first
/// the extension generates for this project is taken (the framework's dependencies, else its
/// runtime, else the app itself: `expressjs-framework/install-app` when Node.js comes with
/// the app and there is no runtime part).
const PACKAGE_PARTS: &[&str] = &["dependencies", "runtime", "install-app"];

/// Stands for the cursor in text built for a snippet, until it is escaped and replaced by
/// `$0` (a plain scalar the emitter writes as is).
const CURSOR_MARK: &str = "ROCKCRAFT_LSP_CURSOR_MARK";

/// (b) "Add Debian packages" or "Add chisel slices" to the `stage-packages` of the part of
/// the extension that takes the project's packages, of the one kind that part's list holds
/// ([`fits::stage_packages_kind`]: what is written, else what the extension generates there,
/// else slices on `bare`). The plain edits make room and stay valid (`stage-packages: []`, a
/// blank line in a block list, `, ` in a flow list); the snippet writes the `- ` and leaves
/// the cursor after it.
fn add_packages(doc: &Document, expanded: &Value, info: &ExtensionInfo) -> Option<Action> {
    let generated = expanded.get("parts")?;
    let part = PACKAGE_PARTS
        .iter()
        .filter(|sub| info.parts.contains(sub))
        .map(|sub| format!("{}/{sub}", info.name))
        .find(|p| p != DJANGO_INSTALL_APP && generated.get(p).is_some())?;
    let user_part = doc
        .section("parts")
        .iter()
        .find(|e| doc.tree.text(e.key) == Some(part.as_str()))
        .copied();
    if user_part.is_none() && !fits::part_name_fits(doc, &part) {
        return None;
    }
    let list = user_part.and_then(|p| doc.tree.entry(p.value, "stage-packages"));
    let written: Vec<&str> = list
        .map(|l| {
            doc.tree
                .items(l.value)
                .iter()
                .filter_map(|&i| doc.tree.text(i))
                .collect()
        })
        .unwrap_or_default();
    let kind = fits::stage_packages_kind(
        written.iter().copied(),
        "",
        Some(expanded),
        &part,
        doc.base(),
    );
    let what = match kind {
        PackageKind::Debs => "Debian packages",
        PackageKind::Slices => "chisel slices",
    };
    let room = if let Some(list) = list {
        append_item(doc, list)?
    } else {
        new_list(doc, &part)?
    };
    let mut action = refactor(format!("Add {what} to {part}"), room.edits);
    action.snippet = Some(room.snippet);
    Some(action)
}

/// The edits making room for one more `stage-packages` entry, plain and as a snippet.
struct Room {
    edits: Vec<Edit>,
    snippet: Snippet,
}

impl Room {
    /// One insertion at `offset` each: `plain` with the cursor `cursor` bytes into it, and
    /// `snippet`.
    fn insert(offset: usize, plain: &str, cursor: usize, snippet: &str) -> Option<Self> {
        let at = TextSize::from(u32::try_from(offset).ok()?);
        let edit = |text: &str| Edit {
            range: TextRange::empty(at),
            text: text.to_owned(),
        };
        Some(Self {
            edits: if plain.is_empty() {
                Vec::new()
            } else {
                vec![edit(plain)]
            },
            snippet: Snippet {
                edits: vec![edit(snippet)],
                cursor: at + TextSize::from(u32::try_from(cursor).ok()?),
            },
        })
    }
}

/// A `stage-packages` list for `part`, the part added when the user has not declared it:
/// `stage-packages: []` (rockcraft fills an empty list of an extension's part with the
/// generated one) with the cursor inside, or the snippet's first item.
fn new_list(doc: &Document, part: &str) -> Option<Room> {
    let entries = |v: Value| {
        let mut m = Map::new();
        m.insert("stage-packages".into(), v);
        m
    };
    let plain = insert_entries(doc, &["parts", part], &entries(json!([])))?;
    let marked = insert_entries(doc, &["parts", part], &entries(json!([CURSOR_MARK])))?;
    // Inside the `[]` just written.
    let inside = plain.text.rfind("[]")? + 1;
    let cursor = plain.range.start() + TextSize::from(u32::try_from(inside).ok()?);
    Some(Room {
        edits: vec![plain],
        snippet: Snippet {
            edits: vec![Edit {
                range: marked.range,
                text: snippet_text(&marked.text),
            }],
            cursor,
        },
    })
}

/// Room for one more item in an existing `stage-packages` entry: a flow list (`[a]`, `[]`),
/// a block list, or no value yet.
fn append_item(doc: &Document, list: Entry) -> Option<Room> {
    let value = doc.range(list.value);
    let items = doc.tree.items(list.value);
    if doc.text_at(value).starts_with('[') {
        if let Some(&last) = items.last() {
            let end = usize::from(doc.range(last).end());
            return Room::insert(end, ", ", 2, ", $0");
        }
        // `[]` (spaces inside kept): the cursor goes before the `]`.
        let close = usize::from(value.end()).checked_sub(1)?;
        return Room::insert(close, "", 0, "$0");
    }
    if let Some(&last) = items.last() {
        // A block list: a line below the last item, in the items' column.
        let start = usize::from(doc.range(last).start());
        let ls = crate::core::text::line_start(&doc.text, start);
        let line = &doc.text[ls..start];
        let pad = " ".repeat(line.len() - line.trim_start_matches(' ').len());
        let (pos, nl) = after_node(doc, last);
        let nl = if nl { "\n" } else { "" };
        return Room::insert(
            pos,
            &format!("{nl}{pad}\n"),
            nl.len() + pad.len(),
            &format!("{nl}{pad}- $0\n"),
        );
    }
    if doc.tree.is_null(list.value) && doc.text_at(value).is_empty() {
        // `stage-packages:` with nothing: an empty list, or the first item below.
        let key = doc.key_range(list);
        let colon = usize::from(key.end());
        let colon = colon + doc.text[colon..].find(':')? + 1;
        let key_start = usize::from(key.start());
        let key_col = key_start - crate::core::text::line_start(&doc.text, key_start);
        let pad = " ".repeat(key_col + indentation(doc).sequence);
        return Room::insert(colon, " []", 2, &format!("\n{pad}- $0"));
    }
    None
}

/// Text built with [`CURSOR_MARK`] as a snippet: its own `$`, `}` and `\` escaped, the mark
/// replaced by the final tab stop.
fn snippet_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.replacen(CURSOR_MARK, "$0", 1)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ide::edit::apply_edits;

    const HEAD: &str =
        "name: my-app\nversion: '0.1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\n";

    /// The "Add …" actions offered for `src` with `expanded` as its expansion.
    fn adds(src: &str, expanded: &Value) -> Vec<Action> {
        let doc = Document::parse(src);
        let result = ExpansionResult {
            expanded: Some(expanded.clone()),
            warnings: Vec::new(),
            diagnostics: Vec::new(),
            default_prime: Vec::new(),
        };
        actions(&doc, Some(&result), TextRange::empty(0.into()), &[])
            .into_iter()
            .filter(|a| a.title.starts_with("Add "))
            .collect()
    }

    /// The one "Add …" action: its title, the text its plain edits give with `|` at the
    /// cursor, and the text its snippet gives.
    fn add(src: &str, expanded: &Value) -> (String, String, String) {
        let found = adds(src, expanded);
        assert_eq!(found.len(), 1, "{found:#?}");
        let a = &found[0];
        let snippet = a.snippet.as_ref().unwrap();
        let mut plain = apply_edits(src, &a.edits);
        plain.insert(usize::from(snippet.cursor), '|');
        (a.title.clone(), plain, apply_edits(src, &snippet.edits))
    }

    fn parts(parts: &Value) -> Value {
        json!({ "parts": parts })
    }

    #[test]
    fn the_kind_of_the_generated_list_decides() {
        // Bare expressjs: the runtime part holds Debian packages (npm, libstdc++6).
        let src = format!(
            "{HEAD}base: bare\nbuild-base: ubuntu@24.04\nextensions:\n  - expressjs-framework\n"
        );
        let exp = parts(&json!({
            "expressjs-framework/install-app": {"stage-packages": ["bash_bins", "ca-certificates_data"]},
            "expressjs-framework/runtime": {"stage-packages": ["libstdc++6", "zlib1g", "npm"]},
        }));
        let (title, plain, snippet) = add(&src, &exp);
        assert_eq!(title, "Add Debian packages to expressjs-framework/runtime");
        assert!(
            plain.ends_with("parts:\n  expressjs-framework/runtime:\n    stage-packages: [|]\n"),
            "{plain}"
        );
        assert!(
            snippet.ends_with(
                "parts:\n  expressjs-framework/runtime:\n    stage-packages:\n      - $0\n"
            ),
            "{snippet}"
        );
        // Go on Ubuntu: the runtime part holds `ca-certificates_data`, a slice.
        let src = format!("{HEAD}base: ubuntu@24.04\nextensions:\n  - go-framework\n");
        let exp = parts(&json!({
            "go-framework/install-app": {},
            "go-framework/runtime": {"stage-packages": ["ca-certificates_data"]},
        }));
        assert_eq!(
            add(&src, &exp).0,
            "Add chisel slices to go-framework/runtime"
        );
        // Flask on Ubuntu: its dependencies hold python3-venv.
        let src = format!("{HEAD}base: ubuntu@24.04\nextensions:\n  - flask-framework\n");
        let exp = parts(&json!({
            "flask-framework/dependencies": {"stage-packages": ["python3-venv"]},
            "flask-framework/runtime": {"stage-packages": ["ca-certificates_data"]},
        }));
        assert_eq!(
            add(&src, &exp).0,
            "Add Debian packages to flask-framework/dependencies"
        );
        // Expressjs with Node.js in the app and no runtime part: the app's own part.
        let src = format!("{HEAD}base: ubuntu@24.04\nextensions:\n  - expressjs-framework\n");
        let exp = parts(&json!({
            "expressjs-framework/install-app": {"stage-packages": ["ca-certificates_data"]},
        }));
        assert_eq!(
            add(&src, &exp).0,
            "Add chisel slices to expressjs-framework/install-app"
        );
    }

    #[test]
    fn what_is_written_decides_and_the_list_grows_in_its_own_style() {
        let exp = parts(&json!({
            "flask-framework/dependencies": {"stage-packages": ["python3-venv", "libpq5"]},
        }));
        let head = format!("{HEAD}base: ubuntu@24.04\nextensions:\n    - flask-framework\n");
        // A 4-space block list.
        let src = format!(
            "{head}parts:\n    flask-framework/dependencies:\n        stage-packages:\n            - libpq5\nservices: {{}}\n"
        );
        let (title, plain, snippet) = add(&src, &exp);
        assert_eq!(title, "Add Debian packages to flask-framework/dependencies");
        assert!(
            plain.contains("            - libpq5\n            |\nservices"),
            "{plain}"
        );
        assert!(
            snippet.contains("            - libpq5\n            - $0\nservices"),
            "{snippet}"
        );
        // An indentless list at the end of a file without a final line break.
        let src = format!(
            "{head}parts:\n  flask-framework/dependencies:\n    stage-packages:\n    - libpq5"
        );
        let (_, plain, snippet) = add(&src, &exp);
        assert!(plain.ends_with("    - libpq5\n    |\n"), "{plain:?}");
        assert!(snippet.ends_with("    - libpq5\n    - $0\n"), "{snippet:?}");
        // Flow lists, full and empty.
        let src = format!(
            "{head}parts:\n  flask-framework/dependencies:\n    stage-packages: [libpq5]\n"
        );
        let (_, plain, snippet) = add(&src, &exp);
        assert!(plain.contains("[libpq5, |]"), "{plain}");
        assert!(snippet.contains("[libpq5, $0]"), "{snippet}");
        let src =
            format!("{head}parts:\n  flask-framework/dependencies:\n    stage-packages: []\n");
        let (_, plain, snippet) = add(&src, &exp);
        assert!(plain.contains("stage-packages: [|]"), "{plain}");
        assert!(snippet.contains("stage-packages: [$0]"), "{snippet}");
        // No value yet: an empty list, or the first item in the file's sequence style.
        let src = format!("{head}parts:\n  flask-framework/dependencies:\n    stage-packages:\n");
        let (_, plain, snippet) = add(&src, &exp);
        assert!(plain.contains("stage-packages: [|]\n"), "{plain}");
        assert!(
            snippet.contains("stage-packages:\n        - $0\n"),
            "{snippet}"
        );
        // A 4-space file without the part: it is added in the file's indentation.
        let src = format!("{head}parts:\n    my-part:\n        plugin: nil\n");
        let (_, _, snippet) = add(&src, &exp);
        assert!(
            snippet.ends_with(
                "    my-part:\n        plugin: nil\n    flask-framework/dependencies:\n        stage-packages:\n            - $0\n"
            ),
            "{snippet}"
        );
        // Slices written in the list: slices, whatever the generated list holds.
        let src = format!(
            "{head}parts:\n  flask-framework/dependencies:\n    stage-packages:\n      - libpq5_libs\n"
        );
        assert_eq!(
            add(&src, &exp).0,
            "Add chisel slices to flask-framework/dependencies"
        );
    }

    #[test]
    fn offered_once_per_extension_and_never_a_placeholder() {
        let exp = parts(&json!({
            "flask-framework/dependencies": {"stage-packages": ["python3-venv"]},
        }));
        let src = format!(
            "{HEAD}base: ubuntu@24.04\nextensions:\n  - flask-framework\n  - django-framework\n  - flask-framework\n"
        );
        let found = adds(&src, &exp);
        assert_eq!(found.len(), 1, "{found:#?}");
        for a in &found {
            let text = apply_edits(&src, &a.edits);
            assert!(
                !text.contains("package-name") && !text.contains("package_slice"),
                "{text}"
            );
        }
    }

    #[test]
    fn snippet_text_escapes_what_snippets_read() {
        assert_eq!(
            snippet_text(&format!("a: ${{X}} \\ {CURSOR_MARK}\n")),
            "a: \\${X\\} \\\\ $0\n"
        );
    }
}
