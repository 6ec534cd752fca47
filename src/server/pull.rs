//! Pull diagnostics (`textDocument/diagnostic`, `workspace/diagnostic`): whether the client
//! pulls, the result id of a report, what was last answered per document, and the
//! `workspace/diagnostic/refresh` request that tells the client to pull again when findings
//! change without an edit (an expansion finished, project files or package indexes changed).
//!
//! A result id is a hash of the diagnostics as answered, so a client that sends it back gets
//! `unchanged` exactly when it already has those diagnostics.
//!
//! Clients pull the workspace again as soon as (or seconds after) an answer arrives; a pull
//! that sends result ids back while nothing changed since the last answer is held until
//! something does ([`Pull::changed`]: an analysis or expansion finished, files or folders
//! changed), for at most [`HOLD`], instead of checking every project again for nothing.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use dashmap::DashMap;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{self as lsp, Uri};

/// The longest a workspace pull is held while nothing changes.
pub const HOLD: Duration = Duration::from_mins(5);

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

#[derive(Debug)]
struct Inner {
    mode: OnceLock<Mode>,
    /// Per document: the version and result id last answered.
    answered: DashMap<Uri, (Option<i32>, String)>,
    /// A `workspace/diagnostic` was answered: changes on disk are worth a refresh.
    workspace_answered: AtomicBool,
    /// A refresh request is on its way to the client (another one would add nothing).
    refreshing: Arc<AtomicBool>,
    /// Counts the changes that can change a workspace report.
    changes: tokio::sync::watch::Sender<u64>,
    /// The count of changes when the last workspace report was answered.
    answered_at: std::sync::Mutex<Option<u64>>,
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            mode: OnceLock::new(),
            answered: DashMap::new(),
            workspace_answered: AtomicBool::new(false),
            refreshing: Arc::default(),
            changes: tokio::sync::watch::Sender::new(0),
            answered_at: std::sync::Mutex::new(None),
        }
    }
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

    /// Notes that a workspace report was answered, as of change `at` (see [`Pull::changes`]).
    pub fn answered_workspace(&self, at: u64) {
        self.inner.workspace_answered.store(true, Ordering::SeqCst);
        if let Ok(mut a) = self.inner.answered_at.lock() {
            *a = Some(at);
        }
    }

    /// Notes a change that can change a workspace report, releasing a held pull.
    pub fn changed(&self) {
        self.inner.changes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The count of changes so far.
    #[must_use]
    pub fn changes(&self) -> u64 {
        *self.inner.changes.borrow()
    }

    /// Waits, for at most `hold`, until something changed since the last workspace answer
    /// (at once when nothing was answered yet or something already changed).
    pub async fn until_changed(&self, hold: Duration) {
        let since = self.inner.answered_at.lock().ok().and_then(|a| *a);
        let Some(since) = since else {
            return;
        };
        let mut rx = self.inner.changes.subscribe();
        let changed = rx.wait_for(|n| *n != since);
        let _ = tokio::time::timeout(hold, changed).await;
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

    #[tokio::test]
    async fn a_workspace_pull_waits_for_a_change_since_the_last_answer() {
        let p = Pull::default();
        // Nothing answered yet: no wait, however long the hold.
        p.until_changed(Duration::from_hours(1)).await;
        p.answered_workspace(p.changes());
        let held = tokio::time::timeout(Duration::from_millis(50), p.until_changed(HOLD)).await;
        assert!(held.is_err(), "held while nothing changed");
        p.changed();
        p.until_changed(Duration::from_hours(1)).await;
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
