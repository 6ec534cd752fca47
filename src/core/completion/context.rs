//! Where the cursor is: key, value or list-item slot, the key path of its container, flow or
//! block style, the word being typed and what is already written at that level.
//!
//! Block structure is read from the lines and their indentation, so it works the same on a
//! document that parses and on one that does not (`prime: [a, `, a half-typed key). The tree
//! is consulted for what the lines cannot show: block scalars and multi-line flow collections.

use std::cell::{OnceCell, RefCell};

use crate::core::document::Document;
use crate::core::text::{Lines, TextRange, TextSize};
use crate::core::yaml::{NodeKind, PathSeg};

/// One step of a completion path: a mapping key or "an item of this list".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Item,
}

/// What kind of text the cursor is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A mapping key; `path` is the mapping's path.
    Key,
    /// A key's value; `path` ends with that key.
    Value,
    /// A list item; `path` is the list's path.
    Item,
}

#[derive(Clone, Debug)]
pub struct Ctx {
    pub slot: Slot,
    pub path: Vec<Seg>,
    pub flow: bool,
    /// The text typed so far (from the word start to the cursor).
    pub word: String,
    /// The range a completion replaces (the whole word around the cursor).
    pub range: TextRange,
    /// Column of the key being typed (for indenting multi-line snippets).
    pub column: usize,
    /// Keys at this level with their inline values (`Key`), or items already listed (`Item`).
    pub siblings: Vec<(String, String)>,
    /// The rest of the line after the word starts with `:` (the key is already complete).
    pub colon_follows: bool,
    /// What a value item needs before it where the cursor is: a space right after a bare `-`
    /// or right after `key:`, the `- ` marker on an indentation-only line of a block list.
    pub lead: Lead,
    /// Column of the key whose value is completed (`Value` slot, block style).
    pub key_column: usize,
    /// `Value` slot: the column of the `-` of the list items written under the key, if any
    /// (then `siblings` are those items).
    pub items_column: Option<usize>,
}

/// What is written before a value item (see [`Ctx::lead`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lead {
    /// Nothing: the cursor is where the value starts.
    None,
    /// A space: the cursor is right after a bare `-` or right after `key:`.
    Space,
    /// A list marker: the cursor is on a line of a block list that has no `-` yet.
    Dash,
    /// A new line with a list marker at this column: the cursor is on the line of the key
    /// whose value is a list.
    Block(usize),
}

/// A structural marker on a line: a `-` list marker or a `key:`.
/// Borrowed from the line it was read from.
#[derive(Clone, Copy, Debug)]
enum Mark<'a> {
    Dash,
    Key(&'a str, &'a str),
}

/// The document's lines as the cursor context reads them: each line's text (without its line
/// break) from the document's line index, and whether it is content of a block scalar
/// (`key: |` / `key: >-`). Those flags are worked out in text order, only as far as a caller
/// asks, and lines that cannot open a block scalar (no `|` or `>`) are passed over in bulk
/// while none is open: a request near the top of a large document reads little of it.
pub(super) struct TextLines<'a> {
    text: &'a str,
    index: &'a Lines,
    count: usize,
    flags: RefCell<Flags>,
    /// The lines that start at column 0 with something other than a space, found on first use.
    top: OnceCell<Vec<u32>>,
}

/// The block-scalar flags of the lines before `next`, and the column of the key whose block
/// scalar is open at `next`.
#[derive(Default)]
struct Flags {
    bits: Vec<u64>,
    next: usize,
    open: Option<usize>,
}

impl<'a> TextLines<'a> {
    pub(super) fn new(text: &'a str, index: &'a Lines) -> Self {
        Self {
            text,
            index,
            count: index.count(),
            flags: RefCell::new(Flags::default()),
            top: OnceCell::new(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.count
    }

    /// Where line `j` starts.
    fn start(&self, j: usize) -> usize {
        self.index
            .start(u32::try_from(j).unwrap_or(u32::MAX))
            .map_or(self.text.len(), |s| s as usize)
    }

    /// Line `j` without its line break.
    fn text(&self, j: usize) -> &'a str {
        self.index
            .line_range(self.text, u32::try_from(j).unwrap_or(u32::MAX))
            .and_then(|(s, e)| self.text.get(s as usize..e as usize))
            .unwrap_or_default()
    }

    /// The spaces line `j` starts with (a blank line: all of them).
    fn indent(&self, j: usize) -> usize {
        // The line break is not a space: counting from the start stops at the line's end.
        let rest = self
            .text
            .as_bytes()
            .get(self.start(j)..)
            .unwrap_or_default();
        rest.iter().take_while(|&&b| b == b' ').count()
    }

    /// The line holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.index
            .line_of(u32::try_from(offset).unwrap_or(u32::MAX)) as usize
    }

