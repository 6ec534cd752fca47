//! Diagnostics as plain data: byte ranges, a severity, a stable code, a message and optional fixes.

pub use crate::core::code::{Code, Severity};
use crate::core::text::TextRange;
use crate::core::yaml::incremental::Change;

/// A text replacement.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: TextRange,
    pub text: String,
}

/// A quick fix: a titled set of edits that repairs the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Another place that explains the problem (e.g. the first of two duplicate keys).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    /// What kind of problem it is (its stable name, such as `unknown-key`, is documented in
    /// the README).
    pub code: Code,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// A finding with its code's default severity.
    #[must_use]
    pub fn new(range: TextRange, code: Code, message: impl Into<String>) -> Self {
        Self {
            range,
            severity: code.default_severity(),
            code,
            message: message.into(),
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    #[must_use]
    pub fn with_fix(
        mut self,
        title: impl Into<String>,
        range: TextRange,
        text: impl Into<String>,
    ) -> Self {
        self.fixes.push(Fix {
            title: title.into(),
            edits: vec![Edit {
                range,
                text: text.into(),
            }],
        });
        self
    }

    /// This finding of an edit's old text placed on the new text: every range moved by
    /// `change`; `None` when a range lies within the changed run.
    #[must_use]
    pub fn moved(&self, change: Change) -> Option<Diagnostic> {
        let mut d = self.clone();
        d.range = change.map_range(d.range)?;
        for r in &mut d.related {
            r.range = change.map_range(r.range)?;
        }
        for f in &mut d.fixes {
            for e in &mut f.edits {
                e.range = change.map_range(e.range)?;
            }
        }
        Some(d)
    }

    #[must_use]
    pub fn with_related(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push(Related {
            range,
            message: message.into(),
        });
        self
    }
}
