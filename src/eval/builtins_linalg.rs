//! Built-ins of numpy.linalg (det, inv, solve, svd, ...), in their own table
//! so the core table stays readable. Empty until linear algebra lands.

use super::builtins::Builtin;

pub static LINALG: &[Builtin] = &[];
