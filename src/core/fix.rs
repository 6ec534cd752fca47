//! Fixes applied without a person choosing them (`check --fix`), and the one rule that says
//! when a change makes a project worse: it adds an error of a kind there were fewer of, or it
//! fixes an error without leaving fewer errors. The same rule guards the fix-safety tests.
//! Pure: the analysis of a changed text is passed in.

use std::collections::BTreeMap;
use std::fmt;

use crate::core::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::core::ide::edit::apply_edits;

/// The errors among `diagnostics`, counted per code.
#[must_use]
pub fn error_counts(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        *out.entry(d.code.name()).or_default() += 1;
    }
    out
}

/// How a change made a project worse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Worse {
    /// The error codes there are more of after the change, in name order.
    pub added: Vec<&'static str>,
    pub errors_before: usize,
    pub errors_after: usize,
}

impl Worse {
    /// Why the change is refused, in words: "its fixes would …".
    #[must_use]
    pub fn reason(&self) -> String {
        let counts = format!(
            "{} errors before, {} after",
            self.errors_before, self.errors_after
        );
        if self.added.is_empty() {
            format!("its fixes would not leave fewer errors ({counts})")
        } else {
            let codes: Vec<String> = self.added.iter().map(|c| format!("`{c}`")).collect();
            format!(
                "its fixes would add errors: {} ({counts})",
                codes.join(", ")
            )
        }
    }
}

/// The form the fix-safety tests' known exceptions are written against.
impl fmt::Display for Worse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "adds {:?} ({} errors before, {} after)",
            self.added, self.errors_before, self.errors_after
        )
    }
}

/// Whether changing a project whose findings were `before` into one whose findings are
/// `after` made it worse: an error code with more findings than before, or, when one of the
/// findings `fixed` (those whose fixes made the change) is an error, no fewer errors in all.
#[must_use]
pub fn worse(before: &[Diagnostic], after: &[Diagnostic], fixed: &[&Diagnostic]) -> Option<Worse> {
    let (before, after) = (error_counts(before), error_counts(after));
    let errors_before: usize = before.values().sum();
    let errors_after: usize = after.values().sum();
    let added: Vec<&'static str> = after
        .iter()
        .filter(|(code, n)| **n > before.get(*code).copied().unwrap_or(0))
        .map(|(code, _)| *code)
        .collect();
    let fixes_an_error = fixed.iter().any(|d| d.severity == Severity::Error);
    let no_progress = fixes_an_error && errors_after >= errors_before;
    (!added.is_empty() || no_progress).then_some(Worse {
        added,
        errors_before,
        errors_after,
    })
}

/// The most passes of fixes over one text: a fix can bring out a finding with a fix of its
/// own, and fixes left out of a pass for overlapping get their turn in the next.
pub const MAX_PASSES: usize = 4;

/// Edits that do not conflict, by start: two edits conflict when their ranges overlap or
/// they start at the same place (two insertions there would be applied in no defined order).
/// Checking one edit against them looks at its two neighbours only, so a pass over a hostile
/// file with a hundred thousand fixes stays quick.
#[derive(Default)]
struct Disjoint {
    /// Start → end of each edit taken.
    taken: BTreeMap<u32, u32>,
}

impl Disjoint {
    fn conflicts(&self, e: &Edit) -> bool {
        let (start, end) = (u32::from(e.range.start()), u32::from(e.range.end()));
        // The edit starting at or before `start` conflicts when it starts there or reaches
        // past it; the next one when it starts before `end`.
        let before = self
            .taken
            .range(..=start)
            .next_back()
            .is_some_and(|(&s, &en)| s == start || en > start);
        let after = self
            .taken
            .range(start + 1..)
            .next()
            .is_some_and(|(&s, _)| s < end);
        before || after
    }

    fn take(&mut self, e: &Edit) {
        self.taken
            .insert(u32::from(e.range.start()), u32::from(e.range.end()));
    }
}

/// Whether every edit of `fix` replaces a range of `text` that starts and ends on character
/// boundaries, none conflicts with another or with `taken`.
fn fits(text: &str, fix: &Fix, taken: &Disjoint) -> bool {
    let mut own = Disjoint::default();
    for e in &fix.edits {
        let (s, end) = (usize::from(e.range.start()), usize::from(e.range.end()));
        let in_text = s <= end && text.is_char_boundary(s) && text.is_char_boundary(end);
        if !in_text || own.conflicts(e) || taken.conflicts(e) {
            return false;
        }
        own.take(e);
    }
    !fix.edits.is_empty()
}

