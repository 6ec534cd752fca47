//! Bytes `build.rs` prepared (DFAs of patterns), embedded with the alignment their readers need.

/// Embedded bytes aligned to 4, as `regex_automata`'s `DFA::from_bytes` reads them.
#[repr(C)]
pub struct Aligned<B: ?Sized> {
    pub align: [u32; 0],
    pub bytes: B,
}

/// The file `$name` that `build.rs` wrote into `OUT_DIR`, embedded as an
/// `&'static Aligned<[u8]>`.
macro_rules! prepared {
    ($name:literal) => {
        &$crate::core::prepared::Aligned {
            align: [],
            bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/", $name)),
        }
    };
}
pub(crate) use prepared;
