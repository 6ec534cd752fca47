//! Debian packages from `Packages` index text (deb822 stanzas): names, descriptions and the
//! virtual names packages provide, read as a stream of byte chunks and kept compactly (one
//! string arena, sorted offsets).
//!
//! Bounds: at most [`MAX_DEBS`] package names and as many provided names, descriptions cut to
//! [`MAX_DESCRIPTION`] bytes, lines cut to [`MAX_LINE`] bytes, so any input (binary junk, a
//! file without line breaks) is read in bounded memory.

use std::collections::{HashMap, HashSet};
use std::io::Read;

/// At most this many packages are kept from `Packages` files.
pub const MAX_DEBS: usize = 200_000;
/// Descriptions are cut to this many bytes.
pub const MAX_DESCRIPTION: usize = 1024;
/// Longer lines are cut to this many bytes.
pub const MAX_LINE: usize = 64 * 1024;

/// One Debian package of a [`DebIndex`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deb<'a> {
    pub name: &'a str,
    /// The description (synopsis, then the extended text), possibly cut.
    pub description: &'a str,
}

/// A package's place in the arena: the name at `start..start + name_len`, its description
/// right after it.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: u32,
    name_len: u32,
    desc_len: u32,
}

/// Debian packages by name.
#[derive(Clone, Debug, Default)]
pub struct DebIndex {
    arena: String,
    /// Real packages, sorted by name.
    debs: Vec<Span>,
    /// Names only provided by other packages (virtual packages), sorted; `desc_len` is 0.
    provided: Vec<Span>,
}

impl DebIndex {
    /// An index of the packages in the given `Packages` texts (first occurrence of a name wins;
    /// at most [`MAX_DEBS`] packages).
    #[must_use]
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut b = DebIndexBuilder::default();
        for text in texts {
            b.add_text(text);
        }
        b.finish()
    }

    /// A builder that reads `Packages` data incrementally.
    #[must_use]
    pub fn builder() -> DebIndexBuilder {
        DebIndexBuilder::default()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.debs.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.debs.is_empty()
    }

    fn str_at(&self, start: u32, len: u32) -> &str {
        let (s, l) = (start as usize, len as usize);
        self.arena.get(s..s + l).unwrap_or_default()
    }

    fn name(&self, s: Span) -> &str {
        self.str_at(s.start, s.name_len)
    }

    fn deb(&self, s: Span) -> Deb<'_> {
        Deb {
            name: self.name(s),
            description: self.str_at(s.start + s.name_len, s.desc_len),
        }
    }

    /// The packages whose name starts with `prefix`, in name order.
    pub fn with_prefix<'s>(&'s self, prefix: &'s str) -> impl Iterator<Item = Deb<'s>> + 's {
        let start = self.debs.partition_point(|&s| self.name(s) < prefix);
        self.debs[start..]
            .iter()
            .map(|&s| self.deb(s))
            .take_while(move |d| d.name.starts_with(prefix))
    }

    /// The package named `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<Deb<'_>> {
        self.debs
            .binary_search_by(|&s| self.name(s).cmp(name))
            .ok()
            .map(|i| self.deb(self.debs[i]))
    }

    /// Whether `name` can be installed: a package, or a name another package provides.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
            || self
                .provided
                .binary_search_by(|&s| self.name(s).cmp(name))
                .is_ok()
    }

    /// All package names (not the provided ones), in order.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.debs.iter().map(|&s| self.name(s))
    }
}

/// Reads `Packages` data into a [`DebIndex`]: whole texts with [`add_text`](Self::add_text),
/// byte chunks with [`feed`](Self::feed) (then [`end_file`](Self::end_file)), or a reader.
#[derive(Debug, Default)]
pub struct DebIndexBuilder {
    debs: HashMap<Box<str>, Box<str>>,
    provided: HashSet<Box<str>>,
    /// The unfinished last line of the data fed so far.
    partial: Vec<u8>,
    stanza: Stanza,
}

#[derive(Debug, Default)]
struct Stanza {
    name: Option<String>,
    desc: String,
    in_desc: bool,
    provides: Vec<String>,
}

