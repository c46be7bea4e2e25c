//! Kernel correctness: every fast path against the portable oracle over
//! odd, empty, strided and transposed shapes, and the forced portable path
//! (`TENSORCALC_KERNEL=portable`) against the dispatched one end to end.

use ndarray::{Array2, ArrayView2, s};
use num_complex::Complex64;
use tensorcalc::kernel::elementwise::{self, Src};
use tensorcalc::kernel::sum::{Pairwise, pairwise};
use tensorcalc::kernel::{Exec, Isa, MatRef, direct, float, int};

/// The fast paths, whatever `TENSORCALC_KERNEL` says: the portable loops
/// are the oracle they are checked against.
fn exec() -> Exec {
    Exec::from_env().with_isa(Isa::detect())
}

mod common;
use common::Gen;

/// Random matrices for the kernel tests.
trait Matrices {
    fn matrix(&mut self, r: usize, c: usize) -> Array2<f64>;
}

impl Matrices for Gen {
    fn matrix(&mut self, r: usize, c: usize) -> Array2<f64> {
        Array2::from_shape_fn((r, c), |_| self.f64())
    }
}

/// Sizes that hit every path: empty, tiny (the small loop), odd, and past
/// the small-product limit (the SIMD kernel, with edge tiles).
const SIZES: [usize; 9] = [0, 1, 2, 3, 7, 8, 17, 33, 70];

fn close(x: f64, y: f64, k: usize, eps: f64) -> bool {
    (x - y).abs() <= eps * (k.max(1) as f64) * (1.0 + x.abs().max(y.abs()))
}

/// Views of `a` with the given logical shape: contiguous, transposed
/// (column-major strides) and strided (every other row and column).
fn layouts(g: &mut Gen, r: usize, c: usize) -> Vec<(Array2<f64>, &'static str)> {
    vec![
        (g.matrix(r, c), "contiguous"),
        (g.matrix(c, r).reversed_axes(), "transposed"),
        (
            g.matrix(2 * r + 1, 2 * c + 1)
                .slice(s![1..;2, ..;2])
                .slice(s![..r, ..c])
                .to_owned_strided(),
            "strided",
        ),
    ]
}

/// ndarray's `to_owned` makes a contiguous copy; keep a strided owner instead
/// by slicing an owned buffer (the view below borrows from it).
trait OwnedStrided {
    fn to_owned_strided(&self) -> Array2<f64>;
}

impl OwnedStrided for ArrayView2<'_, f64> {
    fn to_owned_strided(&self) -> Array2<f64> {
        // An owned array with non-unit strides: slice_move keeps the strides.
        let mut big = Array2::<f64>::zeros((self.nrows() * 2, self.ncols() * 2));
        big.slice_mut(s![..;2, ..;2]).assign(self);
        big.slice_move(s![..;2, ..;2])
    }
}

