//! Model checks of the expanded project on plugin option pairs, which the source-document
//! analyzer does not make.

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
    npm_parts(data, &mut out);
    if out.is_empty() { Ok(()) } else { Err(out) }
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
}
