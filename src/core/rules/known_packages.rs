//! Package names in `stage-packages` and `build-packages` that do not exist for the project's
//! Ubuntu release: an unknown Chisel slice (`pkg_slice`) is an error (`unknown-slice`), an
//! unknown Debian package a warning (`unknown-package`), each with a "did you mean".
//!
//! Unlike the other rules this one takes the package indexes as a parameter (the server loads
//! them in the background; the core never opens files), so it runs outside [`super::check`].
//! Debian packages are checked only against a real package list loaded for the release (the
//! user's index files or the host's apt lists), never against the slice index alone, which
//! knows only the packages that have slices.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::facts::is_slice_name;
use crate::core::packages::{
    DebIndex, PackageIndexes, ReleaseIndexes, SliceOrigin, Slices, document_release,
};
use crate::core::suggest;
use crate::core::yaml::NodeId;

use super::{quote_list, string_items};

/// "Did you mean" is computed for at most this many names per document (each one scans the
/// package list).
const MAX_SUGGESTIONS: usize = 8;

/// The diagnostics of `doc` against the indexes of its release. A document that names no
/// package needs no index: the release's are not even assembled; one that names no slice
/// needs no slices (the bundled slices of a release are read on first use).
#[must_use]
pub fn diagnose(doc: &Document, indexes: &dyn PackageIndexes) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let names = package_names(doc);
    if names.is_empty() {
        return out;
    }
    let release = document_release(doc);
    let known = if names.iter().any(|&(_, name, key)| asks_slice(name, key)) {
        indexes.for_release(release.as_deref())
    } else {
        indexes.debs_for_release(release.as_deref())
    };
    check(doc, &names, &known, &mut out);
    out
}

/// The names in every part's package lists: the item, its text (trimmed) and its list.
fn package_names(doc: &Document) -> Vec<(NodeId, &str, &'static str)> {
    let mut names = Vec::new();
    for part in doc.section("parts") {
        for key in ["stage-packages", "build-packages"] {
            let Some(list) = doc.tree.entry(part.value, key) else {
                continue;
            };
            for (id, text) in string_items(doc, list.value) {
                let name = text.trim();
                if name.is_empty() || name.contains(['$', ' ', '\t', '\n']) {
                    continue;
                }
                names.push((id, name, key));
            }
        }
    }
    names
}

/// Checks the package names of `doc` against `known`.
fn check(
    doc: &Document,
    names: &[(NodeId, &str, &str)],
    known: &ReleaseIndexes<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if doc.has_fatal_yaml_errors() || (known.slices.is_none() && !known.has_debs()) {
        return;
    }
    let mut checker = Checker {
        doc,
        known,
        suggestions: MAX_SUGGESTIONS,
        out,
    };
    for &(id, name, key) in names {
        if asks_slice(name, key) {
            checker.slice(id, name);
        } else {
            checker.deb(id, name, key);
        }
    }
}

/// Whether the item `name` of the list `key` is checked as a Chisel slice.
fn asks_slice(name: &str, key: &str) -> bool {
    key == "stage-packages" && is_slice_name(name)
}

struct Checker<'a, 'k> {
    doc: &'a Document,
    known: &'a ReleaseIndexes<'k>,
    suggestions: usize,
    out: &'a mut Vec<Diagnostic>,
}

impl Checker<'_, '_> {
    /// `Ubuntu 24.04`, for messages.
    fn release(&self) -> String {
        match self.known.release.as_deref() {
            Some(r) => r
                .strip_prefix("ubuntu-")
                .map_or_else(|| r.to_owned(), |v| format!("Ubuntu {v}")),
            None => "this project".to_owned(),
        }
    }

    fn may_suggest(&mut self) -> bool {
        if self.suggestions == 0 {
            return false;
        }
        self.suggestions -= 1;
        true
    }

    /// The item's source with `name` replaced by `with` (keeps quotes and `=version`).
    fn replacement(&self, id: NodeId, name: &str, with: &str) -> String {
        self.doc.text_at(self.doc.range(id)).replacen(name, with, 1)
    }

