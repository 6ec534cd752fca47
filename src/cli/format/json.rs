//! `check --format json`: a JSON array with one object per finding, written as the files are
//! checked (a hostile project can have hundreds of thousands of findings).

use serde_json::json;

use super::{FileFindings, Writer};
use crate::cli::render::location;

/// The JSON writer: how many items it has written so far.
#[derive(Debug, Default)]
pub struct Json {
    items: usize,
}

impl Writer for Json {
    fn start(&mut self) -> String {
        "[".into()
    }

    fn file(&mut self, f: FileFindings<'_>) -> String {
        let doc = f.doc;
        let mut out = String::new();
        for d in f.diagnostics {
            let (l1, c1) = location(doc, u32::from(d.range.start()));
            let (l2, c2) = location(doc, u32::from(d.range.end()));
            let item = json!({
                "path": f.path.display().to_string(),
                "range": {
                    "start": {"line": l1, "column": c1, "offset": u32::from(d.range.start())},
                    "end": {"line": l2, "column": c2, "offset": u32::from(d.range.end())},
                },
                "severity": d.severity.as_str(),
                "code": d.code,
                "message": d.message,
                "fixes": d.fixes.iter().map(|f| json!({
                    "title": f.title,
                    "edits": f.edits.iter().map(|e| json!({
                        "start": u32::from(e.range.start()),
                        "end": u32::from(e.range.end()),
                        "text": e.text,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            // Items of a pretty-printed array: indented by two spaces, comma-separated.
            let text = serde_json::to_string_pretty(&item).unwrap_or_default();
            out.push_str(if self.items == 0 { "\n" } else { ",\n" });
            for (i, line) in text.lines().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str("  ");
                out.push_str(line);
            }
            self.items += 1;
        }
        out
    }

    fn finish(&mut self) -> String {
        if self.items == 0 { "]\n" } else { "\n]\n" }.into()
    }
}
