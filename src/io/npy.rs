//! NumPy's `.npy` format: the header (magic, version, a Python dict of
//! `descr`, `fortran_order`, `shape`) and the raw elements. The dict is
//! parsed by `ndarray-npy`, and its element readers and writers decode and
//! encode the data, except that an array stored in our dtype and byte order
//! is read straight into its buffer (`raw`); the checks before any allocation are ours: the header's
//! length and nesting, the dtype, the shape's size against the limit, and
//! the data's length against what the file or archive entry holds.
//! Dtypes other than ours are widened without loss (int8..uint32 to int64,
//! uint64 to int64 when every value fits, float16 to float32, complex64 to
//! complex128).

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::Path;

use ndarray::{ArrayD, IxDyn, ShapeBuilder};
use ndarray_npy::{ReadDataError, ReadableElement, WriteNpyError, WriteNpyExt};
use num_complex::Complex;
use py_literal::Value as PyValue;

use super::{Fault, IoError, Loaded};
use crate::kernel::alloc::{self, Plain};
use crate::ops::limits::Limits;
use crate::value::{Array, C64, DType};

const MAGIC: &[u8; 6] = b"\x93NUMPY";

/// Headers longer than this are refused (NumPy's own default limit is
/// 10 000 bytes).
pub const MAX_HEADER: usize = 1 << 16;

/// Brackets deeper than this in a header are refused before parsing.
const MAX_HEADER_NESTING: usize = 16;

/// An element type as stored in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stored {
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F16,
    F32,
    F64,
    C64,
    C128,
}

impl Stored {
    fn size(self) -> usize {
        match self {
            Stored::Bool | Stored::I8 | Stored::U8 => 1,
            Stored::I16 | Stored::U16 | Stored::F16 => 2,
            Stored::I32 | Stored::U32 | Stored::F32 => 4,
            Stored::I64 | Stored::U64 | Stored::F64 | Stored::C64 => 8,
            Stored::C128 => 16,
        }
    }

    /// Our dtype for it.
    fn dtype(self) -> DType {
        match self {
            Stored::Bool => DType::Bool,
            Stored::F16 | Stored::F32 => DType::Float32,
            Stored::F64 => DType::Float64,
            Stored::C64 | Stored::C128 => DType::Complex128,
            _ => DType::Int64,
        }
    }

    /// NumPy's name, when it is not one of ours (a widening note says it).
    fn foreign_name(self) -> Option<&'static str> {
        Some(match self {
            Stored::I8 => "int8",
            Stored::I16 => "int16",
            Stored::I32 => "int32",
            Stored::U8 => "uint8",
            Stored::U16 => "uint16",
            Stored::U32 => "uint32",
            Stored::U64 => "uint64",
            Stored::F16 => "float16",
            Stored::C64 => "complex64",
            _ => return None,
        })
    }
}

/// A parsed header.
#[derive(Clone, Debug)]
pub struct Header {
    stored: Stored,
    big_endian: bool,
    pub fortran: bool,
    pub shape: Vec<usize>,
    /// Bytes of magic, version, length and dict together.
    pub len: usize,
}

impl Header {
    /// The dtype the array has once read.
    pub fn dtype(&self) -> DType {
        self.stored.dtype()
    }

    /// Bytes of element data the header promises.
    pub fn data_bytes(&self) -> Result<u64, Fault> {
        self.shape
            .iter()
            .try_fold(self.stored.size() as u64, |acc, &d| {
                acc.checked_mul(d as u64)
            })
            .ok_or_else(|| Fault::Overflow(self.shape.clone()))
    }

    fn elements(&self) -> usize {
        self.shape.iter().product()
    }

    /// The descriptor `ndarray-npy`'s readers expect for this element.
    fn descriptor(&self) -> PyValue {
        let (order, code) = match self.stored {
            Stored::Bool => ('|', "b1"),
            Stored::I8 => ('|', "i1"),
            Stored::U8 => ('|', "u1"),
            s => {
                let code = match s {
                    Stored::I16 => "i2",
                    Stored::I32 => "i4",
                    Stored::I64 => "i8",
                    Stored::U16 => "u2",
                    Stored::U32 => "u4",
                    Stored::U64 => "u8",
                    Stored::F16 => "f2",
                    Stored::F32 => "f4",
                    Stored::F64 => "f8",
                    Stored::C64 => "c8",
                    _ => "c16",
                };
                (if self.big_endian { '>' } else { '<' }, code)
            }
        };
        PyValue::String(format!("{order}{code}"))
    }
}

