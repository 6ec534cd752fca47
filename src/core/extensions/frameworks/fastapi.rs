//! fastapi-framework: uvicorn-served ASGI applications (rockcraft's `fastapi.py`).
//! Checks, ASGI entry-point discovery (a global `app` only), services and parts.

use serde_json::{Map, Value, json};

use super::super::{Anchor, Context, ExpandError, Extension};
use super::common::{
    PrefixRule, bare_python_version, bare_runtime_part, daemon_permission, include_mode, is_bare,
    logging_part, organize_from_entries, organize_root, organize_values, snake_name,
    user_sets_command,
};
use super::python::{
    Probed, PythonProbe, RuffProbe, entry_point_candidates, file_name, module_path, probe_file,
};
use super::requirements::mentions_fastapi;

const NAME: &str = "fastapi-framework";
const CHECK_DOC: &str = "/reference/extensions/fastapi-framework/#project-requirements";
const PRIME_DOC: &str = "/reference/extensions/fastapi-framework";
const PYTHON_DOC: &str = "/reference/extensions/fastapi";
/// Files the default `prime` ships when they exist in the project root.
const DEFAULT_PRIME: &[&str] = &["migrate", "migrate.sh", "migrate.py", "static", "templates"];

/// The fastapi-framework extension.
pub struct FastApi;

/// The ASGI search result.
enum Asgi {
    /// The relative path of the file defining `app`.
    Found(String),
    NotFound,
    Syntax {
        file: String,
        text: String,
    },
}

fn find_asgi(
    project: &Map<String, Value>,
    ctx: &Context<'_>,
    probe: &dyn PythonProbe,
) -> Result<Asgi, ExpandError> {
    for rel in entry_point_candidates(&snake_name(project)?) {
        match probe_file(ctx.fs, probe, &rel)? {
            Probed::Missing => {}
            Probed::Syntax(err) => {
                let text = err.display_with_file(file_name(&rel));
                return Ok(Asgi::Syntax { file: rel, text });
            }
            Probed::Parsed(top) if top.has_global("app") => return Ok(Asgi::Found(rel)),
            Probed::Parsed(_) => {}
        }
    }
    Ok(Asgi::NotFound)
}

fn check(
    project: &Map<String, Value>,
    ctx: &Context<'_>,
    probe: &dyn PythonProbe,
) -> Result<Option<String>, ExpandError> {
    let mut messages = Vec::new();
    let mut anchor = Anchor::Extension(NAME.to_owned());
    if ctx.fs.exists("requirements.txt") {
        let text = ctx.fs.read_text("requirements.txt").unwrap_or_default();
        if !mentions_fastapi(&text) {
            messages.push(
                "missing fastapi or starlette package dependency in requirements.txt file."
                    .to_owned(),
            );
        }
    } else {
        messages.push("missing a requirements.txt file. The fastapi-framework extension requires this file with 'fastapi'/'starlette' specified as a dependency.".to_owned());
    }
    let mut found = None;
    if !user_sets_command(project, "fastapi") {
        match find_asgi(project, ctx, probe)? {
            Asgi::Found(rel) => found = Some(rel),
            Asgi::NotFound => messages.push(
                "missing ASGI entrypoint\n  Cannot find 'app' global variable in the following places:\n  1. app.py.\n  2. In files __init__.py, and main.py in the 'app','src', and root project directories."
                    .to_owned(),
            ),
            Asgi::Syntax { file, text } => {
                if messages.is_empty() {
                    anchor = Anchor::File(file);
                }
                messages.push(format!("Syntax error in  python file in ASGI search path: {text}"));
            }
        }
    }
    if messages.is_empty() {
        return Ok(found);
    }
    let text = messages
        .iter()
        .map(|m| format!("- {m}"))
        .collect::<Vec<_>>()
        .join("\n");
    Err(ExpandError::project(anchor, text).doc(CHECK_DOC))
}

impl Extension for FastApi {
    fn name(&self) -> &'static str {
        NAME
    }

    fn root_snippet(
        &self,
        project: &Map<String, Value>,
        ctx: &Context<'_>,
    ) -> Result<Map<String, Value>, ExpandError> {
        let asgi = check(project, ctx, &RuffProbe)?;

        let mut service = json!({
            "override": "replace",
            "startup": "enabled",
            "user": "_daemon_",
            "working-dir": "/app",
            "environment": {"UVICORN_HOST": "0.0.0.0"},
        });
        if let Some(rel) = &asgi {
            service["command"] =
                Value::String(format!("/bin/python3 -m uvicorn {}:app", module_path(rel)));
        }

        let bare = is_bare(project);
        let (stage_packages, build_environment) = if bare {
            let ver = bare_python_version(project, NAME, PYTHON_DOC)?;
            (
                json!([format!("python{ver}-venv_ensurepip")]),
                json!([{"PARTS_PYTHON_INTERPRETER": format!("python{ver}")}]),
            )
        } else {
            (json!(["python3-venv"]), json!([]))
        };
        let mut dependencies = json!({
            "plugin": "python",
            "stage-packages": stage_packages,
            "source": ".",
            "python-packages": ["uvicorn"],
            "python-requirements": ["requirements.txt"],
            "build-environment": build_environment,
        });
        if !bare {
            dependencies["stage"] = json!(["-etc/ssl/certs/ca-certificates.crt"]);
        }

        let mut parts = Map::new();
        parts.insert(format!("{NAME}/dependencies"), dependencies);
        parts.insert(
            format!("{NAME}/install-app"),
            install_app(project, ctx, asgi.as_deref())?,
        );
        let runtime = if bare {
            bare_runtime_part()
        } else {
            json!({"plugin": "nil", "stage-packages": ["ca-certificates_data"]})
        };
        parts.insert(format!("{NAME}/runtime"), runtime);
        parts.insert(format!("{NAME}/logging"), logging_part(&[], Vec::new()));

        let mut services = Map::new();
        services.insert("fastapi".into(), service);
        let mut snippet = Map::new();
        snippet.insert("run_user".into(), "_daemon_".into());
        snippet.insert("services".into(), Value::Object(services));
        snippet.insert("parts".into(), Value::Object(parts));
        Ok(snippet)
    }
}

