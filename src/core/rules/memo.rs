//! The per-part rules, run part by part, and what they found kept per part: an edit that stays
//! within some parts (see [`crate::core::yaml::incremental`]) has only those parts checked
//! again, the others' findings are moved to their new place. The same pass gathers the facts
//! the rules that relate parts to each other read (each part's name and `after` items), so
//! those rules see the whole document without walking its tree.
//!
//! A part's findings depend on the part alone and on the document-wide inputs of
//! [`PartContext`], which are read from the top-level keys the caller compares before reusing
//! anything (the schema's `CONTEXT_KEYS`).

use compact_str::CompactString;

use super::{
    PartContext, filesets, name_items, packages, part_fields, part_names, plugins, prime_prefix,
};
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::facts::PREFIX_RULES;
use crate::core::text::TextRange;
use crate::core::yaml::Entry;
use crate::core::yaml::incremental::Change;

/// What the per-part rules found in each part of an analysed document, and the parts' facts,
/// for the analysis of its next edit.
#[derive(Clone, Debug, Default)]
pub struct Memo {
    parts: Option<Parts>,
}

impl Memo {
    pub(super) fn new(parts: Parts) -> Memo {
        Memo { parts: Some(parts) }
    }
}

/// The parts of a document in the order of `parts:`: their facts and the per-part findings.
#[derive(Clone, Debug, Default)]
pub(super) struct Parts {
    /// Where each part's key starts.
    keys: Vec<u32>,
    /// Each part's name: the text of its key.
    pub(super) names: Vec<Option<CompactString>>,
    /// The items of every part's `after` list that name a part, in part order.
    pub(super) after: Vec<AfterItem>,
    /// What the per-part rules found, in part order, with the index of the part.
    found: Vec<(u32, Diagnostic)>,
}

/// An item of a part's `after` list.
#[derive(Clone, Debug)]
pub(super) struct AfterItem {
    /// The index of the part whose list it is.
    pub(super) part: u32,
    pub(super) range: TextRange,
    /// The part it names, as written.
    pub(super) name: CompactString,
}

/// Runs the per-part rules on the parts of `doc`, appending their findings to `out`. With
/// `reuse`, the memo of the document `doc` was read from by `change`, only the parts within
/// the change are checked; the caller vouches that the document-wide inputs are the same.
pub(super) fn run(
    doc: &Document,
    ctx: &PartContext,
    reuse: Option<(&Memo, Change)>,
    out: &mut Vec<Diagnostic>,
) -> Parts {
    let parts = doc.section("parts");
    if let Some((memo, change)) = reuse
        && let Some(old) = &memo.parts
        && let Some(kept) = reused(doc, ctx, parts, old, change, out)
    {
        return kept;
    }
    let mut new = Parts {
        keys: Vec::with_capacity(parts.len()),
        names: Vec::with_capacity(parts.len()),
        ..Parts::default()
    };
    for &part in parts {
        new.check(doc, ctx, part, out);
    }
    new
}

impl Parts {
    /// Checks the next part and records its facts and findings.
    fn check(&mut self, doc: &Document, ctx: &PartContext, part: Entry, out: &mut Vec<Diagnostic>) {
        let index = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        let name = doc.tree.text(part.key);
        // A later part of the same name is not the one a lookup by name finds.
        let first = name.is_none_or(|n| {
            !PREFIX_RULES.iter().any(|r| r.part == n)
                || !self.names.iter().any(|m| m.as_deref() == Some(n))
        });
        self.keys.push(u32::from(doc.range(part.key).start()));
        self.names.push(name.map(CompactString::from));
        if let Some(after) = doc.tree.get(part.value, "after") {
            for (item, named) in name_items(doc, after) {
                self.after.push(AfterItem {
                    part: index,
                    range: doc.range(item),
                    name: CompactString::from(named),
                });
            }
        }
        let from = out.len();
        plugins::check_part(doc, ctx, part, out);
        packages::check_part(doc, ctx, part, out);
        part_names::check_part(doc, ctx, part, out);
        part_fields::check_part(doc, part, out);
        if first {
            prime_prefix::check_part(doc, ctx, part, out);
        }
        filesets::check_part(doc, part, out);
        self.found
            .extend(out[from..].iter().map(|d| (index, d.clone())));
    }
}

/// [`run`] from `old`, the memo of the document `doc` was read from by `change`: the parts
/// before and after the change are taken from it, the parts within it are checked. `None`
/// (and nothing appended) when the memo does not fit the document.
fn reused(
    doc: &Document,
    ctx: &PartContext,
    parts: &[Entry],
    old: &Parts,
    change: Change,
    out: &mut Vec<Diagnostic>,
) -> Option<Parts> {
    // A second part of a name would make a part's findings depend on another (see `first`);
    // such a document has a YAML problem, and the read that gives a change declines those.
    if !doc.yaml_errors.is_empty() {
        return None;
    }
    let key = |i: usize| u32::from(doc.range(parts[i].key).start());
    // The old parts before the change, and those after it.
    let before = old.keys.partition_point(|&k| k < change.start);
    let rest = old.keys.partition_point(|&k| k < change.old_end);
    let after = old.keys.len() - rest;
    let fresh = parts.len().checked_sub(before + after)?;
    let resume = before + fresh;
    // The parts around the change are the old ones, in place.
    if before > 0 && key(before - 1) != old.keys[before - 1] {
        return None;
    }
    if resume < parts.len() && Some(key(resume)) != change.map(old.keys[rest]) {
        return None;
    }
    let renumber = |i: u32| -> Option<u32> { u32::try_from(i as usize - rest + resume).ok() };
    // Everything after the change, moved first: if anything cannot be, nothing is reused.
    let split = old.found.partition_point(|(p, _)| (*p as usize) < rest);
    let found_after = old.found[split..]
        .iter()
        .map(|(p, d)| Some((renumber(*p)?, d.moved(change)?)))
        .collect::<Option<Vec<_>>>()?;
    let split_after = old.after.partition_point(|a| (a.part as usize) < rest);
    let after_after = old.after[split_after..]
        .iter()
        .map(|a| {
            Some(AfterItem {
                part: renumber(a.part)?,
                range: change.map_range(a.range)?,
                name: a.name.clone(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let keys_after = old.keys[rest..]
        .iter()
        .map(|&k| change.map(k))
        .collect::<Option<Vec<_>>>()?;
    for i in before..resume {
        let k = key(i);
        if k < change.start || k >= change.new_end {
            return None;
        }
    }

    let mut new = Parts {
        keys: Vec::with_capacity(parts.len()),
        names: Vec::with_capacity(parts.len()),
        after: Vec::with_capacity(old.after.len()),
        found: Vec::new(),
    };
    new.keys.extend_from_slice(&old.keys[..before]);
    new.names.extend_from_slice(&old.names[..before]);
    new.after
        .extend_from_slice(&old.after[..old.after.partition_point(|a| (a.part as usize) < before)]);
    let kept_before = old.found.partition_point(|(p, _)| (*p as usize) < before);
    new.found.extend_from_slice(&old.found[..kept_before]);
    out.extend(old.found[..kept_before].iter().map(|(_, d)| d.clone()));
    for &part in &parts[before..resume] {
        new.check(doc, ctx, part, out);
    }
    new.keys.extend(keys_after);
    new.names.extend_from_slice(&old.names[rest..]);
    new.after.extend(after_after);
    out.extend(found_after.iter().map(|(_, d)| d.clone()));
    new.found.extend(found_after);
    Some(new)
}
