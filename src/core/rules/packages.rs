//! Part packages: a part's `stage-packages` must be all Debian packages or all chisel slices
//! (`pkg_slice`), and parts of a `bare` rock cannot use overlays (there is no system below).

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::facts::is_slice_name;
use crate::core::yaml::Entry;

use super::{PartContext, string_value};

const OVERLAY_KEYS: &[&str] = &[
    "overlay",
    "overlay-packages",
    "overlay-script",
    "override-overlay",
];

pub(super) fn check_part(
    doc: &Document,
    ctx: &PartContext,
    part: Entry,
    out: &mut Vec<Diagnostic>,
) {
    let name = doc.tree.text(part.key).unwrap_or_default();
    if let Some(list) = doc.tree.entry(part.value, "stage-packages") {
        mixed(doc, name, list, out);
    }
    if ctx.bare {
        for e in doc.tree.entries(part.value) {
            let Some(key) = doc.tree.text(e.key) else {
                continue;
            };
            if entry_uses_overlay(doc, key, *e) {
                out.push(Diagnostic::new(
                    doc.key_range(*e),
                    Code::OverlayOnBare,
                    format!(
                        "part `{name}` uses `{key}`, but the base is `bare`: there is no base system to overlay. Remove `{key}`, or use an Ubuntu base such as `base: ubuntu@24.04`"
                    ),
                ));
            }
        }
    }
}

/// Whether a part's entry `e`, under `key`, declares anything for the overlay step.
pub(crate) fn entry_uses_overlay(doc: &Document, key: &str, e: Entry) -> bool {
    OVERLAY_KEYS.contains(&key) && uses_overlay(doc, key, e)
}

/// Whether an overlay key declares overlay content, as craft-parts decides it.
fn uses_overlay(doc: &Document, key: &str, e: Entry) -> bool {
    let tree = &doc.tree;
    match key {
        // `overlay: ["*"]` is the default (everything) and declares nothing.
        "overlay" => !matches!(tree.items(e.value), [one] if tree.text(*one) == Some("*")),
        "overlay-packages" => !tree.items(e.value).is_empty(),
        _ => !tree.is_null(e.value),
    }
}

/// Debs and slices in one list.
fn mixed(doc: &Document, part: &str, list: Entry, out: &mut Vec<Diagnostic>) {
    let items: Vec<(crate::core::yaml::NodeId, &str)> = doc
        .tree
        .items(list.value)
        .iter()
        .filter_map(|&i| string_value(doc, i).map(|t| (i, t)))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let slices: Vec<_> = items.iter().filter(|(_, t)| is_slice_name(t)).collect();
    let debs: Vec<_> = items.iter().filter(|(_, t)| !is_slice_name(t)).collect();
    let (Some(&&(first_slice, slice)), Some(&&(first_deb, deb))) = (slices.first(), debs.first())
    else {
        return;
    };
    // Point at the first entry of the smaller group: the likely odd one out.
    let (at, odd, other) = if debs.len() < slices.len() {
        (first_deb, deb, first_slice)
    } else {
        (first_slice, slice, first_deb)
    };
    out.push(
        Diagnostic::new(
            doc.range(at),
            Code::MixedStagePackages,
            format!(
                "`stage-packages` of part `{part}` mixes chisel slices (names with `_`, such as `{slice}`) and whole Debian packages (such as `{deb}`), which rockcraft refuses: use only slices (`{deb}_<slice>`) or only packages, or move `{odd}` to a separate part"
            ),
        )
        .with_related(doc.range(other), "an entry of the other kind"),
    );
}

#[cfg(test)]
mod tests {
    use crate::core::rules::test_support::{check_diagnostics, rock};

    #[test]
    fn slices_and_debs_do_not_mix() {
        check_diagnostics(&rock(
            r"
            parts:
              my-part:
                plugin: nil
              debs:
                plugin: nil
                stage-packages: [libpq5_libs, libssl3_libs, curl]
                                                          # ^^^^ error[mixed-stage-packages]: `stage-packages` of part `debs` mixes chisel slices (names with `_`, such as `libpq5_libs`) and whole Debian packages (such as `curl`), which rockcraft refuses: use only slices (`curl_<slice>`) or only packages, or move `curl` to a separate part
            ",
        ));
    }

    #[test]
    fn no_overlay_on_bare() {
        check_diagnostics(&rock(
            r"
            base: bare
            build-base: ubuntu@24.04
            parts:
              my-part:
                plugin: nil
                overlay-packages: [curl]
              # ^^^^^^^^^^^^^^^^ error[overlay-on-bare]: part `my-part` uses `overlay-packages`, but the base is `bare`: there is no base system to overlay. Remove `overlay-packages`, or use an Ubuntu base such as `base: ubuntu@24.04`
                override-overlay: echo hi
              # ^^^^^^^^^^^^^^^^ error[overlay-on-bare]: part `my-part` uses `override-overlay`, but the base is `bare`: there is no base system to overlay. Remove `override-overlay`, or use an Ubuntu base such as `base: ubuntu@24.04`
                overlay: [usr/bin]
              # ^^^^^^^ error[overlay-on-bare]: part `my-part` uses `overlay`, but the base is `bare`: there is no base system to overlay. Remove `overlay`, or use an Ubuntu base such as `base: ubuntu@24.04`
            ",
        ));
    }

    /// Overlay defaults and empty values, separate parts, an Ubuntu base.
    #[test]
    fn clean_packages() {
        check_diagnostics(&rock(
            r"
            base: bare
            build-base: ubuntu@24.04
            parts:
              my-part:
                plugin: nil
                overlay: ['*']
                overlay-packages: []
                stage-packages: [base-files_base]
            ",
        ));
        check_diagnostics(&rock(
            r"
            parts:
              my-part:
                plugin: nil
                overlay-script: echo hi
                stage-packages: [curl, git]
              slices:
                plugin: nil
                stage-packages: [libc6_libs]
            ",
        ));
    }
}
