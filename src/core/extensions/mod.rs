//! rockcraft's 12-factor extensions, re-implemented natively: the registry, base dispatch,
//! each extension's checks and generated parts and services, and the merge into the project.

pub mod apply;
pub mod error;
pub mod frameworks;
pub mod fs;
pub mod merge;
pub mod model;
pub mod registry;
pub mod validate;

use serde_json::{Map, Value};

use crate::core::cancel::Cancel;

pub use error::{Anchor, BaseKey, Cause, Detail, ErrorKind, ExpandError};
pub use fs::{CancellableFs, DirEntry, Listing, MemoryFs, ProjectFs};

/// Where rockcraft's extension data files live; printed as the `source` of config-file parts.
pub const DEFAULT_EXTENSIONS_DIR: &str = "/snap/rockcraft/current/share/rockcraft/extensions";

/// Inputs an expansion needs besides the project data.
pub struct Context<'a> {
    pub fs: &'a dyn ProjectFs,
    /// [`crate::core::facts::EXPERIMENTAL_ENV`] is set to a non-empty value.
    pub experimental: bool,
    /// The extension data directory printed in generated parts.
    pub extensions_dir: &'a str,
    /// Set when the expansion is no longer wanted: it stops early (its result is then
    /// meaningless, and the caller drops it).
    pub cancel: Cancel<'a>,
}

/// One extension generation (V1 or V2 class in rockcraft): its checks and the root snippet
/// (`run_user`/`run-user`, `services`, `parts`) it merges into the project.
pub trait Extension {
    /// The name written in `extensions:`.
    fn name(&self) -> &'static str;
    /// Builds the snippet from the current project data (which already holds what earlier
    /// extensions added). Runs the extension's project checks first.
    ///
    /// # Errors
    /// A project that does not meet the extension's requirements.
    fn root_snippet(
        &self,
        project: &Map<String, Value>,
        ctx: &Context<'_>,
    ) -> Result<Map<String, Value>, ExpandError>;
}
