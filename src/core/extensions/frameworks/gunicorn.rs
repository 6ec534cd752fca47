//! flask-framework and django-framework: gunicorn-served Python WSGI applications
//! (rockcraft's `gunicorn.py`). Checks, WSGI entry-point discovery, services and parts.

use serde_json::{Map, Value, json};

use super::super::{Anchor, Context, ExpandError, Extension};
use super::common::{
    PrefixRule, bare_python_version, bare_runtime_part, daemon_permission, has_user_part,
    include_mode, internal, is_bare, logging_part, organize_from_entries, organize_root,
    organize_values, snake_name, user_sets_command,
};
use super::python::{
    Probed, PythonProbe, RuffProbe, entry_point_candidates, file_name, module_path, probe_file,
};
use super::requirements::declared_names;

const FLASK: &str = "flask-framework";
const DJANGO: &str = "django-framework";
const FLASK_DOC: &str = "/reference/extensions/flask-framework";
const DJANGO_DOC: &str = "/reference/extensions/django-framework/#project-requirements";
const GUNICORN_DOC: &str = "/reference/extensions/gunicorn";

/// Files the default Flask `prime` ships when they exist in the project root.
const FLASK_DEFAULT_PRIME: &[&str] = &[
    "app",
    "app.py",
    "main.py",
    "src",
    "migrate",
    "migrate.sh",
    "migrate.py",
    "static",
    "templates",
];

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
        let probe = RuffProbe;
        flask_check(project, ctx, &probe)?;
        let command = if user_sets_command(project, "flask") {
            None
        } else {
            let wsgi = match flask_wsgi_path(project, ctx, &probe)? {
                WsgiSearch::Found(path) => path,
                // Unreachable after a successful check; keep rockcraft's message anyway.
                WsgiSearch::NotFound | WsgiSearch::Syntax { .. } => {
                    return Err(missing_wsgi(FLASK));
                }
            };
            Some(gunicorn_command(Framework::Flask, &wsgi, ctx)?)
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
            return Err(ExpandError::project(
                Anchor::Extension(DJANGO.to_owned()),
                "missing requirements.txt file, django-framework extension requires this file with Django specified as a dependency",
            )
            .doc(DJANGO_DOC));
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

fn missing_wsgi(ext: &str) -> ExpandError {
    ExpandError::project(
        Anchor::Extension(ext.to_owned()),
        "- Missing WSGI entrypoint in default search locations",
    )
    .doc(FLASK_DOC)
}

/// Flask's `check_project`: requirement problems and entry-point problems, collected.
fn flask_check(
    project: &Map<String, Value>,
    ctx: &Context<'_>,
    probe: &dyn PythonProbe,
) -> Result<(), ExpandError> {
    let mut messages = Vec::new();
    let mut anchor = Anchor::Extension(FLASK.to_owned());
    if !ctx.fs.exists("requirements.txt") && !ctx.fs.exists("pyproject.toml") {
        messages.push("missing a requirements file (requirements.txt or pyproject.toml). The flask-framework extension requires one of these files with 'flask' specified as a dependency.".to_owned());
    } else if !declared_names(ctx.fs)?.contains("flask") {
        messages.push("missing flask package dependency in requirements file.".to_owned());
    }
    if !user_sets_command(project, "flask") {
        match flask_wsgi_path(project, ctx, probe)? {
            WsgiSearch::Found(_) => {}
            WsgiSearch::NotFound => {
                messages.push("Missing WSGI entrypoint in default search locations".to_owned())
            }
            WsgiSearch::Syntax { file, msg } => {
                if messages.is_empty() {
                    anchor = Anchor::File(file.clone());
                }
                messages.push(format!("error parsing {}: {msg}", file_name(&file)));
            }
        }
    }
    if messages.is_empty() {
        return Ok(());
    }
    let text = messages
        .iter()
        .map(|m| format!("- {m}"))
        .collect::<Vec<_>>()
        .join("\n");
    Err(ExpandError::project(anchor, text).doc(FLASK_DOC))
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
        msg: String,
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
                        msg: err.msg,
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
    for rel in &candidates {
        match probe_file(ctx.fs, probe, rel)? {
            Probed::Missing => {}
            // rockcraft does not catch this one: it surfaces as an internal error.
            Probed::Syntax(err) => {
                return Err(internal(
                    Anchor::File(rel.clone()),
                    format!("SyntaxError: {}", err.display_with_file(file_name(rel))),
                ));
            }
            Probed::Parsed(top) if top.has_global("application") => {
                let module = module_path(rel.strip_prefix(&format!("{name}/")).unwrap_or(rel));
                return Ok(format!("{module}:application"));
            }
            Probed::Parsed(_) => {}
        }
    }
    let root = ctx.fs.root_display();
    let shown: Vec<String> = candidates
        .iter()
        .map(|c| format!("{}/{c}", root.trim_end_matches('/')))
        .collect();
    Err(ExpandError::project(
        Anchor::Extension(DJANGO.to_owned()),
        format!(
            "django application can not be imported, unable to locate a wsgi.py with an 'application' callable in the default discovery locations ({}).",
            shown.join(", ")
        ),
    )
    .doc(DJANGO_DOC))
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
    let rule = PrefixRule {
        part: "flask-framework/install-app",
        key: "prime",
        prefix: "flask/app",
        doc_slug: FLASK_DOC,
    };
    let mut prime = rule.user_entries(project)?;
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
        let ver = bare_python_version(project, ext, GUNICORN_DOC)?;
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
            assert_eq!(
                err.message, "- Missing WSGI entrypoint in default search locations",
                "{src}"
            );
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
        assert_eq!(
            err.message,
            "- missing a requirements file (requirements.txt or pyproject.toml). The flask-framework extension requires one of these files with 'flask' specified as a dependency.\n- Missing WSGI entrypoint in default search locations"
        );
        assert_eq!(err.doc_slug.as_deref(), Some(FLASK_DOC));
        let fs = MemoryFs::new()
            .file("requirements.txt", "# flask\nrequests\n")
            .file("app.py", "app = 1");
        let err = Flask.root_snippet(&flask_project(), &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "- missing flask package dependency in requirements file."
        );
        let fs = MemoryFs::new()
            .file("requirements.txt", "flask")
            .file("app.py", "def create_app():\n    pass\n")
            .file("main.py", "app = (\n");
        let err = Flask.root_snippet(&flask_project(), &ctx(&fs)).unwrap_err();
        assert_eq!(err.message, "- error parsing main.py: '(' was never closed");
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
            Some("Write 'flask/app/app/x' instead.")
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
        assert!(err.message.starts_with("missing requirements.txt file"));
        let fs = MemoryFs::new()
            .file("requirements.txt", "")
            .file("my_app/my_app/wsgi.py", "x = 1\n");
        let err = Django.root_snippet(&p, &ctx(&fs)).unwrap_err();
        assert_eq!(
            err.message,
            "django application can not be imported, unable to locate a wsgi.py with an 'application' callable in the default discovery locations (/project/my_app/my_app/wsgi.py, /project/my_app/mysite/wsgi.py)."
        );
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
