//! Document links: the project files that `prime`/`stage` entries of an extension's part name
//! (the framework prefix removed), local `source:` paths and `organize` sources of parts built
//! from the project directory, `source:` URLs, and each extension's reference page.

use std::collections::HashSet;

use crate::core::document::Document;
use crate::core::extensions::ProjectFs;
use crate::core::facts;
use crate::core::text::TextRange;
use crate::core::yaml::NodeId;

/// Where a link goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A path relative to the project directory (kept only when it exists there).
    ProjectPath(String),
    /// An address (`https://…`, `git://…`).
    Url(String),
}

/// One link: the text to click and where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub range: TextRange,
    pub target: Target,
    /// What the link is, shown as its tooltip.
    pub tooltip: String,
}

/// Schemes of `source:` values that are addresses a browser or editor can open.
const URL_SCHEMES: &[&str] = &["https://", "http://"];

/// The links of `doc`; project paths are kept only when `fs` finds them in the project.
#[must_use]
pub fn links(doc: &Document, fs: &dyn ProjectFs) -> Vec<Link> {
    let mut out = Vec::new();
    let mut lookup = Lookup {
        fs,
        missing_dirs: HashSet::new(),
    };
    for (item, name) in doc.extension_items() {
        if crate::core::extensions::registry::find(name).is_some() {
            out.push(Link {
                range: doc.range(item),
                target: Target::Url(facts::doc_url(&facts::extension_doc_slug(name))),
                tooltip: format!("The {name} reference"),
            });
        }
    }
    for part in doc.section("parts") {
        let Some(name) = doc.tree.text(part.key) else {
            continue;
        };
        // Entries of a framework part: the application's files under the extension's prefix.
        if let Some(rule) = facts::prefix_rule(name)
            && doc.is_extension_part(name)
            && let Some(list) = doc.tree.get(part.value, rule.key)
        {
            for &item in doc.tree.items(list) {
                let Some(entry) = doc.tree.text(item) else {
                    continue;
                };
                let (_, bare) = facts::split_mark(entry);
                if let Some(rel) = bare.strip_prefix(rule.dir) {
                    push_path(&mut out, &mut lookup, doc, item, rel, "the project's");
                }
            }
        }
        let Some(source) = doc.tree.get(part.value, "source") else {
            continue;
        };
        let Some(text) = doc.tree.text(source) else {
            continue;
        };
        if URL_SCHEMES.iter().any(|s| text.starts_with(s)) {
            out.push(Link {
                range: doc.range(source),
                target: Target::Url(text.to_owned()),
                tooltip: format!("The source of part `{name}`"),
            });
            continue;
        }
        if text.contains("://") || text.contains('$') {
            continue;
        }
        let root = text.trim_end_matches('/');
        let root = if root == "." { "" } else { root };
        push_path(
            &mut out,
            &mut lookup,
            doc,
            source,
            root,
            "the part's source,",
        );
        // `organize` sources are paths in what the part installs: for a part that copies a
        // project directory as it is (the dump plugin), paths in that directory.
        let dumps = doc
            .tree
            .get(part.value, "plugin")
            .and_then(|p| doc.tree.text(p))
            == Some("dump");
        if let Some(organize) = doc.tree.get(part.value, "organize")
            && dumps
        {
            for e in doc.tree.entries(organize) {
                let Some(from) = doc.tree.text(e.key) else {
                    continue;
                };
                let rel = if root.is_empty() {
                    from.to_owned()
                } else {
                    format!("{root}/{from}")
                };
                push_path(&mut out, &mut lookup, doc, e.key, &rel, "the project's");
            }
        }
    }
    out.sort_by_key(|l| l.range.start());
    out
}

/// Existence checks of project paths, remembering the directories found missing: a file with
/// a thousand parts whose sources sit in one missing directory costs one look, not a thousand.
struct Lookup<'f> {
    fs: &'f dyn ProjectFs,
    missing_dirs: HashSet<String>,
}

impl Lookup<'_> {
    fn exists(&mut self, rel: &str) -> bool {
        let mut dir = rel;
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if self.missing_dirs.contains(parent) {
                return false;
            }
            dir = parent;
        }
        if self.fs.exists(rel) {
            return true;
        }
        if let Some((parent, _)) = rel.rsplit_once('/')
            && !self.fs.exists(parent)
        {
            self.missing_dirs.insert(parent.to_owned());
        }
        false
    }
}

