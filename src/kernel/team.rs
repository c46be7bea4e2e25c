//! A team of helper threads that stay awake between products. A rayon
//! worker falls asleep a few microseconds after its queue empties, and on a
//! virtual machine waking a sleeping thread (an idle virtual CPU) takes from
//! tens of microseconds to the length of a whole 256×256 product, so in one
//! call the second core joins in time and in the next it does not (the
//! "slow two-thread calls" of the product benchmark: medians twice the
//! minimum). OpenBLAS keeps its threads spinning between calls for the same
//! reason. Here a helper spins for `SPIN` after each job and only then
//! parks, so the next product of a script finds it awake.
//!
//! The caller never waits for a helper that has not started: it works
//! through the shared chunks itself and then withdraws the job, so a helper
//! that the scheduler put on the caller's own core (seen: a whole process
//! of 256×256 products at 2.4 ms each instead of 0.2 ms, while both threads
//! spun on one core) costs at most its own share, never a time slice.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long an idle helper keeps looking for the next job before parking.
/// Waking a parked helper was seen to take from 0.1 to 4 ms on the shared
/// two-core virtual machines (the host must schedule the idle virtual CPU
/// again), longer than a 256×256 product; OpenBLAS spins 2^28 cycles
/// (~0.1 s) for the same reason. A helper on the caller's core never spins.
const SPIN: Duration = Duration::from_millis(50);

/// The job of one `Team::run`, with its lifetime erased (see the SAFETY
/// argument in `run`).
#[derive(Clone, Copy)]
struct JobRef(*const (dyn Fn(usize) + Sync));
// SAFETY: the pointee is `Sync`, so calling it from another thread through a
// shared reference is allowed; the pointer itself is only a way to lend it.
unsafe impl Send for JobRef {}

/// The posted job and the helpers that joined it.
struct Slot {
    job: Option<JobRef>,
    /// Helpers that took the job (under the lock) before it was withdrawn.
    joined: usize,
}

struct Shared {
    /// Bumped (under `slot`'s lock) each time a job is posted.
    generation: AtomicU64,
    /// Helpers that joined the current job and have finished it.
    done: AtomicUsize,
    stop: AtomicBool,
    slot: Mutex<Slot>,
    wake: Condvar,
    /// A helper's panic, handed to the caller.
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    /// The CPU the caller ran on when it posted the latest job.
    caller_cpu: AtomicUsize,
    /// `Slot::joined` of the current job, readable without the lock.
    joined_now: AtomicUsize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `threads - 1` helpers plus the calling thread.
pub struct Team {
    shared: Arc<Shared>,
    helpers: Vec<JoinHandle<()>>,
}

impl Team {
    /// A team of `threads` (the caller and `threads - 1` helpers); `None`
    /// if the system refuses a thread, and then work runs on the caller.
    pub fn new(threads: usize) -> Option<Team> {
        let shared = Arc::new(Shared {
            generation: AtomicU64::new(0),
            done: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            slot: Mutex::new(Slot {
                job: None,
                joined: 0,
            }),
            wake: Condvar::new(),
            panic: Mutex::new(None),
            caller_cpu: AtomicUsize::new(cpu::current()),
            joined_now: AtomicUsize::new(0),
        });
        let mut team = Team {
            shared,
            helpers: Vec::new(),
        };
        for index in 1..threads.max(1) {
            let shared = Arc::clone(&team.shared);
            let handle = std::thread::Builder::new()
                .name(format!("tensorcalc-team-{index}"))
                .spawn(move || helper(&shared, index))
                .ok()?;
            team.helpers.push(handle);
        }
        Some(team)
    }

    /// The number of threads `run` may call `f` on.
    pub fn size(&self) -> usize {
        self.helpers.len() + 1
    }

    /// How many helpers have joined the job now running (from inside `f`):
    /// a caller that finds none may take the rest of the work in one piece.
    pub fn joined(&self) -> usize {
        self.shared.joined_now.load(Ordering::Relaxed)
    }

