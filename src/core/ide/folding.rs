//! Folding ranges: every mapping entry, list item and block scalar that spans several lines,
//! and every block of two or more whole-line comments, following the YAML tree.

use crate::core::document::Document;
use crate::core::text::{TextRange, TextSize, line_start};
use crate::core::yaml::{NodeId, NodeKind};

/// What a fold hides (the server maps it to the protocol's folding range kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    /// A mapping entry, list item or block scalar.
    Region,
    /// Consecutive whole-line comments.
    Comment,
}

/// One foldable range: from the first byte of its first line's content to the last
/// non-blank byte of its content, with the (0-based) lines it starts and ends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub first_line: u32,
    pub last_line: u32,
    pub kind: FoldKind,
}

/// The folds of `doc`, ordered by where they start, at most `limit` of them (and never more
/// than [`MAX_FOLDS`]; a huge file keeps its outermost ones). Only ranges that end on a later
/// line than they start are returned, one per first line (the outermost); the walk is
/// iterative, so any nesting depth is safe.
#[must_use]
pub fn folding_ranges(doc: &Document, limit: Option<usize>) -> Vec<Fold> {
    let mut out = Vec::new();
    // Each node waits with a line at or before its own (where the search for its lines
    // starts); children are visited in order, so the folds come out (almost) sorted, which
    // makes the sort below a linear pass.
    let mut stack: Vec<(NodeId, u32)> = doc.tree.root.into_iter().map(|r| (r, 0)).collect();
    while let Some((id, mut hint)) = stack.pop() {
        let first_child = stack.len();
        match &doc.tree.node(id).kind {
            NodeKind::Mapping { entries, .. } => {
                for e in entries.iter() {
                    let end = doc
                        .content_range(doc.range(e.value))
                        .end()
                        .max(doc.range(e.key).end());
                    let start = doc.range(e.key).start();
                    hint = push_region(doc, &mut out, hint, start, end).unwrap_or(hint);
                    stack.push((e.value, hint));
                }
            }
            NodeKind::Sequence { items, .. } => {
                for &item in items.iter() {
                    let span = doc.range(item);
                    let end = doc.content_range(span).end();
                    hint = push_region(doc, &mut out, hint, span.start(), end).unwrap_or(hint);
                    stack.push((item, hint));
                }
            }
            NodeKind::Scalar(_) | NodeKind::Alias { .. } => {}
        }
        stack[first_child..].reverse();
    }
    comment_blocks(doc, &mut out);
    out.sort_by_key(|f| (f.range.start(), std::cmp::Reverse(f.range.end())));
    // One fold per first line (the outermost): editors fold by line.
    out.dedup_by_key(|f| f.first_line);
    let limit = limit.map_or(MAX_FOLDS, |n| n.min(MAX_FOLDS));
    if out.len() > limit {
        keep_outermost(&mut out, limit);
    }
    out
}

/// The most folds answered (as many as VS Code shows): a huge file keeps its outer ones.
pub const MAX_FOLDS: usize = 5000;

/// Keeps the `n` least nested of `folds` (sorted by start), in order.
fn keep_outermost(folds: &mut Vec<Fold>, n: usize) {
    let mut open: Vec<TextSize> = Vec::new();
    let mut depth = Vec::with_capacity(folds.len());
    for f in folds.iter() {
        while open.last().is_some_and(|end| *end < f.range.start()) {
            open.pop();
        }
        depth.push(open.len());
        open.push(f.range.end());
    }
    let mut order: Vec<usize> = (0..folds.len()).collect();
    order.sort_by_key(|&i| (depth[i], i));
    let mut kept: Vec<usize> = order.into_iter().take(n).collect();
    kept.sort_unstable();
    let all = std::mem::take(folds);
    folds.extend(kept.into_iter().map(|i| all[i]));
}

/// Adds the region from `start` to `end` when it spans several lines; returns the line it
/// starts on then. `hint` is a line at or before `start`'s.
fn push_region(
    doc: &Document,
    out: &mut Vec<Fold>,
    hint: u32,
    start: TextSize,
    end: TextSize,
) -> Option<u32> {
    // Most candidates (scalar items, one-line entries) end on their first line: a scan to the
    // first line break tells so without looking the lines up.
    let one_line = doc
        .text
        .get(usize::from(start)..usize::from(end))
        .is_none_or(|s| !s.bytes().any(|b| b == b'\n' || b == b'\r'));
    if end <= start || one_line {
        return None;
    }
    let first_line = doc.lines.line_of_from(hint, start.into());
    let last_line = doc.lines.line_of_from(first_line, end.into());
    if last_line <= first_line {
        return None;
    }
    out.push(Fold {
        range: TextRange::new(start, end),
        first_line,
        last_line,
        kind: FoldKind::Region,
    });
    Some(first_line)
}

