//! Whether a value can take the place of another in the project without adding an error
//! elsewhere: the one answer quick fixes and completion share for the values whose validity
//! depends on the rest of the project (bases, build bases, plugins).

use crate::core::document::Document;
use crate::core::extensions::registry;
use crate::core::facts::{
    BARE, BASES_ALLOWING_SLASH_IN_PART_NAMES, BUILD_BASES, DEFAULT_BUILD_BASE, DEVEL, DEVEL_SERIES,
    SOURCE_TYPES, at_spelling, is_slice_name, is_source_option, plugin_offered,
};
use crate::core::rules;
use crate::core::schema;
use crate::core::yaml::NodeId;

/// Whether `value` may stand at `keys` (a key path such as `["base"]`), given the rest of
/// `doc`. `experimental` says whether experimental extensions are enabled where the project is
/// packed. Places whose values do not depend on the rest of the project always fit.
#[must_use]
pub fn value_fits(doc: &Document, keys: &[&str], value: &str, experimental: bool) -> bool {
    Fits::new(doc).value_fits(keys, value, experimental)
}

/// The build base that makes `base` fit `doc` when the project has none and `base` needs
/// one: `devel` for the development series; for `bare`, the project's current base when it is
/// a build base that fits, else the default build base.
#[must_use]
pub fn build_base_for(doc: &Document, base: &str, experimental: bool) -> Option<&'static str> {
    Fits::new(doc).build_base_for(base, experimental)
}

/// [`value_fits`] and [`build_base_for`] for many values of one document: what the bases'
/// answers read of every part is read once, at the first question that needs it.
pub struct Fits<'d> {
    doc: &'d Document,
    parts: std::cell::OnceCell<PartFacts<'d>>,
    /// The last part looked up by name, and its node.
    part: std::cell::RefCell<Option<(String, Option<NodeId>)>>,
}

/// What the bases' answers read of the parts.
struct PartFacts<'d> {
    /// Some part name has a `/`.
    slash: bool,
    /// The plugins the parts name, each once.
    plugins: Vec<&'d str>,
    /// Some part declares something for the overlay step.
    overlay: bool,
}

impl<'d> Fits<'d> {
    #[must_use]
    pub fn new(doc: &'d Document) -> Self {
        Fits {
            doc,
            parts: std::cell::OnceCell::new(),
            part: std::cell::RefCell::new(None),
        }
    }

    /// The node of the part `name` (looked up once for the many values asked about it).
    fn part(&self, name: &str) -> Option<NodeId> {
        let mut last = self.part.borrow_mut();
        if let Some((n, node)) = last.as_ref()
            && n == name
        {
            return *node;
        }
        let doc = self.doc;
        let node = doc.tree.top("parts").and_then(|p| doc.tree.get(p, name));
        *last = Some((name.to_owned(), node));
        node
    }

