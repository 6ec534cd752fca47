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

use crate::core::analysis::{Analysis, analyze};
use crate::core::code::Code;
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::document::Document;
use crate::core::extensions::apply::apply_with_notes;
use crate::core::extensions::model::ModelOutcome;
use crate::core::extensions::{Context, ExpandError, ProjectFs};
use crate::core::ide::expansion::{ExpansionResult, map_error};
use crate::core::ide::lints;
use crate::core::packages::PackageIndexes;
use crate::core::rules::known_packages;
use crate::core::text::TextRange;

/// What the stages after the fast one read besides the text.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The project directory (`None`: the document is not on disk, nothing is expanded).
    pub fs: Option<&'a dyn ProjectFs>,
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

impl Expanded {
    /// The error that stopped the expansion, wherever it came from.
    #[must_use]
    pub fn error(&self) -> Option<&ExpandError> {
        match &self.outcome {
            Err(e) | Ok(ModelOutcome { result: Err(e), .. }) => Some(e),
            Ok(_) => None,
        }
    }
}

/// rockcraft's own steps on a document: start-up checks, the extensions, the project model.
#[must_use]
pub fn expand_project(doc: &Document, ctx: &Context<'_>) -> Expanded {
    let mut notes = Vec::new();
    if let Err(e) = startup::check(doc) {
        return Expanded {
            notes,
            outcome: Err(e),
        };
    }
    let outcome = apply_with_notes(&doc.json, ctx, &mut notes).map(|v| project_model::check(&v));
    Expanded { notes, outcome }
}

/// Stage 3: expands the document's extensions against the project in `fs` and runs the
/// extension lints. Without `extensions:` nothing is expanded; only the lint about framework
/// part names used without their extension can fire. A document rockcraft cannot load (any
/// YAML error, not a mapping) is not expanded: the fast stage reports why.
#[must_use]
pub fn expansion(
    doc: &Document,
    fs: &dyn ProjectFs,
    experimental: bool,
    extensions_dir: &str,
) -> ExpansionResult {
    let mut result = ExpansionResult::default();
    if !doc.yaml_errors.is_empty() || doc.root_map().is_none() {
        return result;
    }
    if !doc.has_extensions() {
        lints::without_extensions(doc, &mut result.diagnostics);
        return result;
    }
    let ctx = Context {
        fs,
        experimental,
        extensions_dir,
    };
    let expanded = expand_project(doc, &ctx);
    result.notes = expanded.notes;
    let from_model = matches!(&expanded.outcome, Ok(m) if m.result.is_err());
    match expanded.outcome {
        Ok(ModelOutcome {
            warnings,
            result: Ok(v),
        }) => {
            result.yaml = Some(
                ModelOutcome {
                    warnings,
                    result: Ok(v.clone()),
                }
                .stdout(),
            );
            result.expanded = Some(v);
        }
        Ok(ModelOutcome { result: Err(e), .. }) | Err(e) => {
            if let Some(d) = map_error(doc, &e, from_model) {
                result.diagnostics.push(d);
            }
        }
    }
    lints::with_extensions(
        doc,
        fs,
        &ctx,
        result.expanded.as_ref(),
        &mut result.diagnostics,
    );
    sort(&mut result.diagnostics);
    result
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
        .filter_map(|k| doc.top_entry(k).map(|e| doc.value_range(e)))
        .collect();
    let base_is_wrong = fast.iter().any(|f| {
        f.severity == Severity::Error && base_values.iter().any(|r| r.contains_range(f.range))
    });
    expanded.iter().filter(move |d| {
        let repeated = fast
            .iter()
            .any(|f| f.range == d.range && (f.code == d.code || f.severity == Severity::Error));
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
    /// The package-name stage's findings.
    pub packages: Vec<Diagnostic>,
    /// The expansion stage's result (`None` when the document is not on disk or not UTF-8).
    pub expansion: Option<ExpansionResult>,
    /// The merged findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs every stage on a text.
#[must_use]
pub fn run(text: &str, inputs: &Inputs<'_>) -> Findings {
    let analysis = fast(text);
    let packages = package_names(&analysis.doc, inputs.packages);
    let expansion = inputs.fs.map(|fs| {
        expansion(
            &analysis.doc,
            fs,
            inputs.experimental,
            inputs.extensions_dir,
        )
    });
    let diagnostics = merge(
        &analysis.doc,
        &analysis.diagnostics,
        &packages,
        expansion.as_ref().map_or(&[][..], |e| &e.diagnostics),
    );
    Findings {
        analysis,
        packages,
        expansion,
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
                doc: Document::parse(&text),
                diagnostics: Vec::new(),
            };
            let diagnostics = vec![not_utf8(&analysis.doc, at, byte)];
            Findings {
                analysis,
                packages: Vec::new(),
                expansion: None,
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
