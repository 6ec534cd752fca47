//! Byte-exact YAML printing of a `serde_json::Value`, matching `PyYAML` 6.0.3 as rockcraft uses it.
//!
//! Rockcraft prints `expand-extensions` output with a `yaml.SafeDumper` subclass whose
//! string representer asks for the literal block style (`|`) whenever a string contains
//! `"\n"`, and calls `yaml.dump(obj, sort_keys=False, allow_unicode=True)` with the
//! default width (80), indent (2) and block style. This module re-implements the parts
//! of `PyYAML`'s representer, resolver and emitter that such a dump goes through, so that
//! [`to_yaml_string`] returns the very same bytes:
//!
//! * block mappings and block sequences (sequences inside a mapping are not indented),
//!   empty containers as `{}` / `[]`;
//! * the scalar style choice of `PyYAML`'s `analyze_scalar` / `choose_scalar_style`
//!   (plain, single quoted, double quoted with escapes, literal `|` with chomping and
//!   indentation indicators), including the implicit resolver check that quotes strings
//!   such as `'0.1'`, `'yes'`, `'null'` or `'2001-12-14'` (the loader's own resolver,
//!   [`crate::core::yaml::resolves_to_str`]);
//! * folding of long plain and quoted scalars at column 80;
//! * Python `repr` formatting of floats ([`crate::core::py::float_str`]), with `PyYAML`'s `.0e`
//!   fix-up;
//! * `? ` complex keys for keys that cannot be simple (empty, multi-line, 123+ chars);
//! * the `...` document end marker `PyYAML` writes after an open-ended document.
//!
//! Mapping keys keep their order (`serde_json`'s `preserve_order` feature).

use serde_json::{Map, Number, Value};

use crate::core::py;
use crate::core::yaml::resolves_to_str;

/// `PyYAML`'s default `best_indent`.
const BEST_INDENT: usize = 2;
/// `PyYAML`'s default `best_width`.
const BEST_WIDTH: usize = 80;

/// Prints `value` exactly as `PyYAML` 6.0.3 dumps the equivalent Python object with
/// rockcraft's dumper (`sort_keys=False`, `allow_unicode=True`, literal style for
/// strings containing a newline). The result always ends with a newline.
#[must_use]
pub fn to_yaml_string(value: &Value) -> String {
    let mut emitter = Emitter::new(BEST_WIDTH);
    emitter.emit_document(value);
    emitter.out
}

/// Like [`to_yaml_string`], but long plain and quoted strings are never folded onto several
/// lines: for text a person reads or edits (hover previews, inserted overrides), where a
/// command split in the middle is harder to work with than a long line.
#[must_use]
pub fn to_yaml_string_unfolded(value: &Value) -> String {
    let mut emitter = Emitter::new(usize::MAX / 4);
    emitter.emit_document(value);
    emitter.out
}

/// The node context `PyYAML`'s `expect_node` records.
#[derive(Clone, Copy, Default)]
struct Ctx {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// A scalar ready to be emitted.
struct Scalar {
    text: Vec<char>,
    /// Whether the representer asked for the literal style (`str` containing `\n`).
    literal_requested: bool,
    /// `PyYAML`'s `implicit[0]`: the plain form resolves back to the node's own tag.
    plain_implicit: bool,
}

impl Scalar {
    fn string(s: &str) -> Self {
        let text: Vec<char> = s.chars().collect();
        let plain_implicit = resolves_to_str(s);
        Scalar {
            text,
            literal_requested: s.contains('\n'),
            plain_implicit,
        }
    }

