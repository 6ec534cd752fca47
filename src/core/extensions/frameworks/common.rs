//! Helpers shared by the framework extensions: reading the user's project data with Python's
//! `dict.get` semantics, the `_daemon_` permissions, the logging part, the Python version of a
//! bare build base, and how the expansion applies the `prime`/`stage` prefix rules (the rules
//! themselves are facts in `core::facts`) with their include/exclude modes.

use serde_json::{Map, Value, json};

use super::super::Context;

use super::super::{Anchor, ExpandError, ProjectFs};
use super::python::PySyntaxError;
use crate::core::facts::{self, BARE, Correction, PROJECT_DOC_SLUG, PrefixRule};
use crate::core::py;
use crate::core::yaml::PathSeg;

/// UID and GID of `_daemon_`, the only supported `run-user`.
pub const DAEMON_ID: u32 = 584_792;

/// Root entries rockcraft never copies into the app directory (`fnmatch` patterns).
const IGNORED_ROOT_ENTRIES: &[&str] = &["node_modules", ".git", ".yarn", "*.rock"];

/// `project["parts"][part]` when both are mappings.
#[must_use]
pub fn user_part<'a>(
    project: &'a Map<String, Value>,
    part: &str,
) -> Option<&'a Map<String, Value>> {
    project.get("parts")?.as_object()?.get(part)?.as_object()
}

/// Whether the user declared `part` at all (whatever its value).
#[must_use]
pub fn has_user_part(project: &Map<String, Value>, part: &str) -> bool {
    project
        .get("parts")
        .and_then(Value::as_object)
        .is_some_and(|p| p.contains_key(part))
}

/// `project["parts"][part][key]`.
#[must_use]
pub fn user_part_key<'a>(
    project: &'a Map<String, Value>,
    part: &str,
    key: &str,
) -> Option<&'a Value> {
    user_part(project, part)?.get(key)
}

/// Whether the user set a (truthy) `command` for `service`.
#[must_use]
pub fn user_sets_command(project: &Map<String, Value>, service: &str) -> bool {
    project
        .get("services")
        .and_then(Value::as_object)
        .and_then(|s| s.get(service))
        .and_then(Value::as_object)
        .and_then(|s| s.get("command"))
        .is_some_and(py::truthy)
}

/// One failed project check: what is wrong, how to fix it, and where (a project file) when
/// the problem is about one.
pub struct Problem {
    pub what: String,
    pub fix: String,
    pub anchor: Option<Anchor>,
}

impl Problem {
    #[must_use]
    pub fn new(what: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            what: what.into(),
            fix: fix.into(),
            anchor: None,
        }
    }

    /// The problem, anchored at `anchor`.
    #[must_use]
    pub fn at(self, anchor: Anchor) -> Self {
        Self {
            anchor: Some(anchor),
            ..self
        }
    }
}

/// No `requirements.txt` in the project root, which `ext` needs with a line `dep` (it does not
/// read `pyproject.toml`).
#[must_use]
pub fn missing_requirements_txt(fs: &dyn ProjectFs, ext: &str, dep: &str) -> Problem {
    let pyproject = if fs.exists("pyproject.toml") {
        " (it does not read the dependencies of `pyproject.toml`)"
    } else {
        ""
    };
    Problem::new(
        format!(
            "{ext} needs a `requirements.txt` in the project root, and there is none{pyproject}."
        ),
        format!(
            "Add `requirements.txt` to the project root with a line `{dep}` (plus the app's other dependencies)."
        ),
    )
}

/// A candidate file of the `kind` (`ASGI`, `WSGI`) application search that does not parse,
/// anchored at the file; `stops` says how the search ends there.
#[must_use]
pub fn unparsable_candidate(
    ext: &str,
    kind: &str,
    file: &str,
    err: &PySyntaxError,
    stops: &str,
) -> Problem {
    Problem::new(
        format!(
            "{ext} cannot search `{file}` for the {kind} application: {}.",
            err.describe()
        ),
        format!("Fix the syntax error in `{file}`: {stops}."),
    )
    .at(Anchor::File(file.to_owned()))
}

