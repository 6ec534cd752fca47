//! Byte ranges, line/column conversion and position encodings, independent of any protocol.

use line_index::{LineCol, WideEncoding, WideLineCol};
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

/// Line starts of a text, for converting between byte offsets and positions.
#[derive(Debug, Clone)]
pub struct Lines {
    index: line_index::LineIndex,
    len: u32,
}

impl Lines {
    #[must_use]
    pub fn new(text: &str) -> Self {
        Self {
            index: line_index::LineIndex::new(text),
            len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        }
    }

    /// The position of a byte offset. Offsets past the end clamp to the end; offsets inside a
    /// multi-byte character snap to its start.
    #[must_use]
    pub fn position(&self, text: &str, offset: u32, enc: Encoding) -> Position {
        let mut offset = offset.min(self.len);
        while offset > 0 && !text.is_char_boundary(offset as usize) {
            offset -= 1;
        }
        let lc = self.index.line_col(TextSize::from(offset));
        match enc {
            Encoding::Utf8 => Position {
                line: lc.line,
                col: lc.col,
            },
            Encoding::Utf16 => match self.index.to_wide(WideEncoding::Utf16, lc) {
                Some(w) => Position {
                    line: w.line,
                    col: w.col,
                },
                None => Position {
                    line: lc.line,
                    col: lc.col,
                },
            },
        }
    }

    /// The byte offset of a position. Columns past the end of the line clamp to the line end,
    /// lines past the end clamp to the end of the text, and a column inside a character snaps to
    /// the character's start.
    #[must_use]
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> u32 {
        let Some(line_range) = self.index.line(pos.line) else {
            return self.len;
        };
        let line_start = u32::from(line_range.start());
        let line_text = &text[line_range.start().into()..line_range.end().into()];
        let content = line_text.trim_end_matches(['\n', '\r']);
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
        self.index
            .line_col(TextSize::from(offset.min(self.len)))
            .line
    }

    /// The byte range of a line, without its line break.
    #[must_use]
    pub fn line_range(&self, text: &str, line: u32) -> Option<(u32, u32)> {
        let r = self.index.line(line)?;
        let s: usize = r.start().into();
        let e: usize = r.end().into();
        let content = text[s..e].trim_end_matches(['\n', '\r']);
        Some((
            u32::try_from(s).ok()?,
            u32::try_from(s + content.len()).ok()?,
        ))
    }

    #[must_use]
    pub fn len(&self) -> u32 {
        self.len
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

// Keep the wide types referenced so a change of line-index's API shows up here first.
#[allow(dead_code)]
fn _assert_types(_: LineCol, _: WideLineCol) {}

#[cfg(test)]
mod tests {
    use super::*;

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
}
