//! The expanded project as rockcraft prints it: model validation of the expanded data, the
//! warnings rockcraft writes on stdout, and the normalised document (pydantic field order,
//! defaulted `title`, vectorised platforms, canonical licence, `ubuntu@` bases, ...).

use serde_json::{Map, Number, Value};

use super::{Anchor, Detail, ExpandError};
use crate::core::emit;
use crate::core::facts::{self, PROJECT_DOC_SLUG};
use crate::core::py;
use crate::core::yaml::PathSeg;

/// Pebble service keys in model field order.
const SERVICE_ORDER: &[&str] = &[
    "override",
    "command",
    "summary",
    "description",
    "startup",
    "after",
    "before",
    "requires",
    "environment",
    "user",
    "user-id",
    "group",
    "group-id",
    "working-dir",
    "on-success",
    "on-failure",
    "on-check-failure",
    "backoff-delay",
    "backoff-factor",
    "backoff-limit",
    "kill-delay",
];

/// Pebble check keys in model field order.
const CHECK_ORDER: &[&str] = &[
    "override",
    "level",
    "period",
    "timeout",
    "threshold",
    "http",
    "tcp",
    "exec",
];
const HTTP_ORDER: &[&str] = &["url", "headers"];
const TCP_ORDER: &[&str] = &["port", "host"];
const EXEC_ORDER: &[&str] = &[
    "command",
    "service-context",
    "environment",
    "user",
    "user-id",
    "group",
    "group-id",
    "working-dir",
];

/// The first line of a model-validation error; one `- ` line per problem follows.
pub const MODEL_ERROR_HEADING: &str = "rockcraft.yaml does not pass rockcraft's project checks (run on the project with its extensions expanded):";

/// The warning rockcraft prints for a base written with a colon.
fn colon_warning(field: &str, fixed: &str) -> String {
    format!("Warning: use of \":\" in field \"{field}\" is deprecated. Prefer \"{fixed}\" instead.")
}

fn atypical_entrypoint_warning(key: &str) -> String {
    format!(
        "Warning: '{key}' is defined. This operation will result in a rock with an atypical OCI Entrypoint. While that might be acceptable for testing and personal use, it shall require prior approval before submitting to a Canonical registry namespace."
    )
}

/// The warning rockcraft prints for `build-base: devel`.
pub const DEVEL_WARNING: &str = "The development build-base should only be used for testing purposes, as its contents are bound to change with the opening of new Ubuntu releases, suddenly and without warning.";

/// What model validation of an expanded project produced.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelOutcome {
    /// Lines rockcraft prints on stdout before the YAML (also printed when validation fails).
    pub warnings: Vec<String>,
    /// The normalised project, or why it is invalid.
    pub result: Result<Value, ExpandError>,
}

impl ModelOutcome {
    /// rockcraft's stdout: the warnings, then the YAML when validation succeeded.
    #[must_use]
    pub fn stdout(&self) -> String {
        stdout_of(&self.warnings, self.result.as_ref().ok())
    }
}

/// rockcraft's stdout for `warnings` and, when validation succeeded, the normalised project.
#[must_use]
pub fn stdout_of(warnings: &[String], project: Option<&Value>) -> String {
    let mut out = String::new();
    for w in warnings {
        out.push_str(w);
        out.push('\n');
    }
    if let Some(v) = project {
        out.push_str(&emit::to_yaml_string(v));
    }
    out
}

/// The expanded data as the project model reads it, before its checks: the Python field names
/// resolved to their aliases, with the warnings field validators print on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub data: Map<String, Value>,
    /// Lines rockcraft prints on stdout before the YAML (also printed when validation fails).
    pub warnings: Vec<String>,
}

/// The first step of `Project.from_yaml_data`: a mapping, its field aliases, the field
/// validators' warnings.
///
/// # Errors
/// A document that is not a mapping, or a field written under both of its names.
/// The expanded data is taken, not copied: a large project is not held twice.
pub fn prepare(expanded: Value) -> Result<Prepared, ExpandError> {
    let Value::Object(map) = expanded else {
        return Err(ExpandError::project(
            Anchor::Document,
            "rockcraft.yaml must be a mapping of keys to values",
        )
        .doc(PROJECT_DOC_SLUG));
    };
    let data = resolve_aliases(map)?;
    let mut warnings = Vec::new();
    field_warnings(&data, &mut warnings);
    Ok(Prepared { data, warnings })
}

