//! Why an expansion failed, where in the project the fix belongs, and how rockcraft would exit.

use std::fmt::Write as _;

use crate::core::facts;
use crate::core::yaml::PathSeg;

/// Where the problem should be shown in `rockcraft.yaml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The extension's item in `extensions:`.
    Extension(String),
    /// A key path in the (source) project, e.g. `parts.flask-framework/install-app.prime[2]`.
    Path(Vec<PathSeg>),
    /// A project file other than rockcraft.yaml (`requirements.txt`, `app/package.json`).
    File(String),
    /// The document as a whole.
    Document,
}

/// The class of failure, which decides rockcraft's exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A problem with the project (exit 1).
    Project,
    /// An input rockcraft cannot read, such as a broken pyproject.toml (exit 70).
    Unreadable,
    /// rockcraft.yaml itself is missing (exit 66).
    NoProjectFile,
}

/// Failures the editor reports on a key of their own rather than on the extension's item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The extension is experimental on the project's base and the opt-in is not set.
    Experimental { key: BaseKey },
    /// The extension does not support the project's base (or build base).
    UnsupportedBase { key: BaseKey },
}

impl Cause {
    /// The top-level key the message blames, where the editor shows the failure.
    #[must_use]
    pub fn key(self) -> BaseKey {
        match self {
            Self::Experimental { key } | Self::UnsupportedBase { key } => key,
        }
    }
}

/// `base` or `build-base`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseKey {
    Base,
    BuildBase,
}

impl BaseKey {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Base => "base",
            Self::BuildBase => "build-base",
        }
    }
}

/// One of several problems an error lists (the project-model checks report every key that
/// fails).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detail {
    /// The key path in the expanded project, when the problem is about one.
    pub path: Option<Vec<PathSeg>>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandError {
    pub kind: ErrorKind,
    /// What is wrong, in our own words, naming the file and the extension (for an error
    /// with `details`, the heading above them).
    pub message: String,
    /// The problems under the heading, each shown as a line of its own by the CLI.
    pub details: Box<[Detail]>,
    /// How to fix it.
    pub resolution: Option<String>,
    /// rockcraft documentation path (`/reference/extensions/flask-framework`), if any.
    /// (A boxed `str` keeps the error small enough to return by value, with `details`.)
    pub doc_slug: Option<Box<str>>,
    pub anchor: Anchor,
    /// Set for the failures the editor shows in a dedicated way.
    pub cause: Option<Cause>,
}

impl ExpandError {
    #[must_use]
    pub fn project(anchor: Anchor, message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Project,
            message: message.into(),
            details: Box::default(),
            resolution: None,
            doc_slug: None,
            anchor,
            cause: None,
        }
    }

    /// An input rockcraft cannot handle and stops on with an internal error (exit 70).
    #[must_use]
    pub fn unreadable(anchor: Anchor, message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Unreadable,
            ..Self::project(anchor, message)
        }
    }

    #[must_use]
    pub fn cause(mut self, cause: Cause) -> Self {
        self.cause = Some(cause);
        self
    }

    #[must_use]
    pub fn details(mut self, details: Vec<Detail>) -> Self {
        self.details = details.into_boxed_slice();
        self
    }

    /// The message, then one `- ` line per detail (`- `path`: problem`), as the CLI prints it.
    #[must_use]
    pub fn text(&self) -> String {
        let mut text = self.message.clone();
        for d in &self.details {
            text.push_str("\n- ");
            if let Some(path) = &d.path {
                let _ = write!(text, "`{}`: ", crate::core::yaml::dotted(path));
            }
            text.push_str(&d.message);
        }
        text
    }

    #[must_use]
    pub fn resolution(mut self, text: impl Into<String>) -> Self {
        self.resolution = Some(text.into());
        self
    }

    #[must_use]
    pub fn doc(mut self, slug: impl Into<String>) -> Self {
        self.doc_slug = Some(slug.into().into_boxed_str());
        self
    }

    /// rockcraft's exit code for this failure.
    #[must_use]
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            ErrorKind::Project => 1,
            ErrorKind::Unreadable => 70,
            ErrorKind::NoProjectFile => 66,
        }
    }

    /// The documentation page for the problem.
    #[must_use]
    pub fn doc_url(&self) -> Option<String> {
        self.doc_slug.as_ref().map(|s| facts::doc_url(s))
    }
}
