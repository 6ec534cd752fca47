//! Paths for `prime`/`stage` lists and `organize` keys: the project's files and directories,
//! one path segment at a time, under a framework's prefix (`flask/app/` in `install-app`) or
//! relative to a `dump` part's source directory, with `-` exclusion forms when the typed entry
//! starts with `-`. Directories are offered without a trailing slash, the spelling of the
//! default lists rockcraft generates and of "Choose which files go into the image".

use crate::core::extensions::ProjectFs;
use crate::core::facts::PROJECT_FILE;

use super::{ItemKind, MAX_PATH_ITEMS, Out};

/// Entries never offered: those the extensions never copy into the rock.
fn skipped(name: &str) -> bool {
    crate::core::extensions::frameworks::common::is_ignored(name)
}

/// Files of a project's root that build the rock or the project rather than run in it: in a
/// `prime`/`stage` list they come after the application's own files and directories.
const BUILD_FILES: &[&str] = &[
    PROJECT_FILE,
    "requirements.txt",
    "pyproject.toml",
    "poetry.lock",
    "uv.lock",
    "go.mod",
    "go.sum",
    "pom.xml",
    "build.gradle",
    "gradlew",
    "mvnw",
    "Dockerfile",
    "Makefile",
    "tox.ini",
    "setup.cfg",
    "setup.py",
    "charmcraft.yaml",
    "README.md",
    "LICENSE",
    "tests",
    "venv",
];

/// Whether a root entry is one of the [`BUILD_FILES`] or hidden (`.github`, `.venv`).
fn builds_the_rock(name: &str) -> bool {
    name.starts_with('.') || BUILD_FILES.contains(&name)
}

/// Whether the paths are offered as list values or as mapping keys (`organize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum As {
    Value,
    Key,
}

/// Offers the entries of `root` (a directory of the project, `""` for its root) written as
/// `prefix` + their path below `root`.
pub(super) fn complete(out: &mut Out<'_>, fs: &dyn ProjectFs, root: &str, prefix: &str, as_: As) {
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
    let listed = match (root, dir) {
        ("", d) | (d, "") => d.to_owned(),
        (r, d) => format!("{r}/{d}"),
    };
    // The name being typed in that directory: what a long listing is narrowed to.
    let partial = rel.rfind('/').map_or(rel, |i| &rel[i + 1..]);
    let mut listing = fs.listing(&listed, "");
    if (listing.truncated || listing.entries.len() > MAX_PATH_ITEMS) && !partial.is_empty() {
        listing = fs.listing(&listed, partial);
    }
    if listing.truncated {
        out.incomplete = true;
    }
    let mut offered = 0usize;
    for e in listing.entries {
        if skipped(&e.name) || !(e.is_dir || e.is_file) {
            continue;
        }
        if offered >= MAX_PATH_ITEMS {
            out.incomplete = true;
            break;
        }
        offered += 1;
        let sub = if dir.is_empty() {
            e.name.clone()
        } else {
            format!("{dir}/{}", e.name)
        };
        // A directory is written without a trailing slash, as rockcraft writes the default
        // lists (`flask/app/static`); typing `/` after it lists what it holds.
        let label = format!("{neg}{prefix}{sub}");
        if out.has_sibling(&label) || out.has_sibling(&format!("{label}/")) {
            continue;
        }
        let (kind, detail) = if e.is_dir {
            (ItemKind::Folder, "directory")
        } else {
            (ItemKind::File, "file")
        };
        let shown = if root.is_empty() {
            sub.clone()
        } else {
            format!("{root}/{sub}")
        };
        let detail = if neg.is_empty() {
            format!("project {detail} `{shown}`")
        } else {
            format!("exclude project {detail} `{shown}`")
        };
        match as_ {
            As::Value => {
                let item = out.value(&label, kind, Some(detail), None);
                if dir.is_empty() && builds_the_rock(&e.name) {
                    item.rank = super::Rank::Unlikely;
                }
            }
            As::Key if neg.is_empty() => {
                out.key(&label, kind, super::Shape::Scalar, Some(detail), None);
            }
            As::Key => {}
        }
    }
}
