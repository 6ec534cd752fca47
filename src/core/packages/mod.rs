//! Package name sources for completion and diagnostics: Chisel slices (the bundled index per
//! Ubuntu release, or a user's chisel-releases checkout) and Debian packages read from
//! `Packages` index data (files the user names, or apt's lists on the host).
//!
//! Everything here is pure data: the slice index is embedded at build time and parsed per
//! release on first use; the other indexes are built from text or byte streams the caller has
//! opened (the core never opens files). What is known for a release is handed to completion
//! and to the `unknown-slice`/`unknown-package` rule through [`PackageIndexes`].

pub mod apt;
pub mod chisel;
mod debs;
mod slices;

pub use debs::{Deb, DebIndex, DebIndexBuilder, MAX_DEBS, MAX_DESCRIPTION};
pub use slices::{SliceIndex, SlicePackage, Slices};

use crate::core::document::Document;
use crate::core::facts::release_of_base;

/// The release a document's packages come from: that of its build base (`build-base`, else
/// `base`). `None` for `bare` without a build base, `devel` and unknown bases.
#[must_use]
pub fn document_release(doc: &Document) -> Option<String> {
    doc.effective_build_base().and_then(|b| release_of_base(&b))
}

/// Where a release's slice names come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceOrigin {
    /// The index bundled with the server.
    Bundled,
    /// The user's chisel-releases checkout (`chisel.releasesDir`).
    Checkout,
}

/// What is known about the packages of one release.
#[derive(Clone, Debug)]
pub struct ReleaseIndexes<'a> {
    /// The release (`ubuntu-24.04`), when the document has one.
    pub release: Option<String>,
    /// The release's Chisel slices, when some index covers it.
    pub slices: Option<(&'a Slices, SliceOrigin)>,
    /// The Debian package indexes loaded for the release (empty: none loaded, so no package
    /// can be called unknown).
    pub debs: Vec<&'a DebIndex>,
}

impl<'a> ReleaseIndexes<'a> {
    /// What names a release: the slices of the user's checkout when it covers the release,
    /// else the bundled ones; the Debian packages of every non-empty index given.
    #[must_use]
    pub fn assemble(
        release: Option<&str>,
        checkout: Option<&'a Slices>,
        debs: impl IntoIterator<Item = &'a DebIndex>,
    ) -> Self {
        let slices = release.and_then(|r| {
            checkout.map(|s| (s, SliceOrigin::Checkout)).or_else(|| {
                SliceIndex::bundled()
                    .release(r)
                    .map(|s| (s, SliceOrigin::Bundled))
            })
        });
        Self {
            release: release.map(str::to_owned),
            slices,
            debs: debs.into_iter().filter(|d| !d.is_empty()).collect(),
        }
    }

    /// [`ReleaseIndexes::assemble`] without the slices, for a check that asks about no
    /// Chisel slice (a release's bundled slices are then not even read).
    #[must_use]
    pub fn debs_only(release: Option<&str>, debs: impl IntoIterator<Item = &'a DebIndex>) -> Self {
        Self {
            release: release.map(str::to_owned),
            slices: None,
            debs: debs.into_iter().filter(|d| !d.is_empty()).collect(),
        }
    }

    /// Whether a Debian package index is loaded for the release.
    #[must_use]
    pub fn has_debs(&self) -> bool {
        self.debs.iter().any(|d| !d.is_empty())
    }
}

/// The package indexes available, per release.
pub trait PackageIndexes {
    /// What is known for `release` (`ubuntu-24.04`), or for a document without a release.
    fn for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_>;

    /// What [`Self::for_release`] gives, where only the Debian packages are asked about: the
    /// slices may be left out.
    fn debs_for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_> {
        self.for_release(release)
    }
}

/// The bundled slice index and a fixed list of deb indexes for every release (tests, the
/// command line, benchmarks).
#[derive(Clone, Debug, Default)]
pub struct StaticIndexes<'a> {
    pub debs: Vec<&'a DebIndex>,
}

impl PackageIndexes for StaticIndexes<'_> {
    fn for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_> {
        ReleaseIndexes::assemble(release, None, self.debs.iter().copied())
    }

    fn debs_for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_> {
        ReleaseIndexes::debs_only(release, self.debs.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_of_documents_and_codenames() {
        assert_eq!(
            crate::core::facts::release_of_codename("questing"),
            Some("ubuntu-25.10")
        );
        assert_eq!(
            crate::core::facts::release_of_codename("resolute"),
            Some("ubuntu-26.04")
        );
        assert_eq!(crate::core::facts::release_of_codename("bookworm"), None);
        let doc = Document::parse("base: bare\nbuild-base: ubuntu@24.04\n");
        assert_eq!(document_release(&doc).as_deref(), Some("ubuntu-24.04"));
        let doc = Document::parse("base: bare\n");
        assert_eq!(document_release(&doc), None);
    }
}
