//! `platforms`: the label and architecture rules of craft-application's platform model and of
//! rockcraft's own platform check (the schema only knows the shape of each entry).

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::facts::{ARCHITECTURES, DEVEL, is_architecture as is_arch};
use crate::core::suggest;
use crate::core::text::TextRange;
use crate::core::yaml::{Entry, NodeId};

use super::{error_at, quote_list, string_items};

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    for e in doc.section("platforms") {
        let Some(label) = doc.tree.text(e.key) else {
            continue;
        };
        let key = doc.range(e.key);
        if label.contains('/') {
            out.push(Diagnostic::new(
                key,
                Code::PlatformNameSlash,
                format!(
                    "platform names cannot contain `/`: rename `{label}` (for example to `{}`)",
                    label.replace('/', "-")
                ),
            ));
            continue;
        }
        let empty = doc.tree.is_null(e.value)
            || (doc.tree.is_mapping(e.value) && doc.tree.entries(e.value).is_empty());
        if empty {
            shorthand(label, key, out);
        } else if doc.tree.is_mapping(e.value) {
            full_entry(doc, *e, label, out);
        }
    }
}

/// `amd64:` with no value: the label is used as both build-on and build-for.
fn shorthand(label: &str, key: TextRange, out: &mut Vec<Diagnostic>) {
    if is_arch(label) {
        return;
    }
    let message = if label == "all" {
        "`all:` alone would build on `all`, which is not a machine: give the platform `build-on: [amd64]` (the machines to build on) and `build-for: [all]`".to_owned()
    } else if let Some(s) = suggest::closest(label, ARCHITECTURES.iter().copied()) {
        format!(
            "`{label}` is not an architecture, so this platform needs `build-on` and `build-for`; did you mean `{s}`?"
        )
    } else {
        format!(
            "`{label}` is not an architecture, so this platform needs `build-on` and `build-for` (for example `build-on: [amd64]` and `build-for: [amd64]`); a platform can be left empty only when its name is one of {}",
            quote_list(ARCHITECTURES)
        )
    };
    let mut d = Diagnostic::new(key, Code::PlatformNeedsBuildFor, message);
    if let Some(s) = suggest::closest(label, ARCHITECTURES.iter().copied()) {
        d = d.with_fix(format!("Rename to `{s}`"), key, s);
    }
    out.push(d);
}

fn full_entry(doc: &Document, e: Entry, label: &str, out: &mut Vec<Diagnostic>) {
    let tree = &doc.tree;
    let build_on = tree.entry(e.value, "build-on");
    let build_for = tree.entry(e.value, "build-for");
    let key = doc.range(e.key);

    if let Some(on) = build_on {
        check_build_on(doc, on, out);
    } else if build_for.is_some() && !error_at(out, key) {
        out.push(Diagnostic::new(
            key,
            Code::PlatformNeedsBuildOn,
            format!("platform `{label}` has `build-for` but no `build-on`: add `build-on` with the architectures to build on"),
        ));
    }

    match build_for {
        Some(f) => check_build_for(doc, f, label, out),
        None if build_on.is_some() && is_arch(label) && !error_at(out, key) => {
            out.push(Diagnostic::new(
                key,
                Code::PlatformBuildForImplied,
                format!(
                    "platform `{label}` has `build-on` but no `build-for`: `rockcraft pack` builds it for `{label}` (the platform's name), but `rockcraft expand-extensions` refuses it; add `build-for: [{label}]` to say so"
                ),
            ));
        }
        None if build_on.is_some() && !error_at(out, key) => {
            out.push(Diagnostic::new(
                key,
                Code::PlatformNeedsBuildFor,
                format!(
                    "platform `{label}` has `build-on` but no `build-for`: rockcraft requires both when the platform is not empty; add `build-for: [amd64]` (the architecture to build for)"
                ),
            ));
        }
        None => {}
    }
}

fn check_build_on(doc: &Document, on: Entry, out: &mut Vec<Diagnostic>) {
    let items = string_items(doc, on.value);
    if doc.tree.is_sequence(on.value) && doc.tree.items(on.value).is_empty() {
        out.push(Diagnostic::new(
            doc.value_range(on),
            Code::PlatformNeedsBuildOn,
            "`build-on` is empty: list at least one architecture to build on",
        ));
        return;
    }
    let mut plain = false;
    let mut all_valid = true;
    for (id, text) in &items {
        let (prefix, arch) = split_prefix(text);
        if arch == "all" {
            all_valid = false;
            out.push(Diagnostic::new(
                doc.range(*id),
                Code::BuildOnAll,
                "`all` is only valid in `build-for` (for architecture-independent rocks); `build-on` must list the machines that build, such as `amd64`",
            ));
            continue;
        }
        if !check_arch(doc, *id, prefix, arch, out) {
            all_valid = false;
            continue;
        }
        plain |= prefix.is_none();
    }
    if all_valid && !plain && !items.is_empty() {
        out.push(Diagnostic::new(
            doc.value_range(on),
            Code::UnsupportedArchitecture,
            "rockcraft needs at least one plain architecture in `build-on` (such as `amd64`); entries with a base prefix (`ubuntu@24.04:amd64`) are not supported",
        ));
    }
}

