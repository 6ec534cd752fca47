//! The edge between the pure core and the machine it runs on: the project directory, package
//! lists and chisel-releases checkouts on disk, the environment, and the server's private scratch
//! directory for documents it shows. The CLI and the server both read through here;
//! everything in it blocks, so the server calls it off the async threads.

pub mod env;
pub mod files;
pub mod fs;
pub mod memory;
pub mod packages;
pub mod scratch;
pub mod threads;
pub mod walk;
