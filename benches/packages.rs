//! Load time and memory of the package indexes: the bundled Chisel slice index (per release),
//! a generated 60,000-package `Packages` file (plain, gzip, lz4), the `unknown-package` rule
//! against it, and optionally real files given as arguments (`Packages` lists, plain or
//! compressed, or a chisel-releases checkout directory).
//!
//! Run: `cargo bench --bench packages [-- PATH...]`. Memory is measured with a counting
//! allocator (`peak_alloc`): "kept" is what the index holds after loading, "peak" the most in use while it
//! was built (both above what was allocated before).

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use peak_alloc::PeakAlloc;
use rockcraft_lsp::core::document::Document;
use rockcraft_lsp::core::packages::{DebIndex, SliceIndex, StaticIndexes, apt};
use rockcraft_lsp::core::rules::known_packages;
use rockcraft_lsp::host::packages::{load_checkout, load_files};

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// Runs `f`, returning its result, milliseconds, bytes kept and peak bytes above the start.
fn measure<T>(f: impl FnOnce() -> T) -> (T, f64, usize, usize) {
    let before = ALLOC.current_usage();
    ALLOC.reset_peak_usage();
    let t = Instant::now();
    let out = f();
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let kept = ALLOC.current_usage().saturating_sub(before);
    let peak = ALLOC.peak_usage().saturating_sub(before);
    (out, ms, kept, peak)
}

fn mib(b: usize) -> String {
    #[allow(clippy::cast_precision_loss)]
    let m = b as f64 / (1024.0 * 1024.0);
    format!("{m:.2} MiB")
}

/// A `Packages` file shaped like Ubuntu's (fields and sizes of a real stanza), with
/// `n` packages and every tenth one listed twice (as updates lists do).
fn generated_packages(n: usize) -> String {
    let mut s = String::with_capacity(n * 900);
    for i in 0..n {
        for copy in 0..=usize::from(i % 10 == 0) {
            let _ = write!(
                s,
                "Package: pkg-{i:05}-{}\nArchitecture: amd64\nVersion: 1.{copy}.{i}-1ubuntu1\nPriority: optional\nSection: universe/libs\nOrigin: Ubuntu\nMaintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\nInstalled-Size: {}\nDepends: libc6 (>= 2.34), libgcc-s1 (>= 3.0), libstdc++6 (>= 12)\nFilename: pool/universe/p/pkg-{i}/pkg-{i}_1.{i}-1ubuntu1_amd64.deb\nSize: {}\nMD5sum: 0123456789abcdef0123456789abcdef\nSHA1: 0123456789abcdef0123456789abcdef01234567\nSHA256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nSHA512: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nDescription: example library number {i} for benchmarks\nDescription-md5: 0123456789abcdef0123456789abcdef\n\n",
                ["lib", "tool", "data", "dev"][i % 4],
                i % 5000,
                i * 7 % 100_000
            );
        }
    }
    s
}

/// Times the `unknown-package` rule on 9 names, 5 of them unknown (with "did you mean").
fn rule_time(idx: &DebIndex, what: &str) {
    let doc = Document::parse(
        "base: ubuntu@24.04\nparts:\n  p:\n    plugin: nil\n    stage-packages: [pkg-00001-tool, curll, pythn3, libssl-dv, pkg-00005-tol, nothing]\n    build-packages: [pkg-00010-data, gcc, make]\n",
    );
    let indexes = StaticIndexes { debs: vec![idx] };
    let runs = 20;
    let t = Instant::now();
    let mut found = 0;
    for _ in 0..runs {
        found = known_packages::diagnose(&doc, &indexes).len();
    }
    let _ = writeln!(
        std::io::stdout(),
        "  unknown-package rule on 9 names against {} packages ({what}): {:.2} ms ({found} warnings)",
        idx.len(),
        t.elapsed().as_secs_f64() * 1e3 / f64::from(runs)
    );
}

fn main() {
    let args: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .collect();

    let _ = writeln!(
        std::io::stdout(),
        "| index | load ms | kept | peak while loading | entries |"
    );
    let _ = writeln!(std::io::stdout(), "|---|---|---|---|---|");
    let bundled = SliceIndex::bundled();
    let (_, ms, kept, peak) = measure(|| bundled.releases().len());
    let _ = writeln!(
        std::io::stdout(),
        "| bundled slice index (sections) | {ms:.2} | {} | {} | {} releases |",
        mib(kept),
        mib(peak),
        bundled.releases().len()
    );
    for release in bundled.releases() {
        let (n, ms, kept, peak) = measure(|| {
            bundled
                .release(release)
                .map_or(0, rockcraft_lsp::core::packages::Slices::len)
        });
        let _ = writeln!(
            std::io::stdout(),
            "| bundled slices {release} | {ms:.2} | {} | {} | {n} packages |",
            mib(kept),
            mib(peak)
        );
    }

    let text = generated_packages(60_000);
    let (idx, ms, kept, peak) = measure(|| DebIndex::from_texts([text.as_str()]));
    let _ = writeln!(
        std::io::stdout(),
        "| generated Packages, {} MiB text | {ms:.0} | {} | {} | {} packages |",
        text.len() / (1024 * 1024),
        mib(kept),
        mib(peak),
        idx.len()
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap_or_default();
    let gz = gz.finish().unwrap_or_default();
    let mut lz = lz4_flex::frame::FrameEncoder::new(Vec::new());
    lz.write_all(text.as_bytes()).unwrap_or_default();
    let lz = lz.finish().unwrap_or_default();
    for (name, bytes, c) in [
        ("gzip", &gz, apt::Compression::Gzip),
        ("lz4", &lz, apt::Compression::Lz4),
    ] {
        let (streamed, ms, kept, peak) = measure(|| {
            let mut b = DebIndex::builder();
            let _ = b.read_from(apt::decompress(c, &bytes[..]));
            b.finish()
        });
        let _ = writeln!(
            std::io::stdout(),
            "| same, {name} stream ({} KiB) | {ms:.0} | {} | {} | {} packages |",
            bytes.len() / 1024,
            mib(kept),
            mib(peak),
            streamed.len()
        );
    }
    drop(text);

    rule_time(&idx, "generated");
    drop(idx);

    for path in args {
        if path.is_dir() {
            let (releases, ms, kept, peak) = measure(|| load_checkout(&path));
            let n: usize = releases
                .values()
                .map(rockcraft_lsp::core::packages::Slices::len)
                .sum();
            let _ = writeln!(
                std::io::stdout(),
                "| checkout {} | {ms:.0} | {} | {} | {n} packages |",
                path.display(),
                mib(kept),
                mib(peak)
            );
        } else {
            let (idx, ms, kept, peak) = measure(|| load_files(std::slice::from_ref(&path)));
            let _ = writeln!(
                std::io::stdout(),
                "| {} | {ms:.0} | {} | {} | {} packages |",
                path.display(),
                mib(kept),
                mib(peak),
                idx.len()
            );
            rule_time(&idx, &path.display().to_string());
        }
    }
}
