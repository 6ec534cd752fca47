//! Editor features computed from a parsed document and its extension expansion: expansion
//! diagnostics, hover, code actions, the outline, folding and selection ranges, formatting. Pure data in, pure data out (byte ranges, no protocol).

pub mod actions;
pub mod default_prime;
pub mod edit;
pub mod expansion;
pub mod folding;
pub mod format;
pub mod hover;
pub mod inlay;
pub mod lens;
pub mod links;
pub mod lints;
pub mod names;
pub mod rename;
pub mod schema_nav;
pub mod selection;
pub mod semantic;
pub mod starters;
pub mod symbols;

pub use actions::{Action, ActionKind, actions};
pub use expansion::ExpansionResult;
pub use folding::{Fold, FoldKind, folding_ranges};
pub use hover::{HoverResult, hover, hover_with};
pub use selection::selection_ranges;
pub use symbols::{Symbol, SymbolKind, symbols};
