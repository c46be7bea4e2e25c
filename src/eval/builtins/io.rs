//! Built-ins: data in and out (`load`, `save`, `savez`, `savez_compressed`,
//! `loadtxt`, `savetxt`). Their rules know nothing of a file's contents: in
//! the checker `load` and `loadtxt` give an unknown value (reading the
//! header would mean touching files while checking) and the writers give
//! nothing, without writing. Every one is refused under `--sandbox`.

use std::path::PathBuf;

use super::*;
use crate::diagnostic::Diagnostic;
use crate::eval::errors::io::{io_error, io_kind, reason};
use crate::io::{self, Fault, IoError, Loaded, atomic, npy, npz, text};

/// The path argument, resolved.
fn path(a: &Args) -> EResult<(String, PathBuf)> {
    let p = a.string(0)?.to_string();
    sandbox(a)?;
    let resolved = io::expand_path(&p);
    Ok((p, resolved))
}

/// Refused under `--sandbox` (by the rule, so the checker says so too).
fn sandbox(a: &Args) -> EResult<()> {
    let p = a.string(0)?.to_string();
    if a.limits.sandbox {
        let e = IoError {
            path: p.clone(),
            fault: Fault::Sandbox,
        };
        return Err(io_error(a.builtin.name, "open", &e).primary(a.span(0), "refused"));
    }
    Ok(())
}

/// An I/O error of this call, naming the file as the user wrote it.
fn fail(a: &Args, verb: &str, shown: &str, e: IoError) -> Diagnostic {
    let e = IoError {
        path: shown.to_string(),
        ..e
    };
    io_error(a.builtin.name, verb, &e).primary(a.span(0), reason_label(&e.fault))
}

fn reason_label(f: &Fault) -> &'static str {
    match f {
        Fault::Os(..) => "this file",
        _ => "this file's contents",
    }
}

/// The one-line note for a widened dtype.
fn widened(cx: &mut Ctx, a: &Args, name: Option<&str>, l: &Loaded) {
    if let Some(from) = l.widened_from {
        let what = name.map_or(String::new(), |n| format!("`{n}` "));
        cx.warnings.push(
            Diagnostic::remark(format!(
                "{}: {what}{from} read as {} (no value changes)",
                a.builtin.name,
                l.array.dtype()
            ))
            .primary(a.call_span, ""),
        );
    }
}

fn is_npz(p: &std::path::Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("npz"))
}

fn load(cx: &mut Ctx, a: &Args) -> EResult<Value> {
    let (shown, p) = path(a)?;
    let only = if a.len() > 1 {
        Some(a.string(1)?)
    } else {
        None
    };
    if !is_npz(&p) {
        if only.is_some() {
            return Err(a.error(
                ErrorKind::Type,
                Some(1),
                "an array name is for .npz archives",
                "not an archive",
            ));
        }
        let l = npy::read_file(&p, &a.limits, a.exec.threads())
            .map_err(|e| fail(a, "read", &shown, e))?;
        widened(cx, a, None, &l);
        return Ok(Value::Array(l.array));
    }
    let arrays = npz::read_file(&p, &a.limits, only).map_err(|e| fail(a, "read", &shown, e))?;
    for (n, l) in &arrays {
        widened(cx, a, Some(n), l);
    }
    // One array asked for, or an archive of one: the array itself. A tuple
    // of one could not be unpacked (`X, = ...` is no statement) nor used as
    // a number, so `x = load("one.npz")` would hold nothing usable.
    if only.is_some() || arrays.len() == 1 {
        let (_, l) = arrays.into_iter().next().expect("one array");
        return Ok(Value::Array(l.array));
    }
    Ok(Value::Tuple(
        arrays
            .into_iter()
            .map(|(n, l)| (n, Value::Array(l.array)))
            .collect(),
    ))
}

fn save(a: &Args) -> EResult<Value> {
    let (shown, p) = path(a)?;
    let x = a.array(1)?;
    atomic::write_atomic(&p, |w| npy::write(x, w)).map_err(|e| fail(a, "write", &shown, e))?;
    Ok(Value::Nothing)
}

/// The arrays of savez: keywords first, then positional ones as `arr_0`...
/// (NumPy's order).
fn savez_arrays(a: &Args) -> EResult<Vec<(String, Array)>> {
    let mut out = Vec::new();
    for (name, span, v, _) in &a.kw {
        match &**v {
            Value::Array(x) => out.push((name.clone(), x.clone())),
            other => {
                return Err(a.kw_error(
                    *span,
                    name,
                    &format!("an array, not {}", other.describe()),
                ));
            }
        }
    }
    for i in 1..a.len() {
        out.push((format!("arr_{}", i - 1), a.array(i)?.clone()));
    }
    Ok(out)
}

