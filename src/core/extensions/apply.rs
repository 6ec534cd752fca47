//! Applies the extensions a project declares: rockcraft's `apply_extensions`, with its base
//! dispatch (V1/V2), experimental gate and base check, then the snippet merge.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::frameworks::common::describe;
use super::merge::merge_into;
use super::registry::{self, ExtensionInfo};
use super::{Anchor, BaseKey, Cause, Context, ExpandError, Extension, frameworks};
use crate::core::facts::{
    self, BARE, EXPERIMENTAL_ENV, EXTENSIONS_DOC_SLUG, PROJECT_DOC_SLUG, at_spelling,
};
use crate::core::py::{self, truthy};
use crate::core::yaml::PathSeg;

/// The project after its extensions were applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    /// The expanded (not yet validated) project data.
    pub data: Value,
    /// Progress lines for stderr, such as the notice that an experimental extension is used.
    pub notes: Vec<String>,
}

/// Applies every extension declared in `raw["extensions"]`.
///
/// # Errors
/// An unknown extension, an unsupported or experimental base, or a project the extension
/// rejects.
pub fn apply_extensions(raw: &Value, ctx: &Context<'_>) -> Result<Applied, ExpandError> {
    let mut notes = Vec::new();
    let data = apply_with_notes(raw, ctx, &mut notes)?;
    Ok(Applied { data, notes })
}

/// Like [`apply_extensions`], but the stderr notes are kept in `notes` even when a later step
/// fails (rockcraft prints the experimental notice before the error).
///
/// # Errors
/// As [`apply_extensions`].
pub fn apply_with_notes(
    raw: &Value,
    ctx: &Context<'_>,
    notes: &mut Vec<String>,
) -> Result<Value, ExpandError> {
    apply_with(raw, ctx, notes, &|name| frameworks::get(name))
}

/// The extension implementation for a name; a parameter so tests can use fakes.
pub type Lookup<'f> = dyn Fn(&str) -> Option<Box<dyn Extension>> + 'f;

/// The algorithm, with the extension implementations supplied by `lookup`.
///
/// # Errors
/// As [`apply_extensions`].
pub fn apply_with(
    raw: &Value,
    ctx: &Context<'_>,
    notes: &mut Vec<String>,
    lookup: &Lookup<'_>,
) -> Result<Value, ExpandError> {
    apply_cow(Cow::Borrowed(raw), ctx, notes, lookup)
}

/// [`apply_with_notes`] on a project the caller gives away (or lends): an owned project is
/// expanded in place instead of copied, so a large project is not held twice.
///
/// # Errors
/// As [`apply_extensions`].
pub fn apply_with_notes_cow(
    raw: Cow<'_, Value>,
    ctx: &Context<'_>,
    notes: &mut Vec<String>,
) -> Result<Value, ExpandError> {
    apply_cow(raw, ctx, notes, &|name| frameworks::get(name))
}

fn apply_cow(
    raw: Cow<'_, Value>,
    ctx: &Context<'_>,
    notes: &mut Vec<String>,
    lookup: &Lookup<'_>,
) -> Result<Value, ExpandError> {
    let Value::Object(map) = raw.as_ref() else {
        return Ok(raw.into_owned());
    };
    let declared = match map.get("extensions") {
        Some(v) if truthy(v) => v.clone(),
        // rockcraft leaves a falsy `extensions` in place; model validation then rejects it.
        _ => return Ok(raw.into_owned()),
    };
    let mut project = match raw {
        Cow::Owned(Value::Object(owned)) => owned,
        lent => match lent.as_ref() {
            Value::Object(m) => m.clone(),
            _ => Map::new(),
        },
    };
    project.shift_remove("extensions");
    let names = declared_names(&declared)?;
    for name in &names {
        if ctx.cancel.is_cancelled() {
            break;
        }
        apply_one(&mut project, name, &declared, ctx, notes, lookup)?;
    }
    Ok(Value::Object(project))
}

