use super::*;

/// `text` formatted through the edits, checked to be a fixed point.
fn fmt(text: &str) -> String {
    fmt_with(text, Options::default())
}

fn fmt_with(text: &str, options: Options) -> String {
    let doc = Document::parse(text);
    let out = match format_document(&doc, options) {
        Ok(Some(edits)) => apply_edits(text, &edits),
        Ok(None) => text.to_owned(),
        Err(why) => panic!("refused: {why}"),
    };
    assert_eq!(
        format_document(&Document::parse(&out), options),
        Ok(None),
        "formatting twice changes the text again:\n{out}"
    );
    out
}

fn range(text: &str, from: &str, to: &str) -> TextRange {
    let s = text.find(from).expect("start marker");
    let e = text.find(to).expect("end marker") + to.len();
    TextRange::new(
        TextSize::from(u32::try_from(s).unwrap()),
        TextSize::from(u32::try_from(e).unwrap()),
    )
}

const MESSY: &str = "# A rock written by hand.
name:    my-rock   # the name
base: bare
build-base:   'ubuntu@24.04'
version: \"0.1\"
summary:   A summary
description: |
    This is the description.
      Indented more, and kept so.

    After a blank line.   
platforms:
   amd64:
   # arm64:
   arm64: {build-on: [amd64],   build-for: [arm64]}


extensions:
  -   flask-framework
parts:
   flask-framework/install-app:
      prime: [ flask/app/.env ,  flask/app/app.py ]
   runtime-debs:
       plugin:  nil   # nothing to build
       stage-packages:
           # the database client
           - libpq5
           -    ca-certificates   # certificates
       override-build: |-
           craftctl default
             echo   \"indented   and spaced\"   # not a comment
       organize:
           '*': flask/app/
services:
   web:
      override: replace
      command: \"python3 -m http.server\"    # serves
      startup: enabled
";

#[test]
fn a_messy_file_takes_the_init_style() {
    insta::assert_snapshot!("messy", fmt(MESSY));
}

#[test]
fn four_space_files_keep_four_spaces() {
    let text = "name: x\nparts:\n    p:\n        plugin: nil\n        stage-packages:\n            -   a\n        source:    .\n";
    insta::assert_snapshot!("four_spaces", fmt(text));
}

#[test]
fn sequences_in_their_keys_column_stay_there() {
    let text =
        "name: x\nextensions:\n- flask-framework\nparts:\n  p:\n    prime:\n    -    a\n    - b\n";
    assert_eq!(
        fmt(text),
        "name: x\nextensions:\n- flask-framework\nparts:\n  p:\n    prime:\n    - a\n    - b\n"
    );
}

#[test]
fn quotes_stay_as_written() {
    let text = "a: 'single'\nb: \"double\"\nc: 'it''s'\nd:   \"say \\\"hi\\\"\"\ne: ['x',  \"y\", z]\n'f': 1\n";
    assert_eq!(
        fmt(text),
        "a: 'single'\nb: \"double\"\nc: 'it''s'\nd: \"say \\\"hi\\\"\"\ne: ['x', \"y\", z]\n'f': 1\n"
    );
}

#[test]
fn block_scalars_are_left_as_written() {
    let text = "a: |\n  x   \n\n\n    y\nb: >-\n  p\n\n  q\nc: |+\n  keep\n\nd: ok\n";
    assert_eq!(format(text), Ok(None));
}

#[test]
fn a_formatted_file_gives_no_edits() {
    let init = include_str!("../../../../tests/fixtures/samples/flask/rockcraft.yaml");
    assert_eq!(format(init), Ok(None));
    assert_eq!(format(""), Ok(None));
    assert_eq!(format("# only a comment\n"), Ok(None));
}

#[test]
fn yaml_with_errors_is_refused() {
    let broken = format("name: [a\nparts:\n  p: {\n").unwrap_err();
    assert!(broken.contains("errors to fix first"), "{broken}");
    let duplicate = format("name: a\nname:   b\n").unwrap_err();
    assert!(duplicate.contains("line 2"), "{duplicate}");
    assert!(format("a: 1\n---\nb:   2\n").is_err());
}

#[test]
fn deep_documents_are_refused_without_harm() {
    let flow = format!("a: {}{}\n", "[".repeat(200), "]".repeat(200));
    assert!(format(&flow).is_err());
    let mut block = String::new();
    for i in 0..60 {
        block.push_str(&"  ".repeat(i));
        block.push_str("k:\n");
    }
    assert!(format(&block).unwrap_err().contains("formatter"));
}

#[test]
fn edits_touch_only_what_changes() {
    let text = "name:   my-rock\nbase: bare\nparts:\n  p:\n     plugin: nil\n";
    let edits = format(text).unwrap().unwrap();
    let shown: Vec<(String, String)> = edits
        .iter()
        .map(|e| (text[e.range].to_owned(), e.text.clone()))
        .collect();
    assert_eq!(
        shown,
        [
            ("  ".to_owned(), String::new()),
            (" ".to_owned(), String::new()),
        ]
    );
}

#[test]
fn line_breaks_are_kept() {
    let text = "name:   a\r\nparts:\r\n  p:\r\n     plugin: nil\r\n";
    assert_eq!(
        fmt(text),
        "name: a\r\nparts:\r\n  p:\r\n    plugin: nil\r\n"
    );
}