    fn slice(&mut self, id: NodeId, name: &str) {
        let Some((slices, origin)) = self.known.slices else {
            return;
        };
        if slices.has_slice(name) {
            return;
        }
        let (pkg, slice) = name.split_once('_').unwrap_or((name, ""));
        let source = match origin {
            SliceOrigin::Bundled => "chisel-releases",
            SliceOrigin::Checkout => "your chisel-releases checkout",
        };
        let release = self.release();
        let suggestion = if self.may_suggest() {
            suggest_slice(slices, pkg, slice)
        } else {
            None
        };
        let mut message = match slices.package(pkg) {
            Some(p) => {
                let mut names: Vec<&str> = p.slices.iter().map(|s| &**s).take(12).collect();
                if p.slices.len() > names.len() {
                    names.push("…");
                }
                format!(
                    "package `{pkg}` has no slice `{slice}` in {source} for {release}; its slices are {}",
                    quote_list(&names)
                )
            }
            None => format!(
                "`{name}` is not a Chisel slice: {source} defines no slices of a package `{pkg}` for {release}. Use a whole Debian package on an Ubuntu base, or a package that has slices"
            ),
        };
        if let Some(s) = &suggestion {
            message = format!("{message}. Did you mean `{s}`?");
        }
        let mut d = Diagnostic::new(self.doc.range(id), Code::UnknownSlice, message);
        if let Some(s) = suggestion {
            let text = self.replacement(id, name, &s);
            d = d.with_fix(format!("Replace with `{s}`"), self.doc.range(id), text);
        }
        self.out.push(d);
    }

    fn deb(&mut self, id: NodeId, item: &str, key: &str) {
        if !self.known.has_debs() {
            return;
        }
        // `name=version` and `name:arch` select a version or an architecture of `name`.
        let name = item.split(['=', ':']).next().unwrap_or(item).trim();
        if name.is_empty() || self.known.debs.iter().any(|d| d.contains(name)) {
            return;
        }
        let release = self.release();
        let suggestion = if self.may_suggest() {
            suggest_deb(&self.known.debs, name)
        } else {
            None
        };
        let mut message = if is_slice_name(name) {
            format!(
                "`{name}` looks like a Chisel slice, but `{key}` takes whole Debian packages: slices go in `stage-packages`"
            )
        } else {
            format!(
                "no package `{name}` in the package lists loaded for {release}: rockcraft would fail to install it"
            )
        };
        if let Some(s) = &suggestion {
            message = format!("{message}. Did you mean `{s}`?");
        }
        let mut d = Diagnostic::new(self.doc.range(id), Code::UnknownPackage, message);
        if let Some(s) = suggestion {
            let text = self.replacement(id, name, &s);
            d = d.with_fix(format!("Replace with `{s}`"), self.doc.range(id), text);
        }
        self.out.push(d);
    }
}

/// The closest existing `pkg_slice` to an unknown one: a close slice of the same package, or
/// the slice (or a close one) of a close package.
fn suggest_slice(slices: &Slices, pkg: &str, slice: &str) -> Option<String> {
    let closest_slice = |p: &crate::core::packages::SlicePackage| {
        if p.has(slice) {
            Some(slice.to_owned())
        } else {
            suggest::closest(slice, p.slices.iter().map(|s| &**s)).map(str::to_owned)
        }
    };
    let (p, s) = if let Some(p) = slices.package(pkg) {
        (p, closest_slice(p)?)
    } else {
        let name = suggest::closest(pkg, slices.packages().iter().map(|p| &*p.package))?;
        let p = slices.package(name)?;
        (p, closest_slice(p)?)
    };
    Some(format!("{}_{s}", p.package))
}

