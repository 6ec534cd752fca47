//! `base` and `build-base`: what rockcraft requires beyond the allowed values: a build base for
//! `bare`, the deprecated `ubuntu:XX.04` spelling, the development base and the plugin table
//! that crashes rockcraft at start-up for a build base it does not know.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::facts::{
    BARE, BUILD_BASES, DEFAULT_BUILD_BASE, DEVEL, DEVEL_SERIES, at_spelling,
    is_deprecated_colon_base,
};
use crate::core::text::{TextRange, TextSize};
use crate::core::yaml::Entry;

use super::{error_at, insert_line_after, string_value};

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let base = doc
        .top_entry("base")
        .and_then(|e| string_value(doc, e.value).map(|t| (e, t)));
    let build_base = doc
        .top_entry("build-base")
        .and_then(|e| string_value(doc, e.value).map(|t| (e, t)))
        .filter(|(_, t)| !t.is_empty());

    for (entry, text) in base.iter().chain(build_base.iter()) {
        deprecated_colon(doc, *entry, text, out);
    }

    if let Some((entry, BARE)) = base
        && build_base.is_none()
    {
        let mut d = Diagnostic::new(
            doc.range(entry.value),
            Code::BareNeedsBuildBase,
            format!(
                "a `bare` base has no system to build on: add a `build-base` (for example `build-base: {DEFAULT_BUILD_BASE}`) that rockcraft uses to build the parts"
            ),
        );
        let (range, text) = build_base_edit(doc, DEFAULT_BUILD_BASE);
        d = d.with_fix(
            format!("Add `build-base: {DEFAULT_BUILD_BASE}`"),
            range,
            text,
        );
        out.push(d);
        return;
    }

    if let Some((entry, DEVEL_SERIES)) = base
        && build_base.is_none_or(|(_, t)| t != DEVEL)
    {
        let (range, message) = match build_base {
            Some((b, t)) => (
                doc.range(b.value),
                format!(
                    "`{DEVEL_SERIES}` is still in development and can only be built with `build-base: devel`, not `{t}`"
                ),
            ),
            None => (
                doc.range(entry.value),
                format!(
                    "`{DEVEL_SERIES}` is still in development: add `build-base: devel` (without it rockcraft stops with a traceback because no build base `{DEVEL_SERIES}` exists)"
                ),
            ),
        };
        let (fix_range, fix_text) = build_base_edit(doc, DEVEL);
        out.push(
            Diagnostic::new(range, Code::DevelBaseNeedsDevelBuildBase, message).with_fix(
                "Use `build-base: devel`",
                fix_range,
                fix_text,
            ),
        );
        return;
    }

    if let Some((entry, DEVEL)) = build_base {
        out.push(Diagnostic::new(
            doc.range(entry.value),
            Code::DevelBuildBase,
            "the `devel` build base follows the Ubuntu release in development: its contents change without notice when a new series opens, so use it for testing only",
        ));
    }

    // The start-up plugin lookup: a build base outside the table crashes rockcraft.
    let Some((entry, text)) = build_base.or(base) else {
        return;
    };
    let effective = at_spelling(text);
    if effective == BARE || BUILD_BASES.contains(&effective.as_str()) {
        return;
    }
    let range = doc.range(entry.value);
    if error_at(out, range) {
        return; // the schema already rejects the value
    }
    let key = if build_base.is_some() {
        "build-base"
    } else {
        "base"
    };
    out.push(Diagnostic::new(
        range,
        Code::UnsupportedBuildBase,
        format!(
            "rockcraft has no plugins for the build base `{text}` (from `{key}`) and stops with a traceback; build on one of {}",
            super::quote_list(BUILD_BASES)
        ),
    ));
}

/// `ubuntu:20.04` and `ubuntu:22.04` still work but are rewritten with a warning.
fn deprecated_colon(doc: &Document, entry: Entry, text: &str, out: &mut Vec<Diagnostic>) {
    if !is_deprecated_colon_base(text) {
        return;
    }
    let key = doc.tree.text(entry.key).unwrap_or("base");
    let at = at_spelling(text);
    let range = doc.range(entry.value);
    out.push(
        Diagnostic::new(
            range,
            Code::DeprecatedBase,
            format!(
                "the `ubuntu:XX.04` spelling is deprecated: rockcraft reads `{key}: {text}` as `{at}` and prints a warning; write `{at}`"
            ),
        )
        .with_fix(format!("Replace with `{at}`"), range, at),
    );
}

