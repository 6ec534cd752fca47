//! Times formatting (the formatter, the diff into edits and the check that the meaning and
//! comments are kept) on the bundled samples and any files given, already formatted and with
//! every line's spacing disturbed. Run: `cargo bench --bench format [-- FILE...]`.

use std::io::Write as _;
use std::time::{Duration, Instant};

use rockcraft_lsp::core::document::Document;
use rockcraft_lsp::core::ide::format::{Options, format_document};

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e3
}

/// `text` with two spaces after every `key:` that has a value on its line.
fn disturbed(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.trim_start().starts_with('#') {
                l.to_owned()
            } else {
                l.replacen(": ", ":   ", 1)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn main() {
    let mut files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if files.is_empty() {
        let root = env!("CARGO_MANIFEST_DIR");
        files = ["flask", "flask-edited", "errors"]
            .iter()
            .map(|s| format!("{root}/bench/samples/{s}/rockcraft.yaml"))
            .collect();
    }
    let _ = writeln!(
        std::io::stdout(),
        "| file | lines | as is ms | disturbed ms | edits |"
    );
    let _ = writeln!(std::io::stdout(), "|---|---|---|---|---|");
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let messy = disturbed(&text);
        let runs = if text.len() > 100_000 { 5 } else { 100 };
        let (mut clean, mut dirty, mut edits) = (Vec::new(), Vec::new(), 0);
        let (doc, messy_doc) = (Document::parse(&text), Document::parse(&messy));
        for _ in 0..runs {
            let t0 = Instant::now();
            std::hint::black_box(format_document(&doc, Options::default()).ok());
            clean.push(t0.elapsed());
            let t1 = Instant::now();
            let out = format_document(&messy_doc, Options::default());
            dirty.push(t1.elapsed());
            edits = out.ok().flatten().map_or(0, |e| e.len());
        }
        let name = f.rsplit('/').nth(1).unwrap_or(&f).to_owned();
        let _ = writeln!(
            std::io::stdout(),
            "| {name} | {} | {:.2} | {:.2} | {edits} |",
            text.lines().count(),
            median(clean),
            median(dirty),
        );
    }
}
