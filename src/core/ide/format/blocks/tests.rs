//! Block-by-block formatting gives the whole document's formatting, and reuses blocks.

use super::super::{Options, format_by_blocks, format_document};
use super::{Cache, Thresholds};
use crate::core::document::Document;
use crate::core::ide::edit::apply_edits;

const ALL: Thresholds = Thresholds { split_from: 0 };

/// The text formatted whole and block by block (with `cache`), both applied.
fn both(text: &str, cache: &mut Cache) -> (String, String) {
    let doc = Document::parse(text);
    let apply = |r: Result<Option<Vec<crate::core::diagnostic::Edit>>, String>| match r {
        Ok(Some(edits)) => apply_edits(text, &edits),
        Ok(None) => text.to_owned(),
        Err(why) => format!("refused: {why}"),
    };
    let whole = apply(format_document(&doc, Options::default()));
    let blocks = apply(format_by_blocks(&doc, Options::default(), cache, ALL));
    (whole, blocks)
}

/// Formats `text` block by block with an empty cache and checks it gives what whole-document
/// formatting gives.
fn agrees_with_the_whole(text: &str) {
    let (whole, blocks) = both(text, &mut Cache::default());
    assert_eq!(blocks, whole, "{text:?}");
}

const MESSY: &str = "\
# a project
name:    demo
base: ubuntu@24.04


parts:
    one:
        plugin: nil
        stage-packages:
        - curl
        - 'git'


    two:
        plugin:   nil   # why
        override-build: |
            craftctl default

# the services
services:
    web:
        command: run
        override: replace
";

#[test]
fn blocks_format_as_the_whole_document_does() {
    let mut cache = Cache::default();
    let (whole, blocks) = both(MESSY, &mut cache);
    assert_ne!(whole, MESSY);
    assert_eq!(blocks, whole);
    assert!(!cache.is_empty());
}

#[test]
fn a_second_version_reuses_the_untouched_blocks() {
    let mut cache = Cache::default();
    let _ = both(MESSY, &mut cache);
    let kept = cache.len();
    let edited = MESSY.replace("command: run", "command: serve");
    let (whole, blocks) = both(&edited, &mut cache);
    assert_eq!(blocks, whole);
    assert!(whole.contains("command: serve"));
    // The cache holds the new version's blocks only, and all but the edited one came from it.
    assert_eq!(cache.len(), kept);
    assert_eq!(cache.reused(), kept - 1);
}

#[test]
fn a_formatted_document_gives_no_edits() {
    let mut cache = Cache::default();
    let (whole, _) = both(MESSY, &mut cache);
    let doc = Document::parse(&whole);
    assert_eq!(
        format_by_blocks(&doc, Options::default(), &mut cache, ALL),
        Ok(None)
    );
}

#[test]
fn documents_not_made_of_blocks_are_formatted_whole() {
    for text in [
        "---\nname: a\nparts:\n  p:\n    plugin: nil\n",
        "name: a\r\nparts:\r\n  p:\r\n    plugin:   nil\r\n",
        "- a\n-   b\n",
        "a: &x {k: 1}\nb: *x\nc:   2\n",
    ] {
        agrees_with_the_whole(text);
    }
}

#[test]
fn a_block_the_formatter_would_change_the_meaning_of_is_left_to_the_whole() {
    // Refusals and successes agree with the whole document's.
    let text = "name: a\nparts:\n  p:\n    plugin: nil\n  q: [unclosed\n";
    agrees_with_the_whole(text);
}

#[test]
fn blank_lines_kept_by_a_block_scalar_stay() {
    for text in [
        "a: |+\n  text\n\n\n\nb:   1\n",
        "a:\n  x: |+\n    text\n\n\n\n  y:   1\nb: 2\n",
        "a:\n  x: >+\n    text\n\n\n\nb:   2\n",
        "a: |+\n  text\n\n\n",
        "a:\n  - x\n  - |2+ # kept\n     text\n\n\nb:   1\n",
        // Clipped: the blank lines are free.
        "a: |\n  text\n\n\n\nb:   1\n",
    ] {
        let mut cache = Cache::default();
        let (whole, blocks) = both(text, &mut cache);
        assert_eq!(blocks, whole, "{text:?}");
        let (before, after) = (Document::parse(text), Document::parse(&blocks));
        assert_eq!(before.json(), after.json(), "{text:?} -> {blocks:?}");
        // Declined before the whole document's check.
        assert!(cache.is_empty() || cache.answered(), "{text:?}");
    }
}
