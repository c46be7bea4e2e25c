//! What several test files share: a small deterministic generator
//! (xorshift64*), so every run checks the same cases and a failure can be
//! replayed; spawning the binary (`cli`); the prompt in a pseudo-terminal
//! (`pty`).

pub mod cli;
pub mod pty;

pub struct Gen(pub u64);

// Each test file uses the part it needs.
#[allow(dead_code)]
impl Gen {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in [-0.5, 0.5).
    pub fn f64(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
