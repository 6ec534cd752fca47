//! `extensions:` must be a non-empty list of registered extension names.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::extensions::registry::{self, EXTENSIONS};
use crate::core::suggest;

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(entry) = doc.top_entry("extensions") else {
        return;
    };
    let tree = &doc.tree;
    let names: Vec<&str> = EXTENSIONS.iter().map(|e| e.name).collect();
    if !tree.is_sequence(entry.value) {
        if let Some(text) = tree.text(entry.value).filter(|t| !t.is_empty()) {
            let range = doc.range(entry.value);
            out.push(
                Diagnostic::new(
                    range,
                    Code::InvalidType,
                    format!("`extensions` must be a list: rockcraft would read `{text}` letter by letter. Write `extensions: [{text}]`"),
                )
                .with_fix("Make it a one-item list", range, format!("[{text}]")),
            );
        } else {
            out.push(Diagnostic::new(
                doc.value_range(entry),
                Code::InvalidType,
                format!("`extensions` must be a list of extension names, for example `[flask-framework]`; known extensions: {}", names.join(", ")),
            ));
        }
        return;
    }
    let items = tree.items(entry.value);
    if items.is_empty() {
        out.push(Diagnostic::new(
            doc.key_range(entry),
            Code::EmptyExtensions,
            "`extensions: []` is rejected by rockcraft: list at least one extension or remove the key",
        ));
        return;
    }
    let mut seen: Vec<&str> = Vec::new();
    for &item in items {
        let range = doc.range(item);
        let Some(name) = tree.text(item).filter(|_| tree.scalar(item).is_some()) else {
            out.push(Diagnostic::new(
                range,
                Code::InvalidType,
                "each item of `extensions` must be an extension name",
            ));
            continue;
        };
        if registry::find(name).is_none() {
            let mut d = Diagnostic::new(
                range,
                Code::UnknownExtension,
                format!(
                    "rockcraft has no extension `{name}`; the extensions are {}",
                    names.join(", ")
                ),
            );
            if let Some(s) = suggest::closest(name, names.iter().copied()) {
                d.message = format!("rockcraft has no extension `{name}`; did you mean `{s}`?");
                d = d.with_fix(format!("Replace with `{s}`"), range, s);
            }
            out.push(d);
        } else if seen.contains(&name) {
            out.push(Diagnostic::new(
                range,
                Code::DuplicateExtension,
                format!("`{name}` is listed twice; rockcraft applies it twice, which duplicates what it adds. Remove this one"),
            ));
        }
        seen.push(name);
    }
}

#[cfg(test)]
mod tests {
    use crate::core::rules::test_support::{check_diagnostics, rock_without};

    #[test]
    fn extensions_list_problems() {
        check_diagnostics(&rock_without(
            &["parts"],
            r"
            extensions: [flask-framwork, flask-framework, flask-framework]
                       # ^^^^^^^^^^^^^^ error[unknown-extension]: rockcraft has no extension `flask-framwork`; did you mean `flask-framework`?
                                                        # ^^^^^^^^^^^^^^^ warning[duplicate-extension]: `flask-framework` is listed twice; rockcraft applies it twice, which duplicates what it adds. Remove this one
            ",
        ));
        check_diagnostics(
            r"
            name: my-rock
            #^^^ info[parts-missing]: the project has no `parts`: `rockcraft pack` accepts that (the rock holds only its base), but `rockcraft expand-extensions` refuses it; add a `parts:` section, or a 12-factor extension with `extensions:`
            summary: s
            description: d
            version: '1'
            base: ubuntu@24.04
            platforms:
              amd64:
            extensions: flask-framework
                      # ^^^^^^^^^^^^^^^ error[invalid-type]: `extensions` must be a list: rockcraft would read `flask-framework` letter by letter. Write `extensions: [flask-framework]`
            ",
        );
        check_diagnostics(
            r"
            name: my-rock
            #^^^ info[parts-missing]: the project has no `parts`: `rockcraft pack` accepts that (the rock holds only its base), but `rockcraft expand-extensions` refuses it; add a `parts:` section, or a 12-factor extension with `extensions:`
            summary: s
            description: d
            version: '1'
            base: ubuntu@24.04
            platforms:
              amd64:
            extensions: []
            #^^^^^^^^^ error[empty-extensions]: `extensions: []` is rejected by rockcraft: list at least one extension or remove the key
            ",
        );
    }
}
