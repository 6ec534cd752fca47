//! A minimal LSP test client speaking real JSON-RPC to `rockcraft_lsp::server::serve` over
//! in-memory pipes, plus encoding-aware text helpers written independently of the server.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use rockcraft_lsp::server::{Options, ServeExit, serve_with};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, WriteHalf};
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinHandle;
use tokio::time::timeout;

/// How long to wait for something that must happen: a guard against a hang, not a timing
/// requirement (tests go on as soon as the awaited message arrives). Generous, because an
/// unoptimized build analyses the 200,000-line hostile inputs in several seconds on a busy
/// 2-core machine.
pub const WAIT: Duration = Duration::from_mins(1);
/// How long to wait before concluding that something did not happen.
pub const QUIET: Duration = Duration::from_millis(300);

pub const PUBLISH: &str = "textDocument/publishDiagnostics";

/// The column unit a test client negotiates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
}

impl Enc {
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf16 => "utf-16",
        }
    }

    fn width(self, ch: char) -> u32 {
        let w = match self {
            Self::Utf8 => ch.len_utf8(),
            Self::Utf16 => ch.len_utf16(),
        };
        u32::try_from(w).unwrap()
    }
}

type Writer = Arc<Mutex<WriteHalf<DuplexStream>>>;
/// What the client answers to server-to-client requests, by method (`null` when absent).
type Answers = Arc<std::sync::Mutex<HashMap<String, Value>>>;

pub struct TestClient {
    writer: Writer,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Messages received but not consumed yet (notifications, mostly).
    backlog: VecDeque<Value>,
    next_id: i64,
    answers: Answers,
    server: JoinHandle<ServeExit>,
    reader: JoinHandle<()>,
}

async fn write_frame(writer: &Writer, msg: &Value) {
    let body = serde_json::to_vec(msg).unwrap();
    let mut w = writer.lock().await;
    w.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .await
        .unwrap();
    w.write_all(&body).await.unwrap();
    w.flush().await.unwrap();
}

/// Reads one framed message; `None` at end of stream.
async fn read_frame<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("malformed header");
        if name.eq_ignore_ascii_case("content-length") {
            len = Some(value.trim().parse::<usize>().expect("bad Content-Length"));
        }
    }
    let mut body = vec![0; len.expect("no Content-Length header")];
    r.read_exact(&mut body).await.ok()?;
    Some(serde_json::from_slice(&body).expect("server sent invalid JSON"))
}

impl TestClient {
    /// Starts a server on in-memory pipes (not initialized yet).
    pub fn start() -> Self {
        Self::start_with(Options::default())
    }

