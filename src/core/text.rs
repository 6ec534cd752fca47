//! Byte ranges, line/column conversion and position encodings, independent of any protocol.

pub use line_index::{TextRange, TextSize};

/// How a client counts columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Columns are UTF-8 bytes.
    Utf8,
    /// Columns are UTF-16 code units (the LSP default).
    #[default]
    Utf16,
}

/// A zero-based line and column, with the column in the chosen encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: u32,
    pub col: u32,
}

/// The byte offset where the line holding `offset` starts. Lines end at `\n`, `\r\n` or a
/// lone `\r`, as in YAML and LSP.
#[must_use]
pub fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

/// The byte offset where the line holding `offset` ends (before its line break).
#[must_use]
pub fn line_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[offset..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(text.len(), |i| offset + i)
}

/// The offset where the line after the one holding `offset` starts; `None` on the last line.
#[must_use]
pub fn next_line_start(text: &str, offset: usize) -> Option<usize> {
    let end = line_end(text, offset);
    let bytes = text.as_bytes();
    match bytes.get(end)? {
        b'\r' if bytes.get(end + 1) == Some(&b'\n') => Some(end + 2),
        _ => Some(end + 1),
    }
}

/// The lines of `text` with the offsets they start at, without their line breaks (`\n`,
/// `\r\n` or a lone `\r`). An empty text, and a text ending with a line break, end with an
/// empty line.
pub fn lines_with_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = Some(0usize);
    std::iter::from_fn(move || {
        let s = start?;
        let rest = &bytes[s..];
        let Some(i) = memchr::memchr2(b'\n', b'\r', rest) else {
            start = None;
            return Some((s, &text[s..]));
        };
        let brk = if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') {
            2
        } else {
            1
        };
        start = Some(s + i + brk);
        Some((s, &text[s..s + i]))
    })
}

/// Line starts of a text, for converting between byte offsets and positions. Lines end at
/// `\n`, `\r\n` or a lone `\r`, as the LSP specification counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lines {
    /// The offset each line starts at.
    starts: Vec<u32>,
    /// The offsets of the characters that take fewer UTF-16 units than UTF-8 bytes, and the
    /// units saved up to and including each (for UTF-16 columns in logarithmic time).
    wide: Vec<(u32, u32)>,
    /// The offsets of the characters of more than one byte, and the bytes beyond the first
    /// up to and including each (for character columns in logarithmic time).
    multibyte: Vec<(u32, u32)>,
    len: u32,
}

/// Pushes the start of each line that a line break at `from..to` of `bytes` ends (a `\r`
/// followed by `\n` ends none: the `\n` ends its line).
fn push_breaks(bytes: &[u8], from: usize, to: usize, starts: &mut Vec<u32>) {
    let Some(part) = bytes.get(from..to) else {
        return;
    };
    for i in memchr::memchr2_iter(b'\n', b'\r', part) {
        let i = i + from;
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue; // the `\n` ends this line
        }
        starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
    }
}

/// Pushes the characters of `text[from..to]` that take more than one byte (see
/// [`Lines::wide`] and [`Lines::multibyte`]), their counts following on from those pushed.
fn push_wide(
    text: &str,
    from: usize,
    to: usize,
    wide: &mut Vec<(u32, u32)>,
    multibyte: &mut Vec<(u32, u32)>,
) {
    let Some(part) = text.get(from..to) else {
        return;
    };
    let mut saved = wide.last().map_or(0, |w| w.1);
    let mut extra = multibyte.last().map_or(0, |m| m.1);
    // Most files are ASCII: only what follows the first other byte is read by character.
    let first = if part.is_ascii() {
        part.len()
    } else {
        part.bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(part.len())
    };
    let rest = part.get(first..).unwrap_or_default();
    for (i, ch) in rest.char_indices().filter(|(_, c)| !c.is_ascii()) {
        let at = u32::try_from(i + first + from).unwrap_or(u32::MAX);
        let fewer = ch.len_utf8() - ch.len_utf16();
        saved = saved.saturating_add(u32::try_from(fewer).unwrap_or(0));
        wide.push((at, saved));
        extra = extra.saturating_add(u32::try_from(ch.len_utf8() - 1).unwrap_or(0));
        multibyte.push((at, extra));
    }
}

/// The entries of `list` from `old_end` on, their offsets moved from `old_end` to `new_end`
/// and their counts from `before` (the count before `old_end`) to `now`.
fn moved_after(
    list: &[(u32, u32)],
    old_end: u32,
    new_end: u32,
    before: u32,
    now: u32,
) -> impl Iterator<Item = (u32, u32)> + '_ {
    let from = list.partition_point(|&(at, _)| at < old_end);
    list[from..]
        .iter()
        .map(move |&(at, n)| (at - old_end + new_end, n - before + now))
}

