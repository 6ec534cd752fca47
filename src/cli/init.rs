//! `rockcraft-lsp init`: rockcraft's `init` re-implemented, for people without rockcraft. It
//! writes the same files byte for byte, prints the same progress and messages, and exits
//! with rockcraft's codes (64 unknown profile, 1 invalid name, 73 a file is in the way). It
//! is stricter where rockcraft writes a project `pack` then refuses (a name longer than 40
//! characters or of one character) and where rockcraft would write through a symbolic link:
//! any existing file in the way, whatever its kind, is refused, and a file is only ever
//! created new.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::cli::check::Report;
use crate::core::facts::{
    DOCS_URL, INIT_DEFAULT_PROFILE, INIT_PROFILES, PROJECT_NAME_MAX_CHARS, TITLE_MIN_CHARS,
};
use crate::core::ide::starters::{self, NameProblem, RenderedFile};
use crate::host::files;

/// Exit code of an unknown profile (`EX_USAGE`, as rockcraft's argument parser).
pub const EXIT_USAGE: i32 = 64;
/// Exit code when a file the profile writes already exists (`EX_CANTCREAT`, as rockcraft).
pub const EXIT_CANT_CREATE: i32 = 73;
/// Exit code of an invalid name or a failed write (rockcraft's for its own errors).
pub const EXIT_ERROR: i32 = 1;

/// rockcraft's words for a name that breaks the name pattern.
const INVALID_NAME: &str = "invalid name: Names can only use ASCII lowercase letters, numbers, and hyphens. They must have at least one letter, may not start or end with a hyphen, and may not have two hyphens in a row.";

/// The options of `init`, as written on the command line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InitArgs {
    pub profile: Option<String>,
    pub name: Option<String>,
    pub project_dir: Option<String>,
}

/// Creates the project files of `args.profile` in `args.project_dir` (default: `cwd`), as
/// `rockcraft init` does. Relative paths are taken from `cwd`.
#[must_use]
pub fn run_init(args: &InitArgs, cwd: &Path) -> Report {
    let mut report = Report::default();
    let profile = args.profile.as_deref().unwrap_or(INIT_DEFAULT_PROFILE);
    if !INIT_PROFILES.contains(&profile) || starters::template_files(profile).is_none() {
        let choices: Vec<String> = INIT_PROFILES.iter().map(|p| format!("'{p}'")).collect();
        report.stderr = format!(
            "Error: argument --profile: invalid choice: '{profile}' (choose from {})\nTry 'rockcraft-lsp --help' for help.\n",
            choices.join(", ")
        );
        report.exit_code = EXIT_USAGE;
        return report;
    }
    let given = args.project_dir.as_deref().map(expand_home);
    let project_dir = resolve(
        &given
            .clone()
            .map_or_else(|| cwd.to_path_buf(), |d| cwd.join(d)),
    );
    if let Ok(meta) = std::fs::metadata(&project_dir)
        && !meta.is_dir()
    {
        report.stderr = format!(
            "Provided project directory is not a directory.\nDetailed information: Not a directory: {}\nRecommended resolution: Ensure the path entered is correct.\n",
            given.unwrap_or_default().display()
        );
        report.exit_code = EXIT_ERROR;
        return report;
    }
    let name = match &args.name {
        Some(name) => {
            if let Some(problem) = starters::name_problem(name) {
                report.stderr = name_error(name, &problem);
                report.exit_code = EXIT_ERROR;
                return report;
            }
            name.as_str()
        }
        None => starters::name_for_directory(project_dir.file_name().and_then(|n| n.to_str())),
    };
    let Some(rendered) = starters::render_profile(profile, name) else {
        return report;
    };
    report.stderr.push_str("Checking project directory.\n");
    let in_the_way = in_the_way(&project_dir, &rendered);
    if !in_the_way.is_empty() {
        let _ = write!(
            report.stderr,
            "Cannot initialise project in '{}' because it would overwrite existing files.\nExisting files are:\n",
            project_dir.display()
        );
        for line in in_the_way {
            let _ = writeln!(report.stderr, "  - {line}");
        }
        report.stderr.push_str(
            "Recommended resolution: Initialise the project in an empty directory or remove the existing files.\n",
        );
        report.exit_code = EXIT_CANT_CREATE;
        return report;
    }
    report.stderr.push_str("Initializing project.\n");
    if let Err(e) = std::fs::create_dir_all(&project_dir) {
        let _ = writeln!(
            report.stderr,
            "Cannot create {}: {e}",
            project_dir.display()
        );
        report.exit_code = EXIT_ERROR;
        return report;
    }
    report.stderr.push_str("Rendering project.\n");
    for file in &rendered {
        if let Err(e) = write_new(&project_dir, file) {
            let _ = writeln!(
                report.stderr,
                "Cannot write {}: {e}",
                project_dir.join(file.path).display()
            );
            report.exit_code = EXIT_ERROR;
            return report;
        }
    }
    report.stderr.push_str("Rendered project.\n");
    if profile != INIT_DEFAULT_PROFILE {
        let _ = writeln!(
            report.stdout,
            "Go to {DOCS_URL}/reference/extensions/{profile} to read more about the '{profile}' profile."
        );
    }
    report
        .stdout
        .push_str("Successfully initialised project.\n");
    report
}

