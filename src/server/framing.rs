//! The frames of the client's byte stream, read with bounded headers and bodies: each message
//! is decoded once into tower-lsp-server's request or response type, and each malformed one (bad
//! JSON, JSON that is not a JSON-RPC message, a bad header, an endless header or an oversized
//! body) becomes a [`Frame::Malformed`] that the message loop (`transport`) turns into a
//! [`MALFORMED_METHOD`] request, which the `protocol` service wrapper answers with the JSON-RPC
//! error (id `null`), as vscode-jsonrpc does; the session goes on.

use bytes::{Buf, BytesMut};
use serde::Deserialize;
use tower_lsp_server::jsonrpc::{Request, Response};

/// The longest header block (all header lines and the blank line) accepted. Real clients send
/// one or two short headers (`Content-Length`, maybe `Content-Type`), well under 100 bytes; a
/// few KiB leave room for any reasonable extra header while bounding what a client that never
/// ends its headers can make the server buffer.
pub const MAX_HEADER_BYTES: usize = 8 * 1024;

/// The largest message body accepted. The largest document analysed is
/// [`crate::core::pipeline::MAX_TEXT_BYTES`] (8 MiB); JSON escaping can make its `didOpen` up to
/// six times larger (`\u0000` per byte), which this covers. A larger announced body is skipped
/// without being buffered and answered with a parse error.
pub const MAX_CONTENT_LENGTH: usize = 64 * 1024 * 1024;

/// The reserved method of the stand-in request for a malformed message. Its params carry the
/// JSON-RPC error to answer: `{"code": i64, "message": string}`.
pub const MALFORMED_METHOD: &str = "$/rockcraft/malformedMessage";

/// JSON-RPC "Parse error": the body is not JSON (or the frame is unreadable).
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC "Invalid Request": the body is JSON but not a JSON-RPC message.
pub const INVALID_REQUEST: i64 = -32600;

/// The header that must precede each body.
const CONTENT_LENGTH: &str = "content-length";
/// Where a header block ends.
const HEADER_END: &[u8] = b"\r\n\r\n";
/// What a resynchronisation looks for after unreadable bytes.
const RESYNC_MARK: &[u8] = b"Content-Length";
/// Bytes read from the client per read call.
pub const READ_CHUNK: usize = 16 * 1024;
/// The most buffer room kept between messages, read or written: the buffers a large message (a
/// `didOpen` of a big document, a large reply) grew are freed once it is handed on, not kept
/// for the session's life.
pub const KEPT_BUFFER: usize = 64 * 1024;

/// One unit the deframer yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// A request or notification, decoded once from its body.
    Request(Request),
    /// The client's answer to a request of the server's.
    Response(Response),
    /// Something that must be answered with a JSON-RPC error (id `null`).
    Malformed {
        /// [`PARSE_ERROR`] or [`INVALID_REQUEST`].
        code: i64,
        /// What was wrong, for the client's log.
        message: String,
    },
}

impl Frame {
    fn parse_error(message: impl Into<String>) -> Self {
        Self::Malformed {
            code: PARSE_ERROR,
            message: message.into(),
        }
    }
}

/// Where the deframer is in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a header block; `scanned` bytes are known not to hold its end.
    Header { scanned: usize },
    /// Reading a body of this many bytes.
    Body(usize),
    /// Dropping this many more bytes of an oversized body.
    Skip(usize),
    /// After unreadable bytes: dropping input up to the next `Content-Length`.
    Resync,
}

/// Splits a byte stream into LSP frames, validating each; pure, fed by [`Deframer::push`].
#[derive(Debug)]
pub struct Deframer {
    buf: BytesMut,
    state: State,
}

impl Default for Deframer {
    fn default() -> Self {
        Self {
            buf: BytesMut::new(),
            state: State::Header { scanned: 0 },
        }
    }
}

impl Deframer {
    /// Appends bytes read from the client.
    pub fn push(&mut self, bytes: &[u8]) {
        match self.state {
            // Bytes of an oversized body are dropped without being buffered.
            State::Skip(left) => {
                let dropped = left.min(bytes.len());
                self.state = if dropped == left {
                    State::Header { scanned: 0 }
                } else {
                    State::Skip(left - dropped)
                };
                self.buf.extend_from_slice(&bytes[dropped..]);
            }
            _ => self.buf.extend_from_slice(bytes),
        }
    }

