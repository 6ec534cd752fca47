//! Service and check commands that Pebble cannot read. rockcraft packs a `command` as written
//! (it splits only the entrypoint service's), and Pebble splits it when the rock starts: an
//! unclosed quote, a misplaced `[ ... ]` group of default arguments or an empty command make
//! it refuse the whole plan, and a bracket glued to an argument reaches the program as text.
//!
//! Pebble splits a command into words like a shell, with its own rules: `'...'` is literal,
//! `"..."` and a bare `\` escape the next character (any character), and a `#` at the start of
//! a word begins a comment up to the end of the line. A word that is exactly `[` opens the one
//! group of default arguments, a word `]` closes it, and the group must come after the program
//! and end the command. An open group may stay unclosed (Pebble accepts that).

use crate::core::code::Code;
use crate::core::diagnostic::{Diagnostic, Edit, Fix};
use crate::core::document::Document;
use crate::core::text::{TextRange, TextSize};
use crate::core::yaml::{NodeId, ScalarStyle};

use super::string_value;

/// What the rock does with a command Pebble refuses, for the messages.
const REFUSED: &str = "the rock builds, but Pebble refuses the plan when the rock starts (`cannot load plan`) and no service runs";

/// One word of a command as Pebble splits it, with byte offsets into the command.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    text: String,
    start: usize,
    end: usize,
    /// Where the unquoted `[` the word starts with is, when it does.
    open: Option<usize>,
    /// Where the unquoted `]` the word ends with is, when it does.
    close: Option<usize>,
}

/// Why Pebble cannot split a command into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SplitError {
    /// A quote that never closes, at its offset.
    Unclosed { quote: char, at: usize },
    /// A `\` at the very end, at its offset.
    TrailingEscape { at: usize },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Between,
    Word,
    Escape,
    Single,
    Double,
    DoubleEscape,
    Comment,
}

/// Splits `cmd` into words the way Pebble's lexer does.
fn split(cmd: &str) -> Result<Vec<Word>, SplitError> {
    let mut words = Vec::new();
    let mut state = State::Between;
    let mut cur: Option<Word> = None;
    let (mut quote_at, mut escape_at) = (0, 0);
    for (i, c) in cmd.char_indices() {
        let space = matches!(c, ' ' | '\t' | '\r' | '\n');
        match state {
            State::Between => {
                if space {
                    continue;
                }
                if c == '#' {
                    state = State::Comment;
                    continue;
                }
                let mut w = Word {
                    text: String::new(),
                    start: i,
                    end: i,
                    open: None,
                    close: None,
                };
                match c {
                    '\'' | '"' => {
                        quote_at = i;
                        state = if c == '"' {
                            State::Double
                        } else {
                            State::Single
                        };
                    }
                    '\\' => {
                        escape_at = i;
                        state = State::Escape;
                    }
                    _ => {
                        w.text.push(c);
                        w.open = (c == '[').then_some(i);
                        w.close = (c == ']').then_some(i);
                        state = State::Word;
                    }
                }
                cur = Some(w);
            }
            State::Word => {
                let Some(w) = cur.as_mut() else { continue };
                if space {
                    w.end = i;
                    words.extend(cur.take());
                    state = State::Between;
                    continue;
                }
                w.close = None;
                match c {
                    '\'' => {
                        quote_at = i;
                        state = State::Single;
                    }
                    '"' => {
                        quote_at = i;
                        state = State::Double;
                    }
                    '\\' => {
                        escape_at = i;
                        state = State::Escape;
                    }
                    _ => {
                        w.text.push(c);
                        w.close = (c == ']').then_some(i);
                    }
                }
            }
            State::Escape | State::DoubleEscape => {
                if let Some(w) = cur.as_mut() {
                    w.text.push(c);
                    w.close = None;
                }
                state = if state == State::Escape {
                    State::Word
                } else {
                    State::Double
                };
            }
            State::Single | State::Double => {
                let Some(w) = cur.as_mut() else { continue };
                w.close = None;
                match c {
                    '\'' if state == State::Single => state = State::Word,
                    '"' if state == State::Double => state = State::Word,
                    '\\' if state == State::Double => {
                        escape_at = i;
                        state = State::DoubleEscape;
                    }
                    _ => w.text.push(c),
                }
            }
            State::Comment => {
                if c == '\n' {
                    state = State::Between;
                }
            }
        }
    }
    match state {
        State::Single => Err(SplitError::Unclosed {
            quote: '\'',
            at: quote_at,
        }),
        State::Double | State::DoubleEscape => Err(SplitError::Unclosed {
            quote: '"',
            at: quote_at,
        }),
        State::Escape => Err(SplitError::TrailingEscape { at: escape_at }),
        State::Word => {
            if let Some(mut w) = cur {
                w.end = cmd.len();
                words.push(w);
            }
            Ok(words)
        }
        State::Between | State::Comment => Ok(words),
    }
}

