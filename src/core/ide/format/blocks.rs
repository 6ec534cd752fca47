//! Formatting a large document block by block, each block remembered between versions.
//!
//! The entries of the root mapping are independent blocks of lines, and so are the entries
//! of a large block mapping under one of them (the parts of `parts:`). Each block goes
//! through the formatter on its own, as a small document (a nested entry under its parent's
//! key line), checked like a whole document; the results are kept in a [`Cache`] keyed by the
//! block's text, so formatting the next version of a document formats only the blocks an
//! edit touched, and no formatting ever holds more than one block's syntax tree.
//!
//! The result is the one formatting the whole text gives (a test compares the two over every
//! project the tests hold). Whenever a block cannot be formatted on its own (it does not read
//! cleanly alone, or the formatter refuses it), or the document is not cut into such blocks
//! (tabs, carriage returns, document markers, a root that is not a block mapping, keys not
//! at the start of their line), [`format`] declines and the whole text is formatted.

use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::ops::Range;

use pretty_yaml::config::FormatOptions;
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::{checked, diff, run_formatter};
use crate::core::diagnostic::Edit;
use crate::core::document::Document;
use crate::core::text::{TextRange, TextSize, line_start};
use crate::core::yaml::{Entry, NodeKind, ScalarStyle};

/// What formatting blocks gave, by a hash of the block's text and the settings: kept between
/// versions of one document so that only the blocks an edit touched are formatted again.
/// Holds the results of the latest formatting's blocks only.
#[derive(Debug, Default)]
pub struct Cache {
    kept: FxHashMap<u64, Kept>,
    /// How many blocks the latest formatting took from the cache.
    reused: usize,
    /// Whether the latest formatting's answer came from its blocks (not from formatting the
    /// whole text, when the document is not cut into blocks or its blocks' result failed the
    /// whole document's check).
    pub(super) answered: bool,
}

impl Cache {
    /// How many blocks' results are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// How many blocks the latest formatting took from the cache instead of formatting them.
    #[must_use]
    pub fn reused(&self) -> usize {
        self.reused
    }

    /// Whether the latest formatting's answer came from its blocks.
    #[must_use]
    pub fn answered(&self) -> bool {
        self.answered
    }

    /// Whether no block's result is kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}

/// One block's result. Only a block the formatter changed keeps its text, so that a hash
/// collision can at worst leave a block unformatted, never replace it by another's.
#[derive(Debug)]
enum Kept {
    Same,
    Changed {
        original: Box<str>,
        formatted: Box<str>,
    },
}

/// Where the blocks of a document are, and which are cut further.
#[derive(Clone, Copy, Debug)]
pub struct Thresholds {
    /// Root entries whose block mapping value spans at least this many bytes are cut into
    /// their entries.
    pub split_from: usize,
}

/// A block of lines formatted on its own: the text `prefix` + `text[body]`, where `prefix`
/// is the parent's key line for a nested entry (empty for a root entry). `trailing` is the
/// range of blank lines after the body, which the formatter leaves as one.
struct Piece<'a> {
    prefix: &'a str,
    body: Range<usize>,
    trailing: Range<usize>,
}

/// A block as the formatter leaves it.
enum Printed {
    Same,
    /// The formatted text, prefix included.
    Changed(String),
}

/// The edits that format `doc` (no YAML errors, within the formatter's limits) with
/// `settings`, block by block with `cache`; `None` when the document cannot be formatted
/// that way (see the module documentation).
pub(super) fn format(
    doc: &Document,
    settings: &FormatOptions,
    cache: &mut Cache,
    thresholds: Thresholds,
) -> Option<Vec<Edit>> {
    cache.answered = false;
    let units = units(doc, thresholds)?;
    // The previous results are moved, not copied, into the new cache as blocks reuse them;
    // when the document cannot be formatted by blocks, the cache keeps them all.
    let mut previous = std::mem::take(&mut cache.kept);
    let mut kept = FxHashMap::with_capacity_and_hasher(previous.len(), FxBuildHasher);
    let mut reused = Vec::new();
    let edits = edits_of(doc, &units, settings, &mut previous, &mut kept, &mut reused);
    if edits.is_some() {
        cache.kept = kept;
        cache.reused = reused.len();
    } else {
        // As it was: the results taken from it go back.
        for key in reused {
            if let Some(k) = kept.remove(&key) {
                previous.insert(key, k);
            }
        }
        cache.kept = previous;
    }
    edits
}

