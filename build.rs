//! Prepares at build time what the binary would otherwise parse or compile at every start:
//! rockcraft's JSON schema (`schemas/rockcraft.json`) as flat tables read in place
//! (`src/core/schema/value.rs`), and the YAML 1.1 scalar patterns
//! (`src/core/yaml/patterns.rs`) and the schema's `patternProperties` patterns as dense DFAs
//! (`yaml-*.dfa`, read by `src/core/yaml/resolve.rs`; `schema-patterns.dfa`, read by
//! `src/core/schema/mod.rs`).
//!
//! The schema's files in `OUT_DIR`:
//! - `schema-strings.txt`: every string and key of the schema, each once, end to end;
//! - `schema-nodes.bin`: one 12-byte record per value, the root first: a tag and two
//!   little-endian `u32`s (see `Tag` in `src/core/schema/value.rs` for their meaning);
//! - `schema-items.bin`: the values of arrays, as `u32` node numbers, each array's together;
//! - `schema-entries.bin`: the entries of objects in the file's order, as `u32` triples (key
//!   offset, key length, value's node), each object's together.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use regex_automata::dfa::{StartKind, dense};
use serde_json::Value;

#[path = "src/core/yaml/patterns.rs"]
mod patterns;

const SCHEMA: &str = "schemas/rockcraft.json";

#[path = "src/core/schema/tags.rs"]
mod tags;
use tags::{ARRAY, BOOL, FLOAT, NEG_INT, NULL, OBJECT, POS_INT, STRING};

#[derive(Default)]
struct Tables {
    strings: String,
    offsets: HashMap<String, (u32, u32)>,
    nodes: Vec<[u32; 3]>,
    items: Vec<u32>,
    entries: Vec<[u32; 3]>,
}

fn num(n: usize) -> u32 {
    u32::try_from(n).expect("the schema's tables fit in u32 offsets")
}

impl Tables {
    fn string(&mut self, s: &str) -> (u32, u32) {
        if let Some(&at) = self.offsets.get(s) {
            return at;
        }
        let at = (num(self.strings.len()), num(s.len()));
        self.strings.push_str(s);
        self.offsets.insert(s.to_owned(), at);
        at
    }

    /// Writes `v` at node `id` (already reserved) and its children after it, breadth first so
    /// each array's or object's children are reserved before they are filled.
    fn fill(&mut self, id: usize, v: &Value) {
        let record = match v {
            Value::Null => [NULL, 0, 0],
            Value::Bool(b) => [BOOL, u32::from(*b), 0],
            Value::Number(n) => {
                let (tag, bits) = if let Some(u) = n.as_u64() {
                    (POS_INT, u)
                } else if let Some(i) = n.as_i64() {
                    (NEG_INT, i.cast_unsigned())
                } else {
                    (FLOAT, n.as_f64().unwrap_or(f64::NAN).to_bits())
                };
                #[allow(clippy::cast_possible_truncation)]
                let (lo, hi) = (bits as u32, (bits >> 32) as u32);
                [tag, lo, hi]
            }
            Value::String(s) => {
                let (off, len) = self.string(s);
                [STRING, off, len]
            }
            Value::Array(a) => {
                let first = self.items.len();
                let ids: Vec<usize> = a.iter().map(|_| self.reserve()).collect();
                self.items.extend(ids.iter().map(|&i| num(i)));
                for (&i, item) in ids.iter().zip(a) {
                    self.fill(i, item);
                }
                [ARRAY, num(first), num(a.len())]
            }
            Value::Object(m) => {
                let first = self.entries.len();
                let mut ids = Vec::with_capacity(m.len());
                for k in m.keys() {
                    let (off, len) = self.string(k);
                    let i = self.reserve();
                    self.entries.push([off, len, num(i)]);
                    ids.push(i);
                }
                for (&i, value) in ids.iter().zip(m.values()) {
                    self.fill(i, value);
                }
                [OBJECT, num(first), num(m.len())]
            }
        };
        self.nodes[id] = record;
    }

