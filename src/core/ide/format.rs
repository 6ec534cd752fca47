//! Formatting a `rockcraft.yaml` in the style `rockcraft init` writes (two-space indentation,
//! block sequences indented under their key), through the `pretty_yaml` formatter; a document
//! indented by four columns, or writing its lists in their key's column, keeps that. Quotes
//! are kept as written. Every comment is kept and the loaded value never changes: where the
//! formatter would change a multi-line scalar, its lines stay as written; a result that would
//! still read differently, or lose a comment, is refused.

mod blocks;

use std::panic::{AssertUnwindSafe, catch_unwind};

use pretty_yaml::config::{FormatOptions, LanguageOptions, LayoutOptions, LineBreak, Quotes};
use similar::{DiffOp, TextDiff};

use crate::core::diagnostic::Edit;
use crate::core::document::Document;
use crate::core::ide::edit::{DEFAULT_INDENTATION, apply_edits, indentation};
use crate::core::text::{TextRange, TextSize, line_start};
use crate::core::yaml::{NodeKind, ScalarStyle};

pub use blocks::{Cache, Thresholds, keep_meaning};

/// What the editor asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The editor's indentation width, used only for a document that shows no indentation of
    /// its own (one with nothing nested in a block).
    pub tab_size: Option<u32>,
}

/// Widest line before a flow collection is broken over several lines: wide enough that
/// nothing written on one line is re-wrapped.
const PRINT_WIDTH: usize = 10_000;

/// The edits that format `text`; `Ok(None)` when it is formatted already.
///
/// # Errors
/// The text cannot be formatted safely: its YAML has errors, or the formatted text would read
/// as a different value or lose a comment. The message says which.
pub fn format(text: &str) -> Result<Option<Vec<Edit>>, String> {
    format_document(&Document::parse(text), Options::default())
}

/// The edits that format the lines `range` touches in `text`; `Ok(None)` when they are
/// formatted already.
///
/// # Errors
/// As [`format`]; also when formatting only those lines would change what the document means
/// (half of a block re-indented, for instance).
pub fn format_range(text: &str, range: TextRange) -> Result<Option<Vec<Edit>>, String> {
    format_document_range(&Document::parse(text), range, Options::default())
}

/// [`format`] for a parsed document.
///
/// # Errors
/// As [`format`].
pub fn format_document(doc: &Document, options: Options) -> Result<Option<Vec<Edit>>, String> {
    if doc.text.trim().is_empty() {
        return Ok(None);
    }
    let formatted = formatted(doc, options)?;
    let edits = diff(&doc.text, &formatted);
    Ok((!edits.is_empty()).then_some(edits))
}

/// Documents from this size on are formatted block by block (see [`format_document_cached`]).
const BLOCKWISE_FROM: usize = 16 * 1024;

/// Where a large document is cut into blocks.
const THRESHOLDS: Thresholds = Thresholds {
    split_from: 4 * 1024,
};

/// [`format_document`], with a large document formatted block by block, each block's result
/// kept in `cache` for the next version: the same edits, but formatting a new version only
/// formats the blocks an edit touched, and no more than one block is ever held in the
/// formatter at once (see [`blocks`]).
///
/// # Errors
/// As [`format`].
pub fn format_document_cached(
    doc: &Document,
    options: Options,
    cache: &mut Cache,
) -> Result<Option<Vec<Edit>>, String> {
    if doc.text.len() < BLOCKWISE_FROM {
        return format_document(doc, options);
    }
    format_by_blocks(doc, options, cache, THRESHOLDS)
}

