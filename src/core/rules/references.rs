//! Names that point elsewhere in the project: part `after`, service `after`/`before`/`requires`
//! and `on-check-failure`. rockcraft's loading does not check them: a wrong part name stops
//! `pack` when the lifecycle starts (an error), a wrong `requires` stops Pebble from starting
//! the service, and the others are silently ignored (warnings).

use std::fmt::Write as _;

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::suggest;

use rustc_hash::FxHashSet;

use super::memo::Parts;
use super::{PartContext, quote_list, string_items};

/// Parts rockcraft adds to every project it packs.
const HIDDEN_PARTS: &[&str] = &["pebble"];

pub(super) fn check(doc: &Document, ctx: &PartContext, parts: &Parts, out: &mut Vec<Diagnostic>) {
    self::parts(ctx, parts, out);
    services(doc, out);
}

/// Part `after` items, from the parts' facts gathered by [`super::memo`].
fn parts(ctx: &PartContext, parts: &Parts, out: &mut Vec<Diagnostic>) {
    let mut known: Vec<String> = parts
        .names
        .iter()
        .filter_map(|n| n.as_deref().map(str::to_owned))
        .collect();
    for ext in &ctx.declared {
        known.extend(ext.parts.iter().map(|p| format!("{}/{p}", ext.name)));
    }
    known.extend(HIDDEN_PARTS.iter().map(|p| (*p).to_owned()));
    let known_set: FxHashSet<&str> = known.iter().map(String::as_str).collect();
    for item in &parts.after {
        let me = parts
            .names
            .get(item.part as usize)
            .and_then(Option::as_deref)
            .unwrap_or_default();
        let name = item.name.as_str();
        if name == me {
            out.push(Diagnostic::new(
                item.range,
                Code::UnknownPartRef,
                format!("part `{me}` cannot come after itself: remove `{name}` from its `after`"),
            ));
            continue;
        }
        if known_set.contains(name) {
            continue;
        }
        let mut d = Diagnostic::new(
            item.range,
            Code::UnknownPartRef,
            format!(
                "part `{me}` is to be built after `{name}`, but the project has no part `{name}`; `rockcraft pack` stops before building anything"
            ),
        );
        if let Some(s) =
            suggest::closest(name, known.iter().map(String::as_str).filter(|k| *k != me))
        {
            let _ = write!(d.message, ". Did you mean `{s}`?");
            d = d.with_fix(format!("Replace with `{s}`"), item.range, s);
        }
        out.push(d);
    }
}

fn services(doc: &Document, out: &mut Vec<Diagnostic>) {
    let mut known: Vec<&str> = doc
        .section("services")
        .iter()
        .filter_map(|s| doc.tree.text(s.key))
        .collect();
    for ext in doc.declared_extensions() {
        known.extend(ext.services.iter().copied());
    }
    let checks: Vec<&str> = doc
        .section("checks")
        .iter()
        .filter_map(|c| doc.tree.text(c.key))
        .collect();
    for svc in doc.section("services") {
        let me = doc.tree.text(svc.key).unwrap_or_default();
        for key in ["after", "before", "requires"] {
            let Some(list) = doc.tree.get(svc.value, key) else {
                continue;
            };
            for (id, name) in string_items(doc, list) {
                if known.contains(&name) && name != me {
                    continue;
                }
                let range = doc.range(id);
                let mut d = Diagnostic::new(
                    range,
                    Code::UnknownServiceRef,
                    if name == me {
                        format!("service `{me}` lists itself in `{key}`; remove it")
                    } else {
                        format!(
                            "service `{me}` lists `{name}` in `{key}`, but there is no service `{name}`; {}",
                            if key == "requires" {
                                format!("Pebble will fail to start `{me}`")
                            } else {
                                "Pebble ignores the name, so the ordering has no effect".to_owned()
                            }
                        )
                    },
                );
                if name != me
                    && let Some(s) = suggest::closest(name, known.iter().copied())
                {
                    let _ = write!(d.message, ". Did you mean `{s}`?");
                    d = d.with_fix(format!("Replace with `{s}`"), range, s);
                }
                out.push(d);
            }
        }
        let Some(map) = doc.tree.get(svc.value, "on-check-failure") else {
            continue;
        };
        for e in doc.tree.entries(map) {
            let Some(name) = doc.tree.text(e.key) else {
                continue;
            };
            if checks.contains(&name) {
                continue;
            }
            let range = doc.range(e.key);
            let mut d = Diagnostic::new(
                range,
                Code::UnknownCheckRef,
                if checks.is_empty() {
                    format!(
                        "service `{me}` reacts to check `{name}`, but the project defines no checks, so this never triggers: add the check under `checks:`"
                    )
                } else {
                    format!(
                        "service `{me}` reacts to check `{name}`, but there is no such check, so this never triggers; the checks are {}",
                        quote_list(&checks)
                    )
                },
            );
            if let Some(s) = suggest::closest(name, checks.iter().copied()) {
                d = d.with_fix(format!("Replace with `{s}`"), range, s);
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::rules::test_support::{check_diagnostics, rock};

    #[test]
    fn unknown_part_references() {
        check_diagnostics(&rock(
            r"
            parts:
              my-part:
                plugin: nil
              second:
                plugin: nil
                after: [my-prat, second, flask-framework/install-app]
                      # ^^^^^^^ error[unknown-part-ref]: part `second` is to be built after `my-prat`, but the project has no part `my-prat`; `rockcraft pack` stops before building anything. Did you mean `my-part`?
                               # ^^^^^^ error[unknown-part-ref]: part `second` cannot come after itself: remove `second` from its `after`
                                       # ^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[unknown-part-ref]: part `second` is to be built after `flask-framework/install-app`, but the project has no part `flask-framework/install-app`; `rockcraft pack` stops before building anything
            ",
        ));
    }

    #[test]
    fn unknown_service_and_check_references() {
        check_diagnostics(&rock(
            r"
            services:
              web:
                override: replace
                command: /usr/bin/web
                after: [db]
                requires: [dbb]
                         # ^^^ warning[unknown-service-ref]: service `web` lists `dbb` in `requires`, but there is no service `dbb`; Pebble will fail to start `web`. Did you mean `db`?
                on-check-failure:
                  web-up: restart
                # ^^^^^^ warning[unknown-check-ref]: service `web` reacts to check `web-up`, but the project defines no checks, so this never triggers: add the check under `checks:`
              db:
                override: replace
                command: /usr/bin/db
                before: [db]
                       # ^^ warning[unknown-service-ref]: service `db` lists itself in `before`; remove it
            ",
        ));
    }

    /// Extension parts and services, declared checks, pebble's part.
    #[test]
    fn known_references() {
        check_diagnostics(&rock(
            r"
            extensions: [flask-framework]
            parts:
              extra:
                plugin: nil
                after: [flask-framework/install-app, pebble]
            services:
              worker:
                override: replace
                command: /bin/worker
                after: [flask, statsd-exporter]
                on-check-failure:
                  up: restart
            checks:
              up:
                override: replace
                tcp:
                  port: 80
            ",
        ));
    }
}
