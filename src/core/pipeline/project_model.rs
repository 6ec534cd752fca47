//! The project-model stage: rockcraft's `Project` checks run on the expanded data (the
//! source-document rules applied to the emitted expansion, then the checks only the expanded
//! form allows), between the model's preparation and its normalisation.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::core::analysis::analyze_with;
use crate::core::cancel::Cancel;
use crate::core::diagnostic::{Code, Diagnostic, Severity};
use crate::core::emit;
use crate::core::extensions::model::{self, MODEL_ERROR_HEADING, ModelOutcome};
use crate::core::extensions::{Anchor, Detail, ExpandError};
use crate::core::facts::PROJECT_DOC_SLUG;
use crate::core::py;
use crate::core::yaml::{PathSeg, Tree};

/// Which rockcraft command's loading the checks follow: `pack` substitutes its `CRAFT_*`
/// variables before it validates the project, `expand-extensions` does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Pack,
    ExpandExtensions,
}

/// Validates the expanded project (`Project.from_yaml_data`) as `expand-extensions` does and
/// builds the document rockcraft prints (`project.to_yaml_string()`).
#[must_use]
pub fn check(expanded: &Value) -> ModelOutcome {
    check_for(expanded, Command::ExpandExtensions)
}

/// [`check`], following `command`'s loading.
#[must_use]
pub fn check_for(expanded: &Value, command: Command) -> ModelOutcome {
    check_with(expanded.clone(), command, Cancel::NEVER)
}

/// [`check_for`] of an expanded project given away (a large one is not held twice), stopping
/// early once `cancel` is set (the outcome is then meaningless).
#[must_use]
pub fn check_with(expanded: Value, command: Command, cancel: Cancel<'_>) -> ModelOutcome {
    let mut prepared = match model::prepare(expanded) {
        Ok(p) => p,
        Err(e) => {
            return ModelOutcome {
                warnings: Vec::new(),
                result: Err(e),
            };
        }
    };
    match validate(&mut prepared.data, command, cancel) {
        Ok(()) => model::finish(prepared),
        Err(e) => ModelOutcome {
            warnings: prepared.warnings,
            result: Err(e),
        },
    }
}

/// The data emitted as YAML as the model reads it before validating types (numbers coerced
/// where rockcraft coerces them), so the analyzer does not report those coercions. The data is
/// lent for the emission and given back as it was (it is not copied).
fn emitted_for_analysis(data: &mut Map<String, Value>) -> String {
    let number = data.get_mut("version").and_then(|v| {
        let Value::Number(n) = v else { return None };
        let coerced = Value::String(py::number_str(n));
        Some(std::mem::replace(v, coerced))
    });
    let value = Value::Object(std::mem::take(data));
    let text = emit::to_yaml_string(&value);
    if let Value::Object(map) = value {
        *data = map;
    }
    if let (Some(number), Some(v)) = (number, data.get_mut("version")) {
        *v = number;
    }
    text
}

/// Runs the project-model checks on the expanded data.
fn validate(
    data: &mut Map<String, Value>,
    command: Command,
    cancel: Cancel<'_>,
) -> Result<(), ExpandError> {
    let text = emitted_for_analysis(data);
    let analysis = analyze_with(&text, cancel);
    let mut details = Vec::new();
    let mut anchor = None;
    let refused = |d: &&Diagnostic| {
        !d.code.source_only()
            && match command {
                Command::Pack => d.severity == Severity::Error,
                Command::ExpandExtensions => {
                    (d.severity == Severity::Error && !d.code.refused_at_lifecycle())
                        || d.code.refused_by_expand_extensions_only()
                }
            }
    };
    let refused: Vec<&Diagnostic> = analysis.diagnostics.iter().filter(refused).collect();
    let found = paths_at(
        &analysis.doc.tree,
        refused.iter().map(|d| u32::from(d.range.start())),
    );
    // Findings can number tens of thousands: paths already reported are kept in a set.
    let mut paths: HashSet<Vec<PathSeg>> = HashSet::new();
    for (d, mut path) in refused.into_iter().zip(found) {
        if d.code == Code::MissingKey && path.len() == 1 {
            // A missing top-level key is reported at the first key of the document.
            path.clear();
        }
        details.push(Detail {
            path: (!path.is_empty()).then(|| path.clone()),
            message: d.message.clone(),
        });
        paths.insert(path.clone());
        anchor.get_or_insert(path);
    }
    if let Err(mut more) = crate::core::extensions::validate::check(data) {
        // The analyzer may already have reported the same place.
        more.retain(|(p, _)| !paths.contains(p));
        if let Some((path, _)) = more.first() {
            anchor.get_or_insert(path.clone());
        }
        details.extend(more.drain(..).map(|(p, m)| Detail {
            path: Some(p),
            message: m,
        }));
    }
    let Some(path) = anchor else { return Ok(()) };
    let anchor = if path.is_empty() {
        Anchor::Document
    } else {
        Anchor::Path(path)
    };
    Err(ExpandError::project(anchor, MODEL_ERROR_HEADING)
    .details(details)
    .resolution("Fix these keys in rockcraft.yaml. Parts and services an extension generates are merged with the ones you write, so a key you set under them can clash with the generated one.")
    .doc(PROJECT_DOC_SLUG))
}

