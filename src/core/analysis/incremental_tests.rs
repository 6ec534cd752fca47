//! Incremental analysis gives what a full analysis gives: random edits over the corpus (the
//! bench samples, the golden and pack cases), each analysed from the previous version and
//! compared with a fresh analysis, document and findings alike.

use std::fmt::Write as _;
use std::path::Path;

use super::{Analysis, analyze, analyze_after};
use crate::core::cancel::Cancel;

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }
    }
}

/// Every project the tests and benchmarks hold, with its path.
pub(crate) fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["bench/samples", "tests/golden", "tests/pack"] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for e in read.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i <= text.len())
        .collect()
}

fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// What [`edit`] types.
const TYPED: &[&str] = &[
    "a", "z", "0", "7", " ", ":", "-", "\n", "#", "'", "\"", "[", "]", "{", "}", ",", "&", "*",
    "|", ">", ".", "\t", "é", "x: y", "\n  ", "\n    - ",
];

/// One random edit of the kinds typing makes: a character typed or deleted, a line
/// duplicated, removed or moved, a key added at some indentation, a value changed.
fn edit(text: &str, rng: &mut Rng) -> String {
    let starts = line_starts(text);
    let line = |rng: &mut Rng| starts[rng.below(starts.len())];
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let mut out = text.to_owned();
    match rng.below(9) {
        0 | 1 => {
            let at = boundary(text, rng.below(text.len() + 1));
            out.insert_str(at, TYPED[rng.below(TYPED.len())]);
        }
        2 => {
            let a = boundary(text, rng.below(text.len() + 1));
            let b = boundary(text, a + 1 + rng.below(6));
            out.replace_range(a..b, "");
        }
        3 => {
            let a = line(rng);
            let copy = text[a..line_end(a)].to_owned();
            let at = line(rng);
            out.insert_str(at, &copy);
        }
        4 => {
            let a = line(rng);
            out.replace_range(a..line_end(a), "");
        }
        5 => {
            let a = line(rng);
            let b = line_end(a);
            let n = 1 + rng.below(6);
            let mut end = b;
            for _ in 0..n {
                end = line_end(end);
            }
            let copy = text[a..end].to_owned();
            out.insert_str(line(rng), &copy);
        }
        6 => {
            const KEYS: &[&str] = &[
                "plugin: nil\n",
                "new-key: value\n",
                "part-x:\n",
                "source: .\n",
                "base: ubuntu@22.04\n",
                "stage-packages: [a, b]\n",
                "- item\n",
                "# a comment\n",
                "\n",
                "key: |\n  text\n",
            ];
            let indent = " ".repeat([0, 2, 4, 6][rng.below(4)]);
            let key = KEYS[rng.below(KEYS.len())];
            out.insert_str(line(rng), &format!("{indent}{key}"));
        }
        7 => {
            // Change a value in place.
            let a = line(rng);
            if let Some(colon) = text[a..line_end(a)].find(": ") {
                const VALUES: &[&str] = &["x", "1", "yes", "", "[]", "{}", "~", "2.5", "*a"];
                let at = a + colon + 2;
                out.insert_str(at, VALUES[rng.below(VALUES.len())]);
            }
        }
        _ => {
            // A character replaced.
            let a = boundary(text, rng.below(text.len()));
            let b = boundary(text, a + 1);
            if a < b {
                out.replace_range(a..b, "q");
            }
        }
    }
    out
}

/// The two analyses hold the same document and the same findings.
fn assert_same(incremental: &Analysis, full: &Analysis, what: &str) {
    let (a, b) = (&incremental.doc, &full.doc);
    assert_eq!(a.text, b.text, "{what}: text");
    assert_eq!(a.tree.root, b.tree.root, "{what}: root");
    assert_eq!(a.tree.nodes.len(), b.tree.nodes.len(), "{what}: node count");
    for (i, (x, y)) in a.tree.nodes.iter().zip(&b.tree.nodes).enumerate() {
        assert_eq!(x, y, "{what}: node {i}");
    }
    assert_eq!(a.tree.comments, b.tree.comments, "{what}: comments");
    assert_eq!(a.yaml_errors, b.yaml_errors, "{what}: YAML errors");
    assert_eq!(a.json(), b.json(), "{what}: JSON");
    assert_eq!(
        incremental.diagnostics, full.diagnostics,
        "{what}: diagnostics"
    );
}

#[test]
fn incremental_analysis_equals_full_analysis_on_random_edits() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut steps, mut kept) = (0usize, 0usize);
    for (name, text) in corpus() {
        if text.len() > 200_000 {
            continue;
        }
        let mut previous = analyze(&text);
        let mut current = text;
        for step in 0..6 {
            let next = edit(&current, &mut rng);
            let incremental = analyze_after(&previous, &next, Cancel::NEVER);
            let full = analyze(&next);
            if previous.doc.reparse(&next).1.is_some() {
                kept += 1;
            }
            steps += 1;
            assert_same(
                &incremental,
                &full,
                &format!("{name}, edit {step}:\n--- before\n{current}\n--- after\n{next}"),
            );
            previous = incremental;
            current = next;
        }
    }
    // The test must exercise the incremental path, not only the fallback.
    assert!(
        kept * 5 > steps,
        "only {kept} of {steps} edits were incremental"
    );
}

