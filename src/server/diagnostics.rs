//! Analysing a document version and publishing its diagnostics.

use std::sync::Arc;

use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::pipeline;
use crate::core::rules::known_packages;
use crate::core::text::{Encoding, TextRange, TextSize};

use super::Backend;
use super::convert::{self, LineMap};
use super::expansion::{self, Expanded};
use super::guard::guarded;
use super::packages::Loaded;
use super::store::{DocState, MAX_ANALYSED_BYTES, Outcome};

/// The diagnostics to publish for a snapshot (the analysis's, then `names`, its package-name
/// diagnostics), or `None` when nothing must be published (ignored document, failed or not
/// yet finished analysis).
#[must_use]
fn to_lsp(
    map: &LineMap<'_>,
    uri: &Uri,
    state: &DocState,
    names: &[Diagnostic],
) -> Option<Vec<lsp::Diagnostic>> {
    let one = |d: &Diagnostic| convert::diagnostic(map, uri, state.version, d);
    match state.outcome()? {
        Outcome::Ignored | Outcome::Failed => None,
        Outcome::Analysed(a) => guarded("converting diagnostics", || {
            a.diagnostics.iter().chain(names).map(one).collect()
        }),
        Outcome::TooLarge => Some(vec![one(&too_large(state))]),
    }
}

fn too_large(state: &DocState) -> Diagnostic {
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
            MAX_ANALYSED_BYTES / (1024 * 1024)
        ),
    )
}

/// The diagnostics of a document's package names against the loaded indexes (`unknown-slice`,
/// `unknown-package`); empty when the document is not analysed. Computed once per document
/// version and state of the indexes (publishes and code actions of a version share them).
#[must_use]
pub fn package_diagnostics(state: &DocState, packages: &Loaded) -> Arc<[Diagnostic]> {
    state.package_names(packages.revision(), || {
        state
            .analysis()
            .and_then(|a| {
                guarded("checking package names", || {
                    known_packages::diagnose(&a.doc, packages)
                })
            })
            .unwrap_or_default()
    })
}

/// [`package_diagnostics`] on a blocking thread: a "did you mean" scans a large package list,
/// which must not hold up the async runtime.
pub async fn package_diagnostics_blocking(
    state: &Arc<DocState>,
    packages: &Arc<Loaded>,
) -> Arc<[Diagnostic]> {
    let (s, p) = (Arc::clone(state), Arc::clone(packages));
    tokio::task::spawn_blocking(move || package_diagnostics(&s, &p))
        .await
        .unwrap_or_else(|_| Arc::from([]))
}

/// The fast diagnostics of a snapshot, those of its package names (`names`, from
/// [`package_diagnostics`]), and those of its expansion
/// when `expanded` is of the same version (an expansion diagnostic equal in code and range to a
/// fast one is dropped). The flag tells whether any expansion diagnostic was included. `None`:
/// publish nothing.
#[must_use]
pub fn merged(
    uri: &Uri,
    state: &DocState,
    expanded: Option<&Expanded>,
    names: &[Diagnostic],
    enc: Encoding,
) -> Option<(Vec<lsp::Diagnostic>, bool)> {
    let map = LineMap::new(&state.text, &state.lines, enc);
    let expanded = expanded.filter(|e| e.version == state.version);
    let analysis = match state.outcome()? {
        Outcome::Analysed(a) => a,
        _ => return to_lsp(&map, uri, state, names).map(|d| (d, false)),
    };
    let expansion = expanded.map_or(&[][..], |e| &e.result.diagnostics[..]);
    guarded("converting diagnostics", || {
        let all = pipeline::merge(&analysis.doc, &analysis.diagnostics, names, expansion);
        let with_expansion = all.len() > analysis.diagnostics.len() + names.len();
        let out = all
            .iter()
            .map(|d| convert::diagnostic(&map, uri, state.version, d))
            .collect();
        (out, with_expansion)
    })
}

/// Publishes a snapshot's diagnostics, tagged with its version, merged with the expansion
/// diagnostics of the same version if any. Call after the store holds it; then schedule the
/// expansion of the new version.
pub async fn publish(backend: &Backend, uri: Uri, state: &DocState) {
    expansion::publish(&backend.expansion_ctx(), &uri, state.version, false).await;
}

/// Clears a document's diagnostics in the client (in order with the other publishes: a publish
/// that checked the document before it was closed goes out first).
pub async fn clear(backend: &Backend, uri: Uri) {
    let _order = backend.expansions.publish_lock.lock().await;
    backend
        .client
        .publish_diagnostics(uri, Vec::new(), None)
        .await;
}
