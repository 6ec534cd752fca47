//! The process environment, read in one place: what the CLI and the server take from it.

use crate::core::facts;

/// Whether the environment allows experimental extensions, as it does for rockcraft
/// (`ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS` set and non-empty).
#[must_use]
pub fn experimental_extensions() -> bool {
    facts::experimental_from(std::env::var_os(facts::EXPERIMENTAL_ENV).as_deref())
}
