//! expressjs-framework (rockcraft's `expressjs.py`): the `app/package.json` checks, the
//! `expressjs` service and the npm install-app, runtime and logging parts.

use serde_json::{Map, Value, json};

use super::super::{Anchor, Context, ExpandError, Extension};
use super::common::{DAEMON_ID, describe, is_bare, logging_part, user_part, user_sets_command};
use crate::core::facts::EXPRESS_REQUIREMENTS_DOC_SLUG;
use crate::core::py::truthy;

const NAME: &str = "expressjs-framework";
const PACKAGE_JSON: &str = "app/package.json";

/// The expressjs-framework extension.
pub struct ExpressJs;

fn project_error(anchor: Anchor, msg: impl Into<String>, fix: impl Into<String>) -> ExpandError {
    ExpandError::project(anchor, msg)
        .resolution(fix)
        .doc(EXPRESS_REQUIREMENTS_DOC_SLUG)
}

/// A minimal `app/package.json`, for resolutions.
const EXAMPLE: &str = r#"`{"name": "my-app", "scripts": {"start": "node ./bin/www"}}`"#;

/// The application name from `app/package.json`, after rockcraft's checks (in its order).
fn app_name(ctx: &Context<'_>) -> Result<String, ExpandError> {
    let file = || Anchor::File(PACKAGE_JSON.to_owned());
    if !ctx.fs.exists(PACKAGE_JSON) {
        let at_root = if ctx.fs.exists("package.json") {
            " (the `package.json` in the project root is not read: the app must live in `app/`)"
        } else {
            ""
        };
        return Err(project_error(
            Anchor::Extension(NAME.to_owned()),
            format!(
                "expressjs-framework needs the Express app in the `app/` directory with its `app/package.json`, and there is no such file{at_root}."
            ),
            "Move the Express app into `app/` (or create it there, for example with `npx express-generator app`).",
        ));
    }
    let bytes = ctx.fs.read(PACKAGE_JSON).map_err(|e| {
        ExpandError::unreadable(
            file(),
            format!("expressjs-framework cannot read `{PACKAGE_JSON}`: {e}."),
        )
        .resolution(format!("Make `{PACKAGE_JSON}` a readable file."))
        .doc(EXPRESS_REQUIREMENTS_DOC_SLUG)
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        ExpandError::unreadable(
            file(),
            format!(
                "`{PACKAGE_JSON}` is not UTF-8 text ({e}); rockcraft stops with an internal error on it."
            ),
        )
        .resolution(format!("Save `{PACKAGE_JSON}` with the UTF-8 encoding."))
        .doc(EXPRESS_REQUIREMENTS_DOC_SLUG)
    })?;
    let pkg: Value = serde_json::from_str(&text).map_err(|e| {
        project_error(
            file(),
            format!(
                "`{PACKAGE_JSON}` is not valid JSON ({e}), so expressjs-framework cannot read the app's name and start script from it."
            ),
            format!("Fix the JSON syntax of `{PACKAGE_JSON}`."),
        )
    })?;
    let Value::Object(pkg) = pkg else {
        return Err(project_error(
            file(),
            format!(
                "`{PACKAGE_JSON}` must hold a JSON object with the app's `name` and `scripts`, but it holds {}.",
                describe(&pkg)
            ),
            format!("Write it as an object, for example {EXAMPLE}."),
        ));
    };
    let has_start = match pkg.get("scripts") {
        None => false,
        Some(Value::Object(scripts)) => scripts.contains_key("start"),
        // `"start" in <str>` is a substring test.
        Some(Value::String(s)) => s.contains("start"),
        Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some("start")),
        Some(other) => {
            return Err(ExpandError::unreadable(
                file(),
                format!(
                    "`scripts` in `{PACKAGE_JSON}` must be an object of npm scripts, but it is {}; rockcraft stops with an internal error on it.",
                    describe(other)
                ),
            )
            .resolution(r#"Write the scripts as an object, for example `"scripts": {"start": "node ./bin/www"}`."#)
            .doc(EXPRESS_REQUIREMENTS_DOC_SLUG));
        }
    };
    if !has_start {
        return Err(project_error(
            file(),
            format!(
                "`{PACKAGE_JSON}` has no `start` script, and the `expressjs` service that expressjs-framework generates runs `npm start`."
            ),
            format!(
                r#"Add a start script to `{PACKAGE_JSON}`, for example `"scripts": {{"start": "node ./bin/www"}}`."#
            ),
        ));
    }
    match pkg.get("name") {
        Some(Value::String(name)) => Ok(name.clone()),
        other => {
            let what = match other {
                None => format!("`{PACKAGE_JSON}` has no `name`"),
                Some(v) => format!(
                    "`name` in `{PACKAGE_JSON}` is {}, not a string",
                    describe(v)
                ),
            };
            Err(project_error(
                file(),
                format!(
                    "{what}: expressjs-framework installs the app under `/lib/node_modules/<name>`."
                ),
                format!(
                    r#"Set a string name in `{PACKAGE_JSON}`, for example `"name": "my-app"`."#
                ),
            ))
        }
    }
}