/// The names rockcraft iterates over: `sorted(declared)`. A string is iterated letter by
/// letter and a mapping by its keys, exactly like Python would.
fn declared_names(declared: &Value) -> Result<Vec<String>, ExpandError> {
    let anchor = || Anchor::Path(vec![PathSeg::Key("extensions".into())]);
    let mut names: Vec<String> = match declared {
        Value::Array(items) => {
            if let Some((i, bad)) = items.iter().enumerate().find(|(_, v)| !v.is_string()) {
                // rockcraft fails with a Python TypeError (an internal error, exit 70).
                return Err(ExpandError::unreadable(
                    anchor(),
                    format!(
                        "item {} of `extensions` is {} (`{bad}`), not an extension name; rockcraft stops with an internal error on it.",
                        i + 1,
                        describe(bad)
                    ),
                )
                .resolution("Write the extensions as a list of names, for example `extensions: [flask-framework]`.")
                .doc(EXTENSIONS_DOC_SLUG));
            }
            items.iter().map(py::scalar_str).collect()
        }
        Value::String(s) => s.chars().map(String::from).collect(),
        Value::Object(m) => m.keys().cloned().collect(),
        other => {
            return Err(ExpandError::unreadable(
                anchor(),
                format!(
                    "`extensions` must be a list of extension names, but it is {} (`{other}`); rockcraft stops with an internal error on it.",
                    describe(other)
                ),
            )
            .resolution("Write the extensions as a list, for example `extensions: [flask-framework]`.")
            .doc(EXTENSIONS_DOC_SLUG));
        }
    };
    names.sort();
    Ok(names)
}

/// rockcraft's `get_project_base`: the build base when set, else the base, in `ubuntu@X`
/// form; `None` for anything that is not a `distro@series` pair (such as `bare`).
#[must_use]
pub fn project_base(project: &Map<String, Value>) -> Option<String> {
    let pick = project
        .get("build-base")
        .filter(|v| truthy(v))
        .or_else(|| project.get("base"))?;
    facts::project_base(pick.as_str()?)
}

/// Which generation of the extension applies, and whether it is experimental.
fn generation(
    info: &ExtensionInfo,
    project: &Map<String, Value>,
) -> (&'static [&'static str], bool, bool) {
    registry::generation(info, project_base(project).as_deref())
}

fn apply_one(
    project: &mut Map<String, Value>,
    name: &str,
    declared: &Value,
    ctx: &Context<'_>,
    notes: &mut Vec<String>,
    lookup: &Lookup<'_>,
) -> Result<(), ExpandError> {
    let anchor = Anchor::Extension(name.to_owned());
    let Some(info) = registry::find(name) else {
        return Err(unknown_extension(name, declared, anchor));
    };
    let (bases, experimental, is_v1) = generation(info, project);
    if let Some(base_value) = project.get("base") {
        let base = py::scalar_str(base_value);
        if experimental {
            if !ctx.experimental {
                return Err(experimental_error(info, &base, project, is_v1, anchor));
            }
            notes.push(format!(
                "note: using the experimental {name} extension ({EXPERIMENTAL_ENV} is set)"
            ));
        }
        if !bases.contains(&base.as_str()) {
            return Err(unsupported_base(info, bases, &base, project, anchor));
        }
    }
    let Some(ext) = lookup(name) else {
        return Err(ExpandError::project(
            anchor,
            format!("{name} is a rockcraft extension, but rockcraft-lsp cannot expand it yet."),
        ));
    };
    if !project.contains_key("base") {
        // rockcraft skips its checks and then crashes reading `base`.
        return Err(ExpandError::project(
            Anchor::Document,
            format!("{name} needs to know the `base`, and rockcraft.yaml has none."),
        )
        .resolution("Add `base: ubuntu@24.04` (or `base: bare` with a `build-base`).")
        .doc(PROJECT_DOC_SLUG));
    }
    let snippet = ext.root_snippet(project, ctx)?;
    merge_into(project, snippet);
    if !project.contains_key("parts") {
        project.insert("parts".into(), Value::Object(Map::new()));
    }
    Ok(())
}

