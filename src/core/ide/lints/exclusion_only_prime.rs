//! A `prime` list made only of exclusions (`-…`) primes everything else the part produced.

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;

/// Warns on every part whose `prime` list holds only exclusions.
pub fn check(doc: &Document, out: &mut Vec<Diagnostic>) {
    for part in doc.section("parts") {
        let Some(name) = doc.tree.text(part.key) else {
            continue;
        };
        let Some(prime) = doc.tree.entry(part.value, "prime") else {
            continue;
        };
        let items = doc.tree.items(prime.value);
        let texts: Vec<&str> = items.iter().filter_map(|&i| doc.tree.text(i)).collect();
        if texts.is_empty()
            || texts.len() != items.len()
            || !texts.iter().all(|t| t.starts_with('-'))
        {
            continue;
        }
        let what = if doc.is_extension_part(name) {
            "every project file (tests, virtualenvs, local settings) except the excluded ones goes into the image"
        } else {
            "everything the part produced except the excluded paths goes into the image"
        };
        out.push(Diagnostic::new(
            doc.key_range(prime),
            Code::PrimeExcludeOnly,
            format!(
                "`{name}` lists only exclusions in `prime`, so {what}. List the paths to include first if you meant a selection"
            ),
        ));
    }
}