/// What is wrong with a command, with byte offsets into it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    Split(SplitError),
    /// No words at all.
    Empty,
    /// The first word is `[`, at this offset.
    StartsWithGroup {
        at: usize,
    },
    /// A `[` inside the group, at this offset.
    Nested {
        at: usize,
    },
    /// Words after the closed group: the `]` word's start, then the words' span.
    AfterGroup {
        close: usize,
        from: usize,
        to: usize,
    },
    /// A `]` with no group open, at this offset.
    StrayClose {
        at: usize,
    },
    /// No refusal, but brackets glued to arguments: the words' spans and the offsets where a
    /// space makes each bracket a word of its own.
    Glued {
        words: Vec<(usize, usize)>,
        spaces: Vec<usize>,
    },
}

impl Problem {
    /// Whether Pebble refuses the plan (rather than passing the brackets on).
    fn refused(&self) -> bool {
        !matches!(self, Problem::Glued { .. })
    }
}

/// The first problem of `cmd`, in the order Pebble finds them; `with_groups` applies the
/// `[ ... ]` rules of service commands (a check's command is only split).
fn problem(cmd: &str, with_groups: bool) -> Option<Problem> {
    let words = match split(cmd) {
        Ok(w) => w,
        Err(e) => return Some(Problem::Split(e)),
    };
    if words.is_empty() {
        return Some(Problem::Empty);
    }
    if !with_groups {
        return None;
    }
    let (mut inside, mut seen) = (false, false);
    let mut close = 0;
    for (i, w) in words.iter().enumerate() {
        if inside {
            match w.text.as_str() {
                "[" => return Some(Problem::Nested { at: w.start }),
                "]" => {
                    inside = false;
                    close = w.start;
                }
                _ => {}
            }
            continue;
        }
        if seen {
            let last = words.last().map_or(w.end, |l| l.end);
            return Some(Problem::AfterGroup {
                close,
                from: w.start,
                to: last,
            });
        }
        match w.text.as_str() {
            "[" if i == 0 => return Some(Problem::StartsWithGroup { at: w.start }),
            "[" => (inside, seen) = (true, true),
            "]" => return Some(Problem::StrayClose { at: w.start }),
            _ => {}
        }
    }
    glued(&words, inside, seen)
}

/// Brackets glued to arguments where a group was clearly meant: the last word of an open
/// group ends with `]` (`[ --port 80]`), or, with no group, a word after the program starts
/// with `[` and the last word ends with `]` (`[--port 80]`).
fn glued(words: &[Word], inside: bool, seen: bool) -> Option<Problem> {
    let last = words.last()?;
    let close = last.close.filter(|_| last.text.len() > 1)?;
    if inside {
        return Some(Problem::Glued {
            words: vec![(last.start, last.end)],
            spaces: vec![close],
        });
    }
    if seen {
        return None;
    }
    let (i, first) = words
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, w)| w.open.is_some() && w.text.len() > 1)?;
    let open = first.open? + 1;
    let single = i + 1 == words.len();
    // One word `[...]` is a group only when it holds an option (`[--debug]`, not `[0-9]`);
    // over several words, the opening word must not close itself (`[a-z] x [0-9]`).
    if single && !first.text[1..].starts_with('-') || !single && first.close.is_some() {
        return None;
    }
    let mut spans = vec![(first.start, first.end)];
    if i + 1 < words.len() {
        spans.push((last.start, last.end));
    }
    Some(Problem::Glued {
        words: spans,
        spaces: vec![open, close],
    })
}

