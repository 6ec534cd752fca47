//! Rule tests through one `check` helper: the text goes through the full fast analysis and
//! the diagnostics are printed one per line with the underlined source text.

use crate::core::analysis::analyze;

/// Renders the diagnostics of `text` as `line:col code severity `underlined`: message`.
pub(crate) fn check(text: &str) -> String {
    let a = analyze(text);
    let mut out = String::new();
    for d in &a.diagnostics {
        let p = a.doc.lines.position(
            &a.doc.text,
            u32::from(d.range.start()),
            crate::core::text::Encoding::Utf8,
        );
        out.push_str(&format!(
            "{}:{} {} {} `{}`: {}\n",
            p.line + 1,
            p.col + 1,
            d.severity.as_str(),
            d.code,
            a.doc.text_at(d.range),
            d.message
        ));
    }
    out
}

const HEAD: &str = "name: my-rock\nsummary: s\ndescription: d\nversion: '1'\nbase: ubuntu@24.04\nplatforms:\n  amd64:\n";

#[test]
fn extensions_list_problems() {
    insta::assert_snapshot!(check(&format!("{HEAD}extensions: [flask-framwork, flask-framework, flask-framework]\n")), @"
    8:14 error unknown-extension `flask-framwork`: rockcraft has no extension `flask-framwork`; did you mean `flask-framework`?
    8:47 warning duplicate-extension `flask-framework`: `flask-framework` is listed twice; rockcraft applies it twice, which duplicates what it adds. Remove this one
    ");
    insta::assert_snapshot!(check(&format!("{HEAD}extensions: flask-framework\n")), @"
    1:1 error missing-key `name`: the project is missing the required key `parts`: add a `parts:` section, or declare a 12-factor extension with `extensions:`
    8:13 error invalid-type `flask-framework`: `extensions` must be a list: rockcraft would read `flask-framework` letter by letter. Write `extensions: [flask-framework]`
    ");
    insta::assert_snapshot!(check(&format!("{HEAD}extensions: []\n")), @"
    1:1 error missing-key `name`: the project is missing the required key `parts`: add a `parts:` section, or declare a 12-factor extension with `extensions:`
    8:1 error empty-extensions `extensions`: `extensions: []` is rejected by rockcraft: list at least one extension or remove the key
    ");
}