/// The error for the problems an extension's checks found together: a single problem as it
/// is, several as one line each under a heading, with their fixes joined as the resolution.
/// Anchored at the first problem's own anchor, else at the extension.
#[must_use]
pub fn problems_error(extension: &str, problems: &[Problem], doc_slug: &str) -> ExpandError {
    let anchor = problems
        .first()
        .and_then(|p| p.anchor.clone())
        .unwrap_or_else(|| Anchor::Extension(extension.to_owned()));
    let (message, resolution) = if let [one] = problems {
        (one.what.clone(), one.fix.clone())
    } else {
        let mut message = format!(
            "{extension} found {} problems in the project:",
            problems.len()
        );
        for p in problems {
            message.push_str("\n- ");
            message.push_str(&p.what);
        }
        let fixes: Vec<&str> = problems.iter().map(|p| p.fix.as_str()).collect();
        (message, fixes.join(" "))
    };
    ExpandError::project(anchor, message)
        .resolution(resolution)
        .doc(doc_slug)
}

/// The rock `name` as written.
///
/// # Errors
/// No string `name` (rockcraft crashes on `yaml_data["name"]`).
pub fn rock_name(project: &Map<String, Value>) -> Result<&str, ExpandError> {
    match project.get("name") {
        Some(Value::String(s)) => Ok(s),
        Some(v) => Err(ExpandError::unreadable(
            Anchor::Path(vec![key("name")]),
            format!(
                "The rock `name` must be a string, but it is {}: the extensions derive the app's package name and paths from it, and rockcraft stops with an internal error on anything else.",
                describe(v)
            ),
        )
        .resolution("Write the name as a string of lowercase letters, digits and hyphens, for example `name: my-app`.")
        .doc(PROJECT_DOC_SLUG)),
        None => Err(ExpandError::unreadable(
            Anchor::Document,
            "rockcraft.yaml has no `name`: the extensions derive the app's package name and paths from it, and rockcraft stops with an internal error without one.",
        )
        .resolution("Add a top-level `name`, for example `name: my-app`.")
        .doc(PROJECT_DOC_SLUG)),
    }
}

/// The rock name as a Python package name: `-` → `_`, lower-cased.
///
/// # Errors
/// As [`rock_name`].
pub fn snake_name(project: &Map<String, Value>) -> Result<String, ExpandError> {
    Ok(rock_name(project)?.replace('-', "_").to_lowercase())
}

/// Whether the project's `base` is `bare`.
#[must_use]
pub fn is_bare(project: &Map<String, Value>) -> bool {
    project.get("base").and_then(Value::as_str) == Some(BARE)
}

/// The Python version of a bare project's build base (`3.10`, `3.12`).
///
/// # Errors
/// A build base without a known Python version.
pub fn bare_python_version(
    project: &Map<String, Value>,
    extension: &str,
    doc_slug: &str,
) -> Result<&'static str, ExpandError> {
    let build_base = project
        .get("build-base")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some(version) = facts::bare_python_version(build_base) {
        return Ok(version);
    }
    let shown = match project.get("build-base") {
        Some(Value::String(_)) => build_base.to_owned(),
        Some(v) => v.to_string(),
        None => "None".to_owned(),
    };
    let known: Vec<String> = facts::BARE_PYTHON_VERSIONS
        .iter()
        .map(|(base, python)| format!("{base} (Python {python})"))
        .collect();
    Err(ExpandError::project(
        Anchor::Path(vec![key("build-base")]),
        format!(
            "{extension} cannot pick a Python version for `build-base: {shown}`: with `base: bare` it only knows {}.",
            known.join(" and ")
        ),
    )
    .resolution("Set `build-base: ubuntu@24.04` (or `ubuntu@22.04`).")
    .doc(doc_slug))
}

/// A path segment for a mapping key.
#[must_use]
pub fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_owned())
}

