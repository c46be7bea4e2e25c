//! Replays the differential corpus (`tests/data/corpus/*.jsonl`, NumPy's
//! answers written by `scripts/gen_corpus.py`) through `Session`, with no
//! Python. Agreement means the same shape and dtype, the same values (exact
//! for bool and int64, rtol 1e-12 for float64 and complex128, rtol 1e-6 for
//! float32, NaN equal to NaN) or an error where NumPy raises. A case may set
//! its own `"rtol"` (for every float dtype) and `"atol"` (absolute, default
//! 0), e.g. for linear algebra computed by different algorithms than LAPACK's.
//! Cases marked `deviation` carry tensorcalc's documented behaviour instead
//! of NumPy's.
//!
//! `tests/corpus_known_failures.txt` lists the cases that are known to
//! disagree (bugs waiting for a fix): each of them must still FAIL, so fixing a
//! bug forces the list to be updated.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value as Json;
use tensorcalc::value::{Array, C64, Value};
use tensorcalc::{Outcome, Session};

const RTOL_F64: f64 = 1e-12;
const RTOL_F32: f64 = 1e-6;

struct Case {
    id: String,
    program: String,
    expect: Json,
}

fn load_cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("tests/data/corpus exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: Json = serde_json::from_str(line).unwrap();
            cases.push(Case {
                id: v["id"].as_str().unwrap().to_string(),
                program: v["program"].as_str().unwrap().to_string(),
                expect: v,
            });
        }
    }
    cases
}

