//! Python dependency detection the way each extension does it: Flask and Django's worker
//! choice parse `requirements.txt` lines and `pyproject.toml` `[project].dependencies` as PEP 508
//! requirements (invalid lines are skipped); `FastAPI` only tests `requirements.txt` lines for the
//! substrings `fastapi` / `starlette`.

use std::collections::BTreeSet;

use super::super::{Anchor, ExpandError, ProjectFs};

/// The lower-cased names of the requirements declared in `requirements.txt` and in
/// `pyproject.toml` `[project].dependencies` (both files merged; missing files contribute
/// nothing).
///
/// # Errors
/// A file that exists cannot be read, or `pyproject.toml` is not valid TOML (rockcraft
/// crashes with an internal error, exit 70).
pub fn declared_names(fs: &dyn ProjectFs) -> Result<BTreeSet<String>, ExpandError> {
    let mut names = BTreeSet::new();
    if fs.exists("requirements.txt") {
        let text = read_dependency_file(fs, "requirements.txt")?;
        names.extend(text.lines().filter_map(requirement_name));
    }
    if fs.exists("pyproject.toml") {
        let text = read_dependency_file(fs, "pyproject.toml")?;
        let doc: toml::Table = toml::from_str(&text).map_err(|e| toml_error(&text, &e))?;
        let deps = doc
            .get("project")
            .and_then(toml::Value::as_table)
            .and_then(|p| p.get("dependencies"));
        if let Some(toml::Value::Array(deps)) = deps {
            names.extend(
                deps.iter()
                    .filter_map(toml::Value::as_str)
                    .filter_map(requirement_name),
            );
        }
    }
    Ok(names)
}

/// The text of a file that declares dependencies (`requirements.txt`, `pyproject.toml`), which
/// exists: when it cannot be read (no permission, not a regular file, too large, a link out
/// of the project), an error saying so and why, never an empty list of dependencies.
///
/// # Errors
/// The file cannot be read (rockcraft stops with an internal error on it, exit 70).
pub fn read_dependency_file(fs: &dyn ProjectFs, rel: &str) -> Result<String, ExpandError> {
    fs.read_text(rel).map_err(|e| {
        ExpandError::unreadable(
            Anchor::File(rel.to_owned()),
            format!(
                "`{rel}` cannot be read ({e}), so the Python dependencies it declares are unknown."
            ),
        )
        .resolution(format!(
            "Make `{rel}` a readable regular file inside the project, or remove it."
        ))
    })
}

fn toml_error(text: &str, err: &toml::de::Error) -> ExpandError {
    let detail = err
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .trim()
        .to_owned();
    let (line, col) = err.span().map_or((1, 1), |span| {
        let start = span.start.min(text.len());
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    });
    // The most common mistake, an unclosed table header, said plainly.
    let header_line = text.lines().nth(line - 1).unwrap_or_default().trim_end();
    if header_line.starts_with('[') && !header_line.contains(']') {
        let col = header_line.chars().count() + 1;
        let detail = format!("the table header `{header_line}` has no closing `]`");
        return unreadable(line, col, &detail);
    }
    unreadable(line, col, &detail)
}

fn unreadable(line: usize, col: usize, detail: &str) -> ExpandError {
    ExpandError::unreadable(
        Anchor::File("pyproject.toml".to_owned()),
        format!(
            "`pyproject.toml` is not valid TOML (line {line}, column {col}: {detail}), so the Python dependencies cannot be read from it; rockcraft stops with an internal error on it."
        ),
    )
    .resolution("Fix the TOML syntax of `pyproject.toml`.")
}

/// `FastAPI`'s check: some line of `requirements.txt`, lower-cased, contains `fastapi` or
/// `starlette` (comments included).
#[must_use]
pub fn mentions_fastapi(requirements_txt: &str) -> bool {
    requirements_txt
        .lines()
        .map(str::to_lowercase)
        .any(|l| l.contains("fastapi") || l.contains("starlette"))
}

