//! The events background work sends to the publisher: the only way a job, a settings change or
//! a handler asks for diagnostics to go out, so publishing has one owner and one order.

use std::sync::Arc;

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{Diagnostic, Uri};

/// Something the publisher must act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The document's findings may have changed (its analysis or its expansion finished):
    /// publish its current state.
    Document(Uri),
    /// The document was saved: publish its current state even if it was published already
    /// (clients expect diagnostics after a save).
    Saved(Uri),
    /// The document was closed: clear its diagnostics.
    Closed(Uri),
    /// The package indexes changed: publish every open document again.
    Packages,
    /// A closed `rockcraft.yaml` was checked from disk (the `checkClosedFiles` setting):
    /// publish its findings unless it is open.
    Checked(Uri, Arc<[Diagnostic]>),
    /// A closed file's findings from disk no longer stand (it was deleted): clear them.
    Unchecked(Uri),
    /// No closed file's findings from disk stand any more (the setting was turned off).
    UncheckedAll,
    /// The session is over: stop (the publisher holds a sender itself, so the queue alone
    /// never closes).
    Stop,
}

/// The sending side of the publisher's queue. Cloning is cheap; sending never blocks.
#[derive(Clone, Debug)]
pub struct Events(mpsc::UnboundedSender<Event>);

/// The receiving side, owned by the publisher.
pub type Receiver = mpsc::UnboundedReceiver<Event>;

impl Events {
    /// A new queue.
    #[must_use]
    pub fn channel() -> (Self, Receiver) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Self(tx), rx)
    }

    /// Queues `event` (dropped when the publisher has stopped, at the end of the session).
    pub fn send(&self, event: Event) {
        if self.0.send(event).is_err() {
            tracing::debug!("publisher stopped; event dropped");
        }
    }
}