/// `{owner, group}` (or `{path, owner, group}`) for `_daemon_`.
#[must_use]
pub fn daemon_permission(path: Option<&str>) -> Value {
    match path {
        Some(p) => json!({"path": p, "owner": DAEMON_ID, "group": DAEMON_ID}),
        None => json!({"owner": DAEMON_ID, "group": DAEMON_ID}),
    }
}

/// rockcraft's `gen_logging_part`: promtail directories plus extra lines and permissions.
#[must_use]
pub fn logging_part(extra_lines: &[String], extra_permissions: Vec<Value>) -> Value {
    let mut lines = vec![
        "craftctl default".to_owned(),
        "mkdir -p $CRAFT_PART_INSTALL/opt/promtail".to_owned(),
        "mkdir -p $CRAFT_PART_INSTALL/etc/promtail".to_owned(),
    ];
    lines.extend_from_slice(extra_lines);
    let mut permissions = vec![
        daemon_permission(Some("opt/promtail")),
        daemon_permission(Some("etc/promtail")),
    ];
    permissions.extend(extra_permissions);
    json!({"plugin": "nil", "override-build": lines.join("\n"), "permissions": permissions})
}

/// The bare-base runtime part of the Python extensions.
#[must_use]
pub fn bare_runtime_part() -> Value {
    json!({
        "plugin": "nil",
        "override-build": "mkdir -m 777 ${CRAFT_PART_INSTALL}/tmp\nln -sf /usr/bin/bash ${CRAFT_PART_INSTALL}/usr/bin/sh",
        "stage-packages": ["bash_bins", "coreutils_bins", "ca-certificates_data"],
    })
}

/// The user's entries of the list a prefix rule governs (`prime` of
/// `flask-framework/install-app`, ...), checked as [`PrefixRule::user_entries`] does; empty
/// for a part without a rule.
///
/// # Errors
/// As [`PrefixRule::user_entries`].
pub fn prefixed_entries(
    project: &Map<String, Value>,
    part: &str,
) -> Result<Vec<String>, ExpandError> {
    facts::prefix_rule(part).map_or_else(|| Ok(Vec::new()), |r| r.user_entries(project))
}

