//! One place per operation: its shape rule, which fails with an `OpError`
//! carrying both shapes, and its kernel. Shape rules never touch values.

pub mod arith;
pub mod arrays;
pub mod broadcast;
pub mod cancel;
pub mod cmath;
pub mod construct;
pub mod einops;
pub mod elementwise;
pub mod error;
pub mod everyday;
pub mod index;
pub mod limits;
pub mod linalg;
pub mod literal;
pub mod matmul;
pub mod plot;
pub mod products;
pub mod random;
pub mod reduce;
pub mod scalar;
pub mod shape;
pub mod stats;

pub use error::{OpError, OpResult};
