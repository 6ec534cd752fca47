//! Runs the native extension expansion on a document and maps every failure to a source range.

use serde_json::Value;

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::document::Document;
use crate::core::extensions::apply::apply_with_notes;
use crate::core::extensions::registry::{self, ExtensionInfo};
use crate::core::extensions::{Anchor, Cause, Context, ErrorKind, ExpandError, ProjectFs, model};
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

/// The extension part a path points into, with the prime/stage list index.
fn prefix_violation(path: &[PathSeg]) -> Option<(&'static ExtensionInfo, &str, &str, usize)> {
    match path {
        [
            PathSeg::Key(p),
            PathSeg::Key(part),
            PathSeg::Key(list),
            PathSeg::Index(i),
        ] if p == "parts" && (list == "prime" || list == "stage") => {
            let info = registry::owner_of_part(part)?;
            Some((info, part.as_str(), list.as_str(), *i))
        }
        _ => None,
    }
}

/// The prefix a list entry of an extension part must start with.
#[must_use]
pub fn required_prefix(info: &ExtensionInfo, part: &str) -> &'static str {
    if part.ends_with("/install-app") {
        info.app_prefix
    } else {
        "app/"
    }
}

const KNOWN_PREFIXES: [&str; 3] = ["flask/app/", "django/app/", "app/"];

fn map_path_error(
    doc: &Document,
    err: &ExpandError,
    path: &[PathSeg],
    from_model: bool,
) -> Diagnostic {
    let (range, exact) = path_range(doc, path).unwrap_or((doc.top_range(), false));
    if let Some((info, part, list, _)) = prefix_violation(path)
        && exact
        && err.kind == ErrorKind::Project
        && let Some(node) = doc.tree.at_path(path)
        && let Some(entry) = doc.tree.text(node)
    {
        let prefix = required_prefix(info, part);
        let msg = format!(
            "`{entry}` does not start with `{prefix}`: {} copies the application to `{prefix}`, so every `{list}` entry of `{part}` must name a path there (rockcraft refuses the project). Write `{prefix}{}`",
            info.name,
            bare_entry(entry)
        );
        let mut d = Diagnostic::error(range, "prime-prefix", msg);
        if let Some(edit) = prefix_edit(doc, node, entry, prefix) {
            d.fixes.push(crate::core::diagnostic::Fix {
                title: format!("Prefix with `{prefix}`"),
                edits: vec![edit],
            });
        }
        return d;
    }
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

/// The entry without its exclusion mark and leading spaces.
fn bare_entry(entry: &str) -> &str {
    entry
        .strip_prefix('-')
        .unwrap_or(entry)
        .trim_start_matches(' ')
}

/// An edit inserting the required prefix into a list entry (replacing another framework's
/// prefix when the entry has one), keeping the scalar's quoting.
fn prefix_edit(
    doc: &Document,
    node: crate::core::yaml::NodeId,
    entry: &str,
    prefix: &str,
) -> Option<crate::core::diagnostic::Edit> {
    let range = doc.range(node);
    let src = doc.text_at(range);
    let quote = usize::from(src.starts_with(['"', '\'']));
    let inner = &src[quote..];
    // The source must spell the entry literally (no escapes), so offsets line up.
    if !inner.starts_with(entry.get(..entry.len().min(1)).unwrap_or("")) {
        return None;
    }
    let lead = entry.len() - bare_entry(entry).len();
    if !inner.get(..lead).is_some_and(|s| entry.starts_with(s)) {
        return None;
    }
    let rest = bare_entry(entry);
    let foreign = KNOWN_PREFIXES
        .iter()
        .find(|p| **p != prefix && rest.starts_with(**p) && !prefix.ends_with(**p))
        .map_or(0, |p| p.len());
    let start = u32::from(range.start()) + u32::try_from(quote + lead).ok()?;
    let end = start + u32::try_from(foreign).ok()?;
    Some(crate::core::diagnostic::Edit {
        range: TextRange::new(start.into(), end.into()),
        text: prefix.to_owned(),
    })
}
