//! Elementwise kernels over contiguous buffers: `out[i] = f(a[i], b[i])` and
//! `out[i] = f(a[i], b[i], c[i])`. The operation is a generic closure, so
//! each operator gets its own loop (no per-element dispatch), compiled for the
//! instruction set the `Exec` names. Large buffers are cut into blocks that
//! run on several threads and check the `Exec`'s cancel token between blocks.

use std::mem::MaybeUninit;

use rayon::prelude::*;

use super::alloc;

use super::dispatch::Isa;
use super::exec::Exec;

/// An input: a buffer as long as the output, one value for every element,
/// or the output's own old contents (so a temporary's buffer is reused).
#[derive(Clone, Copy)]
pub enum Src<'a, T> {
    Slice(&'a [T]),
    Scalar(T),
    Out,
}

/// Elements per block: small enough for three scratch buffers on the stack,
/// large enough that the stop check and task overhead vanish.
const BLOCK: usize = 2048;
/// Outputs with at least this many elements use several threads. Below
/// about 2^20 float64 (8 MiB per operand) the operands still sit in the
/// caches of one core, and measured single-threaded runs beat two threads
/// there (the hand-off and the second core's cold caches cost more).
const PARALLEL: usize = 1 << 20;

/// `out[i] = f(a[i], b[i])` in place; `Src::Out` reads `out`'s old value.
/// Returns `false` if `exec`'s cancel token asked to stop (then `out` is
/// partly written). Slices in `a`, `b` must be as long as `out`.
pub fn map2<T, F>(exec: &Exec, out: &mut [T], a: Src<'_, T>, b: Src<'_, T>, f: F) -> bool
where
    T: Copy + Send + Sync,
    F: Fn(T, T) -> T + Sync,
{
    // SAFETY: `MaybeUninit<T>` has the layout of `T`, and the blocks below
    // only ever store initialised values, so `out` stays initialised.
    let out = unsafe { &mut *(out as *mut [T] as *mut [MaybeUninit<T>]) };
    fill2(exec, out, a, b, &f, true)
}

/// A new buffer of `n` elements `f(a[i], b[i])`, or `None` if stopped.
pub fn new2<T, F>(exec: &Exec, n: usize, a: Src<'_, T>, b: Src<'_, T>, f: F) -> Option<Vec<T>>
where
    T: Copy + Send + Sync,
    F: Fn(T, T) -> T + Sync,
{
    let mut v = alloc::with_capacity::<T>(n);
    if !fill2(exec, &mut v.spare_capacity_mut()[..n], a, b, &f, false) {
        return None;
    }
    // SAFETY: `fill2` returned true, so every block of the first `n` slots
    // was written with initialised values.
    unsafe { v.set_len(n) };
    Some(v)
}

/// A new buffer of `n` elements `f(a[i], b[i], c[i])`, or `None` if stopped.
pub fn new3<T, F>(
    exec: &Exec,
    n: usize,
    a: Src<'_, T>,
    b: Src<'_, T>,
    c: Src<'_, T>,
    f: F,
) -> Option<Vec<T>>
where
    T: Copy + Send + Sync,
    F: Fn(T, T, T) -> T + Sync,
{
    assert!(
        ![a, b, c].iter().any(|s| matches!(s, Src::Out)),
        "no old output to read"
    );
    let mut v = alloc::with_capacity::<T>(n);
    let isa = exec.isa();
    let done = for_blocks(exec, &mut v.spare_capacity_mut()[..n], |start, blk| {
        let mut bufs = [[const { MaybeUninit::uninit() }; BLOCK]; 3];
        let [ba, bb, bc] = &mut bufs;
        let x = resolve(a, start, blk, ba, false);
        let y = resolve(b, start, blk, bb, false);
        let z = resolve(c, start, blk, bc, false);
        run3(isa, blk, x, y, z, &f);
    });
    if !done {
        return None;
    }
    // SAFETY: `for_blocks` returned true, so every block was written.
    unsafe { v.set_len(n) };
    Some(v)
}

fn fill2<T, F>(
    exec: &Exec,
    out: &mut [MaybeUninit<T>],
    a: Src<'_, T>,
    b: Src<'_, T>,
    f: &F,
    initialised: bool,
) -> bool
where
    T: Copy + Send + Sync,
    F: Fn(T, T) -> T + Sync,
{
    assert!(
        initialised || ![a, b].iter().any(|s| matches!(s, Src::Out)),
        "no old output to read"
    );
    let isa = exec.isa();
    for_blocks(exec, out, |start, blk| {
        let mut bufs = [[const { MaybeUninit::uninit() }; BLOCK]; 2];
        let [ba, bb] = &mut bufs;
        let x = resolve(a, start, blk, ba, initialised);
        let y = resolve(b, start, blk, bb, initialised);
        run2(isa, blk, x, y, f);
    })
}

