//! `textDocument/diagnostic`: the complete findings of an open document's current version, as
//! the push path publishes them (fast analysis, package names and the extension expansion), with
//! a result id; `unchanged` when the client already holds them. The analysis is awaited, and
//! an expansion of this version not finished yet is run now (both bounded): when it cannot be
//! had in time the answer carries the latest expansion's findings, and the client is asked to
//! pull again once the expansion changes them (`publisher`). A closed `rockcraft.yaml` inside
//! a workspace folder is checked from disk.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    self as lsp, DocumentDiagnosticParams, DocumentDiagnosticReport,
    DocumentDiagnosticReportResult, FullDocumentDiagnosticReport,
    RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
    UnchangedDocumentDiagnosticReport, Uri,
};

use crate::core::packages::document_release;
use crate::server::Backend;
use crate::server::session::{DocSnapshot, ExpandedVersion, is_rockcraft_yaml};
use crate::server::workspace::{self, Found};
use crate::server::{analysis, diagnostics, expansion, pull};

/// `textDocument/diagnostic`.
///
/// # Errors
/// None: a document without findings gets an empty report.
pub async fn handle(
    backend: &Backend,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let (version, items) = match open_document(backend, &uri).await {
        Some((version, items)) => (Some(version), items),
        None => (None, closed_document(backend, &uri).await),
    };
    let id = pull::result_id(&items);
    backend.pull.answered(&uri, version, &id);
    let report = if params.previous_result_id.as_deref() == Some(id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                result_id: id,
            },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(id),
                items,
            },
        })
    };
    Ok(DocumentDiagnosticReportResult::Report(report))
}

/// The version and complete findings of an open document (empty for documents the server does
/// not diagnose, or whose analysis could not be had in time); `None` when it is not open.
pub async fn open_document(backend: &Backend, uri: &Uri) -> Option<(i32, Vec<lsp::Diagnostic>)> {
    let doc = backend.session.get(uri)?;
    let state = Arc::clone(&doc.snapshot);
    let version = state.version;
    if !analysis::ensure(&state).await {
        return Some((version, Vec::new()));
    }
    if let Some(release) = state.analysis().and_then(|a| document_release(&a.doc)) {
        backend.packages.want(&backend.events, &release);
    }
    let doc = with_current_expansion(backend, uri, doc).await;
    let packages = backend.packages.snapshot();
    let enc = backend.encoding();
    let u = uri.clone();
    let built =
        tokio::task::spawn_blocking(move || diagnostics::build(&u, &doc, &packages, enc)).await;
    Some((version, built.ok().flatten().unwrap_or_default()))
}

/// `doc` with the expansion of its current version: the one kept, else one run now (bounded);
/// `doc` itself when there is none.
async fn with_current_expansion(backend: &Backend, uri: &Uri, doc: DocSnapshot) -> DocSnapshot {
    if doc.current_expansion().is_some() {
        return doc;
    }
    let ctx = backend.expansion_ctx();
    let state = Arc::clone(&doc.snapshot);
    let Some(result) = expansion::expand_now(&ctx, uri, state, analysis::WAIT).await else {
        return doc;
    };
    // The background job may have finished meanwhile: the session's copy is the same.
    DocSnapshot {
        carried: result.diagnostics.clone().into(),
        expansion: Some(Arc::new(ExpandedVersion {
            version: doc.snapshot.version,
            result,
        })),
        ..doc
    }
}

/// The findings of a `rockcraft.yaml` that is not open, read from disk when it lies inside a
/// workspace folder; empty otherwise.
async fn closed_document(backend: &Backend, uri: &Uri) -> Vec<lsp::Diagnostic> {
    if !is_rockcraft_yaml(uri) {
        return Vec::new();
    }
    let Some(path) = uri.to_file_path().map(std::borrow::Cow::into_owned) else {
        return Vec::new();
    };
    let Some(folder) = backend
        .workspace
        .folders()
        .into_iter()
        .find(|f| path.starts_with(f))
    else {
        return Vec::new();
    };
    let found = Found { path, folder };
    let packages = backend.packages.snapshot();
    let (experimental, enc) = (backend.settings.experimental(), backend.encoding());
    tokio::task::spawn_blocking(move || workspace::check_one(&found, &packages, experimental, enc))
        .await
        .ok()
        .flatten()
        .map(|(_, diags)| diags)
        .unwrap_or_default()
}