/// The last step, once the project-model checks passed: the normalised document
/// (`project.to_yaml_string()`) and the warnings printed after validation.
#[must_use]
pub fn finish(prepared: Prepared) -> ModelOutcome {
    let Prepared { data, mut warnings } = prepared;
    let v = normalise(data);
    if v.get("build-base").and_then(Value::as_str) == Some(facts::DEVEL) {
        warnings.push(DEVEL_WARNING.into());
    }
    ModelOutcome {
        warnings,
        result: Ok(v),
    }
}

/// The Python field names (`run_user`) the model accepts besides the aliases (`run-user`).
/// Returns the data with each Python name renamed to its alias; both spellings together are
/// an error on the Python name, as in pydantic.
fn resolve_aliases(map: Map<String, Value>) -> Result<Map<String, Value>, ExpandError> {
    // The first Python name (in the document's order) written beside its alias is refused.
    for k in map.keys() {
        if let Some(alias) = field_alias(k)
            && map.contains_key(&alias)
        {
            return Err(both_spellings(k, &alias));
        }
    }
    Ok(map
        .into_iter()
        .map(|(k, v)| match field_alias(&k) {
            Some(alias) => (alias, v),
            None => (k, v),
        })
        .collect())
}

/// The alias (`run-user`) of a project field written under its Python name (`run_user`).
fn field_alias(key: &str) -> Option<String> {
    let alias = key.replace('_', "-");
    (alias != key && facts::PROJECT_FIELDS.contains(&alias.as_str())).then_some(alias)
}

/// The refusal of a field written under both of its names.
fn both_spellings(k: &str, alias: &str) -> ExpandError {
    let (what, fix) = if k == "run_user" {
        (
            format!(
                "`{k}` and `{alias}` are both set: flask-framework, django-framework, fastapi-framework and go-framework add `run_user: _daemon_` (spelled with `_`), which rockcraft refuses next to a `run-user` written in rockcraft.yaml or added by expressjs-framework or spring-boot-framework."
            ),
            "Remove `run-user` from rockcraft.yaml if you wrote it (the extension already runs the services as `_daemon_`); if a second extension adds it, these two extensions cannot be used together.".to_owned(),
        )
    } else {
        (
            format!(
                "`{k}` and `{alias}` are both set: `{k}` is another spelling of `{alias}`, and rockcraft refuses the project when both appear."
            ),
            format!("Keep only `{alias}`."),
        )
    };
    ExpandError::project(
        Anchor::Path(vec![PathSeg::Key(alias.to_owned())]),
        MODEL_ERROR_HEADING,
    )
    .details(vec![Detail {
        path: None,
        message: what,
    }])
    .resolution(fix)
    .doc(PROJECT_DOC_SLUG)
}

/// Warnings printed by field validators: they appear even when validation fails later.
fn field_warnings(data: &Map<String, Value>, out: &mut Vec<String>) {
    for field in ["base", "build-base"] {
        if let Some(s) = data.get(field).and_then(Value::as_str)
            && facts::is_deprecated_colon_base(s)
        {
            out.push(colon_warning(field, &facts::at_spelling(s)));
        }
    }
    if data.get("entrypoint-service").is_some_and(|v| !v.is_null()) {
        out.push(atypical_entrypoint_warning("entrypoint-service"));
    } else if data.get("entrypoint-command").is_some_and(|v| !v.is_null()) {
        out.push(atypical_entrypoint_warning("entrypoint-command"));
    }
}

