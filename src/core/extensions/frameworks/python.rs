//! Top-level probing of Python source files, as rockcraft's `_python_utils.py` does with
//! `ast.parse`: which global names a module binds and which factories it defines.
//!
//! Only module-level statements count: an assignment whose target is a plain name (each
//! target of a chained assignment counts), a `from x import name` / `from x import y as name`,
//! and a non-async `def`. Annotated assignments, tuple targets, `import x as name` and
//! anything nested (in `if`, `try`, functions, classes) are ignored. Nothing is executed.

pub mod depth;

use ruff_python_ast::{Expr, Stmt};

use super::super::{Anchor, ExpandError, ProjectFs};
use depth::check_depth;

/// A Python syntax error, reported the way `CPython`'s `SyntaxError` would be where we can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PySyntaxError {
    /// The message (`SyntaxError.msg`), e.g. `'(' was never closed`.
    pub msg: String,
    /// The 1-based line of the error.
    pub line: usize,
}

impl PySyntaxError {
    /// `line N is not valid Python (<msg>)`, for messages about `file`.
    #[must_use]
    pub fn describe(&self) -> String {
        format!("line {} is not valid Python ({})", self.line, self.msg)
    }
}

/// What a module defines at its top level.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TopLevel {
    /// Names bound by plain assignments and `from ... import` statements, in source order.
    pub globals: Vec<String>,
    /// Names of synchronous top-level function definitions, in source order.
    pub functions: Vec<String>,
}

impl TopLevel {
    /// rockcraft's `has_global_variable`.
    #[must_use]
    pub fn has_global(&self, name: &str) -> bool {
        self.globals.iter().any(|g| g == name)
    }

    /// Whether a synchronous top-level `def <name>` exists.
    #[must_use]
    pub fn has_function(&self, name: &str) -> bool {
        self.functions.iter().any(|f| f == name)
    }
}

/// Parses Python source and reports its top-level bindings.
pub trait PythonProbe {
    /// # Errors
    /// The source is not valid Python.
    fn probe(&self, source: &str) -> Result<TopLevel, PySyntaxError>;
}

/// The probe backed by ruff's Python parser.
#[derive(Clone, Copy, Debug, Default)]
pub struct RuffProbe;

/// A source with more invalid tokens than this is refused before it is parsed: the parser
/// keeps an error (and a recovery node) per invalid token, about 170 bytes for each byte of a
/// file of garbage, while a real file with a syntax error has a handful.
const MAX_INVALID_TOKENS: usize = 1_000;

/// `CPython`'s refusal of a source with a NUL byte, or the error for a source of garbage (more
/// than [`MAX_INVALID_TOKENS`] tokens the lexer does not know), found without parsing.
fn refused_before_parsing(source: &str) -> Option<PySyntaxError> {
    if let Some(at) = source.find('\0') {
        return Some(PySyntaxError {
            msg: "source code string cannot contain null bytes".to_owned(),
            line: line_of(source, at),
        });
    }
    let mut lexer = ruff_python_parser::lexer::lex(source, ruff_python_parser::Mode::Module);
    let mut invalid = 0usize;
    loop {
        match lexer.next_token() {
            ruff_python_ast::token::TokenKind::EndOfFile => return None,
            ruff_python_ast::token::TokenKind::Unknown => {
                invalid += 1;
                if invalid > MAX_INVALID_TOKENS {
                    break;
                }
            }
            _ => {}
        }
    }
    // The lexer does not say where; a bracket or string error is found by the tokenizer
    // rules, else the first character that can start no Python token.
    if let Some((err, _)) = cpython_token_error(source) {
        return Some(err);
    }
    let at = source
        .find(|c: char| matches!(c, '$' | '?' | '`') || (c.is_control() && !c.is_whitespace()))
        .unwrap_or(0);
    Some(PySyntaxError {
        msg: "invalid syntax".to_owned(),
        line: line_of(source, at),
    })
}

