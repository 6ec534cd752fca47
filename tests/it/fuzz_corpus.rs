//! Replays every fuzz corpus file (`fuzz/corpus/<target>/`, and the crash reproducers kept in
//! `fuzz/regressions/<target>/`) through the same entry points the fuzz targets call, so what
//! a campaign found stays fixed without a nightly toolchain.

use std::io::Write as _;
use std::path::Path;

use rockcraft_lsp::fuzz::{PROJECT_FILES, TARGETS};

#[test]
fn fuzz_corpus_replays_without_a_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut total = 0;
    for (name, target) in TARGETS {
        let mut files = Vec::new();
        for dir in ["corpus", "regressions"] {
            if let Ok(entries) = std::fs::read_dir(root.join(dir).join(name)) {
                files.extend(entries.flatten().map(|e| e.path()));
            }
        }
        assert!(!files.is_empty(), "no corpus for fuzz target {name}");
        files.sort();
        total += files.len();
        // The inputs are independent: split them over the machine's cores.
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let chunk = files.len().div_ceil(threads);
        std::thread::scope(|scope| {
            for part in files.chunks(chunk) {
                scope.spawn(move || {
                    for f in part {
                        let data = std::fs::read(f).expect("a corpus file");
                        target(&data);
                    }
                });
            }
        });
    }
    let _ = writeln!(std::io::stderr(), "{total} fuzz corpus inputs replayed");
}

/// The seed writer joins a project's files in the order the `expansion` target reads them.
#[test]
fn seed_writer_knows_the_project_files() {
    let script =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/fuzz-seeds.py"))
            .expect("tools/fuzz-seeds.py");
    let listed: Vec<&str> = script
        .lines()
        .skip_while(|l| !l.starts_with("PROJECT_FILES = ["))
        .skip(1)
        .take_while(|l| !l.starts_with(']'))
        .map(|l| l.trim().trim_end_matches(',').trim_matches('"'))
        .collect();
    assert_eq!(listed, PROJECT_FILES);
}
