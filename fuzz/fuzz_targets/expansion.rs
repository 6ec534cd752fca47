//! Fuzz target `expansion`: see `rockcraft_lsp::fuzz::expansion`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rockcraft_lsp::fuzz::expansion(data));