/// [`format_document`] block by block, cut at `thresholds`, whatever the document's size;
/// the whole document at once where it is not made of independent blocks.
///
/// # Errors
/// As [`format`].
pub fn format_by_blocks(
    doc: &Document,
    options: Options,
    cache: &mut Cache,
    thresholds: Thresholds,
) -> Result<Option<Vec<Edit>>, String> {
    if doc.text.trim().is_empty() {
        return Ok(None);
    }
    formattable(doc)?;
    let answer = match blocks::format(doc, &settings(doc, options), cache, thresholds) {
        Some(edits) if edits.is_empty() => None,
        // Each block was checked on its own; the whole is checked too, as formatting the
        // whole text would be.
        Some(edits) if verify(doc, &apply_edits(&doc.text, &edits)).is_ok() => Some(edits),
        _ => return format_document(doc, options),
    };
    cache.answered = true;
    Ok(answer)
}

/// [`format_range`] for a parsed document.
///
/// # Errors
/// As [`format_range`].
pub fn format_document_range(
    doc: &Document,
    range: TextRange,
    options: Options,
) -> Result<Option<Vec<Edit>>, String> {
    if doc.text.trim().is_empty() {
        return Ok(None);
    }
    let formatted = formatted(doc, options)?;
    edits_in_range(doc, &diff(&doc.text, &formatted), range)
}

/// The edits of `all` (the edits that format the whole of `doc`, as [`format_document`]
/// gives them) that lie on the lines `range` touches; `Ok(None)` when there are none.
///
/// # Errors
/// When making only those edits would change what the document means.
pub fn edits_in_range(
    doc: &Document,
    all: &[Edit],
    range: TextRange,
) -> Result<Option<Vec<Edit>>, String> {
    let edits = edits_on_lines(doc, all, range);
    if edits.is_empty() {
        return Ok(None);
    }
    // All of them make the whole formatted text, which was checked already. Else a large
    // document's blocks the edits touch are checked, and the whole text when that cannot
    // tell.
    if edits.len() < all.len()
        && !(doc.text.len() >= BLOCKWISE_FROM && blocks::keep_meaning(doc, &edits))
    {
        verify(doc, &apply_edits(&doc.text, &edits))
            .map_err(|why| format!("formatting only the selected lines {why}"))?;
    }
    Ok(Some(edits))
}

/// The edits of `all` that lie on the lines `range` touches.
#[must_use]
pub fn edits_on_lines(doc: &Document, all: &[Edit], range: TextRange) -> Vec<Edit> {
    let starts = line_starts(&doc.text);
    let (first, last) = line_span(&starts, range);
    let line_of = |offset: TextSize| {
        let o = usize::from(offset);
        starts.partition_point(|&s| s <= o).saturating_sub(1)
    };
    all.iter()
        .filter(|e| {
            let start = line_of(e.range.start());
            // An edit ending at the start of a line ends on the line before.
            let end = if e.range.is_empty() {
                start
            } else {
                line_of(e.range.end() - TextSize::from(1))
            };
            first <= start && end <= last
        })
        .cloned()
        .collect()
}

/// `options` reduced to what changes how `doc` is formatted: the editor's tab size counts only
/// for a document that shows no indentation of its own. Two requests whose options reduce to
/// the same get the same edits.
#[must_use]
pub fn effective_options(doc: &Document, options: Options) -> Options {
    if shows_indentation(doc) {
        return Options { tab_size: None };
    }
    let unit = options
        .tab_size
        .filter(|&t| t == 2 || t == 4)
        .or_else(|| u32::try_from(DEFAULT_INDENTATION.unit).ok());
    Options { tab_size: unit }
}

/// The formatted text of `doc`, checked to load as the same value with the same comments.
///
/// # Errors
/// As [`format`].
pub fn formatted(doc: &Document, options: Options) -> Result<String, String> {
    formattable(doc)?;
    print(doc, &settings(doc, options))
}

/// `Ok` when the formatter may take `doc`: its YAML has no errors and it is within the
/// formatter's limits; else why not.
fn formattable(doc: &Document) -> Result<(), String> {
    if let Some(e) = doc.yaml_errors.first() {
        return Err(format!(
            "the YAML has errors to fix first (line {}: {})",
            doc.line_number(e.range.start()),
            e.message
        ));
    }
    within_formatter_limits(doc)
}

