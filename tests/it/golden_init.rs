//! `rockcraft-lsp init` against what the real `rockcraft init` did: the `init-*` golden cases
//! and the cases recorded under `tests/init/` (by `tools/record-init-cases.py`). Each runs the
//! built binary in a fresh directory named as the recorded one and compares the exit code,
//! stdout, stderr and every file created, byte for byte. Error messages must hold rockcraft's
//! lines in order (ours may add a line saying more; rockcraft's own usage hints and log path
//! are left out). Where rockcraft writes a project its own `pack` refuses, or writes through a
//! link, rockcraft-lsp deliberately does otherwise: [`DEVIATIONS`] says what instead and why.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::binary;

/// Cases where rockcraft-lsp does not do what rockcraft did, on purpose.
const DEVIATIONS: &[(&str, Deviation, &str)] = &[
    (
        "dir-single-letter",
        Deviation::DefaultName,
        "rockcraft names the project `a`; pack then refuses it (a title needs 2 characters)",
    ),
    (
        "dir-too-long",
        Deviation::DefaultName,
        "rockcraft names the project after the 41-character directory; pack then refuses it",
    ),
    (
        "name-single-letter",
        Deviation::Refused(1),
        "rockcraft writes a project pack refuses (a title needs 2 characters)",
    ),
    (
        "name-too-long",
        Deviation::Refused(1),
        "rockcraft writes a project pack refuses (at most 40 characters)",
    ),
    (
        "existing-as-directory",
        Deviation::Refused(73),
        "rockcraft crashes reading the directory as its project file",
    ),
    (
        "existing-dangling-symlink",
        Deviation::Refused(73),
        "rockcraft writes through the link, to a file outside the directory",
    ),
];

#[derive(Clone, Copy, Debug)]
enum Deviation {
    /// Writes the project as rockcraft does in a directory with an invalid name.
    DefaultName,
    /// Refuses with this exit code and writes nothing.
    Refused(i32),
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// Every path under `dir`, relative (directories end with `/`).
fn tree(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let path = e.path();
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if e.file_type().unwrap().is_dir() {
                out.insert(format!("{rel}/"));
                stack.push(path);
            } else {
                out.insert(rel);
            }
        }
    }
    out
}

/// What one run is checked against.
struct Expected {
    code: i32,
    stdout: String,
    /// Exact stderr of a success; rockcraft's message lines of a failure.
    stderr: String,
    created: Vec<String>,
    /// Files whose content was recorded: (relative path, content).
    files: Vec<(String, Vec<u8>)>,
}

/// The lines of rockcraft's error that ours must hold, in order: all but its usage hints,
/// its log path and blank lines.
fn message_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            !(l.is_empty()
                || l.starts_with("Usage: rockcraft")
                || l.starts_with("Try 'rockcraft")
                || l.starts_with("Full execution log:"))
        })
        .collect()
}

/// Runs `args` in `project` and returns what differs from `want`, if anything.
fn compare(
    case: &str,
    project: &Path,
    args: &[String],
    before: &BTreeSet<String>,
    want: &Expected,
) -> Vec<String> {
    let mut problems = Vec::new();
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = binary::run(project, &argv);
    let shown = std::fs::canonicalize(project).unwrap();
    let expected_stderr = want
        .stderr
        .replace("$PROJECT_DIR", &shown.to_string_lossy());
    if run.code != Some(want.code) {
        problems.push(format!(
            "exit code {:?}, want {}: {}",
            run.code, want.code, run.stderr
        ));
    }
    if run.stdout != want.stdout {
        problems.push(format!("stdout {:?}, want {:?}", run.stdout, want.stdout));
    }
    if want.code == 0 {
        if run.stderr != expected_stderr {
            problems.push(format!(
                "stderr {:?}, want {:?}",
                run.stderr, expected_stderr
            ));
        }
    } else {
        let mut ours = run.stderr.lines();
        for line in message_lines(&expected_stderr) {
            if !ours.any(|l| l == line) {
                problems.push(format!(
                    "stderr lacks {line:?} (in order): {:?}",
                    run.stderr
                ));
                break;
            }
        }
    }
    let created: Vec<String> = tree(project).difference(before).cloned().collect();
    if created != want.created {
        problems.push(format!("created {created:?}, want {:?}", want.created));
    }
    for (rel, content) in &want.files {
        match std::fs::read(project.join(rel)) {
            Ok(ours) if &ours == content => {}
            Ok(ours) => problems.push(format!(
                "{rel} differs:\n{}\nwant:\n{}",
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(content)
            )),
            Err(e) => problems.push(format!("{rel}: {e}")),
        }
    }
    problems
        .into_iter()
        .map(|p| format!("{case}: {p}"))
        .collect()
}