/// Runs of two or more comments, each alone on its line, on consecutive lines.
fn comment_blocks(doc: &Document, out: &mut Vec<Fold>) {
    let mut run: Option<(TextRange, u32)> = None;
    for c in &doc.tree.comments {
        let start = usize::from(c.span.start());
        let alone = doc.text[line_start(&doc.text, start)..start]
            .chars()
            .all(char::is_whitespace);
        if !alone {
            continue;
        }
        let line = doc.lines.line_of(c.span.start().into());
        run = match run {
            Some((range, last)) if line == last + 1 => Some((range.cover(c.span), line)),
            other => {
                flush_comments(doc, out, other);
                Some((c.span, line))
            }
        };
    }
    flush_comments(doc, out, run);
}

fn flush_comments(doc: &Document, out: &mut Vec<Fold>, run: Option<(TextRange, u32)>) {
    if let Some((range, last)) = run {
        let first = doc.lines.line_of(range.start().into());
        if last > first {
            out.push(Fold {
                range,
                first_line: first,
                last_line: last,
                kind: FoldKind::Comment,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folds of `text` as `first-last kind` lines (1-based), for readable assertions.
    fn folds(text: &str) -> Vec<String> {
        let doc = Document::parse(text);
        folding_ranges(&doc, None)
            .iter()
            .map(|f| {
                let (a, _) = doc.line_col(f.range.start().into());
                let (b, _) = doc.line_col(f.range.end().into());
                format!("{a}-{b} {:?}", f.kind)
            })
            .collect()
    }

    #[test]
    fn entries_items_and_block_scalars_fold() {
        let text = "\
name: app
parts:
  p:
    plugin: nil
    override-build: |
      one
      two

    stage:
      - a
      - b
  q: {plugin: nil,
      source: .}
services:
  - first: 1
    second: 2
";
        assert_eq!(
            folds(text),
            [
                "2-13 Region",  // parts
                "3-11 Region",  // p, without the blank line inside it at the end of the scalar
                "5-7 Region",   // override-build's block scalar
                "9-11 Region",  // stage
                "12-13 Region", // a flow mapping over two lines
                "14-16 Region", // services
                "15-16 Region", // a list item of two lines
            ]
        );
    }

    #[test]
    fn comment_blocks_fold_and_trailing_comments_do_not() {
        let text = "\
# one
# two
name: app # trailing
# alone
base: bare
  # three
  # four
";
        assert_eq!(folds(text), ["1-2 Comment", "6-7 Comment"]);
    }

    #[test]
    fn a_huge_file_keeps_its_outer_folds() {
        use std::fmt::Write as _;
        let mut text = String::from("parts:\n");
        for i in 0..3000 {
            let _ = write!(text, "  p{i}:\n    stage:\n      - a\n      - b\n");
        }
        let doc = Document::parse(&text);
        let f = folding_ranges(&doc, None);
        assert_eq!(f.len(), MAX_FOLDS);
        assert_eq!(
            doc.line_col(f[0].range.start().into()).0,
            1,
            "parts: is kept"
        );
        // Every part (depth 1) is kept before any of their lists (depth 2).
        let parts = f
            .iter()
            .filter(|x| doc.text_at(x.range).starts_with('p'))
            .count();
        assert_eq!(parts, 3001);
        // A client's smaller limit is kept too, outermost first.
        let few = folding_ranges(&doc, Some(3));
        let starts: Vec<u32> = few.iter().map(|f| f.first_line).collect();
        assert_eq!(starts, [0, 1, 5]);
        assert!(folding_ranges(&doc, Some(0)).is_empty());
        assert_eq!(folding_ranges(&doc, Some(1_000_000)).len(), MAX_FOLDS);
    }

    #[test]
    fn broken_and_deep_input_fold_without_panicking() {
        assert!(folds("parts:\n  p:\n    plugin: [nil\n").len() <= 3);
        let deep = "a:\n".to_owned() + &"- ".repeat(5000) + "x\n";
        let _ = folds(&deep);
        assert!(folds("").is_empty());
        assert!(folds("\u{feff}").is_empty());
    }
}
