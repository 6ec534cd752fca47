//! Times the whole-document requests (folding ranges, outline, inlay hints) on a file, split
//! into the core work, the protocol values and the JSON text the reply becomes: written
//! directly, as the server writes these replies (`server::raw_reply`), and through a
//! `serde_json::Value` tree and back, as tower-lsp-server writes every other result.
//! Run: `cargo bench --bench requests [-- FILE...]` (default: the sample `bench/gen_large.py`
//! writes to `target/bench/large/rockcraft.yaml`).

use std::io::Write as _;
use std::time::{Duration, Instant};

use rockcraft_lsp::core::document::Document;
use rockcraft_lsp::core::ide::{self, inlay};
use rockcraft_lsp::core::text::{Encoding, Lines, TextRange, TextSize};
use rockcraft_lsp::server::convert::{self, LineMap};
use tower_lsp_server::ls_types::{
    FoldingRange, FoldingRangeKind, InlayHint, InlayHintKind, InlayHintLabel, InlayHintTooltip,
};

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e3
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut v = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(std::hint::black_box(f()));
        v.push(t.elapsed());
    }
    (median(v), last.expect("runs > 0"))
}

fn report<T: serde::Serialize>(name: &str, core_ms: f64, lsp_ms: f64, value: &T) {
    let (direct, text) = time(20, || serde_json::to_vec(value).unwrap_or_default());
    let (tree, ()) = time(20, || {
        let v = serde_json::to_value(value).ok();
        drop(std::hint::black_box(v.as_ref().map(ToString::to_string)));
    });
    let _ = writeln!(
        std::io::stdout(),
        "| {name} | {core_ms:.2} | {lsp_ms:.2} | {direct:.2} | {tree:.2} | {} |",
        text.len()
    );
}

fn main() {
    let files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let files = if files.is_empty() {
        vec![format!(
            "{}/target/bench/large/rockcraft.yaml",
            env!("CARGO_MANIFEST_DIR")
        )]
    } else {
        files
    };
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let doc = Document::parse(&text);
        let lines = Lines::new(&text);
        let map = LineMap::new(&text, &lines, Encoding::Utf16);
        let _ = writeln!(
            std::io::stdout(),
            "{f}\n| request | core ms | protocol values ms | JSON text ms | through a Value ms | bytes |\n|---|---|---|---|---|---|"
        );
        let (core, folds) = time(20, || ide::folding_ranges(&doc, None));
        let (lsp, reply) = time(20, || {
            folds
                .iter()
                .map(|f| FoldingRange {
                    start_line: f.first_line,
                    start_character: None,
                    end_line: f.last_line,
                    end_character: None,
                    kind: Some(FoldingRangeKind::Region),
                    collapsed_text: None,
                })
                .collect::<Vec<_>>()
        });
        report("folding", core, lsp, &reply);
        let (core, syms) = time(20, || ide::symbols(&doc));
        let (lsp, reply) = time(20, || {
            syms.iter()
                .map(|s| convert::document_symbol(&map, s))
                .collect::<Vec<_>>()
        });
        report("outline", core, lsp, &reply);
        let all = TextRange::up_to(TextSize::try_from(text.len()).unwrap_or_default());
        let (core, hints) = time(20, || {
            inlay::inlay_hints(&doc, None, all, inlay::HintKinds::default())
        });
        let (lsp, reply) = time(20, || {
            hints
                .iter()
                .map(|h| InlayHint {
                    position: map.position(h.offset),
                    label: InlayHintLabel::String(h.label.clone()),
                    kind: Some(InlayHintKind::TYPE),
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::String(h.tooltip.clone())),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect::<Vec<_>>()
        });
        report("inlay", core, lsp, &reply);
    }
}
