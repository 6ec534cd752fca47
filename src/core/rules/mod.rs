//! Project-model rules the schema cannot express, one file per rule.
//!
//! Each rule is `pub fn check(doc: &Document, out: &mut Vec<Diagnostic>)`, or, for the rules
//! about one part, `check_part` on one entry of `parts:` (run part by part by [`memo`], which
//! keeps their findings per part for the next edit). A rule must never panic on any tree
//! (broken input reaches the rules with a partial tree only when the YAML itself is valid).
//! `out` already holds the YAML and schema diagnostics when the rules run, so a rule can avoid
//! reporting a problem a second time.
//!
//! Each rule's tests sit at the bottom of its file, written as annotated YAML: comment lines
//! with carets under the source mark the diagnostics expected there (`test_support`).
//!
//! [`known_packages`] is the exception: it needs the package indexes the server loads in the
//! background, so it takes them as a parameter and the server runs it separately.

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::document::Document;
use crate::core::extensions::registry::{self, ExtensionInfo};
use crate::core::text::{TextRange, TextSize};
use crate::core::yaml::incremental::Change;
use crate::core::yaml::{Entry, NodeId, ScalarValue};

mod base;
mod checks;
mod entrypoint;
mod environment;
mod extensions;
mod filesets;
pub mod known_packages;
mod license;
mod memo;
pub(crate) mod name;
mod packages;
mod part_cycles;
mod part_fields;
mod part_names;
mod platforms;
mod plugins;
mod prime_prefix;
mod references;
mod service_command;
mod version;

pub(crate) use base::build_base_edit;
pub use memo::Memo;
pub(crate) use packages::entry_uses_overlay;

/// Runs every rule.
pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let _ = check_reusing(doc, None, out);
}

/// [`check`], taking the findings of the parts outside `reuse`'s change from its memo instead
/// of checking them again, and returning the memo of this document. The caller vouches that
/// the memo is of the document `doc` was read from by the change, and that the top-level keys
/// a part's checks read are written the same in both
/// (the schema's `CONTEXT_KEYS`).
pub fn check_reusing(
    doc: &Document,
    reuse: Option<(&Memo, Change)>,
    out: &mut Vec<Diagnostic>,
) -> Memo {
    extensions::check(doc, out);
    name::check(doc, out);
    version::check(doc, out);
    base::check(doc, out);
    environment::check(doc, out);
    platforms::check(doc, out);
    entrypoint::check(doc, out);
    // plugins, packages, part_names, part_fields, prime_prefix and filesets, part by part.
    let ctx = PartContext::of(doc);
    let parts = memo::run(doc, &ctx, reuse, out);
    checks::check(doc, out);
    references::check(doc, &ctx, &parts, out);
    part_cycles::check(&parts, out);
    license::check(doc, out);
    service_command::check(doc, out);
    Memo::new(parts)
}

/// What the rules about one part read from the rest of the document.
pub(super) struct PartContext<'d> {
    /// The registered extensions the project declares.
    declared: Vec<&'static ExtensionInfo>,
    /// The system parts are built on ([`Document::effective_build_base`]).
    build_base: Option<String>,
    /// Whether `build-base` is written (else the build base comes from `base`).
    build_base_written: bool,
    /// Whether the base is `bare`.
    bare: bool,
    /// The base entry, as `(key, value)`, that refuses `/` in part names, if it does.
    slash_refused_by: Option<(&'d str, &'d str)>,
}

impl PartContext<'_> {
    fn of(doc: &Document) -> PartContext<'_> {
        PartContext {
            declared: doc.declared_extensions(),
            build_base: doc.effective_build_base(),
            build_base_written: doc.build_base().is_some(),
            bare: doc.base() == Some(crate::core::facts::BARE),
            slash_refused_by: part_names::refusing_base(doc),
        }
    }

    /// [`Document::is_extension_part`].
    fn is_extension_part(&self, part: &str) -> bool {
        registry::owner_of_part(part)
            .is_some_and(|ext| self.declared.iter().any(|d| d.name == ext.name))
    }
}

/// The text of a scalar that the loader reads as a string (not a number, boolean or null).
fn string_value(doc: &Document, id: NodeId) -> Option<&str> {
    doc.tree
        .scalar(id)
        .filter(|s| s.value == ScalarValue::Str)
        .map(|s| s.text.as_str())
}

/// The strings of a list, or of a single string written in place of a list, with their nodes.
/// Items that are not strings are skipped (the schema reports them).
fn string_items(doc: &Document, id: NodeId) -> Vec<(NodeId, &str)> {
    if doc.tree.is_sequence(id) {
        doc.tree
            .items(id)
            .iter()
            .filter_map(|&i| string_value(doc, i).map(|t| (i, t)))
            .collect()
    } else {
        string_value(doc, id).map(|t| (id, t)).into_iter().collect()
    }
}

/// The items of a list of names the loader reads with numbers as strings (`after: [1]` names
/// part `1`), with their texts as written; a single scalar counts as a one-item list.
fn name_items(doc: &Document, id: NodeId) -> Vec<(NodeId, &str)> {
    let named = |i: NodeId| {
        doc.tree
            .scalar(i)
            .filter(|s| {
                matches!(
                    s.value,
                    ScalarValue::Str | ScalarValue::Int(_) | ScalarValue::Float(_)
                )
            })
            .map(|s| (i, s.text.as_str()))
    };
    if doc.tree.is_sequence(id) {
        doc.tree
            .items(id)
            .iter()
            .filter_map(|&i| named(i))
            .collect()
    } else {
        named(id).into_iter().collect()
    }
}

/// Whether an error is already reported at `range` (by the YAML reader or the schema), so a
/// rule does not report the same mistake twice.
fn error_at(out: &[Diagnostic], range: TextRange) -> bool {
    out.iter()
        .any(|d| d.severity == Severity::Error && d.range == range)
}

/// An edit that adds `line` (without line break) as a new line after the line holding the
/// end of `entry`, indented like the entry's key: `(range, text)` for [`Diagnostic::with_fix`].
fn insert_line_after(doc: &Document, entry: Entry, line: &str) -> (TextRange, String) {
    let key = doc.range(entry.key);
    let key_line = doc.lines.line_of(u32::from(key.start()));
    let indent = doc
        .lines
        .line_range(&doc.text, key_line)
        .map_or(0, |(s, _)| u32::from(key.start()).saturating_sub(s));
    let pad = " ".repeat(indent as usize);
    let end = doc.range(entry.value).end().max(key.end());
    let last_line = doc.lines.line_of(u32::from(end));
    if let Some((next_start, _)) = doc.lines.line_range(&doc.text, last_line + 1) {
        (
            TextRange::empty(TextSize::from(next_start)),
            format!("{pad}{line}\n"),
        )
    } else {
        let eol = doc
            .lines
            .line_range(&doc.text, last_line)
            .map_or(doc.lines.len(), |(_, e)| e);
        (
            TextRange::empty(TextSize::from(eol)),
            format!("\n{pad}{line}"),
        )
    }
}

/// Formats names as `` `a`, `b` and `c` `` for messages.
fn quote_list<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod golden_tests;