/// What expand-extensions does with a prefix rule: read the user's list and report an entry
/// outside the app directory the way rockcraft refuses it.
impl PrefixRule {
    /// How expand-extensions corrects `entry`: the mark written as `-` alone.
    fn expand_correction<'e>(&self, entry: &'e str) -> Correction<'e> {
        let mut c = self.correction(entry);
        c.mark = c.mark.trim_end_matches(' ');
        c
    }

    /// `entry` rewritten to start with the prefix (another framework's prefix replaced).
    fn corrected(&self, entry: &str) -> String {
        let c = self.expand_correction(entry);
        c.write(self.dir, c.replaced)
    }

    /// An entry (at `index`) that does not start with the prefix.
    fn violation(&self, anchor: Anchor, index: usize, entry: &str) -> ExpandError {
        let (ext, part, key, dir) = (self.extension(), self.part, self.key, self.dir);
        let c = self.expand_correction(entry);
        let fixed = c.write(dir, c.replaced);
        let advice = match c.inner {
            Some(p) => format!(
                "Write '{fixed}' instead (or '{}' if `{p}` is a directory of the project).",
                c.write(dir, 0)
            ),
            None => format!("Write '{fixed}' instead."),
        };
        ExpandError::project(
            anchor,
            format!(
                "{ext}: entry {} of `{key}` in part `{part}` is '{entry}', which does not start with `{dir}`. {ext} copies the application into `{dir}`, so every `{key}` entry (optionally after `-` to exclude it) must be a path there.",
                index + 1
            ),
        )
        .resolution(advice)
        .doc(self.doc_slug)
    }

    /// The user's list (empty when absent), after checking that every entry matches.
    ///
    /// # Errors
    /// An entry without the prefix (anchored at that entry), or a list that is not a list of
    /// strings (rockcraft crashes on it).
    pub fn user_entries(&self, project: &Map<String, Value>) -> Result<Vec<String>, ExpandError> {
        let path = |i: Option<usize>| {
            let mut p = vec![key("parts"), key(self.part), key(self.key)];
            p.extend(i.map(PathSeg::Index));
            Anchor::Path(p)
        };
        let entries: Vec<String> = match user_part_key(project, self.part, self.key) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => out.push(s.clone()),
                        other => {
                            return Err(ExpandError::unreadable(
                                path(Some(i)),
                                format!(
                                    "{}: entry {} of `{}` in part `{}` is {}, but every entry must be a path string under `{}`; rockcraft stops with an internal error on it.",
                                    self.extension(),
                                    i + 1,
                                    self.key,
                                    self.part,
                                    describe(other),
                                    self.dir
                                ),
                            )
                            .resolution("Quote the entry so that it is a string.")
                            .doc(self.doc_slug));
                        }
                    }
                }
                out
            }
            // Python iterates a string letter by letter: no single letter carries the prefix.
            Some(Value::String(s)) if s.is_empty() => Vec::new(),
            Some(Value::String(s)) => {
                return Err(ExpandError::project(
                    path(None),
                    format!(
                        "{}: `{}` of part `{}` is the single string '{s}', but it must be a list of paths under `{}`.",
                        self.extension(),
                        self.key,
                        self.part,
                        self.dir
                    ),
                )
                .resolution(format!("Write it as a list: `{}: ['{}']`.", self.key, self.corrected(s)))
                .doc(self.doc_slug));
            }
            Some(other) => {
                return Err(ExpandError::unreadable(
                    path(None),
                    format!(
                        "{}: `{}` of part `{}` is {}, but it must be a list of paths under `{}`; rockcraft stops with an internal error on it.",
                        self.extension(),
                        self.key,
                        self.part,
                        describe(other),
                        self.dir
                    ),
                )
                .resolution(format!("Write `{}` as a list of paths.", self.key))
                .doc(self.doc_slug));
            }
        };
        if let Some(i) = entries.iter().position(|e| !self.matches(e)) {
            return Err(self.violation(path(Some(i)), i, &entries[i]));
        }
        Ok(entries)
    }
}

/// What kind of YAML/JSON value `v` is, for messages: `a number`, `a mapping`, `empty`...
#[must_use]
pub fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Include mode: the list is non-empty and its **first** entry is non-empty and does not
/// start with `-`. Only the first entry decides.
#[must_use]
pub fn include_mode(entries: &[String]) -> bool {
    entries
        .first()
        .is_some_and(|e| !e.is_empty() && !e.starts_with('-'))
}

/// `{relpath(entry, base): entry}` for every entry, in order (later duplicates overwrite the
/// value but keep the first position, like a Python dict).
#[must_use]
pub fn organize_from_entries(entries: &[String], base: &str) -> Map<String, Value> {
    let mut map = Map::new();
    for e in entries {
        map.insert(py::relpath(e, base), Value::String(e.clone()));
    }
    map
}

/// `{name: dest/name}` for every entry of the project root, sorted by code point, skipping
/// `node_modules`, `.git`, `.yarn` and `*.rock`.
#[must_use]
pub fn organize_root(fs: &dyn ProjectFs, dest: &str) -> Map<String, Value> {
    let mut map = Map::new();
    for entry in fs.list("") {
        if is_ignored(&entry.name) {
            continue;
        }
        let target = format!("{dest}/{}", entry.name);
        map.insert(entry.name, Value::String(target));
    }
    map
}

pub(crate) fn is_ignored(name: &str) -> bool {
    IGNORED_ROOT_ENTRIES
        .iter()
        .any(|p| match p.strip_prefix('*') {
            Some(suffix) => name.ends_with(suffix),
            None => name == *p,
        })
}

/// The values of an organize map, in order.
#[must_use]
pub fn organize_values(map: &Map<String, Value>) -> Vec<Value> {
    map.values().cloned().collect()
}

/// The assets rule shared by go-framework and spring-boot-framework.
pub struct AssetsRule<'a> {
    pub part: &'a str,
    /// Root entries staged by default when they exist.
    pub defaults: &'a [&'a str],
}

