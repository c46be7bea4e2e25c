//! Number formatting shared by the value printer, JSON and messages.

use super::dtype::C64;

/// Python's `repr` of a float: the shortest text that reads back to the same
/// value, in exponent form below 1e-4 and from 1e16 on.
pub fn float_repr(v: f64) -> String {
    repr_with(v, format!("{v}"), format!("{v:e}"))
}

/// The same for float32, with float32's own shortest digits.
pub fn f32_repr(v: f32) -> String {
    repr_with(v as f64, format!("{v}"), format!("{v:e}"))
}

fn repr_with(v: f64, plain: String, exp: String) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = v.abs();
    if a == 0.0 || (1e-4..1e16).contains(&a) {
        if plain.contains('.') {
            plain
        } else {
            format!("{plain}.0")
        }
    } else {
        python_exponent(&exp)
    }
}

/// Rust writes `1.5e-7`; Python writes `1.5e-07`.
pub fn python_exponent(rust: &str) -> String {
    match rust.split_once('e') {
        Some((mant, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mant}e{sign}{digits:0>2}")
        }
        None => rust.to_string(),
    }
}

/// A float without a trailing `.0`, as Python writes complex parts.
fn part(v: f64) -> String {
    let s = float_repr(v);
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Python's complex repr without the parentheses: `-13+0j`, `2j`, `1.5-2j`.
pub fn complex_repr(z: C64) -> String {
    let im = if z.im.is_nan() {
        "+nan".to_string()
    } else if z.im.is_sign_negative() {
        part(z.im)
    } else {
        format!("+{}", part(z.im))
    };
    if z.re == 0.0 && z.re.is_sign_positive() {
        format!("{}j", im.trim_start_matches('+'))
    } else {
        format!("{}{im}j", part(z.re))
    }
}

/// Human-readable byte counts: `7.3 TiB`, `512 B`.
pub fn bytes_text(bytes: f64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = bytes;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{v} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_python_repr() {
        assert_eq!(float_repr(12.5), "12.5");
        assert_eq!(float_repr(2.0), "2.0");
        assert_eq!(float_repr(2.0 / 3.0), "0.6666666666666666");
        assert_eq!(float_repr(1e-5), "1e-05");
        assert_eq!(float_repr(1.5e300), "1.5e+300");
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(123456789012345.0), "123456789012345.0");
        assert_eq!(float_repr(-0.0), "-0.0");
        assert_eq!(float_repr(f64::NAN), "nan");
        assert_eq!(float_repr(f64::NEG_INFINITY), "-inf");
        assert_eq!(f32_repr(0.1), "0.1");
    }

    #[test]
    fn complex_prints_like_python_without_parentheses() {
        assert_eq!(complex_repr(C64::new(-13.0, 0.0)), "-13+0j");
        assert_eq!(complex_repr(C64::new(0.0, 2.0)), "2j");
        assert_eq!(complex_repr(C64::new(1.5, -2.0)), "1.5-2j");
        assert_eq!(complex_repr(C64::new(-0.0, 1.0)), "-0+1j");
        assert_eq!(complex_repr(C64::new(1.0, f64::NAN)), "1+nanj");
    }
}
