//! The one road from a `rockcraft.yaml` text to its findings. Every consumer (the server's
//! publish and code actions, `check`, `expand-extensions`, the tests) goes through here, so the
//! order of the stages and the rule that merges their findings exist once.
//!
//! The stages, in order:
//! 1. [`fast`]: YAML, schema and the project-model rules of the source (microseconds; run on
//!    every edit);
//! 2. [`package_names`]: Debian package and chisel slice names against the indexes at hand;
//! 3. [`expansion`]: rockcraft's start-up checks, the extensions applied, the project-model
//!    checks of the expanded project ([`project_model`]) and the extension lints (reads the
//!    project directory, so the server runs it off the async threads);
//! 4. [`merge`]: the findings of the three, each mistake once, sorted by position.
//!
//! [`run`] runs them all; the server runs them one by one as their inputs become ready and
//! merges with the same [`merge`].

pub mod project_model;
pub mod startup;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use project_model::Command;

use crate::core::analysis::{Analysis, analyze, checked, checked_after};
use crate::core::cancel::Cancel;
use crate::core::code::Code;
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::document::Document;
use crate::core::extensions::apply::apply_with_notes_cow;
use crate::core::extensions::model::ModelOutcome;
use crate::core::extensions::{Anchor, CancellableFs, Context, Detail, ExpandError, ProjectFs};
use crate::core::ide::default_prime::default_primes;
use crate::core::ide::expansion::{ExpansionResult, map_error, top_value_range};
use crate::core::ide::lints;
use crate::core::packages::PackageIndexes;
use crate::core::rules::known_packages;
use crate::core::text::{Lines, TextRange};
use crate::core::yaml::PathSeg;
use crate::core::yaml::incremental::Change;

/// Texts larger than this are not analysed (the editor and `check` say so instead): 8 MiB,
/// thousands of times the largest real `rockcraft.yaml`.
pub const MAX_TEXT_BYTES: usize = 8 * 1024 * 1024;

/// What the stages after the fast one read besides the text.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The project directory the expansion reads.
    pub fs: &'a dyn ProjectFs,
    /// Package lists and chisel slices for the package-name stage.
    pub packages: &'a dyn PackageIndexes,
    /// `ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS` is in force.
    pub experimental: bool,
    /// The extension data directory printed in generated parts.
    pub extensions_dir: &'a str,
}

/// Stage 1: parses and checks the text. Never fails.
#[must_use]
pub fn fast(text: &str) -> Analysis {
    analyze(text)
}

/// [`fast`] on `text`, an edit of `previous`'s text: only the work the edit can change is
/// redone; the result is the same.
#[must_use]
pub fn fast_after(previous: &Analysis, text: &str, cancel: Cancel<'_>) -> Analysis {
    check(read(text, Some(previous)), Some(previous), cancel)
}

/// The first half of [`fast`]: the text read into a document, for the requests that need only
/// the tree before its checks are done.
#[derive(Clone, Debug)]
pub struct Read {
    pub doc: Arc<Document>,
    /// What an edit changed, when the document was read from the previous one's blocks.
    change: Option<Change>,
}

/// Reads `text`, from `previous`'s document when there is one (only the YAML blocks an edit
/// touched are read again).
#[must_use]
pub fn read(text: &str, previous: Option<&Analysis>) -> Read {
    read_shared(Arc::from(text), Arc::new(Lines::new(text)), previous)
}

/// [`read`] of a text and line index the caller keeps too: the document shares them.
#[must_use]
pub fn read_shared(text: Arc<str>, lines: Arc<Lines>, previous: Option<&Analysis>) -> Read {
    match previous {
        Some(p) => {
            let (doc, change) = p.doc.reparse_shared(text, lines);
            Read {
                doc: Arc::new(doc),
                change,
            }
        }
        None => Read {
            doc: Arc::new(Document::parse_shared(text, lines)),
            change: None,
        },
    }
}

/// The second half of [`fast`]: the checks of a document [`read`] from `previous` (the same
/// one, or `None`), reusing the findings of what the edit left alone; stops early once
/// `cancel` is set.
#[must_use]
pub fn check(read: Read, previous: Option<&Analysis>, cancel: Cancel<'_>) -> Analysis {
    match previous {
        Some(p) => checked_after(p, read.doc, read.change, cancel),
        None => checked(read.doc, cancel),
    }
}

