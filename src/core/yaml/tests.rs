//! Tests of the YAML tree: spans, typing, partial trees, duplicates and aliases.

use std::fmt::Write as _;

use super::*;

/// Prints the tree as an indented outline with each node's source slice.
fn dump(text: &str) -> String {
    let parsed = parse(text);
    let mut out = String::new();
    if let Some(root) = parsed.tree.root {
        walk(&parsed.tree, text, root, 0, &mut out);
    }
    for e in &parsed.errors {
        let (a, b) = (
            u32::from(e.range.start()) as usize,
            u32::from(e.range.end()) as usize,
        );
        let _ = writeln!(
            out,
            "error {a}..{b} {:?}: {}",
            kind_name(&e.kind),
            e.message
        );
    }
    out
}

fn kind_name(k: &YamlErrorKind) -> &'static str {
    match k {
        YamlErrorKind::Syntax => "syntax",
        YamlErrorKind::DuplicateKey { .. } => "duplicate",
        YamlErrorKind::MultipleDocuments => "documents",
        YamlErrorKind::UnknownAnchor => "anchor",
        YamlErrorKind::AliasBudget => "budget",
        YamlErrorKind::RecursiveAlias => "recursive",
        YamlErrorKind::TooDeep => "deep",
        YamlErrorKind::UnknownTag { .. } => "tag",
        YamlErrorKind::UnhashableKey => "unhashable",
    }
}

fn walk(tree: &Tree, text: &str, id: NodeId, depth: usize, out: &mut String) {
    let n = tree.node(id);
    let span = tree.span(id);
    let (a, b) = (
        u32::from(span.start()) as usize,
        u32::from(span.end()) as usize,
    );
    let pad = "  ".repeat(depth);
    match &n.kind {
        NodeKind::Scalar(s) => {
            let _ = writeln!(
                out,
                "{pad}{:?} {:?} {a}..{b} {:?}",
                s.value,
                s.style,
                &text[a..b]
            );
        }
        NodeKind::Mapping { entries, flow } => {
            let _ = writeln!(out, "{pad}map{} {a}..{b}", if *flow { " flow" } else { "" });
            for e in entries.iter() {
                walk(tree, text, e.key, depth + 1, out);
                walk(tree, text, e.value, depth + 2, out);
            }
        }
        NodeKind::Sequence { items, flow } => {
            let _ = writeln!(out, "{pad}seq{} {a}..{b}", if *flow { " flow" } else { "" });
            for &i in items.iter() {
                walk(tree, text, i, depth + 1, out);
            }
        }
        NodeKind::Alias { target } => {
            let _ = writeln!(out, "{pad}alias -> {target:?} {a}..{b}");
        }
    }
}

