//! Extra warnings on extension projects that rockcraft itself does not give; one file each.

mod duplicate_service_command;
mod exclusion_only_prime;
mod framework_part_without_extension;
mod misspelled_extension_part;
mod misspelled_extension_service;
mod prime_missing_file;
mod working_dir;

use serde_json::Value;

use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::extensions::{Context, ProjectFs};

/// Lints for a project without `extensions:`.
pub fn without_extensions(doc: &Document, out: &mut Vec<Diagnostic>) {
    framework_part_without_extension::check(doc, out);
}

/// Lints for a project that declares extensions. `expanded` is the successful expansion.
pub fn with_extensions(
    doc: &Document,
    fs: &dyn ProjectFs,
    ctx: &Context<'_>,
    expanded: Option<&Value>,
    out: &mut Vec<Diagnostic>,
) {
    exclusion_only_prime::check(doc, out);
    prime_missing_file::check(doc, fs, out);
    misspelled_extension_part::check(doc, out);
    misspelled_extension_service::check(doc, out);
    framework_part_without_extension::check(doc, out);
    working_dir::check(doc, out);
    if expanded.is_some() {
        duplicate_service_command::check(doc, ctx, out);
    }
}

/// The whole source line(s) of a mapping entry, for deletion edits: from the start of the
/// key's line to the start of the line after the value.
pub(crate) fn entry_lines(
    doc: &Document,
    e: crate::core::yaml::Entry,
) -> crate::core::text::TextRange {
    let start = u32::from(doc.range(e.key).start());
    let end = u32::from(doc.range(e.value).end()).max(u32::from(doc.range(e.key).end()));
    let line_start = crate::core::text::line_start(&doc.text, start as usize);
    let line_end =
        crate::core::text::next_line_start(&doc.text, end as usize).unwrap_or(doc.text.len());
    crate::core::text::TextRange::new(
        u32::try_from(line_start).unwrap_or(0).into(),
        u32::try_from(line_end).unwrap_or(0).into(),
    )
}
