//! Package name sources for completion: the bundled Chisel slice index (per Ubuntu release)
//! and Debian packages read from `Packages` index text (deb822 `Package:`/`Description:`).
//!
//! Both are pure data: the slice index is embedded at build time and parsed per release on
//! first use; the deb index is built from text the caller has read (the core never opens
//! files).

use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

/// The generated index of package and slice names (see `tools/gen_slice_index.py`).
const BUNDLED_SLICES: &str = include_str!("../../../data/chisel-slices.txt");

/// At most this many packages are kept from `Packages` files.
pub const MAX_DEBS: usize = 200_000;
/// Descriptions are cut to this many bytes.
pub const MAX_DESCRIPTION: usize = 1024;

/// One Chisel package and its slice names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlicePackage<'a> {
    pub package: &'a str,
    pub slices: Vec<&'a str>,
}

/// Chisel slices per release (`ubuntu-24.04`), parsed lazily from a compact text index.
#[derive(Debug)]
pub struct SliceIndex {
    text: &'static str,
    /// Release name → byte range of its section in `text`.
    sections: BTreeMap<&'static str, (usize, usize)>,
    parsed: BTreeMap<&'static str, OnceLock<Vec<SlicePackage<'static>>>>,
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
            let t = line.trim();
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

    /// The release name for a build base: `ubuntu@24.04` → `ubuntu-24.04`.
    #[must_use]
    pub fn release_of_base(base: &str) -> Option<String> {
        let v = base
            .strip_prefix("ubuntu@")
            .or_else(|| base.strip_prefix("ubuntu:"))?;
        Some(format!("ubuntu-{v}"))
    }

    /// The packages with slices in a release, sorted by name (empty for an unknown release).
    #[must_use]
    pub fn packages(&self, release: &str) -> &[SlicePackage<'static>] {
        let (Some(&(start, end)), Some(cell)) =
            (self.sections.get(release), self.parsed.get(release))
        else {
            return &[];
        };
        cell.get_or_init(|| {
            let mut v: Vec<SlicePackage<'static>> = self.text[start..end]
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .filter_map(|l| {
                    let mut words = l.split_whitespace();
                    let package = words.next()?;
                    Some(SlicePackage {
                        package,
                        slices: words.collect(),
                    })
                })
                .collect();
            v.sort_by(|a, b| a.package.cmp(b.package));
            v
        })
    }

    /// Whether `pkg_slice` (`libpq5_libs`) names a slice of the release.
    #[must_use]
    pub fn has_slice(&self, release: &str, pkg_slice: &str) -> bool {
        let Some((pkg, slice)) = pkg_slice.rsplit_once('_') else {
            return false;
        };
        let pkgs = self.packages(release);
        pkgs.binary_search_by(|p| p.package.cmp(pkg))
            .is_ok_and(|i| pkgs[i].slices.contains(&slice))
    }
}

/// One Debian package from a `Packages` index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deb {
    pub name: String,
    /// The description (synopsis, then the extended text), possibly cut.
    pub description: String,
}

/// Debian packages by name, from `Packages` index text.
#[derive(Clone, Debug, Default)]
pub struct DebIndex {
    debs: Vec<Deb>,
}

impl DebIndex {
    /// An index of the packages in the given `Packages` texts (first occurrence of a name wins;
    /// at most [`MAX_DEBS`] packages).
    #[must_use]
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        'files: for text in texts {
            for stanza in text.split("\n\n") {
                if map.len() >= MAX_DEBS {
                    break 'files;
                }
                let (name, desc) = parse_stanza(stanza);
                if let Some(name) = name {
                    map.entry(name).or_insert(desc);
                }
            }
        }
        Self {
            debs: map
                .into_iter()
                .map(|(name, description)| Deb { name, description })
                .collect(),
        }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.debs.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.debs.is_empty()
    }

    /// The packages whose name starts with `prefix`, in name order.
    pub fn with_prefix<'s>(&'s self, prefix: &'s str) -> impl Iterator<Item = &'s Deb> + 's {
        let start = self.debs.partition_point(|d| d.name.as_str() < prefix);
        self.debs[start..]
            .iter()
            .take_while(move |d| d.name.starts_with(prefix))
    }
}

fn parse_stanza(stanza: &str) -> (Option<String>, String) {
    let mut name = None;
    let mut desc = String::new();
    let mut in_desc = false;
    for line in stanza.lines() {
        if line.starts_with([' ', '\t']) {
            if in_desc && desc.len() < MAX_DESCRIPTION {
                let l = line.trim();
                desc.push('\n');
                if l != "." {
                    desc.push_str(l);
                }
            }
            continue;
        }
        in_desc = false;
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        if k.eq_ignore_ascii_case("Package") {
            name = Some(v.trim().to_owned());
        } else if k.eq_ignore_ascii_case("Description") {
            v.trim().clone_into(&mut desc);
            in_desc = true;
        }
    }
    if desc.len() > MAX_DESCRIPTION {
        let mut cut = MAX_DESCRIPTION;
        while !desc.is_char_boundary(cut) {
            cut -= 1;
        }
        desc.truncate(cut);
        desc.push('…');
    }
    (name.filter(|n| !n.is_empty()), desc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_index_has_libpq5_libs_on_24_04() {
        let idx = SliceIndex::bundled();
        assert!(idx.releases().contains(&"ubuntu-24.04"));
        assert!(idx.has_slice("ubuntu-24.04", "libpq5_libs"));
        assert!(!idx.has_slice("ubuntu-24.04", "libpq5_nope"));
        assert!(!idx.has_slice("ubuntu-99.04", "libpq5_libs"));
        assert_eq!(
            SliceIndex::release_of_base("ubuntu@24.04").as_deref(),
            Some("ubuntu-24.04")
        );
    }

    #[test]
    fn packages_text_is_read() {
        let idx = DebIndex::from_texts([
            "Package: curl\nVersion: 1\nDescription: command line tool\n more text\n .\n end\n\nPackage: cups\nDescription: printing\n",
        ]);
        assert_eq!(idx.len(), 2);
        let v: Vec<_> = idx.with_prefix("cu").map(|d| d.name.as_str()).collect();
        assert_eq!(v, ["cups", "curl"]);
        let curl = idx.with_prefix("curl").next().unwrap();
        assert_eq!(curl.description, "command line tool\nmore text\n\nend");
    }
}