fn check_build_for(doc: &Document, f: Entry, label: &str, out: &mut Vec<Diagnostic>) {
    let all = doc.tree.items(f.value);
    if doc.tree.is_sequence(f.value) && all.len() > 1 {
        out.push(Diagnostic::new(
            doc.value_range(f),
            Code::BuildForSingle,
            format!(
                "`build-for` takes exactly one architecture, but {} are listed: make one platform per target architecture",
                all.len()
            ),
        ));
        return;
    }
    let Some(&(id, text)) = string_items(doc, f.value).first() else {
        return;
    };
    let (prefix, arch) = split_prefix(text);
    if arch == "all" || prefix.is_some() {
        if prefix.is_none() || check_arch(doc, id, prefix, arch, out) {
            let what = if arch == "all" {
                "`all` (architecture-independent) as a target".to_owned()
            } else {
                format!("a base prefix in `build-for` (`{text}`)")
            };
            out.push(Diagnostic::new(
                doc.range(id),
                Code::UnsupportedArchitecture,
                format!(
                    "rockcraft does not support {what}: use one of {}",
                    quote_list(ARCHITECTURES)
                ),
            ));
        }
        return;
    }
    if !check_arch(doc, id, None, arch, out) {
        return;
    }
    if is_arch(label) && label != arch {
        out.push(
            Diagnostic::new(
                doc.range(id),
                Code::PlatformLabelMismatch,
                format!(
                    "the platform is named after the architecture `{label}` but builds for `{arch}`: when a platform's name is an architecture, `build-for` must be that architecture. Build for `{label}` or rename the platform (for example to `{arch}` or a custom name)"
                ),
            )
            .with_fix(format!("Build for `{label}`"), doc.range(id), label),
        );
    }
}

/// Checks one architecture entry; reports and returns false when it is not valid.
fn check_arch(
    doc: &Document,
    id: NodeId,
    prefix: Option<&str>,
    arch: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let range = doc.range(id);
    if let Some(p) = prefix
        && p != DEVEL
        && p.matches('@').count() != 1
    {
        out.push(Diagnostic::new(
                range,
                Code::InvalidArchitecture,
                format!(
                    "`{p}` before the `:` is not a base: write `<distribution>@<series>:<architecture>` (such as `ubuntu@24.04:amd64`), or just the architecture"
                ),
            ));
        return false;
    }
    if is_arch(arch) {
        return true;
    }
    let mut d = Diagnostic::new(
        range,
        Code::InvalidArchitecture,
        format!(
            "`{arch}` is not a Debian architecture rockcraft knows; use one of {}",
            quote_list(ARCHITECTURES)
        ),
    );
    if let Some(s) = suggest::closest(arch, ARCHITECTURES.iter().copied()) {
        d.message = format!("`{arch}` is not a Debian architecture; did you mean `{s}`?");
        let text = match prefix {
            Some(p) => format!("{p}:{s}"),
            None => s.to_owned(),
        };
        d = d.with_fix(format!("Replace with `{text}`"), range, text);
    }
    out.push(d);
    false
}

