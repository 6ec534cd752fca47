//! `stage` and `prime` entries in a syntax filesets do not have. craft-parts reads an entry as
//! a glob relative to the part's directory: `-` in front excludes, `\` escapes a leading `-`,
//! and nothing else is special. `+lib*` or `!*.a` therefore match only names that start with
//! `+` or `!` (it builds, but primes nothing). An absolute path is refused when the project
//! loads (craft-parts' `RelativePathStr`), an absolute exclusion at the stage or prime step.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::yaml::{Entry, ScalarStyle};

use super::error_at;

/// Leading characters other tools give a meaning that filesets do not.
const FOREIGN_MARKS: &[(char, &str)] = &[('+', "an inclusion"), ('!', "a negation")];

pub(super) fn check_part(doc: &Document, part: Entry, out: &mut Vec<Diagnostic>) {
    let name = doc.tree.text(part.key).unwrap_or_default();
    for key in ["stage", "prime"] {
        let Some(list) = doc.tree.get(part.value, key) else {
            continue;
        };
        for &item in doc.tree.items(list) {
            let Some(scalar) = doc.tree.scalar(item) else {
                continue;
            };
            let range = doc.range(item);
            if error_at(out, range) {
                continue;
            }
            let entry = scalar.text.as_str();
            let path = entry.strip_prefix('-').unwrap_or(entry);
            if path.starts_with('/') {
                // The project model refuses an absolute inclusion; an absolute exclusion
                // passes it and stops the build at the step.
                let (code, when) = if entry.starts_with('/') {
                    (
                        Code::FilesetAbsolute,
                        "so rockcraft refuses the project".to_owned(),
                    )
                } else {
                    (
                        Code::FilesetAbsoluteExclusion,
                        format!("so the build of `{name}` stops at its {key} step"),
                    )
                };
                out.push(Diagnostic::new(
                    range,
                    code,
                    format!(
                        "`{entry}` is an absolute path, but `{key}` entries are relative to the part's directory, {when}. Write `{}`",
                        entry.replacen('/', "", 1)
                    ),
                ));
                continue;
            }
            let Some(&(mark, meaning)) = FOREIGN_MARKS.iter().find(|(m, _)| entry.starts_with(*m))
            else {
                continue;
            };
            let rest = &entry[mark.len_utf8()..];
            let mut d = Diagnostic::new(
                range,
                Code::FilesetSyntax,
                format!(
                    "`{mark}` does not mark {meaning} in `{key}`: `{entry}` matches only names that start with `{mark}`, so it most likely selects nothing. Write `{rest}` to include it, or `-{rest}` to leave it out"
                ),
            );
            if scalar.style == ScalarStyle::Plain && !rest.is_empty() {
                d = d.with_fix(format!("Write `{rest}`"), range, rest);
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_diagnostics, fixed, rock};

    #[test]
    fn foreign_marks_and_absolute_paths() {
        check_diagnostics(&rock(
            r#"
            parts:
              libs:
                plugin: nil
                stage:
                  - +lib*
                  # ^^^^^ warning[fileset-syntax]: `+` does not mark an inclusion in `stage`: `+lib*` matches only names that start with `+`, so it most likely selects nothing. Write `lib*` to include it, or `-lib*` to leave it out
                  - "!*.a"
                  # ^^^^^^ warning[fileset-syntax]: `!` does not mark a negation in `stage`: `!*.a` matches only names that start with `!`, so it most likely selects nothing. Write `*.a` to include it, or `-*.a` to leave it out
                prime:
                  - /usr/lib
                  # ^^^^^^^^ error[fileset-absolute]: `/usr/lib` is an absolute path, but `prime` entries are relative to the part's directory, so rockcraft refuses the project. Write `usr/lib`
                  - -/usr/share
                  # ^^^^^^^^^^^ error[fileset-absolute-exclusion]: `-/usr/share` is an absolute path, but `prime` entries are relative to the part's directory, so the build of `libs` stops at its prime step. Write `-usr/share`
                  - usr/bin/*
                  - -usr/share/doc
                  - \-dash
            "#,
        ));
    }

    #[test]
    fn the_fix_drops_the_mark() {
        let src = rock("parts:\n  p:\n    plugin: nil\n    prime:\n      - +lib*\n");
        assert!(fixed(&src, Code::FilesetSyntax).contains("      - lib*\n"));
    }
}
