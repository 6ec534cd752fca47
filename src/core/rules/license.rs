//! `license`: `proprietary` or one SPDX license identifier from the list rockcraft uses
//! (`core/data/spdx-license-ids.txt`); case does not matter, rockcraft rewrites it.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::facts::{PROPRIETARY, spdx_id, spdx_ids};
use crate::core::suggest;

use super::string_value;

/// The identifier as rockcraft spells it, found case-insensitively.
fn lookup(id: &str) -> Option<&'static str> {
    spdx_id(id.trim())
}

pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    let Some(entry) = doc.top_entry("license") else {
        return;
    };
    let Some(text) = string_value(doc, entry.value) else {
        return;
    };
    if text.is_empty() || text == PROPRIETARY {
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
    spdx_ids()
        .iter()
        .copied()
        .map(|id| (suggest::distance(&lower, &id.to_ascii_lowercase()), id))
        .filter(|(d, id)| *d <= (id.len() / 4).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use crate::core::rules::test_support::{check_diagnostics, rock};

    #[test]
    fn invalid_licenses() {
        check_diagnostics(&rock(
            r"
            license: Not-A-License
                   # ^^^^^^^^^^^^^ error[invalid-license]: `Not-A-License` is not a license rockcraft accepts: use `proprietary` or a single SPDX license identifier such as `Apache-2.0`, `MIT` or `GPL-3.0`
            ",
        ));
        check_diagnostics(&rock(
            r"
            license: MTI
                   # ^^^ error[invalid-license]: `MTI` is not an SPDX license identifier rockcraft knows; did you mean `MIT`? (or use `proprietary`)
            ",
        ));
        check_diagnostics(&rock(
            r"
            license: MIT OR Apache-2.0
                   # ^^^^^^^^^^^^^^^^^ error[invalid-license]: `MIT OR Apache-2.0` is an SPDX expression, but rockcraft accepts only `proprietary` or a single SPDX license identifier; pick the main license (e.g. `Apache-2.0`)
            ",
        ));
        check_diagnostics(&rock(
            r"
            license: GPL-3.0-or-later
                   # ^^^^^^^^^^^^^^^^ error[invalid-license]: rockcraft checks licenses against an older SPDX list (2.5) that does not have `GPL-3.0-or-later`; the nearest identifier it knows is `GPL-3.0`
            ",
        ));
        check_diagnostics(&rock(
            r"
            license: apache-2.0
                   # ^^^^^^^^^^ hint[license-case]: rockcraft records this license as `Apache-2.0`
            ",
        ));
    }

    #[test]
    fn valid_licenses() {
        check_diagnostics(&rock(
            r"
            license: Apache-2.0
            ",
        ));
        check_diagnostics(&rock(
            r"
            license: proprietary
            ",
        ));
    }
}