/// Copies `from` into `to` (regular files and directories).
fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn golden_init_cases() {
    let golden = root().join("tests/golden");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&golden)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("init-")
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 12, "{cases:?}");
    let mut problems = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let command = read(&case.join("command.txt")).unwrap();
        let args: Vec<String> = command
            .split_whitespace()
            .skip_while(|w| *w != "init")
            .map(str::to_owned)
            .collect();
        let tmp = tempfile::tempdir().unwrap();
        // The recorded run happened in a directory named after the case.
        let project = tmp.path().join(&name);
        std::fs::create_dir(&project).unwrap();
        if case.join("input").is_dir() {
            copy_tree(&case.join("input"), &project);
        }
        let before = tree(&project);
        let code =
            read(&case.join("expected-exit-code.txt")).map_or(0, |c| c.trim().parse().unwrap());
        let created: Vec<String> = read(&case.join("expected-created-files.txt"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        let files = std::fs::read(case.join("expected-rockcraft.yaml"))
            .map(|c| vec![("rockcraft.yaml".to_owned(), c)])
            .unwrap_or_default();
        let want = Expected {
            code,
            stdout: read(&case.join("expected-stdout.txt")).unwrap_or_default(),
            stderr: read(&case.join("expected-stderr.txt"))
                .or_else(|| read(&case.join("expected-error.txt")))
                .unwrap_or_default(),
            created,
            files,
        };
        problems.extend(compare(&name, &project, &args, &before, &want));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Makes a recorded case's setup (`case.json`'s `setup`) inside `project`.
fn setup(project: &Path, spec: &Value) {
    for item in spec["setup"].as_array().into_iter().flatten() {
        let kind = item[0].as_str().unwrap();
        let target = project.join(item[1].as_str().unwrap());
        match kind {
            "file" => {
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(&target, item[2].as_str().unwrap()).unwrap();
            }
            "dir" => std::fs::create_dir_all(&target).unwrap(),
            #[cfg(unix)]
            "symlink" => std::os::unix::fs::symlink(item[2].as_str().unwrap(), &target).unwrap(),
            other => panic!("unknown setup {other}"),
        }
    }
}

/// The files recorded under a case's `expected-files/`.
fn recorded_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    tree(dir)
        .into_iter()
        .filter(|p| !p.ends_with('/'))
        .map(|p| {
            let content = std::fs::read(dir.join(&p)).unwrap();
            (p, content)
        })
        .collect()
}

#[test]
fn recorded_init_cases() {
    let cases_dir = root().join("tests/init");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&cases_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("case.json").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "{cases:?}");
    let default_project =
        std::fs::read(cases_dir.join("dir-uppercase/expected-files/rockcraft.yaml")).unwrap();
    let mut problems = Vec::new();
    let mut deviations_seen = 0;
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let spec: Value = serde_json::from_str(&read(&case.join("case.json")).unwrap()).unwrap();
        let args: Vec<String> = spec["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect();
        let tmp = tempfile::tempdir().unwrap();
        let project = tmp.path().join(spec["directory"].as_str().unwrap());
        std::fs::create_dir(&project).unwrap();
        setup(&project, &spec);
        let before = tree(&project);
        let mut want = Expected {
            code: read(&case.join("expected-exit-code.txt"))
                .unwrap()
                .trim()
                .parse()
                .unwrap(),
            stdout: read(&case.join("expected-stdout.txt")).unwrap(),
            stderr: read(&case.join("expected-stderr.txt")).unwrap(),
            created: read(&case.join("expected-created-files.txt"))
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect(),
            files: recorded_files(&case.join("expected-files")),
        };
        match DEVIATIONS.iter().find(|(c, _, _)| *c == name) {
            Some((_, Deviation::DefaultName, _)) => {
                deviations_seen += 1;
                want.files = vec![("rockcraft.yaml".to_owned(), default_project.clone())];
            }
            Some((_, Deviation::Refused(code), _)) => {
                deviations_seen += 1;
                want = Expected {
                    code: *code,
                    stdout: String::new(),
                    stderr: String::new(),
                    created: Vec::new(),
                    files: Vec::new(),
                };
            }
            None => {}
        }
        problems.extend(compare(&name, &project, &args, &before, &want));
        if name == "existing-dangling-symlink" {
            assert!(
                !tmp.path().join("outside.yaml").exists(),
                "wrote through the link"
            );
        }
    }
    assert_eq!(
        deviations_seen,
        DEVIATIONS.len(),
        "a deviation names no case"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
