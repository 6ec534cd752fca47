//! `rockcraft-lsp check`: compiler-style diagnostics for `rockcraft.yaml` files, or JSON. Each
//! file is checked like in the editor, extension expansion included (the project directory
//! next to the file is read, never written).

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::fix::{self as cli_fix, Done, FixMode};
use crate::cli::format::github::Github;
use crate::cli::format::json::Json;
use crate::cli::format::sarif::Sarif;
use crate::cli::format::{FileFindings, Writer};
use crate::cli::progress::Progress;
use crate::core::code::Code;
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::document::Document;
use crate::core::extensions::DEFAULT_EXTENSIONS_DIR;
use crate::core::facts::PROJECT_FILE;
use crate::core::pipeline::{self, Inputs, MAX_TEXT_BYTES};
use crate::host::files;
use crate::host::fs::RealFs;
use crate::host::packages::{HostIndexes, PackageSettings};
use crate::host::threads;
use crate::host::walk;

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style: location, message, the source lines underlined
    #[default]
    Text,
    /// A JSON array with one object per finding
    Json,
    /// GitHub Actions workflow commands: an annotation per finding
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

/// What a check run produced.
#[derive(Debug, Default)]
pub struct Report {
    /// Text for stdout.
    pub stdout: String,
    /// Text for stderr (summaries, error reports, I/O problems).
    pub stderr: String,
    pub exit_code: i32,
}

/// The `rockcraft.yaml` files named by `paths` (files as given, directories searched), each
/// once however often and however spelt it is named, in the order first named; and a warning
/// for each regular file given that is not named `rockcraft.yaml` (it is checked as one all the
/// same).
///
/// # Errors
/// A path that does not exist or cannot be read; directories without a `rockcraft.yaml`, when
/// nothing else was named.
pub fn collect_files(paths: &[String]) -> Result<(Vec<PathBuf>, Vec<String>), String> {
    collect(paths).map(|(found, warnings)| (found.into_iter().map(|f| f.path).collect(), warnings))
}

/// A file to check, with what finding it told about it.
struct Target {
    path: PathBuf,
    /// Its directory with the links resolved, when known.
    real_dir: Option<PathBuf>,
    /// Whether a directory listing gave it as a regular file (not a link).
    listed_regular: bool,
}

/// [`collect_files`], with each file's resolved directory: a directory named is resolved once
/// and the files found below it are in the directories the search entered (never through a
/// link), so no file costs a look at its directory.
fn collect(paths: &[String]) -> Result<(Vec<Target>, Vec<String>), String> {
    let (mut files, mut warnings, mut dirs) = (Vec::new(), Vec::new(), Vec::new());
    let mut seen = HashSet::new();
    for p in paths {
        let path = Path::new(p);
        let meta = std::fs::metadata(path).map_err(|e| format!("{p}: {e}"))?;
        let mut found = Vec::new();
        if meta.is_dir() {
            let real_root = std::fs::canonicalize(path).ok();
            for f in walk::project_entries(path, usize::MAX) {
                let real = real_root.as_ref().map(|r| r.join(&f.relative));
                let real_dir = real
                    .as_deref()
                    .and_then(Path::parent)
                    .map(Path::to_path_buf);
                let id = real.unwrap_or_else(|| identity(&f.path).0);
                found.push((
                    id,
                    Target {
                        path: f.path,
                        real_dir,
                        listed_regular: f.listed_regular,
                    },
                ));
            }
            dirs.push(p.as_str());
        } else {
            let (id, real_dir) = identity(path);
            found.push((
                id,
                Target {
                    path: path.to_path_buf(),
                    real_dir,
                    listed_regular: false,
                },
            ));
        }
        for (id, target) in found {
            if !seen.insert(id) {
                continue;
            }
            // (A device or a FIFO is refused with the reason instead.)
            if meta.is_file() && target.path.file_name() != Some(OsStr::new(PROJECT_FILE)) {
                warnings.push(format!(
                    "warning: {p} is not named {PROJECT_FILE}; it is checked as one"
                ));
            }
            files.push(target);
        }
    }
    if dirs.is_empty() && files.is_empty() {
        return Err(format!("no {PROJECT_FILE} given"));
    }
    if files.is_empty() {
        return Err(format!("no {PROJECT_FILE} found in {}", dirs.join(", ")));
    }
    Ok((files, warnings))
}

