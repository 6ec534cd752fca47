//! A service one edit away from one an extension generates (`flsk:` beside flask-framework's
//! `flask`): rockcraft adds it as a second service, and the generated one keeps its default
//! command, so the override the user meant to write never applies.

use std::collections::HashSet;

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::extensions::registry::ExtensionInfo;
use crate::core::suggest;

/// `name` as it is compared with the generated names: letter case and `_` for `-` are the
/// usual slips, and count as no edit.
fn norm(name: &str) -> String {
    name.to_lowercase().replace('_', "-")
}

/// The generated service `name` was probably meant to be, with the extension generating it:
/// one of `declared`'s that differs by at most one edit (after [`norm`]) without being `name`
/// itself. A one-letter name is too short to tell a slip from a choice.
fn meant(declared: &[&'static ExtensionInfo], name: &str) -> Option<(&'static str, &'static str)> {
    if name.chars().count() < 2 || declared.iter().any(|e| e.services.contains(&name)) {
        return None;
    }
    let n = norm(name);
    declared.iter().find_map(|e| {
        e.services
            .iter()
            .find(|s| suggest::distance(&n, s) <= 1)
            .map(|s| (*s, e.name))
    })
}

/// Warns on each service whose name is one edit away from a service a declared extension
/// generates, with a fix that renames it when the generated name is not declared too.
pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let declared = doc.declared_extensions();
    if declared.is_empty() {
        return;
    }
    let services = doc.section("services");
    let names: HashSet<&str> = services
        .iter()
        .filter_map(|s| doc.tree.text(s.key))
        .collect();
    for svc in services {
        let Some(name) = doc.tree.text(svc.key) else {
            continue;
        };
        let Some((real, extension)) = meant(&declared, name) else {
            continue;
        };
        let taken = names.contains(real);
        let range = doc.key_range(*svc);
        let d = if taken {
            Diagnostic::new(
                range,
                Code::MisspelledExtensionService,
                format!(
                    "`{name}` is one edit away from `{real}`, the service {extension} generates and this project also overrides: `{name}` is a separate service that Pebble runs beside it. Rename it if it is meant to be a service of its own, or merge it into `{real}`"
                ),
            )
        } else {
            Diagnostic::new(
                range,
                Code::MisspelledExtensionService,
                format!(
                    "`{name}` is not a service of {extension}: it creates a second service, and the generated `{real}` keeps its default command. Did you mean `{real}`?"
                ),
            )
            .with_fix(format!("Rename to `{real}`"), range, real)
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use crate::core::code::Code;
    use crate::core::extensions::MemoryFs;
    use crate::core::rules::test_support::{check_expansion, flask_fs, flask_project, rock};

    #[test]
    fn a_service_one_edit_from_the_generated_one() {
        check_expansion(
            &[Code::MisspelledExtensionService],
            &flask_fs(),
            &flask_project(
                r"
                services:
                  flsk:
                # ^^^^ warning[misspelled-extension-service]: `flsk` is not a service of flask-framework: it creates a second service, and the generated `flask` keeps its default command. Did you mean `flask`?
                    override: merge
                    command: /bin/python3 -m gunicorn [ app:app ]
                  Flask:
                # ^^^^^ warning[misspelled-extension-service]: Did you mean `flask`?
                    override: merge
                    command: /bin/true
                  statsd_exporter:
                # ^^^^^^^^^^^^^^^ warning[misspelled-extension-service]: the generated `statsd-exporter` keeps its default command
                    override: merge
                    command: /bin/true
                ",
            ),
        );
    }

    #[test]
    fn beside_the_generated_name_there_is_no_rename() {
        check_expansion(
            &[Code::MisspelledExtensionService],
            &flask_fs(),
            &flask_project(
                r"
                services:
                  flask:
                    override: merge
                    command: /bin/python3 -m gunicorn [ app:app ]
                  flaks:
                # ^^^^^ warning[misspelled-extension-service]: `flaks` is one edit away from `flask`, the service flask-framework generates and this project also overrides
                    override: replace
                    command: /bin/true
                ",
            ),
        );
    }

    #[test]
    fn other_names_are_fine() {
        check_expansion(
            &[Code::MisspelledExtensionService],
            &flask_fs(),
            &flask_project(
                r"
                services:
                  flask:
                    override: merge
                    command: /bin/python3 -m gunicorn [ app:app ]
                  worker:
                    override: replace
                    command: /bin/true
                  flask-worker:
                    override: replace
                    command: /bin/true
                ",
            ),
        );
        // Without the extension a `flsk` service is just a service.
        check_expansion(
            &[Code::MisspelledExtensionService],
            &MemoryFs::new(),
            &rock(
                r"
                services:
                  flsk:
                    override: replace
                    command: /bin/true
                ",
            ),
        );
    }

    /// Many services, a few hundred of them one edit from `flask`: one finding each, in time
    /// linear in the number of services.
    #[test]
    fn many_services() {
        let mut text = String::from("extensions: [flask-framework]\nservices:\n");
        let mut typos = 0;
        for i in 0..5 {
            for c in 'a'..='z' {
                let mut name = String::from("flask");
                name.insert(i, c);
                let _ = writeln!(text, "  {name}:\n    command: x");
                typos += 1;
            }
        }
        for i in 0..20_000 {
            let _ = writeln!(text, "  worker-{i}:\n    command: x");
        }
        let doc = crate::core::document::Document::parse(&text);
        let mut out = Vec::new();
        super::check(&doc, &mut out);
        assert_eq!(out.len(), typos);
    }

    /// Every framework's generated service is covered, expressjs's `expressjs` and
    /// spring-boot's `spring-boot` included.
    #[test]
    fn each_frameworks_service() {
        for (extension, service, typo) in [
            ("django-framework", "django", "djang"),
            ("fastapi-framework", "fastapi", "fastpi"),
            ("go-framework", "go", "og"),
            ("expressjs-framework", "expressjs", "expresjs"),
            ("spring-boot-framework", "spring-boot", "springboot"),
        ] {
            let doc = crate::core::document::Document::parse(&format!(
                "extensions: [{extension}]\nservices:\n  {typo}:\n    override: merge\n    command: /bin/true\n"
            ));
            let mut out = Vec::new();
            super::check(&doc, &mut out);
            assert_eq!(out.len(), 1, "{typo}: {out:?}");
            assert_eq!(
                out[0].fixes[0].title,
                format!("Rename to `{service}`"),
                "{typo}"
            );
        }
    }
}
