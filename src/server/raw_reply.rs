//! Large replies written straight to JSON text. tower-lsp-server turns every result into a
//! `serde_json::Value` tree before writing it; for a reply of thousands of ranges (the folds,
//! outline or inlay hints of a huge file, the edits that format it) building and freeing that
//! tree costs several times what computing the reply does. A handler hands such a result to [`offer`], which serialises
//! it once, directly, and answers `null` in its place; the protocol wrapper, which runs the
//! handler inside [`scope`], files the text under the request's id in [`Replies`], and the
//! output filter [`Spliced`] writes it where the library writes that `null`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};

use serde::Serialize;
use serde_json::Value;
use tokio::io::AsyncWrite;
use tower_lsp_server::jsonrpc::Id;

use super::framing::KEPT_BUFFER;

tokio::task_local! {
    /// The JSON text of the reply of the request whose handler runs in this scope.
    static SLOT: RefCell<Option<Vec<u8>>>;
}

/// Takes `reply` to be written as JSON text directly: `None` when it was taken (the handler
/// answers `null`, which the text replaces), `reply` itself outside a [`scope`] or when it
/// cannot be serialised.
pub fn offer<T: Serialize>(reply: Option<T>) -> Option<T> {
    let value = reply?;
    let taken = SLOT
        .try_with(|slot| match serde_json::to_vec(&value) {
            Ok(text) => {
                *slot.borrow_mut() = Some(text);
                true
            }
            Err(_) => false,
        })
        .unwrap_or(false);
    (!taken).then_some(value)
}

/// Runs `fut` (a request's handling) where [`offer`] can take its reply; returns its output
/// and the text of the reply offered, if any.
pub async fn scope<F: Future>(fut: F) -> (F::Output, Option<Vec<u8>>) {
    SLOT.scope(RefCell::new(None), async {
        let out = fut.await;
        let text = SLOT.with(|slot| slot.borrow_mut().take());
        (out, text)
    })
    .await
}

/// The reply texts waiting to be written, by the JSON text of their request's id.
#[derive(Clone, Debug, Default)]
pub struct Replies(Arc<Mutex<HashMap<String, Vec<u8>>>>);

impl Replies {
    /// Files `text` as the result of the reply to `id`.
    pub fn file(&self, id: &Id, text: Vec<u8>) {
        if let Ok(key) = serde_json::to_string(id) {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(key, text);
        }
    }

    fn take(&self, key: &str) -> Option<Vec<u8>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key)
    }
}

/// Where a header block ends.
const HEADER_END: &[u8] = b"\r\n\r\n";
/// A header block longer than this is not the library's: it is passed on as it is.
const MAX_HEADER: usize = 1024;
/// The longest body that can be a `null` reply to splice (`{"jsonrpc":"2.0","result":null,`
/// and an id).
const MAX_NULL_REPLY: usize = 256;

/// An output filter: passes the frames written to it on unchanged, except a `null` reply to
/// a request whose result text is filed in its [`Replies`], written with that text instead.
pub struct Spliced<W> {
    inner: W,
    replies: Replies,
    /// Bytes written to the filter that do not make a whole frame yet.
    inbox: Vec<u8>,
    /// Bytes for the inner writer, and how many of them it took.
    out: Vec<u8>,
    written: usize,
}

impl<W> Spliced<W> {
    pub fn new(inner: W, replies: Replies) -> Self {
        Self {
            inner,
            replies,
            inbox: Vec::new(),
            out: Vec::new(),
            written: 0,
        }
    }

