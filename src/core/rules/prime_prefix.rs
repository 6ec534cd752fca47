//! `prime`/`stage` entries of an extension's parts must name paths under the directory the
//! extension copies the application to (`flask/app/` for Flask, `app/` for `FastAPI`, Go and
//! Spring Boot assets). rockcraft refuses the project otherwise; this rule finds the mistake
//! without expanding the project, so it shows even while other problems stop the expansion.

use crate::core::code::Code;
use crate::core::diagnostic::{Diagnostic, Edit, Fix};
use crate::core::document::Document;
use crate::core::facts::PREFIX_RULES;
use crate::core::text::TextRange;
use crate::core::yaml::Entry;

use super::PartContext;

/// Checks one part; it is given only the first part of a name (the one a lookup by name finds).
pub(super) fn check_part(
    doc: &Document,
    ctx: &PartContext,
    part_entry: Entry,
    out: &mut Vec<Diagnostic>,
) {
    let Some(name) = doc.tree.text(part_entry.key) else {
        return;
    };
    for rule in PREFIX_RULES.iter().filter(|r| r.part == name) {
        let (part, list, suggested) = (rule.part, rule.key, rule.dir);
        let ext = rule.extension();
        if !ctx.declared.iter().any(|d| d.name == ext) {
            continue;
        }
        let part_node = part_entry.value;
        let Some(list_node) = doc.tree.get(part_node, list) else {
            continue;
        };
        for &item in doc.tree.items(list_node) {
            let Some(scalar) = doc.tree.scalar(item) else {
                continue;
            };
            let entry = scalar.text.as_str();
            if rule.matches(entry) {
                continue;
            }
            let range = doc.range(item);
            let c = rule.correction(entry);
            let fixed = c.write(suggested, c.replaced);
            // `app/x` in a Flask project: most likely `flask/app/x` (the prefix of the other
            // frameworks), but `app/` may also be a directory of the project.
            let advice = match c.inner {
                Some(p) => format!(
                    "Write `{fixed}`, or `{}` if `{p}` is a directory of the project",
                    c.write(suggested, 0)
                ),
                None => format!("Write `{fixed}`"),
            };
            let mut d = Diagnostic::new(
                range,
                Code::PrimePrefix,
                format!(
                    "`{entry}` does not start with `{suggested}`: {ext} copies the application to `{suggested}`, so every `{list}` entry of `{part}` must name a path there, and rockcraft refuses the project otherwise. {advice}"
                ),
            );
            let lead = c.mark.len();
            if let Some(p) = c.inner
                && let Some(edit) = fix(doc, range, entry, lead, suggested, c.replaced)
            {
                d.fixes.push(Fix {
                    title: format!("Replace `{p}` with `{suggested}`"),
                    edits: vec![edit],
                });
            }
            let replaced = if c.inner.is_some() { 0 } else { c.replaced };
            if let Some(edit) = fix(doc, range, entry, lead, suggested, replaced) {
                d.fixes.push(Fix {
                    title: format!("Prefix with `{suggested}`"),
                    edits: vec![edit],
                });
            }
            out.push(d);
        }
    }
}

