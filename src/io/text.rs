//! Delimited text, as `np.loadtxt` and `np.savetxt` read and write it.
//! Hand-written rather than through the `csv` crate: NumPy's `loadtxt`
//! splits on runs of whitespace by default and strips comments that start
//! anywhere in a line, neither of which `csv` does; the format is plain
//! lines, so a line reader and a field splitter are all it takes.
//! Reading streams line by line and checks the growing result against the
//! limit; a ragged or non-numeric row is an error with its line and column.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use ndarray::{ArrayD, Axis, IxDyn};

use super::printf::{Format, Num};
use super::{Fault, IoError};
use crate::ops::limits::Limits;
use crate::value::{Array, C64, DType};

/// `loadtxt`'s keywords.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// `None`: runs of whitespace.
    pub delimiter: Option<String>,
    pub comments: Vec<String>,
    pub skiprows: usize,
    pub usecols: Option<Vec<i64>>,
    pub max_rows: Option<usize>,
    pub dtype: DType,
    pub ndmin: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            delimiter: None,
            comments: vec!["#".into()],
            skiprows: 0,
            usecols: None,
            max_rows: None,
            dtype: DType::Float64,
            ndmin: 0,
        }
    }
}

/// The numbers read so far, in the dtype asked for.
enum Column {
    F64(Vec<f64>),
    F32(Vec<f32>),
    Int(Vec<i64>),
    C128(Vec<C64>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::F64(v) => v.len(),
            Column::F32(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::C128(v) => v.len(),
        }
    }

    /// Parses and appends one field; `false` if it is not a number.
    fn push(&mut self, field: &str) -> bool {
        match self {
            Column::F64(v) => field.parse().map(|x| v.push(x)).is_ok(),
            Column::F32(v) => field.parse().map(|x| v.push(x)).is_ok(),
            Column::Int(v) => field.parse().map(|x| v.push(x)).is_ok(),
            Column::C128(v) => parse_complex(field).map(|z| v.push(z)).is_some(),
        }
    }

    fn into_array(self, shape: &[usize]) -> Array {
        let s = IxDyn(shape);
        let bad = "the count is the shape's product";
        match self {
            Column::F64(v) => Array::F64(ArrayD::from_shape_vec(s, v).expect(bad)),
            Column::F32(v) => Array::F32(ArrayD::from_shape_vec(s, v).expect(bad)),
            Column::Int(v) => Array::Int(ArrayD::from_shape_vec(s, v).expect(bad)),
            Column::C128(v) => Array::C128(ArrayD::from_shape_vec(s, v).expect(bad)),
        }
    }
}

/// Python's `complex()` text, and NumPy's `(re+imj)` with `+-`.
fn parse_complex(field: &str) -> Option<C64> {
    let s = field.trim();
    let s = s
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(s)
        .trim();
    let Some(body) = s.strip_suffix('j').or_else(|| s.strip_suffix('J')) else {
        return s.parse().ok().map(|re| C64::new(re, 0.0));
    };
    // The sign that starts the imaginary part: the last + or - that is not
    // the first character and does not follow an exponent's e.
    let bytes = body.as_bytes();
    let split = (1..bytes.len())
        .rev()
        .find(|&i| matches!(bytes[i], b'+' | b'-') && !matches!(bytes[i - 1], b'e' | b'E'));
    // NumPy's `+-` is one sign.
    let split = split.map(|i| {
        if i > 1 && bytes[i - 1] == b'+' {
            i - 1
        } else {
            i
        }
    });
    let (re, im) = match split {
        Some(i) => (body[..i].parse().ok()?, &body[i..]),
        None => (0.0, body),
    };
    let im = im.replace("+-", "-");
    let im: f64 = match im.as_str() {
        "" | "+" => 1.0,
        "-" => -1.0,
        t => t.parse().ok()?,
    };
    Some(C64::new(re, im))
}

