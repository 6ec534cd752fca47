//! `name`: the project-name pattern rockcraft enforces, and the 2-character minimum it applies
//! through `title` (which defaults to the name).

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;

use super::string_value;

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(entry) = doc.top_entry("name") else {
        return;
    };
    let Some(name) = string_value(doc, entry.value) else {
        return;
    };
    if name.is_empty() {
        return; // the schema reports the empty name
    }
    let range = doc.range(entry.value);
    if let Some(problem) = problem(name) {
        let mut d = Diagnostic::new(
            range,
            Code::InvalidName,
            format!(
                "invalid rock name `{name}`: {problem}. A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit"
            ),
        );
        let fixed = normalise(name);
        if fixed != name && problem_free(&fixed) {
            d = d.with_fix(format!("Rename to `{fixed}`"), range, fixed);
        }
        out.push(d);
        return;
    }
    let title_set = doc
        .top_entry("title")
        .and_then(|e| doc.tree.text(e.value))
        .is_some_and(|t| !t.is_empty());
    if name.chars().count() == 1 && !title_set {
        out.push(Diagnostic::new(
            range,
            Code::NameTooShort,
            format!(
                "the name `{name}` is a single character: rockcraft uses the name as the `title` when no `title` is set, and a title needs at least 2 characters. Use a longer name or add a `title:`"
            ),
        ));
    }
}

fn problem_free(name: &str) -> bool {
    problem(name).is_none()
}

/// What breaks the rule `^([a-z0-9][a-z0-9-]?)*[a-z]+([a-z0-9-]?[a-z0-9])*$`, in words.
/// The pattern is equivalent to: only `a-z`, `0-9` and `-`; at least one letter; no hyphen
/// at either end; no two hyphens in a row.
pub(crate) fn problem(name: &str) -> Option<String> {
    if let Some(c) = name.chars().find(char::is_ascii_uppercase) {
        return Some(format!(
            "it contains the uppercase letter `{c}` (use `{}`)",
            c.to_ascii_lowercase()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        let what = match c {
            '_' => "an underscore `_` (use a hyphen instead)".to_owned(),
            ' ' => "a space".to_owned(),
            '.' => "a dot `.`".to_owned(),
            c => format!("the character `{c}`"),
        };
        return Some(format!("it contains {what}"));
    }
    if name.starts_with('-') {
        return Some("it starts with a hyphen".into());
    }
    if name.ends_with('-') {
        return Some("it ends with a hyphen".into());
    }
    if name.contains("--") {
        return Some("it has two hyphens in a row".into());
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("it has no letter".into());
    }
    None
}

/// A likely intended name: lowercase, other characters turned into hyphens, hyphens squeezed
/// and trimmed.
fn normalise(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '-'
        };
        if c == '-' && (s.is_empty() || s.ends_with('-')) {
            continue;
        }
        s.push(c);
    }
    while s.ends_with('-') {
        s.pop();
    }
    s
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_diagnostics, fixed, rock};
    use regex::Regex;

    use super::problem;

    /// The words agree with rockcraft's pattern on a spread of names.
    #[test]
    fn problem_matches_rockcraft_pattern() {
        let re = Regex::new(r"^([a-z0-9][a-z0-9-]?)*[a-z]+([a-z0-9-]?[a-z0-9])*$").unwrap();
        for n in [
            "a", "ab", "my-app", "my--app", "-a", "a-", "1", "1a", "a1", "1-a", "a-1", "12-34",
            "1-2-a-3", "My-App", "my_app", "a.b", "x-1-y", "a--", "9a-", "0", "a-b-c-d",
        ] {
            assert_eq!(re.is_match(n), problem(n).is_none(), "{n}");
        }
    }

    #[test]
    fn invalid_names() {
        check_diagnostics(&rock(
            r"
            name: My_App
                # ^^^^^^ error[invalid-name]: invalid rock name `My_App`: it contains the uppercase letter `M` (use `m`). A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit
            ",
        ));
        check_diagnostics(&rock(
            r"
            name: my--app
                # ^^^^^^^ error[invalid-name]: invalid rock name `my--app`: it has two hyphens in a row. A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit
            ",
        ));
        check_diagnostics(&rock(
            r"
            name: -app
                # ^^^^ error[invalid-name]: invalid rock name `-app`: it starts with a hyphen. A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit
            ",
        ));
        check_diagnostics(&rock(
            r"
            name: app-
                # ^^^^ error[invalid-name]: invalid rock name `app-`: it ends with a hyphen. A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit
            ",
        ));
        check_diagnostics(&rock(
            r"
            name: '123'
                # ^^^^^ error[invalid-name]: invalid rock name `123`: it has no letter. A name may only use lowercase letters a-z, digits and single hyphens, must contain a letter and must start and end with a letter or digit
            ",
        ));
    }

    #[test]
    fn a_one_letter_name_needs_a_title() {
        check_diagnostics(&rock(
            r"
            name: x
                # ^ error[name-too-short]: the name `x` is a single character: rockcraft uses the name as the `title` when no `title` is set, and a title needs at least 2 characters. Use a longer name or add a `title:`
            ",
        ));
        check_diagnostics(&rock(
            r"
            name: x
            title: Xylophone
            ",
        ));
    }

    #[test]
    fn digits_and_single_hyphens_are_fine() {
        check_diagnostics(&rock(
            r"
            name: 1-my-app-2
            ",
        ));
    }

    #[test]
    fn invalid_name_fix_lowercases_and_hyphenates() {
        let text = "name: My_App\nsummary: s\ndescription: d\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nparts:\n  my-part:\n    plugin: nil\n";
        insta::assert_snapshot!(fixed(text, Code::InvalidName), @"
        Rename to `my-app`
        name: my-app
        summary: s
        description: d
        base: ubuntu@24.04
        platforms:
          amd64:
        parts:
          my-part:
            plugin: nil
        ");
    }
}