/// A project with many parts written in the shapes that make blocks end in different ways:
/// block scalars kept, stripped and empty, comments at every column, quoted keys, empty and
/// flow values, nested mappings.
fn many_shapes() -> String {
    let mut text = String::from(
        "# a project\nname: x\nbase: ubuntu@24.04\nversion: '1'\nsummary: s\n\
         description: |\n  d\n\nplatforms:\n  amd64:\nparts:\n",
    );
    for i in 0..12 {
        let _ = write!(text, "  part-{i}:\n    plugin: nil\n");
        match i % 6 {
            0 => text.push_str("    override-build: |+\n      craftctl default\n\n"),
            1 => text.push_str("    override-build: |-\n      echo\n# col 0\n"),
            2 => text.push_str("    'stage-packages': [a, b]\n    # indented\n\n"),
            3 => text.push_str("    prime:\n    - a\n    - b\n    source:\n"),
            4 => text.push_str("    override-prime: >\n      folded\n      text\n  # two\n"),
            _ => text.push_str("    organize:\n      a: b\n    after: [part-0]\n"),
        }
    }
    text.push_str(
        "services:\n  s:\n    override: replace\n    command: x\n    startup: enabled\n\
         checks:\n  c:\n    override: replace\n    http:\n      url: u\n",
    );
    text
}

#[test]
fn incremental_analysis_equals_full_analysis_on_edits_within_blocks() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let base = many_shapes();
    let (mut steps, mut kept) = (0usize, 0usize);
    for round in 0..40 {
        let mut previous = analyze(&base);
        let mut current = base.clone();
        for step in 0..15 {
            let next = edit(&current, &mut rng);
            let incremental = analyze_after(&previous, &next, Cancel::NEVER);
            if previous.doc.reparse(&next).1.is_some() {
                kept += 1;
            }
            steps += 1;
            assert_same(
                &incremental,
                &analyze(&next),
                &format!("round {round}, edit {step}:\n--- before\n{current}\n--- after\n{next}"),
            );
            // An edit that breaks the YAML is followed by a fresh start, so that most edits
            // are made to a clean document.
            if incremental.doc.yaml_errors.is_empty() {
                previous = incremental;
                current = next;
            } else {
                previous = analyze(&base);
                current = base.clone();
            }
        }
    }
    assert!(
        kept * 4 > steps,
        "only {kept} of {steps} edits were incremental"
    );
}

#[test]
fn editing_one_part_of_many_rereads_only_that_part() {
    let mut text = String::from("name: x\nbase: ubuntu@24.04\nparts:\n");
    for i in 0..50 {
        let _ = write!(text, "  part-{i}:\n    plugin: nil\n    prime: [a]\n");
    }
    text.push_str("services:\n  s:\n    command: x\n");
    let previous = analyze(&text);
    let at =
        text.find("part-20:\n    plugin: nil").unwrap_or(0) + "part-20:\n    plugin: nil".len();
    let mut next = text.clone();
    next.insert(at, 'x');
    let (_, change) = previous.doc.reparse(&next);
    let change = change.expect("read again in part");
    assert_eq!(
        &next[change.start as usize..change.new_end as usize],
        "  part-20:\n    plugin: nilx\n    prime: [a]\n"
    );
    assert_same(
        &analyze_after(&previous, &next, Cancel::NEVER),
        &analyze(&next),
        "part edit",
    );
}

/// A project whose parts and services give the rules something to find in every part: names
/// with `/`, `after` lists naming parts that exist, are missing or wait for each other, parts
/// without plugins, mixed packages, fileset syntax, build environments, overlays, an
/// extension's part with entries outside its directory.
fn rule_shapes() -> String {
    let mut text = String::from(
        "name: x\nbase: ubuntu@22.04\nversion: '1'\nsummary: s\ndescription: d\n\
         platforms:\n  amd64:\nextensions: [flask-framework]\nparts:\n",
    );
    for i in 0..16 {
        let shape = match i % 8 {
            0 => format!(
                "  part-{i}:\n    plugin: nil\n    after: [part-{}]\n",
                i + 1
            ),
            1 => format!(
                "  part-{i}:\n    plugin: nil\n    after: [part-{}, nope]\n",
                i - 1
            ),
            2 => format!(
                "  my/part-{i}:\n    plugin: dump\n    source: .\n    stage-packages: [libc6, libc6_libs]\n"
            ),
            3 => format!("  part-{i}:\n    stage: [+lib, /abs, -/abs]\n    prime:\n      - '!x'\n"),
            4 => format!(
                "  part-{i}:\n    plugin: python\n    build-environment:\n      - A: 1\n        B: 2\n      - {{}}\n    overlay-script: x\n    override-overlay: y\n"
            ),
            5 if i == 5 => {
                "  flask-framework/install-app:\n    prime: [app/x, flask/app/y, -z]\n".to_owned()
            }
            5 => format!(
                "  part-{i}:\n    plugin: nil\n    after: [part-{}]\n",
                i - 5
            ),
            6 => format!(
                "  part-{i}:\n    plugin: colcon\n    overlay-packages: [a]\n    after: part-{i}\n"
            ),
            _ => format!(
                "  part-{i}:\n    plugin: nil\n    after: [pebble, flask-framework/dependencies, part-{}]\n",
                i - 7
            ),
        };
        text.push_str(&shape);
    }
    text.push_str(
        "services:\n  s:\n    override: replace\n    command: x [ y ]\n    after: [t]\n  \
         t:\n    override: replace\n    command: y\n    requires: [s, u]\n\
         checks:\n  c:\n    override: replace\n    http:\n      url: u\n",
    );
    text
}