    fn parts(&self) -> &PartFacts<'d> {
        self.parts.get_or_init(|| {
            let doc = self.doc;
            let mut facts = PartFacts {
                slash: false,
                plugins: Vec::new(),
                overlay: false,
            };
            let tree = &doc.tree;
            for p in doc.section("parts") {
                facts.slash |= tree.text(p.key).is_some_and(|n| n.contains('/'));
                // One pass over the part's keys (a large project has tens of thousands).
                let mut plugin = None;
                for e in tree.entries(p.value) {
                    match tree.text(e.key) {
                        Some("plugin") => plugin = tree.text(e.value),
                        Some(key) if !facts.overlay => {
                            facts.overlay = rules::entry_uses_overlay(doc, key, *e);
                        }
                        _ => {}
                    }
                }
                if let Some(plugin) = plugin
                    && !facts.plugins.contains(&plugin)
                {
                    facts.plugins.push(plugin);
                }
            }
            facts
        })
    }

    /// [`value_fits`].
    #[must_use]
    pub fn value_fits(&self, keys: &[&str], value: &str, experimental: bool) -> bool {
        let doc = self.doc;
        match keys {
            ["base"] => self.bases_fit(value, doc.build_base(), experimental),
            ["build-base"] => match doc.base() {
                Some(base) => self.bases_fit(base, Some(value), experimental),
                None => true,
            },
            // The npm plugin downloads Node.js only for a version it is told.
            ["parts", part, "npm-include-node"] => {
                !matches!(value, "true" | "True" | "yes")
                    || self
                        .part(part)
                        .and_then(|p| doc.tree.get(p, "npm-node-version"))
                        .is_some_and(|v| !doc.tree.is_null(v))
            }
            ["parts", part, "plugin"] => {
                plugin_offered(value, doc.effective_build_base().as_deref())
                    && plugin_takes_the_part(doc, self.part(part), value)
            }
            ["parts", part, "source-type"] => {
                source_type_takes_the_part(doc, self.part(part), value)
            }
            _ => true,
        }
    }

    /// [`build_base_for`].
    #[must_use]
    pub fn build_base_for(&self, base: &str, experimental: bool) -> Option<&'static str> {
        let doc = self.doc;
        if doc.build_base().is_some() {
            return None;
        }
        let candidate = if at_spelling(base) == DEVEL_SERIES {
            DEVEL
        } else if base == BARE {
            doc.base()
                .and_then(|b| BUILD_BASES.iter().copied().find(|bb| *bb == b))
                .filter(|bb| self.bases_fit(base, Some(bb), experimental))
                .unwrap_or(DEFAULT_BUILD_BASE)
        } else {
            return None;
        };
        self.bases_fit(base, Some(candidate), experimental)
            .then_some(candidate)
    }

    /// Whether the pair (`base`, `build_base`) builds the document: a build base where one is
    /// needed, the development series only on `devel`, every declared extension and every
    /// part's plugin on offer there, and part names with `/` only on the bases that allow them.
    fn bases_fit(&self, base: &str, build_base: Option<&str>, experimental: bool) -> bool {
        let doc = self.doc;
        let base_at = at_spelling(base);
        let needs_build_base = base_at == BARE || !BUILD_BASES.contains(&base_at.as_str());
        if needs_build_base && build_base.is_none() {
            return false;
        }
        if base_at == DEVEL_SERIES && build_base != Some(DEVEL) {
            return false;
        }
        let extensions_fit = doc
            .declared_extensions()
            .iter()
            .all(|e| registry::expands_on(e, base, build_base, experimental));
        let parts = self.parts();
        let slash_fits = slash_allowed(build_base.unwrap_or(base)) || !parts.slash;
        let builds_on = at_spelling(build_base.unwrap_or(base));
        let plugins_fit = parts
            .plugins
            .iter()
            .all(|plugin| plugin_offered(plugin, Some(&builds_on)));
        // No system below a bare base to overlay.
        let overlay_fits = base_at != BARE || !parts.overlay;
        extensions_fit && slash_fits && plugins_fit && overlay_fits
    }
}

/// Whether every key already written in `part` (its node) is one `plugin` accepts.
fn plugin_takes_the_part(doc: &Document, part: Option<NodeId>, plugin: &str) -> bool {
    let Some(node) = part else {
        return true;
    };
    doc.tree
        .entries(node)
        .iter()
        .filter_map(|e| doc.tree.text(e.key))
        .all(|k| k == "plugin" || schema::plugin_accepts_key(plugin, k))
}

/// Whether the source type `value` takes every `source-*` option the part sets (craft-parts
/// refuses a non-empty option its source handler does not have).
fn source_type_takes_the_part(doc: &Document, part: Option<NodeId>, value: &str) -> bool {
    let Some(t) = SOURCE_TYPES.iter().find(|t| t.name == value) else {
        return true;
    };
    let Some(node) = part else {
        return true;
    };
    doc.tree.entries(node).iter().all(|e| {
        let Some(key) = doc.tree.text(e.key) else {
            return true;
        };
        let empty = doc.tree.is_null(e.value)
            || doc.tree.text(e.value).is_some_and(str::is_empty)
            || doc.tree.text(e.value) == Some("0")
            || (doc.tree.is_sequence(e.value) && doc.tree.items(e.value).is_empty());
        !is_source_option(key) || empty || t.options.contains(&key)
    })
}

