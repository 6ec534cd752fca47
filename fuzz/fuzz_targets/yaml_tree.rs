//! Fuzz target `yaml_tree`: see `rockcraft_lsp::fuzz::yaml_tree`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rockcraft_lsp::fuzz::yaml_tree(data));
