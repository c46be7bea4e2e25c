//! The tree-walking evaluator, its values and its table of built-ins.

pub mod builtins;
pub mod call;
mod errors;
pub(crate) mod interp;
pub mod shadow;

pub use call::{Args, Builtin, Ctx, EResult};
pub use errors::atom;
pub use interp::{BroadcastMode, CONSTANTS, Evaluator, Produced, Shown, UserFunction, closest};
