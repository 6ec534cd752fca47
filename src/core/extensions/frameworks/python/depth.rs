//! A cheap linear pre-scan that bounds how deeply a Python source nests before it reaches the
//! recursive parser: the syntax tree of a hostile file (tens of thousands of nested brackets,
//! f-strings or unary operators) is built, walked and dropped by recursion, which would
//! overflow the thread's stack and abort the process. `CPython` refuses such files too; the
//! limits and messages below are `CPython`'s where it has one.

use super::PySyntaxError;

/// Brackets open at once (`(`, `[`, `{`, and the braces of f-string replacement fields).
/// `CPython`'s tokenizer refuses the 201st with "too many nested parentheses" (`MAXLEVEL`).
pub const MAX_NESTED_BRACKETS: usize = 200;

/// F-strings nested inside each other's replacement fields. `CPython` 3.12 refuses the 150th
/// with "too many nested f-strings" (`MAXFSTRINGLEVEL`).
pub const MAX_NESTED_FSTRINGS: usize = 150;

/// Indentation levels open at once. `CPython`'s tokenizer refuses the 100th with "too many
/// levels of indentation" (`MAXINDENT`).
pub const MAX_INDENT_LEVELS: usize = 100;

/// An upper bound on the depth of the syntax tree of one statement, counted as the operators,
/// keywords and brackets that can each add a level (see [`check_depth`]). `CPython` 3.11 gives
/// up at 2,988 levels of unary minus, attribute access or `+` ("maximum recursion depth
/// exceeded during ast construction"); this stays a little below so that nothing `CPython`
/// refuses reaches the parser, and far below what the parser's callers' stacks hold.
pub const MAX_EXPRESSION_DEPTH: u32 = 2_900;

/// How the message starts when [`MAX_EXPRESSION_DEPTH`] is exceeded: `CPython`'s wording
/// (3.12) for a source its parser cannot nest that deep; our limit follows it.
const TOO_COMPLEX: &str = "Python source too complex to parse";

impl PySyntaxError {
    /// Whether this is the expression-depth refusal of [`check_depth`] (an estimate, where
    /// the tokenizer's own errors take precedence).
    #[must_use]
    pub fn is_estimate(&self) -> bool {
        self.msg.starts_with(TOO_COMPLEX)
    }
}

/// What the scanner is inside of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    /// A bracket of code, closed by `close`.
    Bracket { close: char },
    /// The text of an f-string (or t-string) literal.
    FString { quote: char, triple: bool },
    /// A replacement field `{...}` of an f-string: code, closed by `}`.
    Field,
    /// The format spec after `:` in a replacement field: text with nested fields, ended by
    /// the field's `}`.
    Spec,
}

/// Operator precedence groups, loosest first, as far as they matter for the depth of the
/// tree: within one element, a chain of operators of one group nests, and an operator of a
/// looser group separates chains of tighter ones (`a*b + c*d`: two `*` chains of one).
mod prec {
    /// `lambda`, `if`/`else`, `yield`, `for`, `:=`.
    pub const KEYWORD: usize = 0;
    pub const OR: usize = 1;
    pub const AND: usize = 2;
    /// Prefix `not`.
    pub const NOT: usize = 3;
    /// `<`, `==`, `in`, `is`, ...
    pub const COMPARE: usize = 4;
    pub const BIT_OR: usize = 5;
    pub const BIT_XOR: usize = 6;
    pub const BIT_AND: usize = 7;
    pub const SHIFT: usize = 8;
    /// Binary `+` and `-`.
    pub const ARITH: usize = 9;
    /// `*`, `/`, `//`, `%`, `@`.
    pub const TERM: usize = 10;
    /// Prefix `-`, `+`, `~`, `*`, `await`, and `**`, `.`, calls and subscripts: one group, since
    /// prefix operators sit inside the operands of `**` (`2**-2**-2`).
    pub const TIGHT: usize = 11;
    pub const COUNT: usize = 12;
}

