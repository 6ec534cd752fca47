//! Server settings: read from `initializationOptions`, then from the client's
//! `workspace/configuration` (section [`SECTION`]) after `initialized` and on every
//! `workspace/didChangeConfiguration`. Pulled settings are laid over the initialization
//! options key by key, so a client that answers with `null` (or only some keys) keeps the rest.
//!
//! ```json
//! { "experimentalExtensions": false,
//!   "packages": { "indexFiles": ["/path/to/Packages"], "aptListsDir": "/var/lib/apt/lists" },
//!   "chisel": { "releasesDir": "/path/to/chisel-releases" },
//!   "inlayHints": { "extensions": true, "overrides": true, "buildBase": true },
//!   "checkClosedFiles": false }
//! ```

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::ConfigurationItem;

use super::expansion::{self, Ctx};
use super::packages::Packages;
use crate::core::ide::inlay::HintKinds;
use crate::host::packages::{DEFAULT_APT_LISTS_DIR, PackageSettings};

/// The configuration section the server asks the client for.
pub const SECTION: &str = "rockcraft";
/// The setting that checks closed files.
pub const CHECK_CLOSED_FILES: &str = "checkClosedFiles";
/// How long to wait for the client's `workspace/configuration` answer.
const PULL_TIMEOUT: Duration = Duration::from_secs(10);
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub experimental_extensions: bool,
    pub packages: PackageSettings,
    /// Which inlay hints to give (`inlayHints.extensions`, `.overrides`, `.buildBase`).
    pub inlay_hints: HintKinds,
    /// Publish the findings of the `rockcraft.yaml` files under the workspace folders that
    /// are not open (for clients that do not pull workspace diagnostics).
    pub check_closed_files: bool,
}

impl Default for Settings {
    /// The settings of a client that sends none (the host's apt lists read).
    fn default() -> Self {
        Self::from_json(&Value::Null)
    }
}

impl Settings {
    /// The settings in a JSON object (missing or mistyped keys take their defaults).
    #[must_use]
    pub fn from_json(v: &Value) -> Self {
        let path = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::trim);
        let apt_lists_dir = match path("/packages/aptListsDir") {
            Some("") => None,
            Some(dir) => Some(PathBuf::from(dir)),
            None => Some(PathBuf::from(DEFAULT_APT_LISTS_DIR)),
        };
        Self {
            experimental_extensions: v
                .get(crate::core::facts::EXPERIMENTAL_SETTING)
                .and_then(Value::as_bool)
                .unwrap_or(false),
            packages: PackageSettings {
                index_files: v
                    .pointer("/packages/indexFiles")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .filter(|s| !s.trim().is_empty())
                            .map(PathBuf::from)
                            .collect()
                    })
                    .unwrap_or_default(),
                apt_lists_dir,
                chisel_releases_dir: path("/chisel/releasesDir")
                    .filter(|d| !d.is_empty())
                    .map(PathBuf::from),
            },
            inlay_hints: {
                let on = |key: &str| {
                    v.pointer(&format!("/inlayHints/{key}"))
                        .and_then(Value::as_bool)
                        .unwrap_or(true)
                };
                HintKinds {
                    extension_adds: on("extensions"),
                    merged: on("overrides"),
                    build_base: on("buildBase"),
                }
            },
            check_closed_files: v
                .get(CHECK_CLOSED_FILES)
                .and_then(Value::as_bool)
                .unwrap_or(false),
        }
    }
}

