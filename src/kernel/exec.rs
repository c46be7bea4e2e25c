//! How kernels run: how many threads they may use, which instruction set,
//! the pool those threads live in, and the token that asks them to stop. One
//! `Exec` belongs to one session, so two sessions in a process never see
//! each other's settings, pools or Ctrl-C.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use super::dispatch::{self, Isa};
use super::team::Team;

/// A shared stop flag: long kernels look at it between blocks, so a request
/// (from a Ctrl-C handler on another thread) stops them within milliseconds
/// without killing the process. Clones share the flag.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Asks running kernels to stop (safe to call from a signal handler
    /// thread).
    pub fn request(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Clears a request before the next statement runs.
    pub fn reset(&self) {
        self.0.store(false, Ordering::Relaxed);
    }

    pub fn is_requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// A kernel stopped because its cancel token was tripped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interrupted;

/// The execution settings kernels receive. Cloning is cheap and shares the
/// cancel token and the thread pool.
#[derive(Clone)]
pub struct Exec {
    threads: usize,
    isa: Isa,
    cancel: CancelToken,
    /// Built on first use with `threads` workers (rayon's global pool has as
    /// many as there are cores); `None` if the system refused the threads,
    /// and then the work runs on the calling thread.
    pool: Arc<OnceLock<Option<rayon::ThreadPool>>>,
    /// The helpers that stay awake between matrix products (`team`), built
    /// on first use like the pool.
    team: Arc<OnceLock<Option<Team>>>,
}

impl fmt::Debug for Exec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exec")
            .field("threads", &self.threads)
            .field("isa", &self.isa)
            .field("cancel", &self.cancel)
            .finish_non_exhaustive()
    }
}

impl Exec {
    /// `threads` workers (at least one) on instruction set `isa`, with a
    /// fresh cancel token. `isa` must be one the CPU has (`Isa::detect`, or
    /// `Isa::Portable`, which every CPU has); a better one is lowered to
    /// the best the CPU has, since the kernels rely on it being present.
    pub fn new(threads: usize, isa: Isa) -> Exec {
        Exec {
            threads: threads.max(1),
            isa: supported(isa),
            cancel: CancelToken::new(),
            pool: Arc::new(OnceLock::new()),
            team: Arc::new(OnceLock::new()),
        }
    }

    /// The defaults: `TENSORCALC_THREADS` (else every core) and
    /// `TENSORCALC_KERNEL` (else the best the CPU has).
    pub fn from_env() -> Exec {
        let threads = std::env::var(dispatch::THREADS_ENV).ok();
        let kernel = std::env::var(dispatch::KERNEL_ENV).ok();
        Exec::new(
            dispatch::threads_from(threads.as_deref()),
            Isa::choose(kernel.as_deref()),
        )
    }

    /// The same settings with `n` threads (and a pool of that size).
    pub fn with_threads(self, n: usize) -> Exec {
        Exec {
            threads: n.max(1),
            pool: Arc::new(OnceLock::new()),
            team: Arc::new(OnceLock::new()),
            ..self
        }
    }

    /// The same settings on instruction set `isa` (lowered as in `new`).
    pub fn with_isa(self, isa: Isa) -> Exec {
        Exec {
            isa: supported(isa),
            ..self
        }
    }

    /// The number of threads large kernels may use.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The instruction set the kernels use.
    pub fn isa(&self) -> Isa {
        self.isa
    }

    pub fn cancel(&self) -> &CancelToken {
        &self.cancel
    }

    /// A copy limited to one thread that shares the cancel token, for work
    /// already spread over threads one level up (the entries of a batch).
    pub fn single(&self) -> Exec {
        Exec {
            threads: 1,
            isa: self.isa,
            cancel: self.cancel.clone(),
            pool: Arc::new(OnceLock::new()),
            team: Arc::new(OnceLock::new()),
        }
    }

