//! The tree-walking evaluator, its values and its table of built-ins.

mod args;
pub mod builtins;
mod builtins_linalg;
mod errors;
mod interp;

pub use args::{Args, EResult};
pub use errors::atom;
pub use interp::{CONSTANTS, Evaluator, Produced, closest};
