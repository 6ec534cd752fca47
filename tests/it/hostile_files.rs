//! The built binary on projects whose files are hostile: FIFOs, devices and standard streams
//! under project file names, oversized files, unreadable files. Each run has a deadline, so a
//! command that blocks fails the test instead of hanging it; its standard input stays open
//! (a pipe nobody writes to), as in a terminal or an editor's task runner.

use std::path::Path;
use std::process::Command;

use crate::binary::{Run, run};

const FLASK: &str = include_str!("../golden/flask-init-template/input/rockcraft.yaml");
const APP_PY: &str = include_str!("../golden/flask-init-template/input/app.py");

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
}

/// A flask project (the init template) in a fresh directory.
fn flask_project() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("rockcraft-lsp-hostile-")
        .tempdir()
        .unwrap();
    std::fs::write(dir.path().join("rockcraft.yaml"), FLASK).unwrap();
    std::fs::write(dir.path().join("app.py"), APP_PY).unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "flask\n").unwrap();
    dir
}

/// The lines of `check` output that are findings (not source excerpts).
fn findings(r: &Run) -> Vec<&str> {
    r.stdout.lines().filter(|l| l.contains("error[")).collect()
}

#[test]
fn check_of_a_device_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["check", "/dev/zero"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: /dev/zero: it is a character device, not a regular file\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_fifo_or_oversized_project_file_is_refused_by_check_and_expand() {
    let fifo = tempfile::tempdir().unwrap();
    mkfifo(&fifo.path().join("rockcraft.yaml"));
    let big = tempfile::tempdir().unwrap();
    let mut text = FLASK.to_owned();
    text.push_str(&"#".repeat(9 * 1024 * 1024));
    std::fs::write(big.path().join("rockcraft.yaml"), text).unwrap();
    for (dir, why) in [
        (&fifo, "it is a FIFO, not a regular file"),
        (&big, "it is larger than 8 MiB, the most that is read"),
    ] {
        let d = dir.path();
        let r = run(d, &["check", "rockcraft.yaml"]);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(
            r.stderr
                .starts_with(&format!("error: rockcraft.yaml: {why}\n")),
            "{}",
            r.stderr
        );
        // Found by the directory walk too.
        let r = run(d, &["check", "."]);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(r.stderr.contains(why), "{}", r.stderr);
        let r = run(d, &["expand-extensions"]);
        assert_eq!(r.code, Some(1), "{}", r.stderr);
        assert_eq!(r.stdout, "");
        assert_eq!(r.stderr, format!("Cannot read ./rockcraft.yaml: {why}\n"));
    }
}

#[cfg(unix)]
#[test]
fn a_linked_project_file_is_found_by_the_directory_walk() {
    let real = flask_project();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        real.path().join("rockcraft.yaml"),
        dir.path().join("rockcraft.yaml"),
    )
    .unwrap();
    let r = run(dir.path(), &["check", "."]);
    // The link is checked (the directory next to it has no app.py, hence the finding).
    assert!(r.stdout.ends_with("in 1 file\n"), "{}", r.stdout);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("found no WSGI application"),
        "{}",
        r.stdout
    );
}

#[cfg(unix)]
#[test]
fn project_files_that_are_streams_fifos_or_devices_are_findings_not_hangs() {
    for name in ["requirements.txt", "app.py"] {
        for target in ["/dev/stdin", "/proc/self/fd/0", "/dev/zero", "fifo"] {
            let p = flask_project();
            let path = p.path().join(name);
            std::fs::remove_file(&path).unwrap();
            if target == "fifo" {
                mkfifo(&path);
            } else {
                std::os::unix::fs::symlink(target, &path).unwrap();
            }
            let r = run(p.path(), &["check", "."]);
            assert_eq!(r.code, Some(1), "{name} -> {target}: {}", r.stderr);
            let found = findings(&r);
            assert!(
                found.len() == 1 && found[0].contains(&format!("`{name}` cannot be read (it is ")),
                "{name} -> {target}: {}",
                r.stdout
            );
            let r = run(p.path(), &["expand-extensions"]);
            assert_eq!(r.code, Some(70), "{name} -> {target}: {}", r.stderr);
            assert!(
                r.stderr
                    .contains(&format!("`{name}` cannot be read (it is ")),
                "{name} -> {target}: {}",
                r.stderr
            );
        }
    }
}

#[test]
fn ten_megabytes_of_nul_in_app_py_are_refused_by_size() {
    let p = flask_project();
    std::fs::write(p.path().join("app.py"), vec![0u8; 10_000_000]).unwrap();
    let r = run(p.path(), &["check", "."]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let found = findings(&r);
    assert!(
        found.len() == 1
            && found[0].contains(
                "`app.py` cannot be read (it is larger than 1 MiB, the most that is read)"
            ),
        "{}",
        r.stdout
    );
    // Under the limit, the NUL bytes are CPython's refusal, found without parsing.
    std::fs::write(p.path().join("app.py"), vec![0u8; 1_000_000]).unwrap();
    let r = run(p.path(), &["check", "."]);
    // Long messages are wrapped: compare with the line breaks and indents as single spaces.
    let flat = r.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("line 1 is not valid Python (source code string cannot contain null bytes)"),
        "{}",
        r.stdout
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_requirements_file_is_said_to_be_unreadable() {
    use std::os::unix::fs::PermissionsExt;
    let p = flask_project();
    let path = p.path().join("requirements.txt");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads a file whatever its mode: the situation cannot be built then (the same
    // message is tested on the core with a file system that refuses, whoever runs it).
    if std::fs::read(&path).is_ok() {
        return;
    }
    let r = run(p.path(), &["check", "."]);
    let found = findings(&r);
    assert!(
        found.len() == 1
            && found[0].contains("`requirements.txt` cannot be read (Permission denied"),
        "{}",
        r.stdout
    );
}
