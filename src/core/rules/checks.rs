//! `checks`: each Pebble health check has exactly one type, `http`, `tcp` or `exec`.
//!
//! The schema's `oneOf` over the three check kinds is skipped by the validator for a check
//! with zero or several kinds, so this rule's message is the only one.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::yaml::Entry;

const TYPES: &[&str] = &["http", "tcp", "exec"];

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    for c in doc.section("checks") {
        if !doc.tree.is_mapping(c.value) {
            continue;
        }
        let name = doc.tree.text(c.key).unwrap_or_default();
        let types: Vec<Entry> = doc
            .tree
            .entries(c.value)
            .iter()
            .filter(|e| doc.tree.text(e.key).is_some_and(|k| TYPES.contains(&k)))
            .copied()
            .collect();
        match types.as_slice() {
            [_] => {}
            [] => {
                out.push(Diagnostic::new(
                    doc.key_range(*c),
                    Code::CheckTypeMissing,
                    format!(
                        "check `{name}` does not say what to probe: add exactly one of `http:` (with `url`), `tcp:` (with `port`) or `exec:` (with `command`)"
                    ),
                ));
            }
            [first, rest @ ..] => {
                let names: Vec<&str> = types.iter().filter_map(|e| doc.tree.text(e.key)).collect();
                let mut d = Diagnostic::new(
                    doc.key_range(rest.first().copied().unwrap_or(*first)),
                    Code::CheckTypeMultiple,
                    format!(
                        "check `{name}` has {} types ({}), but a check runs exactly one kind of probe: keep one, or split it into separate checks",
                        names.len(),
                        names.join(", ")
                    ),
                );
                d = d.with_related(doc.key_range(*first), "the first check type");
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::rules::test_support::{check_diagnostics, rock};

    #[test]
    fn a_check_needs_exactly_one_type() {
        check_diagnostics(&rock(
            r"
            checks:
              none:
            # ^^^^ error[check-type-missing]: check `none` does not say what to probe: add exactly one of `http:` (with `url`), `tcp:` (with `port`) or `exec:` (with `command`)
                override: replace
                period: 10s
            ",
        ));
        check_diagnostics(&rock(
            r"
            checks:
              all:
                override: replace
                http:
                  url: http://localhost/
                tcp:
              # ^^^ error[check-type-multiple]: check `all` has 3 types (http, tcp, exec), but a check runs exactly one kind of probe: keep one, or split it into separate checks
                  port: 80
                exec:
                  command: true
            ",
        ));
    }

    #[test]
    fn one_type_is_fine() {
        check_diagnostics(&rock(
            r"
            checks:
              up:
                override: replace
                tcp:
                  port: 80
            ",
        ));
    }
}
