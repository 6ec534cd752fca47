//! flask-framework and django-framework: gunicorn-served Python WSGI applications
//! (rockcraft's `gunicorn.py`). Checks, WSGI entry-point discovery, services and parts.

use serde_json::{Map, Value, json};

use super::super::{Anchor, Context, ExpandError, Extension};
use super::common::{
    Problem, bare_python_version, bare_runtime_part, daemon_permission, has_user_part,
    include_mode, is_bare, logging_part, missing_requirements_txt, organize_from_entries,
    organize_root, organize_values, prefixed_entries, problems_error, snake_name,
    unparsable_candidate, user_sets_command,
};
use super::python::{
    Probed, PySyntaxError, PythonProbe, RuffProbe, candidates_text, entry_point_candidates,
    module_path, probe_file,
};
use super::requirements::declared_names;
use crate::core::facts::{
    DJANGO_REQUIREMENTS_DOC_SLUG, FLASK_DEFAULT_PRIME, FLASK_DOC_SLUG, GUNICORN_DOC_SLUG,
};

const FLASK: &str = "flask-framework";
const DJANGO: &str = "django-framework";

/// Which of the two gunicorn frameworks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framework {
    Flask,
    Django,
}

impl Framework {
    fn short(self) -> &'static str {
        match self {
            Self::Flask => "flask",
            Self::Django => "django",
        }
    }
    fn extension(self) -> &'static str {
        match self {
            Self::Flask => FLASK,
            Self::Django => DJANGO,
        }
    }
}

/// The flask-framework extension.
pub struct Flask;
/// The django-framework extension.
pub struct Django;

impl Extension for Flask {
    fn name(&self) -> &'static str {
        FLASK
    }

    fn root_snippet(
        &self,
        project: &Map<String, Value>,
        ctx: &Context<'_>,
    ) -> Result<Map<String, Value>, ExpandError> {
        let command = match flask_check(project, ctx, &RuffProbe)? {
            Some(wsgi) => Some(gunicorn_command(Framework::Flask, &wsgi, ctx)?),
            None => None,
        };
        let install_app = flask_install_app(project, ctx)?;
        gunicorn_snippet(Framework::Flask, project, ctx, command, install_app)
    }
}

impl Extension for Django {
    fn name(&self) -> &'static str {
        DJANGO
    }

    fn root_snippet(
        &self,
        project: &Map<String, Value>,
        ctx: &Context<'_>,
    ) -> Result<Map<String, Value>, ExpandError> {
        let probe = RuffProbe;
        if !ctx.fs.exists("requirements.txt") {
            let problem = missing_requirements_txt(ctx.fs, DJANGO, "Django");
            return Err(problems_error(
                DJANGO,
                &[problem],
                DJANGO_REQUIREMENTS_DOC_SLUG,
            ));
        }
        let command = if user_sets_command(project, "django") {
            None
        } else {
            let wsgi = django_wsgi_path(project, ctx, &probe)?;
            Some(gunicorn_command(Framework::Django, &wsgi, ctx)?)
        };
        let install_app = if has_user_part(project, "django-framework/install-app") {
            Map::new()
        } else {
            let name = snake_name(project)?;
            let Value::Object(m) = json!({
                "plugin": "dump",
                "source": name,
                "organize": {"*": "django/app/", ".*": "django/app/"},
                "stage": ["-django/app/db.sqlite3"],
            }) else {
                unreachable!("a JSON object literal")
            };
            m
        };
        gunicorn_snippet(Framework::Django, project, ctx, command, install_app)
    }
}

/// No WSGI application in the Flask candidate files.
fn missing_flask_wsgi(project: &Map<String, Value>) -> Result<Problem, ExpandError> {
    let files = candidates_text(&snake_name(project)?);
    Ok(Problem::new(
        format!(
            "flask-framework found no WSGI application: none of the files it searches ({files}) has a top-level `app` or `application` variable or a `create_app()` or `make_app()` function."
        ),
        "Create the Flask app at the top level of one of those files, for example `app = Flask(__name__)` in `app.py`, or set `services.flask.command` to start it yourself.",
    ))
}

