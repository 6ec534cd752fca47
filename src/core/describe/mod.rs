//! Descriptions, in Markdown, of the things a `rockcraft.yaml` names: extensions, plugins,
//! architectures, Chisel slices, Debian packages, source types and licences. One place that hover and completion documentation both
//! call, so the editor says the same thing about a name wherever it shows it.

mod extension;
mod package;
mod plugin;
mod values;

pub use extension::{extension, extension_bases};
pub use package::{deb, slice, stage_package};
pub use plugin::plugin;
pub use values::{license, source_type};

use crate::core::facts::architecture_description;

/// Names as inline code, comma-separated.
pub(super) fn code_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

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
