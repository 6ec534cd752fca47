//! `workspace/diagnostic`: a report for every `rockcraft.yaml` under the workspace folders,
//! found by `check`'s walk. Open documents are answered from their current analysis (as
//! `textDocument/diagnostic` answers them); the others are checked from disk in parallel, off
//! the async threads, with `$/progress` work-done reports on the client's token (or on one the
//! server creates). A file whose result id the client sends back unchanged gets `unchanged`;
//! a pull that sends result ids back while nothing changed since the last answer is held
//! until something does (`pull::HOLD`).

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    self as lsp, FullDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, Uri,
    WorkspaceDiagnosticParams, WorkspaceDiagnosticReport, WorkspaceDiagnosticReportResult,
    WorkspaceDocumentDiagnosticReport, WorkspaceFullDocumentDiagnosticReport,
    WorkspaceUnchangedDocumentDiagnosticReport,
};

use crate::server::handlers::diagnostic;
use crate::server::workspace::{Found, Workspace};
use crate::server::{Backend, pull};

/// The title of the progress shown while the workspace is checked.
pub const TITLE: &str = "Checking rockcraft.yaml files";

/// `workspace/diagnostic`.
///
/// # Errors
/// None: a workspace without project files gets an empty report.
pub async fn handle(
    backend: &Backend,
    params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    if !params.previous_result_ids.is_empty() {
        backend.pull.until_changed(pull::HOLD).await;
    }
    let at = backend.pull.changes();
    let previous: HashMap<Uri, String> = params
        .previous_result_ids
        .into_iter()
        .map(|p| (p.uri, p.value))
        .collect();
    let workspace = &backend.workspace;
    let progress = workspace
        .progress(params.work_done_progress_params.work_done_token, TITLE)
        .await;
    let folders = workspace.folders();
    let found = tokio::task::spawn_blocking(move || Workspace::find(&folders))
        .await
        .unwrap_or_default();
    let count = found.len();
    let (mut open, mut closed): (Vec<(Uri, Found)>, Vec<Found>) = (Vec::new(), Vec::new());
    for f in found {
        match f.uri() {
            Some(uri) if workspace.is_open(&uri) => open.push((uri, f)),
            Some(_) => closed.push(f),
            None => {}
        }
    }
    let mut items = Vec::with_capacity(count);
    for (uri, _) in open {
        if let Some((version, diags)) = diagnostic::open_document(backend, &uri).await {
            items.push(report(backend, &previous, uri, Some(version), diags));
        }
    }
    let experimental = backend.settings.experimental();
    let mut checked = Vec::new();
    workspace
        .check_files(closed, experimental, progress.as_ref(), |one| {
            checked.push(one);
        })
        .await;
    for (uri, diags) in checked {
        items.push(report(backend, &previous, uri, None, diags));
    }
    if let Some(p) = progress {
        p.end(count).await;
    }
    backend.pull.answered_workspace(at);
    Ok(WorkspaceDiagnosticReportResult::Report(
        WorkspaceDiagnosticReport { items },
    ))
}

/// One file's report: `unchanged` when the client holds these diagnostics already.
fn report(
    backend: &Backend,
    previous: &HashMap<Uri, String>,
    uri: Uri,
    version: Option<i32>,
    items: Vec<lsp::Diagnostic>,
) -> WorkspaceDocumentDiagnosticReport {
    let id = pull::result_id(&items);
    backend.pull.answered(&uri, version, &id);
    let version = version.map(i64::from);
    if previous.get(&uri) == Some(&id) {
        return WorkspaceDocumentDiagnosticReport::Unchanged(
            WorkspaceUnchangedDocumentDiagnosticReport {
                uri,
                version,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id: id,
                },
            },
        );
    }
    WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
        uri,
        version,
        full_document_diagnostic_report: FullDocumentDiagnosticReport {
            result_id: Some(id),
            items,
        },
    })
}
