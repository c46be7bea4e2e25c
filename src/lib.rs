//! tensorcalc: an interactive calculator for scalars, vectors, matrices and
//! tensors. The library parses (`syntax`), evaluates (`eval`, `ops`,
//! `kernel`) and renders (`render`) without doing any terminal I/O; the
//! binary in `main.rs` owns the terminal.
//!
//! Unsafe code is refused everywhere but in `kernel/`, which holds the SIMD and
//! other hot loops, each such block with a `// SAFETY:` comment.

#![deny(unsafe_code)]

pub mod commands;
pub mod diagnostic;
pub mod eval;
pub mod io;
#[allow(unsafe_code)]
pub mod kernel;
pub mod ops;
pub mod prompt;
pub mod render;
pub mod session;
pub mod syntax;
pub mod value;

pub use session::{Outcome, Session};
