//! Editor features computed from a parsed document and its extension expansion: expansion
//! diagnostics, hover, code actions, the outline. Pure data in, pure data out (byte ranges, no protocol).

pub mod actions;
pub mod default_prime;
pub mod edit;
pub mod expansion;
pub mod hover;
pub mod lints;
pub mod schema_nav;
pub mod starters;
pub mod symbols;

pub use actions::{Action, ActionKind, actions};
pub use expansion::ExpansionResult;
pub use hover::{HoverResult, hover, hover_with};
pub use symbols::{Symbol, SymbolKind, symbols};
