//! Parts whose `after` lists lead back to themselves (`a` after `b`, `b` after `a`): craft-parts
//! cannot put them in any order, so `rockcraft pack` stops when the lifecycle starts, before
//! any step runs. A part after itself is `references`' finding; this rule reports longer circles.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;

use crate::core::code::Code;
use crate::core::diagnostic::Diagnostic;
use crate::core::text::TextRange;

use super::memo::Parts;

/// Finds the circles among the parts' facts gathered by [`super::memo`].
pub(super) fn check(parts: &Parts, out: &mut Vec<Diagnostic>) {
    // Nodes are parts (by name); an edge `a → b` is the `after` item of `a` that names `b`.
    let mut graph: DiGraph<&str, TextRange> = DiGraph::new();
    let mut index: FxHashMap<&str, NodeIndex> = FxHashMap::default();
    for name in parts.names.iter().filter_map(Option::as_deref) {
        index.entry(name).or_insert_with(|| graph.add_node(name));
    }
    for item in &parts.after {
        let Some(me) = parts
            .names
            .get(item.part as usize)
            .and_then(Option::as_deref)
        else {
            continue;
        };
        let name = item.name.as_str();
        if let (Some(&from), Some(&to)) = (index.get(me), index.get(name))
            && name != me
        {
            graph.add_edge(from, to, item.range);
        }
    }
    for component in tarjan_scc(&graph) {
        if component.len() > 1 {
            report(&graph, &component, out);
        }
    }
}

/// One finding per circle: the shortest way round from the part that sorts first, shown on its
/// first `after` item on that way.
fn report(graph: &DiGraph<&str, TextRange>, component: &[NodeIndex], out: &mut Vec<Diagnostic>) {
    let Some(&start) = component.iter().min_by_key(|&&n| graph[n]) else {
        return;
    };
    let Some(circle) = shortest_circle(graph, component, start) else {
        return;
    };
    let Some(&(_, first_item)) = circle.first() else {
        return;
    };
    let mut chain = format!("`{}`", graph[start]);
    for (to, _) in &circle {
        let _ = write!(chain, " comes after `{}`", graph[*to]);
        if *to != start {
            chain.push_str(", which");
        }
    }
    out.push(Diagnostic::new(
        first_item,
        Code::PartCycle,
        format!(
            "{chain}: these parts wait for each other, so none can be built first and `rockcraft pack` stops before building anything; remove one of these `after` entries"
        ),
    ));
}

/// The edges (target part, `after` item) of a shortest path from `start` back to itself
/// inside `component`, found breadth first.
fn shortest_circle(
    graph: &DiGraph<&str, TextRange>,
    component: &[NodeIndex],
    start: NodeIndex,
) -> Option<Vec<(NodeIndex, TextRange)>> {
    let inside: HashSet<NodeIndex> = component.iter().copied().collect();
    // How each part was first reached: (from, item).
    let mut reached: HashMap<NodeIndex, (NodeIndex, TextRange)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for edge in graph.edges(n) {
            let to = edge.target();
            if !inside.contains(&to) {
                continue;
            }
            if to == start {
                let mut path = vec![(start, *edge.weight())];
                let mut at = n;
                while at != start {
                    let (from, item) = reached[&at];
                    path.push((at, item));
                    at = from;
                }
                path.reverse();
                return Some(path);
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = reached.entry(to) {
                slot.insert((n, *edge.weight()));
                queue.push_back(to);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::core::rules::test_support::{check_diagnostics, rock};

    #[test]
    fn two_parts_after_each_other() {
        check_diagnostics(&rock(
            r"
            parts:
              b:
                plugin: nil
                after: [a]
              a:
                plugin: nil
                after: [b]
                      # ^ error[part-cycle]: `a` comes after `b`, which comes after `a`: these parts wait for each other, so none can be built first and `rockcraft pack` stops before building anything; remove one of these `after` entries
            ",
        ));
    }

    #[test]
    fn the_shortest_way_round_is_shown_once_per_circle() {
        check_diagnostics(&rock(
            r"
            parts:
              a:
                plugin: nil
                after: [z, b]
                         # ^ error[part-cycle]: `a` comes after `b`, which comes after `c`, which comes after `a`: these parts wait for each other, so none can be built first and `rockcraft pack` stops before building anything; remove one of these `after` entries
              b:
                plugin: nil
                after: [c]
              c:
                plugin: nil
                after: [a, d]
              d:
                plugin: nil
                after: [b]
              z:
                plugin: nil
            ",
        ));
    }

    #[test]
    fn orders_that_exist_are_fine() {
        check_diagnostics(&rock(
            r"
            parts:
              a:
                plugin: nil
                after: [b, c]
              b:
                plugin: nil
                after: [c]
              c:
                plugin: nil
            ",
        ));
    }
}