impl DebIndexBuilder {
    /// Whether [`MAX_DEBS`] packages were read: the rest of the input can be skipped.
    #[must_use]
    pub fn is_full(&self) -> bool {
        self.debs.len() >= MAX_DEBS
    }

    /// Reads one whole `Packages` text.
    pub fn add_text(&mut self, text: &str) {
        self.feed(text.as_bytes());
        self.end_file();
    }

    /// Reads a chunk of `Packages` data; lines may span chunks.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        while let Some(nl) = bytes.iter().position(|&b| b == b'\n') {
            let (line, rest) = bytes.split_at(nl);
            bytes = &rest[1..];
            if self.partial.is_empty() {
                self.line(line);
            } else {
                self.push_partial(line);
                let whole = std::mem::take(&mut self.partial);
                self.line(&whole);
                self.partial = whole;
                self.partial.clear();
            }
        }
        self.push_partial(bytes);
    }

    fn push_partial(&mut self, bytes: &[u8]) {
        let room = MAX_LINE.saturating_sub(self.partial.len());
        self.partial
            .extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    /// Ends the current file: its last line and stanza are complete.
    pub fn end_file(&mut self) {
        let last = std::mem::take(&mut self.partial);
        if !last.is_empty() {
            self.line(&last);
        }
        self.end_stanza();
    }

    /// Reads all of `reader` as one file (stopping early once full).
    ///
    /// # Errors
    /// A read error of `reader` (what was read before it is kept).
    pub fn read_from(&mut self, mut reader: impl Read) -> std::io::Result<()> {
        let mut buf = vec![0u8; 64 * 1024];
        let result = loop {
            if self.is_full() {
                break Ok(());
            }
            match reader.read(&mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => self.feed(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        self.end_file();
        result
    }

    fn line(&mut self, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        // deb822: a line of nothing but spaces and tabs ends the paragraph too.
        if line.iter().all(|&b| b == b' ' || b == b'\t') {
            self.end_stanza();
            return;
        }
        let st = &mut self.stanza;
        if line[0] == b' ' || line[0] == b'\t' {
            if st.in_desc && st.desc.len() < MAX_DESCRIPTION {
                let l = String::from_utf8_lossy(line);
                let l = l.trim();
                st.desc.push('\n');
                if l != "." {
                    st.desc.push_str(l);
                }
            }
            return;
        }
        st.in_desc = false;
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return;
        };
        let (key, value) = (&line[..colon], &line[colon + 1..]);
        if key.eq_ignore_ascii_case(b"Package") {
            st.name = Some(String::from_utf8_lossy(value).trim().to_owned());
        } else if key.eq_ignore_ascii_case(b"Description") {
            let v = String::from_utf8_lossy(value);
            v.trim().clone_into(&mut st.desc);
            st.in_desc = true;
        } else if key.eq_ignore_ascii_case(b"Provides") {
            st.provides = String::from_utf8_lossy(value)
                .split([',', '|'])
                .filter_map(|p| {
                    let name = p.split(['(', ':']).next()?.trim();
                    (!name.is_empty()).then(|| name.to_owned())
                })
                .collect();
        }
    }

    fn end_stanza(&mut self) {
        let st = std::mem::take(&mut self.stanza);
        let Some(name) = st.name.filter(|n| valid_name(n)) else {
            return;
        };
        if !self.debs.contains_key(name.as_str()) && self.debs.len() < MAX_DEBS {
            let mut desc = st.desc;
            if desc.len() > MAX_DESCRIPTION {
                desc.truncate(cut(&desc, MAX_DESCRIPTION));
                desc.push('…');
            }
            self.debs.insert(name.into(), desc.into());
        }
        for p in st.provides {
            if self.provided.len() >= MAX_DEBS {
                break;
            }
            if valid_name(&p) {
                self.provided.insert(p.into());
            }
        }
    }

    /// The index of everything read.
    #[must_use]
    pub fn finish(mut self) -> DebIndex {
        self.end_file();
        let mut debs: Vec<(Box<str>, Box<str>)> = self.debs.into_iter().collect();
        debs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut provided: Vec<Box<str>> = self
            .provided
            .into_iter()
            .filter(|p| debs.binary_search_by(|d| d.0.cmp(p)).is_err())
            .collect();
        provided.sort_unstable();
        let size: usize = debs.iter().map(|(n, d)| n.len() + d.len()).sum::<usize>()
            + provided.iter().map(|p| p.len()).sum::<usize>();
        let mut index = DebIndex {
            arena: String::with_capacity(size),
            debs: Vec::with_capacity(debs.len()),
            provided: Vec::with_capacity(provided.len()),
        };
        // The arena is at most MAX_DEBS × (a line + a description) bytes, far below 4 GiB.
        let at = |arena: &String| u32::try_from(arena.len()).unwrap_or(u32::MAX);
        let len = |s: &str| u32::try_from(s.len()).unwrap_or(0);
        for (name, desc) in debs {
            let start = at(&index.arena);
            index.arena.push_str(&name);
            index.arena.push_str(&desc);
            index.debs.push(Span {
                start,
                name_len: len(&name),
                desc_len: len(&desc),
            });
        }
        for p in provided {
            let start = at(&index.arena);
            index.arena.push_str(&p);
            index.provided.push(Span {
                start,
                name_len: len(&p),
                desc_len: 0,
            });
        }
        index
    }
}

/// A byte length at most `max` that ends on a character boundary of `s`.
fn cut(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut at = max;
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A plausible package name: not empty, not absurdly long, no spaces or control characters.
fn valid_name(n: &str) -> bool {
    !n.is_empty() && n.len() <= 256 && !n.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_text_is_read() {
        let idx = DebIndex::from_texts([
            "Package: curl\nVersion: 1\nDescription: command line tool\n more text\n .\n end\n\nPackage: cups\nDescription: printing\n",
        ]);
        assert_eq!(idx.len(), 2);
        let v: Vec<_> = idx.with_prefix("cu").map(|d| d.name).collect();
        assert_eq!(v, ["cups", "curl"]);
        let curl = idx.with_prefix("curl").next().unwrap();
        assert_eq!(curl.description, "command line tool\nmore text\n\nend");
        assert!(idx.contains("cups") && !idx.contains("cu"));
    }

    #[test]
    fn first_name_wins_and_provides_are_known() {
        let idx = DebIndex::from_texts([
            "Package: a\r\nDescription: first\r\nProvides: mail-transport-agent, libfoo (= 1.0), b:any\r\n\r\nPackage: a\nDescription: second\n",
            "Package: b\nDescription: real b\n",
        ]);
        assert_eq!(idx.get("a").unwrap().description, "first");
        assert!(idx.contains("mail-transport-agent"));
        assert!(idx.contains("libfoo"));
        assert!(idx.get("mail-transport-agent").is_none());
        assert_eq!(idx.names().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn chunks_split_anywhere_give_the_same_index() {
        let text = "Package: zlib1g\nDescription: compression library\n runtime\n\nPackage: zstd\nDescription: fast\n";
        for size in 1..text.len() {
            let mut b = DebIndex::builder();
            for chunk in text.as_bytes().chunks(size) {
                b.feed(chunk);
            }
            let idx = b.finish();
            assert_eq!(idx.len(), 2, "chunk size {size}");
            assert_eq!(
                idx.get("zlib1g").unwrap().description,
                "compression library\nruntime"
            );
        }
    }

    #[test]
    fn junk_and_long_lines_are_bounded() {
        let mut junk: Vec<u8> = (0..200_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        junk.extend_from_slice(b"\n\nPackage: ok\nDescription: \xff\xfe fine\n");
        let mut b = DebIndex::builder();
        b.read_from(&junk[..]).unwrap();
        let idx = b.finish();
        assert!(idx.get("ok").unwrap().description.ends_with("fine"));
        let long = format!("Package: x\nDescription: {}\n", "é".repeat(2000));
        let idx = DebIndex::from_texts([long.as_str()]);
        let d = idx.get("x").unwrap().description;
        assert!(d.len() <= MAX_DESCRIPTION + '…'.len_utf8(), "{}", d.len());
    }
}
