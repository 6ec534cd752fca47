//! Formatting keeps what every project means: each `rockcraft.yaml` of the golden cases, the
//! `tests/pack` cases, the `rockcraft init` outputs, the examples and the sample projects,
//! and every YAML document the emitter tests hold, formats to a text that loads as the same
//! value with the same comments, formats to itself a second time, and never panics. Range
//! formatting over each third of a file keeps the meaning too. The emitter cases hold YAML no
//! project writes (empty keys, indentation indicators in every position, escapes across
//! lines); the formatter may refuse those, but never change them.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use rockcraft_lsp::core::document::Document;
use rockcraft_lsp::core::ide::edit::apply_edits;
use rockcraft_lsp::core::ide::format::{
    Cache, Options, Thresholds, edits_on_lines, format, format_by_blocks, format_range,
    keep_meaning,
};
use rockcraft_lsp::core::ide::starters::{EDITOR_PROFILES, project_file};
use rockcraft_lsp::core::text::{TextRange, TextSize};

/// Every file the test covers: the `rockcraft.yaml` of each project directory, then the
/// emitter cases.
fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for (dir, inner) in [
        ("tests/golden", "input"),
        ("tests/pack", "input"),
        ("tests/init", "expected-files"),
        ("tests/fixtures/samples", ""),
        ("tests/fixtures/format", ""),
        ("examples", ""),
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let file = path.join(inner).join("rockcraft.yaml");
            if file.is_file() {
                out.push(file);
            } else if path.extension().is_some_and(|x| x == "yaml") {
                out.push(path);
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(root.join("tests/emit/cases")) {
        out.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml")),
        );
    }
    out.sort();
    out
}

fn comments(doc: &Document) -> Vec<String> {
    let mut v: Vec<String> = doc
        .tree
        .comments
        .iter()
        .map(|c| c.text.trim_end().to_owned())
        .collect();
    v.sort();
    v
}

/// What is wrong with `after` as a formatting of `before`, if anything.
fn check(before: &Document, after: &str) -> Option<String> {
    let doc = Document::parse(after);
    if !doc.yaml_errors.is_empty() {
        return Some(format!("YAML errors: {:?}", doc.yaml_errors));
    }
    if doc.json() != before.json() {
        return Some("the loaded value changed".into());
    }
    if comments(&doc) != comments(before) {
        return Some("the comments changed".into());
    }
    None
}

#[test]
fn formatting_keeps_meaning_and_comments_and_is_idempotent() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = files();
    assert!(files.len() > 500, "only {} files found", files.len());
    let (mut formatted, mut refused_clean, mut refused_emitter) = (0, Vec::new(), 0);
    let mut failures = Vec::new();
    for file in &files {
        let name = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let before = Document::parse(&text);
        let edits = match format(&text) {
            Ok(Some(edits)) => edits,
            Ok(None) => continue,
            Err(why) => {
                // Refusing a project is only right for YAML with errors.
                if before.yaml_errors.is_empty() {
                    if name.starts_with("tests/emit/") {
                        refused_emitter += 1;
                    } else {
                        refused_clean.push(format!("{name}: {why}"));
                    }
                }
                continue;
            }
        };
        formatted += 1;
        let after = apply_edits(&text, &edits);
        if let Some(why) = check(&before, &after) {
            failures.push(format!("{name}: {why}"));
            continue;
        }
        match format(&after) {
            Ok(None) => {}
            Ok(Some(_)) => failures.push(format!("{name}: formatting twice changes it again")),
            Err(why) => failures.push(format!("{name}: the formatted text is refused: {why}")),
        }
        // Each third of the file on its own.
        let len = text.len();
        let cuts = [0, len / 3, 2 * len / 3, len];
        for w in cuts.windows(2) {
            let (s, e) = (floor(&text, w[0]), floor(&text, w[1]));
            let range = TextRange::new(size(s), size(e));
            if let Ok(Some(edits)) = format_range(&text, range) {
                let partial = apply_edits(&text, &edits);
                if let Some(why) = check(&before, &partial) {
                    failures.push(format!("{name}: range {s}..{e}: {why}"));
                }
            }
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "{} files, {formatted} changed by formatting, {refused_emitter} emitter cases refused",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    assert!(
        refused_clean.is_empty(),
        "refused files without YAML errors:\n{}",
        refused_clean.join("\n")
    );
    assert!(formatted > 20, "only {formatted} files needed formatting");
}

fn size(v: usize) -> TextSize {
    TextSize::from(u32::try_from(v).unwrap())
}

/// The char boundary at or before `i`.
fn floor(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The written-for-formatting projects, as the formatter leaves them.
#[test]
fn fixtures_format_as_reviewed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/format")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 4);
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        let out = match format(&text) {
            Ok(Some(edits)) => apply_edits(&text, &edits),
            Ok(None) => text.clone(),
            Err(why) => panic!("{}: {why}", path.display()),
        };
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("format_{stem}"), out);
    }
}

