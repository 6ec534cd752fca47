//! Short Markdown descriptions of the things a `rockcraft.yaml` names (extensions, plugins,
//! architectures, chisel slices, source types, licences), written from the data the core
//! already holds, so completion documentation and hover say the same thing.

use std::fmt::Write as _;

use serde_json::Value;

use crate::core::extensions::registry::{self, ExtensionInfo};
use crate::core::facts::{
    ARCHITECTURE_CPUS, BUILD_BASES, EXPERIMENTAL_ENV, EXPERIMENTAL_SETTING, PROPRIETARY,
    SourceType, doc_url, extension_doc_slug, plugin_bases,
};
use crate::core::packages::SlicePackage;
use crate::core::schema;

fn code_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A framework extension: its bases (the experimental ones marked as such), what it generates
/// and its reference page.
#[must_use]
pub fn extension(ext: &ExtensionInfo) -> String {
    let bases = registry::all_bases(ext);
    let (experimental, stable): (Vec<&str>, Vec<&str>) = bases
        .iter()
        .copied()
        .partition(|b| registry::experimental_on(ext, b));
    let mut md = format!("**{}**\n\n", ext.name);
    if !stable.is_empty() {
        let _ = writeln!(md, "- Bases: {}", code_list(stable));
    }
    if !experimental.is_empty() {
        let _ = writeln!(
            md,
            "- Experimental on: {} (needs `{EXPERIMENTAL_ENV}=1` where the rock is packed, or the `{EXPERIMENTAL_SETTING}` setting in the editor)",
            code_list(experimental)
        );
    }
    let parts = ext.parts.iter().map(|p| format!("`{}/{p}`", ext.name));
    let _ = writeln!(
        md,
        "- Parts it can generate (some only on some bases or with some project files): {}",
        parts.collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(
        md,
        "- Services: {}",
        code_list(ext.services.iter().copied())
    );
    let _ = write!(
        md,
        "\n[Reference]({})",
        doc_url(&extension_doc_slug(ext.name))
    );
    md
}

/// A part plugin: the build bases that have it and its own keys, with the schema's
/// description of each.
#[must_use]
pub fn plugin(name: &str) -> String {
    let mut md = format!("**{name}** plugin\n\n");
    match plugin_bases(name) {
        Some(bases) if bases.len() < BUILD_BASES.len() => {
            let _ = writeln!(md, "Build bases: {}.", code_list(bases.iter().copied()));
        }
        Some(_) => md.push_str("On every build base.\n"),
        None => md.push_str("rockcraft does not offer this plugin.\n"),
    }
    let own: Vec<(&str, Option<&str>)> = schema::plugin_blocks_ref()
        .iter()
        .filter(|(p, _)| *p == name)
        .filter_map(|(_, then)| then.get("properties").and_then(Value::as_object))
        .flat_map(|props| props.iter())
        .filter(|(k, _)| !schema::is_common_part_key(k))
        .map(|(k, v)| (k.as_str(), property_description(v)))
        .collect();
    if own.is_empty() {
        md.push_str("\nNo keys of its own.");
    } else {
        md.push_str("\nIts own keys:\n");
        for (k, d) in own {
            let _ = match d {
                Some(d) => writeln!(md, "- `{k}`: {d}"),
                None => writeln!(md, "- `{k}`"),
            };
        }
    }
    md.trim_end().to_owned()
}

/// The description of a schema property (or of the first of its alternatives that has one).
fn property_description(v: &'static Value) -> Option<&'static str> {
    let v = schema::deref(v);
    v.get("description")
        .and_then(Value::as_str)
        .or_else(|| {
            v.get("anyOf")
                .and_then(Value::as_array)?
                .iter()
                .find_map(|a| a.get("description").and_then(Value::as_str))
        })
        .map(|d| d.lines().next().unwrap_or(d))
        .filter(|d| !d.is_empty())
}

/// A Debian architecture name and the processors it stands for.
#[must_use]
pub fn architecture(arch: &str) -> Option<String> {
    ARCHITECTURE_CPUS
        .iter()
        .find(|(a, _)| *a == arch)
        .map(|(a, cpu)| format!("**{a}**: {cpu}"))
}

/// A chisel slice of an Ubuntu package, with the package's other slices.
#[must_use]
pub fn slice(release: &str, package: &SlicePackage, slice: &str) -> String {
    let others: Vec<&str> = package
        .slices
        .iter()
        .map(AsRef::as_ref)
        .filter(|s| *s != slice)
        .collect();
    let mut md = format!(
        "Chisel slice `{slice}` of the Ubuntu package `{}` ({release}).",
        package.package
    );
    if others.is_empty() {
        md.push_str(" The package has no other slice.");
    } else {
        let _ = write!(md, " Its other slices: {}.", code_list(others));
    }
    md
}

/// An Ubuntu package known from its chisel slices only (no package list is loaded).
#[must_use]
pub fn package_with_slices(release: &str, package: &SlicePackage) -> String {
    format!(
        "Ubuntu package `{}` ({release}). No package list is loaded, so its description is not known; it has the chisel slices {}.",
        package.package,
        code_list(package.slices.iter().map(AsRef::as_ref))
    )
}

/// A craft-parts source type and the source options it takes.
#[must_use]
pub fn source_type(t: &SourceType) -> String {
    let mut md = format!("**{}**: {}", t.name, t.what);
    if t.options.is_empty() {
        md.push_str("\n\nTakes no `source-*` option besides `source-subdir`.");
    } else {
        let _ = write!(md, "\n\nOptions: {}.", code_list(t.options.iter().copied()));
    }
    md
}

/// A `license` value.
#[must_use]
pub fn license(id: &str) -> String {
    if id == PROPRIETARY {
        "The rock's licence is not an open-source one.".to_owned()
    } else {
        format!(
            "SPDX licence identifier `{id}` ([spdx.org/licenses/{id}](https://spdx.org/licenses/{id}.html)). rockcraft takes one identifier from the SPDX list 2.5, not an expression."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_mark_experimental_bases() {
        let flask = registry::find("flask-framework").unwrap();
        let md = extension(flask);
        assert!(
            md.contains("- Bases: `bare`, `ubuntu:22.04`, `ubuntu@22.04`, `ubuntu@24.04`"),
            "{md}"
        );
        assert!(md.contains("- Experimental on: `ubuntu@26.04`"), "{md}");
        let spring = registry::find("spring-boot-framework").unwrap();
        let md = extension(spring);
        assert!(!md.contains("- Bases:"), "{md}");
    }

    #[test]
    fn plugins_list_their_own_keys() {
        let md = plugin("go");
        assert!(md.contains("On every build base."), "{md}");
        assert!(md.contains("- `go-buildtags`"), "{md}");
        assert!(!md.contains("`source`"), "{md}");
        assert!(plugin("uv").contains("Build bases: `ubuntu@20.04`"));
        assert!(plugin("nil").contains("No keys of its own."));
    }

    #[test]
    fn architectures_slices_and_licences() {
        assert!(architecture("arm64").unwrap().contains("Arm"));
        assert_eq!(architecture("x86_64"), None);
        let pkg = SlicePackage::new("libpq5", ["copyright", "libs"]);
        let md = slice("ubuntu-24.04", &pkg, "libs");
        assert!(
            md.contains("`libpq5`") && md.contains("`copyright`"),
            "{md}"
        );
        assert!(license("MIT").contains("spdx.org/licenses/MIT"));
    }
}
