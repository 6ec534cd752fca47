//! A `prime` list made only of exclusions (`-…`) primes everything else the part produced.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;

/// Warns on every part whose `prime` list holds only exclusions.
pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    for part in doc.section("parts") {
        let Some(name) = doc.tree.text(part.key) else {
            continue;
        };
        let Some(prime) = doc.tree.entry(part.value, "prime") else {
            continue;
        };
        let items = doc.tree.items(prime.value);
        let texts: Vec<&str> = items.iter().filter_map(|&i| doc.tree.text(i)).collect();
        if texts.is_empty()
            || texts.len() != items.len()
            || !texts.iter().all(|t| t.starts_with('-'))
        {
            continue;
        }
        let what = if doc.is_extension_part(name) {
            "every project file (tests, virtualenvs, local settings) except the excluded ones goes into the image"
        } else {
            "everything the part produced except the excluded paths goes into the image"
        };
        out.push(Diagnostic::new(
            doc.key_range(prime),
            Code::PrimeExcludeOnly,
            format!(
                "`{name}` lists only exclusions in `prime`, so {what}. List the paths to include first if you meant a selection"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_expansion, flask_fs, flask_project};

    #[test]
    fn a_prime_list_of_exclusions_only() {
        check_expansion(
            &[Code::PrimeExcludeOnly],
            &flask_fs(),
            &flask_project(
                r"
                parts:
                  flask-framework/install-app:
                    prime:
                  # ^^^^^ warning[prime-exclude-only]: `flask-framework/install-app` lists only exclusions in `prime`
                      - -flask/app/tests
                      - -flask/app/.venv
                ",
            ),
        );
    }

    #[test]
    fn a_prime_list_with_an_inclusion_is_fine() {
        check_expansion(
            &[Code::PrimeExcludeOnly],
            &flask_fs(),
            &flask_project(
                r"
                parts:
                  flask-framework/install-app:
                    prime:
                      - flask/app/app.py
                      - -flask/app/tests
                ",
            ),
        );
    }
}