/// Reads and checks a header from the start of `r`: nothing larger than
/// `MAX_HEADER` is allocated, whatever the file says.
pub fn read_header<R: Read>(r: &mut R) -> Result<Header, Fault> {
    let mut start = [0u8; 8];
    read_all(r, &mut start)?;
    if &start[..6] != MAGIC {
        return Err(Fault::NotNpy);
    }
    let (major, minor) = (start[6], start[7]);
    let (dict_len, prefix) = match major {
        1 => {
            let mut b = [0u8; 2];
            read_all(r, &mut b)?;
            (u16::from_le_bytes(b) as usize, 10)
        }
        2 | 3 => {
            let mut b = [0u8; 4];
            read_all(r, &mut b)?;
            (u32::from_le_bytes(b) as usize, 12)
        }
        _ => return Err(Fault::Version(major, minor)),
    };
    if minor != 0 {
        return Err(Fault::Version(major, minor));
    }
    if dict_len > MAX_HEADER {
        return Err(Fault::HeaderTooLong(dict_len));
    }
    let mut dict = vec![0u8; dict_len];
    read_all(r, &mut dict)?;
    let text = std::str::from_utf8(&dict)
        .map_err(|_| Fault::BadHeader("the header is not text".into()))?;
    let mut depth = 0usize;
    for c in text.bytes() {
        match c {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_HEADER_NESTING {
            return Err(Fault::BadHeader("the header nests too deeply".into()));
        }
    }
    let value: PyValue = text
        .trim_end()
        .parse()
        .map_err(|_| Fault::BadHeader("the header is not a Python dict".into()))?;
    let PyValue::Dict(items) = value else {
        return Err(Fault::BadHeader("the header is not a Python dict".into()));
    };
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    for (k, v) in items {
        match (k.as_string().map(String::as_str), v) {
            (Some("descr"), v) => descr = Some(v),
            (Some("fortran_order"), PyValue::Boolean(b)) => fortran = Some(b),
            (Some("shape"), v) => {
                let dims = v.as_tuple().and_then(|t| {
                    t.iter()
                        .map(|d| d.as_integer().and_then(num_traits::ToPrimitive::to_usize))
                        .collect::<Option<Vec<usize>>>()
                });
                shape =
                    Some(dims.ok_or_else(|| {
                        Fault::BadHeader("`shape` is not a tuple of sizes".into())
                    })?);
            }
            (Some(other), _) => {
                return Err(Fault::BadHeader(format!("unexpected key `{other}`")));
            }
            (None, _) => return Err(Fault::BadHeader("a key is not a string".into())),
        }
    }
    let (Some(descr), Some(fortran), Some(shape)) = (descr, fortran, shape) else {
        return Err(Fault::BadHeader(
            "`descr`, `fortran_order` or `shape` is missing".into(),
        ));
    };
    let (stored, big_endian) = classify(&descr)?;
    Ok(Header {
        stored,
        big_endian,
        fortran,
        shape,
        len: prefix + dict_len,
    })
}

/// The stored element type of a descriptor, or the error naming a dtype we
/// do not read.
fn classify(descr: &PyValue) -> Result<(Stored, bool), Fault> {
    let s = match descr {
        PyValue::String(s) => s.as_str(),
        other => {
            return Err(Fault::Unsupported {
                descr: other.to_string(),
                name: "structured".into(),
            });
        }
    };
    let unsupported = |name: &str| Fault::Unsupported {
        descr: s.to_string(),
        name: name.to_string(),
    };
    let (big, code) = match s.as_bytes().first() {
        Some(b'>') => (true, &s[1..]),
        Some(b'<' | b'|' | b'=') => (cfg!(target_endian = "big") && s.starts_with('='), &s[1..]),
        _ => (false, s),
    };
    let stored = match code {
        "b1" | "?" => Stored::Bool,
        "i1" | "b" => Stored::I8,
        "i2" | "h" => Stored::I16,
        "i4" | "i" => Stored::I32,
        "i8" | "q" | "l" => Stored::I64,
        "u1" | "B" => Stored::U8,
        "u2" | "H" => Stored::U16,
        "u4" | "I" => Stored::U32,
        "u8" | "Q" | "L" => Stored::U64,
        "f2" | "e" => Stored::F16,
        "f4" | "f" => Stored::F32,
        "f8" | "d" => Stored::F64,
        "c8" | "F" => Stored::C64,
        "c16" | "D" => Stored::C128,
        _ => {
            let name = match code.as_bytes().first() {
                Some(b'U') => "str",
                Some(b'S' | b'a') => "bytes",
                Some(b'O') => "object",
                Some(b'M') => "datetime64",
                Some(b'm') => "timedelta64",
                Some(b'V') => "void (raw bytes)",
                Some(b'f' | b'g') => "longdouble",
                Some(b'c' | b'G') => "clongdouble",
                _ => "unknown",
            };
            return Err(unsupported(name));
        }
    };
    Ok((stored, big))
}

/// `read_exact`, with end of file as truncation.
fn read_all<R: Read>(r: &mut R, buf: &mut [u8]) -> Result<(), Fault> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => Fault::Truncated {
            expected: buf.len() as u64,
            found: 0,
        },
        _ => Fault::os(&e),
    })
}