/// Reads a text file into an array, checked against `limits` as it grows.
pub fn read_file(path: &Path, o: &ReadOptions, limits: &Limits) -> Result<Array, IoError> {
    let err = |f| IoError::new(path, f);
    let file = File::open(path).map_err(|e| err(Fault::os(&e)))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(err(Fault::Os(
            std::io::ErrorKind::IsADirectory,
            "is a directory".into(),
        )));
    }
    read(BufReader::with_capacity(1 << 16, file), o, limits.max_bytes).map_err(err)
}

/// Reads delimited text from any buffered source.
pub fn read<R: BufRead>(mut r: R, o: &ReadOptions, max_bytes: usize) -> Result<Array, Fault> {
    let mut values = match o.dtype {
        DType::Float32 => Column::F32(Vec::new()),
        DType::Int64 => Column::Int(Vec::new()),
        DType::Complex128 => Column::C128(Vec::new()),
        _ => Column::F64(Vec::new()),
    };
    let elem = o.dtype.size();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut rows = 0usize;
    // (columns in a row, the line that set it).
    let mut width: Option<(usize, usize)> = None;
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf).map_err(|e| Fault::os(&e))?;
        if n == 0 || o.max_rows.is_some_and(|m| rows >= m) {
            break;
        }
        line_no += 1;
        if line_no <= o.skiprows {
            continue;
        }
        let line = std::str::from_utf8(&buf).map_err(|_| Fault::NotUtf8 { line: line_no })?;
        let mut line = line.trim_end_matches(['\n', '\r']);
        for c in &o.comments {
            if !c.is_empty()
                && let Some(i) = line.find(c.as_str())
            {
                line = &line[..i];
            }
        }
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = match &o.delimiter {
            None => line.split_whitespace().collect(),
            Some(d) => line.split(d.as_str()).map(str::trim).collect(),
        };
        let count = fields.len();
        let (expected, first_line) = *width.get_or_insert((count, line_no));
        let mut push = |column: usize, field: &str| {
            if values.push(field) {
                Ok(())
            } else {
                Err(Fault::NotANumber {
                    line: line_no,
                    column: column + 1,
                    field: field.chars().take(40).collect(),
                    dtype: o.dtype,
                })
            }
        };
        match &o.usecols {
            None => {
                if count != expected {
                    return Err(Fault::Ragged {
                        line: line_no,
                        found: count,
                        expected,
                        first_line,
                    });
                }
                for (i, f) in fields.iter().enumerate() {
                    push(i, f)?;
                }
            }
            Some(cols) => {
                for &c in cols {
                    let i = if c < 0 { c + count as i64 } else { c };
                    if i < 0 || i >= count as i64 {
                        return Err(Fault::NoColumn {
                            line: line_no,
                            column: c,
                            columns: count,
                        });
                    }
                    push(i as usize, fields[i as usize])?;
                }
            }
        }
        rows += 1;
        if values.len().saturating_mul(elem) > max_bytes {
            let cols = values.len() / rows.max(1);
            return Err(Fault::TooLarge {
                shape: vec![rows, cols],
                dtype: o.dtype,
                max_bytes,
            });
        }
    }
    let cols = match (&o.usecols, width) {
        (Some(c), _) => c.len(),
        (None, Some((w, _))) => w,
        (None, None) => 0,
    };
    let mut array = values.into_array(&[rows, cols]);
    if rows == 0 {
        array = Column::F64(Vec::new()).into_array(&[0]);
        array = array.widen(o.dtype);
    }
    Ok(ndmin(array, o.ndmin))
}

/// NumPy's `_ensure_ndmin_ndarray`: squeeze when there are more axes than
/// `ndmin`, then add axes up to it (a column for 2).
fn ndmin(a: Array, ndmin: usize) -> Array {
    let a = if a.ndim() > ndmin { squeeze(a) } else { a };
    if a.ndim() >= ndmin {
        return a;
    }
    crate::map_array!(&a, x => {
        let n = x.len();
        match ndmin {
            1 => x.clone().into_shape_with_order(IxDyn(&[n])).expect("same size"),
            _ if x.ndim() == 0 => x.clone().into_shape_with_order(IxDyn(&[1, 1])).expect("same size"),
            _ => x.clone().into_shape_with_order(IxDyn(&[n, 1])).expect("same size"),
        }
    })
}