    /// Whether line `j` is content of a block scalar (blank lines inside one and right after
    /// it count as content).
    fn in_block_scalar(&self, j: usize) -> bool {
        let mut f = self.flags.borrow_mut();
        while f.next <= j && f.next < self.count {
            self.read_flags(&mut f, j);
        }
        f.bits.get(j / 64).is_some_and(|w| w >> (j % 64) & 1 == 1)
    }

    /// Advances `f` by at least one line towards line `j`.
    fn read_flags(&self, f: &mut Flags, j: usize) {
        if f.open.is_none() {
            // No block scalar is open: skip to the next line that could open one.
            let from = self.start(f.next);
            let upto = self.start(j + 1).max(from);
            let found = (self.text.as_bytes().get(from..upto))
                .and_then(|bytes| memchr::memchr2(b'|', b'>', bytes));
            let Some(i) = found else {
                f.next = j + 1;
                return;
            };
            f.next = self.line_of(from + i);
        }
        let line = f.next;
        let t = self.text(line);
        let mut inside = false;
        if let Some(c) = f.open {
            let indent = t.len() - t.trim_start_matches(' ').len();
            if indent > c || t.trim().is_empty() {
                inside = true;
            } else {
                f.open = None;
            }
        }
        if !inside
            && let Some((col, Mark::Key(_, v))) = last_mark(t)
            && (v.starts_with('|') || v.starts_with('>'))
        {
            f.open = Some(col);
        }
        if inside {
            let word = line / 64;
            if f.bits.len() <= word {
                f.bits.resize(word + 1, 0);
            }
            f.bits[word] |= 1 << (line % 64);
        }
        f.next = line + 1;
    }

    /// The lines that start at column 0 with something other than a space (top-level keys,
    /// comments, items of a top-level list), in order.
    fn top(&self) -> &[u32] {
        self.top.get_or_init(|| {
            let bytes = self.text.as_bytes();
            (0..self.count)
                .filter(|&j| {
                    let s = self.start(j);
                    bytes
                        .get(s)
                        .is_some_and(|b| !matches!(b, b' ' | b'\n' | b'\r'))
                })
                .filter_map(|j| u32::try_from(j).ok())
                .collect()
        })
    }
}

/// The structural markers of a line with their columns (`- name: x` → dash at 0, key at 2).
fn marks(line: &str) -> Vec<(usize, Mark<'_>)> {
    let mut out = Vec::new();
    let key = scan_marks(line, |col| out.push((col, Mark::Dash)));
    out.extend(key);
    out
}

/// The first structural marker of a line (without collecting the others).
fn first_mark(line: &str) -> Option<(usize, Mark<'_>)> {
    let mut first = None;
    let key = scan_marks(line, |col| {
        first.get_or_insert((col, Mark::Dash));
    });
    first.or(key)
}

/// The last structural marker of a line.
fn last_mark(line: &str) -> Option<(usize, Mark<'_>)> {
    let mut last = None;
    let key = scan_marks(line, |col| last = Some((col, Mark::Dash)));
    key.or(last)
}

/// Reports each `-` marker's column to `dash` and returns the trailing `key:` marker, if any.
fn scan_marks(line: &str, mut dash: impl FnMut(usize)) -> Option<(usize, Mark<'_>)> {
    let mut col = line.len() - line.trim_start_matches(' ').len();
    let mut rest = &line[col..];
    if rest.starts_with('#') {
        return None;
    }
    while rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t") {
        dash(col);
        let after = rest[1..].trim_start();
        col += rest.len() - after.len();
        rest = after;
    }
    let (key, value) = split_key(rest)?;
    Some((col, Mark::Key(key, value)))
}