/// Stage 2: the package names of a parsed document against `indexes`.
#[must_use]
pub fn package_names(doc: &Document, indexes: &dyn PackageIndexes) -> Vec<Diagnostic> {
    known_packages::diagnose(doc, indexes)
}

/// What `rockcraft expand-extensions` does with a document: the progress notes it prints on
/// stderr, then the model outcome (warnings and the normalised project), or the error that
/// stopped it before the model.
#[derive(Clone, Debug, PartialEq)]
pub struct Expanded {
    pub notes: Vec<String>,
    pub outcome: Result<ModelOutcome, ExpandError>,
}

/// rockcraft's own steps on a document: start-up checks, the extensions, the project model.
#[must_use]
pub fn expand_project(doc: &Document, ctx: &Context<'_>) -> Expanded {
    match startup::loadable(doc) {
        Ok(()) => expand_loaded(doc, ctx, Command::ExpandExtensions),
        Err(e) => Expanded {
            notes: Vec::new(),
            outcome: Err(e),
        },
    }
}

/// [`expand_project`] on a document whose YAML is known to load, with `command`'s
/// project checks.
fn expand_loaded(doc: &Document, ctx: &Context<'_>, command: Command) -> Expanded {
    let mut notes = Vec::new();
    let json = doc.json_once();
    if let Err(e) = startup::buildable(&json) {
        return Expanded {
            notes,
            outcome: Err(e),
        };
    }
    let outcome = apply_with_notes_cow(json, ctx, &mut notes)
        .map(|v| project_model::check_with(v, command, ctx.cancel));
    Expanded { notes, outcome }
}

/// Stage 3: expands the extensions of the fast stage's document against the project in `fs`
/// and runs the extension lints; the fast findings keep a mistake written in the source from
/// being reported a second time by the expanded project's refusal. Without `extensions:` nothing is expanded; only the lint about framework
/// part names used without their extension can fire. `None` when the stage cannot run: the
/// YAML does not parse or is not a mapping (the fast stage reports why, and the editor keeps
/// the previous expansion's findings meanwhile). Lesser YAML errors such as a duplicate key,
/// which rockcraft also refuses, are the fast stage's to report; the expansion still runs on
/// the tree as read, so its findings do not come and go with them.
#[must_use]
pub fn expansion(
    fast: &Analysis,
    fs: &dyn ProjectFs,
    experimental: bool,
    extensions_dir: &str,
) -> Option<ExpansionResult> {
    expansion_with(fast, fs, experimental, extensions_dir, Cancel::NEVER)
}

/// [`expansion`], stopping early once `cancel` is set: polled between the steps, the
/// extensions, the files read and the project's entries. `None` when cancelled.
#[must_use]
pub fn expansion_with(
    fast: &Analysis,
    fs: &dyn ProjectFs,
    experimental: bool,
    extensions_dir: &str,
    cancel: Cancel<'_>,
) -> Option<ExpansionResult> {
    let doc = &fast.doc;
    if doc.has_fatal_yaml_errors() || doc.root_map().is_none() || cancel.is_cancelled() {
        return None;
    }
    let fs = &CancellableFs { inner: fs, cancel };
    let mut result = ExpansionResult::default();
    if !doc.has_extensions() {
        lints::without_extensions(doc, &mut result.diagnostics);
        return Some(result);
    }
    let ctx = Context {
        fs,
        experimental,
        extensions_dir,
        cancel,
    };
    // The editor and `check` answer for `pack`.
    let expanded = expand_loaded(doc, &ctx, Command::Pack);
    if cancel.is_cancelled() {
        return None;
    }
    let failure = match expanded.outcome {
        Ok(model) => match &model.result {
            Ok(_) => {
                result.warnings = model.warnings;
                result.expanded = model.result.ok();
                None
            }
            Err(e) => without_source_findings(fast, e.clone()).map(|e| (e, true)),
        },
        Err(e) => Some((e, false)),
    };
    if let Some((e, from_model)) = failure
        && let Some(d) = map_error(doc, &e, from_model)
    {
        result.diagnostics.push(d);
    }
    lints::with_extensions(
        doc,
        fs,
        &ctx,
        result.expanded.as_ref(),
        &mut result.diagnostics,
    );
    result.default_prime = default_primes(doc, fs, result.expanded.as_ref());
    if cancel.is_cancelled() {
        return None;
    }
    sort(&mut result.diagnostics);
    Some(result)
}

