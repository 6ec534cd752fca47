//! Times the per-edit analysis (parse, schema validation, rules) on the bundled samples and on
//! a large generated file, and the analysis of an edit made from the previous analysis (a
//! character typed at the end of the middle line), with the part of it a request waits for
//! (the reparse of the edited text). Run: `cargo bench --bench analyze [-- FILE...]`.

use std::io::Write as _;
use std::time::{Duration, Instant};

use rockcraft_lsp::core::analysis::{analyze, analyze_after, diagnose};
use rockcraft_lsp::core::cancel::Cancel;
use rockcraft_lsp::core::document::Document;
use rockcraft_lsp::core::rules;
use rockcraft_lsp::core::schema::validate::validate;

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e6
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
        "| file | bytes | parse µs | schema µs | rules µs | total µs | edit µs | edit reparse µs |"
    );
    let _ = writeln!(std::io::stdout(), "|---|---|---|---|---|---|---|---|");
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let runs = if text.len() > 100_000 { 20 } else { 300 };
        let (mut p, mut s, mut r, mut t) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut e, mut re) = (Vec::new(), Vec::new());
        let mut middle = text.len() / 2;
        while !text.is_char_boundary(middle) {
            middle -= 1;
        }
        let middle = text[middle..].find('\n').map_or(middle, |i| middle + i);
        let mut previous = analyze(&text);
        let mut current = text.clone();
        for _ in 0..runs {
            let t0 = Instant::now();
            let doc = Document::parse(&text);
            p.push(t0.elapsed());
            let t1 = Instant::now();
            std::hint::black_box(validate(&doc));
            s.push(t1.elapsed());
            let t2 = Instant::now();
            let mut out = Vec::new();
            rules::check(&doc, &mut out);
            r.push(t2.elapsed());
            let t3 = Instant::now();
            std::hint::black_box(diagnose(&Document::parse(&text)));
            t.push(t3.elapsed());
            // Type a character, or delete the one typed before.
            if current.len() == text.len() {
                current.insert(middle, 'x');
            } else {
                current.remove(middle);
            }
            let t5 = Instant::now();
            std::hint::black_box(previous.doc.reparse(&current));
            re.push(t5.elapsed());
            let t4 = Instant::now();
            let next = analyze_after(&previous, &current, Cancel::NEVER);
            e.push(t4.elapsed());
            previous = next;
        }
        let name = f.rsplit('/').nth(1).unwrap_or(&f).to_owned();
        let _ = writeln!(
            std::io::stdout(),
            "| {name} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
            text.len(),
            median(p),
            median(s),
            median(r),
            median(t),
            median(e),
            median(re)
        );
    }
}
