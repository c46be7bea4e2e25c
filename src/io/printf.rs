//! Python's `%` formatting of numbers, as `np.savetxt` applies its `fmt`:
//! `%[flags][width][.precision]conversion` with flags `-+ 0#` and the
//! conversions `d i u f F e E g G s r`, literal text and `%%`. Rust's float
//! formatting is correctly rounded, as Python's is, so the digits agree.

/// One piece of a format string.
#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Text(String),
    Spec(Spec),
}

#[derive(Clone, Debug, PartialEq)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    zero: bool,
    alt: bool,
    width: usize,
    precision: Option<usize>,
    conv: char,
}

/// A parsed format string.
#[derive(Clone, Debug, PartialEq)]
pub struct Format {
    pieces: Vec<Piece>,
}

/// A value to format: savetxt passes each element as NumPy does.
#[derive(Clone, Copy, Debug)]
pub enum Num {
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Format {
    /// Parses `fmt`; the error is the offending text.
    pub fn parse(fmt: &str) -> Result<Format, String> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                text.push(c);
                continue;
            }
            if chars.peek() == Some(&'%') {
                chars.next();
                text.push('%');
                continue;
            }
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
            }
            let mut s = Spec {
                left: false,
                plus: false,
                space: false,
                zero: false,
                alt: false,
                width: 0,
                precision: None,
                conv: ' ',
            };
            while let Some(&f) = chars.peek() {
                match f {
                    '-' => s.left = true,
                    '+' => s.plus = true,
                    ' ' => s.space = true,
                    '0' => s.zero = true,
                    '#' => s.alt = true,
                    _ => break,
                }
                chars.next();
            }
            let digits = |chars: &mut std::iter::Peekable<std::str::Chars>| {
                let mut n: Option<usize> = None;
                while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                    n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize));
                    chars.next();
                }
                n
            };
            s.width = digits(&mut chars).unwrap_or(0).min(1000);
            if chars.peek() == Some(&'.') {
                chars.next();
                s.precision = Some(digits(&mut chars).unwrap_or(0).min(1000));
            }
            // Python accepts and ignores a length modifier.
            while matches!(chars.peek(), Some('l' | 'h' | 'L')) {
                chars.next();
            }
            match chars.next() {
                Some(c) if "diufFeEgGsr".contains(c) => s.conv = c,
                _ => return Err(fmt.to_string()),
            }
            pieces.push(Piece::Spec(s));
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok(Format { pieces })
    }

    /// How many values it takes.
    pub fn count(&self) -> usize {
        self.pieces
            .iter()
            .filter(|p| matches!(p, Piece::Spec(_)))
            .count()
    }

    /// Appends the formatted values (exactly `count()` of them) to `out`;
    /// the error is the value `%d` cannot take (NaN, an infinity).
    pub fn write(&self, values: &[Num], out: &mut String) -> Result<(), f64> {
        let mut it = values.iter();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Spec(s) => {
                    let v = it.next().copied().unwrap_or(Num::Int(0));
                    s.write(v, out)?;
                }
            }
        }
        Ok(())
    }
}

impl Spec {
    fn write(&self, v: Num, out: &mut String) -> Result<(), f64> {
        let (negative, body) = match self.conv {
            'd' | 'i' | 'u' => {
                let i: i128 = match v {
                    Num::Int(i) => i as i128,
                    Num::Bool(b) => b as i128,
                    Num::Float(f) if f.is_finite() => f.trunc() as i128,
                    Num::Float(f) => return Err(f),
                };
                let mut digits = i.unsigned_abs().to_string();
                if let Some(p) = self.precision
                    && digits.len() < p
                {
                    digits = "0".repeat(p - digits.len()) + &digits;
                }
                (i < 0, digits)
            }
            's' | 'r' => {
                let text = match v {
                    Num::Int(i) => i.to_string(),
                    Num::Bool(b) => if b { "True" } else { "False" }.to_string(),
                    Num::Float(f) => crate::value::float_repr(f),
                };
                let text = match self.precision {
                    Some(p) => text.chars().take(p).collect(),
                    None => text,
                };
                return {
                    pad(out, "", &text, self.width, self.left, false);
                    Ok(())
                };
            }
            _ => {
                let f = match v {
                    Num::Int(i) => i as f64,
                    Num::Bool(b) => b as u8 as f64,
                    Num::Float(f) => f,
                };
                (f.is_sign_negative() && !f.is_nan(), self.float(f.abs()))
            }
        };
        let sign = if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        let finite = body.bytes().next().is_some_and(|b| b.is_ascii_digit());
        pad(out, sign, &body, self.width, self.left, self.zero && finite);
        Ok(())
    }