    fn reserve(&mut self) -> usize {
        self.nodes.push([NULL, 0, 0]);
        self.nodes.len() - 1
    }
}

fn words(records: impl IntoIterator<Item = u32>) -> Vec<u8> {
    records.into_iter().flat_map(u32::to_le_bytes).collect()
}

/// Writes each YAML pattern as a dense DFA for anchored searches, in the target's byte order.
fn prepare_patterns(out: &Path) {
    let big_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| e == "big");
    for (file, pattern) in [
        ("yaml-int.dfa", patterns::INT),
        ("yaml-float.dfa", patterns::FLOAT),
        ("yaml-timestamp.dfa", patterns::TIMESTAMP),
    ] {
        let dfa = dense::Builder::new()
            .configure(dense::Config::new().start_kind(StartKind::Anchored))
            .build(pattern)
            .expect("the YAML patterns compile");
        let (bytes, pad) = if big_endian {
            dfa.to_bytes_big_endian()
        } else {
            dfa.to_bytes_little_endian()
        };
        std::fs::write(out.join(file), &bytes[pad..]).expect("OUT_DIR is writable");
    }
}

/// The `patternProperties` patterns of `v` and below it.
fn schema_patterns(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(p)) = m.get("patternProperties") {
                out.extend(p.keys().cloned());
            }
            m.values().for_each(|v| schema_patterns(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| schema_patterns(v, out)),
        _ => {}
    }
}

/// Writes the schema's `patternProperties` patterns as dense DFAs for unanchored searches (a
/// pattern matches a key it occurs in, as JSON Schema says), one record per pattern: the
/// pattern's length and the DFA's as little-endian `u32`s, then the pattern and the DFA, each
/// padded to four bytes so every DFA starts aligned. A pattern no dense DFA can express is left
/// out (it is compiled when used).
fn prepare_schema_patterns(out: &Path, schema: &Value) {
    let big_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").is_ok_and(|e| e == "big");
    let mut patterns = BTreeSet::new();
    schema_patterns(schema, &mut patterns);
    let pad = |bytes: &mut Vec<u8>| bytes.resize(bytes.len().next_multiple_of(4), 0);
    let mut file = Vec::new();
    for pattern in &patterns {
        let Ok(dfa) = dense::Builder::new()
            .configure(dense::Config::new().start_kind(StartKind::Unanchored))
            .build(pattern)
        else {
            continue;
        };
        let (bytes, skip) = if big_endian {
            dfa.to_bytes_big_endian()
        } else {
            dfa.to_bytes_little_endian()
        };
        let dfa = &bytes[skip..];
        file.extend(num(pattern.len()).to_le_bytes());
        file.extend(num(dfa.len()).to_le_bytes());
        file.extend(pattern.as_bytes());
        pad(&mut file);
        file.extend(dfa);
        pad(&mut file);
    }
    std::fs::write(out.join("schema-patterns.dfa"), file).expect("OUT_DIR is writable");
}

fn main() {
    println!("cargo::rerun-if-changed={SCHEMA}");
    println!("cargo::rerun-if-changed=src/core/yaml/patterns.rs");
    println!("cargo::rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(SCHEMA).expect("schemas/rockcraft.json is readable");
    let schema: Value = serde_json::from_str(&text).expect("schemas/rockcraft.json is JSON");
    let mut t = Tables::default();
    let root = t.reserve();
    t.fill(root, &schema);
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes).expect("OUT_DIR is writable");
    };
    write("schema-strings.txt", t.strings.as_bytes());
    write(
        "schema-nodes.bin",
        &words(t.nodes.iter().flatten().copied()),
    );
    write("schema-items.bin", &words(t.items.iter().copied()));
    write(
        "schema-entries.bin",
        &words(t.entries.iter().flatten().copied()),
    );
    prepare_patterns(out);
    prepare_schema_patterns(out, &schema);
}