/// An edit of the command text: the byte range replaced and the new text.
type CommandEdit = (usize, usize, String);

/// `cmd` with `edits` (not overlapping) applied.
fn apply(cmd: &str, edits: &[CommandEdit]) -> Option<String> {
    let mut sorted = edits.to_vec();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = cmd.to_owned();
    for (s, e, t) in sorted {
        if s > e || e > out.len() || !out.is_char_boundary(s) || !out.is_char_boundary(e) {
            return None;
        }
        out.replace_range(s..e, &t);
    }
    Some(out)
}

/// The fixes of a problem, each kept only when Pebble reads the fixed command without any
/// finding: titles with command edits.
fn fixes(cmd: &str, p: &Problem, with_groups: bool) -> Vec<(String, Vec<CommandEdit>)> {
    let end = cmd.trim_end().len();
    let mut out: Vec<(String, Vec<CommandEdit>)> = Vec::new();
    match p {
        Problem::Split(SplitError::Unclosed { quote, at }) => {
            let before = cmd[..*at].chars().next_back();
            let after = cmd[at + 1..].chars().next();
            if *quote == '\''
                && before.is_some_and(char::is_alphanumeric)
                && after.is_some_and(char::is_alphanumeric)
            {
                // `it's`: an apostrophe, not an opening quote.
                out.push((
                    "Escape the apostrophe (`\\'`)".into(),
                    vec![(*at, *at, "\\".into())],
                ));
            } else {
                let rest = &cmd[(at + 1).min(end)..end];
                let word_end = rest
                    .find([' ', '\t', '\r', '\n'])
                    .map_or(end, |i| at + 1 + i);
                if rest.is_empty() || word_end == at + 1 {
                    // Nothing, or a blank, right after the quote: where it ends is anyone's guess.
                } else if word_end < end {
                    out.push((
                        format!("Close the quote after `{}`", &cmd[at + 1..word_end]),
                        vec![(word_end, word_end, quote.to_string())],
                    ));
                    let brackets = rest
                        .split([' ', '\t', '\r', '\n'])
                        .any(|w| w == "[" || w == "]");
                    if !brackets {
                        out.push((
                            "Close the quote at the end of the command".into(),
                            vec![(end, end, quote.to_string())],
                        ));
                    }
                } else {
                    out.push((
                        "Close the quote".into(),
                        vec![(end, end, quote.to_string())],
                    ));
                }
            }
        }
        Problem::Split(SplitError::TrailingEscape { at }) => {
            out.push((
                "Remove the trailing `\\`".into(),
                vec![(*at, *at + 1, String::new())],
            ));
        }
        Problem::AfterGroup { close, from, to } => {
            out.push((
                format!(
                    "Move `{}` into the `[ ... ]` group",
                    cmd.get(*from..*to).unwrap_or_default()
                ),
                vec![(*close, *from, String::new()), (*to, *to, " ]".into())],
            ));
        }
        Problem::StrayClose { at } => {
            // `[--port 80 ]`: the `[` glued to the first argument was meant to open the group.
            if let Ok(words) = split(cmd)
                && let Some(w) = words
                    .iter()
                    .skip(1)
                    .take_while(|w| w.start < *at)
                    .find(|w| w.open.is_some() && w.text.len() > 1)
                && let Some(open) = w.open
            {
                out.push((
                    "Put a space after `[`".into(),
                    vec![(open + 1, open + 1, " ".into())],
                ));
            }
        }
        Problem::Glued { spaces, .. } => {
            out.push((
                "Make each bracket a word of its own".into(),
                spaces.iter().map(|&s| (s, s, " ".into())).collect(),
            ));
        }
        Problem::Empty | Problem::StartsWithGroup { .. } | Problem::Nested { .. } => {}
    }
    out.retain(|(_, edits)| {
        apply(cmd, edits).is_some_and(|fixed| problem(&fixed, with_groups).is_none())
    });
    out
}

