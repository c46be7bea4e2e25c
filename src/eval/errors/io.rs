//! File errors in words: every message names the file and the reason.

use crate::diagnostic::{Diagnostic, ErrorKind};
use crate::io::{Fault, IoError};
use crate::value::{bytes_text, shape_text};

/// The error kind a fault counts as: a file too large is a limit, a refusal
/// by `--sandbox` a type problem (the checker reports it too), anything the
/// file system or the file's contents decide a domain one (the checker
/// cannot foresee it).
pub fn io_kind(f: &Fault) -> ErrorKind {
    match f {
        Fault::TooLarge { .. } | Fault::Overflow(_) | Fault::HeaderTooLong(_) => ErrorKind::Limit,
        Fault::Sandbox => ErrorKind::Type,
        _ => ErrorKind::Domain,
    }
}

/// `what PATH: reason`, e.g. `cannot read w.npy: no such file`.
pub fn io_message(verb: &str, e: &IoError) -> String {
    format!("cannot {verb} {}: {}", e.path, reason(&e.fault))
}

/// The whole diagnostic for an I/O error of `op`.
pub fn io_error(op: &str, verb: &str, e: &IoError) -> Diagnostic {
    Diagnostic::error(io_kind(&e.fault), format!("{op}: {}", io_message(verb, e)))
}

/// The reason alone, in words.
pub fn reason(f: &Fault) -> String {
    match f {
        Fault::Os(kind, text) => match kind {
            std::io::ErrorKind::NotFound => "no such file or directory".into(),
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            std::io::ErrorKind::IsADirectory => "it is a directory".into(),
            _ => text
                .split(" (os error")
                .next()
                .unwrap_or(text)
                .to_lowercase(),
        },
        Fault::Sandbox => "--sandbox: this session touches no file".into(),
        Fault::NotNpy => "not a .npy file (it does not start with \\x93NUMPY)".into(),
        Fault::Version(a, b) => format!("unknown .npy format version {a}.{b}"),
        Fault::HeaderTooLong(n) => format!("its header claims {n} bytes, more than any real one"),
        Fault::BadHeader(why) => format!("corrupt header: {why}"),
        Fault::Unsupported { descr, name } => format!(
            "dtype {name} ({descr}) is not numeric; only bool, integer, float and complex arrays can be read"
        ),
        Fault::TooLarge {
            shape,
            dtype,
            max_bytes,
        } => format!(
            "its {} {dtype} array would exceed the memory limit of {} (--max-memory)",
            shape_text(shape),
            bytes_text(*max_bytes as f64)
        ),
        Fault::Overflow(shape) => format!("its shape {} has too many elements", shape_text(shape)),
        Fault::Truncated { expected, found } if *found > 0 || *expected > 0 => format!(
            "truncated: the header promises {expected} bytes of data, the file holds {found}"
        ),
        Fault::Truncated { .. } => "truncated: the file ends early".into(),
        Fault::TrailingData => "corrupt: more data follows the array than its header says".into(),
        Fault::BadBool => "corrupt: a bool element is neither 0 nor 1".into(),
        Fault::Uint64Overflow { index, value } => format!(
            "uint64 value {value} (element {index}) does not fit in int64, the widest integer here"
        ),
        Fault::BadZip(why) => format!("not a readable .npz (zip) archive: {why}"),
        Fault::NotNpyEntry(name) => {
            format!("the archive holds `{name}`, which is not an .npy array")
        }
        Fault::NoSuchArray { name, names } => format!(
            "no array `{name}` in it; it holds {}",
            if names.is_empty() {
                "none".into()
            } else {
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        Fault::Ragged {
            line,
            found,
            expected,
            first_line,
        } => format!(
            "line {line}: {found} column{} where line {first_line} has {expected}",
            if *found == 1 { "" } else { "s" }
        ),
        Fault::NotANumber {
            line,
            column,
            field,
            dtype,
        } => format!("line {line}, column {column}: `{field}` is not a {dtype} number"),
        Fault::NoColumn {
            line,
            column,
            columns,
        } => format!("line {line}: usecols asks for column {column}, the line has {columns}"),
        Fault::NotUtf8 { line } => format!("line {line} is not UTF-8 text"),
        Fault::BadFormat(fmt) => {
            format!("fmt `{fmt}` is not a %-format (such as \"%.6g\" or \"%d\")")
        }
        Fault::FormatCount { found, expected } => {
            format!("fmt has {found} % conversions; a row needs 1 or {expected}")
        }
        Fault::NotAnInteger(v) => format!("%d cannot format {v}"),
        Fault::TextRank(n) => format!("savetxt writes 1-D and 2-D arrays, this one has {n} axes"),
    }
}
