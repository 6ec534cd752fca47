//! List items and values that name a package, a Chisel slice or an architecture: what the name
//! stands for, from the package indexes and the facts.

use std::fmt::Write as _;

use super::{At, Text};
use crate::core::describe;
use crate::core::facts::is_architecture;
use crate::core::packages::{PackageIndexes, StaticIndexes, document_release};
use crate::core::yaml::PathSeg;

/// The hover of a package or slice name, or of an architecture.
pub(super) fn hover(at: &At<'_>, packages: Option<&dyn PackageIndexes>) -> Option<Text> {
    package(at, packages).or_else(|| architecture(at))
}

fn package(at: &At<'_>, packages: Option<&dyn PackageIndexes>) -> Option<Text> {
    let [
        PathSeg::Key(p),
        PathSeg::Key(_),
        PathSeg::Key(list),
        PathSeg::Index(_),
    ] = at.path
    else {
        return None;
    };
    if p != "parts" || at.is_key {
        return None;
    }
    let name = at.text()?;
    let bundled = StaticIndexes::default();
    let packages = packages.unwrap_or(&bundled);
    let release = document_release(at.doc);
    let indexes = packages.for_release(release.as_deref());
    let md = match list.as_str() {
        "stage-packages" => describe::stage_package(&indexes, name),
        "build-packages" | "overlay-packages" => describe::deb(&indexes, name),
        _ => return None,
    };
    Some(Text::plain(md))
}

fn architecture(at: &At<'_>) -> Option<Text> {
    match at.path {
        // A platform named after an architecture.
        [PathSeg::Key(p), PathSeg::Key(name)] if p == "platforms" && at.is_key => {
            let mut md = describe::architecture(name)?;
            let platform = at.doc.tree.at_path(at.path);
            let explicit = platform.is_some_and(|n| {
                at.doc.tree.get(n, "build-on").is_some()
                    || at.doc.tree.get(n, "build-for").is_some()
            });
            if !explicit {
                let _ = write!(
                    md,
                    "\n\nA platform named after an architecture, without `build-on` and `build-for`, builds on `{name}` for `{name}`."
                );
            }
            Some(Text::plain(md))
        }
        // `build-on`/`build-for` values: `[<base>:]<arch>`.
        [PathSeg::Key(p), PathSeg::Key(_), PathSeg::Key(k), ..]
            if p == "platforms" && !at.is_key && (k == "build-on" || k == "build-for") =>
        {
            let value = at.text()?;
            let arch = value.rsplit(':').next().unwrap_or(value);
            if !is_architecture(arch) {
                return None;
            }
            let mut md = describe::architecture(arch)?;
            let what = if k == "build-on" {
                "Built on machines of this architecture."
            } else {
                "The image is built for this architecture."
            };
            md.push_str("\n\n");
            md.push_str(what);
            Some(Text::plain(md))
        }
        _ => None,
    }
}
