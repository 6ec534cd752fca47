//! Top-level `environment`: rockcraft copies the values into the image as they are and refuses
//! any `$` that looks like shell interpolation (a `$` anywhere but as the last character).

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::facts;

use super::string_value;

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    for e in doc.section("environment") {
        let Some(value) = string_value(doc, e.value) else {
            continue;
        };
        let Some(var) = interpolated(value) else {
            continue;
        };
        let name = doc.tree.text(e.key).unwrap_or_default();
        let range = doc.range(e.value);
        // What `pack` leaves after substituting its own variables.
        match interpolated(&facts::substitute_pack_variables(value, "x")) {
            Some(left) => out.push(Diagnostic::new(
                range,
                Code::EnvInterpolation,
                format!(
                    "rockcraft does not expand variables in `environment`, so it refuses the `${left}` in `{name}` (a `$` is only allowed as the last character): write the complete value instead"
                ),
            )),
            None => out.push(Diagnostic::new(
                range,
                Code::EnvCraftVariable,
                format!(
                    "`rockcraft pack` replaces `${var}` in `{name}` with its value for the platform being built, but `rockcraft expand-extensions` does not and refuses the project"
                ),
            )),
        }
    }
}

/// The name of the first variable a value interpolates (a `$` anywhere but as the last
/// character), `…` when none follows the `$`.
fn interpolated(value: &str) -> Option<String> {
    let body = value.char_indices().last().map_or("", |(i, _)| &value[..i]);
    let at = body.find('$')?;
    let var: String = value[at..]
        .trim_start_matches(['$', '{'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    Some(if var.is_empty() {
        "…".to_owned()
    } else {
        var
    })
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

    /// `pack` substitutes its own variables before checking; `expand-extensions` refuses them.
    #[test]
    fn pack_variables_are_information() {
        check_diagnostics(&rock(
            r#"
            environment:
              TARGET: "${CRAFT_ARCH_BUILD_FOR}-linux"
                    # ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info[env-craft-variable]: `rockcraft pack` replaces `$CRAFT_ARCH_BUILD_FOR` in `TARGET` with its value for the platform being built, but `rockcraft expand-extensions` does not and refuses the project
              NAME: $CRAFT_PROJECT_NAME
                  # ^^^^^^^^^^^^^^^^^^^ info[env-craft-variable]: `rockcraft pack` replaces `$CRAFT_PROJECT_NAME` in `NAME` with its value for the platform being built, but `rockcraft expand-extensions` does not and refuses the project
              OTHER: "${CRAFT_FOO}"
                   # ^^^^^^^^^^^^^^ error[env-interpolation]: rockcraft does not expand variables in `environment`, so it refuses the `$CRAFT_FOO` in `OTHER` (a `$` is only allowed as the last character): write the complete value instead
              MIXED: a/$CRAFT_STAGE/$HOME
                   # ^^^^^^^^^^^^^^^^^^^^ error[env-interpolation]: rockcraft does not expand variables in `environment`, so it refuses the `$HOME` in `MIXED` (a `$` is only allowed as the last character): write the complete value instead
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