fn unknown_extension(name: &str, declared: &Value, anchor: Anchor) -> ExpandError {
    let known: Vec<&str> = registry::EXTENSIONS.iter().map(|e| e.name).collect();
    if let Value::String(s) = declared {
        return ExpandError::project(
            anchor,
            format!(
                "`extensions` is the single string '{s}' instead of a list, so rockcraft reads it one character at a time and stops at '{name}', which is not an extension."
            ),
        )
        .resolution(format!("Write it as a list: `extensions: [{s}]`."))
        .doc(EXTENSIONS_DOC_SLUG);
    }
    let close = crate::core::suggest::closest(name, known.iter().copied());
    let fix = match close {
        Some(close) => format!("Did you mean `{close}`? Use one of the known names."),
        None => "Use one of the known names (`rockcraft list-extensions` prints them).".to_owned(),
    };
    ExpandError::project(
        anchor,
        format!(
            "`{name}` is not a rockcraft extension; the known extensions are {}.",
            known.join(", ")
        ),
    )
    .resolution(fix)
    .doc(EXTENSIONS_DOC_SLUG)
}

/// `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn experimental_error(
    info: &ExtensionInfo,
    base: &str,
    project: &Map<String, Value>,
    is_v1: bool,
    anchor: Anchor,
) -> ExpandError {
    let name = info.name;
    let build_base = project.get("build-base").filter(|v| truthy(v));
    // The key that picks the generation, and so the one the editor shows the error on.
    let key = if build_base.is_some() {
        BaseKey::BuildBase
    } else {
        BaseKey::Base
    };
    let (message, fix) = if is_v1 {
        (
            format!(
                "{name} is experimental on every base, and rockcraft expands it only when the environment variable {EXPERIMENTAL_ENV} is set."
            ),
            format!("Set {EXPERIMENTAL_ENV}=1 when you run rockcraft (and for rockcraft-lsp)."),
        )
    } else {
        let on = match build_base {
            Some(bb) => format!("`build-base: {}`", py::scalar_str(bb)),
            None => format!("`base: {base}`"),
        };
        (
            format!(
                "{name} is experimental on {on}, and rockcraft expands it there only when the environment variable {EXPERIMENTAL_ENV} is set; its stable bases are {}.",
                and_list(info.v1_bases)
            ),
            format!(
                "Switch to a stable base (for example `base: ubuntu@24.04`), or set {EXPERIMENTAL_ENV}=1 when you run rockcraft (and for rockcraft-lsp) to try {name} on this base."
            ),
        )
    };
    ExpandError::project(anchor, message)
        .resolution(fix)
        .doc(EXTENSIONS_DOC_SLUG)
        .cause(Cause::Experimental { key })
}

