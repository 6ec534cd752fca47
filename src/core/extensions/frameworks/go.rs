//! go-framework (rockcraft's `go.py`): the `go.mod` check, the `go` service and the
//! base-layout, install-app, runtime, logging and (include-mode) assets parts.

use serde_json::{Map, Value, json};

use super::super::{Anchor, Context, ExpandError, Extension};
use super::common::{
    AssetsRule, assets_part, daemon_permission, is_bare, logging_part, rock_name, user_part,
    user_sets_command,
};
use crate::core::facts::GO_REQUIREMENTS_DOC_SLUG;

const NAME: &str = "go-framework";
/// Files the default assets `stage` ships when they exist in the project root.
const DEFAULT_ASSETS: &[&str] = &["migrate", "migrate.sh", "static", "templates"];

/// The go-framework extension.
pub struct Go;

impl Extension for Go {
    fn name(&self) -> &'static str {
        NAME
    }

    fn root_snippet(
        &self,
        project: &Map<String, Value>,
        ctx: &Context<'_>,
    ) -> Result<Map<String, Value>, ExpandError> {
        if !ctx.fs.exists("go.mod") {
            return Err(ExpandError::project(
                Anchor::Extension(NAME.to_owned()),
                "go-framework needs `go.mod` in the project root, and there is none (a `go.mod` in a subdirectory is not used): it builds the Go module at the root.",
            )
            .resolution("Run `go mod init <module path>` in the project root, or move the module's `go.mod` (and its code) there.")
            .doc(GO_REQUIREMENTS_DOC_SLUG));
        }
        let name = rock_name(project)?;
        let bare = is_bare(project);

        let mut parts = Map::new();
        parts.insert(
            format!("{NAME}/base-layout"),
            json!({
                "plugin": "nil",
                "override-build": "mkdir -p ${CRAFT_PART_INSTALL}/app",
                "permissions": [daemon_permission(None)],
            }),
        );
        parts.insert(
            format!("{NAME}/install-app"),
            install_app(project, name, bare),
        );
        let mut runtime = json!({"plugin": "nil", "stage-packages": ["ca-certificates_data"]});
        if bare {
            runtime["stage-packages"] =
                json!(["ca-certificates_data", "bash_bins", "coreutils_bins"]);
            runtime["override-build"] =
                json!("ln -sf /usr/bin/bash ${CRAFT_PART_INSTALL}/usr/bin/sh");
        }
        parts.insert(format!("{NAME}/runtime"), runtime);
        parts.insert(format!("{NAME}/logging"), logging_part(&[], Vec::new()));
        if let Some(assets) = assets_part(
            project,
            ctx,
            &AssetsRule {
                part: "go-framework/assets",
                defaults: DEFAULT_ASSETS,
            },
        )? {
            parts.insert(format!("{NAME}/assets"), assets);
        }

        let mut services = Map::new();
        services.insert(
            "go".into(),
            json!({"override": "replace", "startup": "enabled", "command": name, "user": "_daemon_", "working-dir": "/app"}),
        );
        let mut snippet = Map::new();
        snippet.insert("run_user".into(), "_daemon_".into());
        snippet.insert("services".into(), Value::Object(services));
        snippet.insert("parts".into(), Value::Object(parts));
        Ok(snippet)
    }
}

/// Python's `x in container` for the values rockcraft tests.
fn contains_key(container: &Value, k: &str) -> bool {
    match container {
        Value::Object(m) => m.contains_key(k),
        Value::String(s) => s.contains(k),
        Value::Array(a) => a.iter().any(|v| v.as_str() == Some(k)),
        _ => false,
    }
}

