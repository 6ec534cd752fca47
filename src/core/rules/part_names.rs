//! Part names with `/`: rockcraft (craft-application) refuses them in the parts you write
//! unless the build base (`build-base`, else `base`, as written) is one of the older bases that
//! still allow it. Extension parts you override count as parts you write.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::facts::BASES_ALLOWING_SLASH_IN_PART_NAMES;
use crate::core::yaml::Entry;

use super::PartContext;

/// The base entry that decides (`build-base`, else `base`: the raw keys, as rockcraft reads
/// them before its model, without Python spellings) as `(key, value)`, when it refuses `/`.
pub(super) fn refusing_base(doc: &Document) -> Option<(&str, &str)> {
    let root = doc.root_map()?;
    let base = doc
        .tree
        .entry(root, "build-base")
        .or_else(|| doc.tree.entry(root, "base"))?;
    let key = doc.tree.text(base.key).unwrap_or_default();
    let base_text = doc.tree.text(base.value).unwrap_or_default();
    (!BASES_ALLOWING_SLASH_IN_PART_NAMES.contains(&base_text)).then_some((key, base_text))
}

pub(super) fn check_part(
    doc: &Document,
    ctx: &PartContext,
    part: Entry,
    out: &mut Vec<Diagnostic>,
) {
    let Some((key, base_text)) = ctx.slash_refused_by else {
        return;
    };
    let Some(name) = doc.tree.text(part.key) else {
        return;
    };
    if !name.contains('/') {
        return;
    }
    let what = if ctx.is_extension_part(name) {
        format!(
            "`{name}` overrides an extension's part, but on `{key}: {base_text}` rockcraft refuses any part name with `/` written in rockcraft.yaml (\"Invalid part names\"), extension parts included: leave the part to the extension, or build on `ubuntu@24.04`"
        )
    } else {
        format!(
            "part names cannot contain `/` when building on `{key}: {base_text}` (rockcraft allows it only on older bases such as `ubuntu@24.04`): rename `{name}`, for example to `{}`",
            name.replace('/', "-")
        )
    };
    out.push(Diagnostic::new(
        doc.key_range(part),
        Code::PartNameSlash,
        what,
    ));
}

#[cfg(test)]
mod tests {
    use crate::core::code::Code;
    use crate::core::rules::test_support::{check_codes, rock};

    #[test]
    fn slashes_by_base() {
        // Allowed on the older bases.
        check_codes(
            &[Code::PartNameSlash],
            &rock(
                r"
                parts:
                  my/part:
                    plugin: nil
                ",
            ),
        );
        check_codes(
            &[Code::PartNameSlash],
            &rock(
                r"
                base: ubuntu@26.04
                parts:
                  my/part:
                # ^^^^^^^ error[part-name-slash]: part names cannot contain `/` when building on `base: ubuntu@26.04` (rockcraft allows it only on older bases such as `ubuntu@24.04`): rename `my/part`, for example to `my-part`
                    plugin: nil
                ",
            ),
        );
        // Compared as written: the deprecated spelling is not on the list.
        check_codes(
            &[Code::PartNameSlash],
            &rock(
                r"
                base: bare
                build-base: ubuntu:22.04
                parts:
                  my/part:
                # ^^^^^^^ error[part-name-slash]: part names cannot contain `/` when building on `build-base: ubuntu:22.04` (rockcraft allows it only on older bases such as `ubuntu@24.04`): rename `my/part`, for example to `my-part`
                    plugin: nil
                ",
            ),
        );
    }
}
