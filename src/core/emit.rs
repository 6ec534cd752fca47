//! Byte-exact YAML printing of a `serde_json::Value`, matching PyYAML 6.0.3 as rockcraft uses it.
//!
//! Rockcraft prints `expand-extensions` output with a `yaml.SafeDumper` subclass whose
//! string representer asks for the literal block style (`|`) whenever a string contains
//! `"\n"`, and calls `yaml.dump(obj, sort_keys=False, allow_unicode=True)` with the
//! default width (80), indent (2) and block style. This module re-implements the parts
//! of PyYAML's representer, resolver and emitter that such a dump goes through, so that
//! [`to_yaml_string`] returns the very same bytes:
//!
//! * block mappings and block sequences (sequences inside a mapping are not indented),
//!   empty containers as `{}` / `[]`;
//! * the scalar style choice of PyYAML's `analyze_scalar` / `choose_scalar_style`
//!   (plain, single quoted, double quoted with escapes, literal `|` with chomping and
//!   indentation indicators), including the implicit resolver check that quotes strings
//!   such as `'0.1'`, `'yes'`, `'null'` or `'2001-12-14'`;
//! * folding of long plain and quoted scalars at column 80;
//! * Python `repr` formatting of floats, with PyYAML's `.0e` fix-up;
//! * `? ` complex keys for keys that cannot be simple (empty, multi-line, 123+ chars);
//! * the `...` document end marker PyYAML writes after an open-ended document.
//!
//! Mapping keys keep their order (serde_json's `preserve_order` feature).

use serde_json::{Map, Number, Value};

/// PyYAML's default `best_indent`.
const BEST_INDENT: usize = 2;
/// PyYAML's default `best_width`.
const BEST_WIDTH: usize = 80;

/// Prints `value` exactly as PyYAML 6.0.3 dumps the equivalent Python object with
/// rockcraft's dumper (`sort_keys=False`, `allow_unicode=True`, literal style for
/// strings containing a newline). The result always ends with a newline.
pub fn to_yaml_string(value: &Value) -> String {
    let mut emitter = Emitter::new(BEST_WIDTH);
    emitter.emit_document(value);
    emitter.out
}

/// Like [`to_yaml_string`], but long plain and quoted strings are never folded onto several
/// lines: for text a person reads or edits (hover previews, inserted overrides), where a
/// command split in the middle is harder to work with than a long line.
pub fn to_yaml_string_unfolded(value: &Value) -> String {
    let mut emitter = Emitter::new(usize::MAX / 4);
    emitter.emit_document(value);
    emitter.out
}

/// The node context PyYAML's `expect_node` records.
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
    /// PyYAML's `implicit[0]`: the plain form resolves back to the node's own tag.
    plain_implicit: bool,
}

