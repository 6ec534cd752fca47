//! The session's message loop: frames read from the client by [`Deframer`] go to the
//! service (requests and notifications) or back to the client socket (answers to the server's
//! own requests); the service's answers and the server's requests are written as
//! `Content-Length` frames. Nothing here keeps a buffer the size of the largest message: the
//! deframer gives a large message's allocation away with it, and each outgoing frame is written
//! from its own buffer, freed once written.
//!
//! The order of things is the one tower-lsp-server's own loop keeps: messages reach the service
//! in the order they arrive, up to [`MAX_CONCURRENT`] handlings run at once (started in that
//! order), `exit` ends the reading at once, and the loop returns when the input is done and
//! every answer is written.

use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;

use futures::channel::mpsc;
use futures::{FutureExt as _, Sink, SinkExt as _, StreamExt as _, stream};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tower::Service;
use tower_lsp_server::ClientSocket;
use tower_lsp_server::jsonrpc::{Id, Request, Response};

use super::framing::{Deframer, Frame, MALFORMED_METHOD, READ_CHUNK};

/// Requests and notifications handled at the same time; more wait in the queue.
pub const MAX_CONCURRENT: usize = 4;
/// Requests read ahead of their handling before reading waits.
const QUEUE: usize = 100;

/// A request's handling, as the queue holds it.
type Handling = Pin<Box<dyn Future<Output = Option<Response>> + Send>>;

/// Serves `service` over `input` and `output` until the client sends `exit` or closes `input`,
/// and every answer is written.
pub async fn serve<I, O, S>(input: I, output: O, socket: ClientSocket, mut service: S)
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
    S: Service<Request, Response = Option<Response>>,
    S::Error: Display,
    S::Future: Send + 'static,
{
    let (to_client, from_client) = socket.split();
    let (to_client, stop_to_client) = stream::abortable(to_client);
    let (queue, handlings) = mpsc::channel::<Handling>(QUEUE);
    let answers = handlings
        .buffer_unordered(MAX_CONCURRENT)
        .filter_map(std::future::ready)
        .map(Outgoing::Response);
    let outgoing = stream::select(answers, to_client.map(Outgoing::Request));
    let read = async move {
        read_loop(input, &mut service, queue, from_client).await;
        // The server's requests still queued are dropped: nobody will answer them.
        stop_to_client.abort();
    };
    futures::join!(read, write_loop(output, outgoing));
}

/// What the server writes.
enum Outgoing {
    Response(Response),
    Request(Request),
}

/// Reads frames and hands each on, until `exit`, the end of the input or a read error.
async fn read_loop<I, S, R>(
    mut input: I,
    service: &mut S,
    mut queue: mpsc::Sender<Handling>,
    mut from_client: R,
) where
    I: AsyncRead + Unpin,
    S: Service<Request, Response = Option<Response>>,
    S::Error: Display,
    S::Future: Send + 'static,
    R: Sink<Response> + Unpin,
    R::Error: Display,
{
    let mut deframer = Deframer::default();
    let mut chunk = vec![0; READ_CHUNK];
    loop {
        while let Some(frame) = deframer.next_frame() {
            let request = match frame {
                Frame::Request(request) => request,
                Frame::Malformed { code, message } => standin(code, &message),
                Frame::Response(response) => {
                    if let Err(e) = from_client.send(response).await {
                        tracing::error!("cannot route the client's answer: {e}");
                        return;
                    }
                    continue;
                }
            };
            if let Err(e) = std::future::poll_fn(|cx| service.poll_ready(cx)).await {
                tracing::error!("the server stopped taking messages: {e}");
                return;
            }
            // The specification asks the server to exit at once; a client need not close its
            // end after `exit`.
            let exit = request.method() == "exit";
            let handling = service.call(request).map(|answer| {
                answer.unwrap_or_else(|e| {
                    tracing::error!("a request failed: {e}");
                    None
                })
            });
            if queue.send(Box::pin(handling)).await.is_err() || exit {
                return;
            }
        }
        match input.read(&mut chunk).await {
            Ok(0) => return,
            Ok(n) => deframer.push(&chunk[..n]),
            Err(e) => {
                tracing::error!("cannot read from the client: {e}");
                return;
            }
        }
    }
}

/// The stand-in request of a malformed message (see [`crate::server::framing`]), which the
/// protocol wrapper answers with its error.
fn standin(code: i64, message: &str) -> Request {
    tracing::warn!("malformed message from the client ({code}): {message}");
    Request::build(MALFORMED_METHOD)
        .id(Id::Null)
        .params(serde_json::json!({"code": code, "message": message}))
        .finish()
}

/// Writes each outgoing message as a frame, flushed at once, until there are no more.
async fn write_loop<O, M>(mut output: O, mut outgoing: M)
where
    O: AsyncWrite + Unpin,
    M: futures::Stream<Item = Outgoing> + Unpin,
{
    while let Some(message) = outgoing.next().await {
        let body = match &message {
            Outgoing::Response(r) => serde_json::to_vec(r),
            Outgoing::Request(r) => serde_json::to_vec(r),
        };
        drop(message);
        let body = match body {
            Ok(body) => body,
            Err(e) => {
                tracing::error!("cannot write a message: {e}");
                continue;
            }
        };
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        let written = async {
            output.write_all(header.as_bytes()).await?;
            output.write_all(&body).await?;
            output.flush().await
        };
        if let Err(e) = written.await {
            tracing::error!("cannot write to the client: {e}");
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::framing::PARSE_ERROR;

    #[test]
    fn a_malformed_message_is_a_standin_request_with_a_null_id() {
        let request = standin(PARSE_ERROR, "x");
        assert_eq!(request.method(), MALFORMED_METHOD);
        assert_eq!(request.id(), Some(&Id::Null));
        let (_, _, params) = request.into_parts();
        assert_eq!(params.unwrap()["code"], PARSE_ERROR);
    }

    #[tokio::test]
    async fn answers_are_written_as_frames() {
        let answer = Response::from_ok(Id::Number(1), serde_json::json!({"a": "é"}));
        let mut out = Vec::new();
        write_loop(&mut out, stream::iter([Outgoing::Response(answer)])).await;
        let body = r#"{"jsonrpc":"2.0","result":{"a":"é"},"id":1}"#;
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("Content-Length: {}\r\n\r\n{body}", body.len())
        );
    }
}
