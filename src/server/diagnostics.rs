//! A document's diagnostics as published: its fast findings, its package-name findings and its
//! latest expansion's findings (moved onto the current text), merged by the one rule
//! (`core::pipeline::merge`) and converted to LSP.

use std::sync::Arc;

use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::core::analysis::Analysis;
use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::pipeline;
use crate::core::text::{Encoding, TextRange, TextSize};

use super::convert::{self, LineMap};
use super::guard::guarded;
use super::packages::Loaded;
use super::session::{DocSnapshot, Outcome, Snapshot};

/// The diagnostics to publish for a document (blocking: a "did you mean" scans a large
/// package list), or `None` when nothing must be published (ignored document, failed or not
/// yet finished analysis).
#[must_use]
pub fn build(
    uri: &Uri,
    doc: &DocSnapshot,
    packages: &Loaded,
    enc: Encoding,
) -> Option<Vec<lsp::Diagnostic>> {
    let state = &doc.snapshot;
    let map = LineMap::new(&state.text, &state.lines, enc);
    let one = |d: &Diagnostic| convert::diagnostic(&map, uri, state.version, d);
    match state.outcome()? {
        Outcome::Ignored | Outcome::Failed => None,
        Outcome::TooLarge => Some(vec![one(&too_large(state))]),
        Outcome::Analysed(a) => {
            let names = package_diagnostics(state, packages);
            guarded("converting diagnostics", || {
                published(doc, a, &names).iter().map(one).collect()
            })
        }
    }
}

/// An analysed document's findings as published: its fast findings, those of its package
/// names and its carried expansion findings, merged by the one rule.
#[must_use]
pub fn published(doc: &DocSnapshot, analysis: &Analysis, names: &[Diagnostic]) -> Vec<Diagnostic> {
    pipeline::merge(
        &analysis.doc,
        &analysis.diagnostics,
        names,
        doc.carried_expansion(),
    )
}

fn too_large(state: &Snapshot) -> Diagnostic {
    let end = state
        .lines
        .line_range(&state.text, 0)
        .map_or(0, |(_, end)| end);
    Diagnostic::new(
        TextRange::new(TextSize::from(0), TextSize::from(end)),
        Code::FileTooLarge,
        format!(
            "this file is too large to analyse ({} bytes; the limit is {} MiB)",
            state.text.len(),
            pipeline::MAX_TEXT_BYTES / (1024 * 1024)
        ),
    )
}

/// The findings of a document's package names against the loaded indexes (`unknown-slice`,
/// `unknown-package`); empty when the document is not analysed. Computed once per document
/// version and state of the indexes (publishes and code actions of a version share them).
/// Blocking.
#[must_use]
pub fn package_diagnostics(state: &Snapshot, packages: &Loaded) -> Arc<[Diagnostic]> {
    state.package_names(packages.revision(), || {
        state
            .analysis()
            .and_then(|a| {
                guarded("checking package names", || {
                    pipeline::package_names(&a.doc, packages)
                })
            })
            .unwrap_or_default()
    })
}

/// [`package_diagnostics`] on a blocking thread.
pub async fn package_diagnostics_blocking(
    state: &Arc<Snapshot>,
    packages: &Arc<Loaded>,
) -> Arc<[Diagnostic]> {
    let (s, p) = (Arc::clone(state), Arc::clone(packages));
    tokio::task::spawn_blocking(move || package_diagnostics(&s, &p))
        .await
        .unwrap_or_else(|_| Arc::from([]))
}
