//! The one publisher: a task that takes [`Event`]s from the background jobs and the handlers,
//! builds each document's diagnostics from its current state in the session and sends them.
//!
//! Rules:
//! - nothing else sends `textDocument/publishDiagnostics`, so there is no lock around
//!   publishing: events are handled one at a time, in the order they were sent;
//! - it publishes the document's *current* state, tagged with its version, and never a version
//!   older than the last one it published in the same life of the document, so a stale
//!   version never follows a newer one; `didClose` clears in the same queue;
//! - it remembers what it last published per document and does not send the same diagnostics
//!   for the same version twice;
//! - events that a later event in the queue makes moot are skipped (a burst of edits is
//!   published once);
//! - a version held for its expansion (see `server::expansion`) is not published before the
//!   expansion job ends (it announces itself then), so it is published once, complete;
//! - when the client pulls diagnostics (`super::pull`) nothing is pushed for open documents:
//!   the client is asked to pull again when a version's complete findings change after it was
//!   answered; closed files' findings from disk (the `checkClosedFiles` setting,
//!   [`Event::Checked`]) are pushed to clients that do not pull.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::core::packages::document_release;
use crate::core::text::Encoding;

use super::diagnostics;
use super::events::{Event, Events, Receiver};
use super::packages::Packages;
use super::pull::{self, Pull};
use super::session::{Session, project_dir};

/// What was last published for a document.
#[derive(Debug)]
struct Published {
    life: u64,
    version: i32,
    diagnostics: Vec<lsp::Diagnostic>,
}

/// The publisher's state; see the module documentation.
#[derive(Debug)]
pub struct Publisher {
    pub client: Client,
    pub session: Session,
    pub packages: Packages,
    /// For asking the packages of a document's release to load.
    pub events: Events,
    /// The position encoding, once negotiated (UTF-16 before).
    pub encoding: Arc<OnceLock<Encoding>>,
    /// Whether the client pulls (then nothing is pushed for open documents).
    pub pull: Pull,
    published: HashMap<Uri, Published>,
    /// Closed files whose findings from disk were published.
    on_disk: HashSet<Uri>,
}

impl Publisher {
    #[must_use]
    pub fn new(
        client: Client,
        session: Session,
        packages: Packages,
        events: Events,
        encoding: Arc<OnceLock<Encoding>>,
        pull: Pull,
    ) -> Self {
        Self {
            client,
            session,
            packages,
            events,
            encoding,
            pull,
            published: HashMap::new(),
            on_disk: HashSet::new(),
        }
    }

    /// Handles events until [`Event::Stop`] (or until every sender is gone).
    pub async fn run(mut self, mut events: Receiver) {
        let mut batch = Vec::new();
        while let Some(first) = events.recv().await {
            batch.push(first);
            while let Ok(more) = events.try_recv() {
                batch.push(more);
            }
            let pending = std::mem::take(&mut batch);
            for (i, event) in pending.iter().enumerate() {
                if moot(event, &pending[i + 1..]) {
                    continue;
                }
                match event {
                    Event::Document(uri) => self.document(uri, false).await,
                    Event::Saved(uri) => self.document(uri, true).await,
                    Event::Closed(uri) => self.closed(uri).await,
                    Event::Packages => {
                        // Closed files' package findings may change too.
                        if self.pull.is_on() {
                            self.pull.changed();
                            self.pull.refresh_workspace(&self.client);
                        }
                        for (uri, _) in self.session.all() {
                            self.document(&uri, false).await;
                        }
                    }
                    Event::Checked(uri, diags) => self.checked(uri, diags).await,
                    Event::Unchecked(uri) => self.unchecked(uri).await,
                    Event::UncheckedAll => {
                        for uri in std::mem::take(&mut self.on_disk) {
                            self.unchecked_now(&uri).await;
                        }
                    }
                    Event::Stop => return,
                }
            }
        }
    }

    /// Publishes a document's current state when it is analysed and differs from what was
    /// last published for this version (or, with `again`, even if it does not).
    async fn document(&mut self, uri: &Uri, again: bool) {
        let Some(doc) = self.session.get(uri) else {
            return;
        };
        let version = doc.snapshot.version;
        let before = self.published.get(uri).filter(|p| p.life == doc.life);
        if before.is_some_and(|p| p.version > version)
            || doc.snapshot.outcome().is_none()
            || (doc.held && !again)
        {
            return;
        }
        // The document's release may need the host's lists: start reading them (never waits).
        if let Some(release) = doc
            .snapshot
            .analysis()
            .and_then(|a| document_release(&a.doc))
        {
            self.packages.want(&self.events, &release);
        }
        let packages = self.packages.snapshot();
        let enc = self.encoding.get().copied().unwrap_or_default();
        let (u, d) = (uri.clone(), doc.clone());
        let built =
            tokio::task::spawn_blocking(move || diagnostics::build(&u, &d, &packages, enc)).await;
        let Ok(Some(diags)) = built else {
            return;
        };
        // Its findings from disk, if any, are replaced by these.
        self.on_disk.remove(uri);
        if self.pull.is_on() {
            self.pull.changed();
            // The client pulls: ask it to when this version's complete findings (no expansion
            // of it still to come) differ from what it was answered.
            let expanding = doc.current_expansion().is_none()
                && doc.snapshot.is_analysable()
                && project_dir(uri).is_some();
            if !expanding && self.pull.is_stale(uri, version, &pull::result_id(&diags)) {
                self.pull.refresh(&self.client);
            }
            return;
        }
        let repeated = !again
            && self.published.get(uri).is_some_and(|p| {
                p.life == doc.life && p.version == version && p.diagnostics == diags
            });
        if repeated {
            return;
        }
        self.published.insert(
            uri.clone(),
            Published {
                life: doc.life,
                version,
                diagnostics: diags.clone(),
            },
        );
        self.client
            .publish_diagnostics(uri.clone(), diags, Some(version))
            .await;
    }