/// The edits that format `units`, each block's result moved from `previous` into `kept`
/// (its key noted in `reused`) when it was formatted before, else formatted now and put
/// there; `None` when a block cannot be formatted on its own.
fn edits_of(
    doc: &Document,
    units: &[Unit<'_>],
    settings: &FormatOptions,
    previous: &mut FxHashMap<u64, Kept>,
    kept: &mut FxHashMap<u64, Kept>,
    reused: &mut Vec<u64>,
) -> Option<Vec<Edit>> {
    let salt = settings_hash(settings);
    let mut edits = Vec::new();
    let last = units.len().saturating_sub(1);
    for (i, unit) in units.iter().enumerate() {
        match unit {
            Unit::Whole(piece) => {
                let printed = printed(doc, piece, settings, salt, previous, kept, reused)?;
                let old = piece.body.start..piece.trailing.end;
                let new = match &printed {
                    Printed::Same if piece.trailing.is_empty() => continue,
                    Printed::Same => &doc.text[piece.body.clone()],
                    Printed::Changed(text) => text.as_str(),
                };
                push_diff(
                    &doc.text,
                    old,
                    new,
                    i < last && !piece.trailing.is_empty(),
                    &mut edits,
                );
            }
            Unit::Split { header, children } => {
                // The header line as the formatter writes it, the same above every child.
                let mut header_out: Option<&str> = None;
                let mut outs = Vec::with_capacity(children.len());
                for piece in children {
                    outs.push(printed(doc, piece, settings, salt, previous, kept, reused)?);
                }
                for (piece, out) in children.iter().zip(&outs) {
                    let first = match out {
                        Printed::Same => piece.prefix,
                        Printed::Changed(text) => {
                            let end = text.find('\n').map_or(text.len(), |i| i + 1);
                            &text[..end]
                        }
                    };
                    match header_out {
                        None => header_out = Some(first),
                        Some(h) if h == first => {}
                        Some(_) => return None,
                    }
                }
                let header_out = header_out?;
                push_diff(&doc.text, header.clone(), header_out, false, &mut edits);
                let count = children.len();
                for (k, (piece, out)) in children.iter().zip(&outs).enumerate() {
                    let body_out = match out {
                        Printed::Same if piece.trailing.is_empty() => continue,
                        Printed::Same => &doc.text[piece.body.clone()],
                        Printed::Changed(text) => &text[header_out.len().min(text.len())..],
                    };
                    let blank = !piece.trailing.is_empty() && (i < last || k + 1 < count);
                    push_diff(
                        &doc.text,
                        piece.body.start..piece.trailing.end,
                        body_out,
                        blank,
                        &mut edits,
                    );
                }
            }
        }
    }
    Some(edits)
}

/// Whether making `edits` (some of the edits that format `doc`, sorted, not overlapping)
/// keeps what `doc` means and its comments, told from the blocks they touch alone: each
/// touched block, with its edits made, reads as the same value with the same comments, its
/// key in the same column and its last line break kept. `false` when that does not hold or
/// cannot be told block by block (an edit across blocks or on a parent's key line, a
/// document not cut into blocks): the caller checks the whole text.
#[must_use]
pub fn keep_meaning(doc: &Document, edits: &[Edit]) -> bool {
    let Some(units) = units(doc, Thresholds { split_from: 0 }) else {
        return false;
    };
    // Every block's lines with their prefix and key column, in order.
    let mut regions: Vec<(Range<usize>, &str, usize)> = Vec::new();
    for unit in &units {
        match unit {
            Unit::Whole(p) => regions.push((p.body.start..p.trailing.end, "", 0)),
            Unit::Split { header, children } => {
                // An edit on the key line is not told block by block.
                regions.push((header.clone(), "", usize::MAX));
                for p in children {
                    let body = &doc.text[p.body.clone()];
                    let column = body.len() - body.trim_start_matches(' ').len();
                    regions.push((p.body.start..p.trailing.end, p.prefix, column));
                }
            }
        }
    }
    let mut next = 0;
    let mut k = 0;
    while next < edits.len() {
        let at = usize::from(edits[next].range.start());
        while k < regions.len() && regions[k].0.end <= at {
            k += 1;
        }
        let Some((region, prefix, column)) = regions.get(k) else {
            return false;
        };
        if *column == usize::MAX || at < region.start {
            return false;
        }
        // The edits inside this block.
        let mut end = next;
        while end < edits.len()
            && usize::from(edits[end].range.start()) < region.end
            && usize::from(edits[end].range.end()) <= region.end
        {
            end += 1;
        }
        if end == next {
            return false;
        }
        let shift = TextSize::from(u32::try_from(region.start).unwrap_or(u32::MAX));
        let local: Vec<Edit> = edits[next..end]
            .iter()
            .map(|e| Edit {
                range: TextRange::new(e.range.start() - shift, e.range.end() - shift),
                text: e.text.clone(),
            })
            .collect();
        let old = &doc.text[region.clone()];
        let new = super::apply_edits(old, &local);
        if old.ends_with('\n') && !new.ends_with('\n')
            || !block_keeps_meaning(prefix, old, &new, *column)
        {
            return false;
        }
        next = end;
        k += 1;
    }
    true
}

/// Whether the block `new` (after `prefix`) reads as `old` does, its keys in `column`.
fn block_keeps_meaning(prefix: &str, old: &str, new: &str, column: usize) -> bool {
    let (before, after) = (
        Document::parse(&format!("{prefix}{old}")),
        Document::parse(&format!("{prefix}{new}")),
    );
    if !before.yaml_errors.is_empty() || super::check(&before, &after).is_err() {
        return false;
    }
    // The keys of the block stay where their siblings are.
    let Some(entries) = after.tree.root.and_then(|r| block_entries(&after, r)) else {
        return false;
    };
    let entries = if prefix.is_empty() {
        entries
    } else {
        match entries.first().and_then(|e| block_entries(&after, e.value)) {
            Some(inner) => inner,
            None => return false,
        }
    };
    key_starts(&after, entries, column).is_some()
}

/// Adds the edits turning `text[old]` into `new` (followed by one blank line when `blank`).
fn push_diff(text: &str, old: Range<usize>, new: &str, blank: bool, edits: &mut Vec<Edit>) {
    let before = &text[old.clone()];
    let owned;
    let new = if blank {
        owned = format!("{new}\n");
        owned.as_str()
    } else {
        new
    };
    if before == new {
        return;
    }
    let shift = TextSize::from(u32::try_from(old.start).unwrap_or(u32::MAX));
    edits.extend(diff(before, new).into_iter().map(|e| Edit {
        range: TextRange::new(e.range.start() + shift, e.range.end() + shift),
        text: e.text,
    }));
}

/// `piece` as the formatter leaves it, from `previous` when it was formatted before (the
/// result moves into `kept`); `None` when it cannot be formatted on its own.
fn printed(
    doc: &Document,
    piece: &Piece<'_>,
    settings: &FormatOptions,
    salt: u64,
    previous: &mut FxHashMap<u64, Kept>,
    kept: &mut FxHashMap<u64, Kept>,
    reused: &mut Vec<u64>,
) -> Option<Printed> {
    let body = &doc.text[piece.body.clone()];
    let key = {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        piece.prefix.hash(&mut h);
        body.hash(&mut h);
        h.finish()
    };
    match previous.remove(&key) {
        Some(Kept::Same) => {
            reused.push(key);
            kept.insert(key, Kept::Same);
            return Some(Printed::Same);
        }
        Some(Kept::Changed {
            original,
            formatted,
        }) if original.len() == piece.prefix.len() + body.len()
            && original.starts_with(piece.prefix)
            && original[piece.prefix.len()..] == *body =>
        {
            reused.push(key);
            let out = formatted.to_string();
            kept.insert(
                key,
                Kept::Changed {
                    original,
                    formatted,
                },
            );
            return Some(Printed::Changed(out));
        }
        _ => {}
    }
    let text = format!("{}{body}", piece.prefix);
    let printed = run_formatter(&text, settings).ok()?;
    // Most blocks of a large document are formatted already: those need no reading.
    let out = if printed == text {
        printed
    } else {
        let fragment = Document::parse(&text);
        if !fragment.yaml_errors.is_empty() {
            return None;
        }
        checked(&fragment, printed).ok()?
    };
    if out == text {
        kept.insert(key, Kept::Same);
        Some(Printed::Same)
    } else {
        kept.insert(
            key,
            Kept::Changed {
                original: text.into_boxed_str(),
                formatted: out.clone().into_boxed_str(),
            },
        );
        Some(Printed::Changed(out))
    }
}

/// A hash of the settings that change how a block is formatted.
fn settings_hash(settings: &FormatOptions) -> u64 {
    let mut h = DefaultHasher::new();
    format!("{settings:?}").hash(&mut h);
    h.finish()
}

/// A root entry's block: formatted whole, or cut into its header line and its entries.
enum Unit<'a> {
    Whole(Piece<'a>),
    Split {
        header: Range<usize>,
        children: Vec<Piece<'a>>,
    },
}

/// `doc` cut into blocks; `None` when it is not made of independent blocks of lines.
fn units(doc: &Document, thresholds: Thresholds) -> Option<Vec<Unit<'_>>> {
    let text: &str = &doc.text;
    if text.contains(['\r', '\t'])
        || text.starts_with("---")
        || text.starts_with("...")
        || text.starts_with('%')
        || text.contains("\n---")
        || text.contains("\n...")
        || text.contains("\n%")
    {
        return None;
    }
    let entries = block_entries(doc, doc.tree.root?)?;
    let starts = key_starts(doc, entries, 0)?;
    let mut units = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let start = if i == 0 { 0 } else { starts[i] };
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let unit = match split(doc, *entry, starts[i], start..end, thresholds) {
            Some(unit) => unit,
            None => Unit::Whole(piece(text, "", start..end)),
        };
        // Blank lines a block scalar keeps (`|+`) belong to its value, not between blocks.
        match &unit {
            Unit::Whole(p) if ends_in_blank_lines(doc, *entry, p) => return None,
            Unit::Split { children, .. }
                if children
                    .iter()
                    .zip(block_entries(doc, entry.value)?)
                    .any(|(p, e)| ends_in_blank_lines(doc, *e, p)) =>
            {
                return None;
            }
            _ => {}
        }
        units.push(unit);
    }
    Some(units)
}