impl PythonProbe for RuffProbe {
    fn probe(&self, source: &str) -> Result<TopLevel, PySyntaxError> {
        // CPython reads `\r\n` and a lone `\r` as `\n` (so do the line numbers it reports).
        let translated;
        let source = if source.contains('\r') {
            translated = source.replace("\r\n", "\n").replace('\r', "\n");
            translated.as_str()
        } else {
            source
        };
        if let Some(err) = refused_before_parsing(source) {
            return Err(err);
        }
        // The parser and the tree it builds recurse as deep as the source nests: refuse what
        // nests too deeply before parsing, as CPython does.
        if let Err(deep) = check_depth(source) {
            // A bracket or string error of the tokenizer is the real problem when it comes
            // first, or when only the estimate was exceeded (an unclosed bracket makes the
            // rest of the file one expression).
            return Err(match cpython_token_error(source) {
                Some((err, _)) if deep.is_estimate() || err.line < deep.line => err,
                _ => deep,
            });
        }
        let parsed = ruff_python_parser::parse_module(source).map_err(|e| {
            let offset = usize::from(e.location.start()).min(source.len());
            // CPython's tokenizer reports bracket and string problems with well-known texts;
            // use them when the tokenizer would reach the problem before the parser fails.
            match cpython_token_error(source) {
                Some((err, detected_at)) if detected_at <= offset => err,
                _ => {
                    let line = line_of(source, offset);
                    PySyntaxError {
                        msg: cpython_wording(&e.error, source, line),
                        line,
                    }
                }
            }
        })?;
        let mut out = TopLevel::default();
        for stmt in &parsed.syntax().body {
            match stmt {
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        if let Expr::Name(name) = target {
                            out.globals.push(name.id.as_str().to_owned());
                        }
                    }
                }
                Stmt::ImportFrom(import) => {
                    for alias in &import.names {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                        out.globals.push(bound.as_str().to_owned());
                    }
                }
                Stmt::FunctionDef(def) if !def.is_async => {
                    out.functions.push(def.name.as_str().to_owned());
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The files rockcraft searches for a WSGI/ASGI application, in order: `app.py`, `main.py`,
/// then `__init__.py`, `app.py`, `main.py` in `app/`, `src/` and `<snake name>/`.
#[must_use]
pub fn entry_point_candidates(snake_name: &str) -> Vec<String> {
    let mut out: Vec<String> = ROOT_CANDIDATES.iter().map(|f| (*f).to_owned()).collect();
    for dir in candidate_dirs(snake_name) {
        for file in DIR_CANDIDATES {
            out.push(format!("{dir}/{file}"));
        }
    }
    out
}

/// Entry-point files searched in the project root, in order.
const ROOT_CANDIDATES: [&str; 2] = ["app.py", "main.py"];
/// Entry-point files searched in each candidate directory, in order.
const DIR_CANDIDATES: [&str; 3] = ["__init__.py", "app.py", "main.py"];

/// The directories searched after the root: `app`, `src`, then the one named after the rock.
fn candidate_dirs(snake_name: &str) -> [&str; 3] {
    ["app", "src", snake_name]
}

/// The files [`entry_point_candidates`] searches, for messages.
#[must_use]
pub fn candidates_text(snake_name: &str) -> String {
    let dirs = candidate_dirs(snake_name).map(|d| format!("{d}/"));
    format!(
        "{} in the project root, then {} in {}",
        and_list(&ROOT_CANDIDATES),
        and_list(&DIR_CANDIDATES),
        and_list(&dirs)
    )
}

/// `` `a`, `b` and `c` ``.
fn and_list(items: &[impl AsRef<str>]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{}`", i.as_ref())).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The importable module of a relative `.py` path: `.py` stripped, `__init__.py` dropped,
/// joined by dots (`app/__init__.py` → `app`, `src/main.py` → `src.main`).
#[must_use]
pub fn module_path(rel: &str) -> String {
    rel.split('/')
        .filter(|part| *part != "__init__.py" && !part.is_empty() && *part != ".")
        .map(|part| part.strip_suffix(".py").unwrap_or(part))
        .collect::<Vec<_>>()
        .join(".")
}

/// The outcome of probing one candidate file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probed {
    /// The path does not exist.
    Missing,
    Parsed(TopLevel),
    Syntax(PySyntaxError),
}

/// Reads and probes `rel` if it exists.
///
/// # Errors
/// The path exists but cannot be read as UTF-8 text (rockcraft crashes: exit 70).
pub fn probe_file(
    fs: &dyn ProjectFs,
    probe: &dyn PythonProbe,
    rel: &str,
) -> Result<Probed, ExpandError> {
    if !fs.exists(rel) {
        return Ok(Probed::Missing);
    }
    let unreadable = |what: String| ExpandError::unreadable(Anchor::File(rel.to_owned()), what);
    let bytes = fs.read(rel).map_err(|e| {
        unreadable(format!(
            "`{rel}` cannot be read ({e}), so it cannot be searched for the application."
        ))
        .resolution(format!("Make `{rel}` a readable file, or remove it."))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        unreadable(format!(
            "`{rel}` is not UTF-8 text ({e}), so it cannot be searched for the application; rockcraft stops with an internal error on it."
        ))
        .resolution(format!("Save `{rel}` with the UTF-8 encoding."))
    })?;
    Ok(match probe.probe(&text) {
        Ok(top) => Probed::Parsed(top),
        Err(err) => Probed::Syntax(err),
    })
}

fn line_of(source: &str, offset: usize) -> usize {
    let mut end = offset;
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    source[..end].matches('\n').count() + 1
}

/// `CPython`'s wording for the parser errors it words differently from ruff; `invalid syntax`
/// (`CPython`'s generic message) otherwise.
fn cpython_wording(err: &ruff_python_parser::ParseErrorType, source: &str, line: usize) -> String {
    let text = err.to_string().replace('`', "'");
    let lower = text.to_lowercase();
    if lower.starts_with("unexpected indentation") {
        "unexpected indent".to_owned()
    } else if let Some(what) = lower.strip_prefix("expected an indented block after ") {
        // CPython names the line of the statement header: the last code line before this one.
        let header = source
            .lines()
            .take(line.saturating_sub(1))
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .last()
            .map_or(line, |(i, _)| i + 1);
        format!("expected an indented block after {what} on line {header}")
    } else if lower.starts_with("expected ':'") {
        "expected ':'".to_owned()
    } else if lower.starts_with("unindent does not match") || lower.starts_with("f-string:") {
        lower
    } else {
        "invalid syntax".to_owned()
    }
}

/// The errors `CPython`'s tokenizer raises for unbalanced brackets and unterminated strings,
/// with `CPython`'s wording: `'(' was never closed`, `unmatched ')'`,
/// `closing parenthesis ']' does not match opening parenthesis '('`,
/// `unterminated string literal (detected at line N)`,
/// `unterminated triple-quoted string literal (detected at line N)`.
/// Returns the error and the byte offset at which the tokenizer detects it (the end of the
/// code for brackets never closed).
fn cpython_token_error(source: &str) -> Option<(PySyntaxError, usize)> {
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let total_lines = source.split('\n').count() - usize::from(source.ends_with('\n'));
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut line = 1usize;
    let mut i = 0usize;
    while let Some(c) = at(i) {
        let offset = chars[i].0;
        match c {
            '\n' => line += 1,
            '#' => {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
                continue;
            }
            // Line continuation: skip the newline.
            '\\' if at(i + 1) == Some('\n') => {
                line += 1;
                i += 2;
                continue;
            }
            '\'' | '"' => {
                let start_line = line;
                if at(i + 1) == Some(c) && at(i + 2) == Some(c) {
                    i += 3;
                    loop {
                        let Some(ch) = at(i) else {
                            let msg = format!(
                                "unterminated triple-quoted string literal (detected at line {total_lines})"
                            );
                            return Some((
                                PySyntaxError {
                                    msg,
                                    line: start_line,
                                },
                                offset,
                            ));
                        };
                        match ch {
                            // A backslash escapes the next character, in raw strings too.
                            '\\' => {
                                if at(i + 1) == Some('\n') {
                                    line += 1;
                                }
                                i += 2;
                                continue;
                            }
                            '\n' => line += 1,
                            _ if ch == c && at(i + 1) == Some(c) && at(i + 2) == Some(c) => {
                                i += 3;
                                break;
                            }
                            _ => {}
                        }
                        i += 1;
                    }
                    continue;
                }
                i += 1;
                loop {
                    match at(i) {
                        None | Some('\n') => {
                            let msg =
                                format!("unterminated string literal (detected at line {line})");
                            return Some((PySyntaxError { msg, line }, offset));
                        }
                        Some('\\') => {
                            if at(i + 1) == Some('\n') {
                                line += 1;
                            }
                            i += 2;
                        }
                        Some(ch) if ch == c => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                continue;
            }
            '(' | '[' | '{' => stack.push((c, line)),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match stack.pop() {
                    None => {
                        return Some((
                            PySyntaxError {
                                msg: format!("unmatched '{c}'"),
                                line,
                            },
                            offset,
                        ));
                    }
                    Some((o, _)) if o == open => {}
                    Some((o, oline)) => {
                        let msg = if oline == line {
                            format!(
                                "closing parenthesis '{c}' does not match opening parenthesis '{o}'"
                            )
                        } else {
                            format!(
                                "closing parenthesis '{c}' does not match opening parenthesis '{o}' on line {oline}"
                            )
                        };
                        return Some((PySyntaxError { msg, line }, offset));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let end = source.trim_end().len();
    stack.first().map(|&(o, l)| {
        (
            PySyntaxError {
                msg: format!("'{o}' was never closed"),
                line: l,
            },
            end,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(src: &str) -> TopLevel {
        RuffProbe.probe(src).unwrap()
    }

    #[test]
    fn plain_and_chained_assignments_count() {
        let t = probe("from flask import Flask\napp = Flask(__name__)\n");
        assert!(t.has_global("app") && t.has_global("Flask"));
        let t = probe("app = application = make()\n");
        assert!(t.has_global("app") && t.has_global("application"));
    }

    #[test]
    fn import_from_binds_the_alias() {
        let t = probe("from service.api import app\n");
        assert!(t.has_global("app"));
        let t = probe("from service.api import app as app\n");
        assert!(t.has_global("app"));
        let t = probe("from service.api import app as web\n");
        assert!(!t.has_global("app") && t.has_global("web"));
    }

    #[test]
    fn rejected_forms() {
        assert!(!probe("app: Flask = Flask(__name__)\n").has_global("app"));
        assert!(!probe("app, other = 1, 2\n").has_global("app"));
        assert!(!probe("import flask as app\n").has_global("app"));
        assert!(!probe("if True:\n    app = 1\n").has_global("app"));
        assert!(!probe("try:\n    app = 1\nexcept Exception:\n    pass\n").has_global("app"));
        assert!(!probe("def f():\n    app = 1\n").has_global("app"));
    }

    #[test]
    fn factories_must_be_sync_and_top_level() {
        assert!(probe("def create_app():\n    return 1\n").has_function("create_app"));
        assert!(!probe("async def create_app():\n    return 1\n").has_function("create_app"));
        assert!(
            !probe("class X:\n    def create_app(self):\n        pass\n")
                .has_function("create_app")
        );
    }

    #[test]
    fn syntax_errors_use_cpython_wording() {
        let e = RuffProbe
            .probe("from fastapi import FastAPI\n\napp = FastAPI(\n")
            .unwrap_err();
        assert_eq!(
            e,
            PySyntaxError {
                msg: "'(' was never closed".into(),
                line: 3
            }
        );
        assert_eq!(
            e.describe(),
            "line 3 is not valid Python ('(' was never closed)"
        );
        let e = RuffProbe.probe("x = 1\n\n\n\ns = 'abc\n").unwrap_err();
        assert_eq!(e.msg, "unterminated string literal (detected at line 5)");
        assert_eq!(
            RuffProbe.probe("x = 1)\n").unwrap_err().msg,
            "unmatched ')'"
        );
        assert_eq!(
            RuffProbe.probe("x = (1]\n").unwrap_err().msg,
            "closing parenthesis ']' does not match opening parenthesis '('"
        );
        let e = RuffProbe.probe("x = '''abc\n\n").unwrap_err();
        assert_eq!(
            e.msg,
            "unterminated triple-quoted string literal (detected at line 2)"
        );
        assert_eq!(e.line, 1);
    }

    #[test]
    fn carriage_returns_end_lines() {
        for brk in ["\r", "\r\n"] {
            let src = "a = 1\nb = 2\nx = (1\n".replace('\n', brk);
            let e = RuffProbe.probe(&src).unwrap_err();
            assert_eq!((e.msg.as_str(), e.line), ("'(' was never closed", 3));
            assert!(
                RuffProbe
                    .probe(&"app = 1\n".replace('\n', brk))
                    .unwrap()
                    .has_global("app")
            );
        }
    }

    #[test]
    fn strings_and_comments_do_not_confuse_the_bracket_check() {
        let t = probe("# (\ns = ')' + \"[\" + '''(\n'''\nr = r'\\d' + '\\''\napp = 1\n");
        assert!(t.has_global("app"));
    }

    #[test]
    fn candidates_and_modules() {
        let c = entry_point_candidates("my_app");
        assert_eq!(c.len(), 11);
        assert_eq!(c[0], "app.py");
        assert_eq!(c[10], "my_app/main.py");
        assert_eq!(module_path("app/__init__.py"), "app");
        assert_eq!(module_path("src/main.py"), "src.main");
        assert_eq!(module_path("app.py"), "app");
    }

    #[test]
    fn parser_errors_before_the_end_win_over_unclosed_brackets() {
        let e = RuffProbe.probe("def f(:\n  pass\n").unwrap_err();
        assert_eq!((e.msg.as_str(), e.line), ("invalid syntax", 1));
        let e = RuffProbe.probe("if True\n  x=1\n").unwrap_err();
        assert_eq!(e.msg, "expected ':'");
        let e = RuffProbe.probe("a = 1\n\tb = 2\n").unwrap_err();
        assert_eq!((e.msg.as_str(), e.line), ("unexpected indent", 2));
        let e = RuffProbe.probe("for x in y:\npass\n").unwrap_err();
        assert_eq!(
            e.msg,
            "expected an indented block after 'for' statement on line 1"
        );
    }

    #[test]
    fn other_syntax_errors_come_from_ruff() {
        let e = RuffProbe.probe("def f(:\n    pass\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(!e.msg.is_empty());
        let e = RuffProbe.probe("x = 1\ny = = 2\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn nul_bytes_and_garbage_are_refused_before_parsing() {
        let nul = RuffProbe.probe("x = 1\ny = 2\0\n").unwrap_err();
        assert_eq!(
            (nul.msg.as_str(), nul.line),
            ("source code string cannot contain null bytes", 2)
        );
        // A file of garbage is refused after a bounded number of invalid tokens.
        let garbage = format!("x = 1\n{}", "$".repeat(200_000));
        let e = RuffProbe.probe(&garbage).unwrap_err();
        assert_eq!((e.msg.as_str(), e.line), ("invalid syntax", 2));
    }
}
