//! Part plugins: rockcraft registers a different set of plugins per build base, and never some
//! that craft-parts (and so the schema) knows.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::facts::{self, PLUGINS_NEVER, plugin_bases};
use crate::core::yaml::Entry;

use super::{PartContext, quote_list, string_value};

/// A part without a plugin is reported here for the parts you write; a part named after an
/// extension is checked once merged (the project-model stage runs this rule on the expanded
/// project, where the extension's own parts carry their plugins).
pub(super) fn check_part(
    doc: &Document,
    ctx: &PartContext,
    part: Entry,
    out: &mut Vec<Diagnostic>,
) {
    let Some(entry) = doc.tree.entry(part.value, "plugin") else {
        let name = doc.tree.text(part.key).unwrap_or_default();
        // An extension's part gets its plugin from the extension (checked once merged).
        if doc.tree.is_mapping(part.value) && !ctx.is_extension_part(name) {
            out.push(Diagnostic::new(
                doc.key_range(part),
                Code::PluginMissing,
                plugin_missing_message(name),
            ));
        }
        return;
    };
    let Some(plugin) = string_value(doc, entry.value) else {
        return;
    };
    let range = doc.range(entry.value);
    let part_name = doc.tree.text(part.key).unwrap_or_default();
    if PLUGINS_NEVER.contains(&plugin) {
        out.push(Diagnostic::new(
            range,
            Code::PluginUnavailable,
            format!(
                "rockcraft does not provide the `{plugin}` plugin (craft-parts has it, but rockcraft never registers it), so part `{part_name}` cannot use it; pick another plugin, for example `nil` with an `override-build` script"
            ),
        ));
        return;
    }
    let build_base = ctx.build_base.as_deref();
    if facts::plugin_offered(plugin, build_base) {
        return;
    }
    let Some(bases) = plugin_bases(plugin) else {
        return;
    };
    let base = build_base.unwrap_or_default();
    let source = if ctx.build_base_written {
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

/// Why rockcraft refuses a part without `plugin` ("'plugin' not defined"), and the fix.
fn plugin_missing_message(part: &str) -> String {
    if part == facts::DJANGO_INSTALL_APP {
        return format!(
            "declaring `{part}` replaces the part django-framework generates instead of adding to it (the extension then adds only its permissions), so this part has no `plugin` and rockcraft refuses it. Remove it: the extension installs your Django project (the directory named after the rock, with `_` for `-`) into `{dir}` itself. Or write the whole part: `plugin: dump`, `source:` that directory, and `organize` of `'*'` and `'.*'` into `{dir}`",
            dir = facts::DJANGO_APP_DIR
        );
    }
    format!(
        "part `{part}` has no `plugin`, and rockcraft refuses a part without one: add `plugin: nil` (with an `override-build` script), `plugin: dump` to copy files, or the plugin that builds it"
    )
}

#[cfg(test)]
mod tests {
    use crate::core::rules::test_support::{check_diagnostics, rock};

    #[test]
    fn unavailable_plugins() {
        check_diagnostics(&rock(
            r"
            parts:
              my-part:
                plugin: bazel
                      # ^^^^^ error[plugin-unavailable]: the `bazel` plugin is not available when building on `ubuntu@24.04` (the `base`); rockcraft offers it only on `ubuntu@25.10`, `ubuntu@26.04` and `devel`. Change the base or use another plugin
                source: .
            ",
        ));
        check_diagnostics(&rock(
            r"
            base: bare
            build-base: ubuntu@26.04
            parts:
              my-part:
                plugin: poetry
                      # ^^^^^^ error[plugin-unavailable]: the `poetry` plugin is not available when building on `ubuntu@26.04` (the `build-base`); rockcraft offers it only on `ubuntu@20.04`, `ubuntu@22.04` and `ubuntu@24.04`. Change the build-base or use another plugin
                source: .
            ",
        ));
        check_diagnostics(&rock(
            r"
            parts:
              my-part:
                plugin: ruby
                      # ^^^^ error[plugin-unavailable]: rockcraft does not provide the `ruby` plugin (craft-parts has it, but rockcraft never registers it), so part `my-part` cannot use it; pick another plugin, for example `nil` with an `override-build` script
                source: .
            ",
        ));
        check_diagnostics(&rock(
            r"
            parts:
              my-part:
                plugin: npm-use
                      # ^^^^^^^ error[plugin-unavailable]: rockcraft does not provide the `npm-use` plugin (craft-parts has it, but rockcraft never registers it), so part `my-part` cannot use it; pick another plugin, for example `nil` with an `override-build` script
                source: .
            ",
        ));
    }

    #[test]
    fn available_plugins() {
        check_diagnostics(&rock(
            r"
            base: ubuntu:22.04
                # ^^^^^^^^^^^^ warning[deprecated-base]: the `ubuntu:XX.04` spelling is deprecated: rockcraft reads `base: ubuntu:22.04` as `ubuntu@22.04` and prints a warning; write `ubuntu@22.04`
            parts:
              my-part:
                plugin: uv
                source: .
            ",
        ));
        check_diagnostics(&rock(
            r"
            base: ubuntu@26.10
            build-base: devel
                      # ^^^^^ info[devel-build-base]: the `devel` build base follows the Ubuntu release in development: its contents change without notice when a new series opens, so use it for testing only
            parts:
              my-part:
                plugin: bazel
                source: .
            ",
        ));
        check_diagnostics(&rock(
            r"
            parts:
              my-part:
                plugin: python
                source: .
            ",
        ));
    }
}
