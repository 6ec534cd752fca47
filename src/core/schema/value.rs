//! The schema's values, read in place from tables the build script prepares (`build.rs`):
//! nothing is parsed or allocated when a run starts, and the tables hold offsets, not
//! pointers, so loading the binary has nothing to relocate either.
//!
//! [`Value`] is a handle on one JSON value of the schema with the part of `serde_json::Value`'s
//! interface the schema's readers use; [`Value::to_json`] makes a `serde_json::Value` when one
//! is needed.

use std::fmt;

const STRINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/schema-strings.txt"));
const NODES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/schema-nodes.bin"));
const ITEMS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/schema-items.bin"));
const ENTRIES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/schema-entries.bin"));

use super::tags::{ARRAY, BOOL, FLOAT, NEG_INT, NULL, OBJECT, POS_INT, STRING};

/// The `u32` at word `i` of `table` (0 past its end: the tables are the build script's, so
/// that never happens, but nothing here may panic).
fn word(table: &[u8], i: usize) -> u32 {
    table
        .get(i * 4..i * 4 + 4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

fn string(off: u32, len: u32) -> &'static str {
    let (off, len) = (off as usize, len as usize);
    STRINGS.get(off..off + len).unwrap_or("")
}

/// One value of rockcraft's schema. Two handles are equal when they are the same value of the
/// schema (as references to one `serde_json::Value` would be), not merely equal values.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Value(u32);

/// What a [`Value`] is, to match on.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(&'static str),
    Array(Array),
    Object(Object),
}

/// A JSON array of the schema.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Array {
    first: u32,
    len: u32,
}

/// A JSON object of the schema, its entries in the file's order.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Object {
    first: u32,
    len: u32,
}

/// The schema's root.
pub(super) const ROOT: Value = Value(0);

impl Value {
    fn record(self) -> (u32, u32, u32) {
        let i = self.0 as usize * 3;
        (word(NODES, i), word(NODES, i + 1), word(NODES, i + 2))
    }

    /// What the value is.
    #[must_use]
    pub fn kind(self) -> Kind {
        let (tag, a, b) = self.record();
        let bits = u64::from(a) | (u64::from(b) << 32);
        match tag {
            BOOL => Kind::Bool(a != 0),
            POS_INT => Kind::Number(bits.into()),
            NEG_INT => Kind::Number(bits.cast_signed().into()),
            FLOAT => {
                serde_json::Number::from_f64(f64::from_bits(bits)).map_or(Kind::Null, Kind::Number)
            }
            STRING => Kind::String(string(a, b)),
            ARRAY => Kind::Array(Array { first: a, len: b }),
            OBJECT => Kind::Object(Object { first: a, len: b }),
            _ => Kind::Null,
        }
    }

    /// The value of `key` when this is an object that has it.
    #[must_use]
    pub fn get(self, key: &str) -> Option<Value> {
        self.as_object()?.get(key)
    }

