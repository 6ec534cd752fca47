//! Chisel slices: the bundled per-release index (generated from canonical/chisel-releases) and
//! the owned [`Slices`] of one release, which a user's own chisel-releases checkout also yields.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

/// The generated index of package and slice names (see `tools/gen_slice_index.py`).
const BUNDLED_SLICES: &str = include_str!("../../../data/chisel-slices.txt");

/// One Chisel package and its slice names (sorted). The bundled index's names are read in
/// place; a checkout's are copied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlicePackage {
    pub package: Cow<'static, str>,
    pub slices: Vec<Cow<'static, str>>,
}

impl SlicePackage {
    #[must_use]
    pub fn new(package: &str, slices: impl IntoIterator<Item = impl AsRef<str>>) -> Self {
        Self::sorted(
            Cow::Owned(package.to_owned()),
            slices
                .into_iter()
                .map(|s| Cow::Owned(s.as_ref().to_owned()))
                .collect(),
        )
    }

    fn sorted(package: Cow<'static, str>, mut slices: Vec<Cow<'static, str>>) -> Self {
        slices.sort_unstable();
        slices.dedup();
        Self { package, slices }
    }

    /// Whether the package defines `slice`.
    #[must_use]
    pub fn has(&self, slice: &str) -> bool {
        self.slices.binary_search_by(|s| (**s).cmp(slice)).is_ok()
    }
}

/// The Chisel packages of one release, sorted by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Slices {
    packages: Vec<SlicePackage>,
}

impl Slices {
    /// The slices of the given packages (a package named twice keeps the union of its slices).
    #[must_use]
    pub fn new(packages: impl IntoIterator<Item = SlicePackage>) -> Self {
        let mut packages: Vec<SlicePackage> = packages.into_iter().collect();
        packages.sort_by(|a, b| a.package.cmp(&b.package));
        let mut out: Vec<SlicePackage> = Vec::with_capacity(packages.len());
        for p in packages {
            match out.last_mut() {
                Some(last) if last.package == p.package => {
                    last.slices.extend(p.slices);
                    last.slices.sort_unstable();
                    last.slices.dedup();
                }
                _ => out.push(p),
            }
        }
        Self { packages: out }
    }

    /// The packages in name order.
    #[must_use]
    pub fn packages(&self) -> &[SlicePackage] {
        &self.packages
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.packages.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.packages.is_empty()
    }

    /// The package named `name`.
    #[must_use]
    pub fn package(&self, name: &str) -> Option<&SlicePackage> {
        self.packages
            .binary_search_by(|p| (*p.package).cmp(name))
            .ok()
            .map(|i| &self.packages[i])
    }

    /// The packages whose name starts with `prefix`, in name order.
    pub fn with_prefix<'s>(&'s self, prefix: &'s str) -> impl Iterator<Item = &'s SlicePackage> {
        let start = self.packages.partition_point(|p| &*p.package < prefix);
        self.packages[start..]
            .iter()
            .take_while(move |p| p.package.starts_with(prefix))
    }

    /// Whether `pkg_slice` (`libpq5_libs`) names a slice.
    #[must_use]
    pub fn has_slice(&self, pkg_slice: &str) -> bool {
        pkg_slice
            .rsplit_once('_')
            .and_then(|(pkg, slice)| self.package(pkg).map(|p| p.has(slice)))
            .unwrap_or(false)
    }
}

/// Chisel slices per release (`ubuntu-24.04`), parsed lazily from a compact text index.
#[derive(Debug)]
pub struct SliceIndex {
    text: &'static str,
    /// Release name → byte range of its section in `text`.
    sections: BTreeMap<&'static str, (usize, usize)>,
    parsed: BTreeMap<&'static str, OnceLock<Slices>>,
}

static BUNDLED: LazyLock<SliceIndex> = LazyLock::new(|| SliceIndex::from_static(BUNDLED_SLICES));

impl SliceIndex {
    /// The index shipped with the server (generated from canonical/chisel-releases).
    #[must_use]
    pub fn bundled() -> &'static Self {
        &BUNDLED
    }

    /// An index over text in the generated format (`[ubuntu-XX.YY]` headers, then one
    /// `package slice slice...` line per package; `#` comments).
    #[must_use]
    pub fn from_static(text: &'static str) -> Self {
        let mut sections = BTreeMap::new();
        let mut current: Option<(&'static str, usize)> = None;
        let mut pos = 0;
        for line in text.split_inclusive('\n') {
            // (Only a line opening with `[` is trimmed whole.)
            let t = if line.trim_start().starts_with('[') {
                line.trim()
            } else {
                ""
            };
            if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                if let Some((n, start)) = current.take() {
                    sections.insert(n, (start, pos));
                }
                current = Some((name, pos + line.len()));
            }
            pos += line.len();
        }
        if let Some((n, start)) = current {
            sections.insert(n, (start, pos));
        }
        let parsed = sections.keys().map(|&k| (k, OnceLock::new())).collect();
        Self {
            text,
            sections,
            parsed,
        }
    }

    /// The releases the index knows (`ubuntu-24.04`, ...).
    #[must_use]
    pub fn releases(&self) -> Vec<&'static str> {
        self.sections.keys().copied().collect()
    }

    /// The slices of a release (parsed on first use), `None` for a release the index lacks.
    #[must_use]
    pub fn release(&self, release: &str) -> Option<&Slices> {
        let (&(start, end), cell) = (self.sections.get(release)?, self.parsed.get(release)?);
        let text: &'static str = self.text;
        Some(cell.get_or_init(|| {
            Slices::new(
                text[start..end]
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .filter_map(|l| {
                        let mut words = l.split_whitespace().map(Cow::Borrowed);
                        let package = words.next()?;
                        Some(SlicePackage::sorted(package, words.collect()))
                    }),
            )
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_index_has_libpq5_libs_on_24_04() {
        let idx = SliceIndex::bundled();
        assert!(idx.releases().contains(&"ubuntu-24.04"));
        let has =
            |release: &str, name: &str| idx.release(release).is_some_and(|s| s.has_slice(name));
        assert!(has("ubuntu-24.04", "libpq5_libs"));
        assert!(!has("ubuntu-24.04", "libpq5_nope"));
        assert!(!has("ubuntu-99.04", "libpq5_libs"));
        assert!(!has("ubuntu-24.04", "libpq5"));
        assert_eq!(
            crate::core::facts::release_of_base("ubuntu@24.04").as_deref(),
            Some("ubuntu-24.04")
        );
    }

    #[test]
    fn packages_named_twice_are_merged() {
        let s = Slices::new([
            SlicePackage::new("b", ["x"]),
            SlicePackage::new("a", ["libs", "bins"]),
            SlicePackage::new("b", ["w", "x"]),
        ]);
        let names: Vec<_> = s.packages().iter().map(|p| &*p.package).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(s.package("b").unwrap().slices, ["w", "x"]);
        assert!(s.has_slice("a_bins"));
        assert_eq!(s.with_prefix("b").count(), 1);
    }
}
