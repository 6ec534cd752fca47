//! A document's diagnostics as published: its fast findings, its package-name findings and its
//! latest expansion's findings (moved onto the current text), merged by the one rule
//! (`core::pipeline::merge`) and converted to LSP.

use std::sync::Arc;

use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::core::analysis::Analysis;
use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::pipeline;
use crate::core::text::{Encoding, TextRange, TextSize};

use super::convert::{self, LineMap};
use super::guard::guarded;
use super::packages::Loaded;
use super::session::{DocSnapshot, Outcome, Snapshot};

/// The diagnostics to publish for a document (blocking: a "did you mean" scans a large
/// package list), or `None` when nothing must be published (ignored document, failed or not
/// yet finished analysis).
#[must_use]
pub fn build(
    uri: &Uri,
    doc: &DocSnapshot,
    packages: &Loaded,
    enc: Encoding,
) -> Option<Vec<lsp::Diagnostic>> {
    let state = &doc.snapshot;
    let map = LineMap::new(&state.text, &state.lines, enc);
    let one = |d: &Diagnostic| convert::diagnostic(&map, uri, state.version, d);
    match state.outcome()? {
        Outcome::Ignored | Outcome::Failed => None,
        Outcome::TooLarge => Some(vec![one(&too_large(state))]),
        Outcome::Analysed(a) => {
            let names = package_diagnostics(state, packages);
            guarded("converting diagnostics", || {
                capped(published(doc, a, &names)).iter().map(one).collect()
            })
        }
    }
}

/// An analysed document's findings as published: its fast findings, those of its package
/// names and its carried expansion findings, merged by the one rule.
#[must_use]
pub fn published(doc: &DocSnapshot, analysis: &Analysis, names: &[Diagnostic]) -> Vec<Diagnostic> {
    pipeline::merge(
        &analysis.doc,
        &analysis.diagnostics,
        names,
        doc.carried_expansion(),
    )
}

/// The most diagnostics published for one document. A few thousand markers slow editors down
/// (a 30 KB file repeating one key makes ten thousand) and nobody reads past the first
/// screenfuls; the rest are counted in one more diagnostic, and `rockcraft-lsp check` lists
/// them all.
pub const MAX_PUBLISHED: usize = 1_000;

/// At most [`MAX_PUBLISHED`] of `all` (the most severe first, then in document order) plus one
/// saying how many are left out, placed where the first of those is.
#[must_use]
pub fn capped(mut all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if all.len() <= MAX_PUBLISHED {
        return all;
    }
    let more = all.len() - MAX_PUBLISHED;
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| all[i].severity);
    let mut kept = vec![false; all.len()];
    for &i in &order[..MAX_PUBLISHED] {
        kept[i] = true;
    }
    let first_left_out = kept.iter().position(|k| !k).unwrap_or(0);
    let at = all[first_left_out].range;
    let mut i = 0;
    all.retain(|_| {
        i += 1;
        kept[i - 1]
    });
    all.push(Diagnostic::new(
        TextRange::empty(at.start()),
        Code::TooManyDiagnostics,
        format!(
            "{more} more diagnostics in this file are not shown (the editor shows {MAX_PUBLISHED}); \
             `rockcraft-lsp check` lists them all"
        ),
    ));
    all
}

fn too_large(state: &Snapshot) -> Diagnostic {
    let end = state
        .lines
        .line_range(&state.text, 0)
        .map_or(0, |(_, end)| end);
    Diagnostic::new(
        TextRange::new(TextSize::from(0), TextSize::from(end)),
        Code::FileTooLarge,
        format!(
            "this file is too large to analyse ({} bytes; the limit is {} MiB)",
            state.text.len(),
            pipeline::MAX_TEXT_BYTES / (1024 * 1024)
        ),
    )
}

/// The findings of a document's package names against the loaded indexes (`unknown-slice`,
/// `unknown-package`); empty when the document is not analysed. Computed once per document
/// version and state of the indexes (publishes and code actions of a version share them).
/// Blocking.
#[must_use]
pub fn package_diagnostics(state: &Snapshot, packages: &Loaded) -> Arc<[Diagnostic]> {
    state.package_names(packages.revision(), || {
        state
            .analysis()
            .and_then(|a| {
                guarded("checking package names", || {
                    pipeline::package_names(&a.doc, packages)
                })
            })
            .unwrap_or_default()
    })
}

/// [`package_diagnostics`] on a blocking thread.
pub async fn package_diagnostics_blocking(
    state: &Arc<Snapshot>,
    packages: &Arc<Loaded>,
) -> Arc<[Diagnostic]> {
    let (s, p) = (Arc::clone(state), Arc::clone(packages));
    tokio::task::spawn_blocking(move || package_diagnostics(&s, &p))
        .await
        .unwrap_or_else(|_| Arc::from([]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(offset: u32, code: Code) -> Diagnostic {
        Diagnostic::new(TextRange::empty(TextSize::from(offset)), code, "m")
    }

    #[test]
    fn at_most_the_cap_is_published_plus_a_count_of_the_rest() {
        let few: Vec<_> = (0..10).map(|i| at(i, Code::UnknownKey)).collect();
        assert_eq!(capped(few.clone()), few);

        // Warnings first in the file, errors after: the errors are kept.
        let n = u32::try_from(MAX_PUBLISHED).unwrap();
        let mut all: Vec<_> = (0..n).map(|i| at(i, Code::PrimeExcludeOnly)).collect();
        all.extend((n..n + 1_500).map(|i| at(i, Code::UnknownKey)));
        let out = capped(all);
        assert_eq!(out.len(), MAX_PUBLISHED + 1);
        assert!(
            out[..MAX_PUBLISHED]
                .iter()
                .all(|d| d.code == Code::UnknownKey)
        );
        assert!(out[..MAX_PUBLISHED].is_sorted_by_key(|d| d.range.start()));
        let last = &out[MAX_PUBLISHED];
        assert_eq!(last.code, Code::TooManyDiagnostics);
        assert!(
            last.message.starts_with("1500 more diagnostics"),
            "{}",
            last.message
        );
        assert!(
            last.message.contains("rockcraft-lsp check"),
            "{}",
            last.message
        );
        assert_eq!(u32::from(last.range.start()), 0);
    }
}