/// `doc` (without YAML errors, within the formatter's limits) through the formatter with
/// `settings`, checked to load as the same value with the same comments.
///
/// # Errors
/// As [`format`].
fn print(doc: &Document, settings: &FormatOptions) -> Result<String, String> {
    let printed = run_formatter(&doc.text, settings)?;
    checked(doc, printed)
}

/// What the formatter makes of `text` with `settings`, unchecked.
///
/// # Errors
/// The formatter cannot read the text, or failed.
fn run_formatter(text: &str, settings: &FormatOptions) -> Result<String, String> {
    catch_unwind(AssertUnwindSafe(|| {
        pretty_yaml::format_text(text, settings)
    }))
    .map_err(|_| "the YAML formatter failed on this document".to_owned())?
    .map_err(|e| format!("the YAML formatter cannot read this document ({e})"))
}

/// `printed`, the formatter's text for `doc`, with the quotes `doc` was written with, once
/// checked to load as the same value with the same comments (where it would not, `doc` with
/// the changes outside its multi-line scalars, when that does).
///
/// # Errors
/// As [`format`].
fn checked(doc: &Document, printed: String) -> Result<String, String> {
    if *printed == *doc.text {
        return Ok(printed);
    }
    let parsed = Document::parse(&printed);
    let (out, parsed) = match restore_quotes(doc, &parsed) {
        Some(requoted) => {
            let reparsed = Document::parse(&requoted);
            (requoted, reparsed)
        }
        None => (printed, parsed),
    };
    if *out != *doc.text
        && let Err(why) = check(doc, &parsed)
    {
        return scalars_kept(doc, &out).ok_or_else(|| format!("formatting {why}"));
    }
    Ok(out)
}

/// `doc`'s text with the formatter's changes (`out`) made everywhere except on the lines of
/// its multi-line scalars, which stay as written; `None` when that too would read as a
/// different value. The formatter collapses blank lines and re-lays lines inside scalars
/// that hold them (a block scalar keeping its trailing lines, a quoted one across lines).
fn scalars_kept(doc: &Document, out: &str) -> Option<String> {
    let starts = line_starts(&doc.text);
    let line_of = |o: usize| starts.partition_point(|&s| s <= o).saturating_sub(1);
    // Whether each line belongs to a scalar written over several lines.
    let mut kept = vec![false; starts.len()];
    for (span, n) in doc.tree.nodes.spanned() {
        if !matches!(n.kind, NodeKind::Scalar(_)) {
            continue;
        }
        let (s, e) = (usize::from(span.start()), usize::from(span.end()));
        let (first, last) = (line_of(s), line_of(e.saturating_sub(1).max(s)));
        if last > first {
            for k in &mut kept[first..=last] {
                *k = true;
            }
        }
    }
    if !kept.contains(&true) {
        return None;
    }
    let edits: Vec<Edit> = diff(&doc.text, out)
        .into_iter()
        .filter(|e| {
            let s = usize::from(e.range.start());
            let (first, last) = (
                line_of(s),
                line_of(usize::from(e.range.end()).saturating_sub(1).max(s)),
            );
            !kept[first..=last].contains(&true)
        })
        .collect();
    let text = apply_edits(&doc.text, &edits);
    verify(doc, &text).ok().map(|()| text)
}

/// How deeply collections may nest, and from which column a node may start, for the formatter
/// to take the document: its reader recurses once per level and tracks indentation columns
/// up to 63 only. Real projects stay far below both.
const MAX_FORMAT_DEPTH: usize = 40;
const MAX_FORMAT_COLUMN: usize = 56;

