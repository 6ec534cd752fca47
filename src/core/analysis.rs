//! The fast analysis run on every edit: parse, schema, project-model rules. The parsed
//! document is shared (`Arc`), so an editor can hand it to the requests that need only the tree
//! before the checks of the same text are done.

use std::sync::Arc;

use crate::core::cancel::Cancel;
use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::yaml::YamlErrorKind;
use crate::core::{rules, schema};

/// A document and everything found wrong with it, sorted by position.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub doc: Arc<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks a `rockcraft.yaml` text. Never fails.
#[must_use]
pub fn analyze(text: &str) -> Analysis {
    analyze_with(text, Cancel::NEVER)
}

/// [`analyze`], stopping early once `cancel` is set (the findings are then incomplete).
#[must_use]
pub fn analyze_with(text: &str, cancel: Cancel<'_>) -> Analysis {
    checked(Arc::new(Document::parse(text)), cancel)
}

/// The analysis of an already parsed document, stopping early once `cancel` is set.
#[must_use]
pub fn checked(doc: Arc<Document>, cancel: Cancel<'_>) -> Analysis {
    let diagnostics = diagnose_with(&doc, cancel);
    Analysis { doc, diagnostics }
}

/// All diagnostics of a parsed document.
#[must_use]
pub fn diagnose(doc: &Document) -> Vec<Diagnostic> {
    diagnose_with(doc, Cancel::NEVER)
}

/// [`diagnose`], stopping early once `cancel` is set.
fn diagnose_with(doc: &Document, cancel: Cancel<'_>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = doc
        .yaml_errors
        .iter()
        .map(|e| yaml_diagnostic(doc, e))
        .collect();
    if doc.has_fatal_yaml_errors() {
        // A partial tree would produce misleading "missing key" errors; report only the
        // syntax problem until the YAML reads again.
        return out;
    }
    out.extend(schema::validate::validate_with(doc, cancel));
    if !cancel.is_cancelled() {
        rules::check(doc, &mut out);
    }
    out.sort_by_key(|d| (d.range.start(), d.range.end(), d.severity));
    out
}

fn yaml_diagnostic(doc: &Document, e: &crate::core::yaml::YamlError) -> Diagnostic {
    let code = match e.kind {
        YamlErrorKind::Syntax => Code::YamlSyntax,
        YamlErrorKind::DuplicateKey { .. } => Code::DuplicateKey,
        YamlErrorKind::MultipleDocuments => Code::MultipleDocuments,
        YamlErrorKind::UnknownAnchor => Code::UnknownAnchor,
        YamlErrorKind::AliasBudget => Code::AliasBomb,
        YamlErrorKind::RecursiveAlias => Code::RecursiveAlias,
        YamlErrorKind::TooDeep => Code::TooDeep,
        YamlErrorKind::UnknownTag { .. } => Code::UnknownTag,
        YamlErrorKind::UnhashableKey => Code::UnhashableKey,
    };
    let mut d = Diagnostic::new(e.range, code, e.message.clone());
    if let YamlErrorKind::DuplicateKey { first, .. } = &e.kind {
        d = d.with_related(*first, "first set here");
    }
    if e.range.is_empty() {
        // Widen an empty error range to the rest of its line so editors show it.
        let line = doc.lines.line_of(u32::from(e.range.start()));
        if let Some((s, end)) = doc.lines.line_range(&doc.text, line) {
            let start = u32::from(e.range.start()).max(s);
            if end > start {
                d.range = crate::core::text::TextRange::new(start.into(), end.into());
            }
        }
    }
    d
}
