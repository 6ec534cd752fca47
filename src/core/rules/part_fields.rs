//! Part fields craft-parts refuses in combinations the schema does not describe: a
//! `build-environment` entry must set exactly one variable (rockcraft stops with an internal
//! error otherwise), and `overlay-script` and `override-overlay` exclude each other.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::yaml::Entry;

use super::error_at;

pub(super) fn check_part(doc: &Document, part: Entry, out: &mut Vec<Diagnostic>) {
    let tree = &doc.tree;
    let name = tree.text(part.key).unwrap_or_default();
    if let Some(env) = tree.get(part.value, "build-environment") {
        for &item in tree.items(env) {
            let entries = tree.entries(item);
            let n = entries.len();
            // A block mapping's range runs to the next line: show its first key instead.
            let range = entries
                .first()
                .map_or(doc.range(item), |e| doc.range(e.key));
            if !tree.is_mapping(item) || n == 1 || error_at(out, range) {
                continue;
            }
            let what = if n == 0 {
                "sets no variable".to_owned()
            } else {
                format!("sets {n} variables")
            };
            out.push(Diagnostic::new(
                range,
                Code::BuildEnvironmentEntry,
                format!(
                    "this `build-environment` entry of `{name}` {what}, but each entry must set exactly one (`- NAME: value`), and rockcraft stops with an internal error otherwise: give each variable its own `-` item"
                ),
            ));
        }
    }
    let script = tree.entry(part.value, "overlay-script");
    let overlay = tree.entry(part.value, "override-overlay");
    if let (Some(_), Some(o)) = (script, overlay) {
        out.push(Diagnostic::new(
            doc.key_range(o),
            Code::OverlayScriptConflict,
            format!(
                "part `{name}` has both `overlay-script` and `override-overlay`, and rockcraft refuses that: keep one (`override-overlay` replaces the overlay step, `overlay-script` is its older spelling)"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::core::rules::test_support::{check_diagnostics, rock};

    #[test]
    fn one_variable_per_build_environment_entry() {
        check_diagnostics(&rock(
            r"
            parts:
              p:
                plugin: nil
                build-environment:
                  - A: a
                  - B: b
                  # ^ error[build-environment-entry]: this `build-environment` entry of `p` sets 2 variables, but each entry must set exactly one (`- NAME: value`), and rockcraft stops with an internal error otherwise: give each variable its own `-` item
                    C: c
                  - {}
                  # ^^ error[build-environment-entry]: this `build-environment` entry of `p` sets no variable, but each entry must set exactly one (`- NAME: value`), and rockcraft stops with an internal error otherwise: give each variable its own `-` item
            ",
        ));
    }

    #[test]
    fn overlay_script_or_override_overlay() {
        check_diagnostics(&rock(
            r"
            parts:
              p:
                plugin: nil
                overlay-script: echo a
                override-overlay: echo b
              # ^^^^^^^^^^^^^^^^ error[overlay-script-conflict]: part `p` has both `overlay-script` and `override-overlay`, and rockcraft refuses that: keep one (`override-overlay` replaces the overlay step, `overlay-script` is its older spelling)
            ",
        ));
    }
}
