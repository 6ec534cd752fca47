//! rockcraft-lsp: a language server and checker for `rockcraft.yaml`.

pub mod cli;
pub mod core;
#[doc(hidden)]
pub mod fuzz;
pub mod host;
pub mod server;
