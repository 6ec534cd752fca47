//! A tree's nodes, kept in chunks of a fixed size that the trees of successive versions of a
//! document share: the tree of an edit copies only the chunks it changes. A shared chunk after
//! an edit that changed the text's length keeps its nodes as they are and notes how far their
//! offsets moved, so an edit copies no chunk it does not touch.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Index, IndexMut};
use std::sync::Arc;

use super::Node;
use crate::core::text::{TextRange, TextSize};

/// Nodes per chunk: 64 KiB of them, few enough for the allocator to hand a freed chunk to the
/// next one (larger blocks get fresh pages, which cost more to touch than to fill).
pub const CHUNK: usize = 1024;

/// A full chunk of nodes, and how far its nodes' offsets have moved since they were read
/// (added to them, wrapping: an offset moved back is a large addend).
#[derive(Clone)]
struct Chunk {
    nodes: Arc<Vec<Node>>,
    shift: u32,
}

/// The nodes of a [`super::Tree`], numbered from 0 in the order they were read. A node's range
/// is read with [`Nodes::span`] (or [`super::Tree::span`]), which adds its chunk's shift.
#[derive(Clone, Default)]
pub struct Nodes {
    /// Full chunks, shared with other trees.
    full: Vec<Chunk>,
    /// The nodes after them (fewer than [`CHUNK`]); their offsets are as held.
    tail: Vec<Node>,
}

/// `r` with `by` added to both ends (wrapping, see [`Chunk`]).
fn moved(r: TextRange, by: u32) -> TextRange {
    let at = |s: TextSize| TextSize::from(u32::from(s).wrapping_add(by));
    TextRange::new(at(r.start()), at(r.end()))
}

impl Nodes {
    /// Room for `n` nodes in the first chunk (at most a chunk's worth).
    #[must_use]
    pub fn with_capacity(n: usize) -> Self {
        Self {
            full: Vec::new(),
            tail: Vec::with_capacity(n.min(CHUNK)),
        }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.full.len() * CHUNK + self.tail.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.full.is_empty() && self.tail.is_empty()
    }

    /// The node at `i` and the shift of its offsets.
    #[inline]
    fn locate(&self, i: usize) -> Option<(&Node, u32)> {
        match self.full.get(i / CHUNK) {
            Some(chunk) => chunk.nodes.get(i % CHUNK).map(|n| (n, chunk.shift)),
            None if i / CHUNK == self.full.len() => self.tail.get(i % CHUNK).map(|n| (n, 0)),
            None => None,
        }
    }

    /// The node at `i` (its kind and parent; its range is [`Nodes::span`]).
    #[must_use]
    #[inline]
    pub fn get(&self, i: usize) -> Option<&Node> {
        self.locate(i).map(|(n, _)| n)
    }

    /// The source range of the node at `i`.
    #[must_use]
    #[inline]
    pub fn span(&self, i: usize) -> Option<TextRange> {
        self.locate(i).map(|(n, shift)| moved(n.span, shift))
    }

    /// The node at `i` and its source range.
    #[must_use]
    #[inline]
    pub fn get_spanned(&self, i: usize) -> Option<(&Node, TextRange)> {
        self.locate(i).map(|(n, shift)| (n, moved(n.span, shift)))
    }

    /// Sets the source range of the node at `i` (its chunk is copied first when another tree
    /// shares it); says whether there is such a node.
    pub fn set_span(&mut self, i: usize, span: TextRange) -> bool {
        let (k, full) = (i / CHUNK, self.full.len());
        let (node, shift) = match k.cmp(&full) {
            Ordering::Less => {
                let chunk = &mut self.full[k];
                (
                    Arc::make_mut(&mut chunk.nodes).get_mut(i % CHUNK),
                    chunk.shift,
                )
            }
            Ordering::Equal => (self.tail.get_mut(i % CHUNK), 0),
            Ordering::Greater => (None, 0),
        };
        match node {
            Some(n) => {
                n.span = moved(span, shift.wrapping_neg());
                true
            }
            None => false,
        }
    }

