//! What rockcraft checks (by stopping with a traceback) before it expands or packs anything:
//! a readable YAML mapping with a `base`, and a build base it has a plugin table for.

use serde_json::Value;

use crate::core::document::Document;
use crate::core::extensions::frameworks::common::describe;
use crate::core::extensions::{Anchor, BaseKey, Cause, ExpandError};
use crate::core::facts::{
    BUILD_BASES, DEVEL, NEWEST_BUILD_BASE, PROJECT_DOC_SLUG, PROJECT_FILE, distro_at_series,
};
use crate::core::py::truthy;
use crate::core::yaml::{PathSeg, YamlErrorKind};

/// What rockcraft checks (by crashing) before the command runs: readable YAML, a mapping, a
/// base and a build base it has plugins for.
///
/// # Errors
/// The first check that fails, as rockcraft would stop on it.
pub fn check(doc: &Document) -> Result<(), ExpandError> {
    loadable(doc)?;
    buildable(doc.json())
}

/// The YAML loads (no error at all, duplicate keys included) into a mapping.
///
/// # Errors
/// The first YAML error, or a document that is not a mapping.
pub fn loadable(doc: &Document) -> Result<(), ExpandError> {
    if let Some(e) = doc.yaml_errors.first() {
        let (line, col) = doc.line_col(u32::from(e.range.start()));
        let what = match &e.kind {
            YamlErrorKind::DuplicateKey { key, .. } => format!("the key '{key}' is written twice"),
            _ => e.message.clone(),
        };
        return Err(ExpandError::project(
            Anchor::Document,
            format!("{PROJECT_FILE} cannot be loaded: line {line}, column {col}: {what}"),
        )
        .resolution("Fix the YAML; rockcraft stops with a traceback on this file.")
        .doc(PROJECT_DOC_SLUG));
    }
    let Value::Object(_) = doc.json() else {
        return Err(ExpandError::project(
            Anchor::Document,
            format!("{PROJECT_FILE} must be a mapping of keys to values (name, base, parts, ...)"),
        )
        .resolution("Start from `rockcraft init`.")
        .doc(PROJECT_DOC_SLUG));
    };
    Ok(())
}

/// A loaded document (`data`, its value) has a `base`, and a build base rockcraft has a plugin
/// table for.
///
/// # Errors
/// No base, a base or build base that is not a string, or one rockcraft cannot build on.
pub fn buildable(data: &Value) -> Result<(), ExpandError> {
    let Value::Object(map) = data else {
        return Ok(());
    };
    let base = map.get("base").filter(|b| !b.is_null());
    let Some(base) = base else {
        return Err(ExpandError::project(
            Anchor::Document,
            format!("{PROJECT_FILE} has no `base`; rockcraft cannot plan the build without it"),
        )
        .resolution("Add `base: ubuntu@24.04`, or `base: bare` with `build-base: ubuntu@24.04`.")
        .doc(PROJECT_DOC_SLUG));
    };
    let (key, value) = match map.get("build-base").filter(|v| truthy(v)) {
        Some(bb) => ("build-base", bb),
        None => ("base", base),
    };
    // The editor shows these on the value they blame.
    let cause = Cause::UnsupportedBase {
        key: if key == "base" {
            BaseKey::Base
        } else {
            BaseKey::BuildBase
        },
    };
    let Some(s) = value.as_str() else {
        return Err(ExpandError::project(
            Anchor::Path(vec![PathSeg::Key(key.into())]),
            format!(
                "`{key}` must be a string such as `ubuntu@24.04`, but it is {} (`{value}`)",
                describe(value)
            ),
        )
        .resolution(format!(
            "Write `{key}` as a string, for example `{key}: ubuntu@24.04`."
        ))
        .cause(cause)
        .doc(PROJECT_DOC_SLUG));
    };
    let name = distro_at_series(s);
    if name != DEVEL && name.matches('@').count() == 1 && !BUILD_BASES.contains(&name.as_str()) {
        let hint = if key == "base"
            && name.starts_with("ubuntu@")
            && name.as_str() > NEWEST_BUILD_BASE
            && !map.contains_key("build-base")
        {
            " (a development series needs `build-base: devel`)"
        } else {
            ""
        };
        return Err(ExpandError::project(
            Anchor::Path(vec![PathSeg::Key(key.into())]),
            format!("rockcraft cannot build on '{s}'{hint}: the supported build bases are {}", BUILD_BASES.join(", ")),
        )
        .resolution(format!("Change `{key}` to one of the supported build bases; rockcraft stops with an internal error on '{s}'."))
        .cause(cause)
        .doc(PROJECT_DOC_SLUG));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_checks_follow_rockcraft() {
        let ok = |t: &str| check(&Document::parse(t)).is_ok();
        assert!(ok("base: ubuntu@24.04\n"));
        assert!(ok("base: bare\n"));
        assert!(ok("base: ubuntu:22.04\n"));
        assert!(ok("base: ubuntu@26.10\nbuild-base: devel\n"));
        assert!(!ok("base: ubuntu@26.10\n"));
        assert!(!ok("base: ubuntu@18.04\n"));
        assert!(!ok("base: bare\nbuild-base: ubuntu@26.10\n"));
        assert!(!ok("name: x\n"));
        assert!(!ok("- a\n"));
        assert!(!ok("a: 1\na: 2\n"));
        assert!(!ok("a: [\n"));
    }
}