    /// Calls `f(0)` on this thread and `f(i)` on each helper `i` (1 ≤ i <
    /// `size()`) that is free before `f(0)` returns, and returns when every
    /// call made has returned. A helper that comes later finds the job
    /// withdrawn and skips it, so `f` must share its work out dynamically
    /// (an atomic counter of chunks) and `f(0)` alone must finish it.
    pub fn run(&self, f: &(dyn Fn(usize) + Sync)) {
        if self.helpers.is_empty() {
            return f(0);
        }
        let shared = &*self.shared;
        // SAFETY: the reference is turned into a lifetime-free pointer so
        // the helpers can hold it. A helper takes it only under the slot's
        // lock while it is posted, counting itself in `joined`, and uses it
        // only before counting itself in `done`. This function withdraws it
        // under the lock (after which nobody can join) and then waits until
        // `done` reaches `joined`; it does not return or unwind before that
        // (`f(0)` runs under catch_unwind), so the borrow outlives every use.
        let job: JobRef = JobRef(unsafe { std::mem::transmute::<&(dyn Fn(usize) + Sync), _>(f) });
        shared.caller_cpu.store(cpu::current(), Ordering::Relaxed);
        {
            let mut slot = shared.lock();
            shared.done.store(0, Ordering::Relaxed);
            slot.job = Some(job);
            slot.joined = 0;
            shared.joined_now.store(0, Ordering::Relaxed);
            shared.generation.fetch_add(1, Ordering::Release);
        }
        shared.wake.notify_all();
        let mine = catch_unwind(AssertUnwindSafe(|| f(0)));
        let joined = {
            let mut slot = shared.lock();
            slot.job = None;
            slot.joined
        };
        let mut rounds = 0u32;
        while shared.done.load(Ordering::Acquire) < joined {
            rounds += 1;
            if rounds.is_multiple_of(64) {
                std::thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        }
        if let Err(p) = mine {
            resume_unwind(p);
        }
        let theirs = shared
            .panic
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(p) = theirs {
            resume_unwind(p);
        }
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        {
            let _slot = self.shared.lock();
            self.shared.stop.store(true, Ordering::Release);
        }
        self.shared.wake.notify_all();
        for h in self.helpers.drain(..) {
            let _ = h.join();
        }
    }
}

fn helper(shared: &Shared, index: usize) {
    let mut seen = 0u64;
    loop {
        // Awake: look for the next job. No `yield_now`: interleaved over 10
        // processes of 30 products each (256×256, float64), a helper that
        // yielded every 32 rounds joined in time in 1 of them, one that
        // never yields in 8 (the rest: the host preempted its virtual CPU).
        let start = Instant::now();
        let mut rounds = 0u32;
        let job = loop {
            if shared.stop.load(Ordering::Acquire) {
                return;
            }
            if shared.generation.load(Ordering::Acquire) != seen {
                let mut slot = shared.lock();
                break join(shared, &mut slot, &mut seen);
            }
            rounds += 1;
            if rounds.is_multiple_of(64) {
                if start.elapsed() > SPIN {
                    break park(shared, &mut seen);
                }
                let caller = shared.caller_cpu.load(Ordering::Relaxed);
                if caller != usize::MAX && cpu::current() == caller && !cpu::move_off(caller, index)
                {
                    // Spinning here would only keep the caller off its core.
                    break park(shared, &mut seen);
                }
            }
            std::hint::spin_loop();
        };
        let Some(job) = job else {
            if shared.stop.load(Ordering::Acquire) {
                return;
            }
            continue;
        };
        let caller = shared.caller_cpu.load(Ordering::Relaxed);
        if caller != usize::MAX && cpu::current() == caller {
            // On the caller's core this helper could only take turns with
            // it: move to another.
            let _ = cpu::move_off(caller, index);
        }
        // SAFETY: `run` keeps the closure alive until this helper, which
        // joined the job, counts itself in `done` below (see its SAFETY
        // argument).
        let f = unsafe { &*job.0 };
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| f(index))) {
            *shared.panic.lock().unwrap_or_else(|e| e.into_inner()) = Some(p);
        }
        shared.done.fetch_add(1, Ordering::Release);
    }
}

/// Joins the posted job, if it is still posted (its generation becomes
/// `seen` either way); `None` when it was withdrawn or the team stops.
fn join(shared: &Shared, slot: &mut Slot, seen: &mut u64) -> Option<JobRef> {
    *seen = shared.generation.load(Ordering::Acquire);
    if shared.stop.load(Ordering::Acquire) {
        return None;
    }
    let job = slot.job?;
    slot.joined += 1;
    shared.joined_now.store(slot.joined, Ordering::Relaxed);
    Some(job)
}

/// Sleeps until a job is posted or the team stops, then joins it.
fn park(shared: &Shared, seen: &mut u64) -> Option<JobRef> {
    let mut slot = shared.lock();
    loop {
        if shared.stop.load(Ordering::Acquire) {
            return None;
        }
        if shared.generation.load(Ordering::Acquire) != *seen {
            return join(shared, &mut slot, seen);
        }
        slot = shared.wake.wait(slot).unwrap_or_else(|e| e.into_inner());
    }
}