/// An edit that sets `build-base` to `value`: replaces an existing value, or adds the line
/// after `base`.
pub(crate) fn build_base_edit(doc: &Document, value: &str) -> (TextRange, String) {
    if let Some(e) = doc.top_entry("build-base") {
        let r = doc.range(e.value);
        if !r.is_empty() {
            return (r, value.to_owned());
        }
        // An empty value: insert after the colon that follows the key.
        let key_end = doc.range(e.key).end();
        let rest = doc.text.get(usize::from(key_end)..).unwrap_or_default();
        let colon = rest.find(':').filter(|&i| rest[..i].trim().is_empty());
        let at = colon.map_or(r.start(), |i| {
            key_end + TextSize::from(u32::try_from(i + 1).unwrap_or(0))
        });
        return (TextRange::empty(at), format!(" {value}"));
    }
    match doc.top_entry("base") {
        Some(b) => insert_line_after(doc, b, &format!("build-base: {value}")),
        None => (doc.top_range(), format!("build-base: {value}\n")),
    }
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_diagnostics, fixed, rock};

    #[test]
    fn bare_needs_a_build_base() {
        check_diagnostics(&rock(
            r"
            base: bare
                # ^^^^ error[bare-needs-build-base]: a `bare` base has no system to build on: add a `build-base` (for example `build-base: ubuntu@24.04`) that rockcraft uses to build the parts
            ",
        ));
    }

    #[test]
    fn bare_build_base_fix() {
        let with_base = |b: &str| {
            format!(
                "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\n{b}platforms:\n  amd64:\nparts:\n  my-part:\n    plugin: nil\n"
            )
        };
        let want = "Add `build-base: ubuntu@24.04`\nname: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: bare\nbuild-base: ubuntu@24.04\nplatforms:\n  amd64:\nparts:\n  my-part:\n    plugin: nil\n";
        assert_eq!(
            fixed(&with_base("base: bare\n"), Code::BareNeedsBuildBase),
            want
        );
        // An empty `build-base:` is filled in.
        assert_eq!(
            fixed(
                &with_base("base: bare\nbuild-base:\n"),
                Code::BareNeedsBuildBase
            ),
            want
        );
    }

    #[test]
    fn deprecated_colon_spelling() {
        check_diagnostics(&rock(
            r"
            base: ubuntu:22.04
                # ^^^^^^^^^^^^ warning[deprecated-base]: the `ubuntu:XX.04` spelling is deprecated: rockcraft reads `base: ubuntu:22.04` as `ubuntu@22.04` and prints a warning; write `ubuntu@22.04`
            build-base: ubuntu:20.04
                      # ^^^^^^^^^^^^ warning[deprecated-base]: the `ubuntu:XX.04` spelling is deprecated: rockcraft reads `build-base: ubuntu:20.04` as `ubuntu@20.04` and prints a warning; write `ubuntu@20.04`
            ",
        ));
        let text = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: ubuntu:22.04\nplatforms:\n  amd64:\nparts:\n  my-part:\n    plugin: nil\n";
        insta::assert_snapshot!(fixed(text, Code::DeprecatedBase), @"
        Replace with `ubuntu@22.04`
        name: my-rock
        summary: s
        description: d
        version: '1'
        base: ubuntu@22.04
        platforms:
          amd64:
        parts:
          my-part:
            plugin: nil
        ");
    }

    #[test]
    fn a_devel_base_needs_the_devel_build_base() {
        check_diagnostics(&rock(
            r"
            base: ubuntu@26.10
                # ^^^^^^^^^^^^ error[devel-base-needs-devel-build-base]: `ubuntu@26.10` is still in development: add `build-base: devel` (without it rockcraft stops with a traceback because no build base `ubuntu@26.10` exists)
            ",
        ));
        check_diagnostics(&rock(
            r"
            base: ubuntu@26.10
            build-base: ubuntu@26.04
                      # ^^^^^^^^^^^^ error[devel-base-needs-devel-build-base]: `ubuntu@26.10` is still in development and can only be built with `build-base: devel`, not `ubuntu@26.04`
            ",
        ));
        check_diagnostics(&rock(
            r"
            base: ubuntu@26.10
            build-base: devel
                      # ^^^^^ info[devel-build-base]: the `devel` build base follows the Ubuntu release in development: its contents change without notice when a new series opens, so use it for testing only
            ",
        ));
        let text = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: ubuntu@26.10\nplatforms:\n  amd64:\nparts:\n  my-part:\n    plugin: nil\n";
        insta::assert_snapshot!(fixed(text, Code::DevelBaseNeedsDevelBuildBase), @"
        Use `build-base: devel`
        name: my-rock
        summary: s
        description: d
        version: '1'
        base: ubuntu@26.10
        build-base: devel
        platforms:
          amd64:
        parts:
          my-part:
            plugin: nil
        ");
    }

    #[test]
    fn unknown_bases_are_left_to_the_schema() {
        check_diagnostics(&rock(
            r"
            base: ubuntu@18.04
                # ^^^^^^^^^^^^ error[invalid-value]: `ubuntu@18.04` is not a valid `base`. Allowed values: `bare`, `ubuntu@20.04`, `ubuntu@22.04`, `ubuntu@24.04`, `ubuntu@25.10`, `ubuntu@26.04`, `ubuntu@26.10`
            ",
        ));
    }

    #[test]
    fn valid_bases() {
        check_diagnostics(&rock(
            r"
            base: bare
            build-base: ubuntu@22.04
            ",
        ));
        check_diagnostics(&rock(
            r"
            base: ubuntu@25.10
            ",
        ));
    }
}
