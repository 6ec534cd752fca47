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

impl Lines {
    #[must_use]
    pub fn new(text: &str) -> Self {
        // The starts `lines_with_starts` yields, in one pass.
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 24 + 1);
        starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue; // the `\n` ends this line
            }
            starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
        starts.shrink_to_fit();
        let mut wide = Vec::new();
        let mut multibyte = Vec::new();
        let (mut saved, mut extra) = (0u32, 0u32);
        // Most files are ASCII: only what follows the first other byte is read by character.
        let first = if text.is_ascii() {
            text.len()
        } else {
            text.bytes()
                .position(|b| !b.is_ascii())
                .unwrap_or(text.len())
        };
        let rest = text.get(first..).unwrap_or_default();
        for (i, ch) in rest.char_indices().filter(|(_, c)| !c.is_ascii()) {
            let i = i + first;
            let at = u32::try_from(i).unwrap_or(u32::MAX);
            let fewer = ch.len_utf8() - ch.len_utf16();
            saved = saved.saturating_add(u32::try_from(fewer).unwrap_or(0));
            wide.push((at, saved));
            extra = extra.saturating_add(u32::try_from(ch.len_utf8() - 1).unwrap_or(0));
            multibyte.push((at, extra));
        }
        Self {
            starts,
            wide,
            multibyte,
            len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        }
    }

    /// The index of `new_text`, which is this index's text with the bytes `start..old_end`
    /// replaced by the `new_end - start` bytes at `start` (both ends on character
    /// boundaries): what [`Lines::new`] gives, computed from this index and the new bytes only
    /// (an edit of a large text costs a copy of the index, not a read of the text).
    #[must_use]
    pub fn replaced(&self, new_text: &str, start: u32, old_end: u32, new_end: u32) -> Self {
        let bytes = new_text.as_bytes();
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        let new_end = new_end.min(len);
        let start = start.min(new_end);
        let moved = |at: u32| at - old_end + new_end;
        // A line starts after a `\n`, or after a `\r` that no `\n` follows: whether `s` starts
        // one depends on the bytes at `s - 1` and `s`, unchanged before `start` and from
        // `old_end` on.
        let keep = self.starts.partition_point(|&s| s < start.max(1));
        let mut starts = Vec::with_capacity(self.starts.len() + 1);
        starts.extend_from_slice(&self.starts[..keep]);
        for s in start.max(1)..=new_end {
            let before = bytes[s as usize - 1];
            if before == b'\n' || (before == b'\r' && bytes.get(s as usize) != Some(&b'\n')) {
                starts.push(s);
            }
        }
        let after = self.starts.partition_point(|&s| s <= old_end);
        starts.extend(self.starts[after..].iter().map(|&s| moved(s)));
        // The characters of the new bytes, between the kept ones and the moved ones (whose
        // running totals change by what the replaced characters and the new ones differ).
        let region = new_text
            .get(start as usize..new_end as usize)
            .unwrap_or_default();
        let wide = Self::spliced(&self.wide, start, old_end, moved, region, |c| {
            c.len_utf8() - c.len_utf16()
        });
        let multibyte = Self::spliced(&self.multibyte, start, old_end, moved, region, |c| {
            c.len_utf8() - 1
        });
        Self {
            starts,
            wide,
            multibyte,
            len,
        }
    }

    /// A running-total table (`wide` or `multibyte`) after the replacement of the characters
    /// at `start..old_end` by those of `region`, each counting `count(c)`.
    fn spliced(
        table: &[(u32, u32)],
        start: u32,
        old_end: u32,
        moved: impl Fn(u32) -> u32,
        region: &str,
        count: impl Fn(char) -> usize,
    ) -> Vec<(u32, u32)> {
        let keep = table.partition_point(|&(at, _)| at < start);
        let after = table.partition_point(|&(at, _)| at < old_end);
        let total_before = keep.checked_sub(1).map_or(0, |i| table[i].1);
        let total_through = after.checked_sub(1).map_or(0, |i| table[i].1);
        let mut out = Vec::with_capacity(table.len());
        out.extend_from_slice(&table[..keep]);
        let mut total = total_before;
        for (i, c) in region.char_indices().filter(|(_, c)| !c.is_ascii()) {
            total = total.saturating_add(u32::try_from(count(c)).unwrap_or(0));
            out.push((start + u32::try_from(i).unwrap_or(0), total));
        }
        out.extend(
            table[after..]
                .iter()
                .map(|&(at, t)| (moved(at), t - total_through + total)),
        );
        out
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
    fn an_index_edited_in_place_is_the_index_of_the_edited_text() {
        let texts = [
            "",
            "a",
            "a\nbb\r\n\nccc\rd\n",
            "\r\r\n\n\r",
            "é\nx: ü\r\ny\n日本\r\n😀\n",
            "name: x\nparts:\n  a:\n    plugin: nil\r\n",
        ];
        let pieces = ["", "\n", "\r", "\r\n", "x", "é", "😀\r", "\nab\r\ncd\n", "日\n本"];
        let mut checked = 0;
        for text in texts {
            let ends: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (a, &start) in ends.iter().enumerate() {
                for &end in &ends[a..] {
                    for piece in pieces {
                        let new = format!("{}{piece}{}", &text[..start], &text[end..]);
                        let edited = Lines::new(text).replaced(
                            &new,
                            u32::try_from(start).unwrap(),
                            u32::try_from(end).unwrap(),
                            u32::try_from(start + piece.len()).unwrap(),
                        );
                        assert_eq!(edited, Lines::new(&new), "{text:?} {start}..{end} {piece:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 5000, "{checked}");
    }

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
