//! rockcraft's 12-factor extensions: what each one is called, which bases it supports and
//! what it adds to a project.

pub mod registry;
