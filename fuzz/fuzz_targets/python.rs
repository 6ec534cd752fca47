//! Fuzz target `python`: see `rockcraft_lsp::fuzz::python`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rockcraft_lsp::fuzz::python(data));