/// `key: value` → (key, value without comment); `None` when the text is not a key.
fn split_key(rest: &str) -> Option<(&str, &str)> {
    let (key, after) = if let Some(q @ ('"' | '\'')) = rest.chars().next() {
        let end = rest[1..].find(q)? + 1;
        (&rest[1..end], rest[end + 1..].trim_start())
    } else {
        if rest.starts_with(['[', '{', '#', '|', '>', '&', '*', '!']) {
            return None;
        }
        let bytes = rest.as_bytes();
        let mut found = None;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'#' && i > 0 && bytes[i - 1] == b' ' {
                break;
            }
            if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t')
            {
                found = Some(i);
                break;
            }
        }
        let i = found?;
        (rest[..i].trim_end(), &rest[i..])
    };
    let after = after.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let mut value = after.trim();
    if value.starts_with('#') {
        value = "";
    } else if let Some(i) = value.find(" #") {
        value = value[..i].trim_end();
    }
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    Some((key, value))
}

/// The path of the node at mark `idx` of line `j` (given the line's marks).
fn path_to_mark(lines: &TextLines<'_>, j: usize, marks: &[(usize, Mark)], idx: usize) -> Vec<Seg> {
    let mut path = if idx == 0 {
        let dash = matches!(marks[0].1, Mark::Dash);
        parent_path(lines, j, marks[0].0, dash)
    } else {
        path_to_mark(lines, j, marks, idx - 1)
    };
    match &marks[idx].1 {
        Mark::Dash => path.push(Seg::Item),
        Mark::Key(k, _) => path.push(Seg::Key((*k).to_owned())),
    }
    path
}

/// The path of the container holding something at column `col` on line `from`: the nearest
/// structure above that is less indented (a `key:` at the same column also owns a `-` list).
fn parent_path(lines: &TextLines<'_>, from: usize, col: usize, dash: bool) -> Vec<Seg> {
    for j in (0..from).rev() {
        // Every marker of a line indented past `col` is too: neither a match nor a stop; a
        // line indented to `col` has no marker left of it, and one at it matters only to a `-`.
        let indent = lines.indent(j);
        if indent > col || (indent == col && !dash) || lines.in_block_scalar(j) {
            continue;
        }
        let m = marks(lines.text(j));
        if m.is_empty() {
            continue;
        }
        let found = m.iter().rposition(|(c, mark)| {
            *c < col || (dash && *c == col && matches!(mark, Mark::Key(_, v) if v.is_empty()))
        });
        if let Some(i) = found {
            return path_to_mark(lines, j, &m, i);
        }
        if m[0].0 < col {
            break;
        }
    }
    Vec::new()
}

fn is_word_char(c: char) -> bool {
    !(c.is_whitespace() || matches!(c, '[' | ']' | '{' | '}' | ',' | ':' | '"' | '\'' | '#'))
}

