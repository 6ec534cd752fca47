//! `check` on files made to flood or hijack the terminal, run as the built binary with a
//! timeout: the output stays small and never carries the file's control characters raw.

use std::path::Path;

use crate::binary::{Run, run};

/// Runs `rockcraft-lsp ARGS` in the current directory.
fn run_here(args: &[&str]) -> Run {
    run(Path::new("."), args)
}

fn project(parts: &str) -> String {
    format!(
        "name: hello\nbase: ubuntu@24.04\nversion: '1.0'\nsummary: s\ndescription: d\n\
         platforms:\n  amd64:\nparts: {parts}\n"
    )
}

#[test]
fn a_repeated_key_on_one_long_line_prints_a_bounded_report() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = vec!["a: 1"; 5_000].join(", ");
    std::fs::write(
        dir.path().join("rockcraft.yaml"),
        project(&format!("{{{pairs}}}")),
    )
    .unwrap();
    let r = run_here(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, Some(1));
    // Every finding is listed (4,999 duplicates, 5,000 wrong types), each with a short excerpt:
    // a few MB at most (the whole 30 KB line under each made 450 MB).
    assert_eq!(r.stdout.matches("error[duplicate-key]").count(), 4_999);
    assert_eq!(r.stdout.matches("error[invalid-type]").count(), 5_000);
    assert!(r.stdout_len < 4 << 20, "{} bytes", r.stdout_len);
    // About 100 columns of source, with the gutter and the `...` marking the cuts.
    for line in r.stdout.lines().filter(|l| l.starts_with("8 | ")) {
        assert!(line.chars().count() <= 120, "{line}");
    }
}

#[test]
fn escape_sequences_in_the_file_are_printed_escaped() {
    // Raw in the text (a syntax error, with the line echoed), and written as YAML escapes in a
    // key (decoded into the message's quote of the key).
    for (text, raw, wanted) in [
        (
            project("\n  p:\n    plugin: nil # \u{1b}[31m\u{9b}1m\u{202e}\n"),
            "yaml-syntax",
            // As rustc shows them: C0 controls as their control pictures, C1 and bidi ones as
            // the replacement character.
            "␛[31m�1m�",
        ),
        (
            project("\n  p:\n    plugin: nil\n    \"\\e]0;pwned\\a\\e[2J\": x\n"),
            "unknown-key",
            "\\u{1b}]0;pwned\\u{7}\\u{1b}[2J",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rockcraft.yaml"), text).unwrap();
        let r = run_here(&["check", dir.path().to_str().unwrap()]);
        assert_eq!(r.code, Some(1), "{}", r.stdout);
        assert!(r.stdout.contains(raw), "{}", r.stdout);
        assert!(
            !r.stdout.chars().any(|c| c.is_control() && c != '\n'),
            "{:?}",
            r.stdout
        );
        assert!(r.stdout.contains(wanted), "{}", r.stdout);
    }
}
