//! How `check` shows one finding in a terminal: the rustc/ruff layout, drawn by
//! `annotate-snippets` (header, `-->` location, the source lines underlined, related spans,
//! `help:` lines). It is given only the lines concerned, cut around the span when very long.

use std::ops::Range;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::core::code::Severity;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::text::TextRange;

/// The width the source lines are fitted to (the renderer cuts a longer line around its
/// spans, marking the cuts with `...`): about a terminal's.
pub const MAX_SHOWN_SOURCE: usize = 100;

/// Lines longer than this (in characters) are cut around the span before they are given to the
/// renderer, which would otherwise go through the whole line for each finding on it (a 30 KB
/// one-line flow mapping can have thousands).
const MAX_GIVEN_LINE: usize = 4 * MAX_SHOWN_SOURCE;

/// The most characters of a message `check` prints: messages quote names from the file, which
/// can be arbitrarily long; a few lines' worth says what is wrong.
pub const MAX_SHOWN_MESSAGE: usize = 500;

/// The most source lines shown for one span: a span over a whole section (a mapping of
/// hundreds of lines) is shown by its first lines, enough to see where it starts.
pub const MAX_SHOWN_LINES: u32 = 6;

/// The column at which messages wrap (their continuation lines are indented under the first).
pub const MESSAGE_WIDTH: usize = 100;

/// The byte-order mark some editors write first; it takes no column.
const BOM: char = '\u{feff}';

/// Renders `d`, found in `doc` (read from `path`), as text; with `color`, styled with ANSI
/// escapes. Ends with a newline.
#[must_use]
pub fn diagnostic(path: &str, doc: &Document, d: &Diagnostic, color: bool) -> String {
    let path = shown(path, usize::MAX);
    let head = d.severity.as_str().len() + d.code.name().len() + 4;
    let width = MESSAGE_WIDTH.saturating_sub(head).max(MESSAGE_WIDTH / 2);
    let options = textwrap::Options::new(width)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let message = wrap(&shown(&d.message, MAX_SHOWN_MESSAGE), options);
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Information => Level::INFO,
        Severity::Hint => Level::NOTE,
    };

    // The primary span's lines, with the related spans shown in them; the others get lines of
    // their own, or a note when these would be cut before the span (the renderer would count
    // its column from the cut).
    let main = Window::new(doc, d.range);
    let mut snippet = Snippet::source(main.text.as_str())
        .path(path.as_str())
        .line_start(main.first_line)
        .annotation(AnnotationKind::Primary.span(main.primary.clone()));
    let mut others = Vec::new();
    let mut notes = Vec::new();
    for r in &d.related {
        let label = shown(&r.message, MAX_SHOWN_MESSAGE);
        if let Some(span) = main.span(r.range) {
            snippet = snippet.annotation(AnnotationKind::Context.span(span).label(label));
            continue;
        }
        let w = Window::new(doc, r.range);
        if w.cut_before {
            let (line, col) = location(doc, u32::from(r.range.start()));
            notes.push(format!("{label}: {path}:{line}:{col}"));
        } else {
            others.push((w, label));
        }
    }
    let mut group = level
        .primary_title(message.as_str())
        .id(d.code.name())
        .element(snippet);
    for (w, label) in &others {
        group = group.element(
            Snippet::source(w.text.as_str())
                .path(path.as_str())
                .line_start(w.first_line)
                .annotation(
                    AnnotationKind::Context
                        .span(w.primary.clone())
                        .label(label.as_str()),
                ),
        );
    }
    for note in &notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    let helps: Vec<String> = d
        .fixes
        .iter()
        .map(|f| shown(&f.title, MAX_SHOWN_MESSAGE))
        .collect();
    let mut report = vec![group];
    report.extend(
        helps
            .iter()
            .map(|h| Group::with_title(Level::HELP.secondary_title(h.as_str()))),
    );
    let renderer = if color {
        Renderer::styled().hyperlink(false)
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii)
    .term_width(MAX_SHOWN_SOURCE);
    let mut text = renderer.render(&report);
    if main.cut_before {
        // The renderer counts the column from the start of the text it was given: put the
        // file's in the location line (the one after the message).
        let (line, col) = location(doc, u32::from(d.range.start()));
        let given = main.text[..main.primary.start]
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        let wrong = format!("{path}:{line}:{given}\n");
        let at = (0..message.lines().count().max(1))
            .try_fold(0, |at, _| text[at..].find('\n').map(|n| at + n + 1));
        if let Some(at) = at
            && let Some(n) = text[at..].find(&wrong)
        {
            text.replace_range(
                at + n..at + n + wrong.len(),
                &format!("{path}:{line}:{col}\n"),
            );
        }
    }
    text.push('\n');
    text
}

