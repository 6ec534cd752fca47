//! A chisel-releases checkout, read from file texts: the release `chisel.yaml` declares and
//! the package and slice names of each `slices/*.yaml` file. The caller reads the files (the
//! core never opens any) and builds [`Slices`](super::Slices) from what this returns.

use crate::core::yaml::{self, NodeId, Tree};

use super::SlicePackage;

/// The release a `chisel.yaml` describes: the `version` of its archives (`24.04` →
/// `ubuntu-24.04`), preferring the archive named `ubuntu`. `None` when it names none.
#[must_use]
pub fn release_of_chisel_yaml(text: &str) -> Option<String> {
    let tree = yaml::parse(text).tree;
    let root = tree.root?;
    let archives = tree.get(root, "archives")?;
    let version_of = |archive: NodeId| {
        tree.get(archive, "version")
            .and_then(|v| tree.text(v))
            .map(str::trim)
            .filter(|v| is_version(v))
    };
    let entries = tree.entries(archives);
    let preferred = entries
        .iter()
        .find(|e| tree.text(e.key) == Some("ubuntu"))
        .and_then(|e| version_of(e.value));
    let version = preferred.or_else(|| entries.iter().find_map(|e| version_of(e.value)))?;
    Some(format!("ubuntu-{version}"))
}

/// `24.04`: two numbers and a dot.
fn is_version(v: &str) -> bool {
    v.split_once('.').is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    })
}

/// The package and slice names of a slice definition file (`package:` and the keys of
/// `slices:`). `None` when it has no `package` name.
#[must_use]
pub fn slices_of_file(text: &str) -> Option<SlicePackage> {
    let tree = yaml::parse(text).tree;
    let root = tree.root?;
    let package = tree
        .get(root, "package")
        .and_then(|p| tree.text(p))
        .map(str::trim)
        .filter(|p| is_name(p))?;
    let slices = tree
        .get(root, "slices")
        .map(|s| keys(&tree, s))
        .unwrap_or_default();
    Some(SlicePackage::new(package, slices))
}

fn keys(tree: &Tree, map: NodeId) -> Vec<&str> {
    tree.entries(map)
        .iter()
        .filter_map(|e| tree.text(e.key))
        .filter(|k| is_name(k))
        .collect()
}

/// A package or slice name: no spaces, no `_` (it separates the two), not empty.
fn is_name(n: &str) -> bool {
    !n.is_empty() && n.len() <= 256 && !n.contains('_') && !n.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chisel_yaml_release() {
        let text = "format: v1\narchives:\n  ubuntu-esm:\n    version: 22.04\n  ubuntu:\n    version: 24.04\n    suites: [noble]\n";
        assert_eq!(
            release_of_chisel_yaml(text).as_deref(),
            Some("ubuntu-24.04")
        );
        assert_eq!(
            release_of_chisel_yaml("archives:\n  other:\n    version: \"25.10\"\n").as_deref(),
            Some("ubuntu-25.10")
        );
        for bad in [
            "",
            "archives: []",
            "archives:\n  ubuntu:\n    version: x\n",
            "[",
            "\u{0}\u{1}",
        ] {
            assert_eq!(release_of_chisel_yaml(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn slice_file() {
        let p = slices_of_file(
            "package: libpq5\nessential:\n  - libpq5_copyright\nslices:\n  libs:\n    contents:\n      /usr/lib/*-linux-*/libpq.so.5*:\n  copyright:\n    contents:\n      /usr/share/doc/libpq5/copyright:\n",
        )
        .unwrap();
        assert_eq!(&*p.package, "libpq5");
        assert_eq!(p.slices, ["copyright", "libs"]);
        assert_eq!(slices_of_file("slices:\n  a: {}\n"), None);
        assert_eq!(slices_of_file("package: [x]\n"), None);
        assert!(
            slices_of_file("package: x\nslices: 3\n")
                .unwrap()
                .slices
                .is_empty()
        );
    }
}