/// Flask's requirement check: a requirements file that declares `flask`.
fn flask_requirement(ctx: &Context<'_>) -> Result<Option<Problem>, ExpandError> {
    let txt = ctx.fs.exists("requirements.txt");
    let toml = ctx.fs.exists("pyproject.toml");
    if !txt && !toml {
        return Ok(Some(Problem::new(
            "flask-framework needs a requirements file, but the project root has neither `requirements.txt` nor `pyproject.toml`.",
            "Add `requirements.txt` to the project root with a line `flask` (or list `flask` in the `[project]` `dependencies` of a `pyproject.toml`).",
        )));
    }
    if declared_names(ctx.fs)?.contains("flask") {
        return Ok(None);
    }
    let (what, fix) = match (txt, toml) {
        (true, false) => (
            "flask-framework needs `flask` as a dependency, but `requirements.txt` does not list it (only plain requirement lines count: comments, pip options and lines ending in a `# comment` are skipped).",
            "Add a line `flask` to `requirements.txt`.",
        ),
        (false, _) => (
            "flask-framework needs `flask` as a dependency, but `pyproject.toml` does not list it in the `dependencies` of its `[project]` table (other tables, such as Poetry's `[tool.poetry.dependencies]`, are not read).",
            "Add \"flask\" to `dependencies` under `[project]` in `pyproject.toml`.",
        ),
        (true, true) => (
            "flask-framework needs `flask` as a dependency, but neither `requirements.txt` nor the `[project]` `dependencies` of `pyproject.toml` list it.",
            "Add a line `flask` to `requirements.txt`.",
        ),
    };
    Ok(Some(Problem::new(what, fix)))
}

/// Flask's `check_project`: requirement problems and entry-point problems, collected. The
/// WSGI path found (`None` when the user sets the service command).
fn flask_check(
    project: &Map<String, Value>,
    ctx: &Context<'_>,
    probe: &dyn PythonProbe,
) -> Result<Option<String>, ExpandError> {
    let mut problems = Vec::new();
    problems.extend(flask_requirement(ctx)?);
    let mut found = None;
    if !user_sets_command(project, "flask") {
        match flask_wsgi_path(project, ctx, probe)? {
            WsgiSearch::Found(path) => found = Some(path),
            WsgiSearch::NotFound => problems.push(missing_flask_wsgi(project)?),
            WsgiSearch::Syntax { file, err } => problems.push(unparsable_candidate(
                FLASK,
                "WSGI",
                &file,
                &err,
                "the search reads every candidate file and stops at one that does not parse",
            )),
        }
    }
    if problems.is_empty() {
        return Ok(found);
    }
    Err(problems_error(FLASK, &problems, FLASK_DOC_SLUG))
}

/// The result of the Flask WSGI search.
#[derive(Clone, Debug, PartialEq, Eq)]
enum WsgiSearch {
    /// `module:variable` or `module:factory()`.
    Found(String),
    NotFound,
    /// A candidate could not be parsed; the search stops there.
    Syntax {
        file: String,
        err: PySyntaxError,
    },
}

/// Pass 1: the first candidate binding `app` (preferred) or `application`; pass 2: the first
/// candidate defining `create_app` or `make_app`. A syntax error in any existing candidate
/// visited by a pass aborts the search.
fn flask_wsgi_path(
    project: &Map<String, Value>,
    ctx: &Context<'_>,
    probe: &dyn PythonProbe,
) -> Result<WsgiSearch, ExpandError> {
    let candidates = entry_point_candidates(&snake_name(project)?);
    for pass in [&["app", "application"][..], &["create_app", "make_app"][..]] {
        let factory = pass[0] == "create_app";
        for rel in &candidates {
            let top = match probe_file(ctx.fs, probe, rel)? {
                Probed::Missing => continue,
                Probed::Syntax(err) => {
                    return Ok(WsgiSearch::Syntax {
                        file: rel.clone(),
                        err,
                    });
                }
                Probed::Parsed(top) => top,
            };
            let hit = pass.iter().find(|n| {
                if factory {
                    top.has_function(n)
                } else {
                    top.has_global(n)
                }
            });
            if let Some(hit) = hit {
                let call = if factory { "()" } else { "" };
                return Ok(WsgiSearch::Found(format!(
                    "{}:{hit}{call}",
                    module_path(rel)
                )));
            }
        }
    }
    Ok(WsgiSearch::NotFound)
}