/// The closest package name over several indexes (tens of thousands of names).
fn suggest_deb(indexes: &[&DebIndex], name: &str) -> Option<String> {
    suggest::closest_in_many(name, indexes.iter().flat_map(|i| i.names())).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::core::packages::{SlicePackage, StaticIndexes};
    use crate::core::rules::test_support::{check_diagnostics_with, trim_indent};

    /// Asserts the annotated diagnostics of `text` against `indexes`.
    #[track_caller]
    fn check_with(indexes: &dyn PackageIndexes, text: &str) {
        check_diagnostics_with(text, None, |t| diagnose(&Document::parse(t), indexes));
    }

    /// Asserts the annotated diagnostics of `text` against the bundled slices and, when given,
    /// a deb index of `packages` text.
    #[track_caller]
    fn check(packages: Option<&str>, text: &str) {
        let debs = packages.map(|p| DebIndex::from_texts([p]));
        let indexes = StaticIndexes {
            debs: debs.iter().collect(),
        };
        check_with(&indexes, text);
    }

    /// The fixes of `text`'s diagnostics, `diagnosed text: title → "new text"` one per line.
    fn fixes(indexes: &dyn PackageIndexes, text: &str) -> String {
        let text = trim_indent(text);
        let doc = Document::parse(&text);
        let mut out = String::new();
        for d in diagnose(&doc, indexes) {
            for f in &d.fixes {
                let _ = writeln!(
                    out,
                    "{}: {} → {:?}",
                    doc.text_at(d.range),
                    f.title,
                    f.edits[0].text
                );
            }
        }
        out
    }

    const DEBS: &str = "Package: curl\nDescription: URL tool\n\nPackage: libpq5\nDescription: PostgreSQL library\n\nPackage: exim4\nProvides: mail-transport-agent\nDescription: mail\n\nPackage: python3\nDescription: Python\n";

    #[test]
    fn unknown_slices_on_bare() {
        let text = r#"
            name: x
            base: bare
            build-base: ubuntu@24.04
            parts:
              p:
                plugin: nil
                stage-packages:
                  - libpq5_libs
                  - libpq5_lib
                  # ^^^^^^^^^^ error[unknown-slice]: package `libpq5` has no slice `lib` in chisel-releases for Ubuntu 24.04; its slices are `copyright` and `libs`. Did you mean `libpq5_libs`?
                  - libpqq5_libs
                  # ^^^^^^^^^^^^ error[unknown-slice]: `libpqq5_libs` is not a Chisel slice: chisel-releases defines no slices of a package `libpqq5` for Ubuntu 24.04. Use a whole Debian package on an Ubuntu base, or a package that has slices. Did you mean `libpq5_libs`?
                  - "base-files_releese-info"
                  # ^^^^^^^^^^^^^^^^^^^^^^^^^ error[unknown-slice]: package `base-files` has no slice `releese-info` in chisel-releases for Ubuntu 24.04; its slices are `base`, `bin`, `chisel`, `copyright`, `etc`, `home`, `lib`, `release-info`, `tmp` and `var`. Did you mean `base-files_release-info`?
                  - nosuchthing_bins
                  # ^^^^^^^^^^^^^^^^ error[unknown-slice]: `nosuchthing_bins` is not a Chisel slice: chisel-releases defines no slices of a package `nosuchthing` for Ubuntu 24.04. Use a whole Debian package on an Ubuntu base, or a package that has slices
            "#;
        check(None, text);
        insta::assert_snapshot!(fixes(&StaticIndexes::default(), text), @r#"
        libpq5_lib: Replace with `libpq5_libs` → "libpq5_libs"
        libpqq5_libs: Replace with `libpq5_libs` → "libpq5_libs"
        "base-files_releese-info": Replace with `base-files_release-info` → "\"base-files_release-info\""
        "#);
    }

    /// Slices work on any base; a release without an index is not checked.
    #[test]
    fn slices_on_an_ubuntu_base_and_unknown_releases() {
        check(
            None,
            r"
            base: ubuntu@22.04
            parts:
              p:
                stage-packages: [libc6_libs, libc6_nope]
                                           # ^^^^^^^^^^ error[unknown-slice]: package `libc6` has no slice `nope` in chisel-releases for Ubuntu 22.04; its slices are `config`, `copyright` and `libs`
            ",
        );
        check(
            None,
            r"
            base: ubuntu@26.10
            parts:
              p:
                stage-packages: [libc6_nope]
            ",
        );
        check(
            None,
            r"
            base: bare
            parts:
              p:
                stage-packages: [libc6_nope]
            ",
        );
    }

    #[test]
    fn unknown_debs_only_with_a_loaded_index() {
        // Without a package list nothing is said about debs, even with the slice index.
        check(
            None,
            r"
            base: ubuntu@24.04
            parts:
              p:
                stage-packages: [curll, libpq5, mail-transport-agent, 'python3=3.12*', python3:amd64, nothing-like-it]
                build-packages:
                  - curl
                  - libpq5_libs
                  - $MY_PKG
            ",
        );
        let text = r"
            base: ubuntu@24.04
            parts:
              p:
                stage-packages: [curll, libpq5, mail-transport-agent, 'python3=3.12*', python3:amd64, nothing-like-it]
                               # ^^^^^ warning[unknown-package]: no package `curll` in the package lists loaded for Ubuntu 24.04: rockcraft would fail to install it. Did you mean `curl`?
                                                                                                    # ^^^^^^^^^^^^^^^ warning[unknown-package]: no package `nothing-like-it` in the package lists loaded for Ubuntu 24.04: rockcraft would fail to install it
                build-packages:
                  - curl
                  - libpq5_libs
                  # ^^^^^^^^^^^ warning[unknown-package]: `libpq5_libs` looks like a Chisel slice, but `build-packages` takes whole Debian packages: slices go in `stage-packages`
                  - $MY_PKG
            ";
        check(Some(DEBS), text);
        let debs = DebIndex::from_texts([DEBS]);
        let indexes = StaticIndexes { debs: vec![&debs] };
        insta::assert_snapshot!(fixes(&indexes, text), @r#"curll: Replace with `curl` → "curl""#);
    }

    #[test]
    fn broken_yaml_is_not_checked() {
        check(
            Some(DEBS),
            r"
            base: bare
            build-base: ubuntu@24.04
            parts:
              p:
                stage-packages: [libc6_nope
            ",
        );
    }

    /// Indexes whose slices must not be asked for.
    struct NoSlices(DebIndex);

    impl PackageIndexes for NoSlices {
        fn for_release(&self, _release: Option<&str>) -> ReleaseIndexes<'_> {
            panic!("the slices were asked for")
        }

        fn debs_for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_> {
            ReleaseIndexes::debs_only(release, [&self.0])
        }
    }

    #[test]
    fn a_project_naming_no_slice_asks_for_the_debian_packages_only() {
        let idx = NoSlices(DebIndex::from_texts(["Package: curl\n"]));
        let doc = Document::parse(
            "base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [curl, curll]\n    build-packages: [libc6_libs]\n",
        );
        let found = diagnose(&doc, &idx);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|d| d.code == Code::UnknownPackage));
    }

    /// A user's checkout replaces the bundled slices for its release.
    struct Checkout(Slices);

    impl PackageIndexes for Checkout {
        fn for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_> {
            ReleaseIndexes {
                release: release.map(str::to_owned),
                slices: (release == Some("ubuntu-24.04"))
                    .then_some((&self.0, SliceOrigin::Checkout)),
                debs: Vec::new(),
            }
        }
    }

    #[test]
    fn checkout_slices_replace_the_bundled_ones() {
        let idx = Checkout(Slices::new([SlicePackage::new("mypkg", ["bins"])]));
        let text = r"
            base: bare
            build-base: ubuntu@24.04
            parts:
              p:
                stage-packages: [mypkg_bins, mypkg_bin, libc6_libs]
                                           # ^^^^^^^^^ error[unknown-slice]: package `mypkg` has no slice `bin` in your chisel-releases checkout for Ubuntu 24.04; its slices are `bins`. Did you mean `mypkg_bins`?
                                                      # ^^^^^^^^^^ error[unknown-slice]: `libc6_libs` is not a Chisel slice: your chisel-releases checkout defines no slices of a package `libc6` for Ubuntu 24.04. Use a whole Debian package on an Ubuntu base, or a package that has slices
            ";
        check_with(&idx, text);
        insta::assert_snapshot!(fixes(&idx, text), @r#"mypkg_bin: Replace with `mypkg_bins` → "mypkg_bins""#);
    }
}