    /// Starts a server built with `options` on in-memory pipes (not initialized yet).
    pub fn start_with(options: Options) -> Self {
        let (client_end, server_end) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_end);
        let server = tokio::spawn(serve_with(server_read, server_write, options));
        let (client_read, client_write) = tokio::io::split(client_end);
        let writer: Writer = Arc::new(Mutex::new(client_write));
        let (tx, incoming) = mpsc::unbounded_channel();
        let reply = Arc::clone(&writer);
        let answers: Answers = Arc::default();
        let answer_of = Arc::clone(&answers);
        let reader = tokio::spawn(async move {
            let mut r = BufReader::new(client_read);
            while let Some(msg) = read_frame(&mut r).await {
                // Answer server-to-client requests so the server never waits on us.
                if msg.get("method").is_some()
                    && let Some(id) = msg.get("id")
                {
                    let result = msg["method"]
                        .as_str()
                        .and_then(|m| answer_of.lock().unwrap().get(m).cloned())
                        .unwrap_or(Value::Null);
                    let res = json!({"jsonrpc": "2.0", "id": id, "result": result});
                    write_frame(&reply, &res).await;
                }
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Self {
            writer,
            incoming,
            backlog: VecDeque::new(),
            next_id: 1,
            answers,
            server,
            reader,
        }
    }

    /// Starts a server and initializes it offering `encodings` (none: the field is absent).
    /// Returns the client and the `initialize` result.
    pub async fn initialized(encodings: Option<&[&str]>, extra_caps: Value) -> (Self, Value) {
        Self::initialized_with(encodings, extra_caps, Options::default()).await
    }

    /// [`TestClient::initialized`] with a server built with `options`.
    pub async fn initialized_with(
        encodings: Option<&[&str]>,
        extra_caps: Value,
        options: Options,
    ) -> (Self, Value) {
        let mut c = Self::start_with(options);
        let mut caps = extra_caps;
        if let Some(encs) = encodings {
            caps["general"] = json!({ "positionEncodings": encs });
        }
        let result = c
            .request(
                "initialize",
                json!({ "processId": null, "rootUri": null, "capabilities": caps }),
            )
            .await;
        c.notify("initialized", json!({})).await;
        (c, result)
    }

    /// A server initialized with the given encoding.
    pub async fn with_encoding(enc: Enc) -> Self {
        Self::initialized(Some(&[enc.name()]), json!({})).await.0
    }

    /// A server built with `options`, initialized with the given encoding.
    pub async fn with_options(enc: Enc, options: Options) -> Self {
        Self::initialized_with(Some(&[enc.name()]), json!({}), options)
            .await
            .0
    }

    /// Answers later server-to-client requests `method` with `result` (instead of `null`).
    pub fn answer(&self, method: &str, result: Value) {
        self.answers
            .lock()
            .unwrap()
            .insert(method.to_owned(), result);
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        let msg = json!({"jsonrpc": "2.0", "method": method, "params": params});
        write_frame(&self.writer, &msg).await;
    }

    /// Writes raw bytes to the server's input (for framing and malformed-message tests).
    pub async fn write_raw(&mut self, bytes: &[u8]) {
        let mut w = self.writer.lock().await;
        w.write_all(bytes).await.unwrap();
        w.flush().await.unwrap();
    }

    /// The next response whose `id` is `null` (the answer to a malformed message), if one comes
    /// within `wait`.
    pub async fn null_id_response(&mut self, wait: Duration) -> Option<Value> {
        self.take(|m| m.get("method").is_none() && m["id"].is_null(), wait)
            .await
    }

    /// Sends a request and returns the whole response message.
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        write_frame(&self.writer, &msg).await;
        self.take(|m| m.get("method").is_none() && m["id"] == json!(id), WAIT)
            .await
            .unwrap_or_else(|| panic!("no response to `{method}` within {WAIT:?}"))
    }

    /// Sends a request without waiting for its response (see [`TestClient::response`]);
    /// returns its id.
    pub async fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        write_frame(&self.writer, &msg).await;
        id
    }

    /// The response to request `id`, if it comes within `wait`.
    pub async fn response(&mut self, id: i64, wait: Duration) -> Option<Value> {
        self.take(|m| m.get("method").is_none() && m["id"] == json!(id), wait)
            .await
    }

