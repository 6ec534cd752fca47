//! What a scalar value means: a craft-parts source type, a `license` identifier.

use std::fmt::Write as _;

use super::code_list;
use crate::core::facts::{PROPRIETARY, SourceType};

/// A craft-parts source type and the source options it takes.
#[must_use]
pub fn source_type(t: &SourceType) -> String {
    let mut md = format!("**{}**: {}", t.name, t.what);
    if t.options.is_empty() {
        md.push_str("\n\nTakes no `source-*` option besides `source-subdir`.");
    } else {
        let _ = write!(md, "\n\nOptions: {}.", code_list(t.options.iter().copied()));
    }
    md
}

/// A `license` value.
#[must_use]
pub fn license(id: &str) -> String {
    if id == PROPRIETARY {
        "The rock's licence is not an open-source one.".to_owned()
    } else {
        format!(
            "SPDX licence identifier `{id}` ([spdx.org/licenses/{id}](https://spdx.org/licenses/{id}.html)). rockcraft takes one identifier from the SPDX list 2.5, not an expression."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences() {
        assert!(license("MIT").contains("spdx.org/licenses/MIT"));
        assert!(license(PROPRIETARY).contains("not an open-source"));
    }
}
