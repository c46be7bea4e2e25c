//! Which instruction sets this CPU has, and which one a configuration asks
//! the kernels to use. Detection is read-only (std caches the CPU's feature
//! bits); the choice lives in an `Exec` value, never in a global.

/// The instruction sets the kernels can be told to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// x86-64 with AVX-512F/DQ/VL (and AVX2+FMA, which they imply here).
    Avx512,
    /// x86-64 with AVX2 and FMA.
    Avx2Fma,
    /// aarch64 with NEON (always present there). There are no kernels of
    /// our own for it: it means "not portable", so float products go to
    /// `gemm` (which has NEON kernels) and int64 products may run through
    /// float64.
    Neon,
    /// Plain Rust, whatever the compiler's baseline target gives.
    Portable,
}

/// The environment variable that chooses a kernel family: `portable` forces
/// the portable path; `avx2` caps an AVX-512 machine at AVX2+FMA; `avx512`
/// and `neon` name the best family of those CPUs. A family the CPU lacks is
/// ignored (the best one it has is used), as is an unknown value.
pub const KERNEL_ENV: &str = "TENSORCALC_KERNEL";
/// The environment variable with the default thread count.
pub const THREADS_ENV: &str = "TENSORCALC_THREADS";

impl Isa {
    /// The best instruction set this CPU has.
    pub fn detect() -> Isa {
        detect()
    }

    /// The instruction set for a `TENSORCALC_KERNEL` value (`None`: unset).
    pub fn choose(forced: Option<&str>) -> Isa {
        choose(forced)
    }
}

fn choose(forced: Option<&str>) -> Isa {
    let best = detect();
    match forced.map(str::to_ascii_lowercase).as_deref() {
        Some("portable") => Isa::Portable,
        Some("avx2") if matches!(best, Isa::Avx512 | Isa::Avx2Fma) => Isa::Avx2Fma,
        // `avx512` and `neon` are the best family of the CPUs that have them;
        // anywhere else they are ignored like any other value.
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

/// The thread count for a `TENSORCALC_THREADS` value (`None`: unset): a
/// positive whole number, else every core.
pub fn threads_from(value: Option<&str>) -> usize {
    value
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
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

    #[test]
    fn every_documented_value_is_accepted() {
        let best = detect();
        assert_eq!(choose(Some("avx512")), best);
        assert_eq!(choose(Some("neon")), best);
        assert_eq!(choose(Some("something else")), best);
        let avx2 = choose(Some("avx2"));
        match best {
            Isa::Avx512 | Isa::Avx2Fma => assert_eq!(avx2, Isa::Avx2Fma),
            other => assert_eq!(avx2, other),
        }
    }

    #[test]
    fn thread_counts_from_the_environment_value() {
        assert_eq!(threads_from(Some("3")), 3);
        assert_eq!(threads_from(Some(" 2 ")), 2);
        let cores = threads_from(None);
        assert!(cores >= 1);
        assert_eq!(threads_from(Some("0")), cores);
        assert_eq!(threads_from(Some("many")), cores);
    }
}