/// The elements of `src` that line up with `out[start..]`, using `buf` for
/// a scalar or a copy of the old output.
fn resolve<'s, T: Copy>(
    src: Src<'s, T>,
    start: usize,
    out: &[MaybeUninit<T>],
    buf: &'s mut [MaybeUninit<T>],
    initialised: bool,
) -> &'s [T] {
    let len = out.len();
    match src {
        Src::Slice(s) => &s[start..start + len],
        Src::Scalar(v) => {
            for b in &mut buf[..len] {
                b.write(v);
            }
            // SAFETY: the first `len` slots of `buf` were just written.
            unsafe { &*(&buf[..len] as *const [MaybeUninit<T>] as *const [T]) }
        }
        Src::Out => {
            assert!(initialised, "no old output to read");
            buf[..len].copy_from_slice(out);
            // SAFETY: `out` is initialised (checked just above: `Src::Out` only
            // comes through `map2`, whose output was a `&mut [T]`), and `buf`
            // now holds a copy of it.
            unsafe { &*(&buf[..len] as *const [MaybeUninit<T>] as *const [T]) }
        }
    }
}

fn for_blocks<T: Send>(
    exec: &Exec,
    out: &mut [MaybeUninit<T>],
    body: impl Fn(usize, &mut [MaybeUninit<T>]) + Sync,
) -> bool {
    let stop = || exec.cancel().is_requested();
    if out.len() >= PARALLEL && exec.threads() > 1 {
        exec.with_pool(|| {
            out.par_chunks_mut(BLOCK)
                .enumerate()
                .try_for_each(|(i, blk)| {
                    if stop() {
                        return Err(());
                    }
                    body(i * BLOCK, blk);
                    Ok(())
                })
                .is_ok()
        })
    } else {
        for (i, blk) in out.chunks_mut(BLOCK).enumerate() {
            if i % 64 == 0 && stop() {
                return false;
            }
            body(i * BLOCK, blk);
        }
        true
    }
}

fn run2<T: Copy, F: Fn(T, T) -> T>(isa: Isa, out: &mut [MaybeUninit<T>], a: &[T], b: &[T], f: &F) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `isa` comes from `Exec::isa`, which names Avx512 only after
        // `is_x86_feature_detected!` confirmed avx512f, avx512dq and avx512vl
        // on this CPU (`Exec::new` lowers anything the CPU lacks).
        Isa::Avx512 => unsafe { x86::run2_avx512(out, a, b, f) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `isa` comes from `Exec::isa`, which names Avx2Fma only after
        // `is_x86_feature_detected!` confirmed avx2 and fma on this CPU.
        Isa::Avx2Fma => unsafe { x86::run2_avx2(out, a, b, f) },
        _ => body2(out, a, b, f),
    }
}

fn run3<T: Copy, F: Fn(T, T, T) -> T>(
    isa: Isa,
    out: &mut [MaybeUninit<T>],
    a: &[T],
    b: &[T],
    c: &[T],
    f: &F,
) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as in `run2`: avx512f/dq/vl were detected at run time.
        Isa::Avx512 => unsafe { x86::run3_avx512(out, a, b, c, f) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as in `run2`: avx2 and fma were detected at run time.
        Isa::Avx2Fma => unsafe { x86::run3_avx2(out, a, b, c, f) },
        _ => body3(out, a, b, c, f),
    }
}

#[inline(always)]
fn body2<T: Copy, F: Fn(T, T) -> T>(out: &mut [MaybeUninit<T>], a: &[T], b: &[T], f: &F) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        o.write(f(x, y));
    }
}

#[inline(always)]
fn body3<T: Copy, F: Fn(T, T, T) -> T>(
    out: &mut [MaybeUninit<T>],
    a: &[T],
    b: &[T],
    c: &[T],
    f: &F,
) {
    for (((o, &x), &y), &z) in out.iter_mut().zip(a).zip(b).zip(c) {
        o.write(f(x, y, z));
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::mem::MaybeUninit;

    use super::{body2, body3};

    #[target_feature(enable = "avx512f,avx512dq,avx512vl")]
    pub(super) fn run2_avx512<T: Copy, F: Fn(T, T) -> T>(
        out: &mut [MaybeUninit<T>],
        a: &[T],
        b: &[T],
        f: &F,
    ) {
        body2(out, a, b, f)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn run2_avx2<T: Copy, F: Fn(T, T) -> T>(
        out: &mut [MaybeUninit<T>],
        a: &[T],
        b: &[T],
        f: &F,
    ) {
        body2(out, a, b, f)
    }

    #[target_feature(enable = "avx512f,avx512dq,avx512vl")]
    pub(super) fn run3_avx512<T: Copy, F: Fn(T, T, T) -> T>(
        out: &mut [MaybeUninit<T>],
        a: &[T],
        b: &[T],
        c: &[T],
        f: &F,
    ) {
        body3(out, a, b, c, f)
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn run3_avx2<T: Copy, F: Fn(T, T, T) -> T>(
        out: &mut [MaybeUninit<T>],
        a: &[T],
        b: &[T],
        c: &[T],
        f: &F,
    ) {
        body3(out, a, b, c, f)
    }
}
