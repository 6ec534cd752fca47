//! End-to-end tests: real JSON-RPC over in-memory pipes against `rockcraft_lsp::server::serve`,
//! in one test binary with its LSP test client (and, in `stdio`, the built binary over its own
//! standard streams).

mod client;
mod completion;
mod deep_input;
mod expansion;
mod format;
mod hover;
mod howto;
mod line_breaks;
mod misuse;
mod navigation;
mod overrides;
mod packages;
mod protocol;
#[path = "../common/safety.rs"]
mod safety;
mod starters;
mod stdio;
mod structure;
mod views;
mod workspace;
