//! Part plugins: rockcraft registers a different set of plugins per build base, and never some
//! that craft-parts (and so the schema) knows.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;

use super::base::PLUGIN_TABLE_BASES;
use super::{quote_list, string_value};

/// Plugins every build base has.
const EVERYWHERE: &[&str] = &[
    "ant",
    "autotools",
    "cargo-use",
    "cmake",
    "dotnet",
    "dump",
    "go",
    "go-use",
    "gradle",
    "jlink",
    "make",
    "maven",
    "maven-use",
    "meson",
    "nil",
    "npm",
    "python",
    "qmake",
    "rust",
    "scons",
];

/// Build bases of the older plugin generation (with the v1 Python plugins).
const LEGACY: &[&str] = &["ubuntu@20.04", "ubuntu@22.04", "ubuntu@24.04"];
/// Build bases of the newer generation.
const V2: &[&str] = &["ubuntu@25.10", "ubuntu@26.04", "devel"];

/// Plugins craft-parts has but rockcraft never registers.
const NEVER: &[&str] = &["ruby", "npm-use", "gradle-use"];

/// The build bases a plugin exists on, or `None` when rockcraft does not know it at all.
fn bases_of(plugin: &str) -> Option<&'static [&'static str]> {
    match plugin {
        "poetry" | "uv" => Some(LEGACY),
        "bazel" => Some(V2),
        p if EVERYWHERE.contains(&p) => Some(PLUGIN_TABLE_BASES),
        _ => None,
    }
}

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let build_base = doc.effective_build_base();
    let on_known_base = build_base
        .as_deref()
        .is_some_and(|b| PLUGIN_TABLE_BASES.contains(&b));
    for part in doc.section("parts") {
        let Some(entry) = doc.tree.entry(part.value, "plugin") else {
            continue;
        };
        let Some(plugin) = string_value(doc, entry.value) else {
            continue;
        };
        let range = doc.range(entry.value);
        let part_name = doc.tree.text(part.key).unwrap_or_default();
        if NEVER.contains(&plugin) {
            out.push(Diagnostic::new(
                range,
                Code::PluginUnavailable,
                format!(
                    "rockcraft does not provide the `{plugin}` plugin (craft-parts has it, but rockcraft never registers it), so part `{part_name}` cannot use it; pick another plugin, for example `nil` with an `override-build` script"
                ),
            ));
            continue;
        }
        let (Some(bases), true) = (bases_of(plugin), on_known_base) else {
            continue;
        };
        let base = build_base.as_deref().unwrap_or_default();
        if bases.contains(&base) {
            continue;
        }
        let source = if doc.build_base().is_some() {
            "build-base"
        } else {
            "base"
        };
        out.push(Diagnostic::new(
            range,
            Code::PluginUnavailable,
            format!(
                "the `{plugin}` plugin is not available when building on `{base}` (the `{source}`); rockcraft offers it only on {}. Change the {source} or use another plugin",
                quote_list(bases)
            ),
        ));
    }
}