    /// The node at `i`, for changing its kind or parent (its chunk is copied first when
    /// another tree shares it; its range is changed with [`Nodes::set_span`]).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Node> {
        let (k, full) = (i / CHUNK, self.full.len());
        match k.cmp(&full) {
            Ordering::Less => Arc::make_mut(&mut self.full[k].nodes).get_mut(i % CHUNK),
            Ordering::Equal => self.tail.get_mut(i % CHUNK),
            Ordering::Greater => None,
        }
    }

    /// Appends a node whose range is as given.
    pub fn push(&mut self, node: Node) {
        // The first chunk grows as needed (most documents are small, see `with_capacity`);
        // the next ones, in a document known to be large, get their room at once.
        if self.tail.capacity() == 0 && !self.full.is_empty() {
            self.tail.reserve_exact(CHUNK);
        }
        self.tail.push(node);
        if self.tail.len() == CHUNK {
            let full = std::mem::take(&mut self.tail);
            self.full.push(Chunk {
                nodes: Arc::new(full),
                shift: 0,
            });
        }
    }

    /// Appends the `k`th chunk of `other` without copying it, when it is full and this ends
    /// a chunk; says whether it did.
    pub(super) fn share(&mut self, other: &Nodes, k: usize) -> bool {
        self.share_moved(other, k, 0)
    }

    /// Like [`Nodes::share`], with the chunk's offsets moved by `by` (wrapping: a text made
    /// shorter by `d` moves them by `d.wrapping_neg()`). The caller knows every offset in it
    /// stays in the text.
    pub(super) fn share_moved(&mut self, other: &Nodes, k: usize, by: u32) -> bool {
        match other.full.get(k) {
            Some(chunk) if self.tail.is_empty() => {
                self.full.push(Chunk {
                    nodes: Arc::clone(&chunk.nodes),
                    shift: chunk.shift.wrapping_add(by),
                });
                true
            }
            _ => false,
        }
    }

    /// The source ranges of the `k`th chunk's nodes, when it is full.
    pub(super) fn chunk_spans(&self, k: usize) -> Option<impl Iterator<Item = TextRange> + '_> {
        self.full
            .get(k)
            .map(|c| c.nodes.iter().map(move |n| moved(n.span, c.shift)))
    }

    /// How many full chunks this holds in common with `other` (the same memory).
    #[cfg(test)]
    pub(super) fn chunks_shared_with(&self, other: &Nodes) -> usize {
        self.full
            .iter()
            .zip(&other.full)
            .filter(|(a, b)| Arc::ptr_eq(&a.nodes, &b.nodes))
            .count()
    }

    #[cfg(test)]
    pub(super) fn full_chunks(&self) -> usize {
        self.full.len()
    }

    /// Gives back the room reserved for nodes not read.
    pub fn shrink_to_fit(&mut self) {
        self.tail.shrink_to_fit();
    }

    /// The nodes in order (their kinds and parents; see [`Nodes::spanned`] for their ranges).
    #[must_use]
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            chunks: self.full.iter(),
            tail: Some(&self.tail),
            current: [].iter(),
            shift: 0,
        }
    }

    /// The nodes in order, each with its source range.
    pub fn spanned(&self) -> impl Iterator<Item = (TextRange, &Node)> + '_ {
        let mut it = self.iter();
        std::iter::from_fn(move || {
            let n = it.next()?;
            Some((moved(n.span, it.shift), n))
        })
    }
}

impl Extend<Node> for Nodes {
    fn extend<I: IntoIterator<Item = Node>>(&mut self, nodes: I) {
        for node in nodes {
            self.push(node);
        }
    }
}

impl Index<usize> for Nodes {
    type Output = Node;

    #[inline]
    fn index(&self, i: usize) -> &Node {
        match self.full.get(i / CHUNK) {
            Some(chunk) => &chunk.nodes[i % CHUNK],
            None => &self.tail[i - self.full.len() * CHUNK],
        }
    }
}

impl IndexMut<usize> for Nodes {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut Node {
        let base = self.full.len() * CHUNK;
        if i >= base {
            &mut self.tail[i - base]
        } else {
            &mut Arc::make_mut(&mut self.full[i / CHUNK].nodes)[i % CHUNK]
        }
    }
}