/// The words of `cmd` in `from..to`, for messages.
fn span(cmd: &str, from: usize, to: usize) -> &str {
    cmd.get(from..to).unwrap_or_default()
}

/// The message for a problem of a service's (`with_groups`) or a check's command.
fn message(cmd: &str, p: &Problem, with_groups: bool) -> String {
    match p {
        Problem::Split(SplitError::Unclosed { quote, .. }) => format!(
            "this `{quote}` opens a quoted string that never closes: {REFUSED}. Close it where the argument ends, or write `\\{quote}` for a literal `{quote}`"
        ),
        Problem::Split(SplitError::TrailingEscape { .. }) => format!(
            "the command ends with a `\\` that escapes nothing: {REFUSED}. Remove it (Pebble does not join lines)"
        ),
        Problem::Empty if cmd.is_empty() => {
            format!("the command is empty: {REFUSED}. Write the program and its arguments")
        }
        Problem::Empty => format!(
            "the command has no words (only blanks or a `#` comment): Pebble has no program to run, so this {} can never start (the rock builds). Write the program and its arguments",
            if with_groups { "service" } else { "check" }
        ),
        Problem::StartsWithGroup { .. } => format!(
            "the command starts with a `[ ... ]` group of default arguments, so there is no program to run: {REFUSED}. Write the program first, as in `/usr/bin/app [ --port 8080 ]`"
        ),
        Problem::Nested { .. } => format!(
            "a `[` inside the `[ ... ]` group of default arguments, which cannot be nested: {REFUSED}. Remove this `[`, or close the group before it"
        ),
        Problem::AfterGroup { from, to, .. } => format!(
            "`{}` comes after the `[ ... ]` group of default arguments, which must end the command: {REFUSED}. Move it into the group (replaced by `--args`) or before the `[` (always passed)",
            span(cmd, *from, *to)
        ),
        Problem::StrayClose { .. } => format!(
            "this `]` closes no `[ ... ]` group: {REFUSED}. Start the default arguments with a `[` of its own (`[ --port 8080 ]`), or remove the `]`"
        ),
        Problem::Glued { words, .. } => {
            let quoted: Vec<String> = words
                .iter()
                .map(|&(s, e)| format!("`{}`", span(cmd, s, e)))
                .collect();
            format!(
                "{} {} passed to the program as written: Pebble reads `[` and `]` as a group of default arguments only when each is a word of its own, as in `/usr/bin/app [ --port 8080 ]`",
                quoted.join(" and "),
                if quoted.len() == 1 { "is" } else { "are" }
            )
        }
    }
}

/// The byte ranges in the command that a problem points at.
fn spots(cmd: &str, p: &Problem) -> Vec<(usize, usize)> {
    let one = |at: usize| vec![(at, at + 1)];
    match p {
        Problem::Split(SplitError::Unclosed { at, .. } | SplitError::TrailingEscape { at })
        | Problem::StartsWithGroup { at }
        | Problem::Nested { at }
        | Problem::StrayClose { at } => one(*at),
        Problem::AfterGroup { from, to, .. } => vec![(*from, *to)],
        Problem::Glued { words, .. } => words.clone(),
        Problem::Empty => vec![(0, cmd.len())],
    }
}