impl Scalar {
    fn string(s: &str) -> Self {
        let text: Vec<char> = s.chars().collect();
        let plain_implicit = resolves_to_str(&text);
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

/// The result of PyYAML's `analyze_scalar` (only the fields the block emitter needs).
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

// ------------------------------------------------------------------ resolver

/// True when PyYAML's implicit resolvers would read the plain scalar `text` as a
/// string (not as bool, int, float, null, timestamp, merge, value or yaml).
fn resolves_to_str(text: &[char]) -> bool {
    let Some(&first) = text.first() else {
        return false; // '' is null
    };
    let other = match first {
        'y' | 'Y' | 'n' | 'N' | 't' | 'T' | 'f' | 'F' | 'o' | 'O' => {
            is_bool(text) || (matches!(first, 'n' | 'N') && is_null(text))
        }
        '~' => is_null(text),
        '<' => text == ['<', '<'],
        '=' => text == ['='],
        '!' | '&' | '*' => text.len() == 1,
        '-' | '+' | '.' | '0'..='9' => {
            is_float(text) || is_int(text) || (first.is_ascii_digit() && is_timestamp(text))
        }
        _ => false,
    };
    !other
}

fn is_bool(text: &[char]) -> bool {
    let s: String = text.iter().collect();
    matches!(
        s.as_str(),
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    )
}

fn is_null(text: &[char]) -> bool {
    let s: String = text.iter().collect();
    matches!(s.as_str(), "~" | "null" | "Null" | "NULL" | "")
}

/// A tiny cursor for hand-written, regex-equivalent matchers.
struct Cur<'a> {
    t: &'a [char],
    p: usize,
}

impl<'a> Cur<'a> {
    fn new(t: &'a [char]) -> Self {
        Cur { t, p: 0 }
    }
    fn peek(&self) -> Option<char> {
        self.t.get(self.p).copied()
    }
    fn end(&self) -> bool {
        self.p >= self.t.len()
    }
    fn eat(&mut self, f: impl Fn(char) -> bool) -> bool {
        match self.peek() {
            Some(c) if f(c) => {
                self.p += 1;
                true
            }
            _ => false,
        }
    }
    fn eat_char(&mut self, c: char) -> bool {
        self.eat(|x| x == c)
    }
    /// Consumes as many matching characters as possible; returns how many.
    fn eat_all(&mut self, f: impl Fn(char) -> bool) -> usize {
        let start = self.p;
        while self.eat(&f) {}
        self.p - start
    }
    fn sign(&mut self) {
        self.eat(|c| c == '-' || c == '+');
    }
    /// `(?::[0-5]?[0-9])+` followed by something that is not a digit.
    fn sexagesimal_groups(&mut self) -> bool {
        let mut groups = 0;
        while self.peek() == Some(':') {
            let save = self.p;
            self.p += 1;
            let start = self.p;
            let n = self.eat_all(|c| c.is_ascii_digit());
            let ok = n == 1 || (n == 2 && ('0'..='5').contains(&self.t[start]));
            if !ok {
                self.p = save;
                break;
            }
            groups += 1;
        }
        groups > 0
    }
}

fn is_digit_or_underscore(c: char) -> bool {
    c.is_ascii_digit() || c == '_'
}

/// `[eE][-+][0-9]+` (optional) then end of text.
fn exponent_then_end(c: &mut Cur) -> bool {
    if c.end() {
        return true;
    }
    c.eat(|x| x == 'e' || x == 'E')
        && c.eat(|x| x == '-' || x == '+')
        && c.eat_all(|x| x.is_ascii_digit()) > 0
        && c.end()
}

fn is_float(text: &[char]) -> bool {
    // [-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?
    let alt1 = || {
        let mut c = Cur::new(text);
        c.sign();
        c.eat(|x| x.is_ascii_digit())
            && {
                c.eat_all(is_digit_or_underscore);
                c.eat_char('.')
            }
            && {
                c.eat_all(is_digit_or_underscore);
                exponent_then_end(&mut c)
            }
    };
    // \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    let alt2 = || {
        let mut c = Cur::new(text);
        c.eat_char('.') && c.eat(|x| x.is_ascii_digit()) && {
            c.eat_all(is_digit_or_underscore);
            exponent_then_end(&mut c)
        }
    };
    // [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    let alt3 = || {
        let mut c = Cur::new(text);
        c.sign();
        c.eat(|x| x.is_ascii_digit())
            && {
                c.eat_all(is_digit_or_underscore);
                c.sexagesimal_groups()
            }
            && c.eat_char('.')
            && {
                c.eat_all(is_digit_or_underscore);
                c.end()
            }
    };
    // [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
    let alt45 = || {
        let s: String = text.iter().collect();
        let unsigned = s.strip_prefix(['-', '+']).unwrap_or(&s);
        matches!(unsigned, ".inf" | ".Inf" | ".INF")
            || matches!(s.as_str(), ".nan" | ".NaN" | ".NAN")
    };
    alt1() || alt2() || alt3() || alt45()
}