    async fn closed(&mut self, uri: &Uri) {
        self.published.remove(uri);
        self.on_disk.remove(uri);
        if self.pull.is_on() {
            self.pull.forget(uri);
            self.pull.changed();
            return;
        }
        self.client
            .publish_diagnostics(uri.clone(), Vec::new(), None)
            .await;
    }
}

impl Publisher {
    /// Publishes a closed file's findings from disk, unless it is open (the open document's
    /// own findings stand) or the client pulls.
    async fn checked(&mut self, uri: &Uri, diags: &Arc<[lsp::Diagnostic]>) {
        if self.pull.is_on() || self.session.get(uri).is_some() {
            return;
        }
        if diags.is_empty() && !self.on_disk.contains(uri) {
            return;
        }
        self.on_disk.insert(uri.clone());
        self.client
            .publish_diagnostics(uri.clone(), diags.to_vec(), None)
            .await;
    }

    /// Clears a closed file's findings from disk, if they were published.
    async fn unchecked(&mut self, uri: &Uri) {
        if self.on_disk.remove(uri) {
            self.unchecked_now(uri).await;
        }
    }

    async fn unchecked_now(&mut self, uri: &Uri) {
        if self.session.get(uri).is_none() {
            self.client
                .publish_diagnostics(uri.clone(), Vec::new(), None)
                .await;
        }
    }
}

/// Whether a later event makes `event` pointless: the same document published again or
/// closed, or every document published again.
fn moot(event: &Event, later: &[Event]) -> bool {
    match event {
        Event::Document(uri) => later.iter().any(|e| match e {
            Event::Document(u) | Event::Saved(u) | Event::Closed(u) => u == uri,
            Event::Packages | Event::Stop => true,
            Event::Checked(..) | Event::Unchecked(_) | Event::UncheckedAll => false,
        }),
        Event::Saved(uri) => later.iter().any(|e| match e {
            Event::Saved(u) | Event::Closed(u) => u == uri,
            Event::Stop => true,
            Event::Document(_)
            | Event::Packages
            | Event::Checked(..)
            | Event::Unchecked(_)
            | Event::UncheckedAll => false,
        }),
        Event::Packages => later.contains(&Event::Packages) || later.contains(&Event::Stop),
        // A newer check of the same file, or a clear, replaces a check.
        Event::Checked(uri, _) => later.iter().any(|e| match e {
            Event::Checked(u, _) | Event::Unchecked(u) => u == uri,
            Event::UncheckedAll | Event::Stop => true,
            _ => false,
        }),
        Event::Closed(_) | Event::Stop | Event::Unchecked(_) | Event::UncheckedAll => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_events_make_earlier_ones_moot() {
        let a: Uri = "file:///a/rockcraft.yaml".parse().unwrap();
        let b: Uri = "file:///b/rockcraft.yaml".parse().unwrap();
        let doc = |u: &Uri| Event::Document(u.clone());
        assert!(moot(&doc(&a), &[doc(&b), doc(&a)]));
        assert!(moot(&doc(&a), &[Event::Closed(a.clone())]));
        assert!(moot(&doc(&a), &[Event::Packages]));
        assert!(!moot(&doc(&a), &[doc(&b), Event::Closed(b.clone())]));
        // A save publishes even what was published: only another save or a close replaces it.
        assert!(!moot(&Event::Saved(a.clone()), &[doc(&a)]));
        assert!(moot(&Event::Saved(a.clone()), &[Event::Saved(a.clone())]));
        // Closing always clears.
        assert!(!moot(
            &Event::Closed(a.clone()),
            &[doc(&a), Event::Closed(a.clone())]
        ));
        assert!(moot(&Event::Packages, &[doc(&a), Event::Packages]));
        // Nothing but a clear is worth sending once the session is over.
        assert!(moot(&doc(&a), &[Event::Stop]) && moot(&Event::Saved(a.clone()), &[Event::Stop]));
    }
}