/// Where each byte of the command is in the source: one absolute offset per byte and one for
/// its end, when a scalar on one line (plain, quoted with the simple escapes `''`, `\"`, `\\`,
/// `\/`, `\t`, or a block scalar of one line) allows to tell; `None` otherwise (other escapes,
/// folded lines), and the findings then cover the whole value.
fn source_map(doc: &Document, node: NodeId, cmd: &str) -> Option<Vec<usize>> {
    let scalar = doc.tree.scalar(node)?;
    let range = doc.range(node);
    let start = usize::from(range.start());
    let src = doc.text.get(start..usize::from(range.end()))?;
    let identity = |from: usize| Some((from..=from + cmd.len()).collect::<Vec<usize>>());
    match scalar.style {
        ScalarStyle::Plain => {
            if src == cmd {
                identity(start)
            } else {
                None
            }
        }
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            let inner = src.get(1..src.len().checked_sub(1)?)?;
            if inner.contains(['\n', '\r']) {
                return None;
            }
            let double = scalar.style == ScalarStyle::DoubleQuoted;
            let mut map = Vec::with_capacity(cmd.len() + 1);
            let mut decoded = String::with_capacity(cmd.len());
            let mut chars = inner.char_indices();
            while let Some((i, c)) = chars.next() {
                let at = start + 1 + i;
                let c = match c {
                    '\'' if !double => {
                        chars.next();
                        '\''
                    }
                    '\\' if double => match chars.next()?.1 {
                        e @ ('"' | '\\' | '/' | ' ') => e,
                        't' => '\t',
                        _ => return None,
                    },
                    c => {
                        map.extend((0..c.len_utf8()).map(|k| at + k));
                        decoded.push(c);
                        continue;
                    }
                };
                map.push(at);
                decoded.push(c);
            }
            map.push(start + src.len() - 1);
            (decoded == cmd).then_some(map)
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            let body = cmd.trim_end();
            if body.contains(['\n', '\r']) {
                return None;
            }
            // The span starts at the text or, with some readers, at the `|`/`>` header.
            let from = if src.starts_with(body) {
                start
            } else {
                let header = src.find('\n')? + 1;
                let rest = &src[header..];
                let indent = rest.len() - rest.trim_start_matches(' ').len();
                if !rest[indent..].starts_with(body) {
                    return None;
                }
                start + header + indent
            };
            // Past the text, only its line break (never edited) follows.
            let mut map: Vec<usize> = (from..=from + body.len()).collect();
            let last = map.last().copied().unwrap_or(start);
            map.extend(std::iter::repeat_n(last, cmd.len() - body.len()));
            Some(map)
        }
    }
}

/// `text` as it must be written inside a scalar of `style` to read as itself.
fn escaped(style: ScalarStyle, text: &str) -> String {
    match style {
        ScalarStyle::SingleQuoted => text.replace('\'', "''"),
        ScalarStyle::DoubleQuoted => text.replace('\\', "\\\\").replace('"', "\\\""),
        ScalarStyle::Plain | ScalarStyle::Literal | ScalarStyle::Folded => text.to_owned(),
    }
}

fn range(from: usize, to: usize) -> TextRange {
    let at = |o: usize| TextSize::from(u32::try_from(o).unwrap_or(u32::MAX));
    TextRange::new(at(from), at(to))
}

/// The diagnostic for the command in `node`, if Pebble cannot read it (`with_groups` for a
/// service's command): on the quote or bracket at fault when the source maps byte for byte,
/// else on the whole value, with the fixes Pebble then reads.
fn diagnose(doc: &Document, node: NodeId, with_groups: bool) -> Option<Diagnostic> {
    let cmd = string_value(doc, node)?;
    let p = problem(cmd, with_groups)?;
    let code = if p.refused() {
        Code::ServiceCommandSyntax
    } else {
        Code::ServiceCommandGluedBracket
    };
    let whole = doc.range(node);
    let map = source_map(doc, node, cmd);
    let style = doc.tree.scalar(node).map(|s| s.style)?;
    let spots = spots(cmd, &p);
    let mapped = |s: usize, e: usize| {
        let m = map.as_ref()?;
        Some(range(*m.get(s)?, *m.get(e)?))
    };
    let at = match spots.first() {
        Some(&(s, e)) if e > s && p != Problem::Empty => mapped(s, e).unwrap_or(whole),
        _ => whole,
    };
    let mut d = Diagnostic::new(at, code, message(cmd, &p, with_groups));
    if map.is_none() {
        return Some(d);
    }
    if style == ScalarStyle::Plain
        && fixes(cmd, &p, with_groups).iter().any(|(_, edits)| {
            apply(cmd, edits).is_none_or(|f| {
                f.contains(" #") || f.contains("\t#") || f.contains(": ") || f.ends_with(':')
            })
        })
    {
        // A plain scalar cannot take these: YAML would read a comment or a mapping.
        return Some(d);
    }
    for &(s, e) in spots.iter().skip(1) {
        if let Some(r) = mapped(s, e) {
            d = d.with_related(r, "glued here too");
        }
    }
    for (title, edits) in fixes(cmd, &p, with_groups) {
        let edits: Option<Vec<Edit>> = edits
            .into_iter()
            .map(|(s, e, t)| {
                Some(Edit {
                    range: mapped(s, e)?,
                    text: escaped(style, &t),
                })
            })
            .collect();
        if let Some(edits) = edits {
            d.fixes.push(Fix { title, edits });
        }
    }
    Some(d)
}

