//! The fast analysis run on every edit: parse, schema, project-model rules. The parsed
//! document is shared (`Arc`), so an editor can hand it to the requests that need only the tree
//! before the checks of the same text are done.

use std::sync::Arc;

use crate::core::cancel::Cancel;
use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::rules;
use crate::core::schema::validate::{CONTEXT_KEYS, Memo, validate_reusing};
use crate::core::yaml::YamlErrorKind;
use crate::core::yaml::incremental::Change;

/// A document and everything found wrong with it, sorted by position.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub doc: Arc<Document>,
    pub diagnostics: Vec<Diagnostic>,
    /// The schema findings per entry of the top-level mappings, for [`analyze_after`].
    pub memo: Memo,
    /// The rules' findings per part, for [`analyze_after`].
    pub rules: rules::Memo,
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
    let (diagnostics, memo, rules) = diagnose_reusing(&doc, None, cancel);
    Analysis {
        doc,
        diagnostics,
        memo,
        rules,
    }
}

/// [`analyze_with`] on `text`, an edit of `previous`'s text, redoing only the work the edit
/// can change: the YAML blocks it touched are read again ([`Document::reparse`]) and the
/// schema findings of the entries it left alone are reused. The result is the same as
/// [`analyze_with`]'s.
#[must_use]
pub fn analyze_after(previous: &Analysis, text: &str, cancel: Cancel<'_>) -> Analysis {
    let (doc, change) = previous.doc.reparse(text);
    checked_after(previous, Arc::new(doc), change, cancel)
}

/// [`checked`] on `doc`, read from `previous`'s text by [`Document::reparse`] (which said what
/// `change` it made, if it read only part of the text): the schema findings of the entries the
/// change left alone, and the rules' findings of the parts it left alone, are taken from
/// `previous`.
#[must_use]
pub fn checked_after(
    previous: &Analysis,
    doc: Arc<Document>,
    change: Option<Change>,
    cancel: Cancel<'_>,
) -> Analysis {
    let reuse = change
        .filter(|_| same_context(&previous.doc, &doc))
        .map(|c| (previous, c));
    let (diagnostics, memo, rules) = diagnose_reusing(&doc, reuse, cancel);
    Analysis {
        doc,
        diagnostics,
        memo,
        rules,
    }
}

/// Whether the top-level entries that the checks of other entries read are written the same.
fn same_context(a: &Document, b: &Document) -> bool {
    fn written<'d>(doc: &'d Document, key: &str) -> Option<&'d str> {
        doc.root_map()
            .and_then(|r| doc.tree.entry(r, key))
            .map(|e| doc.text_at(doc.range(e.key).cover(doc.range(e.value))))
    }
    CONTEXT_KEYS.iter().all(|k| written(a, k) == written(b, k))
}

/// All diagnostics of a parsed document.
#[must_use]
pub fn diagnose(doc: &Document) -> Vec<Diagnostic> {
    diagnose_with(doc, Cancel::NEVER)
}

/// [`diagnose`], stopping early once `cancel` is set.
fn diagnose_with(doc: &Document, cancel: Cancel<'_>) -> Vec<Diagnostic> {
    diagnose_reusing(doc, None, cancel).0
}

/// [`diagnose_with`], reusing the schema findings and the rules' findings of `reuse`'s analysis
/// as [`validate_reusing`] and [`rules::check_reusing`] do.
fn diagnose_reusing(
    doc: &Document,
    reuse: Option<(&Analysis, Change)>,
    cancel: Cancel<'_>,
) -> (Vec<Diagnostic>, Memo, rules::Memo) {
    let mut out: Vec<Diagnostic> = doc
        .yaml_errors
        .iter()
        .map(|e| yaml_diagnostic(doc, e))
        .collect();
    if doc.has_fatal_yaml_errors() {
        // A partial tree would produce misleading "missing key" errors; report only the
        // syntax problem until the YAML reads again.
        return (out, Memo::default(), rules::Memo::default());
    }
    let (found, memo) = validate_reusing(doc, reuse.map(|(a, c)| (&a.memo, c)), cancel);
    out.extend(found);
    let mut rule_memo = rules::Memo::default();
    if !cancel.is_cancelled() {
        rule_memo = rules::check_reusing(doc, reuse.map(|(a, c)| (&a.rules, c)), &mut out);
    }
    out.sort_by_key(|d| (d.range.start(), d.range.end(), d.severity));
    (out, memo, rule_memo)
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

#[cfg(test)]
pub(crate) mod incremental_tests;