/// What `rockcraft init` writes is the default style: the outputs recorded from rockcraft and
/// every profile's project as the crate writes it are formatted already.
#[test]
fn init_outputs_are_formatted_already() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/init");
    let mut seen = 0;
    for e in std::fs::read_dir(&root).expect("tests/init").flatten() {
        let file = e.path().join("expected-files/rockcraft.yaml");
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        seen += 1;
        assert_eq!(format(&text), Ok(None), "{}", file.display());
    }
    assert!(seen >= 10, "only {seen} init outputs");
    for profile in EDITOR_PROFILES {
        let text = project_file(profile, "my-rock").expect("a rockcraft.yaml");
        assert_eq!(format(&text), Ok(None), "{profile}");
    }
}

/// Formatting block by block (every root entry, and every entry of a root entry's block
/// mapping, through the formatter on its own) gives what formatting the whole file gives, for
/// every file; formatting a second time from the blocks kept formats none again.
#[test]
fn formatting_block_by_block_is_formatting_the_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let all = Thresholds { split_from: 0 };
    let mut differ = Vec::new();
    let (mut compared, mut by_blocks, mut changed) = (0, 0, 0);
    for (file, text) in files().iter().flat_map(|f| {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        [(f, disturbed(&text)), (f, text)]
    }) {
        let doc = Document::parse(&text);
        let apply = |r: Result<Option<Vec<_>>, String>| match r {
            Ok(Some(edits)) => Some(apply_edits(&text, &edits)),
            Ok(None) => Some(text.clone()),
            Err(_) => None,
        };
        let whole = apply(format(&text));
        let mut cache = Cache::default();
        let blocks = apply(format_by_blocks(&doc, Options::default(), &mut cache, all));
        let name = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        if whole != blocks {
            differ.push(format!(
                "{name}:\n--- whole\n{whole:?}\n--- blocks\n{blocks:?}"
            ));
            continue;
        }
        compared += 1;
        if !cache.is_empty() && !cache.answered() {
            differ.push(format!(
                "{name}: the blocks' result failed the whole document's check"
            ));
        }
        if cache.answered() {
            by_blocks += 1;
            changed += usize::from(blocks.as_ref() != Some(&text));
        }
        let again = apply(format_by_blocks(&doc, Options::default(), &mut cache, all));
        assert_eq!(again, blocks, "{name}: from the cache");
        assert_eq!(
            cache.reused(),
            cache.len(),
            "{name}: not every block reused"
        );
    }
    assert!(
        differ.is_empty(),
        "{} files format differently block by block:\n{}",
        differ.len(),
        differ.join("\n")
    );
    let _ = writeln!(
        std::io::stderr(),
        "{compared} files compared, {by_blocks} formatted by blocks, {changed} of them changed"
    );
    assert!(compared > 1000, "only {compared} files compared");
    assert!(
        by_blocks > 800,
        "only {by_blocks} files formatted by blocks"
    );
    assert!(changed > 400, "only {changed} files changed by blocks");
}

/// `text` with its indentation one and a half times as deep and every blank line written three times, so that
/// formatting has work to do in every block (what it means may change; both ways of
/// formatting get the same text).
fn disturbed(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if body.trim().is_empty() {
            out.push_str(&line.repeat(3));
        } else {
            out.push_str(&" ".repeat(indent + indent / 2));
            out.push_str(body);
        }
    }
    out
}

/// Checking some of a document's formatting edits block by block is sound: whenever the
/// blocks they touch say the meaning is kept, the whole text says so too. Every window of
/// seven lines of every file, as written and disturbed.
#[test]
fn range_formatting_checked_by_blocks_agrees_with_the_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (mut told, mut partial) = (0, 0);
    let mut wrong = Vec::new();
    for (file, text) in files().iter().flat_map(|f| {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        [(f, disturbed(&text)), (f, text)]
    }) {
        let Ok(Some(all)) = format(&text) else {
            continue;
        };
        let doc = Document::parse(&text);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        for w in starts.chunks(5) {
            let from = w[0];
            let to = starts
                .iter()
                .copied()
                .find(|&s| s >= from)
                .and_then(|i| starts.get(starts.iter().position(|&s| s == i)? + 7))
                .copied()
                .unwrap_or(text.len());
            let some = edits_on_lines(&doc, &all, TextRange::new(size(from), size(to)));
            if some.is_empty() || some.len() == all.len() {
                continue;
            }
            partial += 1;
            if keep_meaning(&doc, &some) {
                told += 1;
                if let Some(why) = check(&doc, &apply_edits(&text, &some)) {
                    let name = file.strip_prefix(root).unwrap_or(file).display();
                    wrong.push(format!("{name} lines from byte {from}: {why}"));
                }
            }
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "{partial} partial ranges, {told} kept their meaning by their blocks"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(told > 1000, "only {told} ranges told by their blocks");
}