fn push_path(
    out: &mut Vec<Link>,
    lookup: &mut Lookup<'_>,
    doc: &Document,
    node: NodeId,
    rel: &str,
    what: &str,
) {
    let rel = rel.trim_end_matches('/');
    let plain = !rel.contains(['*', '?', '[', '$']) && !rel.starts_with('/');
    if !plain || rel.split('/').any(|c| c == "..") {
        return;
    }
    if !rel.is_empty() && !lookup.exists(rel) {
        return;
    }
    let shown = if rel.is_empty() { "." } else { rel };
    out.push(Link {
        range: doc.range(node),
        target: Target::ProjectPath(rel.to_owned()),
        tooltip: format!("Open {what} `{shown}`"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::extensions::fs::MemoryFs;

    fn shown(text: &str, fs: &MemoryFs) -> Vec<String> {
        let doc = Document::parse(text);
        links(&doc, fs)
            .iter()
            .map(|l| {
                let to = match &l.target {
                    Target::ProjectPath(p) => format!("project:{p}"),
                    Target::Url(u) => u.clone(),
                };
                format!("{} -> {to}", doc.text_at(l.range))
            })
            .collect()
    }

    #[test]
    fn prime_entries_sources_organize_and_extension_pages() {
        let fs = MemoryFs::new()
            .file("app.py", "")
            .dir("static")
            .file("tools/run.sh", "");
        let text = "\
extensions: [flask-framework]
parts:
  flask-framework/install-app:
    prime:
      - flask/app/app.py
      - flask/app/static/
      - flask/app/missing.py
      - -flask/app/static
      - flask/app/*.txt
  tools:
    plugin: dump
    source: tools
    organize:
      run.sh: usr/bin/run
      gone.sh: usr/bin/gone
  remote:
    plugin: nil
    source: https://github.com/canonical/rockcraft.git
  sneaky:
    plugin: dump
    source: ../outside
";
        assert_eq!(
            shown(text, &fs),
            [
                "flask-framework -> https://documentation.ubuntu.com/rockcraft/latest/reference/extensions/flask-framework",
                "flask/app/app.py -> project:app.py",
                "flask/app/static/ -> project:static",
                "-flask/app/static -> project:static",
                "tools -> project:tools",
                "run.sh -> project:tools/run.sh",
                "https://github.com/canonical/rockcraft.git -> https://github.com/canonical/rockcraft.git",
            ]
        );
    }

    /// A project file system that counts its lookups.
    struct Counting {
        inner: MemoryFs,
        stats: std::sync::atomic::AtomicUsize,
    }

    impl ProjectFs for Counting {
        fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
            self.inner.read(rel)
        }
        fn stat(&self, rel: &str) -> Option<crate::core::extensions::DirEntry> {
            self.stats.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            self.inner.stat(rel)
        }
        fn listing(&self, rel: &str, prefix: &str) -> crate::core::extensions::Listing {
            self.inner.listing(rel, prefix)
        }
        fn root_display(&self) -> String {
            self.inner.root_display()
        }
    }

    #[test]
    fn sources_in_one_missing_directory_are_looked_up_once() {
        use std::fmt::Write as _;
        let mut text = String::from("parts:\n");
        for i in 0..100 {
            let _ = writeln!(text, "  p{i}:\n    plugin: nil\n    source: src/p{i}");
        }
        let fs = Counting {
            inner: MemoryFs::new().file("other.txt", ""),
            stats: std::sync::atomic::AtomicUsize::new(0),
        };
        assert!(links(&Document::parse(&text), &fs).is_empty());
        assert_eq!(fs.stats.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    #[test]
    fn parts_of_undeclared_extensions_and_broken_files_give_no_project_links() {
        let fs = MemoryFs::new().file("app.py", "");
        let text = "parts:\n  flask-framework/install-app:\n    prime: [flask/app/app.py]\n";
        assert!(shown(text, &fs).is_empty());
        assert!(shown("parts: [\n", &fs).is_empty());
        assert!(shown("", &fs).is_empty());
    }
}
