//! apt's downloaded package lists (`/var/lib/apt/lists`): which Ubuntu release a list file
//! belongs to, from its name alone, and how to decompress it. The caller lists the directory
//! and opens the files; this module only reads names and byte streams.

use std::io::{BufReader, Read};

use crate::core::facts::release_of_codename;

/// How a list file is compressed (apt's `Acquire::GzipIndexes` keeps them compressed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Lz4,
    Xz,
}

impl Compression {
    /// The compression a file name says (`.gz`, `.lz4`, `.xz`; anything else is read as
    /// text), and the name without that suffix.
    #[must_use]
    pub fn of_file_name(name: &str) -> (&str, Self) {
        match name.rsplit_once('.') {
            Some((stem, "gz")) => (stem, Self::Gzip),
            Some((stem, "lz4")) => (stem, Self::Lz4),
            Some((stem, "xz")) => (stem, Self::Xz),
            _ => (name, Self::None),
        }
    }
}

/// What a list file's name says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AptList {
    /// The suite as written (`noble-updates`).
    pub suite: String,
    /// The Ubuntu release of the suite's codename (`ubuntu-24.04`).
    pub release: &'static str,
    pub compression: Compression,
}

/// Reads a list file name such as
/// `archive.ubuntu.com_ubuntu_dists_noble-updates_main_binary-amd64_Packages.lz4`: `None` for
/// anything but a binary `Packages` list (`InRelease`, translations, `Sources`, diffs), for
/// compressions this server cannot read (`.bz2`, `.zst`), and for suites of unknown codenames
/// (Debian's, or Ubuntu releases that have no rockcraft base).
#[must_use]
pub fn parse_list_name(file_name: &str) -> Option<AptList> {
    let (stem, compression) = Compression::of_file_name(file_name);
    let head = stem.strip_suffix("_Packages")?;
    // The last `_dists_` separates the archive URL from `suite_component_binary-arch`.
    let (_, after) = head.rsplit_once("_dists_")?;
    let (suite, rest) = after.split_once('_')?;
    // `component_binary-arch`, or components with slashes (`main/debian-installer`) escaped.
    if !rest
        .rsplit('_')
        .next()
        .is_some_and(|a| a.starts_with("binary-"))
    {
        return None;
    }
    let codename = suite.split('-').next()?;
    let release = release_of_codename(codename)?;
    Some(AptList {
        suite: suite.to_owned(),
        release,
        compression,
    })
}

/// A reader of the decompressed bytes of `reader`.
#[must_use]
pub fn decompress<'r>(compression: Compression, reader: impl Read + 'r) -> Box<dyn Read + 'r> {
    match compression {
        Compression::None => Box::new(reader),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(reader))),
        Compression::Lz4 => Box::new(lz4_flex::frame::FrameDecoder::new(reader)),
        // At most 256 MiB of decoder memory, whatever the header asks for.
        Compression::Xz => Box::new(lzma_rust2::XzReader::new_mem_limit(
            BufReader::new(reader),
            true,
            256 * 1024,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::packages::DebIndex;

    #[test]
    fn list_names() {
        let l = parse_list_name("archive.ubuntu.com_ubuntu_dists_noble_main_binary-amd64_Packages")
            .unwrap();
        assert_eq!(
            (l.suite.as_str(), l.release, l.compression),
            ("noble", "ubuntu-24.04", Compression::None)
        );
        let l = parse_list_name(
            "ports.ubuntu.com_ubuntu-ports_dists_jammy-updates_universe_binary-arm64_Packages.lz4",
        )
        .unwrap();
        assert_eq!(
            (l.suite.as_str(), l.release, l.compression),
            ("jammy-updates", "ubuntu-22.04", Compression::Lz4)
        );
        for (name, release) in [
            (
                "security.ubuntu.com_ubuntu_dists_focal-security_main_binary-amd64_Packages.gz",
                "ubuntu-20.04",
            ),
            (
                "archive.ubuntu.com_ubuntu_dists_questing-backports_main_binary-amd64_Packages.xz",
                "ubuntu-25.10",
            ),
            (
                "archive.ubuntu.com_ubuntu_dists_resolute_restricted_binary-riscv64_Packages",
                "ubuntu-26.04",
            ),
            (
                "ppa.launchpadcontent.net_deadsnakes_ppa_ubuntu_dists_noble_main_binary-amd64_Packages",
                "ubuntu-24.04",
            ),
        ] {
            assert_eq!(
                parse_list_name(name).map(|l| l.release),
                Some(release),
                "{name}"
            );
        }
        for name in [
            "archive.ubuntu.com_ubuntu_dists_noble_InRelease",
            "archive.ubuntu.com_ubuntu_dists_noble_main_i18n_Translation-en",
            "archive.ubuntu.com_ubuntu_dists_noble_main_source_Sources",
            "archive.ubuntu.com_ubuntu_dists_noble_main_binary-amd64_Packages.bz2",
            "archive.ubuntu.com_ubuntu_dists_noble_main_binary-amd64_Packages.zst",
            "archive.ubuntu.com_ubuntu_dists_noble_main_binary-amd64_Packages.diff_Index",
            "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4",
            "archive.ubuntu.com_ubuntu_dists_bionic_main_binary-amd64_Packages",
            "example.com_repo_._Packages",
            "lock",
            "",
        ] {
            assert_eq!(parse_list_name(name), None, "{name}");
        }
    }

    const TEXT: &str = "Package: hello\nDescription: example package\n\nPackage: jq\nDescription: JSON processor\n";

    fn index_of(compression: Compression, bytes: &[u8]) -> std::io::Result<DebIndex> {
        let mut b = DebIndex::builder();
        b.read_from(decompress(compression, bytes))?;
        Ok(b.finish())
    }

    fn names(i: &DebIndex) -> Vec<&str> {
        i.names().collect()
    }

    #[test]
    fn compressed_lists_are_read() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(TEXT.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(
            names(&index_of(Compression::Gzip, &gz).unwrap()),
            ["hello", "jq"]
        );

        let mut lz = lz4_flex::frame::FrameEncoder::new(Vec::new());
        lz.write_all(TEXT.as_bytes()).unwrap();
        let lz = lz.finish().unwrap();
        assert_eq!(
            names(&index_of(Compression::Lz4, &lz).unwrap()),
            ["hello", "jq"]
        );

        let mut xz =
            lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).unwrap();
        xz.write_all(TEXT.as_bytes()).unwrap();
        let xz = xz.finish().unwrap();
        assert_eq!(
            names(&index_of(Compression::Xz, &xz).unwrap()),
            ["hello", "jq"]
        );

        assert_eq!(
            names(&index_of(Compression::None, TEXT.as_bytes()).unwrap()),
            ["hello", "jq"]
        );
    }

    #[test]
    fn broken_compressed_data_is_an_error_not_a_panic() {
        let junk: Vec<u8> = (0..5000u32)
            .map(|i| u8::try_from(i * 31 % 256).unwrap())
            .collect();
        for c in [Compression::Gzip, Compression::Lz4, Compression::Xz] {
            assert!(index_of(c, &junk).is_err(), "{c:?}");
            // A valid header followed by junk: whatever was read is kept, no panic.
            let _ = index_of(c, &junk[..10]);
        }
    }
}
