//! Zed extension for `rockcraft.yaml`: starts the `rockcraft-lsp` language server.
//!
//! The binary is, in this order: `lsp.rockcraft-lsp.binary.path` from Zed's settings, or
//! `rockcraft-lsp` on the worktree's `PATH`. `binary.arguments`, `binary.env` and
//! `initialization_options` from the same settings block are passed through.

use zed_extension_api::{
    self as zed, LanguageServerId, Result, Worktree, serde_json, settings::LspSettings,
};

/// The server's id in `extension.toml` and the name of its settings block.
const SERVER: &str = "rockcraft-lsp";

struct RockcraftExtension;

impl zed::Extension for RockcraftExtension {
    fn new() -> Self {
        RockcraftExtension
    }

    fn language_server_command(
        &mut self,
        _id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.binary);
        let (path, args, extra_env) = match binary {
            Some(b) => (
                b.path,
                b.arguments.unwrap_or_default(),
                b.env.unwrap_or_default(),
            ),
            None => (None, Vec::new(), Default::default()),
        };
        let command = match path {
            Some(path) => path,
            None => worktree.which(SERVER).ok_or_else(|| {
                format!(
                    "`{SERVER}` was not found on PATH. Install it (`cargo install --path .` in the \
                     rockcraft-lsp repository) or set `lsp.{SERVER}.binary.path` in Zed's settings."
                )
            })?,
        };
        let mut env = worktree.shell_env();
        env.extend(extra_env);
        Ok(zed::Command { command, args, env })
    }

    fn language_server_initialization_options(
        &mut self,
        _id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.initialization_options))
    }
}

zed::register_extension!(RockcraftExtension);