impl Lines {
    /// The line index of `text`, made from this index of a text that `text` differs from
    /// only in the bytes `start..old_end`, now `start..new_end` (on character boundaries):
    /// what [`Lines::new`] gives, reading only the lines around the change.
    #[must_use]
    pub fn edited(&self, text: &str, start: u32, old_end: u32, new_end: u32) -> Self {
        let len = text.len();
        let fits = u32::try_from(len).is_ok_and(|l| {
            start <= old_end
                && start <= new_end
                && old_end <= self.len
                && new_end <= l
                && self.len - old_end == l - new_end
                && text.is_char_boundary(start as usize)
                && text.is_char_boundary(new_end as usize)
        });
        if !fits {
            return Self::new(text);
        }
        // Breaks are read again from the line before the change's (a `\r` just before it may
        // now be followed by a `\n`) to the second line start after it (likewise).
        let first = (self.line_of(start) as usize).saturating_sub(1);
        let from = self.starts.get(first).copied().unwrap_or(0);
        let last = self.line_of(old_end) as usize + 2;
        // The first line start after those, in the old text (none: read to the end).
        let next = self.starts.get(last).copied();
        let to = next.map_or(len, |s| (s - old_end + new_end) as usize - 1);
        let mut starts = Vec::with_capacity(self.starts.len() + 16);
        starts.extend_from_slice(&self.starts[..=first.min(self.starts.len() - 1)]);
        push_breaks(text.as_bytes(), from as usize, to, &mut starts);
        if let Some(next) = next {
            let after = self.starts.partition_point(|&s| s < next);
            starts.extend(self.starts[after..].iter().map(|&s| s - old_end + new_end));
        }
        starts.shrink_to_fit();
        // Characters before the change are kept, those in it read, those after it moved.
        let keep = |list: &[(u32, u32)]| -> Vec<(u32, u32)> {
            list[..list.partition_point(|&(at, _)| at < start)].to_vec()
        };
        let count_before = |list: &[(u32, u32)], at: u32| -> u32 {
            let n = list.partition_point(|&(x, _)| x < at);
            n.checked_sub(1).map_or(0, |i| list[i].1)
        };
        let mut wide = keep(&self.wide);
        let mut multibyte = keep(&self.multibyte);
        push_wide(
            text,
            start as usize,
            new_end as usize,
            &mut wide,
            &mut multibyte,
        );
        let (saved, extra) = (
            wide.last().map_or(0, |w| w.1),
            multibyte.last().map_or(0, |m| m.1),
        );
        wide.extend(moved_after(
            &self.wide,
            old_end,
            new_end,
            count_before(&self.wide, old_end),
            saved,
        ));
        multibyte.extend(moved_after(
            &self.multibyte,
            old_end,
            new_end,
            count_before(&self.multibyte, old_end),
            extra,
        ));
        Self {
            starts,
            wide,
            multibyte,
            len: u32::try_from(len).unwrap_or(u32::MAX),
        }
    }