    /// `Err(Interrupted)` once a stop was requested.
    pub fn check(&self) -> Result<(), Interrupted> {
        if self.cancel.is_requested() {
            Err(Interrupted)
        } else {
            Ok(())
        }
    }

    /// Runs `f` with at most `threads()` rayon workers: inside this value's
    /// pool, built on first use, so rayon calls in `f` use those workers.
    pub fn with_pool<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        if self.threads <= 1 {
            return f();
        }
        let pool = self.pool.get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(self.threads)
                .thread_name(|i| format!("tensorcalc-kernel-{i}"))
                .build()
                .ok()
        });
        match pool {
            Some(pool) => pool.install(f),
            None => f(),
        }
    }
}

impl Exec {
    /// Calls `f(i)` for every `i < threads()` at once, `f(0)` on this
    /// thread and the others on this value's team (built on first use),
    /// whose helpers stay awake a little between calls; see `team`. With
    /// one thread, or if the system refused the helpers, only `f(0)` runs.
    pub fn on_team(&self, f: &(dyn Fn(usize) + Sync)) {
        if self.threads <= 1 {
            return f(0);
        }
        match self.team.get_or_init(|| Team::new(self.threads)) {
            Some(team) => team.run(f),
            None => f(0),
        }
    }

    /// Calls `f(i)` once for every `i < count`, the indices handed out one
    /// by one (an atomic counter) to this thread and, when `threads` > 1,
    /// to the team's helpers as they join.
    pub fn on_team_chunks(&self, threads: usize, count: usize, f: &(dyn Fn(usize) + Sync)) {
        let next = AtomicUsize::new(0);
        let work = |_: usize| {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    break;
                }
                f(i);
            }
        };
        if threads > 1 {
            self.on_team(&work);
        } else {
            work(0);
        }
    }

    /// From inside `on_team`: how many helpers have joined the job so far.
    pub fn helpers_joined(&self) -> usize {
        match self.team.get() {
            Some(Some(team)) => team.joined(),
            _ => 0,
        }
    }
}

/// `isa` if the CPU can run it, else the best it has: the kernels' SAFETY
/// arguments rest on `Exec::isa` naming only detected instruction sets.
fn supported(isa: Isa) -> Isa {
    let best = Isa::detect();
    let ok = match isa {
        Isa::Portable => true,
        Isa::Avx512 => best == Isa::Avx512,
        Isa::Avx2Fma => matches!(best, Isa::Avx512 | Isa::Avx2Fma),
        Isa::Neon => best == Isa::Neon,
    };
    if ok { isa } else { best }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_shares_the_cancel_token() {
        let exec = Exec::new(4, Isa::Portable);
        let one = exec.single();
        assert_eq!(one.threads(), 1);
        assert_eq!(one.isa(), Isa::Portable);
        exec.cancel().request();
        assert_eq!(one.check(), Err(Interrupted));
        one.cancel().reset();
        assert_eq!(exec.check(), Ok(()));
    }

    #[test]
    fn separate_values_have_separate_tokens() {
        let a = Exec::new(1, Isa::Portable);
        let b = Exec::new(1, Isa::Portable);
        a.cancel().request();
        assert!(a.cancel().is_requested());
        assert!(!b.cancel().is_requested());
        assert!(a.clone().cancel().is_requested());
    }

    #[test]
    fn the_pool_has_the_configured_size() {
        let exec = Exec::new(2, Isa::Portable);
        assert_eq!(exec.with_pool(rayon::current_num_threads), 2);
        assert_eq!(exec.single().with_pool(|| 7), 7);
        assert_eq!(Exec::new(0, Isa::Portable).threads(), 1);
    }

    #[test]
    fn an_instruction_set_the_cpu_lacks_is_lowered() {
        let best = Isa::detect();
        for isa in [Isa::Avx512, Isa::Avx2Fma, Isa::Neon, Isa::Portable] {
            let got = Exec::new(1, isa).isa();
            assert!(got == isa || got == best, "{isa:?} became {got:?}");
        }
    }
}