    /// A non-negative float by the conversion.
    fn float(&self, f: f64) -> String {
        let upper = self.conv.is_ascii_uppercase();
        if !f.is_finite() {
            let t = if f.is_nan() { "nan" } else { "inf" };
            return if upper { t.to_uppercase() } else { t.into() };
        }
        let p = self.precision.unwrap_or(6);
        let text = match self.conv.to_ascii_lowercase() {
            'f' => {
                let mut t = format!("{f:.p$}");
                if self.alt && p == 0 {
                    t.push('.');
                }
                t
            }
            'e' => exp_text(f, p, self.alt),
            _ => {
                let p = p.max(1);
                let x = if f == 0.0 {
                    0
                } else {
                    let e = format!("{f:.*e}", p - 1);
                    e.split_once('e')
                        .map_or(0, |(_, x)| x.parse::<i64>().unwrap_or(0))
                };
                let t = if -4 <= x && x < p as i64 {
                    format!("{f:.*}", (p as i64 - 1 - x) as usize)
                } else {
                    exp_text(f, p - 1, self.alt)
                };
                if self.alt { t } else { strip_zeros(&t) }
            }
        };
        if upper { text.to_uppercase() } else { text }
    }
}

/// `1.500000e+02`: Python's exponent form (a sign and at least two digits).
fn exp_text(f: f64, p: usize, alt: bool) -> String {
    let t = format!("{f:.p$e}");
    let (mant, exp) = t.split_once('e').unwrap_or((&t, "0"));
    let x: i64 = exp.parse().unwrap_or(0);
    let dot = if alt && p == 0 { "." } else { "" };
    format!(
        "{mant}{dot}e{}{:02}",
        if x < 0 { '-' } else { '+' },
        x.unsigned_abs()
    )
}

/// `%g` drops trailing zeros of the fraction, and a bare point.
fn strip_zeros(t: &str) -> String {
    let (mant, exp) = match t.find('e') {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let mant = if mant.contains('.') {
        mant.trim_end_matches('0').trim_end_matches('.')
    } else {
        mant
    };
    format!("{mant}{exp}")
}

fn pad(out: &mut String, sign: &str, body: &str, width: usize, left: bool, zero: bool) {
    let len = sign.chars().count() + body.chars().count();
    let fill = width.saturating_sub(len);
    if left {
        out.push_str(sign);
        out.push_str(body);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if zero {
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(body);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(sign);
        out.push_str(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, v: Num) -> String {
        let mut s = String::new();
        Format::parse(fmt).unwrap().write(&[v], &mut s).unwrap();
        s
    }

    /// Expected strings are Python's `fmt % value`.
    #[test]
    fn formats_as_python_does() {
        use Num::*;
        assert_eq!(f("%.18e", Float(0.1)), "1.000000000000000056e-01");
        assert_eq!(f("%.18e", Int(3)), "3.000000000000000000e+00");
        assert_eq!(f("%.6g", Float(1234567.0)), "1.23457e+06");
        assert_eq!(f("%.6g", Float(0.0001)), "0.0001");
        assert_eq!(f("%.6g", Float(0.00001)), "1e-05");
        assert_eq!(f("%g", Float(100000.0)), "100000");
        assert_eq!(f("%g", Float(1e6)), "1e+06");
        assert_eq!(f("%g", Float(0.0)), "0");
        assert_eq!(f("%.3f", Float(-0.0)), "-0.000");
        assert_eq!(f("%.2f", Float(2.675)), "2.67");
        assert_eq!(f("%d", Float(-1.7)), "-1");
        assert_eq!(f("%5d", Int(42)), "   42");
        assert_eq!(f("%-5d|", Int(42)), "42   |");
        assert_eq!(f("%05d", Int(-42)), "-0042");
        assert_eq!(f("%+.1f", Float(1.25)), "+1.2");
        assert_eq!(f("%e", Float(f64::INFINITY)), "inf");
        assert_eq!(f("%E", Float(f64::NEG_INFINITY)), "-INF");
        assert_eq!(f("%f", Float(f64::NAN)), "nan");
        assert_eq!(f("%s", Float(1e-7)), "1e-07");
        assert_eq!(f("%s", Bool(true)), "True");
        assert_eq!(f("%d", Bool(true)), "1");
        assert_eq!(f("%.3e", Float(123456.0)), "1.235e+05");
        assert_eq!(f("%G", Float(1e-10)), "1E-10");
        assert_eq!(f("%#.3g", Float(1.0)), "1.00");
        assert_eq!(f("x=%d%%", Int(5)), "x=5%");
    }

    #[test]
    fn bad_formats_and_nan_as_an_integer_are_errors() {
        assert!(Format::parse("%q").is_err());
        assert!(Format::parse("%").is_err());
        let mut s = String::new();
        assert!(
            Format::parse("%d")
                .unwrap()
                .write(&[Num::Float(f64::NAN)], &mut s)
                .is_err()
        );
        assert_eq!(Format::parse("%d,%d").unwrap().count(), 2);
    }
}
