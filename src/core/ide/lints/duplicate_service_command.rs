//! A user service whose `command` repeats the one the extension generates anyway.

use std::borrow::Cow;

use serde_json::Value;

use crate::core::code::Code;
use crate::core::diagnostic::{Diagnostic, Edit, Fix};
use crate::core::document::Document;
use crate::core::extensions::Context;
use crate::core::extensions::apply::apply_with_notes_cow;

/// Warns on a generated service's `command` that equals what the
/// extension would generate without it, with a fix that deletes the line.
pub fn check(doc: &Document, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for svc in doc.section("services") {
        let Some(name) = doc.tree.text(svc.key) else {
            continue;
        };
        if !doc.is_extension_service(name) {
            continue;
        }
        let Some(cmd) = doc.tree.entry(svc.value, "command") else {
            continue;
        };
        let Some(user) = doc.tree.text(cmd.value) else {
            continue;
        };
        if doc
            .tree
            .get(svc.value, "override")
            .and_then(|o| doc.tree.text(o))
            == Some("replace")
        {
            // A full replacement spells out the command on purpose.
            continue;
        }
        let mut data = doc.json_once().into_owned();
        let Some(service) = data
            .get_mut("services")
            .and_then(|s| s.get_mut(name))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        service.shift_remove("command");
        // The merged project as the extensions produce it, without the user's command.
        let Ok(expanded) = apply_with_notes_cow(Cow::Owned(data), ctx, &mut Vec::new()) else {
            continue;
        };
        let generated = expanded
            .pointer(&format!(
                "/services/{}/command",
                name.replace('~', "~0").replace('/', "~1")
            ))
            .and_then(Value::as_str);
        if generated != Some(user) {
            continue;
        }
        let mut d = Diagnostic::new(
            doc.key_range(cmd),
            Code::RedundantServiceCommand,
            format!(
                "this `command` is exactly the one the extension generates for `{name}`; remove it so the service keeps up with the extension (for example when the app module changes)"
            ),
        );
        d.fixes.push(Fix {
            title: "Remove the redundant `command`".into(),
            edits: vec![Edit {
                range: super::entry_lines(doc, cmd),
                text: String::new(),
            }],
        });
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::extensions::DEFAULT_EXTENSIONS_DIR;
    use crate::core::pipeline;
    use crate::core::rules::test_support::{check_expansion, flask_fs, flask_project};

    /// The command flask-framework generates for its `flask` service.
    fn generated_command() -> String {
        let fast = pipeline::fast(&flask_project(""));
        let r = pipeline::expansion(&fast, &flask_fs(), false, DEFAULT_EXTENSIONS_DIR);
        r.and_then(|r| r.expanded)
            .and_then(|v| {
                v["services"]["flask"]["command"]
                    .as_str()
                    .map(str::to_owned)
            })
            .unwrap_or_default()
    }

    #[test]
    fn a_command_equal_to_the_generated_one() {
        let cmd = generated_command();
        assert!(cmd.contains("gunicorn"), "{cmd}");
        check_expansion(
            &[Code::RedundantServiceCommand],
            &flask_fs(),
            &flask_project(&format!(
                r"
                services:
                  flask:
                    command: {cmd}
                  # ^^^^^^^ warning[redundant-service-command]: this `command` is exactly the one the extension generates for `flask`
                "
            )),
        );
    }

    #[test]
    fn another_command_is_fine() {
        check_expansion(
            &[Code::RedundantServiceCommand],
            &flask_fs(),
            &flask_project(
                r"
                services:
                  flask:
                    command: /bin/other [ x ]
                ",
            ),
        );
    }
}
