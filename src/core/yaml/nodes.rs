//! A tree's nodes, kept in chunks of a fixed size that the trees of successive versions of a
//! document share: the tree of an edit copies only the chunks it changes.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Index, IndexMut};
use std::sync::Arc;

use super::Node;

/// Nodes per chunk: 64 KiB of them, few enough for the allocator to hand a freed chunk to the
/// next one (larger blocks get fresh pages, which cost more to touch than to fill).
pub const CHUNK: usize = 1024;

/// The nodes of a [`super::Tree`], numbered from 0 in the order they were read.
#[derive(Clone, Default)]
pub struct Nodes {
    /// Full chunks, shared with other trees.
    full: Vec<Arc<Vec<Node>>>,
    /// The nodes after them (fewer than [`CHUNK`]).
    tail: Vec<Node>,
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

    #[must_use]
    #[inline]
    pub fn get(&self, i: usize) -> Option<&Node> {
        match self.full.get(i / CHUNK) {
            Some(chunk) => chunk.get(i % CHUNK),
            None if i / CHUNK == self.full.len() => self.tail.get(i % CHUNK),
            None => None,
        }
    }

    /// The node at `i`, for changing it (its chunk is copied first when another tree shares
    /// it).
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Node> {
        let (k, full) = (i / CHUNK, self.full.len());
        match k.cmp(&full) {
            Ordering::Less => Arc::make_mut(&mut self.full[k]).get_mut(i % CHUNK),
            Ordering::Equal => self.tail.get_mut(i % CHUNK),
            Ordering::Greater => None,
        }
    }

    pub fn push(&mut self, node: Node) {
        // The first chunk grows as needed (most documents are small, see `with_capacity`);
        // the next ones, in a document known to be large, get their room at once.
        if self.tail.capacity() == 0 && !self.full.is_empty() {
            self.tail.reserve_exact(CHUNK);
        }
        self.tail.push(node);
        if self.tail.len() == CHUNK {
            let full = std::mem::take(&mut self.tail);
            self.full.push(Arc::new(full));
        }
    }

    /// Appends the `k`th chunk of `other` without copying it, when it is full and this ends
    /// a chunk; says whether it did.
    pub(super) fn share(&mut self, other: &Nodes, k: usize) -> bool {
        match other.full.get(k) {
            Some(chunk) if self.tail.is_empty() => {
                self.full.push(Arc::clone(chunk));
                true
            }
            _ => false,
        }
    }

    /// The `k`th chunk, when it is full.
    pub(super) fn chunk(&self, k: usize) -> Option<&[Node]> {
        self.full.get(k).map(|c| c.as_slice())
    }

    /// Appends a full chunk of nodes when this ends a chunk (else gives it back).
    pub(super) fn push_chunk(&mut self, chunk: Vec<Node>) -> Result<(), Vec<Node>> {
        if self.tail.is_empty() && chunk.len() == CHUNK {
            self.full.push(Arc::new(chunk));
            Ok(())
        } else {
            Err(chunk)
        }
    }

    /// Gives back the room reserved for nodes not read.
    pub fn shrink_to_fit(&mut self) {
        self.tail.shrink_to_fit();
    }

    #[must_use]
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            chunks: self.full.iter(),
            tail: Some(&self.tail),
            current: [].iter(),
        }
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
            Some(chunk) => &chunk[i % CHUNK],
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
            &mut Arc::make_mut(&mut self.full[i / CHUNK])[i % CHUNK]
        }
    }
}

/// Two trees' nodes are equal when they hold equal nodes in the same order.
impl PartialEq for Nodes {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Nodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The nodes in order.
#[derive(Clone)]
pub struct Iter<'a> {
    chunks: std::slice::Iter<'a, Arc<Vec<Node>>>,
    tail: Option<&'a Vec<Node>>,
    current: std::slice::Iter<'a, Node>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Node;

    fn next(&mut self) -> Option<&'a Node> {
        loop {
            if let Some(node) = self.current.next() {
                return Some(node);
            }
            self.current = match self.chunks.next() {
                Some(chunk) => chunk.iter(),
                None => self.tail.take()?.iter(),
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
}