/// The fixes applied together in one pass over `text`, with the findings they fix: the fix of
/// each finding that has exactly one (a finding offering several leaves the choice to a
/// person), in the order of the findings, leaving out a fix with an edit that conflicts with
/// an edit already taken (it waits for the next pass, when its finding is found again).
#[must_use]
pub fn select<'a>(text: &str, diagnostics: &'a [Diagnostic]) -> Vec<(&'a Diagnostic, &'a Fix)> {
    let mut chosen: Vec<(&Diagnostic, &Fix)> = Vec::new();
    let mut taken = Disjoint::default();
    for d in diagnostics {
        let [fix] = d.fixes.as_slice() else {
            continue;
        };
        if fits(text, fix, &taken) {
            for e in &fix.edits {
                taken.take(e);
            }
            chosen.push((d, fix));
        }
    }
    chosen
}

/// What fixing a text came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// There was nothing to fix, or the fixes changed nothing in the end.
    Unchanged,
    /// Fixes were applied: the new text, how many fixes, and the findings on the new text.
    Fixed {
        text: String,
        applied: usize,
        diagnostics: Vec<Diagnostic>,
    },
    /// A pass of fixes would have made the text worse: nothing is applied at all.
    Refused(Worse),
}

/// Applies the fixes of `diagnostics` (the findings on `text`) pass after pass, as [`select`]
/// chooses them, at most [`MAX_PASSES`] times, with `analyze` giving the findings on each new
/// text. When a pass would make the text worse (see [`worse`]), the whole text is refused.
pub fn fix_all(
    text: &str,
    diagnostics: &[Diagnostic],
    mut analyze: impl FnMut(&str) -> Vec<Diagnostic>,
) -> Outcome {
    let mut current: Option<(String, Vec<Diagnostic>)> = None;
    let mut applied = 0usize;
    for _ in 0..MAX_PASSES {
        let (text_now, found) = current
            .as_ref()
            .map_or((text, diagnostics), |(t, d)| (t.as_str(), d.as_slice()));
        let chosen = select(text_now, found);
        if chosen.is_empty() {
            break;
        }
        let edits: Vec<Edit> = chosen
            .iter()
            .flat_map(|(_, f)| f.edits.iter().cloned())
            .collect();
        let next = apply_edits(text_now, &edits);
        if next == text_now {
            break;
        }
        let after = analyze(&next);
        let fixed: Vec<&Diagnostic> = chosen.iter().map(|(d, _)| *d).collect();
        if let Some(w) = worse(found, &after, &fixed) {
            return Outcome::Refused(w);
        }
        applied += chosen.len();
        current = Some((next, after));
    }
    match current {
        Some((fixed, _)) if fixed == text => Outcome::Unchanged,
        Some((text, diagnostics)) => Outcome::Fixed {
            text,
            applied,
            diagnostics,
        },
        None => Outcome::Unchanged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::code::Code;
    use crate::core::text::{TextRange, TextSize};

    fn range(s: u32, e: u32) -> TextRange {
        TextRange::new(TextSize::from(s), TextSize::from(e))
    }

    fn error(code: Code, s: u32, e: u32) -> Diagnostic {
        Diagnostic::new(range(s, e), code, "m")
    }

    /// A toy analysis: an `unknown-key` error at each `X`, fixed by writing `x`; a `Y` is an
    /// `invalid-value` error with no fix.
    fn analyze(text: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (i, c) in text.char_indices() {
            let i = u32::try_from(i).unwrap();
            match c {
                'X' => {
                    let d = error(Code::UnknownKey, i, i + 1);
                    out.push(d.with_fix("x", range(i, i + 1), "x"));
                }
                'Y' => out.push(error(Code::InvalidValue, i, i + 1)),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn worse_means_a_new_error_code_or_no_fewer_errors() {
        let a = error(Code::UnknownKey, 0, 1);
        let b = error(Code::InvalidValue, 0, 1);
        let (a_, b_) = (std::slice::from_ref(&a), std::slice::from_ref(&b));
        assert_eq!(worse(a_, &[], &[&a]), None);
        let w = worse(a_, b_, &[&a]).unwrap();
        assert_eq!(w.added, ["invalid-value"]);
        assert_eq!(
            w.to_string(),
            "adds [\"invalid-value\"] (1 errors before, 1 after)"
        );
        // No new code, but the fixed error is still there.
        let w = worse(a_, a_, &[&a]).unwrap();
        assert!(w.added.is_empty());
        assert!(
            w.reason().contains("not leave fewer errors"),
            "{}",
            w.reason()
        );
        // A change that fixes nothing in particular only must not add errors.
        assert_eq!(worse(a_, a_, &[]), None);
        let mut warning = a.clone();
        warning.severity = Severity::Warning;
        assert_eq!(
            worse(&[warning.clone()], &[warning.clone()], &[&warning]),
            None
        );
    }

    #[test]
    fn only_sole_fixes_that_do_not_conflict_are_selected() {
        let one = error(Code::UnknownKey, 0, 1).with_fix("a", range(0, 1), "a");
        let two = error(Code::UnknownKey, 2, 3)
            .with_fix("b", range(2, 3), "b")
            .with_fix("c", range(2, 3), "c");
        let overlapping = error(Code::UnknownKey, 0, 2).with_fix("d", range(0, 2), "d");
        let same_start = error(Code::UnknownKey, 0, 0).with_fix("e", range(0, 0), "e");
        let off_boundary = error(Code::UnknownKey, 5, 6).with_fix("f", range(5, 6), "f");
        let beyond = error(Code::UnknownKey, 9, 99).with_fix("g", range(9, 99), "g");
        let ds = [one, two, overlapping, same_start, off_boundary, beyond];
        let chosen: Vec<&str> = select("abcd€", &ds)
            .iter()
            .map(|(_, f)| f.title.as_str())
            .collect();
        assert_eq!(chosen, ["a"]);
    }

    #[test]
    fn edits_are_applied_in_one_walk() {
        let e = |s, end, t: &str| Edit {
            range: range(s, end),
            text: t.into(),
        };
        let (a, b, c) = (e(4, 4, "!"), e(0, 1, "AB"), e(2, 3, ""));
        assert_eq!(apply_edits("abcd", &[a, b, c]), "ABbd!");
        // A hostile number of fixes: one pass, in linear time.
        let text = "X ".repeat(100_000);
        let found = analyze(&text);
        assert_eq!(select(&text, &found).len(), 100_000);
        let Outcome::Fixed { text, applied, .. } = fix_all(&text, &found, analyze) else {
            panic!()
        };
        assert_eq!((applied, text.len()), (100_000, 200_000));
        assert!(!text.contains('X'));
    }

    #[test]
    fn fixes_are_applied_in_passes() {
        let text = "X X Y";
        let Outcome::Fixed {
            text,
            applied,
            diagnostics,
        } = fix_all(text, &analyze(text), analyze)
        else {
            panic!("not fixed");
        };
        assert_eq!((text.as_str(), applied), ("x x Y", 2));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(fix_all("Y", &analyze("Y"), analyze), Outcome::Unchanged);
    }

    #[test]
    fn a_pass_that_makes_things_worse_refuses_the_whole_text() {
        // A fix that writes an invalid value instead.
        let bad = |text: &str| {
            let mut out = analyze(text);
            for d in &mut out {
                if d.code == Code::UnknownKey {
                    d.fixes[0].edits[0].text = "Y".into();
                }
            }
            out
        };
        let outcome = fix_all("X", &bad("X"), bad);
        let Outcome::Refused(w) = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(w.added, ["invalid-value"]);
        // A fix that never converges stops after the last pass.
        let grow = |text: &str| {
            let i = u32::try_from(text.len()).unwrap();
            let d = Diagnostic::new(range(0, i), Code::VersionNotString, "m");
            vec![d.with_fix("f", range(0, i), format!("{text}a"))]
        };
        let Outcome::Fixed { applied, text, .. } = fix_all("a", &grow("a"), grow) else {
            panic!()
        };
        assert_eq!((applied, text.as_str()), (MAX_PASSES, "aaaaa"));
        // Fixes that undo each other leave the text as it was: nothing to write.
        let flip = |text: &str| {
            let i = u32::try_from(text.len()).unwrap();
            let d = Diagnostic::new(range(0, i), Code::VersionNotString, "m");
            vec![d.with_fix("f", range(0, i), if text == "a" { "b" } else { "a" })]
        };
        assert_eq!(fix_all("a", &flip("a"), flip), Outcome::Unchanged);
    }
}
