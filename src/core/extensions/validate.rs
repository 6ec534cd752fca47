//! Model checks of the expanded project that depend on rockcraft's normalisation (vectorised
//! platforms) or on plugin option pairs, and that the source-document analyzer may not make.

use serde_json::{Map, Value};

use crate::core::yaml::PathSeg;

/// One problem: where it is and what is wrong.
pub type Problem = (Vec<PathSeg>, String);

fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_owned())
}

/// Checks the expanded data (aliases already resolved).
///
/// # Errors
/// The problems found, in field order.
pub fn check(data: &Map<String, Value>) -> Result<(), Vec<Problem>> {
    let mut out = Vec::new();
    platforms(data, &mut out);
    npm_parts(data, &mut out);
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// Every platform given as a mapping needs `build-for` once `build-on` is there.
fn platforms(data: &Map<String, Value>, out: &mut Vec<Problem>) {
    let Some(Value::Object(platforms)) = data.get("platforms") else {
        return;
    };
    for (label, entry) in platforms {
        let Value::Object(m) = entry else { continue };
        if m.contains_key("build-on") && !m.contains_key("build-for") {
            out.push((
                vec![key("platforms"), key(label)],
                format!("platform '{label}' has `build-on` but no `build-for`: rockcraft requires both (write `build-for: [{label}]` for a native build)"),
            ));
        }
    }
}

/// craft-parts' npm plugin: `npm-include-node: true` needs an `npm-node-version`.
fn npm_parts(data: &Map<String, Value>, out: &mut Vec<Problem>) {
    let Some(Value::Object(parts)) = data.get("parts") else {
        return;
    };
    for (name, part) in parts {
        let Value::Object(p) = part else { continue };
        if p.get("plugin").and_then(Value::as_str) != Some("npm") {
            continue;
        }
        let include = p
            .get("npm-include-node")
            .is_some_and(|v| v == &Value::Bool(true));
        let version = p.get("npm-node-version").is_some_and(|v| !v.is_null());
        if include && !version {
            out.push((
                vec![key("parts"), key(name), key("npm-include-node")],
                format!(
                    "part '{name}' sets `npm-include-node: true` but no `npm-node-version`: the npm plugin needs to know which Node.js to download (for example `npm-node-version: \"22.14.0\"`), or set `npm-include-node: false` to use the distribution's nodejs"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(v: Value) -> Result<(), Vec<Problem>> {
        check(&crate::core::extensions::frameworks::test_project(v))
    }

    #[test]
    fn npm_include_node_needs_a_version() {
        let part = |extra: Value| {
            let mut p = json!({"plugin": "npm", "source": "app/"});
            p.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            run(json!({"parts": {"x": p}}))
        };
        assert!(part(json!({"npm-include-node": true})).is_err());
        assert!(part(json!({"npm-include-node": true, "npm-node-version": null})).is_err());
        assert!(part(json!({"npm-include-node": true, "npm-node-version": "22"})).is_ok());
        assert!(part(json!({"npm-include-node": false})).is_ok());
    }

    #[test]
    fn build_for_required() {
        assert!(run(json!({"platforms": {"arm64": {"build-on": ["amd64"]}}})).is_err());
        assert!(
            run(json!({"platforms": {"arm64": null, "x": {"build-on": "a", "build-for": "b"}}}))
                .is_ok()
        );
    }
}
