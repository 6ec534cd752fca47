//! `prime`/`stage` entries of an extension's parts must name paths under the directory the
//! extension copies the application to (`flask/app/` for Flask, `app/` for FastAPI, Go and
//! Spring Boot assets). rockcraft refuses the project otherwise; this rule finds the mistake
//! without expanding the project, so it shows even while other problems stop the expansion.

use crate::core::diagnostic::{Diagnostic, Edit, Fix};
use crate::core::document::Document;
use crate::core::text::TextRange;

/// (part, list, prefix rockcraft's regex requires after `-? *`, prefix to suggest)
const RULES: &[(&str, &str, &str, &str)] = &[
    (
        "flask-framework/install-app",
        "prime",
        "flask/app",
        "flask/app/",
    ),
    ("fastapi-framework/install-app", "prime", "app/", "app/"),
    ("go-framework/assets", "stage", "app/", "app/"),
    ("spring-boot-framework/assets", "stage", "app/", "app/"),
];

/// Prefixes of the other frameworks, replaced rather than kept when the fix is applied.
const OTHER_PREFIXES: &[&str] = &["flask/app/", "django/app/", "app/"];

/// Other frameworks' prefixes that end the suggested one (`app/` in `flask/app/`): an entry
/// starting with one is either that framework's habit or a real directory of the project, so
/// both fixes are offered.
const INNER_PREFIXES: &[&str] = &["app/"];

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let declared = doc.declared_extensions();
    for &(part, list, required, suggested) in RULES {
        let ext = part.split('/').next().unwrap_or_default();
        if !declared.iter().any(|d| d.name == ext) {
            continue;
        }
        let Some(part_node) = doc
            .section("parts")
            .iter()
            .find(|e| doc.tree.text(e.key) == Some(part))
            .map(|e| e.value)
        else {
            continue;
        };
        let Some(list_node) = doc.tree.get(part_node, list) else {
            continue;
        };
        for &item in doc.tree.items(list_node) {
            let Some(scalar) = doc.tree.scalar(item) else {
                continue;
            };
            let entry = scalar.text.as_str();
            let bare = entry
                .strip_prefix('-')
                .unwrap_or(entry)
                .trim_start_matches(' ');
            if bare.starts_with(required) {
                continue;
            }
            let range = doc.range(item);
            let mark = &entry[..entry.len() - bare.len()];
            // `app/x` in a Flask project: most likely `flask/app/x` (the prefix of the other
            // frameworks), but `app/` may also be a directory of the project.
            let inner = INNER_PREFIXES
                .iter()
                .find(|p| **p != suggested && suggested.ends_with(**p) && bare.starts_with(**p));
            let advice = match inner {
                Some(p) => format!(
                    "Write `{mark}{suggested}{}`, or `{mark}{suggested}{bare}` if `{p}` is a directory of the project",
                    &bare[p.len()..]
                ),
                None => format!(
                    "Write `{mark}{suggested}{}`",
                    strip_other_prefix(bare, suggested)
                ),
            };
            let mut d = Diagnostic::error(
                range,
                "prime-prefix",
                format!(
                    "`{entry}` does not start with `{suggested}`: {ext} copies the application to `{suggested}`, so every `{list}` entry of `{part}` must name a path there, and rockcraft refuses the project otherwise. {advice}"
                ),
            );
            if let Some(p) = inner
                && let Some(edit) = fix(doc, range, entry, bare, suggested, p.len())
            {
                d.fixes.push(Fix {
                    title: format!("Replace `{p}` with `{suggested}`"),
                    edits: vec![edit],
                });
            }
            let replaced = bare.len() - strip_other_prefix(bare, suggested).len();
            if let Some(edit) = fix(doc, range, entry, bare, suggested, replaced) {
                d.fixes.push(Fix {
                    title: format!("Prefix with `{suggested}`"),
                    edits: vec![edit],
                });
            }
            out.push(d);
        }
    }
}

fn strip_other_prefix<'a>(bare: &'a str, suggested: &str) -> &'a str {
    OTHER_PREFIXES
        .iter()
        .filter(|p| **p != suggested && !suggested.ends_with(**p))
        .find_map(|p| bare.strip_prefix(p))
        .unwrap_or(bare)
}

/// Inserts the prefix after the exclusion mark, replacing the first `replaced` bytes of the
/// path (another framework's prefix); only when the source spells the entry literally (plain
/// or quoted without escapes).
fn fix(
    doc: &Document,
    range: TextRange,
    entry: &str,
    bare: &str,
    suggested: &str,
    replaced: usize,
) -> Option<Edit> {
    let src = doc.text_at(range);
    let quote = usize::from(src.starts_with(['"', '\'']));
    let inner = src.get(quote..)?;
    if !inner.starts_with(entry) {
        return None;
    }
    let lead = entry.len() - bare.len();
    let start = u32::from(range.start()) + u32::try_from(quote + lead).ok()?;
    let end = start + u32::try_from(replaced).ok()?;
    Some(Edit {
        range: TextRange::new(start.into(), end.into()),
        text: suggested.to_owned(),
    })
}