/// Two trees' nodes are equal when they hold equal nodes, at the same ranges, in the same
/// order.
impl PartialEq for Nodes {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .spanned()
                .zip(other.spanned())
                .all(|((r, a), (s, b))| r == s && a.kind == b.kind && a.parent == b.parent)
    }
}

impl fmt::Debug for Nodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.spanned().map(|(span, n)| Node {
                span,
                kind: n.kind.clone(),
                parent: n.parent,
            }))
            .finish()
    }
}

/// The nodes in order.
#[derive(Clone)]
pub struct Iter<'a> {
    chunks: std::slice::Iter<'a, Chunk>,
    tail: Option<&'a Vec<Node>>,
    current: std::slice::Iter<'a, Node>,
    /// The shift of the chunk `current` reads.
    shift: u32,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Node;

    fn next(&mut self) -> Option<&'a Node> {
        loop {
            if let Some(node) = self.current.next() {
                return Some(node);
            }
            (self.current, self.shift) = match self.chunks.next() {
                Some(chunk) => (chunk.nodes.iter(), chunk.shift),
                None => (self.tail.take()?.iter(), 0),
            };
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.current.len() + self.chunks.len() * CHUNK + self.tail.map_or(0, Vec::len);
        (n, Some(n))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Nodes {
    type Item = &'a Node;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::text::TextRange;
    use crate::core::yaml::NodeKind;

    fn node(i: usize) -> Node {
        let at = u32::try_from(i).expect("small").into();
        Node {
            span: TextRange::new(at, at),
            kind: NodeKind::Alias { target: None },
            parent: None,
        }
    }

    #[test]
    fn nodes_are_found_across_chunks_and_shared_chunks_are_copied_on_change() {
        let mut a = Nodes::default();
        for i in 0..CHUNK * 2 + 5 {
            a.push(node(i));
        }
        assert_eq!(a.len(), CHUNK * 2 + 5);
        assert_eq!(a.iter().len(), a.len());
        assert!(a.iter().enumerate().all(|(i, n)| *n == node(i)));
        assert_eq!(a[CHUNK + 3], node(CHUNK + 3));
        assert_eq!(a.get(CHUNK * 2 + 4), Some(&node(CHUNK * 2 + 4)));
        assert_eq!(a.get(CHUNK * 2 + 5), None);
        assert_eq!(a.get(CHUNK * 3), None);
        let mut b = Nodes::default();
        assert!(b.share(&a, 0) && b.share(&a, 1) && !b.share(&a, 2));
        for i in CHUNK * 2..CHUNK * 2 + 5 {
            b.push(node(i));
        }
        assert_eq!(a, b);
        b[1] = node(7);
        assert_eq!(a[1], node(1));
        assert_eq!(b[1], node(7));
        assert_ne!(a, b);
        b.push(node(0));
        assert!(!b.share(&a, 1));
    }

    fn at(a: u32, b: u32) -> TextRange {
        TextRange::new(a.into(), b.into())
    }

    #[test]
    fn a_shared_chunk_reads_its_offsets_moved_and_keeps_the_move_when_copied() {
        let mut a = Nodes::default();
        for i in 0..CHUNK + 2 {
            a.push(node(i));
        }
        let mut b = Nodes::default();
        assert!(b.share_moved(&a, 0, 10));
        let mut c = Nodes::default();
        // Moved back by 5 from `b`: 5 after `a`.
        assert!(c.share_moved(&b, 0, 5u32.wrapping_neg()));
        assert_eq!(b.span(3), Some(at(13, 13)));
        assert_eq!(c.span(3), Some(at(8, 8)));
        assert_eq!(c.spanned().nth(4).map(|(r, _)| r), Some(at(9, 9)));
        assert!(c.set_span(3, at(1, 2)));
        assert_eq!(c.span(3), Some(at(1, 2)));
        assert_eq!(c.span(4), Some(at(9, 9)));
        assert_eq!(b.span(3), Some(at(13, 13)));
        assert_eq!(a.span(3), Some(at(3, 3)));
        assert!(!c.set_span(CHUNK, at(0, 0)));
        // Equal nodes at moved ranges are not equal.
        let mut d = Nodes::default();
        assert!(d.share(&a, 0));
        assert_ne!(b, d);
    }
}
