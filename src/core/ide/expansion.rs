//! Runs the native extension expansion on a document and maps every failure to a source range.

use serde_json::Value;

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::document::Document;
use crate::core::extensions::apply::apply_with_notes;
use crate::core::extensions::registry;
use crate::core::extensions::{Anchor, Cause, Context, ErrorKind, ExpandError, ProjectFs, model};
use crate::core::facts::PREFIX_RULES;
use crate::core::ide::lints;
use crate::core::text::TextRange;
use crate::core::yaml::PathSeg;

/// What expanding a document produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExpansionResult {
    /// The expanded, model-normalised project (`None` when expansion failed or was not run).
    pub expanded: Option<serde_json::Value>,
    /// rockcraft's stdout text for `expand-extensions` (warnings, then the YAML).
    pub yaml: Option<String>,
    /// Problems, with ranges in the SOURCE document.
    pub diagnostics: Vec<Diagnostic>,
    /// Progress lines rockcraft prints on stderr (e.g. the experimental notice).
    pub notes: Vec<String>,
}

/// Expands the document's extensions and runs the extension lints. Without `extensions:`
/// nothing is expanded; only the lint about framework part names used without their
/// extension can fire.
#[must_use]
pub fn expand_document(
    doc: &Document,
    fs: &dyn ProjectFs,
    experimental: bool,
    extensions_dir: &str,
) -> ExpansionResult {
    let mut result = ExpansionResult::default();
    if doc.has_fatal_yaml_errors() || doc.root_map().is_none() {
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
    match apply_with_notes(&doc.json, &ctx, &mut result.notes) {
        Err(err) => {
            if let Some(d) = map_error(doc, &err, false) {
                result.diagnostics.push(d);
            }
        }
        Ok(data) => {
            let outcome = model::build(&data);
            match outcome.result {
                Ok(v) => {
                    result.yaml = Some(
                        model::ModelOutcome {
                            warnings: outcome.warnings,
                            result: Ok(v.clone()),
                        }
                        .stdout(),
                    );
                    result.expanded = Some(v);
                }
                Err(err) => {
                    if let Some(d) = map_error(doc, &err, true) {
                        result.diagnostics.push(d);
                    }
                }
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
    result
        .diagnostics
        .sort_by_key(|d| (d.range.start(), d.range.end(), d.severity));
    result
}

/// Expands only the raw data (no model validation): the merged project as the extensions
/// produce it. Used by lints that compare the user's keys with the generated ones.
pub(crate) fn expand_raw(data: &Value, ctx: &Context<'_>) -> Option<Value> {
    let mut notes = Vec::new();
    apply_with_notes(data, ctx, &mut notes).ok()
}

/// The range to show for an anchor path: the deepest node of the path that exists in the
/// source (a key's range when the path ends at a mapping entry), and whether the whole path
/// exists.
#[must_use]
pub fn path_range(doc: &Document, path: &[PathSeg]) -> Option<(TextRange, bool)> {
    for len in (1..=path.len()).rev() {
        let prefix = &path[..len];
        let range = match prefix.last() {
            Some(PathSeg::Key(_)) => doc.tree.entry_at_path(prefix).map(|e| doc.key_range(e)),
            Some(PathSeg::Index(_)) => doc.tree.at_path(prefix).map(|n| doc.range(n)),
            None => None,
        };
        if let Some(r) = range {
            return Some((r, len == path.len()));
        }
    }
    None
}

/// The item of `extensions:` naming `name`, else the `extensions` key.
#[must_use]
pub fn extension_item_range(doc: &Document, name: &str) -> TextRange {
    doc.extension_items()
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(id, _)| doc.range(*id))
        .or_else(|| doc.top_entry("extensions").map(|e| doc.key_range(e)))
        .unwrap_or_else(|| doc.top_range())
}

/// The expansion diagnostics that add to the fast analysis's `fast` ones, as the editor and
/// `check` show them: one is left out when the fast analysis already reports the same code at
/// the same place, or an error there (a base that is not a base at all needs no second
/// message), or, for the expansion's base errors, an error on the `base` or `build-base` value
/// itself (that one has to be fixed first, and the expansion's text would only confuse).
pub fn new_findings<'a>(
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
    expanded.iter().filter(move |d| {
        let repeated = fast
            .iter()
            .any(|f| f.range == d.range && (f.code == d.code || f.severity == Severity::Error));
        let about_base = matches!(d.code, "extension-base" | "extension-experimental");
        !(repeated || (about_base && base_is_wrong))
    })
}

fn top_value_range(doc: &Document, key: &str) -> Option<TextRange> {
    doc.top_entry(key).map(|e| doc.value_range(e))
}

/// The extension a message is about: the first declared extension named in it, else the first
/// declared one.
fn extension_in_message(doc: &Document, message: &str) -> Option<String> {
    let items = doc.extension_items();
    items
        .iter()
        .find(|(_, n)| message.contains(*n))
        .or_else(|| items.first())
        .map(|(_, n)| (*n).to_owned())
}

fn with_resolution(err: &ExpandError, what: String) -> String {
    let mut m = what;
    if let Some(r) = &err.resolution {
        m.truncate(m.trim_end_matches('.').len());
        // Several problems, one a line: the fix gets a line of its own.
        m.push_str(if m.contains('\n') { ".\n" } else { ". " });
        m.push_str(r.trim_end_matches('.'));
    }
    if let Some(url) = err.doc_url() {
        m.push_str(&format!(" (see {url})"));
    }
    m
}

/// Maps an expansion error to a diagnostic on the source. `None` for problems the regular
/// analysis already reports (an unknown extension name).
fn map_error(doc: &Document, err: &ExpandError, from_model: bool) -> Option<Diagnostic> {
    match &err.anchor {
        Anchor::Extension(name) => {
            // `unknown-extension` from the rules already covers unknown names.
            registry::find(name)?;
            if let Some(cause) = err.cause {
                // Shown on the key the error blames, in the words the CLI prints.
                let code = match cause {
                    Cause::Experimental { .. } => "extension-experimental",
                    Cause::UnsupportedBase { .. } => "extension-base",
                };
                let range = top_value_range(doc, cause.key().as_str())
                    .unwrap_or_else(|| extension_item_range(doc, name));
                return Some(
                    Diagnostic::error(range, code, with_resolution(err, err.message.clone()))
                        .with_related(extension_item_range(doc, name), "extension declared here"),
                );
            }
            let range = extension_item_range(doc, name);
            Some(severity_diag(
                err,
                range,
                "extension-error",
                with_resolution(
                    err,
                    if err.message.contains(name.as_str()) {
                        err.message.clone()
                    } else {
                        format!("`{name}`: {}", err.message)
                    },
                ),
            ))
        }
        Anchor::File(rel) => {
            let ext = extension_in_message(doc, &err.message);
            let range = ext
                .as_deref()
                .map_or_else(|| doc.top_range(), |n| extension_item_range(doc, n));
            let msg = if err.message.contains(&format!("`{rel}`")) {
                err.message.clone()
            } else {
                format!("`{rel}`: {}", err.message)
            };
            Some(severity_diag(
                err,
                range,
                "extension-error",
                with_resolution(err, msg),
            ))
        }
        Anchor::Document => {
            let range = doc.top_range();
            let code = if from_model {
                "extension-model"
            } else {
                "extension-error"
            };
            Some(severity_diag(
                err,
                range,
                code,
                with_resolution(err, err.text()),
            ))
        }
        // The `prime-prefix` rule reports this at the same place with its fixes, and the merged
        // views keep that one (`new_findings`); this copy says why the expansion failed
        // (hover, the expanded-project view).
        Anchor::Path(path) if is_prefix_violation(doc, err, path) => {
            let (range, _) = path_range(doc, path)?;
            Some(Diagnostic::error(
                range,
                "prime-prefix",
                with_resolution(err, err.message.clone()),
            ))
        }
        Anchor::Path(path) => Some(map_path_error(doc, err, path, from_model)),
    }
}

fn severity_diag(
    err: &ExpandError,
    range: TextRange,
    code: &'static str,
    msg: String,
) -> Diagnostic {
    let _ = err.kind == ErrorKind::Project;
    Diagnostic::new(range, Severity::Error, code, msg)
}

/// Whether the error is an entry of an extension part's `prime`/`stage` list without the
/// required prefix, which the `prime-prefix` rule also reports at the same place, with its
/// fixes, even when the expansion stops earlier.
fn is_prefix_violation(doc: &Document, err: &ExpandError, path: &[PathSeg]) -> bool {
    let [
        PathSeg::Key(p),
        PathSeg::Key(part),
        PathSeg::Key(list),
        PathSeg::Index(_),
    ] = path
    else {
        return false;
    };
    p == "parts"
        && err.kind == ErrorKind::Project
        && PREFIX_RULES.iter().any(|r| r.part == part && r.key == list)
        && doc.tree.at_path(path).is_some()
}

fn map_path_error(
    doc: &Document,
    err: &ExpandError,
    path: &[PathSeg],
    from_model: bool,
) -> Diagnostic {
    let (range, exact) = path_range(doc, path).unwrap_or((doc.top_range(), false));
    let shown = Document::dotted(path);
    let code = if from_model {
        "extension-model"
    } else {
        "extension-error"
    };
    let msg = if from_model {
        // Every problem the checks found; the one at this range without repeating its path.
        let detail = err
            .details
            .iter()
            .map(|d| match &d.path {
                Some(p) if p.as_slice() != path => {
                    format!("`{}`: {}", Document::dotted(p), d.message)
                }
                _ => d.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        format!("after the extensions are merged, rockcraft rejects `{shown}`: {detail}")
    } else if exact {
        err.text()
    } else {
        format!("`{shown}` (generated by the extension): {}", err.text())
    };
    Diagnostic::error(range, code, with_resolution(err, msg))
}