/// Computes the cursor context, or `None` where nothing can be completed (comments, block
/// scalars, right after a colon).
#[must_use]
/// `lines` are the document's lines, as [`Outline::lines`] gives them.
pub(super) fn context(doc: &Document, offset: u32, lines: &TextLines<'_>) -> Option<Ctx> {
    let text: &str = &doc.text;
    let offset = (offset as usize).min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    if in_block_scalar(doc, offset) {
        return None;
    }
    let cur = lines.line_of(offset);
    let cur_start = lines.start(cur);
    let line = lines.text(cur);
    let cur_in_block_scalar = lines.in_block_scalar(cur);
    if cur_in_block_scalar && !line.trim().is_empty() {
        return None;
    }
    // An offset inside the line break (between `\r` and `\n`) is at the end of the line.
    let col = (offset - cur_start).min(line.len());
    let before_cursor = &line[..col.min(line.len())];
    let word_start = before_cursor
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word_end = col
        + line[col.min(line.len())..]
            .find(|c: char| !is_word_char(c))
            .unwrap_or(line.len() - col.min(line.len()));
    let mut word = before_cursor[word_start..].to_owned();
    let before = &line[..word_start];
    if before.contains(" #") || before.starts_with('#') {
        return None;
    }
    // Right after a closing quote the value is complete: nothing can follow it there.
    if word.is_empty() && ends_with_closed_quote(before) {
        return None;
    }
    let mut range = TextRange::new(
        TextSize::from(u32::try_from(cur_start + word_start).ok()?),
        TextSize::from(u32::try_from(cur_start + word_end).ok()?),
    );
    let colon_follows = line[word_end..].trim_start().starts_with(':');
    let mut ctx = Ctx {
        slot: Slot::Key,
        path: Vec::new(),
        flow: false,
        word: String::new(),
        range,
        column: word_start,
        siblings: Vec::new(),
        colon_follows,
        lead: Lead::None,
        key_column: 0,
        items_column: None,
    };

    // Flow collections opened on this line: `prime: [a, ` or `{amd64: `.
    if let Some((open, at)) = unclosed_bracket(before) {
        let m = marks(&before[..at]);
        let Some(last) = m.len().checked_sub(1) else {
            return flow_from_tree(doc, offset, ctx, word);
        };
        let inner = &before[at + 1..];
        let segment = inner.rsplit(',').next().unwrap_or_default();
        ctx.path = path_to_mark(lines, cur, &m, last);
        ctx.flow = true;
        ctx.word = word;
        if open == '[' {
            ctx.slot = Slot::Item;
            ctx.siblings = inner
                .split(',')
                .map(|s| s.trim().trim_matches(|c| c == '"' || c == '\''))
                .filter(|s| !s.is_empty())
                .map(|s| (s.to_owned(), String::new()))
                .collect();
        } else if let Some((k, _)) = segment.split_once(':') {
            ctx.slot = Slot::Value;
            ctx.path.push(Seg::Key(k.trim().to_owned()));
        } else {
            ctx.slot = Slot::Key;
            ctx.siblings = inner
                .split(',')
                .filter_map(|s| s.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
        }
        return Some(ctx);
    }
    if cur_in_block_scalar || before.trim_end().ends_with(['[', '{', ',']) {
        return flow_from_tree(doc, offset, ctx, word);
    }
    if before.ends_with(':') {
        return right_after_colon(lines, cur, before, &word, &line[col..], ctx);
    }

    let mut m = marks(before);
    // A `-` just typed: the cursor sits right after the list marker.
    if word == "-" && before.trim().is_empty() {
        m.push((word_start, Mark::Dash));
        word.clear();
        range = TextRange::empty(TextSize::from(u32::try_from(offset).ok()?));
        ctx.range = range;
        ctx.lead = Lead::Space;
    }
    ctx.word = word;
    match m.last() {
        // After a value already written (`base: ubuntu@22.04 |`, `after: [a]|`) nothing fits.
        Some((_, Mark::Key(_, value))) if !value.is_empty() => return None,
        Some((key_col, Mark::Key(..))) => {
            ctx.slot = Slot::Value;
            ctx.key_column = *key_col;
            ctx.path = path_to_mark(lines, cur, &m, m.len() - 1);
            items_below(lines, cur, &mut ctx);
        }
        Some((dash_col, Mark::Dash)) => {
            ctx.slot = Slot::Item;
            let mut p = path_to_mark(lines, cur, &m, m.len() - 1);
            p.pop();
            ctx.path = p;
            ctx.siblings = list_items(lines, 0, cur, *dash_col);
        }
        None if in_block_list(lines, cur, word_start) => {
            // An indentation-only line (or a word on its own) among the items of a list.
            ctx.slot = Slot::Item;
            ctx.lead = Lead::Dash;
            ctx.path = parent_path(lines, cur, word_start, true);
            ctx.siblings = list_items(lines, 0, cur, word_start);
        }
        None => {
            ctx.slot = Slot::Key;
            ctx.path = parent_path(lines, cur, word_start, false);
            ctx.siblings = sibling_keys(lines, cur, word_start);
        }
    }
    Some(ctx)
}

/// The cursor right after the colon of `key:` with nothing after it on the line (a comment
/// aside): the key's value, written with the space that must follow the colon. Elsewhere
/// (after a colon inside a value, before text) nothing is completed.
fn right_after_colon(
    lines: &TextLines<'_>,
    cur: usize,
    before: &str,
    word: &str,
    after: &str,
    mut ctx: Ctx,
) -> Option<Ctx> {
    let rest = after.trim_start();
    if !word.is_empty() || !(rest.is_empty() || (rest.starts_with('#') && rest != after)) {
        return None;
    }
    let m = marks(before);
    let (key_col, Mark::Key(_, value)) = m.last()? else {
        return None;
    };
    if !value.is_empty() {
        return None;
    }
    ctx.slot = Slot::Value;
    ctx.lead = Lead::Space;
    ctx.key_column = *key_col;
    ctx.path = path_to_mark(lines, cur, &m, m.len() - 1);
    items_below(lines, cur, &mut ctx);
    Some(ctx)
}

/// A `Value` slot's list items written on the lines below its key, if there are any.
fn items_below(lines: &TextLines<'_>, cur: usize, ctx: &mut Ctx) {
    let next = (cur + 1..lines.len())
        .filter(|&j| !lines.in_block_scalar(j))
        .find_map(|j| first_mark(lines.text(j)));
    if let Some((col, Mark::Dash)) = next
        && col >= ctx.key_column
    {
        ctx.items_column = Some(col);
        // The items below the key only: the lines above belong to other keys.
        ctx.siblings = list_items(lines, cur, cur, col);
    }
}

/// Whether column `col` of line `cur` (a line without `-` or `key:`) is a place among the items
/// of a block list: the nearest line above or below at that column (skipping more indented
/// lines, which belong to an item) starts with `-`.
fn in_block_list(lines: &TextLines<'_>, cur: usize, col: usize) -> bool {
    let at_col = |j: usize| -> Option<bool> {
        // A line indented past `col` has its first marker past it too.
        if lines.indent(j) > col || lines.in_block_scalar(j) {
            return None;
        }
        let (c, mark) = first_mark(lines.text(j))?;
        match c.cmp(&col) {
            std::cmp::Ordering::Greater => None,
            std::cmp::Ordering::Equal => Some(matches!(mark, Mark::Dash)),
            std::cmp::Ordering::Less => Some(false),
        }
    };
    let above = (0..cur).rev().find_map(at_col);
    let below = (cur + 1..lines.len()).find_map(at_col);
    above == Some(true) || below == Some(true)
}

/// Whether the cursor is inside the content of a `|`/`>` scalar according to the tree.
fn in_block_scalar(doc: &Document, offset: usize) -> bool {
    let Ok(off) = u32::try_from(offset) else {
        return false;
    };
    doc.tree.node_at(off).is_some_and(|id| {
        let n = doc.tree.node(id);
        matches!(&n.kind, NodeKind::Scalar(s) if matches!(s.style, crate::core::yaml::ScalarStyle::Literal | crate::core::yaml::ScalarStyle::Folded))
            && u32::from(doc.tree.span(id).start()) < off
    })
}

/// Whether `s` ends with the closing quote of a quoted scalar.
fn ends_with_closed_quote(s: &str) -> bool {
    if !s.ends_with(['"', '\'']) {
        return false;
    }
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            _ => {}
        }
    }
    quote.is_none()
}