/// The project-model refusal less the problems the fast stage reports on the source at the
/// same key in the same words (a mistake the user wrote, not one the merge made): one mistake,
/// one diagnostic. `None` when nothing is left.
fn without_source_findings(fast: &Analysis, mut err: ExpandError) -> Option<ExpandError> {
    let index = fast.doc.tree.index();
    // Each message the source has, with where: the expanded form may place the same finding
    // one level deeper (a block list's first item where the source shows the flow list).
    let mut written: HashMap<&str, Vec<Vec<PathSeg>>> = HashMap::new();
    for d in fast
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        if let Some(node) = index.node_at(u32::from(d.range.start())) {
            written
                .entry(d.message.as_str())
                .or_default()
                .push(index.path_of(node).0);
        }
    }
    let repeated = |d: &Detail| {
        d.path.as_ref().is_some_and(|p| {
            written
                .get(d.message.as_str())
                .is_some_and(|at| at.iter().any(|w| p.starts_with(w)))
        })
    };
    if !err.details.iter().any(repeated) {
        return Some(err);
    }
    let kept: Vec<Detail> = err
        .details
        .iter()
        .filter(|d| !repeated(d))
        .cloned()
        .collect();
    err.details = kept.into();
    // The refusal is placed at its first remaining problem.
    let first = err.details.first()?;
    if let Some(path) = &first.path {
        err.anchor = Anchor::Path(path.clone());
    }
    Some(err)
}

/// Stage 4, the one merge rule: the fast findings, the package-name findings, and the
/// expansion findings that add to them, sorted by position. An expansion finding is left out
/// when the fast stage already reports the same code at the same place, or an error there (a
/// base that is not a base at all needs no second message), or, for the expansion's base
/// errors, an error on the `base` or `build-base` value itself (that one has to be fixed first,
/// and the expansion's text would only confuse).
#[must_use]
pub fn merge(
    doc: &Document,
    fast: &[Diagnostic],
    packages: &[Diagnostic],
    expansion: &[Diagnostic],
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = fast.iter().chain(packages).cloned().collect();
    out.extend(new_findings(doc, fast, expansion).cloned());
    sort(&mut out);
    out
}

/// The expansion findings [`merge`] keeps.
fn new_findings<'a>(
    doc: &Document,
    fast: &'a [Diagnostic],
    expanded: &'a [Diagnostic],
) -> impl Iterator<Item = &'a Diagnostic> {
    let base_values: Vec<TextRange> = ["base", "build-base"]
        .iter()
        .filter_map(|k| top_value_range(doc, k))
        .collect();
    let base_is_wrong = fast.iter().any(|f| {
        f.severity == Severity::Error && base_values.iter().any(|r| r.contains_range(f.range))
    });
    // Sets, not a scan of the fast findings per expansion finding: both can be many.
    let same_place: HashSet<(TextRange, Code)> = fast.iter().map(|f| (f.range, f.code)).collect();
    let errors_at: HashSet<TextRange> = fast
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.range)
        .collect();
    expanded.iter().filter(move |d| {
        let repeated = same_place.contains(&(d.range, d.code)) || errors_at.contains(&d.range);
        let about_base = matches!(d.code, Code::ExtensionBase | Code::ExtensionExperimental);
        !(repeated || (about_base && base_is_wrong))
    })
}

/// The order findings are shown in: by position, errors before warnings at one place.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.range.start(), d.range.end(), d.severity));
}