#[test]
fn float64_matmul_matches_portable() {
    let mut g = Gen(1);
    for &m in &SIZES {
        for &k in &SIZES {
            for _ in 0..2 {
                let n = SIZES[g.below(SIZES.len())];
                for (a, la) in layouts(&mut g, m, k) {
                    for (b, lb) in layouts(&mut g, k, n) {
                        let mut want = Array2::<f64>::from_elem((m, n), f64::NAN);
                        float::portable(
                            MatRef::new(a.view()),
                            MatRef::new(b.view()),
                            want.view_mut(),
                        );
                        let mut got = Array2::<f64>::from_elem((m, n), f64::NAN);
                        float::matmul(
                            &exec(),
                            MatRef::new(a.view()),
                            MatRef::new(b.view()),
                            got.view_mut(),
                        );
                        for (x, y) in got.iter().zip(&want) {
                            assert!(
                                close(*x, *y, k, 1e-14),
                                "{m}x{k}@{k}x{n} {la}/{lb}: {x} vs {y}"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn float32_matmul_matches_portable() {
    let mut g = Gen(2);
    for &(m, k, n) in &[
        (0, 3, 4),
        (5, 0, 2),
        (9, 13, 7),
        (65, 70, 33),
        (128, 96, 130),
    ] {
        let a = g.matrix(m, k).mapv(|v| v as f32);
        let b = g.matrix(n, k).mapv(|v| v as f32).reversed_axes();
        let mut want = Array2::<f32>::zeros((m, n));
        float::portable(
            MatRef::new(a.view()),
            MatRef::new(b.view()),
            want.view_mut(),
        );
        let mut got = Array2::<f32>::zeros((m, n));
        float::matmul(
            &exec(),
            MatRef::new(a.view()),
            MatRef::new(b.view()),
            got.view_mut(),
        );
        for (x, y) in got.iter().zip(&want) {
            assert!(
                close(f64::from(*x), f64::from(*y), k, 1e-6),
                "{m}x{k}x{n}: {x} vs {y}"
            );
        }
    }
}

/// One direct product of `T` (float32 or float64 data from `a` and `b`)
/// into the n leftmost columns of a wider output filled with a sentinel:
/// every element of the product matches the oracle, and no column beyond n
/// is touched (the masked stores of the last register).
fn direct_case<T>(isa: Isa, a: ArrayView2<'_, T>, b: ArrayView2<'_, T>, eps: f64) -> bool
where
    T: float::Elem + Into<f64> + From<f32> + std::fmt::Debug,
{
    let (m, k) = a.dim();
    let n = b.ncols();
    let sentinel = T::from(7.5);
    let mut want = Array2::<T>::from_elem((m, n), T::ZERO);
    float::portable(MatRef::new(a), MatRef::new(b), want.view_mut());
    let mut wide = Array2::<T>::from_elem((m, n + 5), sentinel);
    let took = direct::product(
        isa,
        MatRef::new(a),
        MatRef::new(b),
        wide.slice_mut(s![.., ..n]),
    );
    if took {
        for ((i, j), x) in wide.indexed_iter() {
            let x: f64 = (*x).into();
            if j < n {
                let y: f64 = want[[i, j]].into();
                assert!(close(x, y, k, eps), "{m}x{k}x{n} at [{i}, {j}]: {x} vs {y}");
            } else {
                assert_eq!(
                    x, 7.5,
                    "{m}x{k}x{n}: column {j} past the product was written"
                );
            }
        }
    }
    took
}

#[test]
fn direct_products_cover_every_tile_and_mask() {
    // Every tile height (1 to 8), one to four registers of columns with a
    // partial last one, a transposed `a`, a `b` whose rows are wider than
    // its columns; float64 and float32. The kernel runs whenever the CPU
    // has AVX-512 (and declines, leaving `c` alone, when it does not).
    let isa = Isa::detect();
    let mut g = Gen(11);
    for &m in &[1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 17] {
        for &n in &[
            1, 7, 8, 9, 16, 17, 24, 31, 32, 33, 40, 48, 63, 64, 65, 72, 130,
        ] {
            for &k in &[1, 5, 40] {
                let a = g.matrix(k, m);
                let a = a.t();
                let wide_b = g.matrix(k, n + 3);
                let b = wide_b.slice(s![.., ..n]);
                let took = direct_case(isa, a, b, 1e-14);
                assert_eq!(took, isa == Isa::Avx512, "{m}x{k}x{n} float64");
                let (a32, b32) = (a.mapv(|v| v as f32), b.mapv(|v| v as f32));
                let took = direct_case(isa, a32.view(), b32.view(), 1e-6);
                assert_eq!(took, isa == Isa::Avx512, "{m}x{k}x{n} float32");
            }
        }
    }
    // Layouts it must decline: a `b` with columns apart in memory, and a
    // conjugated operand (complex types have no direct kernel at all).
    let a = g.matrix(9, 9);
    let b = g.matrix(9, 9);
    let mut c = Array2::<f64>::zeros((9, 9));
    assert!(!direct::product(
        isa,
        MatRef::new(a.view()),
        MatRef::new(b.t()),
        c.view_mut()
    ));
    let cb = b.mapv(|v| Complex64::new(v, 1.0));
    let mut cc = Array2::<Complex64>::zeros((9, 9));
    assert!(!direct::product(
        isa,
        MatRef::new(cb.view()),
        MatRef::new(cb.view()),
        cc.view_mut()
    ));
}

#[test]
fn complex_matmul_with_conjugation_matches_portable() {
    let mut g = Gen(3);
    for &(m, k, n) in &[(1, 1, 1), (3, 5, 2), (8, 8, 8), (40, 31, 45)] {
        let mk =
            |g: &mut Gen, r, c| Array2::from_shape_fn((r, c), |_| Complex64::new(g.f64(), g.f64()));
        let a = mk(&mut g, k, m).reversed_axes();
        let b = mk(&mut g, k, n);
        for (ca, cb) in [(false, false), (true, false), (false, true), (true, true)] {
            let ar = MatRef {
                view: a.view(),
                conj: ca,
            };
            let br = MatRef {
                view: b.view(),
                conj: cb,
            };
            let mut want = Array2::<Complex64>::zeros((m, n));
            float::portable(ar, br, want.view_mut());
            let mut got = Array2::<Complex64>::zeros((m, n));
            float::matmul(&exec(), ar, br, got.view_mut());
            for (x, y) in got.iter().zip(&want) {
                assert!(
                    (x - y).norm() <= 1e-13 * k as f64,
                    "{m}x{k}x{n} {ca}/{cb}: {x} vs {y}"
                );
            }
        }
    }
}

fn int_matrix(g: &mut Gen, r: usize, c: usize, max: i64) -> Array2<i64> {
    Array2::from_shape_fn((r, c), |_| (g.next() % (2 * max as u64 + 1)) as i64 - max)
}

#[test]
fn int64_tiers_agree_with_the_checked_loop() {
    let mut g = Gen(4);
    for &m in &SIZES {
        for &k in &[0usize, 1, 5, 17, 300] {
            let n = SIZES[g.below(SIZES.len())];
            for max in [3, 1 << 20, 1 << 29] {
                let a = int_matrix(&mut g, m, k, max);
                let b = int_matrix(&mut g, n, k, max).reversed_axes();
                let mut want = Array2::<i64>::zeros((m, n));
                assert!(int::checked(a.view(), b.view(), want.view_mut()));
                let mut blocked = Array2::<i64>::from_elem((m, n), 7);
                int::blocked(&exec(), a.view(), b.view(), blocked.view_mut());
                assert_eq!(blocked, want, "blocked {m}x{k}x{n} max {max}");
                let mut any = Array2::<i64>::from_elem((m, n), 7);
                assert!(int::matmul_i64(&exec(), a.view(), b.view(), any.view_mut()));
                assert_eq!(any, want, "dispatched {m}x{k}x{n} max {max}");
                if (max as u128).pow(2) * (k as u128) < 1 << 53 {
                    let mut exact = Array2::<i64>::from_elem((m, n), 7);
                    int::exact_f64(&exec(), a.view(), b.view(), exact.view_mut());
                    assert_eq!(exact, want, "exact_f64 {m}x{k}x{n} max {max}");
                }
            }
        }
    }
}

#[test]
fn int64_overflow_is_reported() {
    let a = Array2::from_elem((2, 3), 1i64 << 32);
    let b = Array2::from_elem((3, 2), 1i64 << 31);
    let mut c = Array2::<i64>::zeros((2, 2));
    assert!(!int::matmul_i64(&exec(), a.view(), b.view(), c.view_mut()));
    // Large entries whose products fit: decided by the checked loop.
    let a = Array2::from_elem((1, 2), i64::MAX / 4);
    let b = Array2::from_elem((2, 1), 2i64);
    let mut c = Array2::<i64>::zeros((1, 1));
    assert!(int::matmul_i64(&exec(), a.view(), b.view(), c.view_mut()));
    assert_eq!(c[[0, 0]], (i64::MAX / 4) * 4);
}

#[test]
fn elementwise_matches_a_plain_loop() {
    let exec = exec();
    let mut g = Gen(5);
    for n in [0usize, 1, 7, 2047, 2048, 2049, 5000, 300_001] {
        let a: Vec<f64> = (0..n).map(|_| g.f64()).collect();
        let b: Vec<f64> = (0..n).map(|_| g.f64()).collect();
        let c: Vec<f64> = (0..n).map(|_| g.f64()).collect();
        let sum =
            elementwise::new2(&exec, n, Src::Slice(&a), Src::Slice(&b), |x, y| x + y).unwrap();
        assert!(sum.iter().enumerate().all(|(i, &v)| v == a[i] + b[i]));
        let scaled =
            elementwise::new2(&exec, n, Src::Scalar(2.5), Src::Slice(&b), |x, y| x * y).unwrap();
        assert!(scaled.iter().enumerate().all(|(i, &v)| v == 2.5 * b[i]));
        let fused = elementwise::new3(
            &exec,
            n,
            Src::Slice(&a),
            Src::Slice(&b),
            Src::Slice(&c),
            |x, y, z| x * y + z,
        )
        .unwrap();
        // Two roundings, as NumPy's `a * b + c`: never a fused multiply-add.
        assert!(
            fused
                .iter()
                .enumerate()
                .all(|(i, &v)| v == a[i] * b[i] + c[i])
        );
        let mut acc = a.clone();
        assert!(elementwise::map2(
            &exec,
            &mut acc,
            Src::Slice(&b),
            Src::Out,
            |x, y| x - y
        ));
        assert!(acc.iter().enumerate().all(|(i, &v)| v == b[i] - a[i]));
    }
    // A tripped cancel token stops the kernel; another `Exec`'s does not.
    let stopped = exec.clone();
    stopped.cancel().request();
    assert!(
        elementwise::new2(
            &stopped,
            10_000,
            Src::Scalar(1.0),
            Src::Scalar(2.0),
            |x, y| x + y
        )
        .is_none()
    );
    let other = self::exec();
    assert!(
        elementwise::new2(
            &other,
            10_000,
            Src::Scalar(1.0),
            Src::Scalar(2.0),
            |x, y| x + y
        )
        .is_some()
    );
}

/// NumPy's pairwise summation, written out as in numpy/_core/src/umath/loops_utils.h.src.
fn numpy_pairwise(x: &[f64]) -> f64 {
    let n = x.len();
    if n < 8 {
        return x.iter().fold(0.0, |s, &v| s + v);
    }
    if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&x[..8]);
        let mut i = 8;
        while i < n - n % 8 {
            for j in 0..8 {
                r[j] += x[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &v in &x[i..] {
            res += v;
        }
        return res;
    }
    let mut n2 = n / 2;
    n2 -= n2 % 8;
    numpy_pairwise(&x[..n2]) + numpy_pairwise(&x[n2..])
}

#[test]
fn sum_is_numpy_pairwise_bit_for_bit() {
    let mut g = Gen(6);
    let pw = Pairwise {
        width: 8,
        leaf: 128,
        split: |n| {
            let h = n / 2;
            h - h % 8
        },
    };
    for n in [0usize, 1, 7, 8, 9, 127, 128, 129, 1000, 65_537, 400_003] {
        let x: Vec<f64> = (0..n).map(|_| g.f64() * 1e6).collect();
        assert_eq!(
            pairwise(&exec(), &x, 0.0, &pw).to_bits(),
            numpy_pairwise(&x).to_bits(),
            "n = {n}"
        );
    }
}

/// The forced portable path and the dispatched one give the same results
/// through the whole program (products above the small-loop size, int64,
/// elementwise and sums).
#[test]
fn forced_portable_path_agrees_end_to_end() {
    let program = "seed(7); A = rand(37, 53); B = rand(53, 29); C = A @ B; \
                   I = int64(A * 100) @ int64(B * 100); \
                   Z = complex128(A) @ (B * 1j); W = A' @ A; \
                   x = rand(300000); y = x * 2.0 + x; \
                   [sum(C), sum(W), float64(sum(I)), real(sum(Z)), imag(sum(Z)), sum(y), sum(x)]";
    let run = |kernel: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tensorcalc"));
        cmd.args(["--json", "-e", program])
            .env_remove("TENSORCALC_KERNEL");
        if let Some(k) = kernel {
            cmd.env("TENSORCALC_KERNEL", k);
        }
        let out = cmd.output().expect("the binary runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let start = text.find("\"data\":[").unwrap() + 8;
        let end = text[start..].find(']').unwrap() + start;
        text[start..end]
            .split(',')
            .map(|v| v.parse::<f64>().unwrap())
            .collect::<Vec<_>>()
    };
    let fast = run(None);
    let portable = run(Some("portable"));
    assert_eq!(fast.len(), 7);
    for (x, y) in fast.iter().zip(&portable) {
        assert!(close(*x, *y, 64, 1e-13), "{x} vs {y}");
    }
    // int64, elementwise and sums are exact on both paths.
    assert_eq!(fast[2], portable[2]);
    assert_eq!(fast[5], portable[5]);
    assert_eq!(fast[6], portable[6]);
}

#[test]
fn fresh_results_and_two_thread_blocks_match_portable() {
    // Big enough for several threads (rows split when m ≥ n, columns when
    // n > m), odd edges, a transposed operand; the fresh result is written
    // into memory that was never zeroed, so a missed element would show.
    let mut g = Gen(7);
    for &(m, k, n) in &[
        (130, 100, 120),
        (97, 100, 250),
        (161, 99, 17),
        (5, 300, 700),
    ] {
        let a = g.matrix(k, m).reversed_axes();
        let b = g.matrix(k, n);
        let mut want = Array2::<f64>::zeros((m, n));
        float::portable(
            MatRef::new(a.view()),
            MatRef::new(b.view()),
            want.view_mut(),
        );
        for threads in [1, 2, 3] {
            let ex = exec().with_threads(threads);
            let fresh = float::matmul_fresh(&ex, MatRef::new(a.view()), MatRef::new(b.view()));
            let mut into = Array2::<f64>::from_elem((m, n), f64::NAN);
            float::matmul(
                &ex,
                MatRef::new(a.view()),
                MatRef::new(b.view()),
                into.view_mut(),
            );
            for got in [&fresh, &into] {
                assert_eq!(got.dim(), (m, n));
                for (x, y) in got.iter().zip(&want) {
                    assert!(
                        close(*x, *y, k, 1e-14),
                        "{m}x{k}x{n} t={threads}: {x} vs {y}"
                    );
                }
            }
        }
    }
    let c = |g: &mut Gen, r, c| Array2::from_shape_fn((r, c), |_| Complex64::new(g.f64(), g.f64()));
    let (a, b) = (c(&mut g, 70, 66), c(&mut g, 66, 75));
    let (ar, br) = (
        MatRef {
            view: a.view(),
            conj: true,
        },
        MatRef {
            view: b.view(),
            conj: false,
        },
    );
    let mut want = Array2::<Complex64>::zeros((70, 75));
    float::portable(ar, br, want.view_mut());
    let got = float::matmul_fresh(&exec().with_threads(2), ar, br);
    for (x, y) in got.iter().zip(&want) {
        assert!(
            (x - y).norm() <= 1e-13 * 66.0,
            "complex 70x66x75: {x} vs {y}"
        );
    }
}