/// Inserts the prefix after the exclusion mark, replacing the first `replaced` bytes of the
/// path (another framework's prefix); only when the source spells the entry literally (plain
/// or quoted without escapes).
fn fix(
    doc: &Document,
    range: TextRange,
    entry: &str,
    lead: usize,
    suggested: &str,
    replaced: usize,
) -> Option<Edit> {
    let src = doc.text_at(range);
    let quote = usize::from(src.starts_with(['"', '\'']));
    let inner = src.get(quote..)?;
    if !inner.starts_with(entry) {
        return None;
    }
    let start = u32::from(range.start()) + u32::try_from(quote + lead).ok()?;
    let end = start + u32::try_from(replaced).ok()?;
    Some(Edit {
        range: TextRange::new(start.into(), end.into()),
        text: suggested.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use crate::core::analysis::analyze;
    use crate::core::code::Code;
    use crate::core::rules::test_support::{
        check_codes, check_diagnostics, fixed, rock, trim_indent,
    };

    /// A part named like flask-framework's `install-app`, most of whose `prime` entries lack
    /// the `flask/app/` prefix.
    const INSTALL_APP: &str = r#"
        parts:
          flask-framework/install-app:
            prime:
              - flask/app/app.py
              - app/templates
              - "static"
              - -flask/app/secret
              - '- notes.txt'
              - flask/apple.py
        "#;

    #[test]
    fn prime_entries_need_the_framework_prefix() {
        check_diagnostics(&rock(
            r#"
            extensions: [flask-framework]
            parts:
              flask-framework/install-app:
                prime:
                  - flask/app/app.py
                  - app/templates
                  # ^^^^^^^^^^^^^ error[prime-prefix]: `app/templates` does not start with `flask/app/`: flask-framework copies the application to `flask/app/`, so every `prime` entry of `flask-framework/install-app` must name a path there, and rockcraft refuses the project otherwise. Write `flask/app/templates`, or `flask/app/app/templates` if `app/` is a directory of the project
                  - "static"
                  # ^^^^^^^^ error[prime-prefix]: `static` does not start with `flask/app/`: flask-framework copies the application to `flask/app/`, so every `prime` entry of `flask-framework/install-app` must name a path there, and rockcraft refuses the project otherwise. Write `flask/app/static`
                  - -flask/app/secret
                  - '- notes.txt'
                  # ^^^^^^^^^^^^^ error[prime-prefix]: `- notes.txt` does not start with `flask/app/`: flask-framework copies the application to `flask/app/`, so every `prime` entry of `flask-framework/install-app` must name a path there, and rockcraft refuses the project otherwise. Write `- flask/app/notes.txt`
                  - flask/apple.py
            "#,
        ));
        check_diagnostics(&rock(
            r"
            extensions: [fastapi-framework]
            parts:
              fastapi-framework/install-app:
                prime: [app/main.py, flask/app/x, app]
                                   # ^^^^^^^^^^^ error[prime-prefix]: `flask/app/x` does not start with `app/`: fastapi-framework copies the application to `app/`, so every `prime` entry of `fastapi-framework/install-app` must name a path there, and rockcraft refuses the project otherwise. Write `app/x`
                                                # ^^^ error[prime-prefix]: `app` does not start with `app/`: fastapi-framework copies the application to `app/`, so every `prime` entry of `fastapi-framework/install-app` must name a path there, and rockcraft refuses the project otherwise. Write `app/app`
            ",
        ));
    }

    /// Without the extension the part is the user's own and nothing is required.
    #[test]
    fn a_user_part_of_that_name_needs_no_prefix() {
        check_codes(&[Code::PrimePrefix], &rock(INSTALL_APP));
    }

    /// `app/templates`: replacing `app/` comes first, keeping it as a directory second.
    #[test]
    fn fixes_replace_or_add_the_prefix() {
        let text =
            rock(&("extensions: [flask-framework]\n".to_owned() + &trim_indent(INSTALL_APP)));
        let a = analyze(&text);
        let d = a
            .diagnostics
            .iter()
            .find(|d| a.doc.text_at(d.range) == "app/templates")
            .unwrap();
        let fixes: Vec<(&str, &str)> = d
            .fixes
            .iter()
            .map(|f| (f.title.as_str(), f.edits[0].text.as_str()))
            .collect();
        assert_eq!(
            fixes,
            [
                ("Replace `app/` with `flask/app/`", "flask/app/"),
                ("Prefix with `flask/app/`", "flask/app/")
            ]
        );
        assert!(fixed(&text, Code::PrimePrefix).contains("      - flask/app/templates\n"));
        assert_eq!(d.fixes[1].edits[0].range.len(), 0.into());
    }
}
