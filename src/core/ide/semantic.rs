//! Semantic tokens: the names a theme can colour beyond YAML's keys and strings: extension
//! names, the parts, services and checks a project defines, the places that refer to them, and
//! which of those are an extension's generated ones (so an override stands out from a plain
//! part).

use crate::core::document::Document;
use crate::core::ide::names::{self, Role};
use crate::core::text::TextRange;

/// What a token is (the server maps each to a standard token type, in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenType {
    /// An extension named in `extensions:`.
    Extension,
    /// A part, service, check or platform where it is defined.
    Definition,
    /// A name that refers to one (`after:`, `requires:`, `entrypoint-service`, ...).
    Reference,
}

/// A token: its range (one line), its type, and whether it names something an extension
/// generates (an override, or a reference to a generated part or service).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub range: TextRange,
    pub kind: TokenType,
    pub generated: bool,
}

/// The tokens of `doc`, in text order, never overlapping.
#[must_use]
pub fn tokens(doc: &Document) -> Vec<Token> {
    let mut out: Vec<Token> = doc
        .extension_items()
        .into_iter()
        .map(|(item, _)| Token {
            range: doc.range(item),
            kind: TokenType::Extension,
            generated: false,
        })
        .collect();
    for o in names::occurrences(doc) {
        out.push(Token {
            range: o.range,
            kind: match o.role {
                Role::Definition => TokenType::Definition,
                Role::Reference => TokenType::Reference,
            },
            generated: names::generator(doc, o.kind, &o.name).is_some(),
        });
    }
    // A token is one line: a multi-line (quoted) name is left to the YAML colouring.
    out.retain(|t| !doc.text_at(t.range).contains(['\n', '\r']) && !t.range.is_empty());
    out.sort_by_key(|t| t.range.start());
    out.dedup_by(|b, a| b.range.start() < a.range.end());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_definitions_references_and_generated_names() {
        let text = "\
extensions: [flask-framework]
parts:
  flask-framework/install-app:
    prime: [flask/app/app.py]
  lib:
    plugin: nil
    after: [flask-framework/install-app]
services:
  flask:
    override: merge
    requires: [db]
  db:
    command: db
entrypoint-service: flask
";
        let doc = Document::parse(text);
        let shown: Vec<String> = tokens(&doc)
            .iter()
            .map(|t| {
                format!(
                    "{} {:?}{}",
                    doc.text_at(t.range),
                    t.kind,
                    if t.generated { " generated" } else { "" }
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                "flask-framework Extension",
                "flask-framework/install-app Definition generated",
                "lib Definition",
                "flask-framework/install-app Reference generated",
                "flask Definition generated",
                "db Reference",
                "db Definition",
                "flask Reference generated",
            ]
        );
    }

    #[test]
    fn broken_documents_have_no_overlapping_tokens() {
        for text in [
            "",
            "extensions: [\n",
            "parts:\n  \"a\nb\":\n    plugin: nil\n",
        ] {
            let doc = Document::parse(text);
            let t = tokens(&doc);
            for pair in t.windows(2) {
                assert!(pair[0].range.end() <= pair[1].range.start(), "{text:?}");
            }
        }
    }
}
