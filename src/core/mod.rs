//! The analysis core: plain text in, plain data with byte ranges out. No protocol types, no
//! async runtime, no file-system access except through traits.

pub mod text;
pub mod yaml;