/// Everything found in one document.
#[derive(Debug, Clone)]
pub struct Findings {
    /// The parsed document and the fast stage's findings.
    pub analysis: Analysis,
    /// The merged findings of every stage, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every stage on a text.
#[must_use]
pub fn run(text: &str, inputs: &Inputs<'_>) -> Findings {
    let analysis = fast(text);
    let packages = package_names(&analysis.doc, inputs.packages);
    let expansion = expansion(
        &analysis,
        inputs.fs,
        inputs.experimental,
        inputs.extensions_dir,
    );
    let diagnostics = merge(
        &analysis.doc,
        &analysis.diagnostics,
        &packages,
        expansion.as_ref().map_or(&[][..], |e| &e.diagnostics),
    );
    Findings {
        analysis,
        diagnostics,
    }
}

/// Runs every stage on a file's bytes. Bytes that are not UTF-8 give one `not-utf8` finding at
/// the first bad byte (rockcraft cannot read the file at all), on the text with the bad bytes
/// replaced.
#[must_use]
pub fn run_bytes(bytes: Vec<u8>, inputs: &Inputs<'_>) -> Findings {
    match String::from_utf8(bytes) {
        Ok(text) => run(&text, inputs),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let byte = e.as_bytes()[at];
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let analysis = Analysis {
                doc: std::sync::Arc::new(Document::parse(&text)),
                diagnostics: Vec::new(),
                memo: crate::core::schema::validate::Memo::default(),
                rules: crate::core::rules::Memo::default(),
            };
            let diagnostics = vec![not_utf8(&analysis.doc, at, byte)];
            Findings {
                analysis,
                diagnostics,
            }
        }
    }
}

