//! Selection ranges: from the word under the cursor outwards through the scalar, its mapping
//! entry, the enclosing collection and its entry, up to the whole document, following the YAML
//! tree.

use crate::core::document::Document;
use crate::core::text::{TextRange, TextSize};
use crate::core::yaml::{MAX_DEPTH, NodeKind};

/// The ranges to select at `offset`, innermost first; each one contains the one before it.
/// Always ends with the whole text.
#[must_use]
pub fn selection_ranges(doc: &Document, offset: u32) -> Vec<TextRange> {
    let mut out: Vec<TextRange> = Vec::new();
    let mut push = |r: TextRange| {
        let grows = out
            .last()
            .is_none_or(|last| r != *last && r.contains_range(*last));
        if grows {
            out.push(r);
        }
    };
    let offset = offset.min(u32::try_from(doc.text.len()).unwrap_or(u32::MAX));
    if let Some(node) = doc.tree.node_at(offset) {
        let span = doc.range(node);
        if let NodeKind::Scalar(_) = doc.tree.node(node).kind
            && let Some(word) = word_at(doc, span, offset)
        {
            push(word);
        }
        let mut cur = node;
        for _ in 0..=MAX_DEPTH * 2 {
            push(doc.content_range(doc.range(cur)));
            let Some(parent) = doc.tree.node(cur).parent else {
                break;
            };
            if let NodeKind::Mapping { entries, .. } = &doc.tree.node(parent).kind
                && let Some(e) = entries.iter().find(|e| e.key == cur || e.value == cur)
            {
                let key = doc.range(e.key);
                let value = doc.content_range(doc.range(e.value));
                push(TextRange::new(key.start(), value.end().max(key.end())));
            }
            cur = parent;
        }
    }
    push(TextRange::up_to(
        TextSize::try_from(doc.text.len()).unwrap_or_default(),
    ));
    out
}

/// The run of non-blank characters around `offset` inside a scalar's span, when it is smaller
/// than the scalar (a word of a command, a path in a quoted list).
fn word_at(doc: &Document, span: TextRange, offset: u32) -> Option<TextRange> {
    let text = doc.text_at(span);
    let at = usize::try_from(offset.checked_sub(span.start().into())?).ok()?;
    if at > text.len() || !text.is_char_boundary(at) {
        return None;
    }
    let start = text[..at].rfind(char::is_whitespace).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i);
    let trimmed_len = text.trim_end().len();
    if end <= start || (start == 0 && end >= trimmed_len) {
        return None;
    }
    let to = |n: usize| span.start() + TextSize::try_from(n).unwrap_or_default();
    Some(TextRange::new(to(start), to(end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts selected at the first `|` of `marked` (which is removed), innermost first.
    fn chain(marked: &str) -> Vec<String> {
        let at = marked.find('|').expect("a cursor mark");
        let text = marked.replacen('|', "", 1);
        let doc = Document::parse(&text);
        let ranges = selection_ranges(&doc, u32::try_from(at).unwrap());
        for pair in ranges.windows(2) {
            assert!(pair[1].contains_range(pair[0]), "{ranges:?} do not nest");
        }
        ranges
            .iter()
            .map(|r| doc.text_at(*r).replace('\n', "⏎"))
            .collect()
    }

    #[test]
    fn a_word_of_a_command_grows_to_the_document() {
        let text = "name: app\nservices:\n  web:\n    command: /bin/py|thon3 -m app\n";
        assert_eq!(
            chain(text),
            [
                "/bin/python3",
                "/bin/python3 -m app",
                "command: /bin/python3 -m app",
                "web:⏎    command: /bin/python3 -m app",
                "services:⏎  web:⏎    command: /bin/python3 -m app",
                "name: app⏎services:⏎  web:⏎    command: /bin/python3 -m app",
                "name: app⏎services:⏎  web:⏎    command: /bin/python3 -m app⏎",
            ]
        );
    }

    #[test]
    fn a_list_item_grows_through_its_list_and_entry() {
        let text = "parts:\n  p:\n    stage:\n      - a|pp\n      - lib\n";
        assert_eq!(
            chain(text),
            [
                "app",
                "- app⏎      - lib",
                "stage:⏎      - app⏎      - lib",
                "p:⏎    stage:⏎      - app⏎      - lib",
                "parts:⏎  p:⏎    stage:⏎      - app⏎      - lib",
                "parts:⏎  p:⏎    stage:⏎      - app⏎      - lib⏎",
            ]
        );
    }

    #[test]
    fn broken_empty_and_out_of_range_offsets_still_select_the_text() {
        assert_eq!(chain("|"), [""]);
        let doc = Document::parse("a: [b\n");
        assert!(!selection_ranges(&doc, 99).is_empty());
        let doc = Document::parse("k: \"é x\"\n");
        for at in 0..10 {
            assert!(!selection_ranges(&doc, at).is_empty());
        }
    }
}