/// One open level and the depth estimate of its current comma-separated element.
#[derive(Clone, Copy, Debug)]
struct Frame {
    level: Level,
    /// The current chain length of each precedence group in the current element.
    runs: [u32; prec::COUNT],
    /// The longest chain of each group in the current element.
    longest: [u32; prec::COUNT],
    /// The sum of `longest`: the element's depth before its brackets.
    ops: u32,
    /// The deepest nested level closed in the current element, plus one.
    child: u32,
    /// The deepest element of this level closed so far.
    best: u32,
}

impl Frame {
    fn new(level: Level) -> Self {
        Self {
            level,
            runs: [0; prec::COUNT],
            longest: [0; prec::COUNT],
            ops: 0,
            child: 0,
            best: 0,
        }
    }

    fn close_element(&mut self) {
        self.best = self.best.max(self.ops.saturating_add(self.child));
        let level = self.level;
        *self = Self {
            best: self.best,
            ..Self::new(level)
        };
    }

    /// An operator of `group`: `chains` when it extends a chain of its group (binary and
    /// prefix operators), else it only opens one (flat nodes: `and`, `or`, comparisons);
    /// `binary` when it separates the chains of tighter groups.
    fn operator(&mut self, group: usize, chains: bool, binary: bool) {
        let run = if chains {
            self.runs[group].saturating_add(1)
        } else {
            self.runs[group].max(1)
        };
        self.runs[group] = run;
        if run > self.longest[group] {
            self.ops = self.ops.saturating_add(run - self.longest[group]);
            self.longest[group] = run;
        }
        if binary {
            for r in &mut self.runs[group + 1..] {
                *r = 0;
            }
        }
    }
}

struct Scanner<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    /// The statement level: not a bracket, but counted the same way.
    top: Frame,
    stack: Vec<Frame>,
    /// The sum of `ops + 1` of every frame below the innermost one (the path to it).
    base: u32,
    brackets: usize,
    fstrings: usize,
    indents: Vec<usize>,
    at_line_start: bool,
    /// Whether the last token ends an operand (a name, a number, a string, a closing
    /// bracket): a following `-` is binary, else prefix.
    after_operand: bool,
    /// Whether the last token is `is` (so `not` is part of `is not`).
    after_is: bool,
}

/// Refuses a source that nests deeper than `CPython` allows or than the parser can take:
/// brackets ([`MAX_NESTED_BRACKETS`]), f-strings ([`MAX_NESTED_FSTRINGS`]), indentation
/// ([`MAX_INDENT_LEVELS`]) and operators of one statement ([`MAX_EXPRESSION_DEPTH`]).
///
/// The expression estimate is an upper bound: within each comma-separated element of each
/// bracket, every operator (`-`, `+`, `.`, `**`, `not`, `lambda`, `if`, `await`, ...) and every
/// bracket counts one level, and the element's depth is its count plus its deepest bracket.
/// Comparisons, `and`/`or` and commas build flat nodes and do not count.
///
/// # Errors
/// The first limit exceeded, with `CPython`'s message and the line where it is exceeded.
pub fn check_depth(source: &str) -> Result<(), PySyntaxError> {
    let mut s = Scanner {
        chars: source.chars().peekable(),
        line: 1,
        top: Frame::new(Level::Field),
        stack: Vec::new(),
        base: 0,
        brackets: 0,
        fstrings: 0,
        indents: Vec::new(),
        at_line_start: true,
        after_operand: false,
        after_is: false,
    };
    s.run()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || !c.is_ascii()
}

