//! Fuzz target over einops patterns: arbitrary bytes become an array shape,
//! a pattern and axis lengths (`pattern|h=2,w=3`). For rearrange, reduce and
//! repeat, the rule never panics, a pattern error's place is a range inside
//! the pattern on character boundaries (the evaluator underlines it there),
//! the rule with symbolic sizes never panics either, and when the rule
//! accepts a small array the kernel gives exactly the shape it predicted.
//! Run with `cargo +nightly fuzz run einops` from the repository.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tensorcalc::kernel::Exec;
use tensorcalc::ops::OpError;
use tensorcalc::ops::einops::{Op, apply, rule};
use tensorcalc::ops::limits::Limits;
use tensorcalc::ops::reduce::Reduce;
use tensorcalc::value::{Array, DType, Dim, Meta};

fuzz_target!(|data: &[u8]| {
    if data.is_empty() || data.len() > 512 {
        return;
    }
    let ndim = usize::from(data[0] % 5).min(data.len() - 1);
    let dims: Vec<usize> = data[1..1 + ndim]
        .iter()
        .map(|b| usize::from(b % 6))
        .collect();
    let text = String::from_utf8_lossy(&data[1 + ndim..]).into_owned();
    let (pattern, rest) = text.split_once('|').unwrap_or((&text, ""));
    let lengths: Vec<(String, Dim)> = rest
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .filter_map(|(k, v)| Some((k.to_string(), Dim::Known(v.parse::<usize>().ok()?.min(64)))))
        .collect();
    let ops = [
        Op::Rearrange,
        Op::Reduce(Reduce::Sum),
        Op::Reduce(Reduce::Max),
        Op::Reduce(Reduce::Mean),
        Op::Repeat,
    ];
    let known = Meta::new(&dims, DType::Int64);
    let symbolic = Meta::with_dims(
        (0..dims.len())
            .map(|i| Dim::symbol(&format!("s{i}"), None))
            .collect(),
        DType::Float64,
    );
    for op in ops {
        let _ = rule(op, &symbolic, pattern, &lengths);
        match rule(op, &known, pattern, &lengths) {
            Ok(m) => {
                let n: usize = dims.iter().product();
                let out = m.elements().unwrap_or(usize::MAX);
                if n > 4096 || out > 1 << 16 {
                    continue;
                }
                let x = Array::Int(
                    ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(&dims), (0..n as i64).collect())
                        .expect("n elements"),
                );
                match apply(
                    op,
                    &x,
                    pattern,
                    &lengths,
                    &Limits::default(),
                    &Exec::from_env(),
                ) {
                    Ok(r) => assert!(
                        m.admits(&r),
                        "{pattern:?} on {dims:?}: rule {m:?}, kernel {:?}",
                        r.shape()
                    ),
                    Err(e) => panic!(
                        "{pattern:?} on {dims:?}: the rule accepted, the kernel refused: {e:?}"
                    ),
                }
            }
            Err(OpError::Einops { err, .. }) => {
                if let Some((s, t)) = err.at() {
                    assert!(s < t && t <= pattern.len(), "{pattern:?}: {err:?}");
                    assert!(pattern.is_char_boundary(s) && pattern.is_char_boundary(t));
                }
            }
            Err(_) => {}
        }
    }
});
