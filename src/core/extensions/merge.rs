//! How an extension's snippet is merged into the project: rockcraft's
//! `_apply_extension_property`, reproduced rule for rule.
//!
//! * A falsy project value (`null`, missing, `[]`, `{}`, `""`, `0`, `false`) is replaced by
//!   the extension's value.
//! * Two lists: the extension's items first, then the project's; when every item is a string,
//!   later duplicates are dropped.
//! * Two mappings: every extension key is merged into the project mapping in extension order;
//!   project keys keep their position, new keys are appended.
//! * Anything else (scalars, mismatched types): the project value wins.

use serde_json::{Map, Value};

use crate::core::py::truthy;

/// Merges the extension's value `ext` into the project's value `existing` (`None` when the
/// key is absent) and returns the result.
#[must_use]
pub fn merge(existing: Option<Value>, ext: Value) -> Value {
    let existing = match existing {
        Some(v) if truthy(&v) => v,
        _ => return ext,
    };
    match (existing, ext) {
        (Value::Array(user), Value::Array(mut merged)) => {
            merged.extend(user);
            if merged.iter().all(Value::is_string) {
                let mut seen = std::collections::HashSet::new();
                merged.retain(|v| seen.insert(v.as_str().unwrap_or_default().to_owned()));
            }
            Value::Array(merged)
        }
        (Value::Object(mut user), Value::Object(ext)) => {
            merge_into(&mut user, ext);
            Value::Object(user)
        }
        (user, _) => user,
    }
}

/// Merges every key of `ext` into `target` (in `ext`'s order), as rockcraft does for the
/// root snippet and for nested mappings.
pub fn merge_into(target: &mut Map<String, Value>, ext: Map<String, Value>) {
    for (key, value) in ext {
        // `get_mut` + `take` keeps the key at its position in the (insertion-ordered) map.
        match target.get_mut(&key) {
            Some(slot) => {
                let old = slot.take();
                *slot = merge(Some(old), value);
            }
            None => {
                target.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    #[test]
    fn falsy_or_missing_project_values_are_replaced() {
        assert_eq!(merge(None, json!(["a"])), json!(["a"]));
        assert_eq!(merge(Some(json!([])), json!(["a"])), json!(["a"]));
        assert_eq!(merge(Some(json!({})), json!({"k": 1})), json!({"k": 1}));
        assert_eq!(merge(Some(json!("")), json!("ext")), json!("ext"));
        assert_eq!(merge(Some(json!(0)), json!(5)), json!(5));
        assert_eq!(merge(Some(json!(false)), json!(true)), json!(true));
        assert_eq!(merge(Some(json!(null)), json!({"a": 1})), json!({"a": 1}));
        // A falsy extension value still replaces a falsy project value.
        assert_eq!(merge(Some(json!(null)), json!([])), json!([]));
    }

    #[test]
    fn project_scalars_win_even_over_other_types() {
        assert_eq!(merge(Some(json!("nil")), json!("python")), json!("nil"));
        assert_eq!(merge(Some(json!(true)), json!(false)), json!(true));
        assert_eq!(merge(Some(json!("x")), json!(["a"])), json!("x"));
        assert_eq!(merge(Some(json!(["a"])), json!({"k": 1})), json!(["a"]));
        assert_eq!(merge(Some(json!({"k": 1})), json!(["a"])), json!({"k": 1}));
    }

    #[test]
    fn string_lists_put_extension_first_and_drop_later_duplicates() {
        let out = merge(
            Some(json!(["requests", "gunicorn~=23.0", "requests"])),
            json!(["gunicorn~=23.0"]),
        );
        assert_eq!(out, json!(["gunicorn~=23.0", "requests"]));
        let out = merge(Some(json!(["redis"])), json!(["statsd-exporter"]));
        assert_eq!(out, json!(["statsd-exporter", "redis"]));
    }

    #[test]
    fn lists_with_non_strings_are_concatenated_without_dedup() {
        let p = json!({"owner": 584_792});
        let out = merge(Some(json!([p.clone()])), json!([p.clone()]));
        assert_eq!(out, json!([p.clone(), p]));
        // One non-string item disables de-duplication for the whole list.
        let out = merge(Some(json!(["a", 1])), json!(["a"]));
        assert_eq!(out, json!(["a", "a", 1]));
    }

    #[test]
    fn mappings_keep_project_keys_first_and_append_extension_keys() {
        let user = json!({"z": 1, "prime": ["flask/app/x"], "a": {"keep": "user"}});
        let ext = json!({"plugin": "dump", "a": {"keep": "ext", "new": 2}, "z": 9, "prime": ["flask/app/y"]});
        let out = merge(Some(user), ext);
        assert_eq!(keys(&out), ["z", "prime", "a", "plugin"]);
        assert_eq!(out["z"], json!(1));
        assert_eq!(out["prime"], json!(["flask/app/y", "flask/app/x"]));
        assert_eq!(keys(&out["a"]), ["keep", "new"]);
        assert_eq!(out["a"]["keep"], json!("user"));
    }

    #[test]
    fn parts_order_user_parts_first_then_new_extension_parts() {
        let mut project = json!({"parts": {"mine": {"plugin": "nil"}, "ext/b": {"source": "."}}})
            .as_object()
            .unwrap()
            .clone();
        let snippet = json!({"parts": {"ext/a": {"plugin": "nil"}, "ext/b": {"plugin": "dump", "source": "x"}, "ext/c": {}}})
            .as_object()
            .unwrap()
            .clone();
        merge_into(&mut project, snippet);
        assert_eq!(keys(&project["parts"]), ["mine", "ext/b", "ext/a", "ext/c"]);
        assert_eq!(
            project["parts"]["ext/b"],
            json!({"source": ".", "plugin": "dump"})
        );
    }

    #[test]
    fn environment_merges_key_by_key_with_user_winning() {
        let out = merge(
            Some(json!({"NODE_ENV": "development"})),
            json!({"NODE_ENV": "production", "PORT": "3000"}),
        );
        assert_eq!(out, json!({"NODE_ENV": "development", "PORT": "3000"}));
    }

    #[test]
    fn root_keys_are_appended_when_new() {
        let mut project = json!({"name": "x"}).as_object().unwrap().clone();
        merge_into(
            &mut project,
            json!({"run_user": "_daemon_", "name": "y"})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(
            Value::Object(project),
            json!({"name": "x", "run_user": "_daemon_"})
        );
    }
}
