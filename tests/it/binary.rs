//! The built binary, run for the integration tests: with a deadline (a command that blocks
//! fails its test instead of hanging it, and is killed), its standard input an open pipe nobody
//! writes to (as in a terminal or an editor's task runner), and at most [`KEPT`] bytes of each
//! output kept in memory (the rest is counted).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a run may take before the test fails.
pub const DEADLINE: Duration = Duration::from_mins(1);
/// The most of each output kept.
pub const KEPT: usize = 16 << 20;

/// What a run printed and how it ended.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// All the bytes written to stdout.
    pub stdout_len: usize,
}

/// Reads a stream to its end on a thread: the first [`KEPT`] bytes, and the total.
fn drain(mut stream: impl Read + Send + 'static) -> JoinHandle<(Vec<u8>, usize)> {
    std::thread::spawn(move || {
        let (mut kept, mut total, mut buf) = (Vec::new(), 0usize, vec![0u8; 1 << 16]);
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            total += n;
            let room = KEPT.saturating_sub(kept.len()).min(n);
            kept.extend_from_slice(&buf[..room]);
        }
        (kept, total)
    })
}

/// Runs `rockcraft-lsp ARGS` in `dir`; panics (after killing it) past [`DEADLINE`].
pub fn run(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rockcraft-lsp"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the built binary starts");
    let stdin = child.stdin.take();
    let out = drain(child.stdout.take().expect("a stdout pipe"));
    let err = drain(child.stderr.take().expect("a stderr pipe"));
    let (tx, rx) = mpsc::channel();
    let pid = child.id();
    std::thread::spawn(move || {
        let code = child.wait().ok().and_then(|s| s.code());
        let _ = tx.send(code);
    });
    let Ok(code) = rx.recv_timeout(DEADLINE) else {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        panic!(
            "`rockcraft-lsp {}` did not finish within {DEADLINE:?}",
            args.join(" ")
        );
    };
    drop(stdin);
    let (stdout, stdout_len) = out.join().expect("stdout read");
    let (stderr, _) = err.join().expect("stderr read");
    Run {
        code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        stdout_len,
    }
}