/// The innermost `[`/`{` of `s` that is not closed yet, with its byte index.
fn unclosed_bracket(s: &str) -> Option<(char, usize)> {
    let mut stack = Vec::new();
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => stack.push((c, i)),
            (None, ']' | '}') => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
}

/// A multi-line flow collection: the tree knows its path when the cursor is inside it.
fn flow_from_tree(doc: &Document, offset: usize, mut ctx: Ctx, word: String) -> Option<Ctx> {
    let tree = &doc.tree;
    let mut id = tree.node_at(u32::try_from(offset).ok()?)?;
    if !tree.is_sequence(id)
        && let Some(p) = tree.node(id).parent
    {
        id = p;
    }
    let NodeKind::Sequence { items, flow: true } = &tree.node(id).kind else {
        return None;
    };
    let (path, _) = tree.path_of(id);
    ctx.path = path
        .into_iter()
        .map(|s| match s {
            PathSeg::Key(k) => Seg::Key(k),
            PathSeg::Index(_) => Seg::Item,
        })
        .collect();
    ctx.slot = Slot::Item;
    ctx.flow = true;
    ctx.siblings = items
        .iter()
        .filter_map(|&i| tree.text(i))
        .filter(|t| !t.is_empty() && *t != word)
        .map(|t| (t.to_owned(), String::new()))
        .collect();
    ctx.word = word;
    Some(ctx)
}

