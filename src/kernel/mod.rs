//! Compute kernels: the only module allowed `unsafe`. Every kernel has a
//! portable version that is always compiled and serves as the test oracle;
//! faster versions are chosen once at run time from the CPU's features
//! (`dispatch`), and `TENSORCALC_KERNEL=portable` forces the portable path.
//!
//! Structure after bluss/matrixmultiply: one generic body per kernel, compiled
//! again inside `#[target_feature]` entry points (AVX-512, AVX2+FMA, NEON), so
//! the compiler vectorises the same code for each instruction set.

pub mod alloc;
pub mod dispatch;
pub mod elementwise;
pub mod float;
pub mod int;
pub mod sum;

pub mod linalg;
pub mod linalg_exact;

pub use dispatch::{Isa, isa, set_threads, threads};
pub use float::{MatMut, MatRef};