fn str_items(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The install-app part built from the user's part of the same name.
fn install_app(project: &Map<String, Value>, name: &str, bare: bool) -> Value {
    let user = user_part(project, "go-framework/install-app");
    let get = |k: &str| user.and_then(|u| u.get(k));

    let user_env: Vec<Value> = get("build-environment")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let build_environment = if bare && !user_env.iter().any(|e| contains_key(e, "CGO_ENABLED")) {
        vec![json!({"CGO_ENABLED": "0"})]
    } else {
        user_env
    };

    let mut organize: Map<String, Value> = get("organize")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let binary = format!("usr/local/bin/{name}");
    if !organize
        .values()
        .any(|v| v.as_str() == Some(binary.as_str()))
        && !user_sets_command(project, "go")
    {
        organize.insert(format!("bin/{name}"), Value::String(binary));
    }
    let stage: Vec<Value> = organize.values().cloned().collect();

    let overridden = str_items(get("build-snaps"))
        .iter()
        .any(|s| s.starts_with("go"))
        || str_items(get("build-packages"))
            .iter()
            .any(|p| matches!(*p, "gccgo-go" | "golang-go"));

    let mut part = Map::new();
    part.insert("plugin".into(), "go".into());
    part.insert("source".into(), ".".into());
    part.insert("organize".into(), Value::Object(organize));
    if !overridden {
        let mut snaps: Vec<Value> = get("build-snaps")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        snaps.push("go".into());
        part.insert("build-snaps".into(), Value::Array(snaps));
    }
    part.insert("stage".into(), Value::Array(stage));
    if !build_environment.is_empty() {
        part.insert("build-environment".into(), Value::Array(build_environment));
    }
    Value::Object(part)
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

    #[test]
    fn requires_go_mod_at_root() {
        let fs = MemoryFs::new().file("cmd/server/go.mod", "module x");
        let err = Go
            .root_snippet(
                &project(json!({"name": "my-app", "base": "ubuntu@24.04"})),
                &ctx(&fs),
            )
            .unwrap_err();
        assert_eq!(
            err.message,
            "go-framework needs `go.mod` in the project root, and there is none (a `go.mod` in a subdirectory is not used): it builds the Go module at the root."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some(
                "Run `go mod init <module path>` in the project root, or move the module's `go.mod` (and its code) there."
            )
        );
        assert_eq!(err.anchor, Anchor::Extension(NAME.into()));
    }

    #[test]
    fn bare_defaults() {
        let fs = MemoryFs::new().file("go.mod", "garbage");
        let s = Go
            .root_snippet(
                &project(json!({"name": "my-app", "base": "bare", "build-base": "ubuntu@24.04"})),
                &ctx(&fs),
            )
            .unwrap();
        let part = &s["parts"]["go-framework/install-app"];
        let keys: Vec<&String> = part.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "plugin",
                "source",
                "organize",
                "build-snaps",
                "stage",
                "build-environment"
            ]
        );
        assert_eq!(part["build-environment"], json!([{"CGO_ENABLED": "0"}]));
        assert_eq!(s["services"]["go"]["command"], "my-app");
        assert!(s["parts"].get("go-framework/assets").is_none());
    }

    #[test]
    fn user_overrides() {
        let fs = MemoryFs::new().file("go.mod", "");
        let p = project(
            json!({"name": "my-app", "base": "bare", "build-base": "ubuntu@24.04", "parts": {"go-framework/install-app": {
            "build-environment": [{"CGO_ENABLED": "1"}], "build-snaps": ["go/1.22/stable"],
            "organize": {"bin/x": "usr/local/bin/my-app"}}}}),
        );
        let s = Go.root_snippet(&p, &ctx(&fs)).unwrap();
        let part = &s["parts"]["go-framework/install-app"];
        assert!(part.get("build-snaps").is_none());
        assert_eq!(part["build-environment"], json!([{"CGO_ENABLED": "1"}]));
        assert_eq!(part["organize"], json!({"bin/x": "usr/local/bin/my-app"}));
        let p = project(
            json!({"name": "my-app", "base": "ubuntu@24.04", "services": {"go": {"command": "x"}},
            "parts": {"go-framework/install-app": {"build-packages": ["golang-go"], "build-snaps": ["other"]}}}),
        );
        let s = Go.root_snippet(&p, &ctx(&fs)).unwrap();
        let part = &s["parts"]["go-framework/install-app"];
        assert_eq!(part["organize"], json!({}));
        assert!(part.get("build-snaps").is_none() && part.get("build-environment").is_none());
    }

    #[test]
    fn assets_modes() {
        let fs = MemoryFs::new()
            .file("go.mod", "")
            .file("static/a", "")
            .file("migrate.sh", "");
        let s = Go
            .root_snippet(
                &project(json!({"name": "my-app", "base": "ubuntu@24.04"})),
                &ctx(&fs),
            )
            .unwrap();
        assert_eq!(
            s["parts"]["go-framework/assets"]["organize"],
            json!({"migrate.sh": "app/migrate.sh", "static": "app/static"})
        );
        let p = project(
            json!({"name": "my-app", "base": "ubuntu@24.04", "parts": {"go-framework/assets": {"stage": ["-app/static"]}}}),
        );
        assert!(
            Go.root_snippet(&p, &ctx(&fs)).unwrap()["parts"]
                .get("go-framework/assets")
                .is_none()
        );
        let p = project(
            json!({"name": "my-app", "base": "ubuntu@24.04", "parts": {"go-framework/assets": {"stage": ["static"]}}}),
        );
        let err = Go.root_snippet(&p, &ctx(&fs)).unwrap_err();
        assert!(
            err.message.starts_with("go-framework: entry 1 of `stage` in part `go-framework/assets` is 'static', which does not start with `app/`."),
            "{}",
            err.message
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some("Write 'app/static' instead.")
        );
    }
}