#[test]
fn the_editor_width_counts_only_where_the_file_shows_none() {
    let flat = "a:    |\n x\n";
    let four = Options { tab_size: Some(4) };
    assert_eq!(fmt_with(flat, four), "a: |\n    x\n");
    let eight = Options { tab_size: Some(8) };
    assert_eq!(fmt_with(flat, eight), "a: |\n  x\n");
    let nested = "a:\n  b:   1\n";
    assert_eq!(fmt_with(nested, four), "a:\n  b: 1\n");
}

#[test]
fn range_formatting_touches_only_the_lines_asked() {
    let text = "name:   a\nbase:    bare\nsummary:   s\nversion:   '1'\n";
    let r = range(text, "base", "summary:");
    let edits = format_range(text, r).unwrap().unwrap();
    assert_eq!(
        apply_edits(text, &edits),
        "name:   a\nbase: bare\nsummary: s\nversion:   '1'\n"
    );
    // A range ending at the start of a line leaves that line alone.
    let r = range(text, "base", "bare\n");
    let edits = format_range(text, r).unwrap().unwrap();
    assert_eq!(
        apply_edits(text, &edits),
        "name:   a\nbase: bare\nsummary:   s\nversion:   '1'\n"
    );
    // Nothing to do in the range.
    let done = "name: a\nbase:    bare\n";
    assert_eq!(format_range(done, range(done, "name", "a")), Ok(None));
}

#[test]
fn range_formatting_refuses_to_break_a_block() {
    // Re-indenting only the first of two entries would split the mapping.
    let text = "parts:\n   p:\n      plugin: nil\n      source: .\n";
    let r = range(text, "plugin", "nil");
    let why = format_range(text, r).unwrap_err();
    assert!(why.contains("selected lines"), "{why}");
    // The whole block at once is fine.
    let r = range(text, "parts", "source: .");
    let edits = format_range(text, r).unwrap().unwrap();
    assert_eq!(
        apply_edits(text, &edits),
        "parts:\n  p:\n    plugin: nil\n    source: .\n"
    );
}

#[test]
fn comments_survive_everywhere() {
    let text = "# head\na:   # after key\n  # inside\n  b:   1 # after value\n  # trailing\nc: [x,   # in flow\n  y]\n# end\n";
    let out = fmt(text);
    let before = comment_texts(&Document::parse(text))
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let after = Document::parse(&out);
    assert_eq!(comment_texts(&after), before);
}

#[test]
fn unusual_yaml_is_formatted_or_refused_never_changed() {
    let cases = [
        "\u{feff}name:   bom\n",
        "%YAML 1.1\n---\nname:   directive\n",
        "---\nname:   explicit\n...\n",
        "base: &b\n  plugin:   nil\nparts:\n  p:\n    <<: *b\n    source:   .\n",
        "a: !!str   1\nb: !!int \"2\"\n",
        "a:\n\tb: tab\n",
        "? complex\n: value\n",
        "a: 'multi\n  line  single'\nb: \"multi\n  line \\\n  double\"\n",
        "a: plain\n  continued\n\n  after blank\n",
        "[a,   b]\n",
        "- a\n-   b\n",
        "'just a string'\n",
        "a: |2\n    indented first\n  second\n",
        "a: >+\n  keep\n\n\nb: 1\n",
        "key with spaces:   v\n\"quoted key\":  w\n",
        "a: 1 # c1\n# c2\n\n\n\n# c3\nb: 2\n",
    ];
    for text in cases {
        let before = Document::parse(text);
        match format(text) {
            Ok(Some(edits)) => {
                let after = apply_edits(text, &edits);
                assert_eq!(verify(&before, &after), Ok(()), "{text:?} -> {after:?}");
                assert_eq!(format(&after), Ok(None), "{text:?} -> {after:?}");
            }
            Ok(None) => {}
            Err(why) => assert!(!why.is_empty()),
        }
    }
}

#[test]
fn scalars_the_formatter_would_change_stay_as_written() {
    // The formatter would drop a kept trailing blank line; the rest is still formatted.
    let text = "a:    1\nb: >+\n  keep\n\n\nc:     2\n";
    assert_eq!(fmt(text), "a: 1\nb: >+\n  keep\n\n\nc: 2\n");
}

#[test]
fn options_that_reduce_alike_format_alike() {
    let flat = "name: a\nbase: bare\nlist: [a, b]\n";
    for text in [MESSY, flat, "parts:\n    p:\n        plugin: nil\n"] {
        let doc = Document::parse(text);
        for tab_size in [None, Some(1), Some(2), Some(3), Some(4), Some(8)] {
            let options = Options { tab_size };
            assert_eq!(
                format_document(&doc, options),
                format_document(&doc, effective_options(&doc, options)),
                "{text:?} with {options:?}"
            );
        }
    }
    let doc = Document::parse(MESSY);
    assert_eq!(
        effective_options(&doc, Options { tab_size: Some(4) }),
        effective_options(&doc, Options::default())
    );
}

#[test]
fn a_range_over_every_edit_needs_no_second_check_and_gives_them_all() {
    let doc = Document::parse(MESSY);
    let all = format_document(&doc, Options::default()).unwrap().unwrap();
    let whole = TextRange::up_to(TextSize::try_from(MESSY.len()).unwrap());
    assert_eq!(edits_in_range(&doc, &all, whole), Ok(Some(all.clone())));
    assert_eq!(
        edits_in_range(&doc, &all, whole),
        format_document_range(&doc, whole, Options::default())
    );
    let none = TextRange::empty(TextSize::from(0));
    assert_eq!(
        edits_in_range(&doc, &all, none),
        format_document_range(&doc, none, Options::default())
    );
}