/// Checks a header's array against the limit (`budget` bytes left) and
/// against the bytes the source holds after the header (`available`, when
/// known), before anything is allocated.
pub fn check(h: &Header, available: Option<u64>, budget: usize) -> Result<(), Fault> {
    let stored = h.data_bytes()?;
    let ours = (stored / h.stored.size() as u64).checked_mul(h.dtype().size() as u64);
    if ours.is_none_or(|b| b > budget as u64) {
        return Err(Fault::TooLarge {
            shape: h.shape.clone(),
            dtype: h.dtype(),
            max_bytes: budget,
        });
    }
    match available {
        Some(n) if n < stored => Err(Fault::Truncated {
            expected: stored,
            found: n,
        }),
        Some(n) if n > stored => Err(Fault::TrailingData),
        _ => Ok(()),
    }
}

/// Reads the array after a checked header: exactly the bytes it promises,
/// then makes sure nothing follows (reading one byte, so an archive entry
/// that inflates without end is never inflated further).
pub fn read_data<R: Read>(r: &mut R, h: &Header) -> Result<Loaded, Fault> {
    let stored = h.data_bytes()?;
    let n = h.elements();
    let descr = h.descriptor();
    let mut limited = r.by_ref().take(stored);
    let native = h.big_endian == cfg!(target_endian = "big");
    let array = match h.stored {
        Stored::I64 if native => Array::Int(shaped(h, raw(&mut limited, n)?)),
        Stored::F32 if native => Array::F32(shaped(h, raw(&mut limited, n)?)),
        Stored::F64 if native => Array::F64(shaped(h, raw(&mut limited, n)?)),
        Stored::C128 if native => Array::C128(shaped(h, raw(&mut limited, n)?)),
        Stored::Bool => Array::Bool(shaped(h, elems::<bool, _>(&mut limited, &descr, n)?)),
        Stored::I64 => Array::Int(shaped(h, elems::<i64, _>(&mut limited, &descr, n)?)),
        Stored::F32 => Array::F32(shaped(h, elems::<f32, _>(&mut limited, &descr, n)?)),
        Stored::F64 => Array::F64(shaped(h, elems::<f64, _>(&mut limited, &descr, n)?)),
        Stored::C128 => Array::C128(shaped(h, elems::<C64, _>(&mut limited, &descr, n)?)),
        Stored::I8 => int(h, elems::<i8, _>(&mut limited, &descr, n)?),
        Stored::I16 => int(h, elems::<i16, _>(&mut limited, &descr, n)?),
        Stored::I32 => int(h, elems::<i32, _>(&mut limited, &descr, n)?),
        Stored::U8 => int(h, elems::<u8, _>(&mut limited, &descr, n)?),
        Stored::U16 => int(h, elems::<u16, _>(&mut limited, &descr, n)?),
        Stored::U32 => int(h, elems::<u32, _>(&mut limited, &descr, n)?),
        Stored::U64 => {
            let v = elems::<u64, _>(&mut limited, &descr, n)?;
            if let Some((index, &value)) = v.iter().enumerate().find(|(_, x)| **x > i64::MAX as u64)
            {
                return Err(Fault::Uint64Overflow { index, value });
            }
            Array::Int(shaped(h, v.into_iter().map(|x| x as i64).collect()))
        }
        Stored::F16 => {
            let v = elems::<u16, _>(&mut limited, &h.descriptor_as("u2"), n)?;
            Array::F32(shaped(h, v.into_iter().map(f16_to_f32).collect()))
        }
        Stored::C64 => {
            let v = elems::<Complex<f32>, _>(&mut limited, &descr, n)?;
            let v = v
                .into_iter()
                .map(|z| C64::new(z.re as f64, z.im as f64))
                .collect();
            Array::C128(shaped(h, v))
        }
    };
    let mut one = [0u8; 1];
    match r.read(&mut one) {
        Ok(0) => {}
        Ok(_) => return Err(Fault::TrailingData),
        Err(e) => return Err(Fault::os(&e)),
    }
    Ok(Loaded {
        array,
        widened_from: h.stored.foreign_name(),
    })
}

