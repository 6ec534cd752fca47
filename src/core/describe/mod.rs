//! Descriptions, in Markdown, of the things a `rockcraft.yaml` names: extensions, architectures,
//! Chisel slices and Debian packages. One place that hover and completion documentation both
//! call, so the editor says the same thing about a name wherever it shows it.

mod extension;
mod package;

pub use extension::{extension, extension_bases};
pub use package::{deb, slice, stage_package};

use crate::core::facts::architecture_description;

/// An architecture: its few words, or `None` for a name rockcraft does not know.
#[must_use]
pub fn architecture(arch: &str) -> Option<String> {
    architecture_description(arch).map(|d| format!("**`{arch}`**: {d}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn architectures() {
        insta::assert_snapshot!(architecture("arm64").unwrap(), @"**`arm64`**: 64-bit ARM (AArch64): ARM servers, Raspberry Pi 4 and later, Apple silicon VMs.");
        assert_eq!(architecture("x86_64"), None);
    }
}
