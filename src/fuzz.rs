//! Entry points for fuzzing: each takes arbitrary bytes and runs one part of the product on
//! them. The cargo-fuzz targets in `fuzz/` and the corpus replay in `tests/it/fuzz_corpus.rs`
//! call these same functions, so what the fuzzer found stays tested. None may panic, hang or
//! grow without bound on any input.

use crate::core::completion::{self, Sources};
use crate::core::document::Document;
use crate::core::extensions::{DEFAULT_EXTENSIONS_DIR, MemoryFs};
use crate::core::ide;
use crate::core::packages::StaticIndexes;
use crate::core::pipeline::{self, Inputs};
use crate::core::text::{TextRange, TextSize};

/// A fuzz target: its name (the directory of its corpus) and its entry point.
pub type Target = (&'static str, fn(&[u8]));

/// Every target.
pub const TARGETS: &[Target] = &[
    ("yaml_tree", yaml_tree),
    ("analysis", analysis),
    ("expansion", expansion),
    ("python", python),
    ("ide", ide),
];

/// The project files an `expansion` input fills, in order, separated by NUL bytes.
pub const PROJECT_FILES: &[&str] = &[
    "rockcraft.yaml",
    "requirements.txt",
    "app.py",
    "pyproject.toml",
    "package.json",
    "go.mod",
    "main.go",
    "pom.xml",
    "build.gradle",
    "my_app/wsgi.py",
    "app/app.py",
    "app/package.json",
];

/// The project a `python` input's `app.py` belongs to.
const FLASK_PROJECT: &str = "name: my-app
base: ubuntu@24.04
version: '0.1'
summary: s
description: d
platforms:
  amd64:
extensions:
  - flask-framework
";

/// The text of a byte string, as the editor would hold it.
fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn run(project: &str, fs: &MemoryFs) {
    let inputs = Inputs {
        fs,
        packages: &StaticIndexes::default(),
        experimental: true,
        extensions_dir: DEFAULT_EXTENSIONS_DIR,
    };
    let _ = pipeline::run(project, &inputs);
}

/// The YAML reader, the tree walks every feature makes, and formatting (of the whole text
/// and of its second half).
pub fn yaml_tree(data: &[u8]) {
    let doc = Document::parse(&text(data));
    let _ = ide::symbols(&doc);
    if let Some(root) = doc.tree.root {
        let _ = doc.tree.path_of(root);
    }
    let options = ide::format::Options::default();
    let _ = ide::format::format_document(&doc, options);
    let mut half = doc.text.len() / 2;
    while !doc.text.is_char_boundary(half) {
        half -= 1;
    }
    let end = TextSize::from(u32::try_from(doc.text.len()).unwrap_or(u32::MAX));
    let half = TextSize::from(u32::try_from(half).unwrap_or(0));
    let _ = ide::format::format_document_range(&doc, TextRange::new(half, end), options);
}

/// The fast stage: YAML, schema and rules; then again after a character is typed in the
/// middle, from the first analysis, which must find what a fresh analysis finds.
pub fn analysis(data: &[u8]) {
    let mut text = text(data);
    let first = pipeline::fast(&text);
    let mut half = text.len() / 2;
    while !text.is_char_boundary(half) {
        half -= 1;
    }
    text.insert(half, 'x');
    let after = pipeline::fast_after(&first, &text, crate::core::cancel::Cancel::NEVER);
    assert_eq!(after.diagnostics, pipeline::fast(&text).diagnostics);
}

/// Every stage, on a project whose files are the NUL-separated pieces of `data`
/// ([`PROJECT_FILES`] in order).
pub fn expansion(data: &[u8]) {
    let mut pieces = data.split(|&b| b == 0);
    let project = text(pieces.next().unwrap_or_default());
    let mut fs = MemoryFs::new();
    for (name, piece) in PROJECT_FILES[1..].iter().zip(pieces) {
        fs = fs.file(name, &text(piece));
    }
    run(&project, &fs);
}

/// The Python reader, through a Flask project whose `app.py` is `data`.
pub fn python(data: &[u8]) {
    let fs = MemoryFs::new()
        .file("requirements.txt", "flask\n")
        .file("app.py", &text(data));
    run(FLASK_PROJECT, &fs);
}

/// Completion, hover and code actions at one offset: the first four bytes choose it, the rest
/// is the document, in a Flask project.
pub fn ide(data: &[u8]) {
    let (seed, rest) = data.split_at(data.len().min(4));
    let mut bytes = [0u8; 4];
    bytes[..seed.len()].copy_from_slice(seed);
    let text = text(rest);
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    let offset = u32::from_le_bytes(bytes) % len.saturating_add(1);
    let fs = MemoryFs::new()
        .file("requirements.txt", "flask\n")
        .file("app.py", "from flask import Flask\napp = Flask(__name__)\n");
    let fast = pipeline::fast(&text);
    let doc = &fast.doc;
    let expansion = pipeline::expansion(&fast, &fs, true, DEFAULT_EXTENSIONS_DIR);
    let indexes = StaticIndexes::default();
    let sources = Sources {
        fs: Some(&fs),
        packages: &indexes,
        experimental: true,
        expanded: expansion.as_ref().and_then(|e| e.expanded.as_ref()),
    };
    let _ = completion::complete(doc, offset, &sources);
    // Also as a stale expansion with the package indexes, as the server asks.
    let hover_sources = ide::hover::Sources {
        expansion: expansion.as_ref(),
        stale: offset % 2 == 1,
        packages: Some(&indexes),
    };
    let _ = ide::hover_with(doc, &hover_sources, offset);
    let diagnostics = expansion
        .as_ref()
        .map(|e| e.diagnostics.clone())
        .unwrap_or_default();
    let at = TextRange::empty(TextSize::from(offset));
    let _ = ide::actions(doc, expansion.as_ref(), at, &diagnostics);
    let _ = ide::starters::starter_actions(doc, Some("my-shop"));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each target runs on nothing, on junk and on a real project.
    #[test]
    fn targets_take_any_bytes() {
        let project = FLASK_PROJECT.as_bytes();
        for (_, target) in TARGETS {
            target(b"");
            target(b"\xff\xfe\0\0\x01");
            target(project);
        }
    }
}