/// Which CPU a thread is on, and a nudge to another one. The scheduler
/// starts a new helper on its creator's CPU and, on a two-core virtual
/// machine, was seen to leave it there for tens of products while the other
/// core idled; a helper that finds itself beside the caller pins itself to
/// another allowed CPU for a moment (which migrates it at once) and then
/// takes back its whole mask, so the scheduler stays free to move it.
#[cfg(target_os = "linux")]
mod cpu {
    /// The calling thread's CPU, or `usize::MAX` if unknown.
    pub fn current() -> usize {
        // SAFETY: sched_getcpu takes no arguments and touches no memory of
        // ours; it returns -1 on failure.
        let c = unsafe { libc::sched_getcpu() };
        usize::try_from(c).unwrap_or(usize::MAX)
    }

    /// Migrates the calling thread to an allowed CPU other than `avoid`
    /// (helper `index` to the `index`-th after it), keeping its affinity;
    /// false if there is no other CPU to go to.
    pub fn move_off(avoid: usize, index: usize) -> bool {
        let size = std::mem::size_of::<libc::cpu_set_t>();
        // SAFETY: cpu_set_t is plain data for which all-zero is the empty
        // set; the pointers passed are to these locals with their true size.
        unsafe {
            let mut mask: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, size, &mut mask) != 0 {
                return false;
            }
            let allowed: Vec<usize> = (0..libc::CPU_SETSIZE as usize)
                .filter(|&c| libc::CPU_ISSET(c, &mask))
                .collect();
            let Some(here) = allowed.iter().position(|&c| c == avoid) else {
                return false;
            };
            if allowed.len() < 2 {
                return false;
            }
            let to = allowed[(here + index) % allowed.len()];
            if to == avoid {
                return false;
            }
            let mut one: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(to, &mut one);
            if libc::sched_setaffinity(0, size, &one) != 0 {
                return false;
            }
            libc::sched_setaffinity(0, size, &mask);
            true
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod cpu {
    pub fn current() -> usize {
        usize::MAX
    }
    pub fn move_off(_avoid: usize, _index: usize) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caller_runs_each_job_and_helpers_at_most_once() {
        let team = Team::new(3).expect("threads");
        assert_eq!(team.size(), 3);
        let me = std::thread::current().id();
        let mut helped = 0;
        for round in 0..200usize {
            let hits: Vec<AtomicUsize> = (0..3).map(|_| AtomicUsize::new(0)).collect();
            team.run(&|i| {
                assert_eq!(i == 0, std::thread::current().id() == me);
                hits[i].fetch_add(round + 1, Ordering::Relaxed);
                // Long enough for awake helpers to join.
                std::thread::sleep(Duration::from_micros(200));
            });
            assert_eq!(hits[0].load(Ordering::Relaxed), round + 1);
            for h in &hits[1..] {
                let v = h.load(Ordering::Relaxed);
                assert!(v == 0 || v == round + 1, "a helper ran a job twice");
                helped += (v != 0) as usize;
            }
            if round % 50 == 0 {
                // Long enough for the helpers to park: they must wake again.
                std::thread::sleep(SPIN * 3);
            }
        }
        assert!(helped > 0, "no helper ever joined a job");
    }

    #[test]
    fn shared_chunks_are_each_done_once() {
        let team = Team::new(2).expect("threads");
        let next = AtomicUsize::new(0);
        let done: Vec<AtomicUsize> = (0..1000).map(|_| AtomicUsize::new(0)).collect();
        team.run(&|_| {
            loop {
                let c = next.fetch_add(1, Ordering::Relaxed);
                if c >= done.len() {
                    break;
                }
                done[c].fetch_add(1, Ordering::Relaxed);
            }
        });
        assert!(done.iter().all(|d| d.load(Ordering::Relaxed) == 1));
    }

    #[test]
    fn a_helper_panic_reaches_the_caller_and_the_team_survives() {
        let team = Team::new(2).expect("threads");
        let joined = AtomicBool::new(false);
        let r = catch_unwind(AssertUnwindSafe(|| {
            team.run(&|i| {
                if i == 1 {
                    joined.store(true, Ordering::Release);
                    panic!("helper failed");
                }
                // Keep the job posted until the helper has joined it.
                let t = Instant::now();
                while !joined.load(Ordering::Acquire) && t.elapsed() < Duration::from_secs(20) {
                    std::thread::yield_now();
                }
            })
        }));
        assert!(joined.load(Ordering::Acquire), "the helper never joined");
        assert!(r.is_err());
        let count = AtomicUsize::new(0);
        team.run(&|_| {
            count.fetch_add(1, Ordering::Relaxed);
        });
        assert!(count.load(Ordering::Relaxed) >= 1);
    }

    #[test]
    fn one_thread_runs_on_the_caller() {
        let team = Team::new(1).expect("no threads needed");
        let me = std::thread::current().id();
        team.run(&|i| {
            assert_eq!(i, 0);
            assert_eq!(std::thread::current().id(), me);
        });
    }
}