/// An edit of what the rules read: a part renamed or an `after` item changed (`part-N`), the
/// base, build base or extensions changed, a line of what the rules check added to a part, a
/// line of a part removed.
fn rule_edit(text: &str, rng: &mut Rng) -> String {
    let mut out = text.to_owned();
    match rng.below(5) {
        0 | 1 => {
            let at: Vec<usize> = text.match_indices("part-").map(|(i, _)| i + 5).collect();
            if at.is_empty() {
                return out;
            }
            let a = at[rng.below(at.len())];
            let b = a + text[a..].bytes().take_while(u8::is_ascii_digit).count();
            out.replace_range(a..b, &rng.below(20).to_string());
        }
        2 => {
            const TOP: &[&str] = &[
                "base: ubuntu@24.04\n",
                "base: bare\n",
                "base: ubuntu:22.04\n",
                "build-base: ubuntu@24.04\n",
                "build-base: devel\n",
                "extensions: [django-framework]\n",
                "extensions: []\n",
                "build_base: ubuntu@22.04\n",
            ];
            let line = TOP[rng.below(TOP.len())];
            let key = &line[..=line.find(':').unwrap_or(0)];
            match text.find(&format!("\n{key}")) {
                Some(i) => {
                    let end = text[i + 1..].find('\n').map_or(text.len(), |e| i + 2 + e);
                    out.replace_range(i + 1..end, line);
                }
                None => out.insert_str(text.find("parts:").unwrap_or(0), line),
            }
        }
        3 => {
            const LINES: &[&str] = &[
                "    after: [part-3, part-1]\n",
                "    after: [part-2]\n",
                "    plugin: nil\n",
                "    plugin: colcon\n",
                "    prime: [+a, /b]\n",
                "    overlay: [x]\n",
                "    stage-packages: [a_b, c]\n",
                "    overlay-script: s\n",
            ];
            let keys: Vec<usize> = text.match_indices("\n  ").map(|(i, _)| i + 1).collect();
            if keys.is_empty() {
                return out;
            }
            let k = keys[rng.below(keys.len())];
            let end = text[k..].find('\n').map_or(text.len(), |e| k + e + 1);
            out.insert_str(end, LINES[rng.below(LINES.len())]);
        }
        _ => {
            let lines: Vec<usize> = text.match_indices("\n    ").map(|(i, _)| i + 1).collect();
            if lines.is_empty() {
                return out;
            }
            let a = lines[rng.below(lines.len())];
            let end = text[a..].find('\n').map_or(text.len(), |e| a + e + 1);
            out.replace_range(a..end, "");
        }
    }
    out
}

#[test]
fn incremental_rules_equal_full_rules_on_edits_to_parts() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let base = rule_shapes();
    let first = analyze(&base);
    assert!(
        first.diagnostics.len() > 20,
        "the rules must find things: {:?}",
        first.diagnostics
    );
    let (mut steps, mut kept) = (0usize, 0usize);
    for round in 0..60 {
        let mut previous = first.clone();
        let mut current = base.clone();
        for step in 0..20 {
            let next = if rng.below(4) == 0 {
                edit(&current, &mut rng)
            } else {
                rule_edit(&current, &mut rng)
            };
            if next == current {
                continue;
            }
            let incremental = analyze_after(&previous, &next, Cancel::NEVER);
            if previous.doc.reparse(&next).1.is_some() {
                kept += 1;
            }
            steps += 1;
            assert_same(
                &incremental,
                &analyze(&next),
                &format!("round {round}, edit {step}:\n--- before\n{current}\n--- after\n{next}"),
            );
            if incremental.doc.yaml_errors.is_empty() {
                previous = incremental;
                current = next;
            } else {
                previous = first.clone();
                current = base.clone();
            }
        }
    }
    assert!(
        kept * 2 > steps,
        "only {kept} of {steps} edits were incremental"
    );
}