    /// Sends a request and returns its `result`, failing the test on an error response.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let res = self.request_raw(method, params).await;
        assert!(res.get("error").is_none(), "`{method}` failed: {res}");
        res["result"].clone()
    }

    /// The first message (backlog first) satisfying `pred`, waiting up to `wait`.
    async fn take(&mut self, pred: impl Fn(&Value) -> bool, wait: Duration) -> Option<Value> {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.incoming.recv())
                .await
                .ok()??;
            if pred(&msg) {
                return Some(msg);
            }
            self.backlog.push_back(msg);
        }
    }

    /// The params of the next notification `method` whose params satisfy `pred`.
    pub async fn notification(
        &mut self,
        method: &str,
        pred: impl Fn(&Value) -> bool,
        wait: Duration,
    ) -> Option<Value> {
        self.take(
            |m| m["method"] == method && m.get("id").is_none() && pred(&m["params"]),
            wait,
        )
        .await
        .map(|m| m["params"].clone())
    }

    /// The diagnostics published for `uri` at `version` (`None`: published without a version).
    pub async fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let want = version.map_or(Value::Null, |v| json!(v));
        let params = self
            .notification(
                PUBLISH,
                |p| p["uri"] == uri && p.get("version").cloned().unwrap_or(Value::Null) == want,
                WAIT,
            )
            .await
            .unwrap_or_else(|| {
                panic!(
                    "no diagnostics for {uri} version {version:?}; backlog: {:?}",
                    self.backlog
                )
            });
        params["diagnostics"].as_array().unwrap().clone()
    }

    /// Asserts that nothing is published for `uri` (already received, or within [`QUIET`]).
    pub async fn assert_no_diagnostics_for(&mut self, uri: &str) {
        let got = self.notification(PUBLISH, |p| p["uri"] == uri, QUIET).await;
        assert!(got.is_none(), "unexpected diagnostics for {uri}: {got:?}");
    }

    pub async fn open(&mut self, uri: &str, version: i64, text: &str) {
        let params = json!({"textDocument": {
            "uri": uri, "languageId": "yaml", "version": version, "text": text
        }});
        self.notify("textDocument/didOpen", params).await;
    }

    /// `didChange` with the given content changes (`[{"range"?, "text"}]`).
    pub async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        let params = json!({
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": changes,
        });
        self.notify("textDocument/didChange", params).await;
    }

    pub async fn change_full(&mut self, uri: &str, version: i64, text: &str) {
        self.change(uri, version, json!([{ "text": text }])).await;
    }

    pub async fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    }

    /// The next server-to-client request `method` (already answered with `null` by the reader).
    pub async fn server_request(&mut self, method: &str, wait: Duration) -> Option<Value> {
        self.take(|m| m["method"] == method && m.get("id").is_some(), wait)
            .await
    }

    /// `shutdown` then `exit`; returns how the server task ended.
    pub async fn shutdown_and_exit(mut self) -> ServeExit {
        let res = self.request_raw("shutdown", Value::Null).await;
        assert_eq!(res["result"], Value::Null, "shutdown answered {res}");
        assert!(res.get("error").is_none(), "shutdown failed: {res}");
        self.exit().await
    }

    /// Sends `exit` and waits for the server task to end.
    pub async fn exit(mut self) -> ServeExit {
        self.notify("exit", Value::Null).await;
        let exit = timeout(WAIT, &mut self.server)
            .await
            .expect("server did not stop after exit")
            .expect("server task panicked");
        self.reader.abort();
        exit
    }
}

/// The zero-based (line, column) of byte `offset` in `enc` units.
pub fn position(text: &str, offset: usize, enc: Enc) -> (u32, u32) {
    let before = &text[..offset];
    let line = u32::try_from(before.matches('\n').count()).unwrap();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().map(|c| enc.width(c)).sum();
    (line, col)
}

/// The byte offset of a (line, column) position in `enc` units.
pub fn offset(text: &str, line: u32, col: u32, enc: Enc) -> usize {
    let mut start = 0;
    for _ in 0..line {
        start += text[start..].find('\n').expect("line out of range") + 1;
    }
    let mut units = 0;
    for (i, ch) in text[start..].char_indices() {
        if units == col {
            return start + i;
        }
        assert!(
            units < col && ch != '\n',
            "column {col} is not on a character boundary"
        );
        units += enc.width(ch);
    }
    assert_eq!(units, col, "column past the end");
    text.len()
}

/// An LSP range (JSON) covering the `nth` (0-based) occurrence of `needle`.
pub fn range_of(text: &str, needle: &str, nth: usize, enc: Enc) -> Value {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not in text"))
        .0;
    range_json(text, start, start + needle.len(), enc)
}

pub fn range_json(text: &str, start: usize, end: usize, enc: Enc) -> Value {
    let (l0, c0) = position(text, start, enc);
    let (l1, c1) = position(text, end, enc);
    json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
}

/// Applies LSP `TextEdit`s (non-overlapping, any order) to `text`.
pub fn apply_edits(text: &str, edits: &[Value], enc: Enc) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let at = |p: &Value| {
                let n = |k: &str| u32::try_from(p[k].as_u64().unwrap()).unwrap();
                offset(text, n("line"), n("character"), enc)
            };
            (
                at(&r["start"]),
                at(&r["end"]),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (s, e, t) in spans {
        out.replace_range(s..e, &t);
    }
    out
}
