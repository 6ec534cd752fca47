//! `textDocument/documentLink`: `prime`/`stage` entries, `source:` paths and `organize`
//! sources to the project files they name, `source:` URLs, and each extension's reference
//! page. Project paths are looked up off the async runtime, inside the project only.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentLink, DocumentLinkParams, Uri};

use crate::core::extensions::fs::MemoryFs;
use crate::core::ide::links::{self, Target};
use crate::host::fs::RealFs;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;
use crate::server::session::project_dir;

/// `textDocument/documentLink`.
///
/// # Errors
/// None: a document that is not open or not analysed has no links.
pub async fn handle(
    backend: &Backend,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>> {
    let uri = params.text_document.uri;
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(&backend.session, &uri, "documentLink").await
    else {
        return Ok(None);
    };
    let dir = project_dir(&uri);
    let found = {
        let analysis = Arc::clone(&analysis);
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || {
            guarded("computing the document links", || match dir {
                Some(dir) => links::links(&analysis.doc, &RealFs::new(dir)),
                // A document that is not a file has no project to find paths in.
                None => links::links(&analysis.doc, &MemoryFs::new()),
            })
        })
        .await
        .ok()
        .flatten()
    };
    let Some(found) = found else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let out = found
        .into_iter()
        .filter_map(|l| {
            let target: Uri = match l.target {
                Target::Url(u) => u.parse().ok()?,
                Target::ProjectPath(rel) => {
                    let dir = dir.as_ref()?;
                    let path = if rel.is_empty() {
                        dir.clone()
                    } else {
                        dir.join(rel)
                    };
                    Uri::from_file_path(path)?
                }
            };
            Some(DocumentLink {
                range: map.range(l.range),
                target: Some(target),
                tooltip: Some(l.tooltip),
                data: None,
            })
        })
        .collect();
    Ok(Some(out))
}