fn savez(a: &Args, compress: bool) -> EResult<Value> {
    let (shown, p) = path(a)?;
    let arrays = savez_arrays(a)?;
    let refs: Vec<(String, &Array)> = arrays.iter().map(|(n, x)| (n.clone(), x)).collect();
    atomic::write_atomic(&p, |w| npz::write(&refs, compress, w))
        .map_err(|e| fail(a, "write", &shown, e))?;
    Ok(Value::Nothing)
}

fn opt_string(a: &Args, name: &str) -> EResult<Option<String>> {
    match a.kw(name) {
        None => Ok(None),
        Some((Value::Str(s), _)) => Ok(Some(s.clone())),
        Some((_, span)) => Err(a.kw_error(span, name, "a string in double quotes")),
    }
}

fn read_options(a: &Args) -> EResult<text::ReadOptions> {
    let mut o = text::ReadOptions::default();
    if let Some(d) = opt_string(a, "delimiter")? {
        o.delimiter = (!d.trim().is_empty()).then_some(d);
    }
    if let Some(c) = opt_string(a, "comments")? {
        o.comments = vec![c];
    }
    if let Some(n) = a.kw_int("skiprows")? {
        o.skiprows = n.max(0) as usize;
    }
    if let Some(n) = a.kw_int("max_rows")? {
        o.max_rows = Some(n.max(0) as usize);
    }
    if let Some(n) = a.kw_int("ndmin")? {
        if !(0..=2).contains(&n) {
            let span = a.kw("ndmin").expect("given").1;
            return Err(a.kw_error(span, "ndmin", "0, 1 or 2"));
        }
        o.ndmin = n as usize;
    }
    o.dtype = a.kw_dtype(DType::Float64)?;
    if o.dtype == DType::Bool {
        let span = a.kw("dtype").expect("given").1;
        return Err(a.kw_error(
            span,
            "dtype",
            "\"float64\", \"float32\", \"int64\" or \"complex128\"",
        ));
    }
    if let Some((v, span)) = a.kw("usecols") {
        let cols = match v {
            Value::Array(x) if x.dtype() == DType::Int64 && x.ndim() <= 1 => {
                x.to_i64_array().expect("int64").iter().copied().collect()
            }
            _ => return Err(a.kw_error(span, "usecols", "a column number or a vector of them")),
        };
        o.usecols = Some(cols);
    }
    Ok(o)
}

fn loadtxt(a: &Args) -> EResult<Value> {
    let o = read_options(a)?;
    let (shown, p) = path(a)?;
    text::read_file(&p, &o, &a.limits)
        .map(Value::Array)
        .map_err(|e| fail(a, "read", &shown, e))
}

fn write_options(a: &Args) -> EResult<text::WriteOptions> {
    let mut o = text::WriteOptions::default();
    for (name, field) in [
        ("fmt", &mut o.fmt),
        ("delimiter", &mut o.delimiter),
        ("newline", &mut o.newline),
        ("header", &mut o.header),
        ("footer", &mut o.footer),
        ("comments", &mut o.comments),
    ] {
        if let Some(s) = opt_string(a, name)? {
            *field = s;
        }
    }
    Ok(o)
}

fn savetxt(a: &Args) -> EResult<Value> {
    let o = write_options(a)?;
    let x = a.array(1)?;
    let f = text::row_format(x, &o).map_err(|f| {
        Diagnostic::error(io_kind(&f), format!("savetxt: {}", reason(&f)))
            .primary(a.span(1), x.dtype().name())
    })?;
    let (shown, p) = path(a)?;
    let mut fault = None;
    let r = atomic::write_atomic(&p, |w| {
        text::write(x, &f, &o, w).map_err(|f| {
            fault = Some(f);
            std::io::Error::other("format")
        })
    });
    match (r, fault) {
        (Ok(()), _) => Ok(Value::Nothing),
        (Err(e), Some(f)) => Err(fail(a, "write", &shown, IoError { fault: f, ..e })),
        (Err(e), None) => Err(fail(a, "write", &shown, e)),
    }
}

/// The rule of the writers: the path is a string and the arrays are ones.
fn writer_rule(a: &Args) -> EResult<Kind> {
    sandbox(a)?;
    for i in 1..a.len() {
        a.meta(i)?;
    }
    for (name, span, v, _) in &a.kw {
        if a.builtin.keywords.contains(&"**") && !matches!(**v, Value::Array(_) | Value::Shaped(_))
        {
            return Err(a.kw_error(*span, name, &format!("an array, not {}", v.describe())));
        }
    }
    Ok(Kind::Nothing)
}

