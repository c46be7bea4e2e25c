//! The `--json` contract, one line per displayed value:
//! `{"shape":[2,2],"dtype":"int64","data":[[1,2],[3,4]],"name":"A"}`.
//! Complex numbers are `[re, im]`; NaN and infinities are the strings
//! "nan", "inf", "-inf"; floats have enough digits to round-trip.

use std::fmt::Write;

use crate::value::{Array, C64, Picture, Value};

use super::value::FormatOptions;

fn float(out: &mut String, v: f64, text: impl FnOnce() -> String) {
    if v.is_nan() {
        out.push_str("\"nan\"");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "\"inf\"" } else { "\"-inf\"" });
    } else {
        out.push_str(&text());
    }
}

fn f64_json(out: &mut String, v: f64) {
    // Debug formatting is Rust's shortest round-trip form (`0.1`, `1e-7`, `2.0`).
    float(out, v, || format!("{v:?}"));
}

fn c64_json(out: &mut String, z: C64) {
    out.push('[');
    f64_json(out, z.re);
    out.push(',');
    f64_json(out, z.im);
    out.push(']');
}

fn string_json(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes nested lists for the elements of `a` in row-major order.
fn data_json(out: &mut String, a: &Array) {
    let shape = a.shape().to_vec();
    let mut cells: Vec<String> = Vec::with_capacity(a.len());
    crate::with_array!(a, x => {
        for v in x.iter() {
            let mut s = String::new();
            elem_json(&mut s, v);
            cells.push(s);
        }
    });
    nest(out, &shape, &cells);
}

fn nest(out: &mut String, shape: &[usize], cells: &[String]) {
    match shape.split_first() {
        None => out.push_str(&cells[0]),
        Some((&n, rest)) => {
            out.push('[');
            let step: usize = rest.iter().product();
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                nest(out, rest, &cells[i * step..(i + 1) * step]);
            }
            out.push(']');
        }
    }
}

trait JsonElem {
    fn write(&self, out: &mut String);
}
impl JsonElem for bool {
    fn write(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}
impl JsonElem for i64 {
    fn write(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}
impl JsonElem for f32 {
    fn write(&self, out: &mut String) {
        let v = *self;
        float(out, v as f64, || format!("{v:?}"));
    }
}
impl JsonElem for f64 {
    fn write(&self, out: &mut String) {
        f64_json(out, *self);
    }
}
impl JsonElem for C64 {
    fn write(&self, out: &mut String) {
        c64_json(out, *self);
    }
}

fn elem_json<T: JsonElem>(out: &mut String, v: &T) {
    v.write(out);
}

/// Lengths as JSON: a number, a string holding a symbolic expression
/// (`"n+m"`), or `null` when the data decide.
fn dims_json(dims: &[crate::value::Dim]) -> String {
    use crate::value::Dim;
    let parts: Vec<String> = dims
        .iter()
        .map(|d| match d {
            Dim::Known(n) => n.to_string(),
            Dim::Sym(s) => {
                let mut out = String::new();
                string_json(&mut out, &s.to_string());
                out
            }
            Dim::Unknown => "null".to_string(),
        })
        .collect();
    parts.join(",")
}

/// One line of JSON for a displayed value (`None` for values that display
/// nothing).
pub fn value_json(value: &Value, name: Option<&str>) -> Option<String> {
    let mut out = String::new();
    match value {
        Value::Nothing | Value::Unknown => return None,
        Value::Shaped(m) => {
            out.push_str("{\"shape\":[");
            out.push_str(&dims_json(&m.shape));
            let _ = write!(out, "],\"dtype\":\"{}\"", m.dtype);
        }
        Value::Sizes(s) => {
            // Like a shape-only int64 value, with the sizes it stands for.
            let (shape, key) = if s.vector {
                (s.dims.len().to_string(), "sizes")
            } else {
                (String::new(), "size")
            };
            let _ = write!(out, "{{\"shape\":[{shape}],\"dtype\":\"int64\",\"{key}\":");
            if s.vector {
                let _ = write!(out, "[{}]", dims_json(&s.dims));
            } else {
                out.push_str(&dims_json(&s.dims));
            }
        }
        Value::Array(a) => {
            out.push_str("{\"shape\":[");
            let dims: Vec<String> = a.shape().iter().map(|d| d.to_string()).collect();
            out.push_str(&dims.join(","));
            let _ = write!(out, "],\"dtype\":\"{}\",\"data\":", a.dtype());
            data_json(&mut out, a);
        }
        Value::Str(s) => {
            out.push_str("{\"shape\":[],\"dtype\":\"str\",\"data\":");
            string_json(&mut out, s);
        }
        Value::Picture(p) => return Some(picture_json(p, name, &FormatOptions::default())),
        Value::Tuple(parts) => {
            out.push_str("{\"tuple\":[");
            let inner: Vec<String> = parts
                .iter()
                .filter_map(|(label, p)| value_json(p, Some(label)))
                .collect();
            out.push_str(&inner.join(","));
            out.push(']');
        }
    }
    if let Some(n) = name {
        out.push_str(",\"name\":");
        string_json(&mut out, n);
    }
    out.push('}');
    Some(out)
}

/// A picture as one line: `{"plot":"heatmap","text":[...lines...]}`, the
/// lines as plain text drawn at the size in `opts` (no text for the
/// checker's pictures, which are not drawn).
pub fn picture_json(p: &Picture, name: Option<&str>, opts: &FormatOptions) -> String {
    let mut out = format!("{{\"plot\":\"{}\"", p.kind.name());
    if p.data.is_some() {
        out.push_str(",\"text\":[");
        for (i, line) in super::plot::picture_lines(p, opts).iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string_json(&mut out, line);
        }
        out.push(']');
    } else {
        out.push_str(",\"shape_only\":true");
    }
    if let Some(n) = name {
        out.push_str(",\"name\":");
        string_json(&mut out, n);
    }
    out.push('}');
    out
}