/// The path of the innermost node at each offset (empty when none), through one index of the
/// tree: the findings of a project with tens of thousands of keys are as many lookups.
fn paths_at(tree: &Tree, offsets: impl Iterator<Item = u32>) -> Vec<Vec<PathSeg>> {
    let index = tree.index();
    offsets
        .map(|o| {
            index
                .node_at(o)
                .map(|n| index.path_of(n).0)
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extensions::model::DEVEL_WARNING;
    use serde_json::json;

    fn minimal() -> Value {
        json!({
            "name": "my-app", "base": "ubuntu@24.04", "version": "0.1", "summary": "s",
            "description": "d\n", "platforms": {"amd64": null}, "parts": {"p": {"plugin": "nil"}},
        })
    }

    /// 80,000 unknown keys make as many findings to place: one index, not a scan of the
    /// mapping per finding (which took minutes here). Bounded by a generous timeout.
    #[test]
    fn placing_80000_findings_is_linear() {
        let text = "unknown: 1\n".repeat(80_000);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let tree = crate::core::yaml::parse(&text).tree;
            let starts: Vec<u32> = text
                .match_indices("unknown")
                .map(|(i, _)| u32::try_from(i).unwrap())
                .collect();
            let _ = tx.send(paths_at(&tree, starts.into_iter()));
        });
        let paths = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("placing the findings took more than 30 s");
        assert_eq!(paths.len(), 80_000);
        assert!(paths.iter().all(|p| p == &[PathSeg::Key("unknown".into())]));
    }

    #[test]
    fn field_order_title_and_coercions() {
        let mut d = minimal();
        d["version"] = json!(1.10);
        d["base"] = json!("ubuntu:22.04");
        d["license"] = json!("apache-2.0");
        let out = check(&d);
        let v = out.result.clone().unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "name",
                "title",
                "version",
                "summary",
                "description",
                "base",
                "platforms",
                "license",
                "parts"
            ]
        );
        assert_eq!(v["title"], json!("my-app"));
        assert_eq!(v["version"], json!("1.1"));
        assert_eq!(v["base"], json!("ubuntu@22.04"));
        assert_eq!(v["license"], json!("Apache-2.0"));
        assert_eq!(
            v["platforms"],
            json!({"amd64": {"build-on": ["amd64"], "build-for": ["amd64"]}})
        );
        assert_eq!(
            out.warnings,
            [
                "Warning: use of \":\" in field \"base\" is deprecated. Prefer \"ubuntu@22.04\" instead."
            ]
        );
        assert!(
            out.stdout()
                .starts_with("Warning: use of \":\" in field \"base\"")
        );
    }

    #[test]
    fn services_and_checks_in_model_order() {
        let mut d = minimal();
        d["services"] =
            json!({"web": {"backoff-factor": 2, "command": "c", "override": "replace"}});
        d["checks"] = json!({"c": {"tcp": {"host": "h", "port": 1}, "override": "merge"}});
        let v = check(&d).result.unwrap();
        let svc: Vec<&String> = v["services"]["web"].as_object().unwrap().keys().collect();
        assert_eq!(svc, ["override", "command", "backoff-factor"]);
        assert!(emit::to_yaml_string(&v).contains("backoff-factor: 2.0"));
        let tcp: Vec<&String> = v["checks"]["c"]["tcp"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(tcp, ["port", "host"]);
    }

    #[test]
    fn run_user_alias() {
        let mut d = minimal();
        d["run_user"] = json!("_daemon_");
        let v = check(&d).result.unwrap();
        assert_eq!(v["run-user"], json!("_daemon_"));
        d["run-user"] = json!("_daemon_");
        let err = check(&d).result.unwrap_err();
        assert_eq!(
            err.text(),
            format!(
                "{MODEL_ERROR_HEADING}\n- `run_user` and `run-user` are both set: flask-framework, django-framework, fastapi-framework and go-framework add `run_user: _daemon_` (spelled with `_`), which rockcraft refuses next to a `run-user` written in rockcraft.yaml or added by expressjs-framework or spring-boot-framework."
            )
        );
        assert_eq!(
            err.anchor,
            Anchor::Path(vec![PathSeg::Key("run-user".into())])
        );
    }

    #[test]
    fn devel_warning_only_on_success() {
        let mut d = minimal();
        d["base"] = json!("ubuntu@26.10");
        d["build-base"] = json!("devel");
        let out = check(&d);
        assert!(out.result.is_ok(), "{:?}", out.result);
        assert_eq!(out.warnings, [DEVEL_WARNING]);
    }

    #[test]
    fn model_errors_are_anchored_at_the_offending_node() {
        let mut d = minimal();
        d["platforms"] = json!({"arm64": {"build-on": ["amd64"]}});
        let err = check(&d).result.unwrap_err();
        assert_eq!(
            err.anchor,
            Anchor::Path(vec![
                PathSeg::Key("platforms".into()),
                PathSeg::Key("arm64".into())
            ]),
            "{}",
            err.text()
        );
        let mut d = minimal();
        d.as_object_mut().unwrap().shift_remove("summary");
        let err = check(&d).result.unwrap_err();
        assert_eq!(err.anchor, Anchor::Document, "{}", err.text());
        let mut d = minimal();
        d["parts"]["p"]["no-such-key"] = json!(true);
        let err = check(&d).result.unwrap_err();
        assert_eq!(
            err.anchor,
            Anchor::Path(vec![
                PathSeg::Key("parts".into()),
                PathSeg::Key("p".into()),
                PathSeg::Key("no-such-key".into())
            ])
        );
        assert_eq!(
            err.text(),
            format!(
                "{MODEL_ERROR_HEADING}\n- `parts.p.no-such-key`: unknown key `no-such-key` in part `p`"
            )
        );
        assert_eq!(err.message, MODEL_ERROR_HEADING);
        assert_eq!(
            *err.details,
            [Detail {
                path: Some(vec![
                    PathSeg::Key("parts".into()),
                    PathSeg::Key("p".into()),
                    PathSeg::Key("no-such-key".into())
                ]),
                message: "unknown key `no-such-key` in part `p`".into(),
            }]
        );
    }
}
