//! An extension part overridden under a wrong name (`flask/install-app`,
//! `flask-framework/install_app`): the override becomes a separate part and is ignored.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::extensions::registry::{self, ExtensionInfo};
use crate::core::suggest;

fn norm(s: &str) -> String {
    s.to_ascii_lowercase().replace(['_', ' ', '.'], "-")
}

/// The real part name a misspelled one stands for.
#[must_use]
pub fn real_name(part: &str) -> Option<(&'static ExtensionInfo, String)> {
    if registry::owner_of_part(part)
        .is_some_and(|i| i.parts.contains(&part.split_once('/').map_or("", |p| p.1)))
    {
        return None;
    }
    let (prefix, rest) = part.split_once('/')?;
    let prefix = norm(prefix);
    let rest = norm(rest);
    let info = registry::EXTENSIONS.iter().find(|i| {
        prefix == i.name
            || prefix == i.service
            || prefix == format!("{}-framework", i.service)
            || prefix == format!("{}framework", i.service)
            || (prefix.len() > 4 && suggest_close(&prefix, i.name))
    })?;
    let sub = info
        .parts
        .iter()
        .find(|p| **p == rest || p.replace('-', "") == rest.replace('-', ""))
        .or_else(|| info.parts.iter().find(|p| suggest_close(&rest, p)))?;
    let real = format!("{}/{sub}", info.name);
    (real != part).then_some((info, real))
}

fn suggest_close(a: &str, b: &str) -> bool {
    suggest::closest(a, [b]).is_some()
}

/// Warns on each misspelled extension part of a declared extension, with a rename fix.
pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let declared = doc.declared_extensions();
    let parts = doc.section("parts");
    for e in parts {
        let Some(name) = doc.tree.text(e.key) else {
            continue;
        };
        let Some((info, real)) = real_name(name) else {
            continue;
        };
        if !declared.iter().any(|d| d.name == info.name) {
            continue;
        }
        let taken = parts
            .iter()
            .any(|o| doc.tree.text(o.key) == Some(real.as_str()));
        let mut d = Diagnostic::new(
            doc.key_range(*e),
            Code::MisspelledExtensionPart,
            format!(
                "`{name}` is not a part of {}: it is built as a separate part and does not change the extension's `{real}`. Did you mean `{real}`?",
                info.name
            ),
        );
        if !taken {
            d = d.with_fix(
                format!("Rename to `{real}`"),
                doc.key_range(*e),
                real.clone(),
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_expansion, flask_fs, flask_project};

    #[test]
    fn misspelled_extension_parts() {
        check_expansion(
            &[Code::MisspelledExtensionPart],
            &flask_fs(),
            &flask_project(
                r"
                parts:
                  flask/install-app:
                # ^^^^^^^^^^^^^^^^^ warning[misspelled-extension-part]: `flask/install-app` is not a part of flask-framework
                    plugin: nil
                  flask-framework/install_app:
                # ^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[misspelled-extension-part]: `flask-framework/install_app` is not a part of flask-framework
                    plugin: nil
                  flask-framework/install-app:
                    plugin: nil
                ",
            ),
        );
    }

    #[test]
    fn the_real_part_names_are_fine() {
        check_expansion(
            &[Code::MisspelledExtensionPart],
            &flask_fs(),
            &flask_project(
                r"
                parts:
                  flask-framework/install-app:
                    plugin: nil
                  my-part:
                    plugin: nil
                ",
            ),
        );
    }
}