/// Django: `<name>/<name>/wsgi.py`, then `<name>/mysite/wsgi.py`, defining `application`.
fn django_wsgi_path(
    project: &Map<String, Value>,
    ctx: &Context<'_>,
    probe: &dyn PythonProbe,
) -> Result<String, ExpandError> {
    let name = snake_name(project)?;
    let candidates = [
        format!("{name}/{name}/wsgi.py"),
        format!("{name}/mysite/wsgi.py"),
    ];
    let mut found = Vec::new();
    for rel in &candidates {
        match probe_file(ctx.fs, probe, rel)? {
            Probed::Missing => found.push(format!("`{rel}` does not exist")),
            // rockcraft does not catch this one: it surfaces as an internal error.
            Probed::Syntax(err) => {
                return Err(ExpandError::unreadable(
                    Anchor::File(rel.clone()),
                    format!(
                        "django-framework cannot search `{rel}` for the WSGI application: {}; rockcraft stops with an internal error on it.",
                        err.describe()
                    ),
                )
                .resolution(format!("Fix the syntax error in `{rel}`."))
                .doc(DJANGO_REQUIREMENTS_DOC_SLUG));
            }
            Probed::Parsed(top) if top.has_global("application") => {
                let module = module_path(rel.strip_prefix(&format!("{name}/")).unwrap_or(rel));
                return Ok(format!("{module}:application"));
            }
            Probed::Parsed(_) => found.push(format!("`{rel}` has no top-level `application`")),
        }
    }
    Err(ExpandError::project(
        Anchor::Extension(DJANGO.to_owned()),
        format!(
            "django-framework found no WSGI application: it looks for a top-level `application` in `{name}/{name}/wsgi.py`, then in `{name}/mysite/wsgi.py`, inside the directory named after the rock (`{name}/`), but {}.",
            found.join(" and ")
        ),
    )
    .resolution(format!(
        "Put the Django project in `{name}/` (the rock name, lower-cased, with `-` replaced by `_`) with `application = get_wsgi_application()` in `{name}/{name}/wsgi.py`, or set `services.django.command` to start it yourself."
    ))
    .doc(DJANGO_REQUIREMENTS_DOC_SLUG))
}

/// The gunicorn service command; the worker is `gevent` when gevent is a declared dependency.
fn gunicorn_command(fw: Framework, wsgi: &str, ctx: &Context<'_>) -> Result<String, ExpandError> {
    let worker = if declared_names(ctx.fs)?.contains("gevent") {
        "gevent"
    } else {
        "sync"
    };
    let short = fw.short();
    Ok(format!(
        "/bin/python3 -m gunicorn -c /{short}/gunicorn.conf.py '{wsgi}' -k [ {worker} ]"
    ))
}

/// Flask's install-app part (without permissions): organize/stage from the prime list in
/// include mode, else every root entry; `prime` is the user's list or the default one.
fn flask_install_app(
    project: &Map<String, Value>,
    ctx: &Context<'_>,
) -> Result<Map<String, Value>, ExpandError> {
    let mut prime = prefixed_entries(project, "flask-framework/install-app")?;
    if prime.is_empty() {
        prime = FLASK_DEFAULT_PRIME
            .iter()
            .filter(|f| ctx.fs.exists(f))
            .map(|f| format!("flask/app/{f}"))
            .collect();
    }
    let organize = if include_mode(&prime) {
        organize_from_entries(&prime, "flask/app")
    } else {
        organize_root(ctx.fs, "flask/app")
    };
    let mut part = Map::new();
    part.insert("plugin".into(), "dump".into());
    part.insert("source".into(), ".".into());
    part.insert("stage".into(), Value::Array(organize_values(&organize)));
    part.insert("organize".into(), Value::Object(organize));
    part.insert("prime".into(), prime.into());
    // Key order: plugin, source, organize, stage, prime.
    let order = ["plugin", "source", "organize", "stage", "prime"];
    Ok(order
        .iter()
        .filter_map(|k| part.remove(*k).map(|v| ((*k).to_owned(), v)))
        .collect())
}