#[test]
fn spans_of_keys_values_and_containers() {
    insta::assert_snapshot!(dump("name: app\nplatforms:\n  amd64:\nparts:\n  p:\n    prime: [a, 'b']\n    stage:\n      - c # note\n"), @r#"
    map 0..82
      Str Plain 0..4 "name"
        Str Plain 6..9 "app"
      Str Plain 10..19 "platforms"
        map 23..28
          Str Plain 23..28 "amd64"
            Null Plain 29..29 ""
      Str Plain 30..35 "parts"
        map 39..82
          Str Plain 39..40 "p"
            map 46..82
              Str Plain 46..51 "prime"
                seq flow 53..61
                  Str Plain 54..55 "a"
                  Str SingleQuoted 57..60 "'b'"
              Str Plain 66..71 "stage"
                seq 79..82
                  Str Plain 81..82 "c"
    "#);
}

#[test]
fn partial_tree_on_unclosed_flow_sequence() {
    insta::assert_snapshot!(dump("parts:\n  p:\n    prime: [a, \n"), @r#"
    map 0..25
      Str Plain 0..5 "parts"
        map 9..25
          Str Plain 9..10 "p"
            map 16..25
              Str Plain 16..21 "prime"
                seq flow 23..25
                  Str Plain 24..25 "a"
    error 23..23 "syntax": invalid YAML: unclosed bracket '['
    "#);
}

#[test]
fn partial_tree_on_half_typed_key() {
    insta::assert_snapshot!(dump("name: x\nparts:\n  p:\n    plug\n"), @r#"
    map 0..28
      Str Plain 0..4 "name"
        Str Plain 6..7 "x"
      Str Plain 8..13 "parts"
        map 17..28
          Str Plain 17..18 "p"
            Str Plain 24..28 "plug"
    "#);
}

#[test]
fn duplicate_keys_are_reported_and_parsing_goes_on() {
    insta::assert_snapshot!(dump("base: bare\nname: a\nbase: ubuntu@24.04\nsummary: s\n"), @r#"
    map 0..48
      Str Plain 0..4 "base"
        Str Plain 6..10 "bare"
      Str Plain 11..15 "name"
        Str Plain 17..18 "a"
      Str Plain 19..23 "base"
        Str Plain 25..37 "ubuntu@24.04"
      Str Plain 38..45 "summary"
        Str Plain 47..48 "s"
    error 19..23 "duplicate": duplicate key `base`: it is already set on line 1, and rockcraft refuses a file with a key repeated in one mapping; keep one of the two
    "#);
}

#[test]
fn aliases_and_merge_keys_expand_in_json() {
    let text =
        "x: &p {plugin: nil, source: .}\nparts:\n  a: *p\n  b:\n    <<: *p\n    plugin: dump\n";
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let json = to_json(&parsed.tree);
    assert!(json.errors.is_empty());
    insta::assert_snapshot!(json.value.to_string(), @r#"{"x":{"plugin":"nil","source":"."},"parts":{"a":{"plugin":"nil","source":"."},"b":{"plugin":"dump","source":"."}}}"#);
}

#[test]
fn alias_bomb_is_cut_short_with_an_error() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = format!("*a{}", i - 1);
        let _ = writeln!(text, "a{i}: &a{i} [{}]", vec![prev; 10].join(", "));
    }
    let parsed = parse(&text);
    let start = std::time::Instant::now();
    let json = to_json(&parsed.tree);
    assert!(start.elapsed().as_secs() < 5);
    let bomb = json
        .errors
        .iter()
        .find(|e| e.kind == YamlErrorKind::AliasBudget)
        .expect("an alias-bomb error");
    // Reported on the alias of the document that set off the expansion, not deep inside
    // the anchors.
    let at = usize::from(bomb.range.start());
    assert!(text[at..].starts_with("*a"), "{:?}", &text[at..]);
    assert!(at > text.find("a1:").unwrap(), "{at}");
}

#[test]
fn unknown_alias_tag_and_second_document() {
    insta::assert_snapshot!(dump("a: *nope\nb: !custom x\nc: !!int 12\n---\nd: 1\n"), @r#"
    map 0..33
      Str Plain 0..1 "a"
        alias -> None 3..8
      Str Plain 9..10 "b"
        Str Plain 20..21 "x"
      Str Plain 22..23 "c"
        Int(12) Plain 31..33 "12"
    error 3..8 "anchor": the alias `*nope` refers to no anchor: define `&nope` on a node before this point
    error 20..21 "tag": rockcraft reads YAML with a safe loader that does not know the tag `!custom`; remove it
    error 34..37 "documents": rockcraft.yaml must hold a single YAML document, but a second one starts here; remove the `---` and what follows, or merge the documents
    "#);
}

#[test]
fn byte_offsets_after_non_ascii_block_scalar() {
    let text = "description: |\n  héllo ☕ wörld 𝄞\nname: app\n";
    let parsed = parse(text);
    let name = parsed
        .tree
        .entry(parsed.tree.root.unwrap(), "name")
        .unwrap();
    let span = parsed.tree.span(name.key);
    assert_eq!(&text[span.start().into()..span.end().into()], "name");
    assert_eq!(parsed.tree.text(name.value), Some("app"));
    assert_eq!(
        parsed.tree.text(parsed.tree.top("description").unwrap()),
        Some("héllo ☕ wörld 𝄞\n")
    );
}

#[test]
fn typed_values_follow_yaml_1_1() {
    let text = "version: 0.1\non: yes\nq: '0.1'\nn: 1_000\nd: 2024-01-01\ne:\n";
    let json = to_json(&parse(text).tree).value;
    insta::assert_snapshot!(json.to_string(), @r#"{"version":0.1,"on":true,"q":"0.1","n":1000,"d":"2024-01-01","e":null}"#);
}

#[test]
fn binary_junk_and_empty_input_never_panic() {
    for text in [
        "",
        "\0\0\u{1}",
        "- [",
        "{",
        "key: \"unterminated",
        ":",
        "- - - -",
        "\t\tx: 1",
        "a: b: c",
        "? a\n: b\n",
        "&a [*a]",
    ] {
        let parsed = parse(text);
        let _ = to_json(&parsed.tree);
    }
    let deep = "[".repeat(10_000);
    let parsed = parse(&deep);
    assert!(!parsed.errors.is_empty());
}

#[test]
fn merge_key_order_matches_pyyaml() {
    let text = "a: &a {k: 1, j: 1}\nb: &b {k: 2, m: 2}\nc:\n  <<: [*a, *b]\n  z: 0\n";
    let json = to_json(&parse(text).tree).value;
    assert_eq!(json["c"].to_string(), r#"{"k":1,"m":2,"j":1,"z":0}"#);
}

#[test]
fn empty_value_span_sits_after_the_colon_at_top_level() {
    let text = "name: a\nbuild-base:\nbase: bare\n";
    let parsed = parse(text);
    let e = parsed
        .tree
        .entry(parsed.tree.root.unwrap(), "build-base")
        .unwrap();
    assert_eq!(u32::from(parsed.tree.span(e.value).start()), 19);
}

/// The errors of `kind` in a parse and its JSON conversion.
fn deep_errors(text: &str) -> (Parsed, ToJson) {
    let parsed = parse(text);
    let json = to_json(&parsed.tree);
    (parsed, json)
}

#[test]
fn nesting_deeper_than_the_limit_is_skipped_and_the_rest_read() {
    let n = 100_000;
    let text = format!("a: {}{}\nb: 1\n", "[".repeat(n), "]".repeat(n));
    let (parsed, json) = deep_errors(&text);
    let deep: Vec<_> = parsed
        .errors
        .iter()
        .filter(|e| e.kind == YamlErrorKind::TooDeep)
        .collect();
    assert_eq!(deep.len(), 1, "{:?}", parsed.errors);
    assert!(
        deep[0]
            .message
            .contains(&format!("more than {MAX_DEPTH} levels"))
    );
    // Reported where the first level too deep opens.
    assert_eq!(u32::from(deep[0].range.start()) as usize, 3 + MAX_DEPTH - 1);
    assert_eq!(json.value["b"], 1);
    let mut v = &json.value["a"];
    let mut levels = 0;
    while let Some(inner) = v.as_array() {
        levels += 1;
        v = &inner[0];
    }
    assert_eq!(levels, MAX_DEPTH - 1);
    assert!(v.is_null());

    // Block sequences, all on one line.
    let text = format!("a:\n{}x\nb: 1\n", "- ".repeat(n));
    let (parsed, json) = deep_errors(&text);
    assert!(
        parsed
            .errors
            .iter()
            .any(|e| e.kind == YamlErrorKind::TooDeep),
        "{:?}",
        parsed.errors
    );
    assert_eq!(json.value["b"], 1);

    // Block mappings, one level per line.
    let mut block = String::new();
    for i in 0..1_000 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    block.push_str("z: 1\n");
    let (parsed, json) = deep_errors(&block);
    assert!(
        parsed
            .errors
            .iter()
            .any(|e| e.kind == YamlErrorKind::TooDeep),
        "{:?}",
        parsed.errors
    );
    assert_eq!(json.value["z"], 1);
}

#[test]
fn alias_chains_stop_at_the_depth_limit() {
    // A long flow list raises the alias budget; then each link nests the previous one.
    let mut text = format!("pad: [{}]\nc0: &c0 [1]\n", "0, ".repeat(400_000));
    for i in 1..=1_500 {
        let _ = writeln!(text, "c{i}: &c{i} [*c{}]", i - 1);
    }
    let (parsed, json) = deep_errors(&text);
    assert!(parsed.errors.is_empty());
    let deep: Vec<_> = json
        .errors
        .iter()
        .filter(|e| e.kind == YamlErrorKind::TooDeep)
        .collect();
    assert_eq!(deep.len(), 1, "{:?}", json.errors);
    // On the alias of the first value that nests too deep.
    let at = u32::from(deep[0].range.start()) as usize;
    // c0 is a list in the root mapping: c299 (`[*c298]`) nests its `1` under 301 collections.
    assert!(
        text[at..].starts_with(&format!("*c{}]", MAX_DEPTH - 2)),
        "{}",
        &text[at..at + 10]
    );
    assert_eq!(json.value["c3"], serde_json::json!([[[[1]]]]));
}

#[test]
fn merge_key_chains_stop_at_the_depth_limit() {
    let mut text = String::from("k0: &k0 {a: 1}\n");
    for i in 1..200_000 {
        let _ = writeln!(text, "k{i}: &k{i} {{<<: *k{}}}", i - 1);
    }
    let (parsed, json) = deep_errors(&text);
    assert!(parsed.errors.is_empty());
    assert!(
        json.errors
            .iter()
            .any(|e| e.kind == YamlErrorKind::TooDeep || e.kind == YamlErrorKind::AliasBudget),
        "{:?}",
        json.errors
    );
    assert_eq!(json.value["k5"]["a"], 1);
}

/// Mappings and lists used as keys are refused, as `PyYAML` refuses them, and never converted
/// to text: 60 mappings nested as keys once took exponential time.
#[test]
fn unhashable_keys_are_reported_and_cost_nothing() {
    let mut key = String::from("a");
    for _ in 0..60 {
        key = format!("{{{key}: 1}}");
    }
    let doc = crate::core::document::Document::parse(&format!("name: x\n{key}: 1\n"));
    assert!(
        doc.yaml_errors
            .iter()
            .any(|e| e.kind == YamlErrorKind::UnhashableKey),
        "{:?}",
        doc.yaml_errors
    );
    let doc = crate::core::document::Document::parse("[a, b]: 1\n");
    assert_eq!(doc.yaml_errors.len(), 1, "{:?}", doc.yaml_errors);
    assert!(
        doc.yaml_errors[0]
            .message
            .starts_with("a list is used as a key")
    );
}

#[test]
fn nodes_stay_small() {
    // The tree holds a node per key and value: its size is most of a kept document's.
    assert!(
        std::mem::size_of::<Node>() <= 64,
        "{}",
        std::mem::size_of::<Node>()
    );
}

#[test]
fn integers_too_large_for_i64_load_as_numbers_or_their_digits() {
    let text = "a: 99_999_999_999_999_999_999\nb: 0x1_0000_0000_0000_0000\nc: -9223372036854775809\nd: 0x1_0000_0000_0000_0000_0000_0000_0000_0000\ne: !!int 18446744073709551616\n";
    let parsed = parse(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let root = parsed.tree.root.expect("root");
    for key in ["a", "b", "c", "d", "e"] {
        let value = parsed.tree.get(root, key).expect(key);
        assert_eq!(
            parsed.tree.scalar(value).map(|s| &s.value),
            Some(&ScalarValue::BigInt),
            "{key}"
        );
    }
    let json = to_json(&parsed.tree).value;
    assert_eq!(
        serde_json::to_string(&json).expect("json"),
        r#"{"a":1e+20,"b":1.8446744073709552e+19,"c":-9.223372036854776e+18,"d":"0x100000000000000000000000000000000","e":1.8446744073709552e+19}"#
    );
}