impl Header {
    /// The same byte order with another code (float16 is read as `u2`).
    fn descriptor_as(&self, code: &str) -> PyValue {
        PyValue::String(format!("{}{code}", if self.big_endian { '>' } else { '<' }))
    }
}

/// `n` elements stored in our own type and byte order: the bytes are read
/// straight into the array's buffer (one read of the file for the whole
/// array, into memory faulted in by that read, 2 MiB at a time).
/// A buffer of `n` zeroed elements, or the error when the system refuses it.
fn zeroed<T: Plain>(n: usize) -> Result<Vec<T>, Fault> {
    alloc::zeroed::<T>(n).ok_or_else(|| {
        Fault::Os(
            io::ErrorKind::OutOfMemory,
            "the system refused the memory".into(),
        )
    })
}

fn raw<T: Plain, R: Read>(r: &mut R, n: usize) -> Result<Vec<T>, Fault> {
    let mut v = zeroed::<T>(n)?;
    r.read_exact(alloc::bytes_mut(&mut v))
        .map_err(|e| match e.kind() {
            // How much was there is not known here: an archive entry
            // that declared more than it holds.
            io::ErrorKind::UnexpectedEof => Fault::Truncated {
                expected: 0,
                found: 0,
            },
            _ => Fault::os(&e),
        })?;
    Ok(v)
}

fn elems<T: ReadableElement, R: Read>(r: R, descr: &PyValue, n: usize) -> Result<Vec<T>, Fault> {
    T::read_to_end_exact_vec(r, descr, n).map_err(|e| match e {
        ReadDataError::Io(e) => Fault::os(&e),
        ReadDataError::MissingData => Fault::Truncated {
            expected: n as u64,
            found: 0,
        },
        ReadDataError::ExtraBytes(_) => Fault::TrailingData,
        ReadDataError::ParseData(_) => Fault::BadBool,
        ReadDataError::WrongDescriptor(d) => Fault::BadHeader(format!("descriptor {d}")),
    })
}

fn shaped<T>(h: &Header, v: Vec<T>) -> ArrayD<T> {
    let shape = IxDyn(&h.shape);
    let r = if h.fortran {
        ArrayD::from_shape_vec(shape.f(), v)
    } else {
        ArrayD::from_shape_vec(shape, v)
    };
    r.expect("the element count is the shape's product")
}

fn int<T: Into<i64>>(h: &Header, v: Vec<T>) -> Array {
    Array::Int(shaped(h, v.into_iter().map(Into::into).collect()))
}

/// IEEE half to single precision, exactly (every half is a single).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h >> 15) as u32) << 31;
    let exp = ((h >> 10) & 0x1f) as u32;
    let frac = (h & 0x3ff) as u32;
    let bits = match (exp, frac) {
        (0, 0) => sign,
        (0, f) => {
            // Subnormal half: normalise into a single's exponent.
            let shift = f.leading_zeros() - 21;
            let f = (f << shift) & 0x3ff;
            sign | ((127 - 15 + 1 - shift) << 23) | (f << 13)
        }
        (0x1f, f) => sign | 0x7f80_0000 | (f << 13),
        (e, f) => sign | ((e + 127 - 15) << 23) | (f << 13),
    };
    f32::from_bits(bits)
}

