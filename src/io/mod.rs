//! Files in and out: NumPy's `.npy` and `.npz`, delimited text (`loadtxt`,
//! `savetxt`) and atomic writes. Below `eval/`: it returns arrays or facts
//! (`IoError`), and `eval/errors/io.rs` puts the facts into words. Every
//! size a file claims is checked against the session's limits before
//! anything that large is allocated.

pub mod atomic;
pub mod npy;
pub mod npz;
pub mod printf;
pub mod text;

use std::path::{Path, PathBuf};

use crate::value::DType;

/// A path as the user wrote it, resolved: relative to the current directory,
/// `~` and `~/...` under the home directory.
pub fn expand_path(path: &str) -> PathBuf {
    let home = std::env::var_os("HOME");
    match (path, home) {
        ("~", Some(h)) => PathBuf::from(h),
        (p, Some(h)) if p.starts_with("~/") => PathBuf::from(h).join(&p[2..]),
        (p, _) => PathBuf::from(p),
    }
}

/// What went wrong with one file: the path as written, and the facts.
#[derive(Clone, Debug, PartialEq)]
pub struct IoError {
    pub path: String,
    pub fault: Fault,
}

impl IoError {
    pub fn new(path: &Path, fault: Fault) -> IoError {
        IoError {
            path: path.display().to_string(),
            fault,
        }
    }
}

/// The facts of a failed read or write, without words.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// The operating system's refusal: its kind, and its own text.
    Os(std::io::ErrorKind, String),
    /// The language may touch no file (`--sandbox`).
    Sandbox,
    /// Not a `.npy` file: the first bytes are not `\x93NUMPY`.
    NotNpy,
    /// A format version we do not know.
    Version(u8, u8),
    /// The header is longer than any real one (bytes).
    HeaderTooLong(usize),
    /// The header dictionary does not parse (the parser's description).
    BadHeader(String),
    /// A dtype that is not numeric (its NumPy description and a name).
    Unsupported { descr: String, name: String },
    /// The header's shape needs more bytes than the limit allows.
    TooLarge {
        shape: Vec<usize>,
        dtype: DType,
        max_bytes: usize,
    },
    /// The shape's element count overflows.
    Overflow(Vec<usize>),
    /// The data is shorter than the header says (bytes expected, present).
    Truncated { expected: u64, found: u64 },
    /// More data follows the array than the header says.
    TrailingData,
    /// A bool byte other than 0 or 1.
    BadBool,
    /// A uint64 value above int64's range, at this flat index.
    Uint64Overflow { index: usize, value: u64 },
    /// Not a zip archive, or a broken one (the zip reader's description).
    BadZip(String),
    /// An entry of an archive that is not `NAME.npy`.
    NotNpyEntry(String),
    /// `load(file, name)`: no such array; the names there are.
    NoSuchArray { name: String, names: Vec<String> },
    /// Text: a row with a different number of columns.
    Ragged {
        line: usize,
        found: usize,
        expected: usize,
        first_line: usize,
    },
    /// Text: a field that is not a number of the dtype.
    NotANumber {
        line: usize,
        column: usize,
        field: String,
        dtype: DType,
    },
    /// Text: `usecols` names a column the row does not have.
    NoColumn {
        line: usize,
        column: i64,
        columns: usize,
    },
    /// Text: a line that is not UTF-8.
    NotUtf8 { line: usize },
    /// savetxt: a `fmt` that does not parse.
    BadFormat(String),
    /// savetxt: `fmt` has this many `%` conversions, a row needs that many.
    FormatCount { found: usize, expected: usize },
    /// savetxt: `%d` of a NaN or an infinity.
    NotAnInteger(f64),
    /// savetxt writes 1-D and 2-D arrays only.
    TextRank(usize),
}

impl Fault {
    pub fn os(e: &std::io::Error) -> Fault {
        Fault::Os(e.kind(), e.to_string())
    }
}

/// A value read from a file, and the NumPy dtype it was widened from
/// (`int32` read as int64), for a one-line note.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub array: crate::value::Array,
    pub widened_from: Option<&'static str>,
}

/// Runs every loader over `data` as a file's bytes: the fuzz targets' entry
/// (an error is fine, a panic or an allocation past `max_bytes` is not).
pub fn fuzz_loaders(data: &[u8], max_bytes: usize) {
    let mut r = data;
    if let Ok(h) = npy::read_header(&mut r)
        && npy::check(&h, Some(r.len() as u64), max_bytes).is_ok()
    {
        let _ = npy::read_data(&mut r, &h);
    }
    let _ = npz::read(std::io::Cursor::new(data), max_bytes, None);
    for delimiter in [None, Some(",".to_string())] {
        for dtype in [DType::Float64, DType::Int64, DType::Complex128] {
            let o = text::ReadOptions {
                delimiter: delimiter.clone(),
                dtype,
                usecols: (dtype == DType::Int64).then(|| vec![0, -1]),
                ..Default::default()
            };
            let _ = text::read(data, &o, max_bytes);
        }
    }
}