/// `Ok` when the formatter can take `doc`, else why not.
fn within_formatter_limits(doc: &Document) -> Result<(), String> {
    for (span, node) in doc.tree.nodes.spanned() {
        let mut depth = 0;
        let mut up = node.parent;
        while let Some(p) = up {
            depth += 1;
            if depth > MAX_FORMAT_DEPTH {
                return Err(format!(
                    "the document nests more than {MAX_FORMAT_DEPTH} levels deep, more than the formatter takes"
                ));
            }
            up = doc.tree.node(p).parent;
        }
        // The indentation of the line the node starts on.
        let start = usize::from(span.start());
        let line = &doc.text[line_start(&doc.text, start)..];
        let own = line.len() - line.trim_start_matches(' ').len();
        if own > MAX_FORMAT_COLUMN {
            return Err(format!(
                "line {} is indented by more than {MAX_FORMAT_COLUMN} columns, more than the formatter takes",
                doc.line_number(span.start())
            ));
        }
    }
    Ok(())
}

/// The formatter's settings for `doc`: its own indentation when it is two or four columns,
/// the editor's (two or four) for a document that shows none, else two; block sequences
/// indented under their key unless the document writes them in its key's column; its line
/// breaks, quotes and single blank lines kept; nothing re-wrapped.
fn settings(doc: &Document, options: Options) -> FormatOptions {
    let usual = |w: usize| w == 2 || w == 4;
    let own = shows_indentation(doc).then(|| indentation(doc));
    let unit = own
        .map(|i| i.unit)
        .or_else(|| options.tab_size.and_then(|t| usize::try_from(t).ok()))
        .filter(|&w| usual(w))
        .unwrap_or(DEFAULT_INDENTATION.unit);
    let indentless = own.is_some_and(|i| i.sequence == 0);
    let crlf = doc
        .text
        .find('\n')
        .is_some_and(|i| doc.text[..i].ends_with('\r'));
    FormatOptions {
        layout: LayoutOptions {
            print_width: PRINT_WIDTH,
            indent_width: unit,
            line_break: if crlf { LineBreak::Crlf } else { LineBreak::Lf },
        },
        language: LanguageOptions {
            // Single-quoted scalars the formatter turns double are put back (see
            // `restore_quotes`); double-quoted ones it leaves alone with this setting.
            quotes: Quotes::PreferDouble,
            trailing_comma: false,
            format_comments: false,
            indent_block_sequence_in_map: !indentless,
            prefer_single_line: false,
            trim_trailing_zero: false,
            trim_trailing_whitespaces: false,
            ..LanguageOptions::default()
        },
    }
}

/// Whether something is nested in a block collection, so the document shows how it indents.
fn shows_indentation(doc: &Document) -> bool {
    doc.tree.nodes.iter().any(|n| {
        n.parent.is_some()
            && matches!(
                n.kind,
                NodeKind::Mapping { flow: false, .. } | NodeKind::Sequence { flow: false, .. }
            )
    })
}