/// Keys written at column `col` in the same mapping as line `cur` (with inline values).
fn sibling_keys(lines: &TextLines<'_>, cur: usize, col: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut visit = |j: usize| -> bool {
        // A line indented past `col` has no marker at `col` and goes on.
        if lines.indent(j) > col || lines.in_block_scalar(j) {
            return true;
        }
        let m = marks(lines.text(j));
        let Some((first, _)) = m.first() else {
            return true;
        };
        if let Some((_, Mark::Key(k, v))) = m.iter().find(|(c, _)| *c == col) {
            out.push(((*k).to_owned(), (*v).to_owned()));
        }
        *first >= col
    };
    for j in (0..cur).rev() {
        if !visit(j) {
            break;
        }
    }
    for j in cur + 1..lines.len() {
        if lines.indent(j) > col {
            continue;
        }
        let first = first_mark(lines.text(j)).map(|(c, _)| c);
        if first.is_some_and(|c| c < col) && !lines.in_block_scalar(j) {
            break;
        }
        visit(j);
    }
    out
}

/// The scalar items of the block list whose `-` markers are at column `dash_col`, looking up
/// from line `cur` no further than line `floor`, and down from it.
fn list_items(
    lines: &TextLines<'_>,
    floor: usize,
    cur: usize,
    dash_col: usize,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut visit = |j: usize| -> bool {
        // A line indented past the markers belongs to an item.
        if lines.indent(j) > dash_col {
            return true;
        }
        let t = lines.text(j);
        let m = marks(t);
        let Some((first, mark)) = m.first() else {
            return true;
        };
        if *first < dash_col || (*first == dash_col && !matches!(mark, Mark::Dash)) {
            return false;
        }
        if *first == dash_col && m.len() == 1 {
            let item = t[dash_col + 1..].trim();
            let item = item.split(" #").next().unwrap_or_default().trim();
            let item = item.trim_matches(|c| c == '"' || c == '\'');
            if !item.is_empty() {
                out.push((item.to_owned(), String::new()));
            }
        }
        true
    };
    for j in (floor..cur).rev() {
        if !lines.in_block_scalar(j) && !visit(j) {
            break;
        }
    }
    for j in cur + 1..lines.len() {
        if !lines.in_block_scalar(j) && !visit(j) {
            break;
        }
    }
    out
}

/// Text-level facts about the document that survive syntax errors: the value of a top-level
/// scalar key, the keys under a top-level mapping, the items of a top-level list.
pub struct Outline<'a> {
    lines: TextLines<'a>,
}

impl<'a> Outline<'a> {
    #[must_use]
    pub fn new(doc: &'a Document) -> Self {
        Self {
            lines: TextLines::new(&doc.text, &doc.lines),
        }
    }