impl Extension for ExpressJs {
    fn name(&self) -> &'static str {
        NAME
    }

    fn root_snippet(
        &self,
        project: &Map<String, Value>,
        ctx: &Context<'_>,
    ) -> Result<Map<String, Value>, ExpandError> {
        let app = app_name(ctx)?;
        let bare = is_bare(project);
        let user = user_part(project, "expressjs-framework/install-app");
        let include_node = user
            .and_then(|u| u.get("npm-include-node"))
            .filter(|v| truthy(v));

        let mut service = json!({
            "override": "replace",
            "startup": "enabled",
            "user": "_daemon_",
            "working-dir": "/app",
            "environment": {"NODE_ENV": "production"},
        });
        if !user_sets_command(project, "expressjs") {
            service["command"] = json!("npm start");
        }

        let mut override_build = format!(
            "rm -rf node_modules\ncraftctl default\nnpm config set script-shell=bash --location project\n\
             cp ${{CRAFT_PART_BUILD}}/.npmrc ${{CRAFT_PART_INSTALL}}/lib/node_modules/{app}/.npmrc\n\
             chown -R {DAEMON_ID}:{DAEMON_ID} ${{CRAFT_PART_INSTALL}}/lib/node_modules/{app}\n\
             ln -s /lib/node_modules/{app} ${{CRAFT_PART_INSTALL}}/app\n\
             chown -R {DAEMON_ID}:{DAEMON_ID} ${{CRAFT_PART_INSTALL}}/app\n"
        );
        if bare {
            override_build.push_str("ln -sf /usr/bin/bash ${CRAFT_PART_INSTALL}/usr/bin/sh");
        }
        let mut install = Map::new();
        install.insert("plugin".into(), "npm".into());
        install.insert("source".into(), "app/".into());
        install.insert("override-build".into(), override_build.into());
        if include_node.is_none() {
            install.insert("build-packages".into(), json!(["nodejs", "npm"]));
        }
        let stage_packages = if bare {
            json!(["bash_bins", "ca-certificates_data", "coreutils_bins"])
        } else if include_node.is_none() {
            json!(["ca-certificates_data", "nodejs_bins"])
        } else {
            json!(["ca-certificates_data"])
        };
        install.insert("stage-packages".into(), stage_packages);
        if let Some(flag) = include_node {
            install.insert("npm-include-node".into(), flag.clone());
            let version = user
                .and_then(|u| u.get("npm-node-version"))
                .cloned()
                .unwrap_or(Value::Null);
            install.insert("npm-node-version".into(), version);
        }
        install.insert(
            "build-environment".into(),
            json!([{"UV_USE_IO_URING": "0"}]),
        );

        let mut parts = Map::new();
        parts.insert(format!("{NAME}/install-app"), Value::Object(install));
        let mut runtime_packages: Vec<&str> = if bare {
            vec!["libstdc++6", "zlib1g"]
        } else {
            Vec::new()
        };
        if include_node.is_none() {
            runtime_packages.push("npm");
        }
        if !runtime_packages.is_empty() {
            parts.insert(
                format!("{NAME}/runtime"),
                json!({"plugin": "nil", "stage-packages": runtime_packages, "stage": ["-etc/ssl/certs/ca-certificates.crt"]}),
            );
        }
        parts.insert(format!("{NAME}/logging"), logging_part(&[], Vec::new()));

        let mut services = Map::new();
        services.insert("expressjs".into(), service);
        let mut snippet = Map::new();
        snippet.insert("run-user".into(), "_daemon_".into());
        snippet.insert("services".into(), Value::Object(services));
        snippet.insert("parts".into(), Value::Object(parts));
        Ok(snippet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extensions::MemoryFs;

    use crate::core::extensions::frameworks::test_project as project;

    fn ctx(fs: &MemoryFs) -> Context<'_> {
        Context {
            fs,
            experimental: false,
            extensions_dir: "/ext",
            cancel: crate::core::cancel::Cancel::NEVER,
        }
    }

    fn run(pkg: Option<&str>, p: &Map<String, Value>) -> Result<Map<String, Value>, ExpandError> {
        let mut fs = MemoryFs::new().file("app/app.js", "");
        if let Some(pkg) = pkg {
            fs = fs.file(PACKAGE_JSON, pkg);
        }
        ExpressJs.root_snippet(p, &ctx(&fs))
    }

    fn base() -> Map<String, Value> {
        project(json!({"name": "my-rock", "base": "ubuntu@24.04"}))
    }

    #[test]
    fn package_json_errors_in_order() {
        let msg = |pkg: Option<&str>| run(pkg, &base()).unwrap_err().message;
        assert_eq!(
            msg(None),
            "expressjs-framework needs the Express app in the `app/` directory with its `app/package.json`, and there is no such file."
        );
        let fs = MemoryFs::new().file("package.json", "{}");
        let err = ExpressJs.root_snippet(&base(), &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "expressjs-framework needs the Express app in the `app/` directory with its `app/package.json`, and there is no such file (the `package.json` in the project root is not read: the app must live in `app/`)."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some(
                "Move the Express app into `app/` (or create it there, for example with `npx express-generator app`)."
            )
        );
        assert_eq!(
            msg(Some("{")),
            "`app/package.json` is not valid JSON (EOF while parsing an object at line 1 column 1), so expressjs-framework cannot read the app's name and start script from it."
        );
        assert_eq!(
            msg(Some("[1]")),
            "`app/package.json` must hold a JSON object with the app's `name` and `scripts`, but it holds a list."
        );
        assert_eq!(
            msg(Some(r#"{"name": "x"}"#)),
            "`app/package.json` has no `start` script, and the `expressjs` service that expressjs-framework generates runs `npm start`."
        );
        assert_eq!(
            msg(Some(r#"{"scripts": {"start": "node ."}}"#)),
            "`app/package.json` has no `name`: expressjs-framework installs the app under `/lib/node_modules/<name>`."
        );
        assert_eq!(
            msg(Some(r#"{"name": 1, "scripts": {"start": "x"}}"#)),
            "`name` in `app/package.json` is a number, not a string: expressjs-framework installs the app under `/lib/node_modules/<name>`."
        );
        let err = run(Some(r#"{"name": "x", "scripts": 1}"#), &base()).unwrap_err();
        assert_eq!(err.exit_code(), 70);
        assert_eq!(
            err.message,
            "`scripts` in `app/package.json` must be an object of npm scripts, but it is a number; rockcraft stops with an internal error on it."
        );
        assert!(run(Some(r#"{"name": "x", "scripts": "npm-start"}"#), &base()).is_ok());
        let err = run(Some("{"), &base()).unwrap_err();
        assert_eq!(err.anchor, Anchor::File(PACKAGE_JSON.into()));
        assert_eq!(
            err.doc_slug.as_deref(),
            Some("/reference/extensions/express-framework/#project-requirements")
        );
    }

    #[test]
    fn parts_for_bases_and_include_node() {
        let pkg = Some(r#"{"name": "@acme/web", "scripts": {"start": "node ."}}"#);
        let s = run(pkg, &base()).unwrap();
        let install = &s["parts"]["expressjs-framework/install-app"];
        assert!(
            install["override-build"]
                .as_str()
                .unwrap()
                .contains("/lib/node_modules/@acme/web/.npmrc")
        );
        assert!(
            install["override-build"]
                .as_str()
                .unwrap()
                .ends_with("/app\n")
        );
        assert_eq!(
            s["parts"]["expressjs-framework/runtime"]["stage-packages"],
            json!(["npm"])
        );
        assert_eq!(s["run-user"], "_daemon_");
        let p = project(
            json!({"name": "my-rock", "base": "ubuntu@24.04", "parts": {"expressjs-framework/install-app": {"npm-include-node": true}}}),
        );
        let s = run(pkg, &p).unwrap();
        let install = s["parts"]["expressjs-framework/install-app"]
            .as_object()
            .unwrap();
        assert_eq!(
            install.keys().collect::<Vec<_>>(),
            [
                "plugin",
                "source",
                "override-build",
                "stage-packages",
                "npm-include-node",
                "npm-node-version",
                "build-environment"
            ]
        );
        assert_eq!(install["npm-node-version"], Value::Null);
        assert!(s["parts"].get("expressjs-framework/runtime").is_none());
        let p = project(json!({"name": "my-rock", "base": "bare", "build-base": "ubuntu@24.04"}));
        let s = run(pkg, &p).unwrap();
        assert!(
            s["parts"]["expressjs-framework/install-app"]["override-build"]
                .as_str()
                .unwrap()
                .ends_with("/usr/bin/sh")
        );
        assert_eq!(
            s["parts"]["expressjs-framework/runtime"]["stage-packages"],
            json!(["libstdc++6", "zlib1g", "npm"])
        );
    }
}