/// `{plugin, source, organize, stage, permissions}`; no `prime` key (a user prime stays in the
/// user's part). The default prime adds the first path component of the ASGI file.
fn install_app(
    project: &Map<String, Value>,
    ctx: &Context<'_>,
    asgi: Option<&str>,
) -> Result<Value, ExpandError> {
    let rule = PrefixRule {
        part: "fastapi-framework/install-app",
        key: "prime",
        prefix: "app/",
        doc_slug: PRIME_DOC,
    };
    let mut prime = rule.user_entries(project)?;
    if prime.is_empty() {
        prime = DEFAULT_PRIME
            .iter()
            .filter(|f| ctx.fs.exists(f))
            .map(|f| format!("app/{f}"))
            .collect();
        if let Some(rel) = asgi {
            let first = rel.split('/').next().unwrap_or(rel);
            prime.push(format!("app/{first}"));
        }
    }
    let organize = if include_mode(&prime) {
        organize_from_entries(&prime, "app")
    } else {
        organize_root(ctx.fs, "app")
    };
    let stage = organize_values(&organize);
    Ok(json!({
        "plugin": "dump",
        "source": ".",
        "organize": organize,
        "stage": stage,
        "permissions": [daemon_permission(None)],
    }))
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

    fn base() -> Map<String, Value> {
        project(json!({"name": "my-app", "base": "ubuntu@24.04"}))
    }

    #[test]
    fn entry_point_and_default_prime() {
        let fs = MemoryFs::new()
            .file("requirements.txt", "fastapi")
            .file("app/main.py", "app = 1")
            .file("static/x", "")
            .file("templates/y", "");
        let s = FastApi.root_snippet(&base(), &ctx(&fs)).unwrap();
        assert_eq!(
            s["services"]["fastapi"]["command"],
            "/bin/python3 -m uvicorn app.main:app"
        );
        let part = &s["parts"]["fastapi-framework/install-app"];
        assert_eq!(
            part["organize"],
            json!({"static": "app/static", "templates": "app/templates", "app": "app/app"})
        );
        assert!(part.get("prime").is_none());
        assert_eq!(s["run_user"], "_daemon_");
    }

    #[test]
    fn only_app_counts() {
        for src in ["application = 1\n", "def create_app():\n    pass\n"] {
            let fs = MemoryFs::new()
                .file("requirements.txt", "fastapi")
                .file("app.py", src);
            let err = FastApi.root_snippet(&base(), &ctx(&fs)).unwrap_err();
            assert!(
                err.message
                    .starts_with("- missing ASGI entrypoint\n  Cannot find 'app'"),
                "{}",
                err.message
            );
            assert_eq!(err.doc_slug.as_deref(), Some(CHECK_DOC));
        }
    }

    #[test]
    fn requirement_checks() {
        let fs = MemoryFs::new()
            .file("pyproject.toml", "[project]\ndependencies=[\"fastapi\"]")
            .file("app.py", "app = 1");
        let err = FastApi.root_snippet(&base(), &ctx(&fs)).unwrap_err();
        assert!(
            err.message
                .starts_with("- missing a requirements.txt file.")
        );
        let fs = MemoryFs::new()
            .file("requirements.txt", "flask")
            .file("app.py", "app = 1");
        let err = FastApi.root_snippet(&base(), &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "- missing fastapi or starlette package dependency in requirements.txt file."
        );
        let fs = MemoryFs::new()
            .file("requirements.txt", "# FastAPI later")
            .file("app.py", "app = 1");
        assert!(FastApi.root_snippet(&base(), &ctx(&fs)).is_ok());
    }

    #[test]
    fn syntax_error_text() {
        let fs = MemoryFs::new()
            .file("requirements.txt", "fastapi")
            .file("app.py", "from fastapi import FastAPI\n\napp = FastAPI(\n");
        let err = FastApi.root_snippet(&base(), &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "- Syntax error in  python file in ASGI search path: '(' was never closed (app.py, line 3)"
        );
    }

    #[test]
    fn user_command_and_prime() {
        let fs = MemoryFs::new()
            .file("requirements.txt", "fastapi")
            .file("migrate.sh", "");
        let p = project(
            json!({"name": "my-app", "base": "ubuntu@24.04", "services": {"fastapi": {"command": "x"}}}),
        );
        let s = FastApi.root_snippet(&p, &ctx(&fs)).unwrap();
        assert!(s["services"]["fastapi"].get("command").is_none());
        assert_eq!(
            s["parts"]["fastapi-framework/install-app"]["stage"],
            json!(["app/migrate.sh"])
        );
        let p = project(
            json!({"name": "my-app", "base": "ubuntu@24.04", "parts": {"fastapi-framework/install-app": {"prime": ["flask/app/app.py"]}}}),
        );
        let fs = MemoryFs::new()
            .file("requirements.txt", "fastapi")
            .file("app.py", "app = 1");
        let err = FastApi.root_snippet(&p, &ctx(&fs)).unwrap_err();
        assert_eq!(err.doc_slug.as_deref(), Some(PRIME_DOC));
    }
}