fn is_int(text: &[char]) -> bool {
    let body_start = usize::from(matches!(text.first(), Some('-' | '+')));
    let body = &text[body_start..];
    let all_from = |from: usize, f: &dyn Fn(char) -> bool| {
        body.len() > from && body[from..].iter().all(|&c| f(c))
    };
    // 0b[0-1_]+
    if body.starts_with(&['0', 'b']) && all_from(2, &|c| c == '0' || c == '1' || c == '_') {
        return true;
    }
    // 0x[0-9a-fA-F_]+
    if body.starts_with(&['0', 'x']) && all_from(2, &|c| c.is_ascii_hexdigit() || c == '_') {
        return true;
    }
    // 0[0-7_]+
    if body.first() == Some(&'0') && all_from(1, &|c| ('0'..='7').contains(&c) || c == '_') {
        return true;
    }
    // 0 | [1-9][0-9_]*
    if body == ['0'] {
        return true;
    }
    if matches!(body.first(), Some('1'..='9'))
        && body[1..].iter().all(|&c| is_digit_or_underscore(c))
    {
        return true;
    }
    // [1-9][0-9_]*(?::[0-5]?[0-9])+
    let mut c = Cur::new(body);
    c.eat(|x| ('1'..='9').contains(&x))
        && {
            c.eat_all(is_digit_or_underscore);
            c.sexagesimal_groups()
        }
        && c.end()
}

fn is_timestamp(text: &[char]) -> bool {
    let digit = |c: char| c.is_ascii_digit();
    // [0-9]{4}-[0-9]{2}-[0-9]{2}
    if text.len() == 10
        && text
            .iter()
            .enumerate()
            .all(|(i, &c)| if i == 4 || i == 7 { c == '-' } else { digit(c) })
    {
        return true;
    }
    let mut c = Cur::new(text);
    let one_or_two = |c: &mut Cur| (1..=2).contains(&c.eat_all(digit));
    if c.eat_all(digit) != 4 || !c.eat_char('-') || !one_or_two(&mut c) || !c.eat_char('-') {
        return false;
    }
    if !one_or_two(&mut c) {
        return false;
    }
    // (?:[Tt]|[ \t]+)
    if !c.eat(|x| x == 'T' || x == 't') && c.eat_all(|x| x == ' ' || x == '\t') == 0 {
        return false;
    }
    if !one_or_two(&mut c) || !c.eat_char(':') || c.eat_all(digit) != 2 || !c.eat_char(':') {
        return false;
    }
    if c.eat_all(digit) != 2 {
        return false;
    }
    if c.eat_char('.') {
        c.eat_all(digit);
    }
    if c.end() {
        return true;
    }
    // (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?$
    c.eat_all(|x| x == ' ' || x == '\t');
    if c.eat_char('Z') {
        return c.end();
    }
    if !c.eat(|x| x == '-' || x == '+') || !one_or_two(&mut c) {
        return false;
    }
    if c.end() {
        return true;
    }
    c.eat_char(':') && c.eat_all(digit) == 2 && c.end()
}

// ------------------------------------------------------------- representer

/// Python `repr(float)` followed by PyYAML's `represent_float` adjustments.
fn format_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    // Shortest round-trip digits, as Python's repr uses.
    let sci = format!("{f:e}");
    let (negative, rest) = match sci.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, sci.as_str()),
    };
    let (mantissa, exp) = rest.split_once('e').unwrap_or((rest, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(digits.get(..1).unwrap_or("0"));
        // Python writes `1e+16`; PyYAML turns it into `1.0e+16`.
        out.push('.');
        if digits.len() > 1 {
            out.push_str(digits.get(1..).unwrap_or(""));
        } else {
            out.push('0');
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.unsigned_abs()));
    }
    out
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
    /// Column past which strings are folded (PyYAML's `best_width`).
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
                self.emit_scalar(&Scalar::typed(if *b { "true" } else { "false" }), ctx)
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

    /// Writes the breaks `text[start..end]` the way PyYAML's flow scalar writers do.
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
            let pending = end as isize - start as isize;
            if 0 < end
                && end + 1 < len
                && (ch == Some(' ') || start >= end)
                && self.column as isize + pending > self.width as isize
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