    /// The next complete frame, if the bytes pushed so far hold one.
    pub fn next_frame(&mut self) -> Option<Frame> {
        loop {
            match self.state {
                State::Header { scanned } => return self.header(scanned),
                State::Body(len) => {
                    if self.buf.len() < len {
                        return None;
                    }
                    let body = self.buf.split_to(len);
                    if self.buf.capacity() > KEPT_BUFFER && self.buf.len() <= KEPT_BUFFER {
                        // What follows a large message moves out of its allocation, which
                        // then goes with the body.
                        self.buf = BytesMut::from(&self.buf[..]);
                    }
                    self.state = State::Header { scanned: 0 };
                    return Some(check_body(&body));
                }
                State::Skip(left) => {
                    let dropped = left.min(self.buf.len());
                    self.buf.advance(dropped);
                    if dropped < left {
                        self.state = State::Skip(left - dropped);
                        return None;
                    }
                    self.state = State::Header { scanned: 0 };
                }
                State::Resync => {
                    if let Some(at) = find(&self.buf, RESYNC_MARK) {
                        self.buf.advance(at);
                        self.state = State::Header { scanned: 0 };
                    } else {
                        // Keep a tail that may be the start of the mark.
                        let keep = RESYNC_MARK.len() - 1;
                        let drop = self.buf.len().saturating_sub(keep);
                        self.buf.advance(drop);
                        return None;
                    }
                }
            }
        }
    }

    /// Reads a header block: `None` until it is complete.
    fn header(&mut self, scanned: usize) -> Option<Frame> {
        // Resume the search a few bytes back, in case the end straddles two pushes.
        let from = scanned.saturating_sub(HEADER_END.len() - 1);
        let window = self.buf.len().min(MAX_HEADER_BYTES);
        let Some(end) = find(&self.buf[from.min(window)..window], HEADER_END).map(|i| i + from)
        else {
            if self.buf.len() >= MAX_HEADER_BYTES {
                self.state = State::Resync;
                self.buf.advance(1);
                return Some(Frame::parse_error(format!(
                    "message header longer than {MAX_HEADER_BYTES} bytes"
                )));
            }
            self.state = State::Header {
                scanned: self.buf.len(),
            };
            return None;
        };
        let block = self.buf.split_to(end + HEADER_END.len());
        match content_length(&block[..end]) {
            Ok(len) if len > MAX_CONTENT_LENGTH => {
                self.state = State::Skip(len);
                Some(Frame::parse_error(format!(
                    "message of {len} bytes is larger than {MAX_CONTENT_LENGTH} bytes"
                )))
            }
            Ok(len) => {
                self.state = State::Body(len);
                self.next_frame()
            }
            Err(message) => {
                self.state = State::Header { scanned: 0 };
                Some(Frame::parse_error(message))
            }
        }
    }
}

/// The `Content-Length` of a header block (without its blank line).
fn content_length(block: &[u8]) -> Result<usize, String> {
    let text = std::str::from_utf8(block).map_err(|_| "message header is not UTF-8".to_owned())?;
    let mut length = None;
    for line in text.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            return Err("malformed message header line".to_owned());
        };
        if !name.trim().eq_ignore_ascii_case(CONTENT_LENGTH) {
            continue;
        }
        let value = value.trim();
        // Digits only (no sign, no spaces inside); a number too large for `usize` is no real
        // length either, and is not skipped like an oversized body would be.
        let parsed = value
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| value.parse::<usize>().ok())
            .flatten()
            .ok_or_else(|| format!("invalid Content-Length `{}`", shorten(value)))?;
        if length.is_some_and(|l| l != parsed) {
            return Err("conflicting Content-Length headers".to_owned());
        }
        length = Some(parsed);
    }
    length.ok_or_else(|| "message header has no Content-Length".to_owned())
}

/// A header value cut to a length fit for an error message.
fn shorten(value: &str) -> String {
    const SHOWN: usize = 40;
    match value.char_indices().nth(SHOWN) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_owned(),
    }
}

/// A body that is a JSON-RPC 2.0 message becomes its [`Frame::Request`] or [`Frame::Response`],
/// read once (the JSON value is moved into the message, not copied); anything else is answered.
fn check_body(body: &[u8]) -> Frame {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Frame::parse_error(format!("message body is not JSON: {e}")),
    };
    decode(value).unwrap_or_else(|| Frame::Malformed {
        code: INVALID_REQUEST,
        message: "message body is not a JSON-RPC 2.0 request, notification or response".to_owned(),
    })
}

