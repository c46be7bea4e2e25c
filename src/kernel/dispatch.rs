//! Which instruction set the kernels use, decided once per process, and how
//! many threads large kernels may use.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The instruction sets with kernels of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// x86-64 with AVX-512F/DQ/VL (and AVX2+FMA, which they imply here).
    Avx512,
    /// x86-64 with AVX2 and FMA.
    Avx2Fma,
    /// aarch64 with NEON (always present there).
    Neon,
    /// Plain Rust, whatever the compiler's baseline target gives.
    Portable,
}

/// The environment variable that forces a kernel family:
/// `portable`, `avx2`, `avx512` or `neon` (ignored when the CPU lacks it).
pub const KERNEL_ENV: &str = "TENSORCALC_KERNEL";
/// The environment variable with the default thread count.
pub const THREADS_ENV: &str = "TENSORCALC_THREADS";

static ISA: OnceLock<Isa> = OnceLock::new();

/// The instruction set the kernels use in this process.
pub fn isa() -> Isa {
    *ISA.get_or_init(|| choose(std::env::var(KERNEL_ENV).ok().as_deref()))
}

fn choose(forced: Option<&str>) -> Isa {
    let best = detect();
    match forced.map(str::to_ascii_lowercase).as_deref() {
        Some("portable") => Isa::Portable,
        Some("avx2") if matches!(best, Isa::Avx512 | Isa::Avx2Fma) => Isa::Avx2Fma,
        _ => best,
    }
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Isa {
    if is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512dq")
        && is_x86_feature_detected!("avx512vl")
        && is_x86_feature_detected!("avx2")
        && is_x86_feature_detected!("fma")
    {
        Isa::Avx512
    } else if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        Isa::Avx2Fma
    } else {
        Isa::Portable
    }
}

#[cfg(target_arch = "aarch64")]
fn detect() -> Isa {
    if std::arch::is_aarch64_feature_detected!("neon") {
        Isa::Neon
    } else {
        Isa::Portable
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
fn detect() -> Isa {
    Isa::Portable
}

/// 0 means "not set": use the environment variable, else every core.
static THREADS: AtomicUsize = AtomicUsize::new(0);

/// Sets the number of threads large kernels use (`--threads N`); 0 restores
/// the default.
pub fn set_threads(n: usize) {
    THREADS.store(n, Ordering::Relaxed);
}

/// The number of threads large kernels may use: `--threads`, else
/// `TENSORCALC_THREADS`, else the number of cores.
pub fn threads() -> usize {
    if SINGLE.with(|s| s.get()) {
        return 1;
    }
    match THREADS.load(Ordering::Relaxed) {
        0 => default_threads(),
        n => n,
    }
}

thread_local! {
    static SINGLE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with `threads()` reporting 1 on this thread, for work that is
/// already spread over threads one level up (the entries of a batch).
pub fn single_threaded<R>(f: impl FnOnce() -> R) -> R {
    let old = SINGLE.with(|s| s.replace(true));
    let r = f();
    SINGLE.with(|s| s.set(old));
    r
}

fn default_threads() -> usize {
    static DEFAULT: OnceLock<usize> = OnceLock::new();
    *DEFAULT.get_or_init(|| {
        std::env::var(THREADS_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

/// Runs `f` with at most `threads()` rayon workers: a pool of that size is
/// built on first use (rayon's global pool has as many as there are cores).
pub fn with_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static POOLS: OnceLock<Mutex<HashMap<usize, &'static rayon::ThreadPool>>> = OnceLock::new();
    let n = threads();
    if n <= 1 {
        return f();
    }
    let pool = {
        let mut pools = POOLS
            .get_or_init(|| Mutex::new(HashMap::new()))
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        *pools.entry(n).or_insert_with(|| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(|i| format!("tensorcalc-kernel-{i}"))
                .build()
                .expect("a thread pool of a valid size");
            // Pools live as long as the process; there is one per distinct
            // `--threads` value, so at most a handful.
            Box::leak(Box::new(pool))
        })
    };
    pool.install(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_can_be_forced() {
        assert_eq!(choose(Some("portable")), Isa::Portable);
        assert_eq!(choose(Some("PORTABLE")), Isa::Portable);
        assert_eq!(choose(None), detect());
    }
}
