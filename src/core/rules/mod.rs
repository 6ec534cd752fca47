//! Project-model rules the schema cannot express, one file per rule.
//!
//! Each rule is `pub fn check(doc: &Document, out: &mut Vec<Diagnostic>)` and must never
//! panic on any tree (broken input reaches the rules with a partial tree only when the YAML
//! itself is valid).

use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;

mod extensions;

/// Runs every rule.
pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    extensions::check(doc, out);
}

#[cfg(test)]
mod tests;