    #[must_use]
    pub fn new(text: &str) -> Self {
        // The starts `lines_with_starts` yields, in one pass.
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 24 + 1);
        starts.push(0);
        push_breaks(bytes, 0, bytes.len(), &mut starts);
        starts.shrink_to_fit();
        let mut wide = Vec::new();
        let mut multibyte = Vec::new();
        push_wide(text, 0, text.len(), &mut wide, &mut multibyte);
        Self {
            starts,
            wide,
            multibyte,
            len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        }
    }

    /// Bytes beyond the first of the characters before `offset`.
    fn extra_before(&self, offset: u32) -> u32 {
        let n = self.multibyte.partition_point(|&(at, _)| at < offset);
        n.checked_sub(1).map_or(0, |i| self.multibyte[i].1)
    }

    /// The zero-based line and the column in characters of a byte offset (what a terminal
    /// report shows), in logarithmic time however long the line.
    #[must_use]
    pub fn line_and_char_column(&self, text: &str, offset: u32) -> (u32, u32) {
        let Position { line, col } = self.position(text, offset, Encoding::Utf8);
        let start = self.starts.get(line as usize).copied().unwrap_or(0);
        let at = start + col;
        (
            line,
            col - (self.extra_before(at) - self.extra_before(start)),
        )
    }

    /// UTF-16 units saved by the characters before `offset`.
    fn saved_before(&self, offset: u32) -> u32 {
        let n = self.wide.partition_point(|&(at, _)| at < offset);
        n.checked_sub(1).map_or(0, |i| self.wide[i].1)
    }

    /// The position of a byte offset. Offsets past the end clamp to the end; offsets inside a
    /// multi-byte character snap to its start.
    #[must_use]
    pub fn position(&self, text: &str, offset: u32, enc: Encoding) -> Position {
        let mut offset = offset.min(self.len);
        while offset > 0 && !text.is_char_boundary(offset as usize) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts.get(line as usize).copied().unwrap_or(0);
        let col = offset - start;
        let col = match enc {
            Encoding::Utf8 => col,
            Encoding::Utf16 => col - (self.saved_before(offset) - self.saved_before(start)),
        };
        Position { line, col }
    }

    /// The byte offset of a position. Columns past the end of the line clamp to the line end,
    /// lines past the end clamp to the end of the text, and a column inside a character snaps to
    /// the character's start.
    #[must_use]
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> u32 {
        let Some((line_start, line_end)) = self.line_range(text, pos.line) else {
            return self.len;
        };
        let content = &text[line_start as usize..line_end as usize];
        let mut units = 0u32;
        for (i, ch) in content.char_indices() {
            if units >= pos.col {
                return line_start + u32::try_from(i).unwrap_or(0);
            }
            units += match enc {
                Encoding::Utf8 => u32::try_from(ch.len_utf8()).unwrap_or(1),
                Encoding::Utf16 => u32::try_from(ch.len_utf16()).unwrap_or(1),
            };
            if units > pos.col {
                // The column points inside this character.
                return line_start + u32::try_from(i).unwrap_or(0);
            }
        }
        line_start + u32::try_from(content.len()).unwrap_or(0)
    }

    /// The zero-based line number of an offset.
    #[must_use]
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        let after = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(after.saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// [`Lines::line_of`] for an offset known to be on line `hint` or after it: the search
    /// gallops forward from `hint`, so a walk in text order looks each line up in a few steps
    /// (an offset before `hint`'s line gets the usual search).
    #[must_use]
    pub fn line_of_from(&self, hint: u32, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        let from = hint as usize;
        if self.starts.get(from).is_none_or(|&s| s > offset) {
            return self.line_of(offset);
        }
        // starts[from] <= offset: find the first start past `offset` by doubling steps.
        let mut step = 1;
        let mut low = from;
        while let Some(&s) = self.starts.get(low + step) {
            if s > offset {
                break;
            }
            low += step;
            step *= 2;
        }
        let high = (low + step).min(self.starts.len());
        let after = low + 1 + self.starts[low + 1..high].partition_point(|&s| s <= offset);
        u32::try_from(after - 1).unwrap_or(u32::MAX)
    }

    /// The byte range of a line, without its line break.
    #[must_use]
    pub fn line_range(&self, text: &str, line: u32) -> Option<(u32, u32)> {
        let start = *self.starts.get(line as usize)?;
        // The next line's start, less the line break before it: no scan of the line.
        let end = match self.starts.get(line as usize + 1) {
            Some(&next) => {
                let bytes = text.as_bytes();
                let crlf = next >= 2
                    && bytes.get(next as usize - 2) == Some(&b'\r')
                    && bytes.get(next as usize - 1) == Some(&b'\n');
                next - if crlf { 2 } else { 1 }
            }
            None => self.len,
        };
        Some((start, end.max(start)))
    }

    #[must_use]
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Where line `line` starts (`None` past the last line).
    #[must_use]
    pub fn start(&self, line: u32) -> Option<u32> {
        self.starts.get(line as usize).copied()
    }

    /// How many lines the text has (an empty text, and one ending with a line break, end
    /// with an empty line).
    #[must_use]
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_from_a_hint_finds_the_same_line() {
        for text in ["", "a", "a\n", "a\nbb\r\n\nccc\rd\n\n\n\n\n\n\n\n\nlast"] {
            let lines = Lines::new(text);
            let n = u32::try_from(text.len()).unwrap();
            for offset in 0..=n + 2 {
                for hint in 0..15 {
                    assert_eq!(
                        lines.line_of_from(hint, offset),
                        lines.line_of(offset),
                        "{text:?} offset {offset} hint {hint}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_edited_index_is_the_index_of_the_edited_text() {
        // Texts of line breaks of every kind and characters of every width, edited at random
        // (a small xorshift generator, so a failure replays).
        let pieces = ["a", "bc", "\n", "\r", "\r\n", "é", "😀", " ", "\n\n"];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % n as u64).unwrap()
        };
        for _ in 0..3000 {
            let mut pick = |count: usize| -> String {
                (0..count).map(|_| pieces[next(pieces.len())]).collect()
            };
            let old = pick(40);
            let inserted = pick(3);
            let bounds: Vec<usize> = (0..=old.len())
                .filter(|&i| old.is_char_boundary(i))
                .collect();
            let (mut a, mut b) = (bounds[next(bounds.len())], bounds[next(bounds.len())]);
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            let inserted = if next(4) == 0 {
                String::new()
            } else {
                inserted
            };
            let mut new = old.clone();
            new.replace_range(a..b, &inserted);
            let (a, b, c) = (
                u32::try_from(a).unwrap(),
                u32::try_from(b).unwrap(),
                u32::try_from(a + inserted.len()).unwrap(),
            );
            let edited = Lines::new(&old).edited(&new, a, b, c);
            let full = Lines::new(&new);
            let what = format!("{old:?} -> {new:?}");
            assert_eq!(edited.starts, full.starts, "{what}");
            assert_eq!(edited.wide, full.wide, "{what}");
            assert_eq!(edited.multibyte, full.multibyte, "{what}");
            assert_eq!(edited.len, full.len, "{what}");
        }
    }

    #[test]
    fn line_starts_are_those_lines_with_starts_yields() {
        for text in [
            "",
            "a",
            "a\n",
            "a\r\n\r\nb\r",
            "\r\r\n\n\r",
            "é\nx: ü\r\ny\n",
        ] {
            let want: Vec<u32> = lines_with_starts(text)
                .map(|(s, _)| u32::try_from(s).unwrap())
                .collect();
            assert_eq!(Lines::new(text).starts, want, "{text:?}");
        }
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        for text in [
            "a: 1\rb: é\rc: 3",
            "a: 1\r\nb: é\r\nc: 3",
            "a: 1\nb: é\nc: 3",
        ] {
            let lines = Lines::new(text);
            let c = u32::try_from(text.find('c').unwrap()).unwrap();
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                assert_eq!(lines.position(text, c, enc), Position { line: 2, col: 0 });
                assert_eq!(lines.offset(text, Position { line: 2, col: 0 }, enc), c);
            }
            let after = u32::try_from(text.find('é').unwrap() + 2).unwrap();
            assert_eq!(
                lines.position(text, after, Encoding::Utf16),
                Position { line: 1, col: 4 }
            );
            assert_eq!(
                lines
                    .line_range(text, 1)
                    .map(|(s, e)| &text[s as usize..e as usize]),
                Some("b: é")
            );
            assert_eq!(lines.line_of(lines.len()), 2);
        }
        assert_eq!(line_start("a\rbc", 3), 2);
        assert_eq!(line_end("a\rbc\r\n", 2), 4);
        let all: Vec<_> = lines_with_starts("a\r\rb\r\n").collect();
        assert_eq!(all, vec![(0, "a"), (2, ""), (3, "b"), (6, "")]);
    }

    #[test]
    fn columns_on_non_ascii_line() {
        let text = "a: 1\nname: é ☕ 𝄞 x\n";
        let lines = Lines::new(text);
        let x = u32::try_from(text.find(" x").unwrap() + 1).unwrap();
        assert_eq!(
            lines.position(text, x, Encoding::Utf8),
            Position {
                line: 1,
                col: 6 + 2 + 1 + 3 + 1 + 4 + 1
            }
        );
        assert_eq!(
            lines.position(text, x, Encoding::Utf16),
            Position {
                line: 1,
                col: 6 + 1 + 1 + 1 + 1 + 2 + 1
            }
        );
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let p = lines.position(text, x, enc);
            assert_eq!(lines.offset(text, p, enc), x);
        }
        // A column in the middle of the surrogate pair snaps back to the character start.
        let clef = u32::try_from(text.find('𝄞').unwrap()).unwrap();
        let p = lines.position(text, clef, Encoding::Utf16);
        assert_eq!(
            lines.offset(
                text,
                Position {
                    line: 1,
                    col: p.col + 1
                },
                Encoding::Utf16
            ),
            clef
        );
        // Past the end of a line clamps to the line end; past the last line clamps to the end.
        assert_eq!(
            lines.offset(text, Position { line: 0, col: 99 }, Encoding::Utf16),
            4
        );
        assert_eq!(
            lines.offset(text, Position { line: 9, col: 0 }, Encoding::Utf16),
            lines.len()
        );
    }

    #[test]
    fn character_columns_count_characters() {
        let text = "ab\né€x\r\n😀y";
        let lines = Lines::new(text);
        assert_eq!(lines.line_and_char_column(text, 0), (0, 0));
        let x = u32::try_from(text.find('x').unwrap()).unwrap();
        assert_eq!(lines.line_and_char_column(text, x), (1, 2));
        let y = u32::try_from(text.find('y').unwrap()).unwrap();
        assert_eq!(lines.line_and_char_column(text, y), (2, 1));
    }
}
