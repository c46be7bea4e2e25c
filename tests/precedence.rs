//! Precedence pins, through the library: each pair of programs must give the
//! same value (compared by `--json` rendering), so a change to the Pratt table
//! in `src/syntax/parser.rs` that moves an operator shows up here.

use tensorcalc::{Outcome, Session};

/// The JSON of the last value `program` displays; panics on an error.
fn value(program: &str) -> String {
    let mut s = Session::new();
    let outcomes = s.eval_source(program);
    for o in &outcomes {
        assert!(o.error_kind().is_none(), "{program}: {o:?}");
    }
    let last = outcomes
        .iter()
        .rev()
        .find(|o| matches!(o, Outcome::Value { .. }))
        .unwrap_or_else(|| panic!("{program}: no value"));
    s.json(last).expect("a value renders as JSON")
}

fn same(a: &str, b: &str) {
    assert_eq!(value(a), value(b), "`{a}` should equal `{b}`");
}

fn differ(a: &str, b: &str) {
    assert_ne!(
        value(a),
        value(b),
        "`{a}` should differ from `{b}` (the test would prove nothing)"
    );
}

const SETUP: &str = "A = [1, 2j; 3, 4]; B = [5, 6; 7j, 8];";

#[test]
fn power_binds_tighter_than_prefix_minus() {
    assert_eq!(value("-2^2"), value("-4"));
    same("-2^2", "-(2^2)");
    differ("-2^2", "(-2)^2");
    same("-2**2", "-4");
    same("2^-1", "0.5");
}

#[test]
fn power_is_right_associative() {
    same("2^3^2", "512");
    same("2^3^2", "2^(3^2)");
    differ("2^3^2", "(2^3)^2");
    same("2**3**2", "512");
}

#[test]
fn subtraction_and_division_are_left_associative() {
    same("1 - 2 - 3", "-4");
    same("1 - 2 - 3", "(1 - 2) - 3");
    same("16 / 4 / 2", "2.0");
    same("17 // 5 % 2", "(17 // 5) % 2");
}

#[test]
fn transpose_binds_tighter_than_matmul() {
    same(&format!("{SETUP} A'@B"), &format!("{SETUP} (A')@B"));
    differ(&format!("{SETUP} A'@B"), &format!("{SETUP} (A@B)'"));
    same(&format!("{SETUP} A@B'"), &format!("{SETUP} A@(B')"));
    differ(&format!("{SETUP} A@B'"), &format!("{SETUP} (A@B)'"));
}

#[test]
fn double_transpose_is_identity() {
    same(&format!("{SETUP} A''"), &format!("{SETUP} A"));
    differ(&format!("{SETUP} A'"), &format!("{SETUP} A"));
}

#[test]
fn transpose_binds_tighter_than_minus_and_power() {
    same(&format!("{SETUP} -A'"), &format!("{SETUP} -(A')"));
    same("x = [1, 2; 3, 4]; x'^2", "x = [1, 2; 3, 4]; (x')^2");
}

#[test]
fn matmul_binds_like_multiply() {
    // same level, left to right
    same("2 * [1, 2] @ [3, 4]", "(2 * [1, 2]) @ [3, 4]");
    same("[1, 2] @ [3, 4] * 2", "([1, 2] @ [3, 4]) * 2");
    same("[[1, 2]] @ [[3], [4]] / 2", "([[1, 2]] @ [[3], [4]]) / 2");
    // tighter than +
    same("1 + [1, 2] @ [3, 4]", "1 + ([1, 2] @ [3, 4])");
    differ("1 + [1, 2] @ [3, 4] * 0", "(1 + [1, 2] @ [3, 4]) * 0");
}

#[test]
fn comparison_below_addition() {
    same("1 + 2 == 3", "true");
    same("1 + 2 == 3", "(1 + 2) == 3");
    same("2 * 3 > 5", "true");
}

#[test]
fn and_below_comparison() {
    same("1 < 2 & 3 > 2", "(1 < 2) & (3 > 2)");
    same("1 < 2 & 3 > 2", "true");
    // 6 & 3 == 2 would be false if & bound tighter
    same("6 & 3 == 3", "6 & (3 == 3)");
}

#[test]
fn or_below_and() {
    same("true | false & false", "true | (false & false)");
    same("true | false & false", "true");
    differ("true | false & false", "(true | false) & false");
}

#[test]
fn prefix_not_binds_tighter_than_and() {
    same("!false & false", "(!false) & false");
    same("!false & false", "false");
}