/// A JSON-RPC 2.0 message: a response (`result` or `error`, and an `id`), or a request or
/// notification with a string `method`.
fn decode(value: serde_json::Value) -> Option<Frame> {
    let object = value.as_object()?;
    if object.get("jsonrpc").and_then(serde_json::Value::as_str) != Some("2.0") {
        return None;
    }
    match object.get("method") {
        Some(method) if !method.is_string() => None,
        Some(_) => Request::deserialize(value).ok().map(Frame::Request),
        None => Response::deserialize(value).ok().map(Frame::Response),
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::jsonrpc::Id;

    /// The frame of a well-formed message, decoded on its own.
    fn message(body: &str) -> Frame {
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        if value.get("method").is_some() {
            Frame::Request(serde_json::from_value(value).unwrap())
        } else {
            Frame::Response(serde_json::from_value(value).unwrap())
        }
    }

    fn framed(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn all(input: &[u8]) -> Vec<Frame> {
        let mut d = Deframer::default();
        d.push(input);
        std::iter::from_fn(|| d.next_frame()).collect()
    }

    fn code(f: &Frame) -> Option<i64> {
        match f {
            Frame::Malformed { code, .. } => Some(*code),
            Frame::Request(_) | Frame::Response(_) => None,
        }
    }

    const GOOD: &str = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;

    #[test]
    fn good_messages_pass_unchanged_whatever_the_chunking() {
        let mut input = framed(GOOD);
        input.extend(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n");
        input.extend(framed(r#"{"jsonrpc":"2.0","id":1,"result":null}"#));
        for chunk in 1..input.len() {
            let mut d = Deframer::default();
            let mut got = Vec::new();
            for piece in input.chunks(chunk) {
                d.push(piece);
                got.extend(std::iter::from_fn(|| d.next_frame()));
            }
            assert_eq!(
                got,
                vec![
                    message(GOOD),
                    message(r#"{"jsonrpc":"2.0","id":1,"result":null}"#),
                ],
                "chunk size {chunk}"
            );
        }
    }

    #[test]
    fn bodies_decode_as_requests_notifications_or_responses() {
        let Frame::Request(r) = check_body(GOOD.as_bytes()) else {
            panic!("not a request");
        };
        assert_eq!((r.method(), r.id()), ("shutdown", Some(&Id::Number(1))));
        let body = br#"{"jsonrpc":"2.0","method":"initialized","params":{"a":[1]}}"#;
        let Frame::Request(n) = check_body(body) else {
            panic!("not a notification");
        };
        assert_eq!((n.method(), n.id()), ("initialized", None));
        assert_eq!(n.params(), Some(&serde_json::json!({"a": [1]})));
        let Frame::Response(a) = check_body(br#"{"jsonrpc":"2.0","id":"s1","result":null}"#) else {
            panic!("not a response");
        };
        assert_eq!(a.id(), &Id::String("s1".into()));
    }

    #[test]
    fn bad_json_is_a_parse_error_and_the_next_message_still_comes() {
        let mut input = framed("{not json");
        input.extend(framed(GOOD));
        let got = all(&input);
        assert_eq!(got.len(), 2);
        assert_eq!(code(&got[0]), Some(PARSE_ERROR));
        assert_eq!(got[1], message(GOOD));
    }

    #[test]
    fn json_that_is_not_jsonrpc_is_an_invalid_request() {
        for body in [
            "42",
            "[1,2]",
            r#"{"foo":1}"#,
            r#"{"jsonrpc":"1.0","method":"x"}"#,
            r#"{"jsonrpc":"2.0","method":5}"#,
            r#"{"jsonrpc":"2.0","id":{},"method":"x"}"#,
            r#"{"jsonrpc":"2.0"}"#,
            r#"{"jsonrpc":"2.0","result":1}"#,
        ] {
            let got = all(&framed(body));
            assert_eq!(got.len(), 1, "{body}");
            assert_eq!(code(&got[0]), Some(INVALID_REQUEST), "{body}");
        }
    }

    #[test]
    fn empty_and_non_utf8_bodies_are_parse_errors() {
        assert_eq!(code(&all(&framed(""))[0]), Some(PARSE_ERROR));
        let mut input = b"Content-Length: 3\r\n\r\n".to_vec();
        input.extend([0xff, 0xfe, b'{']);
        assert_eq!(code(&all(&input)[0]), Some(PARSE_ERROR));
    }

    #[test]
    fn deep_json_is_refused_without_recursion() {
        let body = "[".repeat(1_000_000);
        let got = all(&framed(&body));
        assert_eq!(code(&got[0]), Some(PARSE_ERROR));
    }

    #[test]
    fn bad_headers_are_answered_and_reading_goes_on() {
        for header in [
            "Content-Length: -1\r\n\r\n",
            "Content-Length: 1e3\r\n\r\n",
            "Content-Type: x\r\n\r\n",
            "no colon here\r\n\r\n",
            "Content-Length: 2\r\nContent-Length: 3\r\n\r\n",
        ] {
            let mut input = header.as_bytes().to_vec();
            input.extend(framed(GOOD));
            let got = all(&input);
            assert_eq!(code(&got[0]), Some(PARSE_ERROR), "{header:?}");
            assert_eq!(got.last(), Some(&message(GOOD)), "{header:?}");
        }
    }

    #[test]
    fn endless_header_is_bounded_and_resynchronised() {
        let mut d = Deframer::default();
        let garbage = vec![b'x'; 1 << 20];
        for piece in garbage.chunks(READ_CHUNK) {
            d.push(piece);
            while let Some(f) = d.next_frame() {
                assert_eq!(code(&f), Some(PARSE_ERROR));
            }
            assert!(d.buf.len() <= MAX_HEADER_BYTES + READ_CHUNK);
        }
        d.push(&framed(GOOD));
        let got: Vec<_> = std::iter::from_fn(|| d.next_frame()).collect();
        assert_eq!(got, vec![message(GOOD)]);
    }

    #[test]
    fn oversized_body_is_skipped_without_buffering() {
        let mut d = Deframer::default();
        let len = MAX_CONTENT_LENGTH + 1;
        d.push(format!("Content-Length: {len}\r\n\r\n").as_bytes());
        assert_eq!(code(&d.next_frame().unwrap()), Some(PARSE_ERROR));
        let chunk = vec![b' '; 1 << 20];
        let mut left = len;
        while left > 0 {
            let n = left.min(chunk.len());
            d.push(&chunk[..n]);
            left -= n;
            assert_eq!(d.next_frame(), None);
            assert!(d.buf.is_empty());
        }
        d.push(&framed(GOOD));
        assert_eq!(d.next_frame(), Some(message(GOOD)));
    }

    #[test]
    fn huge_content_length_never_overflows() {
        let got = all(b"Content-Length: 99999999999999999999999999999\r\n\r\n");
        assert_eq!(code(&got[0]), Some(PARSE_ERROR));
    }

    /// Random bytes, random header-like lines and good frames, in random chunks: no panic, and
    /// no more buffered than a header's bound outside an announced body.
    #[test]
    fn random_input_never_panics_and_stays_bounded() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        // Small random numbers (xorshift), as `usize`.
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::from(u16::try_from(seed >> 48).unwrap_or(0))
        };
        let pieces: [&[u8]; 6] = [
            b"Content-Length: ",
            b"\r\n\r\n",
            b"Content-Length: 5\r\n\r\n{\"a\":",
            b"99999999999999999999",
            b"\r\n",
            b"{}",
        ];
        for _ in 0..200 {
            let mut input = Vec::new();
            for _ in 0..(next() % 40) {
                match next() % 3 {
                    0 => input.extend(pieces[next() % 6]),
                    1 => input
                        .extend((0..next() % 64).map(|_| u8::try_from(next() % 256).unwrap_or(0))),
                    _ => input.extend(framed(GOOD)),
                }
            }
            let mut d = Deframer::default();
            let mut at = 0;
            while at < input.len() {
                let n = 1 + next() % 300;
                let end = (at + n).min(input.len());
                d.push(&input[at..end]);
                at = end;
                while d.next_frame().is_some() {}
                // Only a body announced by a valid header is buffered beyond a header's bound.
                if matches!(d.state, State::Header { .. } | State::Resync) {
                    assert!(d.buf.len() < MAX_HEADER_BYTES + 300, "{}", d.buf.len());
                }
            }
        }
    }

    #[test]
    fn a_large_message_leaves_no_large_buffer_behind() {
        let text = "x".repeat(4 * KEPT_BUFFER);
        let open = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"text":"{text}"}}}}"#
        );
        let mut input = framed(&open);
        input.extend(framed(GOOD));
        let mut d = Deframer::default();
        d.push(&input);
        assert_eq!(d.next_frame(), Some(message(&open)));
        assert!(d.buf.capacity() <= KEPT_BUFFER, "{}", d.buf.capacity());
        // What followed it is still there.
        assert_eq!(d.next_frame(), Some(message(GOOD)));
        assert_eq!(d.next_frame(), None);
    }
}