fn unsupported_base(
    info: &ExtensionInfo,
    bases: &[&str],
    base: &str,
    project: &Map<String, Value>,
    anchor: Anchor,
) -> ExpandError {
    let name = info.name;
    let build_base = project
        .get("build-base")
        .filter(|v| truthy(v))
        .map(py::scalar_str);
    let supported = and_list(&registry::all_bases(info));
    let stable: Vec<&str> = info
        .v1_bases
        .iter()
        .copied()
        .filter(|b| *b != BARE)
        .collect();
    let (key, message, fix) = if base == BARE {
        match build_base {
            Some(bb) => (
                BaseKey::BuildBase,
                format!(
                    "{name} cannot build a `base: bare` rock on `build-base: {bb}`: with a bare base, the build base must be {}{}.",
                    if stable.len() > 1 { "one of " } else { "" },
                    and_list(&stable)
                ),
                "Set `build-base: ubuntu@24.04` (or another build base listed above).".to_owned(),
            ),
            None => (
                BaseKey::Base,
                format!(
                    "{name} needs a `build-base` with `base: bare`: the bare base has no system to build on."
                ),
                "Add `build-base: ubuntu@24.04`.".to_owned(),
            ),
        }
    } else if let Some(bb) = build_base.filter(|bb| at_spelling(bb) != at_spelling(base)) {
        (
            BaseKey::BuildBase,
            format!(
                "{name} cannot build `base: {base}` on `build-base: {bb}`: with that build base it supports only {}.",
                and_list(bases)
            ),
            "Use the same release for `base` and `build-base`, or remove `build-base`.".to_owned(),
        )
    } else {
        (
            BaseKey::Base,
            format!("{name} does not support `base: {base}`; it supports {supported}."),
            "Change `base` to one of the supported bases, for example `base: ubuntu@24.04`."
                .to_owned(),
        )
    };
    ExpandError::project(anchor, message)
        .resolution(fix)
        .doc(facts::extension_doc_slug(name))
        .cause(Cause::UnsupportedBase { key })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extensions::MemoryFs;
    use serde_json::json;

    /// A fake extension that adds a part, a service, `run_user` and records what it saw.
    struct Fake(&'static str);

    impl Extension for Fake {
        fn name(&self) -> &'static str {
            self.0
        }
        fn root_snippet(
            &self,
            project: &Map<String, Value>,
            _ctx: &Context<'_>,
        ) -> Result<Map<String, Value>, ExpandError> {
            let seen: Vec<String> = project
                .get("parts")
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            let snippet = json!({
                "run_user": "_daemon_",
                "services": {self.0: {"override": "replace", "command": "x", "after": ["a"]}},
                "parts": {format!("{}/install-app", self.0): {"plugin": "dump", "seen": seen}},
            });
            Ok(snippet.as_object().cloned().unwrap_or_default())
        }
    }

    fn lookup(name: &str) -> Option<Box<dyn Extension>> {
        registry::find(name).map(|i| Box::new(Fake(i.name)) as Box<dyn Extension>)
    }

    fn run(raw: &Value, experimental: bool) -> (Result<Value, ExpandError>, Vec<String>) {
        let fs = MemoryFs::new();
        let ctx = Context {
            fs: &fs,
            experimental,
            extensions_dir: "/ext",
            cancel: crate::core::cancel::Cancel::NEVER,
        };
        let mut notes = Vec::new();
        let r = apply_with(raw, &ctx, &mut notes, &lookup);
        (r, notes)
    }

    #[test]
    fn falsy_extensions_leave_the_project_untouched() {
        for ext in [json!([]), json!(null), json!(""), json!({})] {
            let raw = json!({"name": "a", "base": "ubuntu@24.04", "extensions": ext});
            assert_eq!(run(&raw, false).0.unwrap(), raw);
        }
        let raw = json!({"name": "a"});
        assert_eq!(run(&raw, false).0.unwrap(), raw);
    }

    #[test]
    fn applies_in_sorted_order_and_each_sees_the_previous() {
        let raw = json!({"base": "ubuntu@24.04", "extensions": ["flask-framework", "fastapi-framework"], "name": "a"});
        let out = run(&raw, false).0.unwrap();
        assert!(out.get("extensions").is_none());
        let parts: Vec<&String> = out["parts"].as_object().unwrap().keys().collect();
        assert_eq!(
            parts,
            [
                "fastapi-framework/install-app",
                "flask-framework/install-app"
            ]
        );
        assert_eq!(
            out["parts"]["flask-framework/install-app"]["seen"],
            json!(["fastapi-framework/install-app"])
        );
        let keys: Vec<&String> = out.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["base", "name", "run_user", "services", "parts"]);
    }

    #[test]
    fn an_owned_project_expands_as_a_lent_one_does() {
        let fs = MemoryFs::new();
        let ctx = Context {
            fs: &fs,
            experimental: false,
            extensions_dir: "/ext",
            cancel: crate::core::cancel::Cancel::NEVER,
        };
        for raw in [
            json!({"base": "ubuntu@24.04", "extensions": ["flask-framework"], "name": "a", "parts": {"x": {}}}),
            json!({"base": "ubuntu@24.04", "extensions": [], "name": "a"}),
            json!(["not", "a", "mapping"]),
        ] {
            let lent = apply_cow(Cow::Borrowed(&raw), &ctx, &mut Vec::new(), &lookup).unwrap();
            let owned = apply_cow(Cow::Owned(raw.clone()), &ctx, &mut Vec::new(), &lookup).unwrap();
            assert_eq!(owned, lent);
            assert_eq!(owned, run(&raw, false).0.unwrap());
        }
    }

    #[test]
    fn duplicates_are_applied_twice() {
        let raw = json!({"base": "ubuntu@24.04", "extensions": ["go-framework", "go-framework"]});
        let out = run(&raw, false).0.unwrap();
        assert_eq!(out["services"]["go-framework"]["after"], json!(["a"]));
        assert_eq!(
            out["parts"]["go-framework/install-app"]["seen"],
            json!(["go-framework/install-app"])
        );
    }

    #[test]
    fn string_extensions_are_read_per_character() {
        let raw = json!({"base": "ubuntu@24.04", "extensions": "flask-framework"});
        let err = run(&raw, false).0.unwrap_err();
        assert_eq!(
            err.message,
            "`extensions` is the single string 'flask-framework' instead of a list, so rockcraft reads it one character at a time and stops at '-', which is not an extension."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some("Write it as a list: `extensions: [flask-framework]`.")
        );
        assert_eq!(err.anchor, Anchor::Extension("-".into()));
        assert_eq!(err.exit_code(), 1);
    }

    #[test]
    fn non_string_names_are_an_internal_error_in_rockcraft() {
        let raw = json!({"base": "ubuntu@24.04", "extensions": ["flask-framework", 1]});
        let err = run(&raw, false).0.unwrap_err();
        assert_eq!(err.exit_code(), 70);
        assert_eq!(
            err.message,
            "item 2 of `extensions` is a number (`1`), not an extension name; rockcraft stops with an internal error on it."
        );
        let raw = json!({"base": "ubuntu@24.04", "extensions": 5});
        let err = run(&raw, false).0.unwrap_err();
        assert_eq!(err.exit_code(), 70);
        assert_eq!(
            err.message,
            "`extensions` must be a list of extension names, but it is a number (`5`); rockcraft stops with an internal error on it."
        );
    }

    #[test]
    fn unknown_extension() {
        let raw = json!({"base": "ubuntu@24.04", "extensions": ["nope-framework"]});
        let err = run(&raw, false).0.unwrap_err();
        assert_eq!(
            err.message,
            "`nope-framework` is not a rockcraft extension; the known extensions are django-framework, expressjs-framework, fastapi-framework, flask-framework, go-framework, spring-boot-framework."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some("Use one of the known names (`rockcraft list-extensions` prints them).")
        );
        assert_eq!(err.anchor, Anchor::Extension("nope-framework".into()));
        let raw = json!({"base": "ubuntu@24.04", "extensions": ["flask-framewrok"]});
        let err = run(&raw, false).0.unwrap_err();
        assert_eq!(
            err.resolution.as_deref(),
            Some("Did you mean `flask-framework`? Use one of the known names.")
        );
    }

    #[test]
    fn project_base_rules() {
        let b = |v: Value| project_base(v.as_object().unwrap());
        assert_eq!(
            b(json!({"base": "ubuntu:22.04"})),
            Some("ubuntu@22.04".into())
        );
        assert_eq!(b(json!({"base": "bare"})), None);
        assert_eq!(
            b(json!({"base": "bare", "build-base": "devel"})),
            Some("ubuntu@devel".into())
        );
        assert_eq!(b(json!({"base": "bare", "build-base": ""})), None);
        assert_eq!(
            b(json!({"base": "ubuntu@24.04", "build-base": "ubuntu@26.04"})),
            Some("ubuntu@26.04".into())
        );
        assert_eq!(b(json!({})), None);
    }

    #[test]
    fn dispatch_uses_build_base_but_checks_base() {
        // bare without build-base → V2 → experimental.
        let raw = json!({"base": "bare", "extensions": ["flask-framework"]});
        let err = run(&raw, false).0.unwrap_err();
        assert_eq!(
            err.message,
            "flask-framework is experimental on `base: bare`, and rockcraft expands it there only when the environment variable ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS is set; its stable bases are bare, ubuntu@22.04, ubuntu:22.04 and ubuntu@24.04."
        );
        assert_eq!(err.cause, Some(Cause::Experimental { key: BaseKey::Base }));
        assert_eq!(
            err.resolution.as_deref(),
            Some(
                "Switch to a stable base (for example `base: ubuntu@24.04`), or set ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS=1 when you run rockcraft (and for rockcraft-lsp) to try flask-framework on this base."
            )
        );
        let (r, notes) = run(&raw, true);
        let err = r.unwrap_err();
        assert_eq!(
            err.message,
            "flask-framework needs a `build-base` with `base: bare`: the bare base has no system to build on."
        );
        assert_eq!(
            err.cause,
            Some(Cause::UnsupportedBase { key: BaseKey::Base })
        );
        assert_eq!(
            notes,
            [
                "note: using the experimental flask-framework extension (ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS is set)"
            ]
        );
        // bare + a stable build base → V1, accepted.
        let raw = json!({"base": "bare", "build-base": "ubuntu@24.04", "extensions": ["flask-framework"]});
        assert!(run(&raw, false).0.is_ok());
        // colon base accepted by flask V1.
        let raw = json!({"base": "ubuntu:22.04", "extensions": ["flask-framework"]});
        assert!(run(&raw, false).0.is_ok());
        // 26.04 with the env var → V2, accepted with a note.
        let raw = json!({"base": "ubuntu@26.04", "extensions": ["go-framework"]});
        let (r, notes) = run(&raw, true);
        assert!(r.is_ok());
        assert_eq!(notes.len(), 1);
        // 24.04 base with 26.04 build base → V2 → base not supported.
        let raw = json!({"base": "ubuntu@24.04", "build-base": "ubuntu@26.04", "extensions": ["go-framework"]});
        let err = run(&raw, true).0.unwrap_err();
        assert_eq!(
            err.message,
            "go-framework cannot build `base: ubuntu@24.04` on `build-base: ubuntu@26.04`: with that build base it supports only ubuntu@26.04."
        );
        assert_eq!(
            err.cause,
            Some(Cause::UnsupportedBase {
                key: BaseKey::BuildBase
            })
        );
        // Without the opt-in, the build base that picks V2 is the experimental one.
        let err = run(&raw, false).0.unwrap_err();
        assert_eq!(
            err.cause,
            Some(Cause::Experimental {
                key: BaseKey::BuildBase
            })
        );
    }

    #[test]
    fn spring_boot_is_always_experimental() {
        let raw = json!({"base": "ubuntu@24.04", "extensions": ["spring-boot-framework"]});
        let err = run(&raw, false).0.unwrap_err();
        assert_eq!(
            err.message,
            "spring-boot-framework is experimental on every base, and rockcraft expands it only when the environment variable ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS is set."
        );
        assert_eq!(err.cause, Some(Cause::Experimental { key: BaseKey::Base }));
        let (r, notes) = run(&raw, true);
        assert!(r.is_ok());
        assert_eq!(
            notes,
            [
                "note: using the experimental spring-boot-framework extension (ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS is set)"
            ]
        );
    }

    #[test]
    fn parts_created_and_user_values_win() {
        let raw = json!({"base": "ubuntu@24.04", "extensions": ["go-framework"], "run_user": "root",
            "services": {"go-framework": {"command": "mine", "after": ["b", "a"]}}});
        let out = run(&raw, false).0.unwrap();
        assert_eq!(out["run_user"], json!("root"));
        assert_eq!(
            out["services"]["go-framework"],
            json!({"command": "mine", "after": ["a", "b"], "override": "replace"})
        );
        assert!(out["parts"].is_object());
    }
}
