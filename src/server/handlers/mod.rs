//! One module per LSP method, each exposing `handle(backend, params)`.

pub mod code_action;
pub mod code_lens;
pub mod completion;
pub mod definition;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod document_highlight;
pub mod document_link;
pub mod document_symbol;
pub mod execute_command;
pub mod expanded_project;
pub mod folding_range;
pub mod hover;
pub mod initialize;
pub mod initialized;
pub mod inlay_hint;
pub mod prepare_rename;
pub mod references;
pub mod rename;
pub mod selection_range;
pub mod semantic_tokens;
pub mod shutdown;