/// `base` with `over` laid on top: objects are merged key by key, anything else in `over`
/// (except `null`) replaces what `base` has.
#[must_use]
pub fn overlay(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (_, Value::Null) => base.clone(),
        (Value::Object(b), Value::Object(o)) => {
            let mut out = b.clone();
            for (k, v) in o {
                let merged = overlay(b.get(k).unwrap_or(&Value::Null), v);
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        _ => over.clone(),
    }
}

/// The settings state shared by the handlers and their background tasks.
#[derive(Clone, Debug, Default)]
pub struct Shared {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// `initializationOptions`, the base of every pulled configuration.
    init: OnceLock<Value>,
    /// The settings in force (`None` until first applied).
    current: Mutex<Option<Settings>>,
    /// Experimental extensions allowed (environment or setting).
    experimental: AtomicBool,
    /// Experimental extensions allowed by the environment, whatever the settings say.
    experimental_env: AtomicBool,
}

impl Shared {
    /// Records `initializationOptions` and the environment's experimental flag.
    pub fn init(&self, options: Option<&Value>, experimental_env: bool) {
        let options = options.cloned().unwrap_or(Value::Null);
        let settings = Settings::from_json(&options);
        let _ = self.inner.init.set(options);
        self.inner
            .experimental_env
            .store(experimental_env, Ordering::SeqCst);
        self.inner.experimental.store(
            experimental_env || settings.experimental_extensions,
            Ordering::SeqCst,
        );
    }

    /// The settings of the initialization options alone.
    #[must_use]
    pub fn initial(&self) -> Settings {
        Settings::from_json(self.inner.init.get().unwrap_or(&Value::Null))
    }

    /// The settings in force (those of the initialization options until the client's are
    /// applied).
    #[must_use]
    pub fn current(&self) -> Settings {
        self.inner
            .current
            .lock()
            .ok()
            .and_then(|c| c.clone())
            .unwrap_or_else(|| self.initial())
    }

    /// Whether experimental extensions are allowed now.
    #[must_use]
    pub fn experimental(&self) -> bool {
        self.inner.experimental.load(Ordering::SeqCst)
    }

    /// The settings of a client configuration value laid over the initialization options.
    #[must_use]
    pub fn with_client_value(&self, value: &Value) -> Settings {
        let init = self.inner.init.get().unwrap_or(&Value::Null);
        Settings::from_json(&overlay(init, value))
    }

    /// Puts `settings` in force: reloads the package indexes when their settings changed and
    /// expands every open document again when the experimental flag changed.
    pub fn apply(&self, ctx: &Ctx, packages: &Packages, settings: &Settings) {
        let previous = {
            let Ok(mut current) = self.inner.current.lock() else {
                return;
            };
            if current.as_ref() == Some(settings) {
                return;
            }
            current.replace(settings.clone())
        };
        tracing::info!(?settings, "settings");
        packages.configure(&ctx.events, settings.packages.clone());
        let experimental =
            self.inner.experimental_env.load(Ordering::SeqCst) || settings.experimental_extensions;
        let was = self.inner.experimental.swap(experimental, Ordering::SeqCst);
        ctx.workspace
            .set_check_closed(settings.check_closed_files, experimental);
        if previous.is_some() && was != experimental {
            let mut ctx = ctx.clone();
            ctx.experimental = experimental;
            for (uri, doc) in ctx.session.all() {
                expansion::schedule_after(&ctx, &uri, doc.snapshot, Duration::ZERO);
            }
        }
    }

    /// Allows experimental extensions on top of the settings in force, until the settings next
    /// change (the `extension-experimental` quick fix).
    pub fn allow_experimental(&self, ctx: &Ctx, packages: &Packages) {
        let current = self.current();
        let allowed = Settings {
            experimental_extensions: true,
            ..current
        };
        self.apply(ctx, packages, &allowed);
    }

    /// Asks the client for section [`SECTION`] and applies the answer laid over the
    /// initialization options (only those when the client fails or answers nothing). Run it
    /// in a spawned task: it awaits the client.
    pub async fn pull_and_apply(&self, client: Client, ctx: Ctx, packages: Packages) {
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some(SECTION.to_owned()),
        };
        let answer = tokio::time::timeout(PULL_TIMEOUT, client.configuration(vec![item])).await;
        let value = match answer {
            Ok(Ok(mut values)) if !values.is_empty() => values.swap_remove(0),
            Ok(Ok(_)) => Value::Null,
            Ok(Err(e)) => {
                tracing::warn!("workspace/configuration failed: {e}");
                Value::Null
            }
            Err(_) => {
                tracing::warn!("no answer to workspace/configuration in {PULL_TIMEOUT:?}");
                Value::Null
            }
        };
        let settings = self.with_client_value(&value);
        self.apply(&ctx, &packages, &settings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_from_json() {
        let s = Settings::from_json(&json!(null));
        assert_eq!(s, Settings::default());
        assert_eq!(
            s.packages.apt_lists_dir.as_deref(),
            Some(std::path::Path::new(DEFAULT_APT_LISTS_DIR))
        );
        let s = Settings::from_json(&json!({
            "experimentalExtensions": true,
            "packages": {"indexFiles": ["/a", 3, ""], "aptListsDir": ""},
            "chisel": {"releasesDir": "/c"},
        }));
        assert!(s.experimental_extensions);
        assert_eq!(s.packages.index_files, [PathBuf::from("/a")]);
        assert_eq!(s.packages.apt_lists_dir, None);
        assert_eq!(s.packages.chisel_releases_dir, Some(PathBuf::from("/c")));
    }

    #[test]
    fn pulled_settings_overlay_the_initialization_options() {
        let init = json!({"packages": {"indexFiles": ["/a"], "aptListsDir": "/x"}});
        let pulled = json!({"packages": {"aptListsDir": ""}, "chisel": {"releasesDir": "/c"}});
        assert_eq!(
            overlay(&init, &pulled),
            json!({"packages": {"indexFiles": ["/a"], "aptListsDir": ""}, "chisel": {"releasesDir": "/c"}})
        );
        assert_eq!(overlay(&init, &Value::Null), init);
    }
}
