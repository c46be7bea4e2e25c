//! Compute kernels: the only module allowed `unsafe`. Every kernel has a
//! portable version that is always compiled and serves as the test oracle;
//! faster versions are chosen from the CPU's features (`dispatch`). Which
//! one runs, how many threads, and the stop flag come in an `Exec` (`exec`)
//! that every kernel receives; `TENSORCALC_KERNEL=portable` makes the
//! default `Exec` force the portable path. Nothing here is process-wide
//! mutable state, and nothing here imports ops, eval, render or session.
//!
//! Structure after bluss/matrixmultiply: one generic body per kernel, compiled
//! again inside `#[target_feature]` entry points (AVX-512, AVX2+FMA), so the
//! compiler vectorises the same code for each instruction set.

pub mod alloc;
pub mod bidiag;
mod bidiag_svd;
pub mod direct;
pub mod dispatch;
pub mod elementwise;
pub mod exec;
pub mod float;
pub mod fs;
pub mod int;
pub mod sum;
pub mod team;
pub mod tridiag;

pub mod linalg;
pub mod linalg_exact;

pub use dispatch::Isa;
pub use exec::{CancelToken, Exec, Interrupted};
pub use float::{MatMut, MatRef};
