//! Top-level `environment`: rockcraft copies the values into the image as they are and refuses
//! any `$` that looks like shell interpolation (a `$` anywhere but as the last character).

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;

use super::string_value;

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    for e in doc.section("environment") {
        let Some(value) = string_value(doc, e.value) else {
            continue;
        };
        let name = doc.tree.text(e.key).unwrap_or_default();
        let body = value.char_indices().last().map_or("", |(i, _)| &value[..i]);
        let Some(at) = body.find('$') else {
            continue;
        };
        let rest = &value[at..];
        let var: String = rest
            .trim_start_matches(['$', '{'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let var = if var.is_empty() {
            "…".to_owned()
        } else {
            var
        };
        out.push(Diagnostic::new(
            doc.range(e.value),
            Code::EnvInterpolation,
            format!(
                "rockcraft does not expand variables in `environment`, so it refuses the `${var}` in `{name}` (a `$` is only allowed as the last character): write the complete value instead"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::core::rules::test_support::{check_diagnostics, rock};

    #[test]
    fn variables_are_not_expanded() {
        check_diagnostics(&rock(
            r#"
            environment:
              PATH: /usr/bin:$PATH
                  # ^^^^^^^^^^^^^^ error[env-interpolation]: rockcraft does not expand variables in `environment`, so it refuses the `$PATH` in `PATH` (a `$` is only allowed as the last character): write the complete value instead
              HOME_DIR: "${HOME}/x"
                      # ^^^^^^^^^^^ error[env-interpolation]: rockcraft does not expand variables in `environment`, so it refuses the `$HOME` in `HOME_DIR` (a `$` is only allowed as the last character): write the complete value instead
            "#,
        ));
    }

    /// A trailing `$` is allowed, other values untouched.
    #[test]
    fn a_trailing_dollar_is_fine() {
        check_diagnostics(&rock(
            r"
            environment:
              PRICE: cost$
              MODE: production
            ",
        ));
    }
}