/// The 1-based line and character column of `offset`, a byte-order mark not counted.
#[must_use]
pub fn location(doc: &Document, offset: u32) -> (u32, u32) {
    let (line, col) = doc.line_col(offset);
    let bom = line == 1 && doc.text.starts_with(BOM) && offset as usize >= BOM.len_utf8();
    (line, if bom { col - 1 } else { col })
}

/// The lines around a span as given to the renderer: the file's lines, but for a byte-order
/// mark (dropped), C1 control characters (replaced: the renderer shows the others as control
/// pictures, but writes these raw, and some terminals obey them) and very long lines (cut
/// around the span, `...` marking the cuts).
struct Window {
    /// 1-based number of the first line.
    first_line: usize,
    text: String,
    /// For each character shown and each line end: its offset in the file and in `text`.
    points: Vec<(u32, usize)>,
    /// The parts of the file shown.
    parts: Vec<Range<u32>>,
    /// The span the window was made for, in `text`.
    primary: Range<usize>,
    /// Whether the first line is cut before the span.
    cut_before: bool,
}

impl Window {
    fn new(doc: &Document, range: TextRange) -> Self {
        let (start, end) = (u32::from(range.start()), u32::from(range.end()));
        let first = doc.lines.line_of(start);
        let last = doc
            .lines
            .line_of(end.max(start))
            .min(first + MAX_SHOWN_LINES - 1);
        let mut w = Self {
            first_line: first as usize + 1,
            text: String::new(),
            points: Vec::new(),
            parts: Vec::new(),
            primary: 0..0,
            cut_before: false,
        };
        for line in first..=last {
            let Some((ls, le)) = doc.lines.line_range(&doc.text, line) else {
                break;
            };
            if line > first {
                w.text.push('\n');
            }
            let cut = w.push_line(&doc.text, ls..le, start.clamp(ls, le));
            w.cut_before |= cut && line == first;
        }
        w.primary = w.span(range).unwrap_or(0..0);
        w
    }

    /// Appends the line `line` of `text` (a very long one cut to keep `at` in view); whether it
    /// was cut before `at`.
    fn push_line(&mut self, text: &str, line: Range<u32>, at: u32) -> bool {
        let src = text
            .get(line.start as usize..line.end as usize)
            .unwrap_or_default();
        let (mut from, mut to) = (0, src.len());
        if src.chars().nth(MAX_GIVEN_LINE).is_some() {
            // What the renderer needs to fit the span's start in its width, on both sides.
            let at = floor_boundary(src, at.saturating_sub(line.start) as usize);
            let before: usize = src[..at]
                .chars()
                .rev()
                .take(MAX_SHOWN_SOURCE)
                .map(char::len_utf8)
                .sum();
            from = at - before;
            to = from
                + src[from..]
                    .chars()
                    .take(MAX_GIVEN_LINE)
                    .map(char::len_utf8)
                    .sum::<usize>();
        }
        if from > 0 {
            self.text.push_str("...");
        }
        let offset = |i: usize| line.start + u32::try_from(i).unwrap_or(u32::MAX);
        for (i, c) in src[from..to].char_indices() {
            let at = offset(from + i);
            self.points.push((at, self.text.len()));
            if at == 0 && c == BOM {
                continue;
            }
            self.text.push(if ('\u{80}'..='\u{9f}').contains(&c) {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            });
        }
        self.points.push((offset(to), self.text.len()));
        if to < src.len() {
            self.text.push_str("...");
        }
        self.parts.push(offset(from)..offset(to));
        from > 0
    }

    /// Where the file's byte `offset` is in `text`: that of the last character shown at or
    /// before it.
    fn offset(&self, offset: u32) -> usize {
        let i = self.points.partition_point(|&(at, _)| at <= offset);
        i.checked_sub(1)
            .and_then(|i| self.points.get(i))
            .map_or(0, |&(_, shown)| shown)
    }

    /// A file range as a range of `text`, if its start is shown (its end is cut where what is
    /// shown of it ends).
    fn span(&self, range: TextRange) -> Option<Range<usize>> {
        let (start, end) = (u32::from(range.start()), u32::from(range.end()));
        if !self
            .parts
            .iter()
            .any(|p| (p.start..=p.end).contains(&start))
        {
            return None;
        }
        let start = self.offset(start);
        Some(start..self.offset(end).max(start))
    }
}

