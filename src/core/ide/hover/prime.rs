//! The `prime` (or `stage`) list of a framework part with a prefix rule: the rule its entries
//! must follow, how the list is read, and the list the extension would use without it today.

use std::fmt::Write as _;

use super::{At, Text};
use crate::core::facts::{doc_url, prefix_rule};
use crate::core::ide::expansion::ExpansionResult;
use crate::core::yaml::PathSeg;

/// The hover of the list's key or of one of its entries.
pub(super) fn hover(at: &At<'_>, expansion: Option<&ExpansionResult>) -> Option<Text> {
    let (part, key) = match at.path {
        [PathSeg::Key(p), PathSeg::Key(part), PathSeg::Key(key)] if p == "parts" && at.is_key => {
            (part, key)
        }
        [
            PathSeg::Key(p),
            PathSeg::Key(part),
            PathSeg::Key(key),
            PathSeg::Index(_),
        ] if p == "parts" && !at.is_key => (part, key),
        _ => return None,
    };
    let rule = prefix_rule(part).filter(|r| r.key == key.as_str())?;
    if !at.doc.is_extension_part(part) {
        return None;
    }
    let ext = rule.extension();
    let dir = rule.dir;
    let mut md = format!(
        "**`{key}`** of `{part}`: every entry must start with `{}` (an exclusion such as `-{dir}secret.txt` too), because `{ext}` puts your project's files under `{dir}`: `app.py` is `{dir}app.py`.",
        rule.prefix
    );
    if key == "prime" {
        let _ = write!(
            md,
            "\n\nWhen the first entry is not an exclusion, only the entries listed go into the image; otherwise everything in the project root does, less the exclusions."
        );
        let default = expansion.and_then(|e| e.default_prime.iter().find(|(p, _)| p == part));
        match default {
            Some((_, list)) if list.is_empty() => {
                md.push_str("\n\nWithout this list, the extension would prime nothing of your project today (none of the files it looks for exists).");
            }
            Some((_, list)) => {
                let items = list.iter().fold(String::new(), |mut out, e| {
                    let _ = writeln!(out, "  - {e}");
                    out
                });
                let _ = write!(
                    md,
                    "\n\nWithout this list, the extension would prime, as the project is today:\n\n```yaml\nprime:\n{items}```"
                );
            }
            None => {}
        }
    }
    let _ = write!(md, "\n\n[Reference]({})", doc_url(rule.doc_slug));
    Some(Text {
        markdown: md,
        from_expansion: expansion.is_some_and(|e| !e.default_prime.is_empty()),
    })
}