/// What two names of one file share: its directory resolved (relative or absolute, `.` and
/// `..`, links) and its name; and that directory. A link to a project file from another
/// directory stays a file of its own, checked with the project directory next to it.
fn identity(file: &Path) -> (PathBuf, Option<PathBuf>) {
    match (std::fs::canonicalize(dir_of(file)), file.file_name()) {
        (Ok(dir), Some(name)) => (dir.join(name), Some(dir)),
        _ => (file.to_path_buf(), None),
    }
}

/// The directory of a project file (`.` for a bare name).
fn dir_of(file: &Path) -> &Path {
    file.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
}

/// Checks the given paths.
#[must_use]
pub fn run(paths: &[String], format: Format) -> Report {
    run_with(paths, format, &PackageSettings::default())
}

/// Checks the given paths, with package names checked against what `packages` points at.
#[must_use]
pub fn run_with(paths: &[String], format: Format, packages: &PackageSettings) -> Report {
    run_mode(paths, format, packages, FixMode::Report)
}

/// Checks the given paths, fixing or showing the fixes as `mode` says.
#[must_use]
pub fn run_mode(
    paths: &[String],
    format: Format,
    packages: &PackageSettings,
    mode: FixMode,
) -> Report {
    let mut out = Vec::new();
    let mut report = run_mode_to(paths, format, packages, mode, false, false, &mut out);
    report.stdout = String::from_utf8_lossy(&out).into_owned();
    report
}

/// [`run_with`], writing the findings to `out` as each file is checked instead of keeping
/// them (a hostile project can have hundreds of thousands); the report's `stdout` stays empty.
/// With `color`, the text is styled with ANSI escapes (for a terminal).
pub fn run_to(
    paths: &[String],
    format: Format,
    packages: &PackageSettings,
    color: bool,
    out: &mut dyn std::io::Write,
) -> Report {
    run_mode_to(paths, format, packages, FixMode::Report, color, false, out)
}

