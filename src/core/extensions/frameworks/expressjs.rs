//! expressjs-framework (rockcraft's `expressjs.py`): the `app/package.json` checks, the
//! `expressjs` service and the npm install-app, runtime and logging parts.

use serde_json::{Map, Value, json};

use super::super::{Anchor, Context, ExpandError, Extension};
use super::common::{
    DAEMON_ID, internal, is_bare, logging_part, truthy, user_part, user_sets_command,
};

const NAME: &str = "expressjs-framework";
const DOC: &str = "/reference/extensions/express-framework/#project-requirements";
const PACKAGE_JSON: &str = "app/package.json";

/// The expressjs-framework extension.
pub struct ExpressJs;

fn project_error(anchor: Anchor, msg: &str) -> ExpandError {
    ExpandError::project(anchor, msg).doc(DOC)
}

/// The application name from `app/package.json`, after rockcraft's checks (in its order).
fn app_name(ctx: &Context<'_>) -> Result<String, ExpandError> {
    let file = || Anchor::File(PACKAGE_JSON.to_owned());
    if !ctx.fs.exists(PACKAGE_JSON) {
        return Err(project_error(
            Anchor::Extension(NAME.to_owned()),
            "missing package.json file in 'app' directory",
        ));
    }
    let bytes = ctx
        .fs
        .read(PACKAGE_JSON)
        .map_err(|e| internal(file(), format!("cannot read {PACKAGE_JSON}: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| internal(file(), format!("UnicodeDecodeError: {PACKAGE_JSON}: {e}")))?;
    let pkg: Value = serde_json::from_str(&text).map_err(|_| {
        project_error(
            file(),
            "failed to parse package.json; it might contain invalid JSON",
        )
    })?;
    let Value::Object(pkg) = pkg else {
        return Err(project_error(file(), "invalid package.json file"));
    };
    let has_start = match pkg.get("scripts") {
        None => false,
        Some(Value::Object(scripts)) => scripts.contains_key("start"),
        // `"start" in <str>` is a substring test.
        Some(Value::String(s)) => s.contains("start"),
        Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some("start")),
        Some(_) => {
            return Err(internal(
                file(),
                "TypeError: 'scripts' in package.json is not a container",
            ));
        }
    };
    if !has_start {
        return Err(project_error(
            file(),
            "missing 'scripts.start' field in package.json",
        ));
    }
    match pkg.get("name") {
        Some(Value::String(name)) => Ok(name.clone()),
        _ => Err(project_error(
            file(),
            "missing 'name' field in package.json",
        )),
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

    fn project(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    fn ctx(fs: &MemoryFs) -> Context<'_> {
        Context {
            fs,
            experimental: false,
            extensions_dir: "/ext",
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
        assert_eq!(msg(None), "missing package.json file in 'app' directory");
        assert_eq!(
            msg(Some("{")),
            "failed to parse package.json; it might contain invalid JSON"
        );
        assert_eq!(msg(Some("[1]")), "invalid package.json file");
        assert_eq!(
            msg(Some(r#"{"name": "x"}"#)),
            "missing 'scripts.start' field in package.json"
        );
        assert_eq!(
            msg(Some(r#"{"scripts": {"start": "node ."}}"#)),
            "missing 'name' field in package.json"
        );
        assert_eq!(
            msg(Some(r#"{"name": 1, "scripts": {"start": "x"}}"#)),
            "missing 'name' field in package.json"
        );
        assert!(run(Some(r#"{"name": "x", "scripts": "npm-start"}"#), &base()).is_ok());
        let err = run(Some("{"), &base()).unwrap_err();
        assert_eq!(err.anchor, Anchor::File(PACKAGE_JSON.into()));
        assert_eq!(err.doc_slug.as_deref(), Some(DOC));
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