fn known_failures() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_known_failures.txt");
    let text = fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(" #") {
            Some((id, why)) => (id.trim().to_string(), why.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

/// What the last statement produced.
enum Got {
    Error(String),
    Value(Value),
    Nothing,
}

fn run(program: &str) -> Got {
    let mut session = Session::new();
    let outcomes = session.eval_source(program);
    for o in &outcomes {
        if let Outcome::Diagnostic(d) = o
            && o.error_kind().is_some()
        {
            return Got::Error(d.message.clone());
        }
    }
    match outcomes.into_iter().rev().find_map(|o| match o {
        Outcome::Value { value, .. } => Some(value),
        _ => None,
    }) {
        Some(v) => Got::Value((*v).clone()),
        None => Got::Nothing,
    }
}

fn json_f64(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => match s.as_str() {
            "nan" => Some(f64::NAN),
            "inf" => Some(f64::INFINITY),
            "-inf" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// Per-case tolerances: relative for float64/complex128 and for float32,
/// and an absolute floor for all of them.
#[derive(Clone, Copy)]
struct Tol {
    rtol64: f64,
    rtol32: f64,
    atol: f64,
}

fn close(a: f64, b: f64, tol: Tol, rtol: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a.is_infinite() || b.is_infinite() {
        return a == b;
    }
    (a - b).abs() <= tol.atol + rtol * a.abs().max(b.abs())
}

fn close_c(a: C64, b: C64, tol: Tol) -> bool {
    let rtol = tol.rtol64;
    let nan_a = a.re.is_nan() || a.im.is_nan();
    let nan_b = b.re.is_nan() || b.im.is_nan();
    if nan_a || nan_b || !a.is_finite() || !b.is_finite() {
        // Component-wise for the special values.
        return close(a.re, b.re, tol, rtol) && close(a.im, b.im, tol, rtol);
    }
    (a - b).norm() <= tol.atol + rtol * a.norm().max(b.norm())
}

/// Compares one value with the expected `{"shape", "dtype", "data"}`.
fn compare(got: &Value, want: &Json, tol: Tol) -> Result<(), String> {
    let want_dtype = want["dtype"].as_str().unwrap();
    if want_dtype == "str" {
        return match got {
            Value::Str(s) if Some(s.as_str()) == want["data"].as_str() => Ok(()),
            other => Err(format!("expected string {}, got {other:?}", want["data"])),
        };
    }
    let Value::Array(a) = got else {
        return Err(format!("expected an array, got {got:?}"));
    };
    let shape: Vec<usize> = want["shape"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect();
    if a.shape() != shape.as_slice() || a.dtype().name() != want_dtype {
        return Err(format!(
            "expected {want_dtype} {shape:?}, got {} {:?}",
            a.dtype(),
            a.shape()
        ));
    }
    let data = want["data"].as_array().unwrap();
    let mismatch = |i: usize, g: String| {
        Err(format!(
            "element {i}: expected {}, got {g} (all: {})",
            data[i],
            tensorcalc::render::value_json(got, None).unwrap_or_default()
        ))
    };
    match a {
        Array::Bool(x) => {
            for (i, (g, w)) in x.iter().zip(data).enumerate() {
                if Some(*g) != w.as_bool() {
                    return mismatch(i, g.to_string());
                }
            }
        }
        Array::Int(x) => {
            for (i, (g, w)) in x.iter().zip(data).enumerate() {
                if Some(*g) != w.as_i64() {
                    return mismatch(i, g.to_string());
                }
            }
        }
        Array::F32(x) => {
            for (i, (g, w)) in x.iter().zip(data).enumerate() {
                if !json_f64(w).is_some_and(|w| close(*g as f64, w, tol, tol.rtol32)) {
                    return mismatch(i, format!("{g:?}"));
                }
            }
        }
        Array::F64(x) => {
            for (i, (g, w)) in x.iter().zip(data).enumerate() {
                if !json_f64(w).is_some_and(|w| close(*g, w, tol, tol.rtol64)) {
                    return mismatch(i, format!("{g:?}"));
                }
            }
        }
        Array::C128(x) => {
            for (i, (g, w)) in x.iter().zip(data).enumerate() {
                let w = C64::new(json_f64(&w[0]).unwrap(), json_f64(&w[1]).unwrap());
                if !close_c(*g, w, tol) {
                    return mismatch(i, format!("{g:?}"));
                }
            }
        }
    }
    Ok(())
}

/// `Ok` when tensorcalc agrees with the case's expectation.
fn check(case: &Case) -> Result<(), String> {
    let got = run(&case.program);
    let e = &case.expect;
    if let Some(err) = e.get("error") {
        return match got {
            Got::Error(_) => Ok(()),
            Got::Value(v) => Err(format!(
                "expected an error ({err}), got {}",
                tensorcalc::render::value_json(&v, None).unwrap_or_default()
            )),
            Got::Nothing => Err(format!("expected an error ({err}), got nothing")),
        };
    }
    match got {
        Got::Value(v) => {
            let rtol = e.get("rtol").and_then(Json::as_f64);
            let tol = Tol {
                rtol64: rtol.unwrap_or(RTOL_F64),
                rtol32: rtol.unwrap_or(RTOL_F32),
                atol: e.get("atol").and_then(Json::as_f64).unwrap_or(0.0),
            };
            compare(&v, &e["expect"], tol)
        }
        Got::Error(msg) => Err(format!("expected a value, got error: {msg}")),
        Got::Nothing => Err("expected a value, got nothing".to_string()),
    }
}

#[test]
fn corpus_agrees_with_numpy() {
    // A large stack, as the binary uses, so deep programs behave the same.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(replay)
        .unwrap()
        .join()
        .unwrap();
}

fn replay() {
    let cases = load_cases();
    assert!(cases.len() >= 10_000, "only {} cases", cases.len());
    let known = known_failures();
    let mut ids = std::collections::BTreeSet::new();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut deviations = 0;
    for case in &cases {
        assert!(
            ids.insert(case.id.as_str()),
            "duplicate case id {}",
            case.id
        );
        if case.expect.get("deviation").is_some() {
            deviations += 1;
        }
        let outcome = check(case);
        match (outcome, known.contains_key(&case.id)) {
            (Ok(()), false) | (Err(_), true) => {}
            (Err(why), false) => unexpected.push(format!(
                "{}\n    program: {}\n    {why}",
                case.id, case.program
            )),
            (Ok(()), true) => fixed.push(case.id.clone()),
        }
    }
    let stale: Vec<_> = known.keys().filter(|k| !ids.contains(k.as_str())).collect();
    eprintln!(
        "corpus: {} cases ({deviations} expected deviations, {} known failures)",
        cases.len(),
        known.len()
    );
    let mut report = String::new();
    if !unexpected.is_empty() {
        report += &format!(
            "{} cases disagree with NumPy (first 40):\n{}\n",
            unexpected.len(),
            unexpected
                .iter()
                .take(40)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
        if std::env::var_os("CORPUS_DUMP").is_some() {
            eprintln!("ALL FAILURES:\n{}", unexpected.join("\n"));
        }
    }
    if !fixed.is_empty() {
        report += &format!(
            "{} known failures now pass; remove them from tests/corpus_known_failures.txt:\n  {}\n",
            fixed.len(),
            fixed.join("\n  ")
        );
    }
    if !stale.is_empty() {
        report += &format!(
            "tests/corpus_known_failures.txt names cases that do not exist:\n  {}\n",
            stale
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n  ")
        );
    }
    assert!(report.is_empty(), "{report}");
}