/// The assets part in include mode (`None` otherwise): organize from the stage entries.
///
/// # Errors
/// A stage entry that does not start with `app/`.
pub fn assets_part(
    project: &Map<String, Value>,
    ctx: &Context<'_>,
    rule: &AssetsRule<'_>,
) -> Result<Option<Value>, ExpandError> {
    let mut stage = prefixed_entries(project, rule.part)?;
    if stage.is_empty() {
        stage = rule
            .defaults
            .iter()
            .filter(|f| ctx.fs.exists(f))
            .map(|f| format!("app/{f}"))
            .collect();
    }
    if !include_mode(&stage) {
        return Ok(None);
    }
    let organize = organize_from_entries(&stage, "app");
    Ok(Some(
        json!({"plugin": "dump", "source": ".", "organize": organize, "stage": stage}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extensions::{ErrorKind, MemoryFs};

    use crate::core::extensions::frameworks::test_project as project;

    #[test]
    fn prefix_rule_modes() {
        let rule = PrefixRule {
            part: "p",
            key: "prime",
            prefix: "flask/app",
            dir: "flask/app/",
            doc_slug: "/x",
        };
        assert!(
            rule.matches("flask/app/a")
                && rule.matches("-flask/app/a")
                && rule.matches("- flask/app")
        );
        assert!(rule.matches("flask/apple.py") && rule.matches("  flask/app"));
        assert!(
            !rule.matches("app/a") && !rule.matches("--flask/app") && !rule.matches("-\tflask/app")
        );
        let p = project(json!({"parts": {"p": {"prime": ["flask/app/a", "app/b"]}}}));
        let err = rule.user_entries(&p).unwrap_err();
        assert_eq!(
            err.message,
            "p: entry 2 of `prime` in part `p` is 'app/b', which does not start with `flask/app/`. p copies the application into `flask/app/`, so every `prime` entry (optionally after `-` to exclude it) must be a path there."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some(
                "Write 'flask/app/b' instead (or 'flask/app/app/b' if `app/` is a directory of the project)."
            )
        );
        assert_eq!(
            err.anchor,
            Anchor::Path(vec![
                key("parts"),
                key("p"),
                key("prime"),
                PathSeg::Index(1)
            ])
        );
        assert_eq!(err.doc_slug.as_deref(), Some("/x"));
        assert!(include_mode(&["flask/app/a".into(), "-flask/app/b".into()]));
        assert!(!include_mode(&[
            "-flask/app/b".into(),
            "flask/app/a".into()
        ]));
        assert!(!include_mode(&[]));
        let p = project(json!({"parts": {"p": {"prime": "flask/app"}}}));
        assert!(rule.user_entries(&p).is_err());
        let p = project(json!({"parts": {"p": {"prime": [1]}}}));
        assert_eq!(
            rule.user_entries(&p).unwrap_err().kind,
            ErrorKind::Unreadable
        );
    }

    #[test]
    fn root_organize_skips_ignored_and_sorts() {
        let fs = MemoryFs::new()
            .file("a.txt", "")
            .file("Zebra.txt", "")
            .file(".env", "")
            .file("my.rock", "")
            .file("node_modules/x", "")
            .file(".git/HEAD", "")
            .file("_private.py", "");
        let map = organize_root(&fs, "flask/app");
        let keys: Vec<&String> = map.keys().collect();
        assert_eq!(keys, [".env", "Zebra.txt", "_private.py", "a.txt"]);
        assert_eq!(map[".env"], "flask/app/.env");
    }

    #[test]
    fn logging_part_shape() {
        let part = logging_part(&["mkdir -p x".into()], vec![daemon_permission(Some("x"))]);
        assert_eq!(
            part["override-build"],
            "craftctl default\nmkdir -p $CRAFT_PART_INSTALL/opt/promtail\nmkdir -p $CRAFT_PART_INSTALL/etc/promtail\nmkdir -p x"
        );
        assert_eq!(part["permissions"].as_array().unwrap().len(), 3);
        assert_eq!(part["permissions"][0]["owner"], 584_792);
    }
}