/// Warns on each service `command` and check `exec.command` Pebble cannot read. The
/// entrypoint service's command is left to the entrypoint rule when rockcraft itself refuses
/// it (one mistake, one diagnostic).
pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    // The commands the entrypoint rule already reports (one at most, in practice).
    let reported: Vec<TextRange> = out
        .iter()
        .filter(|d| d.code == Code::EntrypointCommandSyntax)
        .flat_map(|d| d.related.iter().map(|r| r.range))
        .collect();
    let mut found = Vec::new();
    for svc in doc.section("services") {
        let Some(cmd) = doc.tree.entry(svc.value, "command") else {
            continue;
        };
        if reported.contains(&doc.range(cmd.value)) {
            continue;
        }
        found.extend(diagnose(doc, cmd.value, true));
    }
    for chk in doc.section("checks") {
        let Some(exec) = doc.tree.get(chk.value, "exec") else {
            continue;
        };
        if let Some(cmd) = doc.tree.entry(exec, "command") {
            found.extend(diagnose(doc, cmd.value, false));
        }
    }
    out.extend(found);
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::{Problem, SplitError, problem, split};
    use crate::core::analysis::analyze;
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_codes, fixed, rock};

    fn words(cmd: &str) -> Vec<String> {
        split(cmd).unwrap().into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn words_split_as_pebble_does() {
        assert_eq!(
            words(r#"a 'b c' "d \" \e" f\ g '' x#y # z"#),
            ["a", "b c", "d \" e", "f g", "", "x#y"]
        );
        assert_eq!(words("a # c [\nb"), ["a", "b"]);
        assert_eq!(
            split("a 'b"),
            Err(SplitError::Unclosed { quote: '\'', at: 2 })
        );
        assert_eq!(
            split(r#"a "b\"#),
            Err(SplitError::Unclosed { quote: '"', at: 2 })
        );
        assert_eq!(split("a \\"), Err(SplitError::TrailingEscape { at: 2 }));
    }

    #[test]
    fn groups_follow_pebbles_rules() {
        assert_eq!(problem("/bin/x [ --a ]", true), None);
        assert_eq!(problem("/bin/x [ --a", true), None);
        assert_eq!(problem("/bin/x [ ]", true), None);
        assert_eq!(problem("/bin/x '[' a ']'", true), None);
        assert_eq!(problem("/bin/x [ a ] b", false), None);
        assert_eq!(
            problem("[ /bin/x ]", true),
            Some(Problem::StartsWithGroup { at: 0 })
        );
        assert_eq!(
            problem("/bin/x [ a [ b ] ]", true),
            Some(Problem::Nested { at: 11 })
        );
        assert_eq!(
            problem("/bin/x [ a ] b c", true),
            Some(Problem::AfterGroup {
                close: 11,
                from: 13,
                to: 16
            })
        );
        assert_eq!(
            problem("/bin/x ] a", true),
            Some(Problem::StrayClose { at: 7 })
        );
        assert_eq!(problem("  # nothing", true), Some(Problem::Empty));
        assert_eq!(problem("", false), Some(Problem::Empty));
        // Brackets glued to words: passed on as text, not a refusal.
        assert_eq!(
            problem("/bin/x [ --port 80]", true),
            Some(Problem::Glued {
                words: vec![(16, 19)],
                spaces: vec![18]
            })
        );
        assert_eq!(
            problem("/bin/x [--port 80]", true),
            Some(Problem::Glued {
                words: vec![(7, 14), (15, 18)],
                spaces: vec![8, 17]
            })
        );
        assert_eq!(problem("/bin/x [a-z]+ x", true), None);
        assert_eq!(problem("/bin/grep [0-9]", true), None);
        assert_eq!(problem("/bin/x [a-z] y [0-9]", true), None);
        assert_eq!(
            problem("/bin/x [--debug]", true),
            Some(Problem::Glued {
                words: vec![(7, 16)],
                spaces: vec![8, 15]
            })
        );
        assert_eq!(problem("/bin/x '[--port' '80]'", true), None);
    }

    /// A project whose `web` service runs `command` (written as given, YAML quoting included).
    fn service(command: &str) -> String {
        rock(&format!(
            "services:\n  web:\n    override: replace\n    command: {command}\n"
        ))
    }

    #[test]
    fn unclosed_quotes() {
        check_codes(
            &[Code::ServiceCommandSyntax],
            r#"
            services:
              web:
                override: replace
                command: /bin/sh -c 'echo hi
                                  # ^ warning[service-command-syntax]: this `'` opens a quoted string that never closes: the rock builds, but Pebble refuses the plan when the rock starts
              api:
                override: replace
                command: '/bin/api --name=it''s'
                                          # ^^ warning[service-command-syntax]: this `'` opens a quoted string
              db:
                override: replace
                command: "/bin/db --x \"y"
                                    # ^^ warning[service-command-syntax]: this `"` opens
              ok:
                override: replace
                command: /bin/ok 'a b' [ --c ]
            "#,
        );
        // Where the quote ends is a guess: both places are offered.
        let found = analyze(&service("/bin/sh -c 'echo hi"));
        let titles: Vec<&str> = found
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::ServiceCommandSyntax)
            .flat_map(|d| d.fixes.iter().map(|f| f.title.as_str()))
            .collect();
        assert_eq!(
            titles,
            [
                "Close the quote after `echo`",
                "Close the quote at the end of the command"
            ]
        );
    }

    #[test]
    fn brackets_in_the_wrong_place() {
        check_codes(
            &[Code::ServiceCommandSyntax, Code::ServiceCommandGluedBracket],
            r"
            services:
              a:
                override: replace
                command: '[ /bin/a ]'
                        # ^ warning[service-command-syntax]: the command starts with a `[ ... ]` group
              b:
                override: replace
                command: /bin/b [ x [ y ] ]
                                  # ^ warning[service-command-syntax]: which cannot be nested
              c:
                override: replace
                command: /bin/c -k [ sync ] --backlog 1024
                                          # ^^^^^^^^^^^^^^ warning[service-command-syntax]: `--backlog 1024` comes after the `[ ... ]` group
              d:
                override: replace
                command: /bin/d --x ]
                                  # ^ warning[service-command-syntax]: this `]` closes no `[ ... ]` group
              e:
                override: replace
                command: /bin/e [ --port 80]
                                       # ^^^ warning[service-command-glued-bracket]: `80]` is passed to the program as written
              f:
                override: replace
                command: ''
                       # ^^ warning[service-command-syntax]: the command is empty
            checks:
              up:
                override: replace
                exec:
                  command: /bin/check 'x
                                    # ^ warning[service-command-syntax]: this `'` opens a quoted string
              fine:
                override: replace
                exec:
                  command: /bin/check [ x
            ",
        );
    }

    #[test]
    fn fixes_that_pebble_then_reads() {
        let fix = |cmd: &str| {
            let text = service(cmd);
            let code = analyze(&text)
                .diagnostics
                .iter()
                .map(|d| d.code)
                .find(|c| {
                    [Code::ServiceCommandSyntax, Code::ServiceCommandGluedBracket].contains(c)
                })
                .unwrap_or(Code::ServiceCommandSyntax);
            let out = fixed(&text, code);
            let (title, text) = out.split_once('\n').unwrap_or((&out, ""));
            let line = text
                .lines()
                .find(|l| l.trim_start().starts_with("command:"))
                .unwrap_or_default()
                .trim()
                .to_owned();
            format!("{title} => {line}")
        };
        assert_eq!(
            fix("/bin/c -k [ sync ] --backlog 1024"),
            "Move `--backlog 1024` into the `[ ... ]` group => command: /bin/c -k [ sync --backlog 1024 ]"
        );
        assert_eq!(
            fix("/bin/a --name=it's"),
            "Escape the apostrophe (`\\'`) => command: /bin/a --name=it\\'s"
        );
        assert_eq!(
            fix("'/bin/a --name=it''s'"),
            "Escape the apostrophe (`\\'`) => command: '/bin/a --name=it\\''s'"
        );
        assert_eq!(
            fix(r#""/bin/a --m 'x""#),
            "Close the quote => command: \"/bin/a --m 'x'\""
        );
        assert_eq!(
            fix("\"/bin/a --m 'x y\""),
            "Close the quote after `x` => command: \"/bin/a --m 'x' y\""
        );
        assert_eq!(
            fix(r#"'/bin/a "x'"#),
            "Close the quote => command: '/bin/a \"x\"'"
        );
        assert_eq!(
            fix(r#""/bin/a \"x""#),
            "Close the quote => command: \"/bin/a \\\"x\\\"\""
        );
        assert_eq!(
            fix("/bin/a x \\"),
            "Remove the trailing `\\` => command: /bin/a x"
        );
        assert_eq!(
            fix("/bin/a [--port 80 ]"),
            "Put a space after `[` => command: /bin/a [ --port 80 ]"
        );
        assert_eq!(
            fix("/bin/a [--port 80]"),
            "Make each bracket a word of its own => command: /bin/a [ --port 80 ]"
        );
        assert_eq!(
            fix("|\n      /bin/a [ --port 80]"),
            "Make each bracket a word of its own => command: |"
        );
        // No fix where the intent is unclear, or where escapes hide the offsets.
        assert_eq!(
            fix("/bin/a [ x [ y ] ]"),
            "no fix for service-command-syntax => "
        );
        assert_eq!(fix("'[ /bin/a ]'"), "no fix for service-command-syntax => ");
        assert_eq!(fix("/bin/a ' x"), "no fix for service-command-syntax => ");
        assert_eq!(fix("/bin/a x '"), "no fix for service-command-syntax => ");
        assert_eq!(
            fix(r#""/bin/a \u00e9 'x""#),
            "no fix for service-command-syntax => "
        );
    }

    /// Thousands of broken commands, each long: one finding each, in time linear in the text.
    #[test]
    fn many_long_broken_commands() {
        let long = "x ".repeat(500);
        let mut text = String::from("services:\n");
        for i in 0..1_000 {
            let _ = writeln!(
                text,
                "  s{i}:\n    override: replace\n    command: /bin/a {long}'open"
            );
        }
        let found = analyze(&text);
        let n = found
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::ServiceCommandSyntax)
            .count();
        assert_eq!(n, 1_000);
    }

    /// The entrypoint rule already reports a command rockcraft cannot split.
    #[test]
    fn the_entrypoint_service_is_reported_once() {
        check_codes(
            &[Code::ServiceCommandSyntax, Code::EntrypointCommandSyntax],
            r"
            entrypoint-service: web
                              # ^^^ error[entrypoint-command-syntax]: rockcraft cannot read the command of service `web`
            services:
              web:
                override: replace
                command: /bin/web [ 'x ]
            ",
        );
    }
}