/// The formatter's text (`printed`, parsed) with every scalar it re-quoted given back the
/// quotes it was written with; `None` when it re-quoted none. The formatter only turns
/// `'...'` into `"..."` when the text holds no quote or backslash, so only the two delimiters
/// change.
fn restore_quotes(doc: &Document, printed: &Document) -> Option<String> {
    let styles = |d: &Document| {
        d.tree
            .nodes
            .spanned()
            .filter_map(|(span, n)| match &n.kind {
                NodeKind::Scalar(s) => Some((span, s.style)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let (before, after) = (styles(doc), styles(printed));
    if before.len() != after.len() {
        return None;
    }
    let mut bytes = printed.text.as_bytes().to_vec();
    let mut changed = false;
    for ((_, was), (span, now)) in before.iter().zip(&after) {
        let (s, e) = (usize::from(span.start()), usize::from(span.end()));
        if *was != ScalarStyle::SingleQuoted || *now != ScalarStyle::DoubleQuoted || e < s + 2 {
            continue;
        }
        let Some(inner) = bytes.get(s + 1..e - 1) else {
            continue;
        };
        if bytes[s] == b'"' && bytes[e - 1] == b'"' && !inner.contains(&b'\\') {
            bytes[s] = b'\'';
            bytes[e - 1] = b'\'';
            changed = true;
        }
    }
    // Only ASCII quote bytes were swapped for ASCII quote bytes.
    changed.then(|| String::from_utf8(bytes).ok()).flatten()
}

/// `Ok` when `text` loads as the same value as `doc` and holds the same comments; otherwise
/// what would go wrong, as the end of a sentence.
fn verify(doc: &Document, text: &str) -> Result<(), String> {
    check(doc, &Document::parse(text))
}

/// [`verify`] for a parsed text.
fn check(doc: &Document, out: &Document) -> Result<(), String> {
    if !out.yaml_errors.is_empty() {
        return Err("would break the YAML; the document is left as it is".to_owned());
    }
    if out.json_once() != doc.json_once() {
        return Err("would change what the YAML means; the document is left as it is".to_owned());
    }
    if comment_texts(out) != comment_texts(doc) {
        return Err("would change a comment; the document is left as it is".to_owned());
    }
    Ok(())
}

/// The texts of `doc`'s comments, sorted.
fn comment_texts(doc: &Document) -> Vec<&str> {
    let mut v: Vec<&str> = doc
        .tree
        .comments
        .iter()
        .map(|c| c.text.trim_end())
        .collect();
    v.sort_unstable();
    v
}

/// The lines `range` touches, first and last (0-based), from where each line starts (as
/// [`line_starts`] gives them); a range that ends at the start of a line does not touch that
/// line.
fn line_span(starts: &[usize], range: TextRange) -> (usize, usize) {
    let line_of = |o: usize| starts.partition_point(|&s| s <= o).saturating_sub(1);
    let first = line_of(usize::from(range.start()));
    let end = usize::from(range.end());
    let last = if end > usize::from(range.start()) && starts.contains(&end) {
        line_of(end - 1)
    } else {
        line_of(end)
    };
    (first, last.max(first))
}

/// The byte offset where each line starts, and the text's length last.
fn line_starts(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    if v.last() != Some(&text.len()) {
        v.push(text.len());
    }
    v
}

/// The edits that turn `old` into `new`: one per changed line where lines are only changed,
/// one per run of lines where lines are added or removed, each trimmed to what differs, so
/// the editor's cursor stays put.
fn diff(old: &str, new: &str) -> Vec<Edit> {
    if old == new {
        return Vec::new();
    }
    let (old_starts, new_starts) = (line_starts(old), line_starts(new));
    let lines_diff = TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .diff_lines(old, new);
    let mut edits = Vec::new();
    let mut push = |o: (usize, usize), n: (usize, usize)| {
        let span = |starts: &[usize], (i, len): (usize, usize)| {
            let at = |k: usize| {
                starts
                    .get(k)
                    .copied()
                    .unwrap_or(*starts.last().unwrap_or(&0))
            };
            at(i)..at(i + len)
        };
        let (a, b) = (span(&old_starts, o), span(&new_starts, n));
        if let Some(e) = trimmed(old, a, &new[b]) {
            edits.push(e);
        }
    };
    for op in lines_diff.ops() {
        match *op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => push((old_index, old_len), (new_index, 0)),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => push((old_index, 0), (new_index, new_len)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } if old_len == new_len => {
                for k in 0..old_len {
                    push((old_index + k, 1), (new_index + k, 1));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => push((old_index, old_len), (new_index, new_len)),
        }
    }
    edits
}

/// The edit replacing `old[range]` by `new`, without the start and end they share.
fn trimmed(old: &str, range: std::ops::Range<usize>, new: &str) -> Option<Edit> {
    let before = old.get(range.clone())?;
    if before == new {
        return None;
    }
    let prefix: usize = before
        .chars()
        .zip(new.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let (b_rest, n_rest) = (&before[prefix..], &new[prefix..]);
    let suffix: usize = b_rest
        .chars()
        .rev()
        .zip(n_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let size = |v: usize| TextSize::from(u32::try_from(v).unwrap_or(u32::MAX));
    Some(Edit {
        range: TextRange::new(size(range.start + prefix), size(range.end - suffix)),
        text: n_rest[..n_rest.len() - suffix].to_owned(),
    })
}

#[cfg(test)]
mod tests;