/// The root entry `entry` (its key at `key`, its block `block`) cut into its header line and
/// its value's entries, when its value is a large block mapping whose entries start on the
/// lines after the key.
fn split(
    doc: &Document,
    entry: Entry,
    key: usize,
    block: Range<usize>,
    thresholds: Thresholds,
) -> Option<Unit<'_>> {
    let text: &str = &doc.text;
    if block.len() < thresholds.split_from || block.start != key {
        return None;
    }
    let children = block_entries(doc, entry.value)?;
    if children.len() < 2 {
        return None;
    }
    let first_key = usize::from(doc.tree.span(children[0].key).start());
    let column = first_key - line_start(text, first_key);
    let starts = key_starts(doc, children, column)?;
    let header_end = text[key..].find('\n').map(|i| key + i + 1)?;
    if starts[0] != header_end {
        return None;
    }
    let prefix = &text[key..header_end];
    let pieces = (0..children.len())
        .map(|k| {
            let end = starts.get(k + 1).copied().unwrap_or(block.end);
            piece(text, prefix, starts[k]..end)
        })
        .collect();
    Some(Unit::Split {
        header: key..header_end,
        children: pieces,
    })
}

/// Whether blank lines after `piece`'s body belong to `entry`'s value: it ends with a block
/// scalar that keeps its trailing lines (`|+`, `>+`).
fn ends_in_blank_lines(doc: &Document, entry: Entry, piece: &Piece<'_>) -> bool {
    if piece.trailing.is_empty() {
        return false;
    }
    // Down the last child of each collection to the node the value ends with.
    let mut id = entry.value;
    loop {
        match &doc.tree.node(id).kind {
            NodeKind::Mapping { entries, .. } => match entries.last() {
                Some(last) => id = last.value,
                None => return false,
            },
            NodeKind::Sequence { items, .. } => match items.last() {
                Some(&last) => id = last,
                None => return false,
            },
            NodeKind::Scalar(s)
                if matches!(s.style, ScalarStyle::Literal | ScalarStyle::Folded) =>
            {
                // The indicator ends the last line with text before the content.
                let start = usize::from(doc.tree.span(id).start());
                let before = &doc.text[..line_start(&doc.text, start)];
                let header = before
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or_default();
                let header = header.split(" #").next().unwrap_or_default();
                let indicator = header.split_whitespace().last().unwrap_or_default();
                return indicator.starts_with(['|', '>']) && indicator.contains('+');
            }
            NodeKind::Scalar(_) | NodeKind::Alias { .. } => return false,
        }
    }
}

