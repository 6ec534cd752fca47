//! rockcraft-lsp: a language server and checker for `rockcraft.yaml`.
#![deny(clippy::print_stdout)]

pub mod cli;
pub mod core;
pub mod host;
pub mod server;
