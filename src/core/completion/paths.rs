//! Paths for a framework's `install-app` `prime`/`stage` lists: the project's files and
//! directories under the framework's prefix (`flask/app/`), one path segment at a time, with
//! `-` exclusion forms when the typed entry starts with `-`.

use crate::core::extensions::ProjectFs;

use super::{ItemKind, Out};

/// Entries never offered.
fn skipped(name: &str) -> bool {
    matches!(name, "node_modules" | ".git" | ".yarn") || name.ends_with(".rock")
}

pub(super) fn complete(out: &mut Out<'_>, fs: &dyn ProjectFs, prefix: &str) {
    let word = out.ctx.word.clone();
    let (neg, typed) = match word.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", word.as_str()),
    };
    // Still typing the prefix itself: offer the root entries.
    let rel = if let Some(rel) = typed.strip_prefix(prefix) {
        rel
    } else if prefix.starts_with(typed) {
        ""
    } else {
        return;
    };
    let dir = match rel.rfind('/') {
        Some(i) => &rel[..i],
        None => "",
    };
    for e in fs.list(dir) {
        if skipped(&e.name) || !(e.is_dir || e.is_file) {
            continue;
        }
        let sub = if dir.is_empty() {
            e.name.clone()
        } else {
            format!("{dir}/{}", e.name)
        };
        let label = format!("{neg}{prefix}{sub}{}", if e.is_dir { "/" } else { "" });
        if out.has_sibling(&label) || out.has_sibling(label.trim_end_matches('/')) {
            continue;
        }
        let (kind, detail) = if e.is_dir {
            (ItemKind::Folder, "directory")
        } else {
            (ItemKind::File, "file")
        };
        let detail = if neg.is_empty() {
            format!("project {detail} `{sub}`")
        } else {
            format!("exclude project {detail} `{sub}`")
        };
        out.value(&label, kind, Some(detail), None);
    }
}
