//! A part named like an extension's (`flask-framework/install-app`) while that extension is
//! not declared: it is built as an ordinary part, without the framework's setup.

use crate::core::code::Code;
use crate::core::diagnostic::{Diagnostic, Edit, Fix};
use crate::core::document::Document;
use crate::core::extensions::registry;
use crate::core::text::{TextRange, TextSize};

/// Warns on each such part, with a fix that declares the extension.
pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let declared = doc.declared_extensions();
    for e in doc.section("parts") {
        let Some(name) = doc.tree.text(e.key) else {
            continue;
        };
        let Some(info) = registry::owner_of_part(name) else {
            continue;
        };
        if declared.iter().any(|d| d.name == info.name) {
            continue;
        }
        let mut d = Diagnostic::new(
            doc.key_range(*e),
            Code::FrameworkPartWithoutExtension,
            format!(
                "`{name}` is named like a part of {ext}, but `{ext}` is not in `extensions:`, so this is an ordinary part and the framework's build, service and defaults are missing. Add `{ext}` to `extensions:` or rename the part",
                ext = info.name
            ),
        );
        if let Some(edit) = declare_edit(doc, info.name) {
            d.fixes.push(Fix {
                title: format!("Add `{}` to `extensions:`", info.name),
                edits: vec![edit],
            });
        }
        out.push(d);
    }
}

/// An edit adding `name` to `extensions:` (a new block list before `parts:` when absent).
fn declare_edit(doc: &Document, name: &str) -> Option<Edit> {
    if let Some(ext) = doc.top_entry("extensions") {
        let items = doc.tree.items(ext.value);
        let last = items.last()?;
        let r = doc.range(*last);
        let src = doc.text_at(doc.range(ext.value));
        if src.starts_with('[') {
            return Some(Edit {
                range: TextRange::empty(r.end()),
                text: format!(", {name}"),
            });
        }
        let line_start = crate::core::text::line_start(&doc.text, usize::from(r.start()));
        let indent = &doc.text[line_start..usize::from(r.start())];
        return Some(Edit {
            range: TextRange::empty(r.end()),
            text: format!("\n{indent}{name}"),
        });
    }
    let parts = doc.top_entry("parts")?;
    let start = usize::from(doc.range(parts.key).start());
    let line_start = crate::core::text::line_start(&doc.text, start);
    Some(Edit {
        range: TextRange::empty(TextSize::from(u32::try_from(line_start).ok()?)),
        text: format!("extensions:\n  - {name}\n"),
    })
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::extensions::MemoryFs;
    use crate::core::rules::test_support::{check_expansion, flask_fs, flask_project};

    #[test]
    fn framework_parts_without_their_extension() {
        check_expansion(
            &[Code::FrameworkPartWithoutExtension],
            &MemoryFs::new(),
            r"
            name: x
            base: ubuntu@24.04
            parts:
              flask-framework/install-app:
            # ^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[framework-part-without-extension]: `flask-framework/install-app` is named like a part of flask-framework
                plugin: nil
              django-framework/install-app:
            # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning[framework-part-without-extension]: `django-framework/install-app` is named like a part of django-framework
                plugin: nil
              my-part:
                plugin: nil
            ",
        );
    }

    #[test]
    fn framework_parts_with_their_extension_are_fine() {
        check_expansion(
            &[Code::FrameworkPartWithoutExtension],
            &flask_fs(),
            &flask_project(
                r"
                parts:
                  flask-framework/install-app:
                    plugin: nil
                ",
            ),
        );
    }
}