impl Scanner<'_> {
    fn error(&self, msg: String) -> PySyntaxError {
        PySyntaxError {
            msg,
            line: self.line,
        }
    }

    fn frame(&mut self) -> &mut Frame {
        self.stack.last_mut().unwrap_or(&mut self.top)
    }

    /// The estimate along the current path, checked after every increment.
    fn check_estimate(&self) -> Result<(), PySyntaxError> {
        let f = self.stack.last().unwrap_or(&self.top);
        let indent = u32::try_from(self.indents.len()).unwrap_or(u32::MAX);
        let value = self
            .base
            .saturating_add(indent)
            .saturating_add(f.ops)
            .saturating_add(f.child);
        if value > MAX_EXPRESSION_DEPTH {
            return Err(self.error(format!(
                "{TOO_COMPLEX}: expressions nested more than {MAX_EXPRESSION_DEPTH} levels deep"
            )));
        }
        Ok(())
    }

    /// Counts an operator (see [`Frame::operator`]) and checks the estimate.
    fn op(&mut self, group: usize, chains: bool, binary: bool) -> Result<(), PySyntaxError> {
        self.after_operand = false;
        self.frame().operator(group, chains, binary);
        self.check_estimate()
    }

    /// A binary operator of `group` that nests (`+`, `*`, `|`, ...).
    fn binary(&mut self, group: usize) -> Result<(), PySyntaxError> {
        self.op(group, true, true)
    }

    /// A prefix operator of `group`.
    fn prefix(&mut self, group: usize) -> Result<(), PySyntaxError> {
        self.op(group, true, false)
    }

    /// A flat operator of `group` (`and`, `or`, comparisons).
    fn flat(&mut self, group: usize) -> Result<(), PySyntaxError> {
        self.op(group, false, true)
    }

    /// The end of an element (`,`, `=`, `->`, augmented assignments).
    fn element_end(&mut self) {
        self.after_operand = false;
        self.frame().close_element();
    }

    fn push(&mut self, level: Level) -> Result<(), PySyntaxError> {
        // A call, subscript or display: one more level of the tightest group.
        self.prefix(prec::TIGHT)?;
        match level {
            Level::Bracket { .. } | Level::Field => {
                self.brackets += 1;
                if self.brackets > MAX_NESTED_BRACKETS {
                    return Err(self.error("too many nested parentheses".into()));
                }
            }
            Level::FString { .. } => {
                self.fstrings += 1;
                if self.fstrings >= MAX_NESTED_FSTRINGS {
                    return Err(self.error("too many nested f-strings".into()));
                }
            }
            Level::Spec => {}
        }
        let f = self.stack.last().unwrap_or(&self.top);
        self.base = self.base.saturating_add(f.ops).saturating_add(1);
        self.stack.push(Frame::new(level));
        self.check_estimate()
    }

    fn pop(&mut self) -> Result<(), PySyntaxError> {
        let Some(mut done) = self.stack.pop() else {
            return Ok(());
        };
        match done.level {
            Level::Bracket { .. } | Level::Field => self.brackets -= 1,
            Level::FString { .. } => self.fstrings -= 1,
            Level::Spec => {}
        }
        done.close_element();
        let parent = self.stack.last_mut().unwrap_or(&mut self.top);
        self.base = self.base.saturating_sub(parent.ops.saturating_add(1));
        parent.child = parent.child.max(done.best.saturating_add(1));
        self.after_operand = !matches!(done.level, Level::Field | Level::Spec);
        self.check_estimate()
    }

    fn newline(&mut self, c: char) {
        if c == '\r' && self.chars.peek() == Some(&'\n') {
            self.chars.next();
        }
        self.line += 1;
    }

    fn run(&mut self) -> Result<(), PySyntaxError> {
        loop {
            let level = self.stack.last().map(|f| f.level);
            let more = match level {
                Some(Level::FString { quote, triple }) => self.fstring_text(quote, triple)?,
                Some(Level::Spec) => self.spec_text()?,
                _ => self.code(level)?,
            };
            if !more {
                return Ok(());
            }
        }
    }

    /// One step of code; `false` at the end of the source.
    fn code(&mut self, level: Option<Level>) -> Result<bool, PySyntaxError> {
        if self.at_line_start && level.is_none() {
            if !self.indentation()? {
                return Ok(false);
            }
            self.at_line_start = false;
        }
        let Some(c) = self.chars.next() else {
            return Ok(false);
        };
        match c {
            '\n' | '\r' => {
                self.newline(c);
                if level.is_none() {
                    self.end_statement();
                    self.at_line_start = true;
                } else {
                    self.end_single_line_fstrings()?;
                }
            }
            '#' => {
                while self.chars.peek().is_some_and(|&c| c != '\n' && c != '\r') {
                    self.chars.next();
                }
            }
            '\\' => {
                if let Some(&n @ ('\n' | '\r')) = self.chars.peek() {
                    self.chars.next();
                    self.newline(n);
                }
            }
            '\'' | '"' => self.string(c, false)?,
            '(' => self.push(Level::Bracket { close: ')' })?,
            '[' => self.push(Level::Bracket { close: ']' })?,
            '{' => self.push(Level::Bracket { close: '}' })?,
            ')' | ']' | '}' => match level {
                Some(Level::Bracket { .. }) => self.pop()?,
                Some(Level::Field) if c == '}' => self.pop()?,
                _ => {}
            },
            ',' => self.element_end(),
            ';' if level.is_none() => self.end_statement(),
            ':' if self.chars.peek() == Some(&'=') => {
                self.chars.next();
                self.binary(prec::KEYWORD)?;
            }
            ':' if level == Some(Level::Field) => self.push(Level::Spec)?,
            '+' | '-' | '*' | '/' | '%' | '@' | '&' | '|' | '^' | '<' | '>' | '=' | '!' | '~'
            | '.' => self.operator(c)?,
            c if is_word_char(c) => self.word(c)?,
            _ => {}
        }
        Ok(true)
    }

    /// An operator starting with `c`, read whole (`**=`, `//`, `<=`, `->`, ...).
    fn operator(&mut self, c: char) -> Result<(), PySyntaxError> {
        let doubled = matches!(c, '*' | '/' | '<' | '>' | '=') && self.chars.peek() == Some(&c);
        if doubled {
            self.chars.next();
        }
        let then_eq = self.chars.peek() == Some(&'=');
        let operand = self.after_operand;
        match (c, doubled, then_eq) {
            // `==`, `<`, `>`, `<=`, `>=`, `!=`.
            ('=', true, _) | ('<' | '>', false, false) => self.flat(prec::COMPARE),
            ('<' | '>' | '!', false, true) => {
                self.chars.next();
                self.flat(prec::COMPARE)
            }
            // A conversion (`{x!r}`) or a stray `!`.
            ('!', _, _) => Ok(()),
            // An assignment or an augmented assignment (`+=`, `**=`, `>>=`, ...).
            ('=', false, _) => {
                self.element_end();
                Ok(())
            }
            (_, _, true) => {
                self.chars.next();
                self.element_end();
                Ok(())
            }
            // A return annotation.
            ('-', false, false) if self.chars.peek() == Some(&'>') => {
                self.chars.next();
                self.element_end();
                Ok(())
            }
            ('*', true, _) if operand => self.binary(prec::TIGHT),
            ('+' | '-' | '*', _, _) if !operand => self.prefix(prec::TIGHT),
            ('~' | '.', _, _) => self.prefix(prec::TIGHT),
            // A decorator.
            ('@', _, _) if !operand => Ok(()),
            ('+' | '-', _, _) => self.binary(prec::ARITH),
            ('*' | '/' | '%' | '@', _, _) => self.binary(prec::TERM),
            ('<' | '>', true, _) => self.binary(prec::SHIFT),
            ('&', _, _) => self.binary(prec::BIT_AND),
            ('^', _, _) => self.binary(prec::BIT_XOR),
            ('|', _, _) => self.binary(prec::BIT_OR),
            _ => Ok(()),
        }
    }

    /// A name, keyword, number or string prefix starting with `first`.
    fn word(&mut self, first: char) -> Result<(), PySyntaxError> {
        let mut word = String::from(first);
        while let Some(&c) = self.chars.peek() {
            if !is_word_char(c) {
                break;
            }
            word.push(c);
            self.chars.next();
        }
        if let Some(&q @ ('\'' | '"')) = self.chars.peek() {
            let lower = word.to_ascii_lowercase();
            if matches!(
                lower.as_str(),
                "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf" | "t" | "tr" | "rt"
            ) {
                self.chars.next();
                return self.string(q, lower.contains(['f', 't']));
            }
        }
        let after_is = std::mem::take(&mut self.after_is);
        match word.as_str() {
            "lambda" | "if" | "else" | "yield" | "for" | "return" => self.binary(prec::KEYWORD)?,
            "or" => self.flat(prec::OR)?,
            "and" => self.flat(prec::AND)?,
            // `not in` and `is not` are comparisons.
            "not" if self.after_operand || after_is => self.flat(prec::COMPARE)?,
            "not" => self.prefix(prec::NOT)?,
            "in" => self.flat(prec::COMPARE)?,
            "is" => {
                self.flat(prec::COMPARE)?;
                self.after_is = true;
            }
            "await" => self.prefix(prec::TIGHT)?,
            "import" | "from" | "as" | "assert" | "del" | "raise" | "while" | "with" | "elif"
            | "def" | "class" | "async" | "global" | "nonlocal" | "except" => {
                self.after_operand = false;
            }
            _ => self.after_operand = true,
        }
        Ok(())
    }

    /// A string literal whose opening `quote` was just read: skipped, or entered when it is
    /// an f-string (its replacement fields are code).
    fn string(&mut self, quote: char, interpolated: bool) -> Result<(), PySyntaxError> {
        self.after_operand = true;
        let triple = self.chars.peek() == Some(&quote) && {
            let mut ahead = self.chars.clone();
            ahead.next();
            ahead.next() == Some(quote)
        };
        if triple {
            self.chars.next();
            self.chars.next();
        } else if self.chars.peek() == Some(&quote) {
            // An empty string.
            self.chars.next();
            return Ok(());
        }
        if interpolated {
            return self.push(Level::FString { quote, triple });
        }
        while let Some(c) = self.chars.next() {
            match c {
                '\\' => {
                    if let Some(n) = self.chars.next()
                        && (n == '\n' || n == '\r')
                    {
                        self.newline(n);
                    }
                }
                '\n' | '\r' => {
                    self.newline(c);
                    if !triple {
                        // Unterminated: the parser reports it.
                        return Ok(());
                    }
                }
                _ if c == quote && (!triple || self.closes_triple(quote)) => return Ok(()),
                _ => {}
            }
        }
        Ok(())
    }

    /// After one `quote`, whether two more follow (consumed when they do).
    fn closes_triple(&mut self, quote: char) -> bool {
        let mut ahead = self.chars.clone();
        if ahead.next() == Some(quote) && ahead.next() == Some(quote) {
            self.chars.next();
            self.chars.next();
            true
        } else {
            false
        }
    }

    /// One step of f-string text.
    fn fstring_text(&mut self, quote: char, triple: bool) -> Result<bool, PySyntaxError> {
        let Some(c) = self.chars.next() else {
            return Ok(false);
        };
        match c {
            '\\' => {
                if let Some(&n) = self.chars.peek()
                    && n != '{'
                    && n != '}'
                {
                    self.chars.next();
                    if n == '\n' || n == '\r' {
                        self.newline(n);
                    }
                }
            }
            '{' if self.chars.peek() == Some(&'{') => {
                self.chars.next();
            }
            '{' => self.push(Level::Field)?,
            '\n' | '\r' => {
                self.newline(c);
                if !triple {
                    // Unterminated: the parser reports it.
                    self.pop()?;
                }
            }
            _ if c == quote && (!triple || self.closes_triple(quote)) => self.pop()?,
            _ => {}
        }
        Ok(true)
    }

    /// One step of a format spec: text until the field's `}`, with nested fields.
    fn spec_text(&mut self) -> Result<bool, PySyntaxError> {
        let Some(c) = self.chars.next() else {
            return Ok(false);
        };
        match c {
            '{' => self.push(Level::Field)?,
            '}' => {
                // The spec ends with its field.
                self.pop()?;
                if self.stack.last().is_some_and(|f| f.level == Level::Field) {
                    self.pop()?;
                }
            }
            '\n' | '\r' => self.newline(c),
            _ => {}
        }
        Ok(true)
    }

    /// A line break inside a replacement field of a single-quoted f-string ends that
    /// f-string (unterminated: the parser reports it) and everything opened inside it.
    fn end_single_line_fstrings(&mut self) -> Result<(), PySyntaxError> {
        let outermost = self
            .stack
            .iter()
            .position(|f| matches!(f.level, Level::FString { triple: false, .. }));
        if let Some(at) = outermost {
            while self.stack.len() > at {
                self.pop()?;
            }
        }
        Ok(())
    }

    fn end_statement(&mut self) {
        self.top = Frame::new(Level::Field);
        self.base = 0;
    }

    /// Measures the indentation of a new logical line (blank and comment-only lines do not
    /// count); `false` at the end of the source.
    fn indentation(&mut self) -> Result<bool, PySyntaxError> {
        let mut width = 0usize;
        loop {
            match self.chars.peek() {
                None => return Ok(false),
                Some(' ') => width += 1,
                Some('\t') => width = (width / 8 + 1) * 8,
                Some('\x0c') => width = 0,
                Some('\n' | '\r' | '#') => return Ok(true),
                Some(_) => break,
            }
            self.chars.next();
        }
        while self.indents.last().is_some_and(|&w| w > width) {
            self.indents.pop();
        }
        if width > self.indents.last().copied().unwrap_or(0) {
            self.indents.push(width);
            if self.indents.len() >= MAX_INDENT_LEVELS {
                return Err(self.error("too many levels of indentation".into()));
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(src: &str) -> Option<String> {
        check_depth(src).err().map(|e| e.msg)
    }

    #[test]
    fn brackets_stop_at_cpython_limit() {
        let nest = |n: usize| format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
        assert_eq!(msg(&nest(200)), None);
        assert_eq!(
            msg(&nest(201)).as_deref(),
            Some("too many nested parentheses")
        );
        let lists = format!("x = {}\n", "[".repeat(201));
        assert_eq!(msg(&lists).as_deref(), Some("too many nested parentheses"));
    }

    #[test]
    fn indentation_stops_at_cpython_limit() {
        let nest = |n: usize| {
            let mut s = String::new();
            for i in 0..n {
                s.push_str(&" ".repeat(i));
                s.push_str("if 1:\n");
            }
            s.push_str(&" ".repeat(n));
            s.push_str("pass\n");
            s
        };
        assert_eq!(msg(&nest(99)), None);
        let e = check_depth(&nest(100)).unwrap_err();
        assert_eq!(
            (e.msg.as_str(), e.line),
            ("too many levels of indentation", 101)
        );
    }

    #[test]
    fn operator_chains_are_bounded() {
        for shape in ["-", "not ", "~", "lambda: ", "await "] {
            let ok = format!("x = {}1\n", shape.repeat(2_000));
            assert_eq!(msg(&ok), None, "{shape}");
            let deep = format!("x = {}1\n", shape.repeat(3_000));
            assert!(msg(&deep).unwrap().starts_with(TOO_COMPLEX), "{shape}");
        }
        for shape in [".b", "[0]", "()", " + 1", " ** 1", " if 1 else 1"] {
            let deep = format!("x = a{}\n", shape.repeat(3_000));
            assert!(msg(&deep).unwrap().starts_with(TOO_COMPLEX), "{shape}");
        }
        // Flat shapes are not deep, however long.
        for shape in [" and 1", " < 1", ", 1", " 'a'"] {
            let long = format!("x = [1{}]\n", shape.repeat(100_000));
            assert_eq!(msg(&long), None, "{shape}");
        }
        // Chains of one precedence group do not add up with the tighter chains they separate
        // (a generated polynomial), but prefix operators inside `**` do.
        let poly = format!("x = ({})\n", vec!["2*a**3*b*c*d"; 2_000].join(" + "));
        assert_eq!(msg(&poly), None);
        let pow = format!("x = 2{}\n", "**-2".repeat(1_500));
        assert!(msg(&pow).unwrap().starts_with(TOO_COMPLEX));
        // Statements and elements do not add up.
        let many = format!("{}\n", "x = -1\n".repeat(10_000));
        assert_eq!(msg(&many), None);
        let list = format!("x = [{}]\n", "-1 + 2, ".repeat(10_000));
        assert_eq!(msg(&list), None);
    }

    #[test]
    fn fstrings_nest_as_code() {
        let nest = |n: usize| format!("x = {}1{}\n", "f\"{".repeat(n), "}\"".repeat(n));
        assert_eq!(msg(&nest(3)), None);
        assert_eq!(msg(&nest(149)), None);
        assert_eq!(
            msg(&nest(150)).as_deref(),
            Some("too many nested f-strings")
        );
        // Text, doubled braces, specs and quotes inside f-strings are not code.
        let src = "x = f'{{(((' + f\"{a:>{w}}\" + f'''{b!r}\n((('''\ny = ((1))\n";
        assert_eq!(msg(src), None);
    }

    #[test]
    fn strings_and_comments_are_skipped() {
        let src = format!(
            "# {}\ns = '{}' + \"\\\"(\" + r'\\'(' + b'''\n{}'''\n",
            "(".repeat(500),
            "[".repeat(500),
            "-".repeat(5_000)
        );
        assert_eq!(msg(&src), None);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let src = format!("a = 1\rb = 2\r\nx = {}\r", "(".repeat(201));
        assert_eq!(check_depth(&src).unwrap_err().line, 3);
    }

    /// The deepest sources the limits let through parse, and their trees drop, on a 1 MiB
    /// stack in a debug build (the work threads have 8 MiB: `host::threads`).
    #[test]
    fn the_deepest_accepted_sources_fit_a_small_stack() {
        use super::super::{PythonProbe, RuffProbe};
        // The longest repetition of a shape (within 2%) that the limits accept.
        let near = |shape: &str, wrap: &dyn Fn(String) -> String| {
            let mut n = usize::try_from(MAX_EXPRESSION_DEPTH).unwrap_or(0);
            while check_depth(&wrap(shape.repeat(n))).is_err() {
                n = n * 49 / 50;
            }
            wrap(shape.repeat(n))
        };
        let mut sources: Vec<String> = ["-", "not ", "lambda: ", "await "]
            .iter()
            .map(|s| near(s, &|r| format!("x = {r}1\n")))
            .collect();
        for shape in [".b", "[0]", "()", " + 1", " ** 1", " if 1 else 1", "**-2"] {
            sources.push(near(shape, &|r| format!("x = a{r}\n")));
        }
        sources.push(format!("x = {}1{}\n", "[".repeat(200), "]".repeat(200)));
        sources.push(format!(
            "x = {}1{}\n",
            "f\"{".repeat(149),
            "}\"".repeat(149)
        ));
        sources.push(format!(
            "x = ({})\n",
            "-(".repeat(100) + "1" + &")".repeat(100)
        ));
        for src in sources {
            assert_eq!(check_depth(&src), Ok(()), "{}", &src[..40.min(src.len())]);
            std::thread::Builder::new()
                .stack_size(1 << 20)
                .spawn(move || {
                    let _ = RuffProbe.probe(&src);
                })
                .unwrap()
                .join()
                .unwrap();
        }
    }
}
