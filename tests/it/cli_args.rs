//! The command line's arguments, on the built binary: help, usage errors and the hint a person
//! gets when starting the server from a terminal.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use crate::binary::{DEADLINE, run};

#[test]
fn help_and_version_go_to_stdout_with_status_0() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["expand-extensions", "--help"],
        &["list-extensions", "--help"],
        &["init", "-h"],
        &["help", "check"],
    ] {
        let r = run(dir.path(), args);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        assert!(
            r.stdout.starts_with(char::is_uppercase),
            "{args:?}: {}",
            r.stdout
        );
        assert!(r.stdout.contains("Usage: rockcraft-lsp"), "{}", r.stdout);
        assert!(
            !r.stdout.contains('\u{1b}'),
            "no styles into a pipe: {:?}",
            r.stdout
        );
        assert!(r.stderr.is_empty(), "{}", r.stderr);
    }
    let r = run(dir.path(), &["--version"]);
    assert_eq!(r.code, Some(0));
    assert_eq!(
        r.stdout,
        format!("rockcraft-lsp {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_usage_error_is_one_line_and_a_pointer_to_help() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["check", "--frobnicate"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.is_empty());
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(lines[0].starts_with("error: unexpected argument '--frobnicate'"));
    assert_eq!(
        lines[1],
        "For more information, try 'rockcraft-lsp check --help'."
    );
    let r = run(dir.path(), &["expand-extensions", "--project-dir"]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.stderr.lines().count(), 2, "{}", r.stderr);
}

/// Started without arguments from a terminal, the server says what it is on stderr; started
/// by an editor (stdin a pipe) it says nothing.
#[test]
fn a_bare_start_from_a_terminal_prints_a_hint() {
    let exe = env!("CARGO_BIN_EXE_rockcraft-lsp");
    // Not a terminal (an editor gives a pipe; here /dev/null, whose end ends the server):
    // nothing on stderr.
    let quiet = Command::new(exe)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let quiet = String::from_utf8_lossy(&quiet.stderr);
    assert!(!quiet.contains("language server"), "{quiet}");

    // On a terminal: `script` gives the program one (util-linux; skipped without it).
    if Command::new("script").arg("--version").output().is_err() {
        return;
    }
    let mut child = Command::new("script")
        .args(["-qec", exe, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 256];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            let _ = tx.send(String::from_utf8_lossy(&seen).into_owned());
        }
    });
    let mut shown = String::new();
    while !shown.contains('\n') {
        if let Ok(s) = rx.recv_timeout(DEADLINE) {
            shown = s;
        } else {
            let _ = child.kill();
            panic!("no hint within {DEADLINE:?}: {shown:?}");
        }
    }
    // Ctrl-D: the terminal's end of input ends the server.
    let _ = stdin.write_all(b"\x04");
    let _ = stdin.flush();
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait());
    });
    assert!(
        done_rx.recv_timeout(DEADLINE).is_ok(),
        "the server did not end at Ctrl-D"
    );
    assert!(
        shown.starts_with(rockcraft_lsp::cli::SERVE_HINT),
        "{shown:?}"
    );
    assert_eq!(shown.trim_end().lines().count(), 1, "{shown:?}");
}

/// `check` styles its text for a terminal only: `CLICOLOR_FORCE` stands for one here, and
/// `NO_COLOR` wins over it; a pipe gets plain text. `--color` overrides them all.
#[test]
fn colour_follows_the_conventions_and_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rockcraft.yaml"), "name: x\n").unwrap();
    let check_with = |flags: &[&str], env: &[(&str, &str)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rockcraft-lsp"));
        cmd.args(["check", "."])
            .args(flags)
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let check = |env: &[(&str, &str)]| check_with(&[], env);
    assert!(!check(&[]).contains('\u{1b}'));
    assert!(check(&[("CLICOLOR_FORCE", "1")]).contains("\u{1b}["));
    assert!(!check(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\u{1b}'));
    assert!(check_with(&["--color=always"], &[("NO_COLOR", "1")]).contains("\u{1b}["));
    assert!(!check_with(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    assert!(!check_with(&["--color=auto"], &[]).contains('\u{1b}'));
}
