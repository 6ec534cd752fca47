//! The built server over its real standard streams, for what only a separate process shows: a
//! project or a setting naming `/dev/stdin` must not make the server read its own protocol
//! stream. Every wait has a deadline, so a server that stops answering fails the test.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const DEADLINE: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: mpsc::Receiver<Value>,
}

impl Server {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rockcraft-lsp"))
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length:") {
                        len = v.trim().parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.unwrap_or(0)];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(msg) = serde_json::from_slice(&body) else {
                    return;
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            stdin,
            incoming,
        }
    }

    fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a request and waits for its answer (answering the server's own requests).
    fn request(&mut self, id: i64, method: &str, params: &Value) -> Value {
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let until = Instant::now() + DEADLINE;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            let msg = self.incoming.recv_timeout(left).unwrap_or_else(|_| {
                panic!("no answer to `{method}`: the server stopped answering")
            });
            if msg.get("method").is_some() {
                if let Some(server_id) = msg.get("id") {
                    let answer = json!({"jsonrpc": "2.0", "id": server_id, "result": null});
                    self.send(&answer);
                }
                continue;
            }
            if msg["id"] == id {
                return msg;
            }
        }
    }

    fn notify(&mut self, method: &str, params: &Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
#[test]
fn a_project_or_setting_naming_stdin_does_not_read_the_protocol_stream() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let template = include_str!("../golden/flask-init-template/input/rockcraft.yaml");
    std::fs::write(d.join("rockcraft.yaml"), template).unwrap();
    std::os::unix::fs::symlink("/dev/stdin", d.join("requirements.txt")).unwrap();
    std::os::unix::fs::symlink("/proc/self/fd/0", d.join("app.py")).unwrap();
    let uri = format!("file://{}", d.join("rockcraft.yaml").display());

    let mut s = Server::start();
    let options =
        json!({"packages": {"indexFiles": ["/dev/stdin", "/proc/self/fd/0"], "aptListsDir": ""}});
    let init = s.request(
        1,
        "initialize",
        &json!({"processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": options}),
    );
    assert!(init.get("result").is_some(), "{init}");
    s.notify("initialized", &json!({}));
    s.notify(
        "textDocument/didOpen",
        &json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": template}}),
    );
    // The expansion reads the project (the links are refused): its findings arrive.
    let until = Instant::now() + DEADLINE;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        let msg = s
            .incoming
            .recv_timeout(left)
            .expect("no diagnostics from the expansion");
        let text = msg.to_string();
        if msg["method"] == "textDocument/publishDiagnostics"
            && text.contains("`requirements.txt` cannot be read (it is ")
        {
            break;
        }
    }
    // Every request after that is still answered, the stream intact.
    for id in 2..5 {
        let res = s.request(id, "rockcraft/expandedProject", &json!({ "uri": uri }));
        assert!(res["result"]["error"].as_str().is_some(), "{res}");
    }
    let res = s.request(9, "shutdown", &Value::Null);
    assert_eq!(res["result"], Value::Null, "{res}");
    s.notify("exit", &Value::Null);
}
