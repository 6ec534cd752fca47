//! Moving byte ranges through the edits made to a text since they were computed, so the
//! findings of an older version's expansion stay on the text they are about while the user
//! types (instead of vanishing until the next expansion).
//!
//! Rule: a range moves with the text around it; a range that an edit touches (replaces,
//! inserts into, or borders) is dropped, because what it said may no longer be true.

use crate::core::diagnostic::{Diagnostic, Edit, Fix, Related};
use crate::core::text::{TextRange, TextSize};

/// Bytes `start..end` of the text before the edit were replaced by `len` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replaced {
    pub start: u32,
    pub end: u32,
    pub len: u32,
}

impl Replaced {
    /// A replacement of `range` by `text`.
    #[must_use]
    pub fn new(range: TextRange, text: &str) -> Self {
        Self {
            start: range.start().into(),
            end: range.end().into(),
            len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        }
    }
}

/// The one replacement that turns `old` into `new` (their common start and end kept), for
/// changes that send the whole text; `None` when they are equal.
#[must_use]
pub fn between(old: &str, new: &str) -> Option<Replaced> {
    if old == new {
        return None;
    }
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    Some(Replaced {
        start: n(prefix),
        end: n(a.len() - suffix),
        len: n(b.len() - suffix - prefix),
    })
}

/// `range` after `edits` (in the order they were made), or `None` when one of them touches it.
#[must_use]
pub fn map_range(range: TextRange, edits: &[Replaced]) -> Option<TextRange> {
    let (mut s, mut e) = (u32::from(range.start()), u32::from(range.end()));
    for ed in edits {
        if ed.start > e {
            continue;
        }
        if ed.end >= s {
            return None;
        }
        let shift = |v: u32| {
            let moved = i64::from(v) + i64::from(ed.len) - i64::from(ed.end - ed.start);
            u32::try_from(moved).ok()
        };
        s = shift(s)?;
        e = shift(e)?;
    }
    Some(TextRange::new(TextSize::from(s), TextSize::from(e)))
}

/// A finding after `edits`: its range moved, its related places and fixes moved or left out;
/// `None` when an edit touched its range.
#[must_use]
pub fn map_diagnostic(d: &Diagnostic, edits: &[Replaced]) -> Option<Diagnostic> {
    let range = map_range(d.range, edits)?;
    let related = d
        .related
        .iter()
        .filter_map(|r| {
            Some(Related {
                range: map_range(r.range, edits)?,
                message: r.message.clone(),
            })
        })
        .collect();
    let fixes = d
        .fixes
        .iter()
        .filter_map(|f| {
            let edits = f
                .edits
                .iter()
                .map(|x| {
                    Some(Edit {
                        range: map_range(x.range, edits)?,
                        text: x.text.clone(),
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Fix {
                title: f.title.clone(),
                edits,
            })
        })
        .collect();
    Some(Diagnostic {
        range,
        related,
        fixes,
        ..d.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: u32, e: u32) -> TextRange {
        TextRange::new(TextSize::from(s), TextSize::from(e))
    }

    /// Applies `edits` to `text` the way a client would.
    fn apply(text: &str, edits: &[(Replaced, &str)]) -> String {
        let mut t = text.to_owned();
        for (e, s) in edits {
            t.replace_range(e.start as usize..e.end as usize, s);
        }
        t
    }

    #[test]
    fn ranges_move_with_the_text_around_them() {
        let text = "name: x\nbase: bare\nextensions: [flask]\n";
        let at = u32::try_from(text.find("flask").unwrap()).unwrap();
        let flask = r(at, at + 5);
        // Typing before it, one character at a time, then deleting one.
        let mut edits = Vec::new();
        let mut now = text.to_owned();
        for (i, ch) in "abc".chars().enumerate() {
            let pos = 6 + u32::try_from(i).unwrap();
            let e = Replaced::new(r(pos, pos), &ch.to_string());
            now = apply(&now, &[(e, &ch.to_string())]);
            edits.push(e);
        }
        let del = Replaced::new(r(6, 7), "");
        now = apply(&now, &[(del, "")]);
        edits.push(del);
        let moved = map_range(flask, &edits).unwrap();
        assert_eq!(
            &now[usize::from(moved.start())..usize::from(moved.end())],
            "flask"
        );
        // Typing after it changes nothing.
        let end = u32::try_from(now.len()).unwrap();
        edits.push(Replaced::new(r(end, end), "#"));
        assert_eq!(map_range(flask, &edits), Some(moved));
    }

    #[test]
    fn ranges_touched_by_an_edit_are_dropped() {
        let range = r(10, 15);
        for e in [
            r(12, 12),
            r(10, 10),
            r(15, 15),
            r(8, 11),
            r(14, 20),
            r(0, 30),
        ] {
            assert_eq!(map_range(range, &[Replaced::new(e, "x")]), None, "{e:?}");
        }
        assert_eq!(
            map_range(range, &[Replaced::new(r(9, 9), "xy")]),
            Some(r(12, 17))
        );
        assert_eq!(
            map_range(range, &[Replaced::new(r(16, 16), "xy")]),
            Some(range)
        );
    }

    #[test]
    fn whole_text_changes_become_one_minimal_replacement() {
        assert_eq!(between("abc", "abc"), None);
        let e = between("key: value\nother: 1\n", "key: valXue\nother: 1\n").unwrap();
        assert_eq!((e.start, e.end, e.len), (8, 8, 1));
        let e = between("aaaa", "aa").unwrap();
        assert_eq!((e.start, e.end, e.len), (2, 4, 0));
        let e = between("ab", "xaby").unwrap();
        assert_eq!((e.start, e.end, e.len), (0, 2, 4));
    }

    #[test]
    fn fixes_and_related_places_move_too() {
        let mut d = Diagnostic::new(r(10, 15), crate::core::code::Code::DuplicateKey, "m");
        d.related.push(Related {
            range: r(3, 5),
            message: "first".into(),
        });
        d.fixes.push(Fix {
            title: "t".into(),
            edits: vec![Edit {
                range: r(10, 15),
                text: "y".into(),
            }],
        });
        let moved = map_diagnostic(&d, &[Replaced::new(r(5, 5), "abc")]).unwrap();
        assert_eq!(moved.range, r(13, 18));
        assert_eq!(moved.fixes[0].edits[0].range, r(13, 18));
        assert!(
            moved.related.is_empty(),
            "the edit bordered the related place"
        );
    }
}