/// `ubuntu@24.04:amd64` → (`Some("ubuntu@24.04")`, `amd64`).
fn split_prefix(s: &str) -> (Option<&str>, &str) {
    match s.split_once(':') {
        Some((p, a)) => (Some(p), a),
        None => (None, s),
    }
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_diagnostics, fixed, rock};

    #[test]
    fn platform_names() {
        check_diagnostics(&rock(
            r"
            platforms:
              mips:
            # ^^^^ error[platform-needs-build-for]: `mips` is not an architecture, so this platform needs `build-on` and `build-for` (for example `build-on: [amd64]` and `build-for: [amd64]`); a platform can be left empty only when its name is one of `amd64`, `arm64`, `armhf`, `i386`, `ppc64el`, `riscv64` and `s390x`
              x86/64:
            # ^^^^^^ error[platform-name-slash]: platform names cannot contain `/`: rename `x86/64` (for example to `x86-64`)
                build-on: [amd64]
                build-for: [amd64]
            ",
        ));
        check_diagnostics(&rock(
            r"
            platforms:
              amd46:
            # ^^^^^ error[platform-needs-build-for]: `amd46` is not an architecture, so this platform needs `build-on` and `build-for`; did you mean `amd64`?
            ",
        ));
        check_diagnostics(&rock(
            r"
            platforms:
              my-amd64:
            # ^^^^^^^^ error[platform-needs-build-for]: `my-amd64` is not an architecture, so this platform needs `build-on` and `build-for` (for example `build-on: [amd64]` and `build-for: [amd64]`); a platform can be left empty only when its name is one of `amd64`, `arm64`, `armhf`, `i386`, `ppc64el`, `riscv64` and `s390x`
            ",
        ));
        check_diagnostics(&rock(
            r"
            platforms:
              all:
            # ^^^ error[platform-needs-build-for]: `all:` alone would build on `all`, which is not a machine: give the platform `build-on: [amd64]` (the machines to build on) and `build-for: [all]`
            ",
        ));
    }

    #[test]
    fn build_on_and_build_for_values() {
        check_diagnostics(&rock(
            r"
            platforms:
              amd64:
                build-on: [all, amd46]
                         # ^^^ error[build-on-all]: `all` is only valid in `build-for` (for architecture-independent rocks); `build-on` must list the machines that build, such as `amd64`
                              # ^^^^^ error[invalid-architecture]: `amd46` is not a Debian architecture; did you mean `amd64`?
                build-for: [amd64]
            ",
        ));
        check_diagnostics(&rock(
            r"
            platforms:
              amd64:
                build-on: [amd64]
                build-for: [arm64]
                          # ^^^^^ error[platform-label-mismatch]: the platform is named after the architecture `amd64` but builds for `arm64`: when a platform's name is an architecture, `build-for` must be that architecture. Build for `amd64` or rename the platform (for example to `arm64` or a custom name)
            ",
        ));
        check_diagnostics(&rock(
            r"
            platforms:
              multi:
                build-on: [amd64]
                build-for: [amd64, arm64]
                         # ^^^^^^^^^^^^^^ error[build-for-single]: `build-for` takes exactly one architecture, but 2 are listed: make one platform per target architecture
            ",
        ));
        check_diagnostics(&rock(
            r"
            platforms:
              indep:
                build-on: amd64
                build-for: all
                         # ^^^ error[unsupported-architecture]: rockcraft does not support `all` (architecture-independent) as a target: use one of `amd64`, `arm64`, `armhf`, `i386`, `ppc64el`, `riscv64` and `s390x`
            ",
        ));
    }

    #[test]
    fn build_on_and_build_for_presence() {
        check_diagnostics(&rock(
            r"
            platforms:
              arm64:
            # ^^^^^ info[platform-build-for-implied]: platform `arm64` has `build-on` but no `build-for`: `rockcraft pack` builds it for `arm64` (the platform's name), but `rockcraft expand-extensions` refuses it; add `build-for: [arm64]` to say so
                build-on: [amd64]
            ",
        ));
        check_diagnostics(&rock(
            r"
            platforms:
              custom:
            # ^^^^^^ error[missing-key]: `platforms.custom` is missing the required key `build-for`
                build-on: [amd64]
            ",
        ));
        check_diagnostics(&rock(
            r"
            platforms:
              custom:
            # ^^^^^^ error[missing-key]: `platforms.custom` is missing the required key `build-on`
                build-for: [amd64]
            ",
        ));
    }

    #[test]
    fn build_on_with_base_prefixes() {
        check_diagnostics(&rock(
            r"
            platforms:
              custom:
                build-on: [ubuntu@24.04:amd64]
                        # ^^^^^^^^^^^^^^^^^^^^ error[unsupported-architecture]: rockcraft needs at least one plain architecture in `build-on` (such as `amd64`); entries with a base prefix (`ubuntu@24.04:amd64`) are not supported
                build-for: [amd64]
            ",
        ));
        check_diagnostics(&rock(
            r"
            platforms:
              custom:
                build-on: [noble:amd64, amd64]
                         # ^^^^^^^^^^^ error[invalid-architecture]: `noble` before the `:` is not a base: write `<distribution>@<series>:<architecture>` (such as `ubuntu@24.04:amd64`), or just the architecture
                build-for: [amd64]
            ",
        ));
        check_diagnostics(&rock(
            r"
            platforms:
              custom:
                build-on: []
                        # ^^ error[platform-needs-build-on]: `build-on` is empty: list at least one architecture to build on
                build-for: [amd64]
            ",
        ));
    }

    /// Arch shorthand, custom labels with scalar or list values.
    #[test]
    fn valid_platforms() {
        check_diagnostics(&rock(
            r"
            platforms:
              amd64:
              arm64:
                build-on: [amd64, arm64]
                build-for: [arm64]
              my-x86:
                build-on: amd64
                build-for: amd64
              cross:
                build-on: [amd64, ubuntu@24.04:arm64]
                build-for: riscv64
            ",
        ));
    }

    #[test]
    fn label_mismatch_fix_builds_for_the_label() {
        let text = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: ubuntu@24.04\nplatforms:\n  amd64:\n    build-on: [amd64]\n    build-for: [arm64]\nparts:\n  my-part:\n    plugin: nil\n";
        insta::assert_snapshot!(fixed(text, Code::PlatformLabelMismatch), @"
        Build for `amd64`
        name: my-rock
        summary: s
        description: d
        version: '1'
        base: ubuntu@24.04
        platforms:
          amd64:
            build-on: [amd64]
            build-for: [amd64]
        parts:
          my-part:
            plugin: nil
        ");
    }
}