    /// A non-string scalar (null, bool, number) whose text always resolves to its tag.
    fn typed(s: &str) -> Self {
        Scalar {
            text: s.chars().collect(),
            literal_requested: false,
            plain_implicit: true,
        }
    }
}

/// The result of `PyYAML`'s `analyze_scalar` (only the fields the block emitter needs).
struct Analysis {
    empty: bool,
    multiline: bool,
    allow_block_plain: bool,
    allow_single_quoted: bool,
    allow_block: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_space_or_break_or_nul(c: char) -> bool {
    matches!(
        c,
        '\0' | ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn analyze(text: &[char]) -> Analysis {
    if text.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_block_plain: true,
            allow_single_quoted: true,
            allow_block: false,
        };
    }
    let len = text.len();
    let mut block_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;

    if text.starts_with(&['-', '-', '-']) || text.starts_with(&['.', '.', '.']) {
        block_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let mut followed_by_whitespace = len == 1 || is_space_or_break_or_nul(text[1]);
    let mut previous_space = false;
    let mut previous_break = false;

    for (index, &ch) in text.iter().enumerate() {
        if index == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) {
                block_indicators = true;
            }
            if (ch == '?' || ch == ':' || ch == '-') && followed_by_whitespace {
                block_indicators = true;
            }
        } else {
            if ch == ':' && followed_by_whitespace {
                block_indicators = true;
            }
            if ch == '#' && preceded_by_whitespace {
                block_indicators = true;
            }
        }

        if is_break(ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || ('\x20'..='\x7e').contains(&ch)) {
            let unicode = (ch == '\u{85}'
                || ('\u{a0}'..='\u{d7ff}').contains(&ch)
                || ('\u{e000}'..='\u{fffd}').contains(&ch)
                || ('\u{10000}'..'\u{10ffff}').contains(&ch))
                && ch != '\u{feff}';
            // allow_unicode=True: unicode characters are not special.
            if !unicode {
                special_characters = true;
            }
        }

        if ch == ' ' {
            if index == 0 {
                leading_space = true;
            }
            if index == len - 1 {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(ch) {
            if index == 0 {
                leading_break = true;
            }
            if index == len - 1 {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }

        preceded_by_whitespace = is_space_or_break_or_nul(ch);
        followed_by_whitespace = index + 2 >= len || is_space_or_break_or_nul(text[index + 2]);
    }

    let mut allow_block_plain = true;
    let mut allow_single_quoted = true;
    let mut allow_block = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        allow_block_plain = false;
    }
    if trailing_space {
        allow_block = false;
    }
    if break_space {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if space_break || special_characters {
        allow_block_plain = false;
        allow_single_quoted = false;
        allow_block = false;
    }
    if line_breaks || block_indicators {
        allow_block_plain = false;
    }
    Analysis {
        empty: false,
        multiline: line_breaks,
        allow_block_plain,
        allow_single_quoted,
        allow_block,
    }
}

// ------------------------------------------------------------- representer

/// Python `repr(float)` followed by `PyYAML`'s `represent_float` adjustments.
fn format_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    // Python writes `1e+16`; PyYAML turns it into `1.0e+16`.
    let repr = py::float_str(f);
    if !repr.contains('.') && repr.contains('e') {
        repr.replacen('e', ".0e", 1)
    } else {
        repr
    }
}

fn format_number(n: &Number) -> String {
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    let text = n.to_string();
    let digits = text.strip_prefix('-').unwrap_or(&text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        // A big integer kept verbatim (serde_json's `arbitrary_precision`).
        return text;
    }
    match n.as_f64() {
        Some(f) => format_float(f),
        None => text,
    }
}

// ------------------------------------------------------------------ emitter

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
    indent: Option<usize>,
    indents: Vec<Option<usize>>,
    /// Column past which strings are folded (`PyYAML`'s `best_width`).
    width: usize,
}

impl Emitter {
    fn new(width: usize) -> Self {
        Emitter {
            width,
            out: String::new(),
            column: 0,
            whitespace: true,
            indention: true,
            open_ended: false,
            indent: None,
            indents: Vec::new(),
        }
    }