/// Whether a part called `name` may be added to `doc`: a `/` in it only where the build base
/// allows one (what an override of an extension's part needs).
#[must_use]
pub fn part_name_fits(doc: &Document, name: &str) -> bool {
    !name.contains('/')
        || doc
            .build_base()
            .or_else(|| doc.base())
            .is_some_and(slash_allowed)
}

/// What a part's `stage-packages` list holds, so that what is added to it fits: craft-parts
/// refuses a list mixing whole Debian packages and chisel slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PackageKind {
    Debs,
    Slices,
}

/// The kind of package that fits the `stage-packages` list of `part`: that of the entries
/// already `written` in the document; else that of the list the latest `expanded` project holds
/// for the part (an extension's generated entries come first there, e.g. `ca-certificates_data`
/// in `go-framework/runtime` on every base, `npm` in `expressjs-framework/runtime` on `bare`);
/// else chisel slices on `bare` (a chiselled rock) and Debian packages elsewhere. `typing` is
/// the entry being typed, left out of the decision: an expansion of an earlier version may hold
/// it part-typed (`lib` for `libpq`), so expanded entries it starts with, or that start with
/// it, are left out too. The one answer completion and the refactorings that add packages
/// share.
#[must_use]
pub fn stage_packages_kind<'a>(
    written: impl IntoIterator<Item = &'a str>,
    typing: &str,
    expanded: Option<&serde_json::Value>,
    part: &str,
    base: Option<&str>,
) -> PackageKind {
    let kind = |entry: &str| {
        if is_slice_name(entry) {
            PackageKind::Slices
        } else {
            PackageKind::Debs
        }
    };
    let typed = |e: &str| !typing.is_empty() && (typing.starts_with(e) || e.starts_with(typing));
    if let Some(first) = written.into_iter().find(|e| !e.is_empty() && *e != typing) {
        return kind(first);
    }
    let generated = expanded
        .and_then(|e| e.get("parts")?.get(part)?.get("stage-packages")?.as_array())
        .and_then(|list| {
            list.iter()
                .filter_map(serde_json::Value::as_str)
                .find(|e| !e.is_empty() && !typed(e))
        });
    match generated {
        Some(first) => kind(first),
        None if base == Some(BARE) => PackageKind::Slices,
        None => PackageKind::Debs,
    }
}

