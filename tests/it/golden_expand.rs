//! Runs `expand-extensions` on every golden case of the real rockcraft CLI and compares stdout
//! (success) or exit code and stdout (failure); cases we cannot match yet are listed with a
//! reason in `golden_expand_known_failures.txt`, and the list must stay exact.

use std::fmt::Write as _;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rockcraft_lsp::cli::expand::run_expand;
use rockcraft_lsp::core::extensions::DEFAULT_EXTENSIONS_DIR;

const ENV_EXPERIMENTAL: &str = "ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS";

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The experimental flag of a command line such as `VAR=1 rockcraft expand-extensions`, or
/// `None` when the command is not `expand-extensions`.
fn parse_command(command: &str) -> Option<bool> {
    let mut experimental = false;
    let mut words = command.split_whitespace();
    for word in words.by_ref() {
        match word.split_once('=') {
            Some((var, value))
                if !var.is_empty()
                    && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                if var == ENV_EXPERIMENTAL {
                    experimental = !value.is_empty();
                }
            }
            _ => {
                if word != "rockcraft" {
                    return None;
                }
                break;
            }
        }
    }
    (words.next() == Some("expand-extensions")).then_some(experimental)
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// The first lines where `got` and `want` differ.
fn short_diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let first = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let mut out = format!("    first difference at line {}:\n", first + 1);
    for l in w.iter().skip(first).take(6) {
        let _ = writeln!(out, "    - {l}");
    }
    for l in g.iter().skip(first).take(6) {
        let _ = writeln!(out, "    + {l}");
    }
    out
}

/// Runs one case; `Err` describes the mismatch.
fn run_case(dir: &Path, experimental: bool) -> Result<(), String> {
    let report = run_expand(&dir.join("input"), DEFAULT_EXTENSIONS_DIR, experimental);
    let expected_code: i32 = read(&dir.join("expected-exit-code.txt"))
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    if expected_code == 0 {
        let want = read(&dir.join("expected.yaml")).unwrap_or_default();
        if report.stdout == want {
            return Ok(());
        }
        if dir.join("alt-seed.txt").exists()
            && let Some(alt) = read(&dir.join("expected.alt.yaml"))
            && report.stdout == alt
        {
            return Ok(());
        }
        let mut msg = format!("  exit {} (want 0)\n", report.exit_code);
        if report.exit_code != 0 {
            for l in report.stderr.lines().take(4) {
                let _ = writeln!(msg, "    stderr: {l}");
            }
        }
        msg.push_str(&short_diff(&want, &report.stdout));
        return Err(msg);
    }
    if std::env::var_os("GOLDEN_VERBOSE").is_some() {
        let want_err = read(&dir.join("expected-error.txt")).unwrap_or_default();
        let want_line = want_err
            .lines()
            .rfind(|l| !l.starts_with("Full execution log") && !l.trim().is_empty())
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "CASE {}\n  rockcraft: {want_line}\n  ours (exit {}):\n    {}",
            dir.file_name().unwrap_or_default().to_string_lossy(),
            report.exit_code,
            report.stderr.trim_end().replace('\n', "\n    ")
        );
    }
    let want_stdout = read(&dir.join("expected-stdout.txt")).unwrap_or_default();
    let mut problems = String::new();
    if report.exit_code != expected_code {
        let _ = writeln!(
            problems,
            "  exit {} (want {expected_code})",
            report.exit_code
        );
        for l in report.stdout.lines().take(3) {
            let _ = writeln!(problems, "    stdout: {l}");
        }
        let want_err = read(&dir.join("expected-error.txt")).unwrap_or_default();
        if let Some(l) = want_err
            .lines()
            .rfind(|l| !l.starts_with("Full execution log") && !l.trim().is_empty())
        {
            let _ = writeln!(problems, "    rockcraft: {l}");
        }
    }
    if report.stdout != want_stdout
        && (report.exit_code == expected_code || !want_stdout.is_empty())
    {
        problems.push_str("  stdout differs\n");
        problems.push_str(&short_diff(&want_stdout, &report.stdout));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// `case reason...` lines; `#` starts a comment.
fn known_failures() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden_expand_known_failures.txt");
    read(&path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (case, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (case.to_owned(), reason.trim().to_owned())
        })
        .collect()
}