/// Reads one `.npy` file, checked against `limits` before allocating; a
/// large array in our dtypes and byte order is read by `threads` threads at
/// once, each into its own part of the buffer (page faults and the copy
/// from the page cache are the cost of a load, and they run in parallel).
pub fn read_file(path: &Path, limits: &Limits, threads: usize) -> Result<Loaded, IoError> {
    let err = |f| IoError::new(path, f);
    let file = File::open(path).map_err(|e| err(Fault::os(&e)))?;
    let size = file.metadata().map_err(|e| err(Fault::os(&e)))?.len();
    let mut r = BufReader::with_capacity(1 << 16, file);
    let h = read_header(&mut r).map_err(err)?;
    check(
        &h,
        Some(size.saturating_sub(h.len as u64)),
        limits.max_bytes,
    )
    .map_err(err)?;
    #[cfg(unix)]
    if let Some(array) = read_parallel(&r, &h, size, threads).map_err(err)? {
        return Ok(Loaded {
            array,
            widened_from: None,
        });
    }
    #[cfg(not(unix))]
    let _ = threads;
    read_data(&mut r, &h).map_err(err)
}

/// A large array in our dtypes and byte order, read in parallel (see
/// `read_file`); `None` for any other file.
#[cfg(unix)]
fn read_parallel(
    r: &BufReader<File>,
    h: &Header,
    size: u64,
    threads: usize,
) -> Result<Option<Array>, Fault> {
    let stored = h.data_bytes()?;
    let native = h.big_endian == cfg!(target_endian = "big");
    if threads > 1 && native && stored >= PARALLEL_READ && size == h.len as u64 + stored {
        let (file, n, at) = (r.get_ref(), h.elements(), h.len as u64);
        return Ok(match h.stored {
            Stored::I64 => Some(Array::Int(shaped(h, raw_at(file, at, n, threads)?))),
            Stored::F32 => Some(Array::F32(shaped(h, raw_at(file, at, n, threads)?))),
            Stored::F64 => Some(Array::F64(shaped(h, raw_at(file, at, n, threads)?))),
            Stored::C128 => Some(Array::C128(shaped(h, raw_at(file, at, n, threads)?))),
            _ => None,
        });
    }
    Ok(None)
}

/// From this many bytes of data on, a load is read by several threads.
const PARALLEL_READ: u64 = 64 << 20;

#[cfg(unix)]
/// `n` elements at byte `at` of `file` (which holds exactly them after
/// `at`), read in `threads` parts at once with positioned reads.
fn raw_at<T: Plain + Send>(
    file: &File,
    at: u64,
    n: usize,
    threads: usize,
) -> Result<Vec<T>, Fault> {
    use std::os::unix::fs::FileExt;
    let mut v = zeroed::<T>(n)?;
    let bytes = alloc::bytes_mut(&mut v);
    // Parts of whole 2 MiB pages, so no page is faulted by two threads.
    let part = bytes.len().div_ceil(threads).next_multiple_of(2 << 20);
    let failed: Option<io::Error> = std::thread::scope(|scope| {
        let readers: Vec<_> = bytes
            .chunks_mut(part)
            .enumerate()
            .map(|(i, chunk)| {
                let offset = at + (i * part) as u64;
                scope.spawn(move || file.read_exact_at(chunk, offset))
            })
            .collect();
        readers
            .into_iter()
            .filter_map(|h| match h.join() {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(e),
                Err(_) => Some(io::Error::other("a reader thread failed")),
            })
            .next()
    });
    match failed {
        None => Ok(v),
        // The file shrank while it was read.
        Some(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(Fault::Truncated {
            expected: 0,
            found: 0,
        }),
        Some(e) => Err(Fault::os(&e)),
    }
}

/// Writes `a` as `.npy` (version 1.0, our dtype, C order, or Fortran order
/// for an array laid out that way; native byte order).
pub fn write<W: Write>(a: &Array, w: W) -> io::Result<()> {
    let r = match a {
        Array::Bool(x) => x.write_npy(w),
        Array::Int(x) => x.write_npy(w),
        Array::F32(x) => x.write_npy(w),
        Array::F64(x) => x.write_npy(w),
        Array::C128(x) => x.write_npy(w),
    };
    r.map_err(|e| match e {
        WriteNpyError::Io(e) => e,
        other => io::Error::other(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision_widens_exactly() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x03ff), 1023.0 * 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x8000).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f16_to_f32(0x7c00), f32::INFINITY);
        assert!(f16_to_f32(0x7e00).is_nan());
    }

    #[test]
    fn a_header_claiming_a_huge_array_is_refused_before_reading() {
        let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }";
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend((dict.len() as u16).to_le_bytes());
        bytes.extend(dict.as_bytes());
        let h = read_header(&mut &bytes[..]).unwrap();
        assert!(matches!(
            check(&h, Some(0), 1 << 30),
            Err(Fault::TooLarge { .. })
        ));
    }
}
