//! `license`: `proprietary` or one SPDX license identifier from the list rockcraft uses
//! (`data/spdx-license-ids.txt`); case does not matter, rockcraft rewrites it.

use std::sync::LazyLock;

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::suggest;

use super::string_value;

static IDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("data/spdx-license-ids.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// The identifier as rockcraft spells it, found case-insensitively.
fn lookup(id: &str) -> Option<&'static str> {
    let id = id.trim();
    IDS.iter().copied().find(|k| k.eq_ignore_ascii_case(id))
}

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(entry) = doc.top_entry("license") else {
        return;
    };
    let Some(text) = string_value(doc, entry.value) else {
        return;
    };
    if text.is_empty() || text == "proprietary" {
        return;
    }
    let range = doc.range(entry.value);
    if let Some(canonical) = lookup(text) {
        if canonical != text {
            out.push(
                Diagnostic::new(
                    range,
                    Code::LicenseCase,
                    format!("rockcraft records this license as `{canonical}`"),
                )
                .with_fix(format!("Write `{canonical}`"), range, canonical),
            );
        }
        return;
    }
    let mut d = Diagnostic::new(
        range,
        Code::InvalidLicense,
        format!(
            "`{text}` is not a license rockcraft accepts: use `proprietary` or a single SPDX license identifier such as `Apache-2.0`, `MIT` or `GPL-3.0`"
        ),
    );
    let upper = text.to_ascii_uppercase();
    if [" OR ", " AND ", " WITH ", "("]
        .iter()
        .any(|op| upper.contains(op))
    {
        d.message = format!(
            "`{text}` is an SPDX expression, but rockcraft accepts only `proprietary` or a single SPDX license identifier; pick the main license (e.g. `Apache-2.0`)"
        );
    } else if let Some(old) = older_spelling(text) {
        d.message = format!(
            "rockcraft checks licenses against an older SPDX list (2.5) that does not have `{text}`; the nearest identifier it knows is `{old}`"
        );
        d = d.with_fix(format!("Replace with `{old}`"), range, old);
    } else if let Some(s) = closest(text) {
        d.message = format!(
            "`{text}` is not an SPDX license identifier rockcraft knows; did you mean `{s}`? (or use `proprietary`)"
        );
        d = d.with_fix(format!("Replace with `{s}`"), range, s);
    }
    out.push(d);
}

/// `GPL-3.0-only`, `GPL-3.0-or-later` and `GPL-3.0+` are newer or unlisted spellings of ids
/// that the old list has as `GPL-3.0`.
fn older_spelling(text: &str) -> Option<&'static str> {
    ["-only", "-or-later", "+"]
        .iter()
        .find_map(|s| text.strip_suffix(s))
        .and_then(lookup)
}

/// The identifier nearest to `text`, ignoring case, when it is a likely typo.
fn closest(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    IDS.iter()
        .copied()
        .map(|id| (suggest::distance(&lower, &id.to_ascii_lowercase()), id))
        .filter(|(d, id)| *d <= (id.len() / 4).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, id)| id)
}
