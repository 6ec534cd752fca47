//! JSON-RPC rules tower-lsp-server does not keep, applied around its service: a request whose
//! method starts with `$/` gets a `MethodNotFound` error (the library answers nothing, the
//! specification asks for the error; `$/` notifications stay ignored), and the stand-in requests
//! [`crate::server::framing`] makes of malformed messages are answered with their error, id
//! `null`. It also reads the client capabilities of `initialize` that the protocol types drop
//! ([`ClientExtras`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use serde::Deserialize;
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

use super::framing::MALFORMED_METHOD;
use super::raw_reply::{self, Replies};

/// The boxed future of [`Protocol`]'s calls.
type Answer<E> = Pin<Box<dyn Future<Output = Result<Option<Response>, E>> + Send>>;

/// A service answering what the wrapped tower-lsp-server service leaves unanswered, noting in
/// its [`ClientExtras`] what `initialize` offers beyond the protocol types, and filing in its
/// [`Replies`] the results handlers wrote as JSON text ([`raw_reply`]).
#[derive(Debug)]
pub struct Protocol<S>(pub S, pub Arc<ClientExtras>, pub Replies);

/// Client capabilities newer than the protocol types (ls-types 0.0.6 follows LSP 3.17 and
/// drops unknown fields), read from the raw `initialize` request before the service sees it.
#[derive(Debug, Default)]
pub struct ClientExtras {
    /// LSP 3.18 `workspace.workspaceEdit.snippetEditSupport`: the client takes
    /// `SnippetTextEdit`s in the workspace edits of `workspace/applyEdit`.
    snippet_edits: AtomicBool,
}

impl ClientExtras {
    /// Whether the client said it takes snippet edits.
    pub fn snippet_edits(&self) -> bool {
        self.snippet_edits.load(Ordering::SeqCst)
    }

    fn read_initialize(&self, params: Option<&serde_json::Value>) {
        let offered = params
            .and_then(|p| p.pointer("/capabilities/workspace/workspaceEdit/snippetEditSupport"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        self.snippet_edits.store(offered, Ordering::SeqCst);
    }
}

/// The params of a [`MALFORMED_METHOD`] stand-in.
#[derive(Deserialize)]
struct Malformed {
    code: i64,
    message: String,
}

impl<S> Service<Request> for Protocol<S>
where
    S: Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Answer<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.method() == MALFORMED_METHOD && req.id() == Some(&Id::Null) {
            let (_, _, params) = req.into_parts();
            let error = params
                .and_then(|p| Malformed::deserialize(p).ok())
                .map_or_else(Error::parse_error, |m| Error {
                    code: ErrorCode::from(m.code),
                    message: m.message.into(),
                    data: None,
                });
            return Box::pin(std::future::ready(Ok(Some(Response::from_error(
                Id::Null,
                error,
            )))));
        }
        if req.method() == "initialize" {
            self.1.read_initialize(req.params());
        }
        let dollar_request = req.id().filter(|_| req.method().starts_with("$/")).cloned();
        let fut = raw_reply::scope(self.0.call(req));
        let replies = self.2.clone();
        Box::pin(async move {
            let (response, text) = fut.await;
            let response = response?;
            if let (Some(text), Some(r)) = (text, response.as_ref())
                && r.result() == Some(&serde_json::Value::Null)
            {
                replies.file(r.id(), text);
            }
            Ok(match (response, dollar_request) {
                (None, Some(id)) => Some(Response::from_error(id, Error::method_not_found())),
                (response, _) => response,
            })
        })
    }
}
