//! One module per LSP method, each exposing `handle(backend, params)`.

pub mod code_action;
pub mod completion;
pub mod definition;
pub mod did_change;
pub mod did_change_configuration;
pub mod did_change_watched_files;
pub mod did_close;
pub mod did_open;
pub mod did_save;
pub mod document_highlight;
pub mod document_symbol;
pub mod execute_command;
pub mod expanded_project;
pub mod folding_range;
pub mod formatting;
pub mod hover;
pub mod initialize;
pub mod initialized;
pub mod prepare_rename;
pub mod range_formatting;
pub mod references;
pub mod rename;
pub mod selection_range;
pub mod shutdown;
