//! What an extension is: the bases it supports, where it is experimental, what it generates
//! (from the registry) and where its reference lives.

use std::fmt::Write as _;

use crate::core::extensions::registry::{self, ExtensionInfo};
use crate::core::facts::{EXPERIMENTAL_ENV, EXPERIMENTAL_SETTING, doc_url, extension_doc_slug};

/// The bases of an extension, each marked experimental where rockcraft needs the opt-in, and
/// what that means for a project with `base` and `build_base` (as written), when known.
#[must_use]
pub fn extension_bases(
    info: &ExtensionInfo,
    base: Option<&str>,
    build_base: Option<&str>,
) -> String {
    let bases: Vec<String> = registry::all_bases(info)
        .into_iter()
        .map(|b| {
            if registry::experimental_on(info, b) {
                format!("`{b}` (experimental)")
            } else {
                format!("`{b}`")
            }
        })
        .collect();
    let mut md = format!("Bases: {}.", bases.join(", "));
    let any_experimental = registry::all_bases(info)
        .iter()
        .any(|b| registry::experimental_on(info, b));
    if let Some(base) = base {
        let stable = registry::expands_on(info, base, build_base, false);
        let allowed = registry::expands_on(info, base, build_base, true);
        let on = match build_base {
            Some(b) if b != base => format!("`base: {base}` with `build-base: {b}`"),
            _ => format!("`base: {base}`"),
        };
        let verdict = if stable {
            format!("On {on} it is supported.")
        } else if allowed {
            format!("On {on} it is **experimental**: rockcraft expands it only with the opt-in.")
        } else {
            format!("On {on} it is **not supported**.")
        };
        let _ = write!(md, " {verdict}");
    }
    if any_experimental {
        let _ = write!(
            md,
            " Experimental bases need `{EXPERIMENTAL_ENV}=1` for rockcraft and the `{EXPERIMENTAL_SETTING}` setting in the editor."
        );
    }
    md
}

/// An extension as the registry knows it: what it generates, its bases (with the verdict for
/// the project's `base`/`build_base` when given) and its reference page.
#[must_use]
pub fn extension(info: &ExtensionInfo, base: Option<&str>, build_base: Option<&str>) -> String {
    let parts: Vec<String> = info
        .parts
        .iter()
        .map(|p| format!("`{}/{p}`", info.name))
        .collect();
    let services: Vec<String> = info.services.iter().map(|s| format!("`{s}`")).collect();
    format!(
        "**{}** can generate the parts {} (some only on some bases or with some project files) and the {} {}, run as `_daemon_`.\n\n{}\n\n[Reference]({})",
        info.name,
        parts.join(", "),
        if services.len() == 1 {
            "service"
        } else {
            "services"
        },
        services.join(", "),
        extension_bases(info, base, build_base),
        doc_url(&extension_doc_slug(info.name)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spring_boot_is_experimental_everywhere() {
        let info = registry::find("spring-boot-framework").unwrap();
        insta::assert_snapshot!(extension(info, Some("ubuntu@24.04"), None), @r"
        **spring-boot-framework** can generate the parts `spring-boot-framework/install-app`, `spring-boot-framework/runtime`, `spring-boot-framework/assets` (some only on some bases or with some project files) and the service `spring-boot`, run as `_daemon_`.

        Bases: `bare` (experimental), `ubuntu@24.04` (experimental), `ubuntu@26.04` (experimental). On `base: ubuntu@24.04` it is **experimental**: rockcraft expands it only with the opt-in. Experimental bases need `ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS=1` for rockcraft and the `experimentalExtensions` setting in the editor.

        [Reference](https://documentation.ubuntu.com/rockcraft/latest/reference/extensions/spring-boot-framework)
        ");
    }

    #[test]
    fn flask_bases_per_project() {
        let info = registry::find("flask-framework").unwrap();
        insta::assert_snapshot!(extension_bases(info, Some("bare"), Some("ubuntu@24.04")), @"Bases: `bare`, `ubuntu:22.04`, `ubuntu@22.04`, `ubuntu@24.04`, `ubuntu@26.04` (experimental). On `base: bare` with `build-base: ubuntu@24.04` it is supported. Experimental bases need `ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS=1` for rockcraft and the `experimentalExtensions` setting in the editor.");
        insta::assert_snapshot!(extension_bases(info, Some("ubuntu@20.04"), None), @"Bases: `bare`, `ubuntu:22.04`, `ubuntu@22.04`, `ubuntu@24.04`, `ubuntu@26.04` (experimental). On `base: ubuntu@20.04` it is **not supported**. Experimental bases need `ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS=1` for rockcraft and the `experimentalExtensions` setting in the editor.");
    }
}