#[test]
fn golden_expand_extensions() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("tests/golden exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("command.txt").is_file())
        .collect();
    cases.sort();
    let known = known_failures();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    let mut seen = Vec::new();
    let mut err = std::io::stderr().lock();
    for dir in &cases {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let Some(experimental) =
            read(&dir.join("command.txt")).and_then(|c| parse_command(c.trim()))
        else {
            continue;
        };
        seen.push(name.clone());
        match run_case(dir, experimental) {
            Ok(()) => {
                passed += 1;
                if known.contains_key(&name) {
                    stale.push(name);
                }
            }
            Err(msg) => {
                failed += 1;
                if let Some(reason) = known.get(&name) {
                    let _ = writeln!(err, "KNOWN FAILURE {name}: {reason}");
                } else {
                    let _ = write!(err, "FAIL {name}\n{msg}");
                    unexpected.push(name);
                }
            }
        }
    }
    let missing: Vec<&String> = known.keys().filter(|k| !seen.contains(k)).collect();
    let _ = writeln!(err, "{passed} passed, {failed} failed");
    assert!(!seen.is_empty(), "no expand-extensions cases found");
    assert!(
        unexpected.is_empty(),
        "failing cases not in tests/golden_expand_known_failures.txt: {unexpected:?}"
    );
    assert!(
        stale.is_empty(),
        "listed as known failures but passing (remove them from the list): {stale:?}"
    );
    assert!(
        missing.is_empty(),
        "known failures that are not expand-extensions cases: {missing:?}"
    );
}

#[test]
fn command_lines_are_parsed() {
    assert_eq!(parse_command("rockcraft expand-extensions"), Some(false));
    assert_eq!(
        parse_command("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS=1 rockcraft expand-extensions"),
        Some(true)
    );
    assert_eq!(
        parse_command("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS=0 rockcraft expand-extensions"),
        Some(true)
    );
    assert_eq!(
        parse_command("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS= rockcraft expand-extensions"),
        Some(false)
    );
    assert_eq!(
        parse_command("OTHER=1 rockcraft expand-extensions"),
        Some(false)
    );
    assert_eq!(parse_command("rockcraft list-extensions"), None);
    assert_eq!(parse_command("rockcraft init --name x"), None);
}

/// Every expected output, read back and put through model validation and printing, comes
/// out unchanged: the model accepts rockcraft's expanded projects and prints them byte for
/// byte (independently of the framework extensions).
#[test]
fn model_reprints_expected_outputs_unchanged() {
    use rockcraft_lsp::core::document::Document;
    use rockcraft_lsp::core::pipeline;
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(golden_dir())
        .expect("tests/golden exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for dir in dirs {
        for file in ["expected.yaml", "expected.alt.yaml"] {
            let Some(want) = read(&dir.join(file)) else {
                continue;
            };
            let yaml_start = want.find("\nname:").map_or(0, |i| i + 1);
            let doc = Document::parse(&want[yaml_start..]);
            let got = pipeline::project_model::check(doc.json()).stdout();
            // The colon-base warning comes from the input, which the output already normalised.
            let want: String = want
                .split_inclusive('\n')
                .filter(|l| !l.starts_with("Warning: use of \":\""))
                .collect();
            checked += 1;
            if got != want {
                failures.push(format!(
                    "{}/{file}\n{}",
                    dir.display(),
                    short_diff(&want, &got)
                ));
            }
        }
    }
    assert!(checked > 100, "only {checked} expected outputs found");
    assert!(
        failures.is_empty(),
        "{} of {checked} outputs changed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