    /// Moves every whole frame of the inbox to the output, spliced where filed.
    fn frames_to_out(&mut self) {
        loop {
            let Some(head_end) = find(&self.inbox, HEADER_END) else {
                if self.inbox.len() > MAX_HEADER {
                    self.out.append(&mut self.inbox);
                }
                return;
            };
            let Some(len) = content_length(&self.inbox[..head_end]) else {
                // Not a frame the library writes: pass it on as it is.
                self.out.append(&mut self.inbox);
                return;
            };
            let body_start = head_end + HEADER_END.len();
            let Some(end) = body_start.checked_add(len) else {
                self.out.append(&mut self.inbox);
                return;
            };
            if self.inbox.len() < end {
                return;
            }
            match self.filed(&self.inbox[body_start..end]) {
                Some((id, text)) => {
                    // The reply, written straight into the output.
                    let prefix: &[u8] = br#"{"jsonrpc":"2.0","result":"#;
                    let suffix = format!(r#","id":{id}}}"#);
                    let len = prefix.len() + text.len() + suffix.len();
                    self.out
                        .extend_from_slice(format!("Content-Length: {len}\r\n\r\n").as_bytes());
                    self.out.extend_from_slice(prefix);
                    self.out.extend_from_slice(&text);
                    self.out.extend_from_slice(suffix.as_bytes());
                }
                None => self.out.extend_from_slice(&self.inbox[..end]),
            }
            self.inbox.drain(..end);
            if self.inbox.capacity() > KEPT_BUFFER && self.inbox.len() <= KEPT_BUFFER {
                self.inbox.shrink_to(KEPT_BUFFER);
            }
        }
    }

    /// The id (as JSON text) and the filed result of `body`, when it is a `null` reply whose
    /// result was filed.
    fn filed(&self, body: &[u8]) -> Option<(String, Vec<u8>)> {
        if body.len() > MAX_NULL_REPLY || find(body, br#""result":null"#).is_none() {
            return None;
        }
        let reply: Value = serde_json::from_slice(body).ok()?;
        if reply.get("result") != Some(&Value::Null) {
            return None;
        }
        let id = serde_json::to_string(reply.get("id")?).ok()?;
        let text = self.replies.take(&id)?;
        Some((id, text))
    }
}

impl<W: AsyncWrite + Unpin> Spliced<W> {
    /// Writes the pending output to the inner writer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.out.len() {
            match ready!(Pin::new(&mut self.inner).poll_write(cx, &self.out[self.written..])) {
                Ok(0) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Ok(n) => self.written += n,
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
        self.written = 0;
        if self.out.capacity() > KEPT_BUFFER {
            // The room a large reply took is given back, not kept for the session's life.
            self.out = Vec::new();
        } else {
            self.out.clear();
        }
        Poll::Ready(Ok(()))
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for Spliced<W> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        this.inbox.extend_from_slice(buf);
        this.frames_to_out();
        // Start writing now; what the inner writer does not take yet goes out on the next
        // write or flush.
        if let Poll::Ready(Err(e)) = this.drain(cx) {
            return Poll::Ready(Err(e));
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        // Bytes that never made a whole frame are passed on before closing.
        this.out.append(&mut this.inbox);
        ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

fn content_length(header: &[u8]) -> Option<usize> {
    let header = std::str::from_utf8(header).ok()?;
    header.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse().ok())?
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[tokio::test]
    async fn an_offered_reply_is_taken_only_inside_a_scope() {
        assert_eq!(offer(Some(vec![1, 2])), Some(vec![1, 2]));
        let (out, text) = scope(async { offer(Some(vec![1, 2])) }).await;
        assert_eq!(out, None);
        assert_eq!(text.as_deref(), Some(&b"[1,2]"[..]));
        let (out, text) = scope(async { offer::<Vec<u8>>(None) }).await;
        assert_eq!((out, text), (None, None));
    }

    #[tokio::test]
    async fn filed_null_replies_are_spliced_whatever_the_chunking() {
        let mut input = frame(r#"{"jsonrpc":"2.0","method":"x","params":{"result":null}}"#);
        input.extend(frame(r#"{"jsonrpc":"2.0","result":null,"id":7}"#));
        input.extend(frame(r#"{"jsonrpc":"2.0","result":null,"id":"s"}"#));
        input.extend(frame(r#"{"jsonrpc":"2.0","result":null,"id":8}"#));
        let mut expected = frame(r#"{"jsonrpc":"2.0","method":"x","params":{"result":null}}"#);
        expected.extend(frame(r#"{"jsonrpc":"2.0","result":[1,"é"],"id":7}"#));
        expected.extend(frame(r#"{"jsonrpc":"2.0","result":{"a":2},"id":"s"}"#));
        // Not filed: written as it came.
        expected.extend(frame(r#"{"jsonrpc":"2.0","result":null,"id":8}"#));
        for chunk in [1, 3, 17, input.len()] {
            let replies = Replies::default();
            replies.file(&Id::Number(7), "[1,\"é\"]".as_bytes().to_vec());
            replies.file(&Id::String("s".into()), br#"{"a":2}"#.to_vec());
            let mut w = Spliced::new(Vec::new(), replies.clone());
            for part in input.chunks(chunk) {
                w.write_all(part).await.unwrap();
            }
            w.flush().await.unwrap();
            assert_eq!(
                String::from_utf8_lossy(&w.inner),
                String::from_utf8_lossy(&expected)
            );
            assert!(replies.take("7").is_none(), "a filed text is written once");
        }
    }

    #[tokio::test]
    async fn a_large_reply_leaves_no_large_buffer_behind() {
        let replies = Replies::default();
        replies.file(
            &Id::Number(1),
            format!("\"{}\"", "x".repeat(4 * KEPT_BUFFER)).into_bytes(),
        );
        let mut w = Spliced::new(Vec::new(), replies);
        let big = frame(&format!(
            r#"{{"jsonrpc":"2.0","method":"m","params":"{}"}}"#,
            "y".repeat(4 * KEPT_BUFFER)
        ));
        w.write_all(&big).await.unwrap();
        w.write_all(&frame(r#"{"jsonrpc":"2.0","result":null,"id":1}"#))
            .await
            .unwrap();
        w.flush().await.unwrap();
        assert!(w.inbox.capacity() <= KEPT_BUFFER, "{}", w.inbox.capacity());
        assert!(w.out.capacity() <= KEPT_BUFFER, "{}", w.out.capacity());
        assert_eq!(
            w.inner.len(),
            big.len()
                + frame(&format!(
                    r#"{{"jsonrpc":"2.0","result":"{}","id":1}}"#,
                    "x".repeat(4 * KEPT_BUFFER)
                ))
                .len()
        );
    }

    #[tokio::test]
    async fn bytes_that_are_not_frames_pass_through() {
        let replies = Replies::default();
        let mut w = Spliced::new(Vec::new(), replies);
        let junk = b"not a header\r\n\r\nrest".to_vec();
        w.write_all(&junk).await.unwrap();
        w.write_all(b"tail").await.unwrap();
        w.shutdown().await.unwrap();
        assert_eq!(w.inner, b"not a header\r\n\r\nresttail");
    }
}