    fn emit_document(&mut self, value: &Value) {
        // The document start is always implicit: the root node is never an empty
        // implicit scalar without a tag.
        self.emit_node(
            value,
            Ctx {
                root: true,
                ..Ctx::default()
            },
        );
        // Document end (not explicit).
        self.write_indent();
        // Stream end.
        if self.open_ended {
            self.write_indicator("...", true, false, false);
            self.write_indent();
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        match self.indent {
            None => self.indent = Some(if flow { BEST_INDENT } else { 0 }),
            Some(i) if !indentless => self.indent = Some(i + BEST_INDENT),
            Some(_) => {}
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().flatten();
    }

    fn emit_node(&mut self, value: &Value, ctx: Ctx) {
        match value {
            Value::Null => self.emit_scalar(&Scalar::typed("null"), ctx),
            Value::Bool(b) => {
                self.emit_scalar(&Scalar::typed(if *b { "true" } else { "false" }), ctx);
            }
            Value::Number(n) => self.emit_scalar(&Scalar::typed(&format_number(n)), ctx),
            Value::String(s) => self.emit_scalar(&Scalar::string(s), ctx),
            Value::Array(items) if items.is_empty() => self.emit_empty_flow("[", "]"),
            Value::Object(map) if map.is_empty() => self.emit_empty_flow("{", "}"),
            Value::Array(items) => self.emit_block_sequence(items, ctx),
            Value::Object(map) => self.emit_block_mapping(map),
        }
    }

    fn emit_empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn emit_block_sequence(&mut self, items: &[Value], ctx: Ctx) {
        let indentless = ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.emit_node(item, Ctx::default());
        }
        self.pop_indent();
    }

    fn emit_block_mapping(&mut self, map: &Map<String, Value>) {
        self.increase_indent(false, false);
        let mapping = Ctx {
            mapping: true,
            ..Ctx::default()
        };
        for (key, value) in map {
            self.write_indent();
            let key = Scalar::string(key);
            let analysis = analyze(&key.text);
            // PyYAML's check_simple_key also counts the prepared tag (`!!str`, 5
            // characters), even though the tag is never written for implicit keys.
            let simple = key.text.len() + 5 < 128 && !analysis.empty && !analysis.multiline;
            if simple {
                self.emit_scalar_analyzed(
                    &key,
                    &analysis,
                    Ctx {
                        simple_key: true,
                        ..mapping
                    },
                );
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.emit_scalar_analyzed(&key, &analysis, mapping);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.emit_node(value, mapping);
        }
        self.pop_indent();
    }

    fn emit_scalar(&mut self, scalar: &Scalar, ctx: Ctx) {
        let analysis = analyze(&scalar.text);
        self.emit_scalar_analyzed(scalar, &analysis, ctx);
    }

    fn emit_scalar_analyzed(&mut self, scalar: &Scalar, analysis: &Analysis, ctx: Ctx) {
        self.increase_indent(true, false);
        let style = choose_scalar_style(scalar, analysis, ctx.simple_key);
        let split = !ctx.simple_key;
        let text = &scalar.text;
        match style {
            Style::Plain => self.write_plain(text, split, ctx.root),
            Style::SingleQuoted => self.write_single_quoted(text, split),
            Style::DoubleQuoted => self.write_double_quoted(text, split),
            Style::Literal => self.write_literal(text),
        }
        self.pop_indent();
    }

    // ------------------------------------------------------------ writers

    fn write_str(&mut self, s: &str) {
        self.column += s.chars().count();
        self.out.push_str(s);
    }

    fn write_chars(&mut self, chars: &[char]) {
        self.column += chars.len();
        self.out.extend(chars.iter());
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        whitespace: bool,
        indention: bool,
    ) {
        if !self.whitespace && need_whitespace {
            self.write_str(" ");
        }
        self.write_str(indicator);
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
        self.open_ended = false;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.write_line_break('\n');
        }
        if self.column < indent {
            self.whitespace = true;
            self.out
                .extend(std::iter::repeat_n(' ', indent - self.column));
            self.column = indent;
        }
    }

    fn write_line_break(&mut self, br: char) {
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
        self.out.push(br);
    }

    /// Writes the breaks `text[start..end]` the way `PyYAML`'s flow scalar writers do.
    fn write_breaks(&mut self, breaks: &[char], double_first_newline: bool) {
        if double_first_newline && breaks.first() == Some(&'\n') {
            self.write_line_break('\n');
        }
        for &br in breaks {
            self.write_line_break(br);
        }
    }

    fn write_plain(&mut self, text: &[char], split: bool, root: bool) {
        if root {
            self.open_ended = true;
        }
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.write_str(" ");
        }
        self.whitespace = false;
        self.indention = false;
        let mut spaces = false;
        let mut breaks = false;
        let mut start = 0;
        let len = text.len();
        for end in 0..=len {
            let ch = text.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end && self.column > self.width && split {
                        self.write_indent();
                        self.whitespace = false;
                        self.indention = false;
                    } else {
                        self.write_chars(&text[start..end]);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&text[start..end], true);
                    self.write_indent();
                    self.whitespace = false;
                    self.indention = false;
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || is_break(c)) {
                self.write_chars(&text[start..end]);
                start = end;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
        }
    }

    fn write_single_quoted(&mut self, text: &[char], split: bool) {
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut start = 0;
        let len = text.len();
        for end in 0..=len {
            let ch = text.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end
                        && self.column > self.width
                        && split
                        && start != 0
                        && end != len
                    {
                        self.write_indent();
                    } else {
                        self.write_chars(&text[start..end]);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&text[start..end], true);
                    self.write_indent();
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || c == '\'' || is_break(c)) && start < end {
                self.write_chars(&text[start..end]);
                start = end;
            }
            if ch == Some('\'') {
                self.write_str("''");
                start = end + 1;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
        }
        self.write_indicator("'", false, false, false);
    }