/// The message for a `--name` that cannot name a project: rockcraft's words for a name that
/// breaks the pattern, then what is wrong with this one.
fn name_error(name: &str, problem: &NameProblem) -> String {
    match problem {
        NameProblem::Pattern(what) => format!("{INVALID_NAME}\nThe name '{name}': {what}.\n"),
        NameProblem::TooLong(n) => format!(
            "invalid name: '{name}' has {n} characters; a project name has at most {PROJECT_NAME_MAX_CHARS} (rockcraft init would write it, and rockcraft pack would refuse the project).\n"
        ),
        NameProblem::TooShort => format!(
            "invalid name: '{name}' is shorter than {TITLE_MIN_CHARS} characters; the name is the project's title unless one is set, and a title needs at least {TITLE_MIN_CHARS} (rockcraft init would write it, and rockcraft pack would refuse the project).\n"
        ),
    }
}

/// `~` or `~/...` with the home directory, as rockcraft expands the directory argument.
fn expand_home(dir: &str) -> PathBuf {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    match (dir.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
            PathBuf::from(home).join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(dir),
    }
}

/// `path` with its links resolved as far as it exists, and `.`/`..` applied (Python's
/// non-strict `Path.resolve`): the directory whose name names the project.
fn resolve(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    let mut exists = true;
    for c in path.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => {
                out.push(n);
                if exists {
                    match std::fs::canonicalize(&out) {
                        Ok(real) => out = real,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    out
}

/// The files of `rendered` (and the directories on their way) that exist in `dir` as
/// anything, or as something other than a directory for the directories: rockcraft's
/// "existing files", a link or other kind of file named as such.
fn in_the_way(dir: &Path, rendered: &[RenderedFile]) -> Vec<String> {
    let mut out = Vec::new();
    for file in rendered {
        let mut rel = PathBuf::new();
        let parts: Vec<&str> = file.path.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            rel.push(part);
            let Ok(meta) = std::fs::symlink_metadata(dir.join(&rel)) else {
                break;
            };
            let last = i + 1 == parts.len();
            let shown = rel.to_string_lossy().into_owned();
            if last {
                out.push(if meta.is_file() {
                    shown
                } else {
                    format!("{shown} ({})", kind(&meta))
                });
            } else if !meta.is_dir() {
                out.push(format!("{shown} ({}, not a directory)", kind(&meta)));
                break;
            }
        }
    }
    out.dedup();
    out
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    if meta.file_type().is_symlink() {
        "a symbolic link"
    } else {
        files::kind_of(meta)
    }
}

/// Writes `file` under `dir`, creating its directories; never through a link and never over
/// an existing file (the file is created new).
fn write_new(dir: &Path, file: &RenderedFile) -> std::io::Result<()> {
    let path = dir.join(file.path);
    let mut at = dir.to_path_buf();
    let parts: Vec<&str> = file.path.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.is_dir() => {}
            Ok(meta) => {
                return Err(std::io::Error::other(format!(
                    "{} is {}, not a directory",
                    at.display(),
                    kind(&meta)
                )));
            }
            Err(_) => std::fs::create_dir(&at)?,
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Read and write for everyone, and execute for an executable, less the umask: the
        // modes a new file gets from any tool.
        options.mode(if file.executable { 0o777 } else { 0o666 });
    }
    let mut out = options.open(&path)?;
    out.write_all(file.text.as_bytes())?;
    out.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_python() {
        let tmp = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(tmp.path()).unwrap();
        assert_eq!(resolve(&tmp.path().join("a/./b/../c")), real.join("a/c"));
        assert_eq!(resolve(&tmp.path().join(".")), real);
        #[cfg(unix)]
        {
            std::fs::create_dir(real.join("target")).unwrap();
            std::os::unix::fs::symlink(real.join("target"), real.join("link")).unwrap();
            assert_eq!(resolve(&real.join("link")), real.join("target"));
            assert_eq!(resolve(&real.join("link/new")), real.join("target/new"));
        }
    }

    #[test]
    fn home_is_expanded() {
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            assert_eq!(expand_home("~/x"), PathBuf::from(&home).join("x"));
            assert_eq!(expand_home("~"), PathBuf::from(&home));
        }
        assert_eq!(expand_home("~user/x"), PathBuf::from("~user/x"));
        assert_eq!(expand_home("a/~"), PathBuf::from("a/~"));
    }

    #[test]
    fn refuses_anything_in_the_way() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("proj");
        std::fs::create_dir_all(dir.join("rockcraft.yaml")).unwrap();
        let args = InitArgs::default();
        let r = run_init(&args, &dir);
        assert_eq!(r.exit_code, EXIT_CANT_CREATE, "{}", r.stderr);
        assert!(
            r.stderr.contains("  - rockcraft.yaml (a directory)\n"),
            "{}",
            r.stderr
        );
        #[cfg(unix)]
        {
            std::fs::remove_dir(dir.join("rockcraft.yaml")).unwrap();
            std::os::unix::fs::symlink("../outside.yaml", dir.join("rockcraft.yaml")).unwrap();
            let r = run_init(&args, &dir);
            assert_eq!(r.exit_code, EXIT_CANT_CREATE, "{}", r.stderr);
            assert!(r.stderr.contains("(a symbolic link)"), "{}", r.stderr);
            assert!(!tmp.path().join("outside.yaml").exists());
            // A directory on the way that is a link out of the project.
            std::fs::create_dir(tmp.path().join("elsewhere")).unwrap();
            std::os::unix::fs::symlink("../elsewhere", dir.join("spread")).unwrap();
            let test = InitArgs {
                profile: Some("test".into()),
                ..InitArgs::default()
            };
            let r = run_init(&test, &dir);
            assert_eq!(r.exit_code, EXIT_CANT_CREATE, "{}", r.stderr);
            assert!(
                r.stderr
                    .contains("  - spread (a symbolic link, not a directory)\n"),
                "{}",
                r.stderr
            );
            assert_eq!(
                std::fs::read_dir(tmp.path().join("elsewhere"))
                    .unwrap()
                    .count(),
                0
            );
        }
    }

    #[test]
    fn writes_the_project_file() {
        let tmp = tempfile::tempdir().unwrap();
        let args = InitArgs {
            profile: Some("go-framework".into()),
            name: None,
            project_dir: Some("a/my-shop".into()),
        };
        let r = run_init(&args, tmp.path());
        assert_eq!(r.exit_code, 0, "{}", r.stderr);
        let text = std::fs::read_to_string(tmp.path().join("a/my-shop/rockcraft.yaml")).unwrap();
        assert_eq!(
            Some(text),
            starters::project_file("go-framework", "my-shop")
        );
        // A second run refuses to overwrite it.
        let again = run_init(&args, tmp.path());
        assert_eq!(again.exit_code, EXIT_CANT_CREATE);
    }

    #[test]
    fn test_profile_writes_its_script_executable() {
        let tmp = tempfile::tempdir().unwrap();
        let args = InitArgs {
            profile: Some("test".into()),
            ..InitArgs::default()
        };
        let r = run_init(&args, tmp.path());
        assert_eq!(r.exit_code, 0, "{}", r.stderr);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &str| {
                std::fs::metadata(tmp.path().join(p))
                    .unwrap()
                    .permissions()
                    .mode()
            };
            assert_ne!(mode("spread/.extension") & 0o100, 0);
            assert_eq!(mode("spread.yaml") & 0o111, 0);
        }
    }

    #[test]
    fn refuses_bad_names_and_profiles() {
        let tmp = tempfile::tempdir().unwrap();
        for (name, code, words) in [
            ("My_Rock", EXIT_ERROR, "uppercase letter `M`"),
            ("", EXIT_ERROR, "the name is empty"),
            ("a", EXIT_ERROR, "shorter than 2"),
            (&"b".repeat(41) as &str, EXIT_ERROR, "has 41 characters"),
            ("ok\n", EXIT_ERROR, "the character"),
        ] {
            let args = InitArgs {
                name: Some(name.to_owned()),
                ..InitArgs::default()
            };
            let r = run_init(&args, tmp.path());
            assert_eq!(r.exit_code, code, "{name:?}");
            assert!(r.stderr.contains(words), "{name:?}: {}", r.stderr);
        }
        let args = InitArgs {
            profile: Some("flask".into()),
            ..InitArgs::default()
        };
        assert_eq!(run_init(&args, tmp.path()).exit_code, EXIT_USAGE);
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