/// [`run_to`], fixing or showing the fixes as `mode` says. With `progress`, a run over many
/// files that takes a while shows how far it is on stderr (when it is a terminal).
pub fn run_mode_to(
    paths: &[String],
    format: Format,
    packages: &PackageSettings,
    mode: FixMode,
    color: bool,
    progress: bool,
    out: &mut dyn std::io::Write,
) -> Report {
    let mut report = Report::default();
    let files = match collect(paths) {
        Ok((files, warnings)) => {
            for w in warnings {
                report.stderr.push_str(&w);
                report.stderr.push('\n');
            }
            files
        }
        Err(e) => {
            report.stderr = format!("error: {e}\n");
            report.exit_code = 2;
            return report;
        }
    };
    let (mut errors, mut warnings) = (0usize, 0usize);
    let mut text_items = 0usize;
    let mut io_failed = false;
    let mut write_failed = false;
    let progress = Progress::files(files.len(), progress && files.len() > 1);
    let mut emit = |text: &str| {
        if !write_failed
            && progress
                .suspend(|drawn| {
                    let written = out.write_all(text.as_bytes());
                    written.and_then(|()| if drawn { out.flush() } else { Ok(()) })
                })
                .is_err()
        {
            // A closed pipe (`| head`): stop writing, keep counting.
            write_failed = true;
        }
    };
    // `--diff` prints the diffs only.
    let mut writer: Option<Box<dyn Writer>> = match format {
        _ if mode == FixMode::Diff => None,
        Format::Text => None,
        Format::Json => Some(Box::new(Json::default())),
        Format::Github => Some(Box::new(Github::new(std::env::current_dir().ok()))),
        Format::Sarif => Some(Box::new(Sarif::new(std::env::current_dir().ok()))),
    };
    if let Some(w) = &mut writer {
        emit(&w.start());
    }
    let mut fixes = 0usize;
    let indexes = HostIndexes::load(packages);
    let experimental = crate::host::env::experimental_extensions();
    // The compiler-style text is rendered where the file is checked; the other formats are
    // written in order by one writer.
    let show = match (&writer, mode) {
        (_, FixMode::Diff) => Show::Nothing,
        (None, _) => Show::Text { color },
        (Some(_), _) => Show::Kept,
    };
    let check = |target: &Target| {
        check_file(target, &indexes, experimental, mode, color).map(|c| c.shown(target, show))
    };
    // Files are checked on every core and reported in the order given, each as soon as it and
    // those before it are done: the output is the same as one at a time, and only a few files'
    // findings are held at once (a hostile file can have hundreds of thousands). One file
    // starts no threads.
    let ahead = if files.len() > 1 {
        FILES_PER_WORKER * threads::workers()
    } else {
        1
    };
    threads::for_each_in_order(&files, ahead, check, |target, checked| {
        progress.advance(1);
        let file = &target.path;
        let Shown {
            errors: e,
            warnings: w,
            fixed,
            findings,
        } = match checked {
            Ok(shown) => shown,
            Err(e) => {
                let _ = writeln!(report.stderr, "error: {}: {e}", file.display());
                io_failed = true;
                return;
            }
        };
        match fixed {
            Done::Nothing => {}
            Done::Shown { diff, applied } => {
                emit(&diff);
                fixes += applied;
            }
            Done::Written { applied, .. } => fixes += applied,
            Done::LeftAlone { message, io_error } => {
                report.stderr.push_str(&message);
                io_failed |= io_error;
            }
        }
        errors += e;
        warnings += w;
        // A blank line between findings.
        let mut emit_piece = |piece: &str| {
            emit(if text_items == 0 { "" } else { "\n" });
            emit(piece);
            text_items += 1;
        };
        match findings {
            Findings::None => {}
            Findings::Text(pieces) => pieces.iter().for_each(|piece| emit_piece(piece)),
            Findings::Unrendered {
                doc,
                diagnostics,
                color,
            } => {
                let shown = file.display().to_string();
                for d in &diagnostics {
                    emit_piece(&super::render::diagnostic(&shown, &doc, d, color));
                }
            }
            Findings::Kept { doc, diagnostics } => {
                if let Some(w) = &mut writer {
                    emit(&w.file(FileFindings {
                        path: file,
                        doc: &doc,
                        diagnostics: &diagnostics,
                    }));
                }
            }
        }
    });
    if let Some(w) = &mut writer {
        emit(&w.finish());
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if mode == FixMode::Diff {
        // On stderr: stdout is a patch.
        let _ = out.flush();
        let _ = writeln!(
            report.stderr,
            "{} would be applied",
            plural(fixes, "fix", "fixes")
        );
        report.exit_code = if io_failed { 2 } else { i32::from(fixes > 0) };
        return report;
    }
    let mut summary = format!(
        "{}, {} in {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(files.len(), "file", "files"),
    );
    if mode == FixMode::Fix {
        let _ = write!(summary, " ({} applied)", plural(fixes, "fix", "fixes"));
    }
    summary.push('\n');
    if writer.is_some() {
        // Machine output stays one document; the summary is for the person watching.
        report.stderr.push_str(&summary);
    } else {
        // As ruff does: findings and summary together on stdout, a blank line between.
        emit(if text_items == 0 { "" } else { "\n" });
        emit(&summary);
    }
    let _ = out.flush();
    report.exit_code = if io_failed { 2 } else { i32::from(errors > 0) };
    report
}

/// How many files per core may be checked ahead of the one being reported: enough to keep
/// the cores busy across files of uneven cost, few enough that holding their findings costs
/// little.
const FILES_PER_WORKER: usize = 4;

/// The most findings of one file rendered where it is checked: a file with more (a hostile
/// one can have hundreds of thousands) keeps its findings and they are rendered one at a time
/// as they are printed, so only one of them is held rendered.
const MAX_RENDERED_AHEAD: usize = 256;

/// One file checked: its document and findings (after `--fix`, those of the fixed file), and
/// what the fixes did.
struct Checked {
    doc: Arc<Document>,
    diagnostics: Vec<Diagnostic>,
    fixed: Done,
}

/// What is reported of one file checked: its counts, what the fixes did, and its findings.
struct Shown {
    errors: usize,
    warnings: usize,
    fixed: Done,
    findings: Findings,
}

/// How the findings of a file are reported.
#[derive(Clone, Copy)]
enum Show {
    /// Not at all (`--diff` shows the diffs only).
    Nothing,
    /// In compiler-style text.
    Text { color: bool },
    /// By the writer of a machine format.
    Kept,
}

/// A file's findings, ready for the report.
enum Findings {
    /// Nothing to show (`--diff` shows the diffs only).
    None,
    /// Each finding in compiler-style text.
    Text(Vec<String>),
    /// To be rendered as compiler-style text one finding at a time as they are printed (too
    /// many findings to hold them all rendered).
    Unrendered {
        doc: Arc<Document>,
        diagnostics: Vec<Diagnostic>,
        color: bool,
    },
    /// For the writer of a machine format.
    Kept {
        doc: Arc<Document>,
        diagnostics: Vec<Diagnostic>,
    },
}

impl Checked {
    /// What is reported of the file, as `show` says. The document is dropped here unless a
    /// writer needs it.
    fn shown(self, target: &Target, show: Show) -> Shown {
        let count = |s: Severity| self.diagnostics.iter().filter(|d| d.severity == s).count();
        let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
        let findings = match show {
            Show::Nothing => Findings::None,
            Show::Text { color } if self.diagnostics.len() <= MAX_RENDERED_AHEAD => {
                let shown = target.path.display().to_string();
                Findings::Text(
                    self.diagnostics
                        .iter()
                        .map(|d| super::render::diagnostic(&shown, &self.doc, d, color))
                        .collect(),
                )
            }
            Show::Text { color } => Findings::Unrendered {
                doc: self.doc,
                diagnostics: self.diagnostics,
                color,
            },
            Show::Kept => Findings::Kept {
                doc: self.doc,
                diagnostics: self.diagnostics,
            },
        };
        Shown {
            errors,
            warnings,
            fixed: self.fixed,
            findings,
        }
    }
}

/// Reads, analyses and (as `mode` says) fixes one file; the error is the file's read error.
fn check_file(
    target: &Target,
    indexes: &HostIndexes,
    experimental: bool,
    mode: FixMode,
    color: bool,
) -> std::io::Result<Checked> {
    let file = target.path.as_path();
    let bytes = if target.listed_regular {
        files::read_known_regular(file, MAX_TEXT_BYTES as u64)?
    } else {
        files::read_regular(file, MAX_TEXT_BYTES as u64)?
    };
    let dir = dir_of(file);
    let fs = match &target.real_dir {
        Some(real) => RealFs::resolved(dir, Some(real.clone())),
        None => RealFs::new(dir),
    };
    let inputs = Inputs {
        fs: &fs,
        packages: indexes,
        experimental,
        extensions_dir: DEFAULT_EXTENSIONS_DIR,
    };
    let pipeline::Findings {
        analysis,
        mut diagnostics,
    } = pipeline::run_bytes(bytes, &inputs);
    let mut doc = analysis.doc;
    let readable = !diagnostics.iter().any(|d| d.code == Code::NotUtf8);
    let mut fixed = Done::Nothing;
    if mode != FixMode::Report && readable {
        let shown = file.display().to_string();
        let analyze = |t: &str| pipeline::run(t, &inputs).diagnostics;
        fixed = cli_fix::fix_file(file, &shown, &doc, &diagnostics, mode, color, analyze);
        // What is reported is the fixed file.
        if let Done::Written {
            doc: fixed_doc,
            diagnostics: remaining,
            ..
        } = &mut fixed
        {
            std::mem::swap(&mut doc, fixed_doc);
            std::mem::swap(&mut diagnostics, remaining);
        }
    }
    Ok(Checked {
        doc,
        diagnostics,
        fixed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROJECT: &str = "name: my-rock\nbase: ubuntu@24.04\nversion: '1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\nparts:\n  p:\n    plugin: nil\n    stage-packages: [curl, curll]\n";

    /// Many more files than one batch, checked in parallel, give the output of checking each file
    /// alone, in the order the files are found, and the exit code of the whole.
    #[test]
    fn many_files_are_reported_in_order_as_if_one_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let count = 70;
        for i in 0..count {
            let project = dir.path().join(format!("p{i:03}"));
            std::fs::create_dir(&project).unwrap();
            let text = match i % 4 {
                0 => PROJECT.to_owned(),
                1 => format!("{PROJECT}bogus-key: {i}\n"),
                2 => PROJECT.replace("my-rock", "My_Rock"),
                _ => "name: [\n".to_owned(),
            };
            std::fs::write(project.join("rockcraft.yaml"), text).unwrap();
        }
        std::fs::write(dir.path().join("p007/rockcraft.yaml"), b"name: \xff\n").unwrap();
        let root = dir.path().display().to_string();
        let all = run(std::slice::from_ref(&root), Format::Text);
        let (files, _) = collect_files(std::slice::from_ref(&root)).unwrap();
        assert_eq!(files.len(), count);
        let mut blocks = Vec::new();
        let mut failed = false;
        for f in &files {
            let alone = run(&[f.display().to_string()], Format::Text);
            failed |= alone.exit_code == 1;
            if let Some((body, _summary)) = alone.stdout.rsplit_once("\n\n") {
                blocks.push(format!("{body}\n"));
            }
        }
        let summary = all.stdout.lines().last().unwrap();
        assert!(summary.ends_with(&format!("in {count} files")), "{summary}");
        assert_eq!(all.stdout, format!("{}\n{summary}\n", blocks.join("\n")));
        assert_eq!(all.exit_code, i32::from(failed));
        assert!(all.stdout.contains("bogus-key") && all.stdout.contains("p007"));
    }

    /// A file with more findings than are rendered ahead is printed the same way, one finding
    /// at a time.
    #[test]
    fn a_file_with_many_findings_is_printed_whole() {
        let dir = tempfile::tempdir().unwrap();
        let many = MAX_RENDERED_AHEAD + 10;
        let keys = |n: usize| {
            (0..n).fold(String::new(), |mut s, i| {
                let _ = writeln!(s, "bogus{i}: 1");
                s
            })
        };
        let (few, keys) = (keys(3), keys(many));
        std::fs::write(
            dir.path().join("rockcraft.yaml"),
            format!("{PROJECT}{keys}"),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("few")).unwrap();
        std::fs::write(
            dir.path().join("few/rockcraft.yaml"),
            format!("{PROJECT}{few}"),
        )
        .unwrap();
        let r = run(&[dir.path().display().to_string()], Format::Text);
        let findings = r.stdout.matches("error[unknown-key]").count();
        assert_eq!(findings, many + 3);
        // Each finding after the first follows a blank line.
        assert_eq!(
            r.stdout.matches("\n\nerror[unknown-key]").count(),
            findings - 1
        );
        assert!(
            r.stdout
                .ends_with(&format!("\n\n{findings} errors, 0 warnings in 2 files\n"))
        );
    }

    #[test]
    fn package_names_are_checked_against_the_lists_given() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rockcraft.yaml"), PROJECT).unwrap();
        let index = dir.path().join("Packages");
        std::fs::write(&index, "Package: curl\n\nPackage: libpq5\n").unwrap();
        let paths = [dir.path().display().to_string()];

        let without = run(&paths, Format::Text);
        assert!(
            !without.stdout.contains("unknown-package"),
            "{}",
            without.stdout
        );

        let with = run_with(
            &paths,
            Format::Text,
            &PackageSettings {
                index_files: vec![index],
                ..PackageSettings::default()
            },
        );
        assert!(
            with.stdout
                .contains("warning[unknown-package]: no package `curll`")
                && with.stdout.contains("rockcraft.yaml:11:28\n"),
            "{}",
            with.stdout
        );
        assert_eq!(with.stdout.matches("unknown-package").count(), 1);
        assert_eq!(with.exit_code, 0, "a warning only");
    }

    #[test]
    fn apt_lists_of_the_release_are_read_from_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rockcraft.yaml"), PROJECT).unwrap();
        let lists = dir.path().join("lists");
        std::fs::create_dir(&lists).unwrap();
        std::fs::write(
            lists.join("archive.ubuntu.com_ubuntu_dists_noble_main_binary-amd64_Packages"),
            "Package: curl\n",
        )
        .unwrap();
        let paths = [dir.path().join("rockcraft.yaml").display().to_string()];
        let r = run_with(
            &paths,
            Format::Text,
            &PackageSettings {
                apt_lists_dir: Some(lists),
                ..PackageSettings::default()
            },
        );
        assert_eq!(
            r.stdout.matches("unknown-package").count(),
            1,
            "{}",
            r.stdout
        );
    }
}
