//! fastapi-framework: uvicorn-served ASGI applications (rockcraft's `fastapi.py`).
//! Checks, ASGI entry-point discovery (a global `app` only), services and parts.

use serde_json::{Map, Value, json};

use super::super::{Context, ExpandError, Extension};
use super::common::{
    Problem, bare_python_version, bare_runtime_part, daemon_permission, include_mode, is_bare,
    logging_part, missing_requirements_txt, organize_from_entries, organize_root, organize_values,
    prefixed_entries, problems_error, snake_name, unparsable_candidate, user_sets_command,
};
use super::python::{
    Probed, PySyntaxError, PythonProbe, RuffProbe, candidates_text, entry_point_candidates,
    module_path, probe_file,
};
use super::requirements::{mentions_fastapi, read_dependency_file};
use crate::core::facts::{
    FASTAPI_DEFAULT_PRIME, FASTAPI_PYTHON_DOC_SLUG, FASTAPI_REQUIREMENTS_DOC_SLUG,
};

const NAME: &str = "fastapi-framework";

/// The fastapi-framework extension.
pub struct FastApi;

/// The ASGI search result.
enum Asgi {
    /// The relative path of the file defining `app`.
    Found(String),
    NotFound,
    Syntax {
        file: String,
        err: PySyntaxError,
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
            Probed::Syntax(err) => return Ok(Asgi::Syntax { file: rel, err }),
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
    let mut problems = Vec::new();
    if ctx.fs.exists("requirements.txt") {
        let text = read_dependency_file(ctx.fs, "requirements.txt")?;
        if !mentions_fastapi(&text) {
            problems.push(Problem::new(
                "fastapi-framework needs FastAPI as a dependency, but no line of `requirements.txt` mentions `fastapi` or `starlette`.",
                "Add a line `fastapi` to `requirements.txt`.",
            ));
        }
    } else {
        problems.push(missing_requirements_txt(ctx.fs, NAME, "fastapi"));
    }
    let mut found = None;
    if !user_sets_command(project, "fastapi") {
        match find_asgi(project, ctx, probe)? {
            Asgi::Found(rel) => found = Some(rel),
            Asgi::NotFound => problems.push(Problem::new(
                format!(
                    "fastapi-framework found no ASGI application: none of the files it searches ({}) has a top-level variable named `app` (other names and factory functions are not looked for).",
                    candidates_text(&snake_name(project)?)
                ),
                "Create the app at the top level of one of those files, for example `app = FastAPI()` in `app.py`, or set `services.fastapi.command` to start it yourself.",
            )),
            Asgi::Syntax { file, err } => problems.push(unparsable_candidate(
                NAME,
                "ASGI",
                &file,
                &err,
                "the search stops at the first candidate file that does not parse",
            )),
        }
    }
    if problems.is_empty() {
        return Ok(found);
    }
    Err(problems_error(
        NAME,
        &problems,
        FASTAPI_REQUIREMENTS_DOC_SLUG,
    ))
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
            let ver = bare_python_version(project, NAME, FASTAPI_PYTHON_DOC_SLUG)?;
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
    let mut prime = prefixed_entries(project, "fastapi-framework/install-app")?;
    if prime.is_empty() {
        prime = FASTAPI_DEFAULT_PRIME
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
    use crate::core::extensions::{Anchor, MemoryFs};

    const PRIME_DOC: &str = "/reference/extensions/fastapi-framework";

    use crate::core::extensions::frameworks::test_project as project;

    fn ctx(fs: &MemoryFs) -> Context<'_> {
        Context {
            fs,
            experimental: false,
            extensions_dir: "/ext",
            cancel: crate::core::cancel::Cancel::NEVER,
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
            assert_eq!(
                err.message,
                "fastapi-framework found no ASGI application: none of the files it searches (`app.py` and `main.py` in the project root, then `__init__.py`, `app.py` and `main.py` in `app/`, `src/` and `my_app/`) has a top-level variable named `app` (other names and factory functions are not looked for).",
                "{src}"
            );
            assert_eq!(
                err.resolution.as_deref(),
                Some(
                    "Create the app at the top level of one of those files, for example `app = FastAPI()` in `app.py`, or set `services.fastapi.command` to start it yourself."
                )
            );
            assert_eq!(err.doc_slug.as_deref(), Some(FASTAPI_REQUIREMENTS_DOC_SLUG));
        }
    }

    #[test]
    fn requirement_checks() {
        let fs = MemoryFs::new()
            .file("pyproject.toml", "[project]\ndependencies=[\"fastapi\"]")
            .file("app.py", "app = 1");
        let err = FastApi.root_snippet(&base(), &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "fastapi-framework needs a `requirements.txt` in the project root, and there is none (it does not read the dependencies of `pyproject.toml`)."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some(
                "Add `requirements.txt` to the project root with a line `fastapi` (plus the app's other dependencies)."
            )
        );
        let fs = MemoryFs::new()
            .file("requirements.txt", "flask")
            .file("app.py", "app = 1");
        let err = FastApi.root_snippet(&base(), &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "fastapi-framework needs FastAPI as a dependency, but no line of `requirements.txt` mentions `fastapi` or `starlette`."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some("Add a line `fastapi` to `requirements.txt`.")
        );
        // Both checks fail: one problem a line.
        let fs = MemoryFs::new()
            .file("requirements.txt", "flask")
            .file("app.py", "application = 1");
        let err = FastApi.root_snippet(&base(), &ctx(&fs)).unwrap_err();
        let lines: Vec<&str> = err.message.lines().collect();
        assert_eq!(lines.len(), 3, "{}", err.message);
        assert_eq!(
            lines[0],
            "fastapi-framework found 2 problems in the project:"
        );
        assert!(lines[1].starts_with("- fastapi-framework needs FastAPI as a dependency"));
        assert!(lines[2].starts_with("- fastapi-framework found no ASGI application"));
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
            "fastapi-framework cannot search `app.py` for the ASGI application: line 3 is not valid Python ('(' was never closed)."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some(
                "Fix the syntax error in `app.py`: the search stops at the first candidate file that does not parse."
            )
        );
        assert_eq!(err.anchor, Anchor::File("app.py".into()));
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
