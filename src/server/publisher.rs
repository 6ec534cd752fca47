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
//!   published once).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::core::packages::document_release;
use crate::core::text::Encoding;

use super::diagnostics;
use super::events::{Event, Events, Receiver};
use super::packages::Packages;
use super::session::Session;

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
    published: HashMap<Uri, Published>,
}

impl Publisher {
    #[must_use]
    pub fn new(
        client: Client,
        session: Session,
        packages: Packages,
        events: Events,
        encoding: Arc<OnceLock<Encoding>>,
    ) -> Self {
        Self {
            client,
            session,
            packages,
            events,
            encoding,
            published: HashMap::new(),
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
                        for (uri, _) in self.session.all() {
                            self.document(&uri, false).await;
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
        if before.is_some_and(|p| p.version > version) || doc.snapshot.outcome().is_none() {
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
        self.client
            .publish_diagnostics(uri.clone(), Vec::new(), None)
            .await;
    }
}

/// Whether a later event makes `event` pointless: the same document published again or
/// closed, or every document published again.
fn moot(event: &Event, later: &[Event]) -> bool {
    match event {
        Event::Document(uri) => later.iter().any(|e| match e {
            Event::Document(u) | Event::Saved(u) | Event::Closed(u) => u == uri,
            Event::Packages | Event::Stop => true,
        }),
        Event::Saved(uri) => later.iter().any(|e| match e {
            Event::Saved(u) | Event::Closed(u) => u == uri,
            Event::Stop => true,
            Event::Document(_) | Event::Packages => false,
        }),
        Event::Packages => later.contains(&Event::Packages) || later.contains(&Event::Stop),
        Event::Closed(_) | Event::Stop => false,
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
