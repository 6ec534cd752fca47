//! Edge cases that need no `PyYAML` reference file.

use rockcraft_lsp::core::emit;
use serde_json::{Value, json};

#[test]
fn deep_nesting_does_not_panic() {
    let mut list = json!([]);
    let mut map = json!({});
    for i in 0..1000 {
        list = Value::Array(vec![list]);
        let mut m = serde_json::Map::new();
        m.insert(format!("k{i}"), map);
        map = Value::Object(m);
    }
    let out = emit::to_yaml_string(&list);
    assert!(out.starts_with("- - - ") && out.ends_with("[]\n"));
    let out = emit::to_yaml_string(&map);
    assert!(out.starts_with("k999:\n  k998:\n") && out.ends_with("{}\n"));
}

#[test]
fn basic_shapes() {
    let v = json!({"name": "x", "version": "0.1", "n": 2, "f": 2.0, "e": {}, "l": [], "z": null,
                   "parts": {"p": {"prime": ["a"]}}, "d": "a\nb\n"});
    assert_eq!(
        emit::to_yaml_string(&v),
        "name: x\nversion: '0.1'\nn: 2\nf: 2.0\ne: {}\nl: []\nz: null\nparts:\n  p:\n    prime:\n    - a\nd: |\n  a\n  b\n"
    );
    assert_eq!(emit::to_yaml_string(&json!({})), "{}\n");
    assert_eq!(emit::to_yaml_string(&json!("abc")), "abc\n...\n");
    assert_eq!(emit::to_yaml_string(&json!(1e20)), "1.0e+20\n...\n");
}

#[test]
fn unfolded_output_keeps_long_strings_on_one_line() {
    let long = "x ".repeat(60) + "end";
    let quoted = format!("'{long}: yes'");
    let v = json!({"command": long, "q": format!("{long}: yes")});
    // PyYAML's width folds both...
    let folded = emit::to_yaml_string(&v);
    assert!(folded.lines().count() > 2, "{folded}");
    // ...the unfolded form keeps each on its line, and otherwise prints the same.
    let unfolded = emit::to_yaml_string_unfolded(&v);
    assert_eq!(unfolded, format!("command: {long}\nq: {quoted}\n"));
    let short = json!({"a": ["b", {"c": "d e"}], "v": "0.1"});
    assert_eq!(
        emit::to_yaml_string_unfolded(&short),
        emit::to_yaml_string(&short)
    );
}
