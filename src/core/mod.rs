//! The analysis core: plain text in, plain data with byte ranges out. No protocol types, no
//! async runtime, no file-system access except through traits.

pub mod analysis;
pub mod cancel;
pub mod code;
pub mod completion;
pub mod describe;
pub mod diagnostic;
pub mod document;
pub mod emit;
pub mod extensions;
pub mod facts;
pub mod fits;
pub mod fix;
pub mod ide;
pub mod packages;
pub mod pipeline;
pub mod prepared;
pub mod py;
pub mod rules;
pub mod schema;
pub mod suggest;
pub mod text;
pub mod yaml;
