//! Times formatting (the formatter, the diff into edits and the check that the meaning and
//! comments are kept) on the bundled samples and any files given, already formatted and with
//! every line's spacing disturbed, formatting the whole text at once and block by block (from
//! nothing, and for a version one edit away from one formatted before). Run:
//! `cargo bench --bench format [-- FILE...]`.

use std::io::Write as _;
use std::time::{Duration, Instant};

use rockcraft_lsp::core::document::Document;
use rockcraft_lsp::core::ide::edit::apply_edits;
use rockcraft_lsp::core::ide::format::{
    Cache, Options, Thresholds, edits_in_range, format_by_blocks, format_document,
};
use rockcraft_lsp::core::text::{TextRange, TextSize};

fn size(v: usize) -> TextSize {
    TextSize::from(u32::try_from(v).unwrap_or(u32::MAX))
}

/// Where the bench cuts documents into blocks: as the server does for large ones.
const BLOCKS: Thresholds = Thresholds {
    split_from: 4 * 1024,
};

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
        "| file | lines | as is ms | disturbed ms | edits | blocks: as is ms | after an edit ms | disturbed ms | after an edit ms | same result | range of 20 lines ms |"
    );
    let _ = writeln!(
        std::io::stdout(),
        "|---|---|---|---|---|---|---|---|---|---|---|"
    );
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
        // Block by block: from an empty cache, then one character typed in the middle of
        // the text with the cache of its formatting.
        let (mut b_clean, mut b_dirty) = (Vec::new(), Vec::new());
        let (mut b_edit_clean, mut b_edit) = (Vec::new(), Vec::new());
        let half = middle_line(&messy);
        let edited = Document::parse(&typed_in_middle(&messy));
        let edited_clean = Document::parse(&typed_in_middle(&text));
        let mut same = true;
        for _ in 0..runs {
            let t0 = Instant::now();
            std::hint::black_box(
                format_by_blocks(&doc, Options::default(), &mut Cache::default(), BLOCKS).ok(),
            );
            b_clean.push(t0.elapsed());
            let mut cache = Cache::default();
            let _ = format_by_blocks(&doc, Options::default(), &mut cache, BLOCKS);
            let t3 = Instant::now();
            let out = format_by_blocks(&edited_clean, Options::default(), &mut cache, BLOCKS);
            b_edit_clean.push(t3.elapsed());
            same &= applied(&edited_clean.text, out)
                == applied(
                    &edited_clean.text,
                    format_document(&edited_clean, Options::default()),
                );
            let mut cache = Cache::default();
            let t1 = Instant::now();
            let out = format_by_blocks(&messy_doc, Options::default(), &mut cache, BLOCKS);
            b_dirty.push(t1.elapsed());
            same &= applied(&messy, out)
                == applied(&messy, format_document(&messy_doc, Options::default()));
            let t2 = Instant::now();
            let out = format_by_blocks(&edited, Options::default(), &mut cache, BLOCKS);
            b_edit.push(t2.elapsed());
            same &= applied(&edited.text, out)
                == applied(&edited.text, format_document(&edited, Options::default()));
        }
        // Twenty lines from the middle of the disturbed text, from its whole formatting.
        let all = format_document(&messy_doc, Options::default())
            .ok()
            .flatten()
            .unwrap_or_default();
        let to = messy[half..]
            .match_indices('\n')
            .nth(20)
            .map_or(messy.len(), |(i, _)| half + i);
        let range = TextRange::new(size(half), size(to));
        let mut ranged = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            std::hint::black_box(edits_in_range(&messy_doc, &all, range).ok());
            ranged.push(t.elapsed());
        }
        let name = f.rsplit('/').nth(1).unwrap_or(&f).to_owned();
        let _ = writeln!(
            std::io::stdout(),
            "| {name} | {} | {:.2} | {:.2} | {edits} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {:.2} |",
            text.lines().count(),
            median(clean),
            median(dirty),
            median(b_clean),
            median(b_edit_clean),
            median(b_dirty),
            median(b_edit),
            if same { "yes" } else { "NO" },
            median(ranged),
        );
    }
}

/// Where the line after the middle of `text` starts.
fn middle_line(text: &str) -> usize {
    text.match_indices('\n')
        .nth(text.lines().count() / 2)
        .map_or(0, |(i, _)| i)
}

/// `text` with an `x` typed at the end of the first line after the middle that gives a key a
/// plain value.
fn typed_in_middle(text: &str) -> String {
    let half = middle_line(text);
    let at = text[half..]
        .split_inclusive('\n')
        .scan(half, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })
        .find(|(_, l)| l.contains(": ") && !l.trim_end().ends_with(['|', '>', ':', '\'', '"']))
        .map_or(half, |(start, l)| start + l.trim_end().len());
    format!("{}x{}", &text[..at], &text[at..])
}

/// The text formatting gives, or why it refused.
fn applied(
    text: &str,
    out: Result<Option<Vec<rockcraft_lsp::core::diagnostic::Edit>>, String>,
) -> Result<String, String> {
    out.map(|e| e.map_or_else(|| text.to_owned(), |e| apply_edits(text, &e)))
}