    /// The value at a JSON pointer (`/$defs/Part`) below this one.
    #[must_use]
    pub fn pointer(self, pointer: &str) -> Option<Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/').try_fold(self, |v, token| {
            let token = token.replace("~1", "/").replace("~0", "~");
            match v.kind() {
                Kind::Object(o) => o.get(&token),
                Kind::Array(a) => token.parse().ok().and_then(|i| a.get(i)),
                _ => None,
            }
        })
    }

    #[must_use]
    pub fn as_str(self) -> Option<&'static str> {
        match self.kind() {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_array(self) -> Option<Array> {
        match self.kind() {
            Kind::Array(a) => Some(a),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_object(self) -> Option<Object> {
        match self.kind() {
            Kind::Object(o) => Some(o),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_bool(self) -> Option<bool> {
        match self.kind() {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_u64(self) -> Option<u64> {
        match self.kind() {
            Kind::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_f64(self) -> Option<f64> {
        match self.kind() {
            Kind::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    #[must_use]
    pub fn is_object(self) -> bool {
        self.record().0 == OBJECT
    }

    #[must_use]
    pub fn is_null(self) -> bool {
        self.record().0 == NULL
    }

    /// The value as a `serde_json::Value` (built anew: for the few readers that need one).
    #[must_use]
    pub fn to_json(self) -> serde_json::Value {
        match self.kind() {
            Kind::Null => serde_json::Value::Null,
            Kind::Bool(b) => serde_json::Value::Bool(b),
            Kind::Number(n) => serde_json::Value::Number(n),
            Kind::String(s) => serde_json::Value::String(s.to_owned()),
            Kind::Array(a) => a.iter().map(Value::to_json).collect(),
            Kind::Object(o) => serde_json::Value::Object(
                o.iter().map(|(k, v)| (k.to_owned(), v.to_json())).collect(),
            ),
        }
    }
}

/// Compact JSON, as `serde_json::Value`'s `Display` writes it.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_json(), f)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "schema#{} {self}", self.0)
    }
}

impl Array {
    #[must_use]
    pub fn len(self) -> usize {
        self.len as usize
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The item at `i`.
    #[must_use]
    pub fn get(self, i: usize) -> Option<Value> {
        (i < self.len()).then(|| Value(word(ITEMS, self.first as usize + i)))
    }

    /// The items in order.
    pub fn iter(self) -> Items {
        let first = self.first as usize;
        (first..first + self.len()).map(item as fn(usize) -> Value)
    }
}

/// The items of an [`Array`].
pub type Items = std::iter::Map<std::ops::Range<usize>, fn(usize) -> Value>;

/// The entries of an [`Object`].
pub type Entries = std::iter::Map<std::ops::Range<usize>, fn(usize) -> (&'static str, Value)>;

/// Item `i` of the items table.
fn item(i: usize) -> Value {
    Value(word(ITEMS, i))
}

/// Entry `i` of the entries table.
fn entry(i: usize) -> (&'static str, Value) {
    let w = i * 3;
    (
        string(word(ENTRIES, w), word(ENTRIES, w + 1)),
        Value(word(ENTRIES, w + 2)),
    )
}

impl IntoIterator for Array {
    type Item = Value;
    type IntoIter = Items;
    fn into_iter(self) -> Items {
        self.iter()
    }
}

impl fmt::Debug for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Object {
    #[must_use]
    pub fn len(self) -> usize {
        self.len as usize
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The value of `key`.
    #[must_use]
    pub fn get(self, key: &str) -> Option<Value> {
        self.iter().find_map(|(k, v)| (k == key).then_some(v))
    }

    #[must_use]
    pub fn contains_key(self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The entries in the file's order.
    pub fn iter(self) -> Entries {
        let first = self.first as usize;
        (first..first + self.len()).map(entry as fn(usize) -> (&'static str, Value))
    }

    #[must_use]
    pub fn keys(self) -> impl DoubleEndedIterator<Item = &'static str> + ExactSizeIterator + Clone {
        self.iter().map(|(k, _)| k)
    }

    #[must_use]
    pub fn values(self) -> impl DoubleEndedIterator<Item = Value> + ExactSizeIterator + Clone {
        self.iter().map(|(_, v)| v)
    }
}

impl IntoIterator for Object {
    type Item = (&'static str, Value);
    type IntoIter = Entries;
    fn into_iter(self) -> Entries {
        self.iter()
    }
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables stand for exactly the JSON file: every value, key order and number alike.
    #[test]
    fn the_tables_are_the_schema_file() {
        let parsed: serde_json::Value =
            serde_json::from_str(include_str!("../../../schemas/rockcraft.json")).unwrap();
        let rebuilt = ROOT.to_json();
        assert_eq!(rebuilt, parsed);
        assert_eq!(
            serde_json::to_string(&rebuilt).unwrap(),
            serde_json::to_string(&parsed).unwrap(),
            "the same order and the same numbers"
        );
    }

    #[test]
    fn values_are_read_as_serde_json_reads_them() {
        let part = ROOT.pointer("/$defs/Part").unwrap();
        assert!(part.is_object());
        assert_eq!(part.get("type").and_then(Value::as_str), Some("object"));
        assert!(part.get("nope").is_none());
        let all = part.get("allOf").and_then(Value::as_array).unwrap();
        assert!(!all.is_empty());
        assert_eq!(all.iter().count(), all.len());
        assert!(all.get(all.len()).is_none());
        assert_eq!(
            ROOT.pointer("/$defs/Part/allOf/0"),
            all.get(0),
            "a pointer reaches array items"
        );
        assert_eq!(ROOT.pointer(""), Some(ROOT));
        assert!(ROOT.pointer("nope").is_none());
        assert_eq!(ROOT.to_string(), ROOT.to_json().to_string());
    }
}