/// The normalised document: model field order, defaults and coercions applied.
fn normalise(mut data: Map<String, Value>) -> Value {
    let mut out = Map::new();
    for &field in facts::PROJECT_FIELDS {
        // Each field is moved out of the data, but `name`, which an empty `title` falls back to.
        let value = match field {
            "name" => data.get("name").cloned(),
            "title" => match data.remove("title") {
                Some(t) if py::truthy(&t) => Some(t),
                _ => data.get("name").cloned(),
            },
            _ => data.remove(field),
        };
        let Some(value) = value else { continue };
        let value = match field {
            "version" => match value {
                Value::Number(n) => Value::String(py::number_str(&n)),
                v => v,
            },
            "base" | "build-base" => match value {
                // Validation passed, so a `:` is one of the deprecated spellings.
                Value::String(s) if facts::is_deprecated_colon_base(&s) => {
                    Value::String(facts::at_spelling(&s))
                }
                v => v,
            },
            "platforms" => platforms(value),
            "license" => match value {
                Value::String(s) => Value::String(canonical_license(&s).unwrap_or(s)),
                v => v,
            },
            "services" => each_entry(value, |v| reorder(v, SERVICE_ORDER, service_value)),
            "checks" => each_entry(value, |v| reorder(v, CHECK_ORDER, check_value)),
            _ => value,
        };
        out.insert(field.to_owned(), value);
    }
    Value::Object(out)
}

/// Vectorised platforms: `amd64:` → `{build-on: [amd64], build-for: [amd64]}`, scalars to lists.
fn platforms(value: Value) -> Value {
    let Value::Object(map) = value else {
        return value;
    };
    let mut out = Map::new();
    for (label, entry) in map {
        let entry = match entry {
            Value::Null => {
                let mut m = Map::new();
                m.insert(
                    "build-on".into(),
                    Value::Array(vec![Value::String(label.clone())]),
                );
                m.insert(
                    "build-for".into(),
                    Value::Array(vec![Value::String(label.clone())]),
                );
                Value::Object(m)
            }
            Value::Object(m) => {
                let mut o = Map::new();
                for key in ["build-on", "build-for"] {
                    if let Some(v) = m.get(key) {
                        let v = match v {
                            Value::String(_) => Value::Array(vec![v.clone()]),
                            other => other.clone(),
                        };
                        o.insert(key.into(), v);
                    }
                }
                for (k, v) in m {
                    if !o.contains_key(&k) {
                        o.insert(k, v);
                    }
                }
                Value::Object(o)
            }
            other => other,
        };
        out.insert(label, entry);
    }
    Value::Object(out)
}

fn each_entry(value: Value, f: impl Fn(Value) -> Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, f(v))).collect()),
        v => v,
    }
}

/// Re-emits a mapping with its known keys in `order` (unknown keys after them, unchanged).
fn reorder(value: Value, order: &[&str], convert: fn(&str, Value) -> Value) -> Value {
    let Value::Object(mut map) = value else {
        return value;
    };
    let mut out = Map::new();
    for &key in order {
        if let Some(v) = map.shift_remove(key) {
            out.insert(key.to_owned(), convert(key, v));
        }
    }
    out.extend(map);
    Value::Object(out)
}

fn service_value(key: &str, v: Value) -> Value {
    match (key, v) {
        ("backoff-factor", Value::Number(n)) => n
            .as_f64()
            .and_then(Number::from_f64)
            .map_or(Value::Number(n), Value::Number),
        (_, v) => v,
    }
}

fn check_value(key: &str, v: Value) -> Value {
    match key {
        "http" => reorder(v, HTTP_ORDER, |_, v| v),
        "tcp" => reorder(v, TCP_ORDER, |_, v| v),
        "exec" => reorder(v, EXEC_ORDER, |_, v| v),
        _ => v,
    }
}

/// The canonical spelling of a licence (`apache-2.0` → `Apache-2.0`), or `None` when it is
/// neither `proprietary` nor a known SPDX id.
#[must_use]
pub fn canonical_license(license: &str) -> Option<String> {
    if license == facts::PROPRIETARY {
        return Some(license.to_owned());
    }
    facts::spdx_id(license).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn licences_are_normalised() {
        assert_eq!(
            canonical_license("apache-2.0").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(canonical_license("MIT").as_deref(), Some("MIT"));
        assert_eq!(
            canonical_license("proprietary").as_deref(),
            Some("proprietary")
        );
        assert_eq!(canonical_license("Not-A-License"), None);
    }

    #[test]
    fn platforms_vectorised() {
        let p = platforms(json!({"x": {"build-for": "arm64", "build-on": "amd64"}}));
        assert_eq!(
            p,
            json!({"x": {"build-on": ["amd64"], "build-for": ["arm64"]}})
        );
        let keys: Vec<&String> = p["x"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["build-on", "build-for"]);
    }
}
