//! The result of expanding a document for the editor, and where in the source each expansion
//! failure is shown.

use std::fmt::Write as _;

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::extensions::model::stdout_of;
use crate::core::extensions::registry;
use crate::core::extensions::{Anchor, Cause, ErrorKind, ExpandError};
use crate::core::facts::{EXPERIMENTAL_SETTING, PREFIX_RULES};
use crate::core::text::TextRange;
use crate::core::yaml::PathSeg;

/// What expanding a document produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExpansionResult {
    /// The expanded, model-normalised project (`None` when expansion failed or was not run).
    pub expanded: Option<serde_json::Value>,
    /// The lines rockcraft prints on stdout before the expanded project's YAML (see
    /// [`ExpansionResult::yaml`]).
    pub warnings: Vec<String>,
    /// Problems, with ranges in the SOURCE document.
    pub diagnostics: Vec<Diagnostic>,
    /// The `prime` list each framework install-app part with one would get without the user's
    /// own, computed from the project as it was expanded (see [`super::default_prime`]).
    pub default_prime: Vec<(String, Vec<String>)>,
}

impl ExpansionResult {
    /// rockcraft's stdout text for `expand-extensions` (warnings, then the YAML), written when
    /// asked for: the result is kept per document, the text only shown on request. `None`
    /// when the project did not expand.
    #[must_use]
    pub fn yaml(&self) -> Option<String> {
        let project = self.expanded.as_ref()?;
        Some(stdout_of(&self.warnings, Some(project)))
    }
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

pub(crate) fn top_value_range(doc: &Document, key: &str) -> Option<TextRange> {
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
        let _ = write!(m, " (see {url})");
    }
    m
}

/// Maps an expansion error to a diagnostic on the source. `None` for problems the regular
/// analysis already reports (an unknown extension name).
#[must_use]
pub fn map_error(doc: &Document, err: &ExpandError, from_model: bool) -> Option<Diagnostic> {
    match &err.anchor {
        Anchor::Extension(name) => {
            // `unknown-extension` from the rules already covers unknown names.
            registry::find(name)?;
            if let Some(cause) = err.cause {
                let item = extension_item_range(doc, name);
                let base = top_value_range(doc, cause.key().as_str());
                return Some(match cause {
                    // About the extension: on its item, with the base it was tried on, and
                    // how to opt in from the editor as well as from a shell.
                    Cause::Experimental { .. } => {
                        let mut opt_in = err.clone();
                        let shell = opt_in.resolution.take().unwrap_or_default();
                        opt_in.resolution = Some(format!(
                            "{} In the editor, turn on the `{EXPERIMENTAL_SETTING}` setting (`rockcraft.{EXPERIMENTAL_SETTING}` in VS Code).",
                            shell.trim_end()
                        ));
                        let message = with_resolution(&opt_in, err.message.clone());
                        let d = Diagnostic::new(item, Code::ExtensionExperimental, message);
                        match base {
                            Some(r) => d.with_related(r, "the base it is experimental on"),
                            None => d,
                        }
                    }
                    // About the base: on the key the error blames, in the CLI's words.
                    Cause::UnsupportedBase { .. } => Diagnostic::new(
                        base.unwrap_or(item),
                        Code::ExtensionBase,
                        with_resolution(err, err.message.clone()),
                    )
                    .with_related(item, "extension declared here"),
                });
            }
            let range = extension_item_range(doc, name);
            Some(Diagnostic::new(
                range,
                Code::ExtensionError,
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
            Some(Diagnostic::new(
                range,
                Code::ExtensionError,
                with_resolution(err, msg),
            ))
        }
        Anchor::Document => {
            let range = doc.top_range();
            let code = if from_model {
                Code::ExtensionModel
            } else {
                Code::ExtensionError
            };
            Some(Diagnostic::new(
                range,
                code,
                with_resolution(err, err.text()),
            ))
        }
        // The `prime-prefix` rule reports this at the same place with its fixes, and the merged
        // views keep that one (`pipeline::merge`); this copy says why the expansion failed
        // (hover, the expanded-project view).
        Anchor::Path(path) if is_prefix_violation(doc, err, path) => {
            let (range, _) = path_range(doc, path)?;
            Some(Diagnostic::new(
                range,
                Code::PrimePrefix,
                with_resolution(err, err.message.clone()),
            ))
        }
        // rockcraft's start-up check of the build base: on the value it blames.
        Anchor::Path(path) if err.cause.is_some() => {
            let key = err.cause.map(Cause::key)?;
            let range = top_value_range(doc, key.as_str())
                .or_else(|| path_range(doc, path).map(|(r, _)| r))?;
            Some(Diagnostic::new(
                range,
                Code::ExtensionBase,
                with_resolution(err, err.text()),
            ))
        }
        Anchor::Path(path) => Some(map_path_error(doc, err, path, from_model)),
    }
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
    let shown = crate::core::yaml::dotted(path);
    let code = if from_model {
        Code::ExtensionModel
    } else {
        Code::ExtensionError
    };
    let msg = if from_model {
        // Every problem the checks found; the one at this range without repeating its path.
        let detail = err
            .details
            .iter()
            .map(|d| match &d.path {
                Some(p) if p.as_slice() != path => {
                    format!("`{}`: {}", crate::core::yaml::dotted(p), d.message)
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
    Diagnostic::new(range, code, with_resolution(err, msg))
}
