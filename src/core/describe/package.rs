//! What a package name in `stage-packages`/`build-packages` is: a Debian package with its
//! description (when a `Packages` index is loaded) or a Chisel slice of one (names only: the
//! bundled slice index records no file lists).

use std::fmt::Write as _;

use crate::core::packages::{ReleaseIndexes, SliceOrigin};

/// At most this many sibling slices are listed in a slice's description, so a package with
/// dozens of slices does not fill the hover.
pub const MAX_LISTED_SLICES: usize = 12;

fn release_text(indexes: &ReleaseIndexes<'_>) -> String {
    indexes
        .release
        .as_deref()
        .map_or_else(String::new, |r| format!(" ({r})"))
}

/// The description of a Debian package from the loaded indexes, as Markdown paragraphs.
fn deb_text(indexes: &ReleaseIndexes<'_>, name: &str) -> Option<String> {
    let deb = indexes.debs.iter().find_map(|d| d.get(name))?;
    let mut lines = deb.description.lines();
    let synopsis = lines.next().unwrap_or_default().trim();
    let mut md = format!("*{synopsis}*");
    // An empty line (a `.` in the index) starts a new paragraph; the lines of one are joined.
    let rest: Vec<&str> = lines.collect();
    for paragraph in rest.split(|l| l.trim().is_empty()) {
        if !paragraph.is_empty() {
            md.push_str("\n\n");
            md.push_str(&paragraph.join(" "));
        }
    }
    Some(md)
}

/// Why no description is shown for a package.
fn no_description(indexes: &ReleaseIndexes<'_>) -> &'static str {
    if indexes.has_debs() {
        "The loaded Debian package indexes do not list it."
    } else {
        "No Debian package index is loaded for this release, so its description is not known (set `packages.indexFiles` or `packages.aptListsDir`)."
    }
}

/// A Debian package (`build-packages`, or `stage-packages` outside a chiselled list).
#[must_use]
pub fn deb(indexes: &ReleaseIndexes<'_>, name: &str) -> String {
    let mut md = format!("**`{name}`**: Debian package{}", release_text(indexes));
    md.push_str("\n\n");
    match deb_text(indexes, name) {
        Some(d) => md.push_str(&d),
        None if indexes.debs.iter().any(|d| d.contains(name)) => {
            md.push_str("A virtual package: other packages provide it.");
        }
        None => md.push_str(no_description(indexes)),
    }
    if let Some((slices, _)) = indexes.slices
        && let Some(p) = slices.package(name)
    {
        let listed: Vec<String> = p
            .slices
            .iter()
            .take(MAX_LISTED_SLICES)
            .map(|s| format!("`{name}_{s}`"))
            .collect();
        let more = p.slices.len().saturating_sub(MAX_LISTED_SLICES);
        let _ = write!(md, "\n\nChisel slices: {}", listed.join(", "));
        if more > 0 {
            let _ = write!(md, " and {more} more");
        }
        md.push('.');
    }
    md
}

/// A Chisel slice (`libpq5_libs`): the package it belongs to, the other slices of that
/// package, and the package's description when an index has it.
#[must_use]
pub fn slice(indexes: &ReleaseIndexes<'_>, name: &str) -> String {
    let Some((pkg, cut)) = name.rsplit_once('_') else {
        return deb(indexes, name);
    };
    let mut md = format!(
        "**`{name}`**: Chisel slice `{cut}` of the Debian package `{pkg}`{}",
        release_text(indexes)
    );
    match indexes.slices {
        Some((slices, origin)) => {
            let from = match origin {
                SliceOrigin::Bundled => "the chisel-releases index bundled with the editor",
                SliceOrigin::Checkout => "your chisel-releases checkout",
            };
            match slices.package(pkg) {
                Some(p) if p.has(cut) => {
                    let others: Vec<String> = p
                        .slices
                        .iter()
                        .filter(|s| &***s != cut)
                        .take(MAX_LISTED_SLICES)
                        .map(|s| format!("`{pkg}_{s}`"))
                        .collect();
                    let _ = write!(md, "\n\nKnown from {from}");
                    if others.is_empty() {
                        md.push_str("; it is the package's only slice.");
                    } else {
                        let more = p.slices.len().saturating_sub(1 + MAX_LISTED_SLICES);
                        let _ = write!(md, "; the package's other slices: {}", others.join(", "));
                        if more > 0 {
                            let _ = write!(md, " and {more} more");
                        }
                        md.push('.');
                    }
                    let _ = write!(
                        md,
                        " The index holds slice names only: the files a slice installs are listed in `slices/{pkg}.yaml` of chisel-releases."
                    );
                }
                Some(_) => {
                    let _ = write!(md, "\n\n{from} has no slice `{cut}` for `{pkg}`.");
                }
                None => {
                    let _ = write!(md, "\n\n{from} has no slices for `{pkg}`.");
                }
            }
        }
        None => md.push_str("\n\nNo slice index covers this release."),
    }
    if let Some(d) = deb_text(indexes, pkg) {
        let _ = write!(md, "\n\n---\n\n`{pkg}`: {d}");
    }
    md
}

/// A `stage-packages` entry: a slice when it has the `<package>_<slice>` form, else a
/// Debian package.
#[must_use]
pub fn stage_package(indexes: &ReleaseIndexes<'_>, name: &str) -> String {
    if name.contains('_') {
        slice(indexes, name)
    } else {
        deb(indexes, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::packages::DebIndex;

    const PACKAGES: &str = "Package: libpq5\nVersion: 1\nDescription: PostgreSQL C client library\n libpq is a C library that enables user programs to communicate with\n the PostgreSQL object-relational database server.\n .\n Second paragraph.\n\nPackage: mail-agent\nProvides: mail-transport-agent\nDescription: a mailer\n";

    #[test]
    fn slice_with_its_package_description() {
        let debs = DebIndex::from_texts([PACKAGES]);
        let idx = ReleaseIndexes::assemble(Some("ubuntu-24.04"), None, [&debs]);
        insta::assert_snapshot!(slice(&idx, "libpq5_libs"), @r"
        **`libpq5_libs`**: Chisel slice `libs` of the Debian package `libpq5` (ubuntu-24.04)

        Known from the chisel-releases index bundled with the editor; the package's other slices: `libpq5_copyright`. The index holds slice names only: the files a slice installs are listed in `slices/libpq5.yaml` of chisel-releases.

        ---

        `libpq5`: *PostgreSQL C client library*

        libpq is a C library that enables user programs to communicate with the PostgreSQL object-relational database server.

        Second paragraph.
        ");
    }

    #[test]
    fn debs_without_an_index_say_so() {
        let idx = ReleaseIndexes::assemble(Some("ubuntu-24.04"), None, []);
        insta::assert_snapshot!(stage_package(&idx, "libpq5"), @r"
        **`libpq5`**: Debian package (ubuntu-24.04)

        No Debian package index is loaded for this release, so its description is not known (set `packages.indexFiles` or `packages.aptListsDir`).

        Chisel slices: `libpq5_copyright`, `libpq5_libs`.
        ");
        let debs = DebIndex::from_texts([PACKAGES]);
        let idx = ReleaseIndexes::assemble(Some("ubuntu-24.04"), None, [&debs]);
        assert!(deb(&idx, "mail-transport-agent").contains("virtual package"));
        assert!(deb(&idx, "nothing-such").contains("do not list it"));
        assert!(slice(&idx, "libpq5_nope").contains("has no slice `nope`"));
    }
}