/// How a character of a message, label or path is printed: control characters (C0, DEL, C1)
/// and the bidirectional-text controls that can make a terminal show something else than the
/// file says are escaped (`\u{1b}`); line breaks are kept.
fn push_shown(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if c != '\n' && (c.is_control() || bidi) {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// `text` as printed (see [`push_shown`]), cut after `max` characters with `…`.
#[must_use]
pub fn shown(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count >= max {
            out.push('…');
            break;
        }
        push_shown(&mut out, c);
    }
    out
}

/// `text` wrapped at spaces, but for those inside `code spans` (a quoted `base: bare` is kept
/// whole; they are held as no-break spaces meanwhile, unless the text has its own).
fn wrap(text: &str, options: textwrap::Options) -> String {
    const KEPT: char = '\u{a0}';
    if text.contains(KEPT) {
        return textwrap::fill(text, options);
    }
    let mut quoted = false;
    let kept: String = text
        .chars()
        .map(|c| {
            quoted ^= c == '`';
            if quoted && c == ' ' { KEPT } else { c }
        })
        .collect();
    textwrap::fill(&kept, options).replace(KEPT, " ")
}

/// The largest character boundary of `s` at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::text::TextSize;

    #[test]
    fn messages_wrap_outside_code_spans() {
        let options = || textwrap::Options::new(20).break_words(false);
        assert_eq!(
            wrap("add for example `base: ubuntu@24.04` here", options()),
            "add for example\n`base: ubuntu@24.04`\nhere"
        );
        // A no-break space of the message's own is kept as it is.
        assert_eq!(
            wrap("a\u{a0}b `c d` e f g h i j k", options()),
            "a\u{a0}b `c d` e f g h i\nj k"
        );
    }

    #[test]
    fn control_characters_of_messages_are_escaped_and_long_ones_cut() {
        assert_eq!(
            shown("a\u{1b}b\u{9b}\u{202e}\nc", 10),
            "a\\u{1b}b\\u{9b}\\u{202e}\nc"
        );
        assert_eq!(shown("abcdef", 3), "abc…");
    }

    #[test]
    fn the_byte_order_mark_takes_no_column() {
        let doc = Document::parse("\u{feff}name: x\n");
        assert_eq!(location(&doc, 3), (1, 1));
        assert_eq!(location(&doc, 9), (1, 7));
        let w = Window::new(&doc, TextRange::new(9.into(), 10.into()));
        assert_eq!((w.text.as_str(), w.primary.clone()), ("name: x", 6..7));
    }

    /// Any range on any text (off character boundaries, past the end, reversed, on long lines
    /// of control and wide characters) renders without panicking, with and without colour.
    #[test]
    fn any_range_on_any_text_renders() {
        use crate::core::code::Code;
        const PIECES: &[&str] = &[
            "a",
            "key: ",
            "\n",
            "\r\n",
            "\r",
            "\t",
            "日本",
            "\u{feff}",
            "\u{1b}[31m",
            "\u{9b}",
            "\u{202e}",
            "\u{0}",
            "é",
            "  - ",
            "{",
            "}",
            "\u{200d}",
            "\u{85}",
            "\u{2028}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).unwrap_or(0)
        };
        for _ in 0..400 {
            let mut text = String::new();
            let long = next(4) == 0;
            for _ in 0..next(if long { 3000 } else { 60 }) {
                text.push_str(PIECES[next(PIECES.len())]);
            }
            let doc = Document::parse(&text);
            let len = text.len() + 4;
            let mut range = || {
                let a = TextSize::from(u32::try_from(next(len)).unwrap_or(0));
                let b = TextSize::from(u32::try_from(next(len)).unwrap_or(0));
                (TextRange::new(a.min(b), a.max(b)), next(2) == 0)
            };
            let mut d = Diagnostic::new(range().0, Code::DuplicateKey, "m");
            for _ in 0..3 {
                if let (r, true) = range() {
                    d = d.with_related(r, "first set here");
                }
            }
            for color in [false, true] {
                let out = diagnostic("rockcraft.yaml", &doc, &d, color);
                assert!(out.contains("duplicate-key"), "{out}");
                assert!(
                    out.lines().all(|l| l.chars().count() < 4 * MAX_GIVEN_LINE),
                    "{out}"
                );
            }
        }
    }
}
