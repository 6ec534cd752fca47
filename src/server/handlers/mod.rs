//! One module per LSP method, each exposing `handle(backend, params)`.

pub mod code_action;
pub mod did_change;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod initialize;
pub mod initialized;
pub mod shutdown;