    fn write_double_quoted(&mut self, text: &[char], split: bool) {
        self.write_indicator("\"", true, false, false);
        let mut start = 0;
        let len = text.len();
        for end in 0..=len {
            let ch = text.get(end).copied();
            let needs_escape = match ch {
                None => true,
                Some(c) => {
                    matches!(
                        c,
                        '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
                    ) || !(('\x20'..='\x7e').contains(&c)
                        || ('\u{a0}'..='\u{d7ff}').contains(&c)
                        || ('\u{e000}'..='\u{fffd}').contains(&c))
                }
            };
            if needs_escape {
                if start < end {
                    self.write_chars(&text[start..end]);
                    start = end;
                }
                if let Some(c) = ch {
                    let escaped = escape_char(c);
                    self.write_str(&escaped);
                    start = end + 1;
                }
            }
            // Columns and offsets are far below `isize::MAX`.
            let pending = end.cast_signed() - start.cast_signed();
            if 0 < end
                && end + 1 < len
                && (ch == Some(' ') || start >= end)
                && self.column.cast_signed() + pending > self.width.cast_signed()
                && split
            {
                if start < end {
                    let chunk: Vec<char> = text[start..end].to_vec();
                    self.write_chars(&chunk);
                    start = end;
                }
                self.write_str("\\");
                self.write_indent();
                self.whitespace = false;
                self.indention = false;
                if text.get(start) == Some(&' ') {
                    self.write_str("\\");
                }
            }
        }
        self.write_indicator("\"", false, false, false);
    }

    fn write_literal(&mut self, text: &[char]) {
        let mut hints = String::new();
        if let (Some(&first), Some(&last)) = (text.first(), text.last()) {
            if first == ' ' || is_break(first) {
                hints.push_str(&BEST_INDENT.to_string());
            }
            if !is_break(last) {
                hints.push('-');
            } else if text.len() == 1 || is_break(text[text.len() - 2]) {
                hints.push('+');
            }
        }
        self.write_indicator(&format!("|{hints}"), true, false, false);
        if hints.ends_with('+') {
            self.open_ended = true;
        }
        self.write_line_break('\n');
        let mut breaks = true;
        let mut start = 0;
        let len = text.len();
        for end in 0..=len {
            let ch = text.get(end).copied();
            if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&text[start..end], false);
                    if ch.is_some() {
                        self.write_indent();
                    }
                    start = end;
                }
            } else if ch.is_none_or(is_break) {
                // PyYAML does not advance the column here.
                self.out.extend(text[start..end].iter());
                if ch.is_none() {
                    self.write_line_break('\n');
                }
                start = end;
            }
            if let Some(c) = ch {
                breaks = is_break(c);
            }
        }
    }
}

fn choose_scalar_style(scalar: &Scalar, analysis: &Analysis, simple_key: bool) -> Style {
    // The emitter only ever sees scalars in block context: flow collections are
    // always empty here.
    if !scalar.literal_requested
        && scalar.plain_implicit
        && !(simple_key && (analysis.empty || analysis.multiline))
        && analysis.allow_block_plain
    {
        return Style::Plain;
    }
    if scalar.literal_requested {
        if !simple_key && analysis.allow_block {
            return Style::Literal;
        }
    } else if analysis.allow_single_quoted && !(simple_key && analysis.multiline) {
        return Style::SingleQuoted;
    }
    Style::DoubleQuoted
}

fn escape_char(c: char) -> String {
    let short = match c {
        '\0' => Some('0'),
        '\x07' => Some('a'),
        '\x08' => Some('b'),
        '\t' => Some('t'),
        '\n' => Some('n'),
        '\x0b' => Some('v'),
        '\x0c' => Some('f'),
        '\r' => Some('r'),
        '\x1b' => Some('e'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        '\u{85}' => Some('N'),
        '\u{a0}' => Some('_'),
        '\u{2028}' => Some('L'),
        '\u{2029}' => Some('P'),
        _ => None,
    };
    let code = c as u32;
    match short {
        Some(s) => format!("\\{s}"),
        None if code <= 0xff => format!("\\x{code:02X}"),
        None if code <= 0xffff => format!("\\u{code:04X}"),
        None => format!("\\U{code:08X}"),
    }
}