fn squeeze(a: Array) -> Array {
    crate::map_array!(&a, x => {
        let mut v = x.clone();
        for ax in (0..v.ndim()).rev() {
            if v.shape()[ax] == 1 {
                v = v.index_axis_move(Axis(ax), 0);
            }
        }
        v
    })
}

/// `savetxt`'s keywords.
#[derive(Clone, Debug)]
pub struct WriteOptions {
    pub fmt: String,
    pub delimiter: String,
    pub newline: String,
    pub header: String,
    pub footer: String,
    pub comments: String,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            fmt: "%.18e".into(),
            delimiter: " ".into(),
            newline: "\n".into(),
            header: String::new(),
            footer: String::new(),
            comments: "# ".into(),
        }
    }
}

/// The row format for `a` (1-D or 2-D), checked before anything is written.
pub fn row_format(a: &Array, o: &WriteOptions) -> Result<Format, Fault> {
    if a.ndim() == 0 || a.ndim() > 2 {
        return Err(Fault::TextRank(a.ndim()));
    }
    let cols = if a.ndim() == 1 { 1 } else { a.shape()[1] };
    let complex = a.dtype() == DType::Complex128;
    let one = Format::parse(&o.fmt).map_err(Fault::BadFormat)?;
    let row = if one.count() == 1 {
        let each = if complex {
            format!(" ({0}+{0}j)", o.fmt)
        } else {
            o.fmt.clone()
        };
        vec![each; cols].join(&o.delimiter)
    } else {
        o.fmt.clone()
    };
    let f = Format::parse(&row).map_err(Fault::BadFormat)?;
    let expected = if complex { 2 * cols } else { cols };
    if f.count() != expected {
        return Err(Fault::FormatCount {
            found: one.count(),
            expected,
        });
    }
    Ok(f)
}

