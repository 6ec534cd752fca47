//! Fuzz target `analysis`: see `rockcraft_lsp::fuzz::analysis`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rockcraft_lsp::fuzz::analysis(data));
