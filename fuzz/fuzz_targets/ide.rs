//! Fuzz target `ide`: see `rockcraft_lsp::fuzz::ide`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rockcraft_lsp::fuzz::ide(data));
