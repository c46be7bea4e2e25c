//! The seed article's operations against NumPy: each line of
//! `tests/data/seed_numpy.jsonl` is `{"name", "program", "expect"}`, where
//! `expect` is what NumPy computed, in the `--json` contract. The program runs
//! through the binary (`tensorcalc --json -e PROGRAM`) and its last stdout line
//! must match: same shape and dtype, exact ints, bools and strings, floats
//! within a relative 1e-12 (with -0.0 == 0.0), and "nan"/"inf"/"-inf" equal.

use std::process::Command;

use serde_json::Value;

fn tensorcalc(args: &[&str]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tensorcalc"));
    for v in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
        "COLORTERM",
        "COLUMNS",
    ] {
        c.env_remove(v);
    }
    c.args(args).output().expect("spawn tensorcalc")
}

/// Compares `got` with `want` element by element; returns where they differ.
fn same(got: &Value, want: &Value, at: &str) -> Result<(), String> {
    match (got, want) {
        (Value::Array(g), Value::Array(w)) => {
            if g.len() != w.len() {
                return Err(format!("{at}: length {} ≠ {}", g.len(), w.len()));
            }
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                same(g, w, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Number(g), Value::Number(w)) if w.is_i64() || w.is_u64() => {
            if g == w {
                Ok(())
            } else {
                Err(format!("{at}: {g} ≠ {w} (exact integer)"))
            }
        }
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            // `==` treats -0.0 and 0.0 as equal
            if g == w || (g - w).abs() <= 1e-12 * g.abs().max(w.abs()) {
                Ok(())
            } else {
                Err(format!("{at}: {g} ≠ {w} (rtol 1e-12)"))
            }
        }
        (g, w) if g == w => Ok(()),
        (g, w) => Err(format!("{at}: {g} ≠ {w}")),
    }
}

#[test]
fn seed_article_matches_numpy() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed_numpy.jsonl");
    let text = std::fs::read_to_string(path).expect("seed data");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("a JSON line");
        let name = case["name"].as_str().expect("name");
        let program = case["program"].as_str().expect("program");
        let want = &case["expect"];
        count += 1;
        let out = tensorcalc(&["--json", "-e", program]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            failures.push(format!(
                "{name}: exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let Some(last) = stdout.lines().last() else {
            failures.push(format!("{name}: no output"));
            continue;
        };
        let got: Value = match serde_json::from_str(last) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: not JSON ({e}): {last}"));
                continue;
            }
        };
        for key in ["shape", "dtype"] {
            if got[key] != want[key] {
                failures.push(format!("{name}: {key} {} ≠ {}", got[key], want[key]));
            }
        }
        if let Err(e) = same(&got["data"], &want["data"], "data") {
            failures.push(format!("{name}: {e}\n  got  {last}\n  want {want}"));
        }
    }
    assert!(
        count >= 50,
        "expected the whole seed file, read {count} cases"
    );
    assert!(
        failures.is_empty(),
        "{} of {count} differ from NumPy:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The seed article: matrices of the same shape add, "otherwise an error".
#[test]
fn adding_matrices_of_different_shapes_is_an_error() {
    let out = tensorcalc(&[
        "--json",
        "-e",
        "A = [[1, 2], [4, 3]]\nB = [[1, 2, 3], [4, 5, 6]]\nA + B",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.lines().count(),
        2,
        "only the two assignments print: {stdout}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("<arg>:3:3: error: add: shapes 2×2 and 2×3 do not broadcast"),
        "{err}"
    );
}