/// Writes `a` as NumPy's `savetxt` does (a vector as a column).
pub fn write<W: Write>(a: &Array, f: &Format, o: &WriteOptions, w: &mut W) -> Result<(), Fault> {
    let io = |e: std::io::Error| Fault::os(&e);
    let comment_block = |text: &str| {
        format!(
            "{}{}{}",
            o.comments,
            text.replace('\n', &format!("\n{}", o.comments)),
            o.newline
        )
    };
    if !o.header.is_empty() {
        w.write_all(comment_block(&o.header).as_bytes())
            .map_err(io)?;
    }
    let cols = if a.ndim() == 1 { 1 } else { a.shape()[1] };
    let rows = if cols == 0 { 0 } else { a.shape()[0] };
    let mut line = String::new();
    let mut nums = Vec::with_capacity(2 * cols);
    let flat: Vec<Num> = match a {
        Array::Bool(x) => x.iter().map(|&b| Num::Bool(b)).collect(),
        Array::Int(x) => x.iter().map(|&i| Num::Int(i)).collect(),
        Array::F32(x) => x.iter().map(|&v| Num::Float(v as f64)).collect(),
        Array::F64(x) => x.iter().map(|&v| Num::Float(v)).collect(),
        Array::C128(x) => x
            .iter()
            .flat_map(|z| [Num::Float(z.re), Num::Float(z.im)])
            .collect(),
    };
    let per_row = flat.len().checked_div(rows).unwrap_or(0);
    for r in 0..rows {
        nums.clear();
        nums.extend_from_slice(&flat[r * per_row..(r + 1) * per_row]);
        line.clear();
        f.write(&nums, &mut line).map_err(Fault::NotAnInteger)?;
        line.push_str(&o.newline);
        w.write_all(line.as_bytes()).map_err(io)?;
    }
    if !o.footer.is_empty() {
        w.write_all(comment_block(&o.footer).as_bytes())
            .map_err(io)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str, o: &ReadOptions) -> Result<Array, Fault> {
        read(text.as_bytes(), o, 1 << 20)
    }

    #[test]
    fn whitespace_comments_and_squeezing_follow_numpy() {
        let a = load(
            "# header\n1 2  3\n\n4\t5 6 # tail\n",
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(a.shape(), [2, 3]);
        let row = load(
            "1,2,3\n",
            &ReadOptions {
                delimiter: Some(",".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(row.shape(), [3]);
        let one = load("5\n", &ReadOptions::default()).unwrap();
        assert_eq!(one.shape(), [] as [usize; 0]);
        let col2 = load(
            "1\n2\n",
            &ReadOptions {
                ndmin: 2,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(col2.shape(), [2, 1]);
    }

    #[test]
    fn ragged_and_non_numeric_rows_give_line_and_column() {
        let e = load("1 2 3\n4 5\n", &ReadOptions::default()).unwrap_err();
        assert_eq!(
            e,
            Fault::Ragged {
                line: 2,
                found: 2,
                expected: 3,
                first_line: 1
            }
        );
        let e = load(
            "a,b\n1,2\n3,x\n",
            &ReadOptions {
                delimiter: Some(",".into()),
                skiprows: 1,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            e,
            Fault::NotANumber {
                line: 3,
                column: 2,
                field: "x".into(),
                dtype: DType::Float64
            }
        );
    }

    #[test]
    fn usecols_and_dtypes() {
        let o = ReadOptions {
            usecols: Some(vec![-1, 0]),
            dtype: DType::Int64,
            ..Default::default()
        };
        let a = load("1 2 3\n4 5 6\n", &o).unwrap();
        assert_eq!(a, Array::Int(ndarray::arr2(&[[3, 1], [6, 4]]).into_dyn()));
        assert_eq!(parse_complex("(1+-2j)"), Some(C64::new(1.0, -2.0)));
        assert_eq!(parse_complex("1e-3-4.5j"), Some(C64::new(1e-3, -4.5)));
        assert_eq!(parse_complex("2j"), Some(C64::new(0.0, 2.0)));
        assert_eq!(parse_complex("7"), Some(C64::new(7.0, 0.0)));
        assert_eq!(parse_complex("j"), Some(C64::new(0.0, 1.0)));
        assert_eq!(parse_complex("x"), None);
    }

    #[test]
    fn the_limit_stops_a_growing_read() {
        let text = "1 2 3 4\n".repeat(100);
        let e = read(text.as_bytes(), &ReadOptions::default(), 256).unwrap_err();
        assert!(matches!(e, Fault::TooLarge { .. }), "{e:?}");
    }

    #[test]
    fn savetxt_writes_what_numpy_writes() {
        let a = Array::F64(ndarray::arr2(&[[1.0, 0.5], [-2.0, 1e-7]]).into_dyn());
        let o = WriteOptions {
            header: "a b\nsecond".into(),
            ..Default::default()
        };
        let f = row_format(&a, &o).unwrap();
        let mut out = Vec::new();
        write(&a, &f, &o, &mut out).unwrap();
        // np.savetxt(f, [[1, .5], [-2, 1e-7]], header="a b\nsecond")
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "# a b\n# second\n\
             1.000000000000000000e+00 5.000000000000000000e-01\n\
             -2.000000000000000000e+00 9.999999999999999547e-08\n"
        );
        let z = Array::C128(ndarray::arr1(&[C64::new(1.0, -2.0)]).into_dyn());
        let o = WriteOptions {
            fmt: "%g".into(),
            ..Default::default()
        };
        let mut out = Vec::new();
        write(&z, &row_format(&z, &o).unwrap(), &o, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), " (1+-2j)\n");
        assert_eq!(
            row_format(
                &a,
                &WriteOptions {
                    fmt: "%d %d %d".into(),
                    ..Default::default()
                }
            ),
            Err(Fault::FormatCount {
                found: 3,
                expected: 2
            })
        );
    }
}
