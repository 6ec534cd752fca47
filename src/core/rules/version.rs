//! `version`: the version-string pattern rockcraft enforces (numbers are reported by the schema
//! validator, which knows how YAML turns them into strings).

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;

use super::string_value;

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(entry) = doc.top_entry("version") else {
        return;
    };
    let Some(version) = string_value(doc, entry.value) else {
        return;
    };
    let Some(what) = problem(version) else {
        return;
    };
    let range = doc.range(entry.value);
    let mut d = Diagnostic::new(
        range,
        Code::InvalidVersion,
        format!(
            "invalid version `{version}`: {what}. A version may use letters, digits and `.` `:` `+` `~` `-`, must start with a letter or digit and must not end with `.`, `:` or `-`"
        ),
    );
    let trimmed = version.trim_end_matches(['.', ':', '-']);
    let trimmed = trimmed.trim_start_matches(['.', ':', '+', '~', '-']);
    if !trimmed.is_empty() && trimmed != version && problem(trimmed).is_none() {
        d = d.with_fix(
            format!("Change to `{trimmed}`"),
            range,
            format!("\"{trimmed}\""),
        );
    }
    out.push(d);
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '+' | '~' | '-')
}

/// What breaks `^[a-zA-Z0-9](?:[a-zA-Z0-9:.+~-]*[a-zA-Z0-9+~])?$`, in words.
fn problem(v: &str) -> Option<String> {
    if v.is_empty() {
        return Some("it is empty".to_owned());
    }
    if let Some(c) = v.chars().find(|&c| !allowed(c)) {
        let what = match c {
            ' ' => "a space".to_owned(),
            '_' => "an underscore `_`".to_owned(),
            c => format!("the character `{c}`"),
        };
        return Some(format!("it contains {what}"));
    }
    if let Some(c) = v.chars().next().filter(|c| !c.is_ascii_alphanumeric()) {
        return Some(format!("it starts with `{c}`"));
    }
    if let Some(c) = v.chars().last().filter(|c| matches!(c, '.' | ':' | '-')) {
        return Some(format!("it ends with `{c}`"));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_diagnostics, fixed, rock};
    use regex::Regex;

    use super::problem;

    #[test]
    fn problem_matches_rockcraft_pattern() {
        let re = Regex::new(r"^[a-zA-Z0-9](?:[a-zA-Z0-9:.+~-]*[a-zA-Z0-9+~])?$").unwrap();
        for v in [
            "1",
            "1.0",
            "1.0-",
            "1.0.",
            "1:2",
            "1:",
            ".1",
            "+1",
            "~1",
            "1+",
            "1~",
            "v1.2.3-rc1",
            "1 0",
            "1_0",
            "a",
            "-",
            "1.0+git~ab",
            "é",
            "",
        ] {
            assert_eq!(re.is_match(v), problem(v).is_none(), "{v}");
        }
    }

    #[test]
    fn invalid_versions() {
        check_diagnostics(&rock(
            r"
            version: '1.0-'
                   # ^^^^^^ error[invalid-version]: invalid version `1.0-`: it ends with `-`. A version may use letters, digits and `.` `:` `+` `~` `-`, must start with a letter or digit and must not end with `.`, `:` or `-`
            ",
        ));
        check_diagnostics(&rock(
            r"
            version: '.1'
                   # ^^^^ error[invalid-version]: invalid version `.1`: it starts with `.`. A version may use letters, digits and `.` `:` `+` `~` `-`, must start with a letter or digit and must not end with `.`, `:` or `-`
            ",
        ));
        check_diagnostics(&rock(
            r"
            version: '1 0'
                   # ^^^^^ error[invalid-version]: invalid version `1 0`: it contains a space. A version may use letters, digits and `.` `:` `+` `~` `-`, must start with a letter or digit and must not end with `.`, `:` or `-`
            ",
        ));
    }

    #[test]
    fn an_empty_version_is_refused() {
        // rockcraft pack: "invalid version ... (in field 'version', input: '')".
        check_diagnostics(&rock(
            r"
            version: ''
                   # ^^ error[invalid-version]: invalid version ``: it is empty. A version may use letters, digits and `.` `:` `+` `~` `-`, must start with a letter or digit and must not end with `.`, `:` or `-`
            ",
        ));
    }

    #[test]
    fn letters_and_separators_are_fine() {
        check_diagnostics(&rock(
            r"
            version: v1.2+git~ab
            ",
        ));
    }

    #[test]
    fn invalid_version_fix_drops_the_trailing_separator() {
        let text = "name: my-rock\nsummary: s\ndescription: d\nversion: '1.0-'\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nparts:\n  my-part:\n    plugin: nil\n";
        insta::assert_snapshot!(fixed(text, Code::InvalidVersion), @r#"
        Change to `1.0`
        name: my-rock
        summary: s
        description: d
        version: "1.0"
        base: ubuntu@24.04
        platforms:
          amd64:
        parts:
          my-part:
            plugin: nil
        "#);
    }
}