/// The one finding of a file that is not UTF-8.
fn not_utf8(doc: &Document, at: usize, byte: u8) -> Diagnostic {
    let start = u32::try_from(at).unwrap_or(u32::MAX);
    // The replacement character that stands for the bad byte in the shown text.
    let end = start.saturating_add(u32::try_from('\u{fffd}'.len_utf8()).unwrap_or(0));
    let range = TextRange::new(
        start.into(),
        end.min(u32::try_from(doc.text.len()).unwrap_or(u32::MAX))
            .into(),
    );
    Diagnostic::new(
        range,
        Code::NotUtf8,
        format!(
            "the file is not UTF-8 text: byte 0x{byte:02x} here is not valid UTF-8, and rockcraft reads rockcraft.yaml as UTF-8. Save the file as UTF-8 (an editor's \"reopen/save with encoding\"), or remove the stray byte"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extensions::{DEFAULT_EXTENSIONS_DIR, MemoryFs};
    use crate::core::packages::StaticIndexes;

    fn codes(text: &str, fs: &MemoryFs) -> Vec<&'static str> {
        let inputs = Inputs {
            fs,
            packages: &StaticIndexes::default(),
            experimental: false,
            extensions_dir: DEFAULT_EXTENSIONS_DIR,
        };
        run(text, &inputs)
            .diagnostics
            .iter()
            .map(|d| d.code.name())
            .collect()
    }

    const FLASK: &str = "name: my-app\nbase: ubuntu@24.04\nversion: '0.1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\nextensions: [flask-framework]\n";

    #[test]
    fn a_duplicate_key_does_not_hide_the_expansion() {
        // No app.py: the expansion's finding must stay beside the duplicate key.
        let fs = MemoryFs::new().file("requirements.txt", "Flask\n");
        let text = format!("{FLASK}summary: again\n");
        assert_eq!(codes(&text, &fs), ["extension-error", "duplicate-key"]);
        // And the lint for a framework part without its extension.
        let text = "name: my-app\nname: again\nbase: ubuntu@24.04\nversion: '0.1'\nsummary: s\ndescription: d\nplatforms:\n  amd64:\nparts:\n  flask-framework/install-app:\n    plugin: nil\n";
        assert_eq!(
            codes(text, &fs),
            ["duplicate-key", "framework-part-without-extension"]
        );
    }

    #[test]
    fn yaml_that_does_not_parse_is_not_expanded() {
        let fs = MemoryFs::new();
        let a = fast(&format!("{FLASK}x: [\n"));
        assert!(expansion(&a, &fs, false, DEFAULT_EXTENSIONS_DIR).is_none());
        let a = fast("- a list\n");
        assert!(expansion(&a, &fs, false, DEFAULT_EXTENSIONS_DIR).is_none());
        let a = fast(FLASK);
        assert!(expansion(&a, &fs, false, DEFAULT_EXTENSIONS_DIR).is_some());
    }

    #[test]
    fn bytes_that_are_not_utf8_are_one_finding() {
        let fs = MemoryFs::new();
        let inputs = Inputs {
            fs: &fs,
            packages: &StaticIndexes::default(),
            experimental: false,
            extensions_dir: DEFAULT_EXTENSIONS_DIR,
        };
        let f = run_bytes(b"name: caf\xe9\n".to_vec(), &inputs);
        let [d] = f.diagnostics.as_slice() else {
            panic!("{:?}", f.diagnostics)
        };
        assert_eq!(d.code, Code::NotUtf8);
        assert_eq!(u32::from(d.range.start()), 9);
    }
}

#[cfg(test)]
mod cancel_tests {
    use std::fmt::Write as _;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use super::*;
    use crate::core::extensions::{DEFAULT_EXTENSIONS_DIR, DirEntry, Listing, MemoryFs};

    /// A project directory that counts what is asked of it.
    struct Counting {
        inner: MemoryFs,
        calls: AtomicUsize,
    }

    impl ProjectFs for Counting {
        fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            self.inner.read(rel)
        }
        fn stat(&self, rel: &str) -> Option<DirEntry> {
            self.calls.fetch_add(1, Ordering::Relaxed);
            self.inner.stat(rel)
        }
        fn listing(&self, rel: &str, prefix: &str) -> Listing {
            self.calls.fetch_add(1, Ordering::Relaxed);
            self.inner.listing(rel, prefix)
        }
        fn root_display(&self) -> String {
            self.inner.root_display()
        }
    }

    fn flask() -> Counting {
        Counting {
            inner: MemoryFs::new()
                .file("requirements.txt", "flask\n")
                .file("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
            calls: AtomicUsize::new(0),
        }
    }

    /// A flask project with `n` unknown top-level keys.
    /// A flask project with `n` unknown keys, as the expansion gets it (its fast findings are
    /// not needed here).
    fn project(n: usize) -> Analysis {
        let mut text = String::from(
            "name: flask-app\nbase: ubuntu@24.04\nversion: '0.1'\nsummary: s\ndescription: d\n\
             platforms:\n  amd64:\nextensions: [flask-framework]\n",
        );
        for i in 0..n {
            let _ = writeln!(text, "unknown{i}: 1");
        }
        Analysis {
            doc: std::sync::Arc::new(Document::parse(&text)),
            diagnostics: Vec::new(),
            memo: crate::core::schema::validate::Memo::default(),
            rules: crate::core::rules::Memo::default(),
        }
    }

    #[test]
    fn a_cancelled_expansion_reads_nothing() {
        let fs = flask();
        let flag = AtomicBool::new(true);
        let doc = project(3);
        let r = expansion_with(&doc, &fs, false, DEFAULT_EXTENSIONS_DIR, Cancel::new(&flag));
        assert!(r.is_none());
        assert_eq!(fs.calls.load(Ordering::Relaxed), 0);
        // Not cancelled: the same expansion reads the project.
        flag.store(false, Ordering::Relaxed);
        let r = expansion_with(&doc, &fs, false, DEFAULT_EXTENSIONS_DIR, Cancel::new(&flag));
        assert!(r.is_some());
        assert!(fs.calls.load(Ordering::Relaxed) > 0);
    }

    /// 80,000 unknown keys next to an extension: the expansion polls the flag per entry and
    /// stops within a few polls of it being set, instead of checking every key.
    #[test]
    fn an_expansion_over_80000_keys_stops_soon_after_cancellation() {
        let doc = project(80_000);
        let fs = flask();
        let polls = AtomicUsize::new(0);
        let limit = 1_000;
        let r = expansion_with(
            &doc,
            &fs,
            false,
            DEFAULT_EXTENSIONS_DIR,
            Cancel::after_polls(&polls, limit),
        );
        assert!(r.is_none(), "cancelled work must give no result");
        let polled = polls.load(Ordering::Relaxed);
        // Reaching the limit means the per-entry loops poll (the steps alone poll a few dozen
        // times); stopping right after it means they stop.
        assert!(polled > limit && polled < limit + 50, "{polled} polls");
    }
}
