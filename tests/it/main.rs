//! The integration tests that call the library directly (no protocol): one test binary, so the
//! crate is linked once. The tests over the LSP protocol are in `tests/e2e`.

mod binary;
mod cli_args;
mod cli_check;
mod cli_fix;
mod cli_formats;
mod cli_render;
mod deep_input;
mod emit_edge;
mod emit_pyyaml;
mod fix_safety;
mod format_corpus;
mod fuzz_corpus;
mod golden_expand;
mod golden_init;
mod hostile_files;
mod hostile_output;
mod ide_features;
mod pack;
#[path = "../common/safety.rs"]
mod safety;
mod schema_oracle;