/// craft-application's rule, on the build base (else the base) as written.
fn slash_allowed(build_base_or_base: &str) -> bool {
    BASES_ALLOWING_SLASH_IN_PART_NAMES.contains(&build_base_or_base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fits(src: &str, keys: &[&str], value: &str) -> bool {
        value_fits(&Document::parse(src), keys, value, false)
    }

    #[test]
    fn bare_and_the_development_series_need_their_build_base() {
        let plain = "name: a\nbase: ubuntu@24.04\n";
        assert!(fits(plain, &["base"], "ubuntu@22.04"));
        assert!(!fits(plain, &["base"], "bare"));
        assert!(!fits(plain, &["base"], "ubuntu@26.10"));
        assert!(fits(
            "base: ubuntu@24.04\nbuild-base: ubuntu@24.04\n",
            &["base"],
            "bare"
        ));
        assert!(fits(
            "base: ubuntu@24.04\nbuild-base: devel\n",
            &["base"],
            "ubuntu@26.10"
        ));
        assert!(!fits(
            "base: ubuntu@26.10\nbuild-base: devel\n",
            &["build-base"],
            "ubuntu@24.04"
        ));
    }

    #[test]
    fn extensions_and_part_names_limit_the_bases() {
        let flask = "base: ubuntu@22.04\nextensions: [flask-framework]\n";
        assert!(fits(flask, &["base"], "ubuntu@24.04"));
        assert!(!fits(flask, &["base"], "ubuntu@20.04"));
        assert!(!fits(flask, &["base"], "ubuntu@26.04"));
        assert!(value_fits(
            &Document::parse(flask),
            &["base"],
            "ubuntu@26.04",
            true
        ));
        let slash = "base: ubuntu@24.04\nparts:\n  a/b:\n    plugin: nil\n";
        assert!(fits(slash, &["base"], "ubuntu@22.04"));
        assert!(!fits(slash, &["base"], "ubuntu@26.04"));
    }

    #[test]
    fn node_is_downloaded_only_for_a_known_version() {
        let part = |extra: &str| format!("parts:\n  web:\n    plugin: npm\n    source: .\n{extra}");
        let keys = ["parts", "web", "npm-include-node"];
        assert!(!fits(&part(""), &keys, "true"));
        assert!(fits(&part(""), &keys, "false"));
        assert!(fits(
            &part("    npm-node-version: \"22.14.0\"\n"),
            &keys,
            "true"
        ));
        let plugin = ["parts", "web", "plugin"];
        assert!(fits(&part("    npm-include-node: false\n"), &plugin, "npm"));
        assert!(!fits(
            &part("    npm-include-node: false\n"),
            &plugin,
            "python"
        ));
    }

    #[test]
    fn source_types_take_the_options_the_part_sets() {
        let part = |extra: &str| format!("parts:\n  p:\n    plugin: nil\n    source: x\n{extra}");
        let keys = ["parts", "p", "source-type"];
        assert!(fits(&part(""), &keys, "local"));
        let branch = part("    source-branch: main\n");
        assert!(fits(&branch, &keys, "git"));
        assert!(!fits(&branch, &keys, "tar"));
        let checksum = part("    source-checksum: sha256/00\n");
        assert!(fits(&checksum, &keys, "zip") && !fits(&checksum, &keys, "git"));
        assert!(!fits(&part("    source-channel: x\n"), &keys, "snap"));
        assert!(fits(&part("    source-depth: 0\n"), &keys, "local"));
    }

    #[test]
    fn overrides_of_extension_parts_need_a_base_that_allows_the_slash() {
        let on = |base: &str| Document::parse(&format!("base: {base}\nparts: {{}}\n"));
        assert!(part_name_fits(
            &on("ubuntu@24.04"),
            "flask-framework/install-app"
        ));
        assert!(!part_name_fits(
            &on("ubuntu@26.04"),
            "flask-framework/install-app"
        ));
        assert!(part_name_fits(&on("ubuntu@26.04"), "runtime-debs"));
    }

    #[test]
    fn stage_packages_kind_follows_the_list_then_the_generated_list_then_the_base() {
        use serde_json::json;
        let go = json!({"parts": {"go-framework/runtime": {"stage-packages": ["ca-certificates_data"]}}});
        let express_bare = json!({"parts": {"expressjs-framework/runtime": {"stage-packages": ["libstdc++6", "npm"]}}});
        let kind = |written: &[&str], e: Option<&serde_json::Value>, part: &str, base: &str| {
            stage_packages_kind(written.iter().copied(), "", e, part, Some(base))
        };
        // What is written decides.
        assert_eq!(
            kind(&["libpq5"], Some(&go), "go-framework/runtime", "bare"),
            PackageKind::Debs
        );
        assert_eq!(
            kind(&["", "libpq5_libs"], None, "p", "ubuntu@24.04"),
            PackageKind::Slices
        );
        // Then the list the expansion holds, whatever the base.
        assert_eq!(
            kind(&[], Some(&go), "go-framework/runtime", "ubuntu@24.04"),
            PackageKind::Slices
        );
        assert_eq!(
            kind(
                &[],
                Some(&express_bare),
                "expressjs-framework/runtime",
                "bare"
            ),
            PackageKind::Debs
        );
        // Then the base.
        assert_eq!(
            kind(&[], Some(&go), "go-framework/install-app", "bare"),
            PackageKind::Slices
        );
        assert_eq!(kind(&[], None, "p", "ubuntu@22.04"), PackageKind::Debs);
        // The entry being typed decides nothing, nor does an earlier expansion of it.
        let typed = json!({"parts": {"p": {"stage-packages": ["lib"]}}});
        let typing =
            |word: &str| stage_packages_kind([word], word, Some(&typed), "p", Some("bare"));
        assert_eq!(typing("libpq"), PackageKind::Slices);
        assert_eq!(typing("l"), PackageKind::Slices);
    }
}
