//! The tags of the schema's node table: `build.rs` writes them, the table reader reads them.

pub const NULL: u32 = 0;
pub const BOOL: u32 = 1;
pub const POS_INT: u32 = 2;
pub const NEG_INT: u32 = 3;
pub const FLOAT: u32 = 4;
pub const STRING: u32 = 5;
pub const ARRAY: u32 = 6;
pub const OBJECT: u32 = 7;