    /// The document's lines, as [`context`] takes them.
    pub(super) fn lines(&self) -> &TextLines<'a> {
        &self.lines
    }

    fn top_line(&self, key: &str) -> Option<(usize, String)> {
        // A key at column 0 is on a line that starts with something other than a space.
        let lines = &self.lines;
        lines.top().iter().find_map(|&j| {
            let j = j as usize;
            if lines.in_block_scalar(j) {
                return None;
            }
            match first_mark(lines.text(j)) {
                Some((0, Mark::Key(k, v))) if k == key => Some((j, v.to_owned())),
                _ => None,
            }
        })
    }

    /// The inline value of a top-level key.
    #[must_use]
    pub fn top_value(&self, key: &str) -> Option<String> {
        self.top_line(key).map(|(_, v)| v).filter(|v| !v.is_empty())
    }

    /// The keys directly under a top-level mapping key (`parts` → part names).
    #[must_use]
    pub fn children(&self, key: &str) -> Vec<String> {
        let Some((j, _)) = self.top_line(key) else {
            return Vec::new();
        };
        let lines = &self.lines;
        let mut col = None;
        let mut out = Vec::new();
        for j in j + 1..lines.len() {
            // Once the keys' column is known, a line indented past it holds none of them.
            if col.is_some_and(|c| lines.indent(j) > c) || lines.in_block_scalar(j) {
                continue;
            }
            let Some((c, mark)) = first_mark(lines.text(j)) else {
                continue;
            };
            if c == 0 {
                break;
            }
            let c0 = *col.get_or_insert(c);
            if c == c0
                && let Mark::Key(k, _) = mark
            {
                out.push(k.to_owned());
            }
        }
        out
    }

    /// The items of a top-level list (`extensions`), block or one-line flow.
    #[must_use]
    pub fn list(&self, key: &str) -> Vec<String> {
        let Some((j, v)) = self.top_line(key) else {
            return Vec::new();
        };
        if let Some(inner) = v.strip_prefix('[') {
            return inner
                .trim_end_matches(']')
                .split(',')
                .map(|s| s.trim().trim_matches(|c| c == '"' || c == '\'').to_owned())
                .filter(|s| !s.is_empty())
                .collect();
        }
        let mut out = Vec::new();
        for j in j + 1..self.lines.len() {
            let t = self.lines.text(j).trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let Some(item) = t.strip_prefix('-') else {
                break;
            };
            let item = item.split(" #").next().unwrap_or_default().trim();
            let item = item.trim_matches(|c| c == '"' || c == '\'');
            if !item.is_empty() {
                out.push(item.to_owned());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::text::lines_with_starts;

    /// The block-scalar flag of every line, worked out line by line from the top.
    fn flags_from_the_top(text: &str) -> Vec<bool> {
        let mut open: Option<usize> = None;
        let mut out = Vec::new();
        for (_, t) in lines_with_starts(text) {
            let mut inside = false;
            let indent = t.len() - t.trim_start_matches(' ').len();
            if let Some(c) = open {
                if indent > c || t.trim().is_empty() {
                    inside = true;
                } else {
                    open = None;
                }
            }
            if !inside
                && let Some((col, Mark::Key(_, v))) = last_mark(t)
                && (v.starts_with('|') || v.starts_with('>'))
            {
                open = Some(col);
            }
            out.push(inside);
        }
        out
    }

    #[test]
    fn block_scalar_flags_read_on_demand_match_a_reading_from_the_top() {
        let mut texts: Vec<String> = crate::core::analysis::incremental_tests::corpus()
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        texts.extend(
            [
                "a: |\n  x\n\n  y\nb: >-\n    z\n  w\nc: 1\n",
                "p:\n  s: |+\n    k: |\n\n# c\n  t: >\n   u\n\t\n   v\n",
                "- x: |\r\n  a|b\r\n- y\r  z: >\r    q\r",
                "k: '|'\nl: \"> x\"\nm: a|b\nn: |2\n   x\n",
                "",
                "|",
            ]
            .map(str::to_owned),
        );
        let mut with_blocks = 0;
        for text in &texts {
            let expected = flags_from_the_top(text);
            with_blocks += usize::from(expected.contains(&true));
            let index = Lines::new(text);
            assert_eq!(index.count(), expected.len(), "{text:?}");
            let n = expected.len();
            // Asked in text order, backwards, and hopping about: the same answers.
            let orders: [Vec<usize>; 3] = [
                (0..n).collect(),
                (0..n).rev().collect(),
                (0..n).map(|j| j * 7919 % n).collect(),
            ];
            for order in orders {
                let lines = TextLines::new(text, &index);
                for j in order {
                    assert_eq!(
                        lines.in_block_scalar(j),
                        expected[j],
                        "line {j} of {text:?}"
                    );
                }
            }
        }
        assert!(with_blocks > 20, "{with_blocks}");
    }

    #[test]
    fn top_lines_are_those_starting_at_column_zero() {
        let text = "a: 1\n  b: 2\n\n# c\n- d\n\te\n   \nf:";
        let index = Lines::new(text);
        let lines = TextLines::new(text, &index);
        assert_eq!(lines.top(), [0, 3, 4, 5, 7]);
    }
}