/// The entries of the block mapping `id`; `None` for anything else.
fn block_entries(doc: &Document, id: crate::core::yaml::NodeId) -> Option<&[Entry]> {
    match &doc.tree.node(id).kind {
        NodeKind::Mapping {
            entries,
            flow: false,
        } if !entries.is_empty() => Some(entries),
        _ => None,
    }
}

/// Where the line of each entry's key starts, when every key is the first thing on its line
/// at `column`.
fn key_starts(doc: &Document, entries: &[Entry], column: usize) -> Option<Vec<usize>> {
    let text: &str = &doc.text;
    entries
        .iter()
        .map(|e| {
            let at = usize::from(doc.tree.span(e.key).start());
            let line = line_start(text, at);
            (at - line == column && text[line..at].bytes().all(|b| b == b' ')).then_some(line)
        })
        .collect()
}

/// The piece of `text[lines]`: its body without the blank lines it ends with.
fn piece<'a>(text: &str, prefix: &'a str, lines: Range<usize>) -> Piece<'a> {
    let mut end = lines.end;
    // Back over whole lines holding only spaces.
    while let Some(body) = text[lines.start..end].strip_suffix('\n') {
        let last_line = line_start(body, body.len());
        if last_line == 0 || !body[last_line..].bytes().all(|b| b == b' ') {
            break;
        }
        end = lines.start + last_line;
    }
    Piece {
        prefix,
        body: lines.start..end,
        trailing: end..lines.end,
    }
}

#[cfg(test)]
mod tests;
