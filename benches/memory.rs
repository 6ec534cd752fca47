//! What a kept analysis costs in memory: the analysis of each file (the document's text,
//! line index, tree and findings) measured with a counting allocator (`peak_alloc`), as bytes
//! per line of the file, and the peak while it was built; then the same for the analysis of
//! an edit made from it, and what the JSON value costs once asked for (the expansion asks).
//! Run: `cargo bench --bench memory [-- FILE...]`.

use std::io::Write as _;

use peak_alloc::PeakAlloc;
use rockcraft_lsp::core::analysis::{analyze, analyze_after};
use rockcraft_lsp::core::cancel::Cancel;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// Runs `f`, returning its result, the bytes it left allocated and its peak, both above what
/// was allocated before.
fn measure<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = ALLOC.current_usage();
    ALLOC.reset_peak_usage();
    let out = f();
    let kept = ALLOC.current_usage().saturating_sub(before);
    let peak = ALLOC.peak_usage().saturating_sub(before);
    (out, kept, peak)
}

#[allow(clippy::cast_precision_loss)]
fn per_line(bytes: usize, lines: usize) -> f64 {
    bytes as f64 / lines.max(1) as f64
}

#[allow(clippy::cast_precision_loss)]
fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() {
    let mut files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if files.is_empty() {
        let root = env!("CARGO_MANIFEST_DIR");
        files = ["flask", "errors"]
            .iter()
            .map(|s| format!("{root}/bench/samples/{s}/rockcraft.yaml"))
            .collect();
    }
    // What the first analysis sets up for good (the schema, the patterns) is not the
    // document's: set it up before measuring.
    std::hint::black_box(analyze("name: warm-up\nparts:\n  p:\n    plugin: nil\n"));
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "| file | lines | kept B/line | text B/line | peak MiB | kept after an edit B/line | JSON B/line |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let lines = text.lines().count();
        let owned = text.clone();
        let (analysis, kept, peak) = measure(move || analyze(&owned));
        // A character typed in the middle of the file.
        let mut edited = text.clone();
        let mut at = edited.len() / 2;
        while !edited.is_char_boundary(at) {
            at -= 1;
        }
        let at = edited[at..].find('\n').map_or(at, |i| at + i);
        edited.insert(at, 'x');
        let (next, kept_next, _) = measure(|| analyze_after(&analysis, &edited, Cancel::NEVER));
        drop(analysis);
        let ((), json, _) = measure(|| {
            std::hint::black_box(next.doc.json());
        });
        let name = f.rsplit('/').nth(1).unwrap_or(&f).to_owned();
        let _ = writeln!(
            out,
            "| {name} | {lines} | {:.0} | {:.0} | {:.2} | {:.0} | {:.0} |",
            per_line(kept, lines),
            per_line(text.len(), lines),
            mib(peak),
            per_line(kept_next, lines),
            per_line(json, lines),
        );
    }
}
