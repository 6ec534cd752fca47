//! `prime` entries of an extension's install-app part that match no file in the project.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::extensions::ProjectFs;

/// Warns on include entries of `<ext>/install-app: prime:` whose path is not in the project,
/// unless the part runs after another part that could create it, or changes what it stages
/// itself (its own `source`, `organize` or override scripts), so the project root says nothing
/// about what the entry matches.
pub fn check(doc: &Document, fs: &dyn ProjectFs, out: &mut Vec<Diagnostic>) {
    for info in doc.declared_extensions() {
        let part = format!("{}/install-app", info.name);
        let Some(part_entry) = doc
            .section("parts")
            .iter()
            .find(|e| doc.tree.text(e.key) == Some(part.as_str()))
        else {
            continue;
        };
        let after = doc.tree.get(part_entry.value, "after");
        if after.is_some_and(|a| !doc.tree.items(a).is_empty()) {
            continue;
        }
        let stages_its_own = [
            "source",
            "organize",
            "override-pull",
            "override-build",
            "override-stage",
            "override-prime",
        ]
        .iter()
        .any(|k| doc.tree.get(part_entry.value, k).is_some());
        if stages_its_own {
            continue;
        }
        let Some(prime) = doc.tree.get(part_entry.value, "prime") else {
            continue;
        };
        let prefix = info.app_prefix;
        for &item in doc.tree.items(prime) {
            let Some(entry) = doc.tree.text(item) else {
                continue;
            };
            if entry.starts_with('-') {
                continue;
            }
            let Some(rel) = entry.strip_prefix(prefix) else {
                continue;
            };
            let rel = rel.trim_end_matches('/');
            if rel.is_empty() || rel.contains(['*', '?', '[']) || fs.exists(rel) {
                continue;
            }
            out.push(Diagnostic::new(
                doc.range(item),
                Code::PrimeMissingFile,
                format!(
                    "`{entry}` matches nothing: the project has no `{rel}`, so the image will not contain it. Check the spelling, or create the file"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_expansion, flask_fs, flask_project};

    /// Missing files and directories are reported; globs and exclusions are not checked.
    #[test]
    fn prime_entries_missing_from_the_project() {
        check_expansion(
            &[Code::PrimeMissingFile],
            &flask_fs(),
            &flask_project(
                r"
                parts:
                  flask-framework/install-app:
                    prime:
                      - flask/app/app.py
                      - flask/app/static
                      # ^^^^^^^^^^^^^^^^ warning[prime-missing-file]: `flask/app/static` matches nothing
                      - flask/app/templates/
                      # ^^^^^^^^^^^^^^^^^^^^ warning[prime-missing-file]: `flask/app/templates/` matches nothing
                      - flask/app/*.txt
                      - -flask/app/missing
                ",
            ),
        );
    }

    /// A part that runs after another one may prime what that part creates.
    #[test]
    fn a_part_with_after_is_not_checked() {
        check_expansion(
            &[Code::PrimeMissingFile],
            &flask_fs(),
            &flask_project(
                r"
                parts:
                  flask-framework/install-app:
                    after: [assets]
                    prime:
                      - flask/app/static
                  assets:
                    plugin: nil
                ",
            ),
        );
    }

    /// A part with its own source or scripts stages other files than the project root's.
    #[test]
    fn a_part_that_stages_its_own_files_is_not_checked() {
        for own in [
            "source: src",
            "organize: {build/out: static}",
            "override-build: craftctl default && mkdir -p $CRAFT_PART_INSTALL/flask/app/static",
        ] {
            check_expansion(
                &[Code::PrimeMissingFile],
                &flask_fs(),
                &flask_project(&format!(
                    "parts:\n  flask-framework/install-app:\n    {own}\n    prime:\n      - flask/app/app.py\n      - flask/app/static\n"
                )),
            );
        }
    }
}