/// savetxt's rule also knows the rank it writes.
fn savetxt_rule(a: &Args) -> EResult<Kind> {
    let k = writer_rule(a)?;
    let n = a.meta(1)?.ndim();
    if n == 0 || n > 2 {
        let f = Fault::TextRank(n);
        return Err(
            Diagnostic::error(ErrorKind::Shape, format!("savetxt: {}", reason(&f)))
                .primary(a.span(1), a.value(1).describe()),
        );
    }
    Ok(k)
}

/// The rule of the readers: what a file holds is not known before reading.
fn reader_rule(a: &Args) -> EResult<Kind> {
    sandbox(a)?;
    if a.len() > 1 {
        a.string(1)?;
    }
    Ok(Kind::Unknown)
}

pub(super) static TABLE: &[Builtin] = &[
    builtin!(
        "data in and out",
        "load",
        "load(file, name=None)",
        1,
        2,
        [],
        "Reads a NumPy .npy file as its array, or an .npz archive as a tuple of its arrays in the archive's order (X, y = load(\"data.npz\")), an archive of one array as that array; load(\"data.npz\", \"X\") reads one by name. Dtypes other than ours widen without loss (int8..uint32 to int64, float16 to float32, complex64 to complex128) with a note. Sizes in the header are checked against --max-memory before reading. In --check the result is unknown.",
        "save(\"example.npy\", [1.5, 2]); load(\"example.npy\")",
        reads: Reads::World,
        rule: reader_rule,
        run: load
    ),
    builtin!(
        "data in and out",
        "save",
        "save(file, x)",
        2,
        2,
        [],
        "Writes x as a NumPy .npy file (np.load reads it bit for bit). The write is atomic: a temporary file beside it is renamed over the old one only once whole.",
        "save(\"example.npy\", [[1, 2], [3, 4]])",
        reads: Reads::World,
        rule: writer_rule,
        run: |_, a| save(a)
    ),
    builtin!(
        "data in and out",
        "savez",
        "savez(file, arrays..., NAME=array...)",
        1,
        MANY,
        ["**"],
        "Writes several arrays into one .npz archive, keyword arrays under their names and positional ones as arr_0, arr_1, ... (NumPy's order); np.load opens it.",
        "savez(\"example.npz\", X=eye(2), y=[1, 0])",
        reads: Reads::World,
        rule: writer_rule,
        run: |_, a| savez(a, false)
    ),
    builtin!(
        "data in and out",
        "savez_compressed",
        "savez_compressed(file, arrays..., NAME=array...)",
        1,
        MANY,
        ["**"],
        "savez with every array deflated.",
        "savez_compressed(\"example.npz\", X=zeros(100))",
        reads: Reads::World,
        rule: writer_rule,
        run: |_, a| savez(a, true)
    ),
    builtin!(
        "data in and out",
        "loadtxt",
        "loadtxt(file, delimiter=whitespace, skiprows=0, comments=\"#\", dtype=\"float64\", usecols=all, max_rows=all, ndmin=0)",
        1,
        1,
        ["delimiter", "skiprows", "comments", "dtype", "usecols", "max_rows", "ndmin"],
        "Reads a table of numbers from a text file, as np.loadtxt: fields split on runs of whitespace or on delimiter, text from a comment mark to the end of the line ignored, blank lines skipped, a single row or column given as a vector. A ragged or non-numeric row is an error naming its line and column.",
        "savetxt(\"example.csv\", [[1, 2], [3, 4]], delimiter=\",\"); loadtxt(\"example.csv\", delimiter=\",\")",
        reads: Reads::World,
        rule: reader_rule,
        run: |_, a| loadtxt(a)
    ),
    builtin!(
        "data in and out",
        "savetxt",
        "savetxt(file, x, fmt=\"%.18e\", delimiter=\" \", newline=\"\\n\", header=\"\", footer=\"\", comments=\"# \")",
        2,
        2,
        ["fmt", "delimiter", "newline", "header", "footer", "comments"],
        "Writes a vector (one number a line) or a matrix as text, as np.savetxt: fmt is a %-format for each number or for a whole row; header and footer lines start with comments.",
        "savetxt(\"example.csv\", [[1, 2], [3, 4]], fmt=\"%d\", delimiter=\",\", header=\"a,b\")",
        reads: Reads::World,
        rule: savetxt_rule,
        run: |_, a| savetxt(a)
    ),
];