/// The root snippet shared by Flask and Django.
fn gunicorn_snippet(
    fw: Framework,
    project: &Map<String, Value>,
    ctx: &Context<'_>,
    command: Option<String>,
    install_app: Map<String, Value>,
) -> Result<Map<String, Value>, ExpandError> {
    let short = fw.short();
    let ext = fw.extension();
    let mut service = json!({
        "override": "replace",
        "startup": "enabled",
        "after": ["statsd-exporter"],
        "user": "_daemon_",
    });
    if let Some(cmd) = command {
        service["command"] = Value::String(cmd);
    }

    let bare = is_bare(project);
    let (stage_packages, build_environment) = if bare {
        let ver = bare_python_version(project, ext, GUNICORN_DOC_SLUG)?;
        (
            json!([format!("python{ver}-venv_ensurepip")]),
            json!([{"PARTS_PYTHON_INTERPRETER": format!("python{ver}")}]),
        )
    } else {
        (json!(["python3-venv"]), json!([]))
    };
    let requirements: Vec<&str> = if ctx.fs.exists("requirements.txt") {
        vec!["requirements.txt"]
    } else {
        vec![]
    };
    let mut dependencies = json!({
        "plugin": "python",
        "stage-packages": stage_packages,
        "source": ".",
        "python-packages": ["gunicorn~=23.0"],
        "python-requirements": requirements,
        "build-environment": build_environment,
    });
    if !bare {
        dependencies["stage"] = json!(["-etc/ssl/certs/ca-certificates.crt"]);
    }

    let mut install = install_app;
    install.insert("permissions".into(), json!([daemon_permission(None)]));

    let mut parts = Map::new();
    parts.insert(format!("{ext}/dependencies"), dependencies);
    parts.insert(format!("{ext}/install-app"), Value::Object(install));
    parts.insert(
        format!("{ext}/config-files"),
        json!({
            "plugin": "dump",
            "source": format!("{}/{ext}", ctx.extensions_dir.trim_end_matches('/')),
            "organize": {"gunicorn.conf.py": format!("{short}/gunicorn.conf.py")},
            "permissions": [daemon_permission(Some(&format!("{short}/gunicorn.conf.py")))],
        }),
    );
    parts.insert(
        format!("{ext}/statsd-exporter"),
        json!({
            "build-snaps": ["go"],
            "source-tag": "v0.26.0",
            "plugin": "go",
            "source": "https://github.com/prometheus/statsd_exporter.git",
        }),
    );
    parts.insert(
        format!("{ext}/logging"),
        logging_part(
            &[format!("mkdir -p $CRAFT_PART_INSTALL/var/log/{short}")],
            vec![daemon_permission(Some(&format!("var/log/{short}")))],
        ),
    );
    if bare {
        parts.insert(format!("{ext}/runtime"), bare_runtime_part());
        parts.insert(
            format!("{ext}/runtime-libs"),
            json!({"plugin": "nil", "stage-packages": ["libstdc++6"]}),
        );
    } else {
        parts.insert(
            format!("{ext}/runtime"),
            json!({"plugin": "nil", "stage-packages": ["ca-certificates_data"]}),
        );
    }

    let mut services = Map::new();
    services.insert(short.to_owned(), service);
    services.insert(
        "statsd-exporter".into(),
        json!({
            "override": "merge",
            "command": "/bin/statsd_exporter --statsd.mapping-config=/statsd-mapping.conf --statsd.listen-udp=localhost:9125 --statsd.listen-tcp=localhost:9125",
            "summary": "statsd exporter service",
            "startup": "enabled",
            "user": "_daemon_",
        }),
    );

    let mut snippet = Map::new();
    snippet.insert("run_user".into(), "_daemon_".into());
    snippet.insert("services".into(), Value::Object(services));
    snippet.insert("parts".into(), Value::Object(parts));
    Ok(snippet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extensions::{ErrorKind, MemoryFs};

    use crate::core::extensions::frameworks::test_project as project;

    fn ctx(fs: &MemoryFs) -> Context<'_> {
        Context {
            fs,
            experimental: false,
            extensions_dir: "/ext",
            cancel: crate::core::cancel::Cancel::NEVER,
        }
    }

    fn flask_project() -> Map<String, Value> {
        project(json!({"name": "my-app", "base": "ubuntu@24.04"}))
    }

    fn flask_command(fs: &MemoryFs) -> String {
        let snippet = Flask.root_snippet(&flask_project(), &ctx(fs)).unwrap();
        snippet["services"]["flask"]["command"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn flask_entry_points() {
        let req = "flask\n";
        let fs = MemoryFs::new()
            .file("requirements.txt", req)
            .file("app.py", "from flask import Flask\napp = Flask(__name__)\n");
        assert!(flask_command(&fs).contains("'app:app' -k [ sync ]"));
        let fs = MemoryFs::new()
            .file("requirements.txt", req)
            .file("main.py", "application = 1\n");
        assert!(flask_command(&fs).contains("'main:application'"));
        let fs = MemoryFs::new()
            .file("requirements.txt", req)
            .file("app/__init__.py", "def create_app():\n    pass\n");
        assert!(flask_command(&fs).contains("'app:create_app()'"));
        let fs = MemoryFs::new()
            .file("requirements.txt", req)
            .file("src/main.py", "def make_app():\n    pass\n");
        assert!(flask_command(&fs).contains("'src.main:make_app()'"));
        let fs = MemoryFs::new()
            .file("requirements.txt", req)
            .file("my_app/app.py", "from .web import app as app\n");
        assert!(flask_command(&fs).contains("'my_app.app:app'"));
        // A variable anywhere beats a factory in an earlier file.
        let fs = MemoryFs::new()
            .file("requirements.txt", req)
            .file("app.py", "def create_app():\n    pass\n")
            .file("main.py", "app = 1\n");
        assert!(flask_command(&fs).contains("'main:app'"));
        // Both names in one file: `app`.
        let fs = MemoryFs::new()
            .file("requirements.txt", req)
            .file("app.py", "app = application = 1\n");
        assert!(flask_command(&fs).contains("'app:app'"));
        let fs = MemoryFs::new()
            .file("requirements.txt", "flask\ngevent==24\n")
            .file("app.py", "app = 1\n");
        assert!(flask_command(&fs).contains("-k [ gevent ]"));
    }

    const NO_WSGI: &str = "flask-framework found no WSGI application: none of the files it searches (`app.py` and `main.py` in the project root, then `__init__.py`, `app.py` and `main.py` in `app/`, `src/` and `my_app/`) has a top-level `app` or `application` variable or a `create_app()` or `make_app()` function.";
    const NO_WSGI_FIX: &str = "Create the Flask app at the top level of one of those files, for example `app = Flask(__name__)` in `app.py`, or set `services.flask.command` to start it yourself.";

    #[test]
    fn flask_rejected_entry_points() {
        for src in [
            "app: object = 1\n",
            "app, x = 1, 2\n",
            "import flask as app\n",
            "if True:\n    app = 1\n",
            "async def create_app():\n    pass\n",
        ] {
            let fs = MemoryFs::new()
                .file("requirements.txt", "flask")
                .file("app.py", src);
            let err = Flask.root_snippet(&flask_project(), &ctx(&fs)).unwrap_err();
            assert_eq!(err.message, NO_WSGI, "{src}");
            assert_eq!(err.resolution.as_deref(), Some(NO_WSGI_FIX), "{src}");
            assert_eq!(err.anchor, Anchor::Extension(FLASK.into()));
        }
        let fs = MemoryFs::new()
            .file("requirements.txt", "flask")
            .file("webapp/app.py", "app = 1\n");
        assert!(Flask.root_snippet(&flask_project(), &ctx(&fs)).is_err());
    }

    #[test]
    fn flask_check_messages() {
        let fs = MemoryFs::new().file("README.md", "");
        let err = Flask.root_snippet(&flask_project(), &ctx(&fs)).unwrap_err();
        // Several problems: one a line under a heading, their fixes joined.
        assert_eq!(
            err.message,
            format!(
                "flask-framework found 2 problems in the project:\n- flask-framework needs a requirements file, but the project root has neither `requirements.txt` nor `pyproject.toml`.\n- {NO_WSGI}"
            )
        );
        assert_eq!(
            err.resolution,
            Some(format!(
                "Add `requirements.txt` to the project root with a line `flask` (or list `flask` in the `[project]` `dependencies` of a `pyproject.toml`). {NO_WSGI_FIX}"
            ))
        );
        assert_eq!(err.doc_slug.as_deref(), Some(FLASK_DOC_SLUG));
        let fs = MemoryFs::new()
            .file("requirements.txt", "# flask\nrequests\n")
            .file("app.py", "app = 1");
        let err = Flask.root_snippet(&flask_project(), &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "flask-framework needs `flask` as a dependency, but `requirements.txt` does not list it (only plain requirement lines count: comments, pip options and lines ending in a `# comment` are skipped)."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some("Add a line `flask` to `requirements.txt`.")
        );
        let fs = MemoryFs::new()
            .file(
                "pyproject.toml",
                "[tool.poetry.dependencies]\nflask = \"^3\"\n",
            )
            .file("app.py", "app = 1");
        let err = Flask.root_snippet(&flask_project(), &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "flask-framework needs `flask` as a dependency, but `pyproject.toml` does not list it in the `dependencies` of its `[project]` table (other tables, such as Poetry's `[tool.poetry.dependencies]`, are not read)."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some("Add \"flask\" to `dependencies` under `[project]` in `pyproject.toml`.")
        );
        let fs = MemoryFs::new()
            .file("requirements.txt", "flask")
            .file("app.py", "def create_app():\n    pass\n")
            .file("main.py", "x = 1\napp = (\n");
        let err = Flask.root_snippet(&flask_project(), &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "flask-framework cannot search `main.py` for the WSGI application: line 2 is not valid Python ('(' was never closed)."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some(
                "Fix the syntax error in `main.py`: the search reads every candidate file and stops at one that does not parse."
            )
        );
        assert_eq!(err.anchor, Anchor::File("main.py".into()));
        let fs = MemoryFs::new()
            .file("pyproject.toml", "[project\n")
            .file("app.py", "app = 1");
        assert_eq!(
            Flask
                .root_snippet(&flask_project(), &ctx(&fs))
                .unwrap_err()
                .kind,
            ErrorKind::Unreadable
        );
        // A user command skips the entry-point search.
        let fs = MemoryFs::new().file("requirements.txt", "flask");
        let p = project(
            json!({"name": "my-app", "base": "ubuntu@24.04", "services": {"flask": {"command": "x"}}}),
        );
        let snippet = Flask.root_snippet(&p, &ctx(&fs)).unwrap();
        assert!(snippet["services"]["flask"].get("command").is_none());
    }

    #[test]
    fn flask_prime_modes() {
        let base = MemoryFs::new()
            .file("requirements.txt", "flask")
            .file("app.py", "app = 1")
            .file("static/a.css", "")
            .file(".env", "");
        let with_prime = |prime: Value| {
            let p = project(
                json!({"name": "my-app", "base": "ubuntu@24.04", "parts": {"flask-framework/install-app": {"prime": prime}}}),
            );
            Flask.root_snippet(&p, &ctx(&base))
        };
        // Default: known files only; organize from prime (include mode).
        let s = Flask.root_snippet(&flask_project(), &ctx(&base)).unwrap();
        let part = &s["parts"]["flask-framework/install-app"];
        assert_eq!(
            part["prime"],
            json!(["flask/app/app.py", "flask/app/static"])
        );
        assert_eq!(
            part["organize"],
            json!({"app.py": "flask/app/app.py", "static": "flask/app/static"})
        );
        let keys: Vec<&String> = part.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "plugin",
                "source",
                "organize",
                "stage",
                "prime",
                "permissions"
            ]
        );
        // Exclude mode: every root entry.
        let s = with_prime(json!(["-flask/app/.env", "flask/app/app.py"])).unwrap();
        let organize = s["parts"]["flask-framework/install-app"]["organize"]
            .as_object()
            .unwrap();
        assert_eq!(
            organize.keys().collect::<Vec<_>>(),
            [".env", "app.py", "requirements.txt", "static"]
        );
        // Include then exclude: relpath of the exclude entry.
        let s = with_prime(json!(["flask/app/app.py", "-flask/app/secret.txt"])).unwrap();
        assert_eq!(
            s["parts"]["flask-framework/install-app"]["organize"],
            json!({"app.py": "flask/app/app.py", "../../-flask/app/secret.txt": "-flask/app/secret.txt"})
        );
        let err = with_prime(json!(["flask/app/app.py", "app/x"])).unwrap_err();
        assert!(
            err.message.starts_with("flask-framework: entry 2 of `prime` in part `flask-framework/install-app` is 'app/x', which does not start with `flask/app/`."),
            "{}",
            err.message
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some(
                "Write 'flask/app/x' instead (or 'flask/app/app/x' if `app/` is a directory of the project)."
            )
        );
        assert!(
            matches!(err.anchor, Anchor::Path(ref p) if p.last() == Some(&crate::core::yaml::PathSeg::Index(1)))
        );
    }

    #[test]
    fn flask_bare_parts() {
        let fs = MemoryFs::new()
            .file("requirements.txt", "flask")
            .file("app.py", "app = 1");
        let p = project(json!({"name": "my-app", "base": "bare", "build-base": "ubuntu@22.04"}));
        let s = Flask.root_snippet(&p, &ctx(&fs)).unwrap();
        let parts = s["parts"].as_object().unwrap();
        assert_eq!(
            parts["flask-framework/dependencies"]["stage-packages"],
            json!(["python3.10-venv_ensurepip"])
        );
        assert!(parts["flask-framework/dependencies"].get("stage").is_none());
        assert!(parts.contains_key("flask-framework/runtime-libs"));
        assert_eq!(
            parts["flask-framework/config-files"]["source"],
            "/ext/flask-framework"
        );
        let p = project(json!({"name": "my-app", "base": "bare", "build-base": "ubuntu@26.04"}));
        let err = Flask.root_snippet(&p, &ctx(&fs)).unwrap_err();
        assert!(
            err.message.starts_with(
                "flask-framework cannot pick a Python version for `build-base: ubuntu@26.04`"
            ),
            "{}",
            err.message
        );
    }

    #[test]
    fn django_checks_and_parts() {
        let p = project(json!({"name": "my-app", "base": "ubuntu@24.04"}));
        let fs = MemoryFs::new().file("pyproject.toml", "[project]\ndependencies=[\"django\"]\n");
        let err = Django.root_snippet(&p, &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "django-framework needs a `requirements.txt` in the project root, and there is none (it does not read the dependencies of `pyproject.toml`)."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some(
                "Add `requirements.txt` to the project root with a line `Django` (plus the app's other dependencies)."
            )
        );
        assert_eq!(err.anchor, Anchor::Extension(DJANGO.into()));
        let fs = MemoryFs::new()
            .file("requirements.txt", "")
            .file("my_app/my_app/wsgi.py", "x = 1\n");
        let err = Django.root_snippet(&p, &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "django-framework found no WSGI application: it looks for a top-level `application` in `my_app/my_app/wsgi.py`, then in `my_app/mysite/wsgi.py`, inside the directory named after the rock (`my_app/`), but `my_app/my_app/wsgi.py` has no top-level `application` and `my_app/mysite/wsgi.py` does not exist."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some(
                "Put the Django project in `my_app/` (the rock name, lower-cased, with `-` replaced by `_`) with `application = get_wsgi_application()` in `my_app/my_app/wsgi.py`, or set `services.django.command` to start it yourself."
            )
        );
        let fs = MemoryFs::new()
            .file("requirements.txt", "")
            .file("my_app/my_app/wsgi.py", "application = (\n");
        let err = Django.root_snippet(&p, &ctx(&fs)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unreadable);
        assert_eq!(
            err.message,
            "django-framework cannot search `my_app/my_app/wsgi.py` for the WSGI application: line 1 is not valid Python ('(' was never closed); rockcraft stops with an internal error on it."
        );
        assert_eq!(err.anchor, Anchor::File("my_app/my_app/wsgi.py".into()));
        let fs = MemoryFs::new()
            .file("requirements.txt", "gevent")
            .file("my_app/mysite/wsgi.py", "from x import application\n");
        let s = Django.root_snippet(&p, &ctx(&fs)).unwrap();
        assert_eq!(
            s["services"]["django"]["command"],
            "/bin/python3 -m gunicorn -c /django/gunicorn.conf.py 'mysite.wsgi:application' -k [ gevent ]"
        );
        assert_eq!(
            s["parts"]["django-framework/install-app"]["source"],
            "my_app"
        );
        let p = project(
            json!({"name": "my-app", "base": "ubuntu@24.04", "parts": {"django-framework/install-app": {"plugin": "nil"}}}),
        );
        let s = Django.root_snippet(&p, &ctx(&fs)).unwrap();
        assert_eq!(
            s["parts"]["django-framework/install-app"],
            json!({"permissions": [{"owner": 584_792, "group": 584_792}]})
        );
    }
}
