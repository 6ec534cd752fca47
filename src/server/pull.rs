//! Pull diagnostics (`textDocument/diagnostic`, `workspace/diagnostic`): whether the client
//! pulls, the result id of a report, what was last answered per document, and the
//! `workspace/diagnostic/refresh` request that tells the client to pull again when findings
//! change without an edit (an expansion finished, project files or package indexes changed).
//!
//! A result id is a hash of the diagnostics as answered, so a client that sends it back gets
//! `unchanged` exactly when it already has those diagnostics.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use dashmap::DashMap;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{self as lsp, Uri};

/// The identifier of the server's diagnostics in pull requests.
pub const IDENTIFIER: &str = "rockcraft";

/// What the client said in `initialize`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Mode {
    /// The client pulls document diagnostics: the publisher pushes none for open documents.
    pull: bool,
    /// The client accepts `workspace/diagnostic/refresh`.
    refresh: bool,
}

/// The pull state shared by the handlers, the publisher and the workspace jobs. Cloning is
/// cheap and shares it.
#[derive(Clone, Debug, Default)]
pub struct Pull {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    mode: OnceLock<Mode>,
    /// Per document: the version and result id last answered.
    answered: DashMap<Uri, (Option<i32>, String)>,
    /// A `workspace/diagnostic` was answered: changes on disk are worth a refresh.
    workspace_answered: AtomicBool,
    /// A refresh request is on its way to the client (another one would add nothing).
    refreshing: Arc<AtomicBool>,
}

impl Pull {
    /// Records the client's capabilities (`initialize`).
    pub fn configure(&self, pull: bool, refresh: bool) {
        let _ = self.inner.mode.set(Mode { pull, refresh });
    }

    /// Whether the client pulls document diagnostics.
    #[must_use]
    pub fn is_on(&self) -> bool {
        self.inner.mode.get().is_some_and(|m| m.pull)
    }

    /// Notes what was answered for `uri` (`version`: the open document's, `None` on disk).
    pub fn answered(&self, uri: &Uri, version: Option<i32>, id: &str) {
        self.inner
            .answered
            .insert(uri.clone(), (version, id.to_owned()));
    }

    /// Notes that a workspace report was answered.
    pub fn answered_workspace(&self) {
        self.inner.workspace_answered.store(true, Ordering::SeqCst);
    }

    /// Forgets what was answered for a document (closed).
    pub fn forget(&self, uri: &Uri) {
        self.inner.answered.remove(uri);
    }

    /// Whether the client holds diagnostics of this very `version` of `uri` other than those
    /// with result id `id`: the findings changed without an edit. A client that holds an
    /// older version pulls the new one by itself.
    #[must_use]
    pub fn is_stale(&self, uri: &Uri, version: i32, id: &str) -> bool {
        self.inner
            .answered
            .get(uri)
            .is_some_and(|a| a.0 == Some(version) && a.1 != id)
    }

    /// Asks the client to pull again (when it accepts the request and has pulled workspace or
    /// document diagnostics), without waiting for its answer.
    pub fn refresh(&self, client: &Client) {
        let Some(mode) = self.inner.mode.get() else {
            return;
        };
        if !mode.pull || !mode.refresh {
            return;
        }
        if self.inner.refreshing.swap(true, Ordering::SeqCst) {
            return;
        }
        let (client, flag) = (client.clone(), Arc::clone(&self.inner.refreshing));
        tokio::spawn(async move {
            if let Err(e) = client.workspace_diagnostic_refresh().await {
                tracing::debug!("workspace/diagnostic/refresh failed: {e}");
            }
            flag.store(false, Ordering::SeqCst);
        });
    }

    /// [`Pull::refresh`] when a workspace report was answered (files on disk changed).
    pub fn refresh_workspace(&self, client: &Client) {
        if self.inner.workspace_answered.load(Ordering::SeqCst) {
            self.refresh(client);
        }
    }
}

/// The result id of a report: a hash of its diagnostics.
#[must_use]
pub fn result_id(diagnostics: &[lsp::Diagnostic]) -> String {
    let mut h = DefaultHasher::new();
    // Serialised, as the client receives them (the protocol types implement no `Hash`).
    match serde_json::to_vec(diagnostics) {
        Ok(bytes) => bytes.hash(&mut h),
        Err(_) => diagnostics.len().hash(&mut h),
    }
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(message: &str) -> lsp::Diagnostic {
        lsp::Diagnostic {
            message: message.to_owned(),
            ..lsp::Diagnostic::default()
        }
    }

    #[test]
    fn result_ids_follow_the_diagnostics() {
        assert_eq!(result_id(&[diag("a")]), result_id(&[diag("a")]));
        assert_ne!(result_id(&[diag("a")]), result_id(&[diag("b")]));
        assert_ne!(result_id(&[]), result_id(&[diag("a")]));
    }

    #[test]
    fn only_a_changed_answer_for_the_same_version_is_stale() {
        let p = Pull::default();
        let uri: Uri = "file:///p/rockcraft.yaml".parse().unwrap();
        assert!(!p.is_stale(&uri, 1, "x"), "never answered");
        p.answered(&uri, Some(1), "x");
        assert!(!p.is_stale(&uri, 1, "x"));
        assert!(p.is_stale(&uri, 1, "y"));
        assert!(
            !p.is_stale(&uri, 2, "y"),
            "the client pulls a new version itself"
        );
        p.forget(&uri);
        assert!(!p.is_stale(&uri, 1, "y"));
    }
}