/// The lower-cased name of a PEP 508 requirement, or `None` when the line is not a valid
/// requirement (comments, blank lines, pip options, trailing comments, bad markers...).
#[must_use]
pub fn requirement_name(line: &str) -> Option<String> {
    let mut p = Cursor {
        s: line.as_bytes(),
        i: 0,
    };
    p.ws();
    let name = p.identifier()?;
    p.ws();
    if p.eat(b'[') {
        p.ws();
        if !p.eat(b']') {
            loop {
                p.identifier()?;
                p.ws();
                if p.eat(b']') {
                    break;
                }
                if !p.eat(b',') {
                    return None;
                }
                p.ws();
            }
        }
        p.ws();
    }
    if p.eat(b'@') {
        p.ws();
        let start = p.i;
        while p.peek().is_some_and(|c| c != b' ' && c != b'\t') {
            p.i += 1;
        }
        if p.i == start {
            return None;
        }
        if p.at_end() {
            return Some(name.to_lowercase());
        }
        if p.ws() == 0 {
            return None;
        }
        if p.at_end() {
            return Some(name.to_lowercase());
        }
    } else {
        let parens = p.eat(b'(');
        p.ws();
        p.specifiers()?;
        p.ws();
        if parens && !p.eat(b')') {
            return None;
        }
        p.ws();
    }
    if p.at_end() {
        return Some(name.to_lowercase());
    }
    if !p.eat(b';') {
        return None;
    }
    p.ws();
    p.marker()?;
    p.ws();
    p.at_end().then(|| name.to_lowercase())
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

const MARKER_VARS: &[&str] = &[
    "implementation_version",
    "platform_python_implementation",
    "implementation_name",
    "python_full_version",
    "platform_release",
    "platform_version",
    "platform_machine",
    "platform_system",
    "python_version",
    "sys_platform",
    "os_name",
    "os.name",
    "sys.platform",
    "platform.version",
    "platform.machine",
    "platform.python_implementation",
    "python_implementation",
    "extra",
    "extras",
    "dependency_groups",
];

const SPEC_OPS: &[&str] = &["===", "~=", "==", "!=", "<=", ">=", "<", ">"];
const MARKER_OPS: &[&str] = &["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn eat_str(&mut self, t: &str) -> bool {
        if self.s[self.i..].starts_with(t.as_bytes()) {
            self.i += t.len();
            true
        } else {
            false
        }
    }
    /// Skips spaces and tabs; returns how many.
    fn ws(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
        self.i - start
    }
    /// `[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?`
    fn identifier(&mut self) -> Option<String> {
        let start = self.i;
        if !self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
        {
            self.i += 1;
        }
        while self.i > start + 1 && matches!(self.s[self.i - 1], b'.' | b'_' | b'-') {
            self.i -= 1;
        }
        Some(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }
    /// Zero or more comma-separated `<op><version>` clauses.
    fn specifiers(&mut self) -> Option<()> {
        if !SPEC_OPS
            .iter()
            .any(|op| self.s[self.i..].starts_with(op.as_bytes()))
        {
            return Some(());
        }
        loop {
            let op = SPEC_OPS
                .iter()
                .find(|op| self.s[self.i..].starts_with(op.as_bytes()))?;
            self.i += op.len();
            self.ws();
            let start = self.i;
            while self.peek().is_some_and(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b'.' | b'*' | b'+' | b'!' | b'_' | b'-')
            }) {
                self.i += 1;
            }
            if self.i == start {
                return None;
            }
            let save = self.i;
            self.ws();
            if !self.eat(b',') {
                self.i = save;
                return Some(());
            }
            self.ws();
        }
    }
    /// `atom (('and'|'or') atom)*`
    fn marker(&mut self) -> Option<()> {
        loop {
            self.marker_atom()?;
            let save = self.i;
            if self.ws() > 0 && (self.keyword("and") || self.keyword("or")) {
                self.ws();
                continue;
            }
            self.i = save;
            return Some(());
        }
    }
    fn keyword(&mut self, k: &str) -> bool {
        let rest = &self.s[self.i..];
        if rest.starts_with(k.as_bytes())
            && !rest
                .get(k.len())
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.i += k.len();
            true
        } else {
            false
        }
    }
    fn marker_atom(&mut self) -> Option<()> {
        if self.eat(b'(') {
            self.ws();
            self.marker()?;
            self.ws();
            return self.eat(b')').then_some(());
        }
        self.marker_value()?;
        self.ws();
        if !(MARKER_OPS.iter().any(|op| self.eat_str(op))
            || self.keyword("in")
            || (self.keyword("not") && self.ws() > 0 && self.keyword("in")))
        {
            return None;
        }
        self.ws();
        self.marker_value()
    }
    fn marker_value(&mut self) -> Option<()> {
        if let q @ (b'\'' | b'"') = self.peek()? {
            self.i += 1;
            while self.peek()? != q {
                self.i += 1;
            }
            self.i += 1;
            Some(())
        } else {
            let var = MARKER_VARS
                .iter()
                .filter(|v| self.s[self.i..].starts_with(v.as_bytes()))
                .max_by_key(|v| v.len())?;
            self.i += var.len();
            Some(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extensions::{ErrorKind, MemoryFs};

    #[test]
    fn requirement_lines() {
        assert_eq!(requirement_name("Flask").as_deref(), Some("flask"));
        assert_eq!(
            requirement_name("Flask[async]>=3.0,<4 ; python_version >= \"3.10\"").as_deref(),
            Some("flask")
        );
        assert_eq!(
            requirement_name("psycopg2-binary==2.9.9").as_deref(),
            Some("psycopg2-binary")
        );
        assert_eq!(
            requirement_name("  gevent (>=24)").as_deref(),
            Some("gevent")
        );
        assert_eq!(
            requirement_name("pkg @ https://example.invalid/pkg.whl").as_deref(),
            Some("pkg")
        );
        assert_eq!(
            requirement_name(
                "x; python_version < '3.11' and (sys_platform == 'linux' or os_name != 'nt')"
            )
            .as_deref(),
            Some("x")
        );
        for bad in [
            "",
            "# flask",
            "-r base.txt",
            "--index-url https://x",
            "flask  # web",
            "flask; nonsense",
            "flask==",
            "-e .",
        ] {
            assert_eq!(requirement_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn both_files_are_merged() {
        let fs = MemoryFs::new()
            .file("requirements.txt", "requests\n# flask\n")
            .file(
                "pyproject.toml",
                "[project]\nname = \"x\"\ndependencies = [\"Flask>=3\", \"gevent\"]\n",
            );
        let names = declared_names(&fs).unwrap();
        assert!(names.contains("flask") && names.contains("gevent") && names.contains("requests"));
    }

    #[test]
    fn poetry_dependencies_are_ignored() {
        let fs = MemoryFs::new().file(
            "pyproject.toml",
            "[tool.poetry.dependencies]\nflask = \"^3\"\n",
        );
        assert!(declared_names(&fs).unwrap().is_empty());
    }

    #[test]
    fn invalid_toml_is_an_internal_error() {
        let fs = MemoryFs::new().file("pyproject.toml", "[project\ndependencies = [\"flask\"]\n");
        let err = declared_names(&fs).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unreadable);
        assert_eq!(err.exit_code(), 70);
        assert_eq!(
            err.message,
            "`pyproject.toml` is not valid TOML (line 1, column 9: the table header `[project` has no closing `]`), so the Python dependencies cannot be read from it; rockcraft stops with an internal error on it."
        );
        assert_eq!(
            err.resolution.as_deref(),
            Some("Fix the TOML syntax of `pyproject.toml`.")
        );
    }

    #[test]
    fn fastapi_substring_match() {
        assert!(mentions_fastapi("# we will add FastAPI later\n"));
        assert!(mentions_fastapi("Starlette==0.37.2"));
        assert!(!mentions_fastapi("flask\n"));
    }

    /// A project whose files exist but cannot be read (as a `chmod 000` file is for anyone but
    /// root).
    struct Unreadable(MemoryFs);

    impl ProjectFs for Unreadable {
        fn read(&self, _rel: &str) -> std::io::Result<Vec<u8>> {
            Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
        }
        fn stat(&self, rel: &str) -> Option<crate::core::extensions::DirEntry> {
            self.0.stat(rel)
        }
        fn listing(&self, rel: &str, prefix: &str) -> crate::core::extensions::fs::Listing {
            self.0.listing(rel, prefix)
        }
        fn root_display(&self) -> String {
            self.0.root_display()
        }
    }

    #[test]
    fn an_unreadable_file_is_an_error_not_an_empty_list() {
        for file in ["requirements.txt", "pyproject.toml"] {
            let fs = Unreadable(MemoryFs::new().file(file, "flask"));
            let err = declared_names(&fs).unwrap_err();
            assert_eq!(err.kind, ErrorKind::Unreadable);
            assert_eq!(err.anchor, Anchor::File(file.to_owned()));
            assert_eq!(
                err.message,
                format!(
                    "`{file}` cannot be read (permission denied), so the Python dependencies it declares are unknown."
                )
            );
        }
    }
}
