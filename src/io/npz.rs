//! NumPy's `.npz`: a zip archive of `.npy` files, one per array (`NAME.npy`),
//! stored or deflated. Reading goes entry by entry in the archive's order;
//! each entry's header is checked (against the limit left for the whole
//! archive, and against the size the entry declares) before its data is
//! read, and exactly the promised bytes are inflated, so an entry that
//! inflates without end is refused after one byte too many.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, Write};
use std::path::Path;

use ndarray_npy::{NpzWriter, WriteNpzError};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive};

use super::{Fault, IoError, Loaded, npy};
use crate::ops::limits::Limits;
use crate::value::Array;

/// Reads every array of the archive at `path`, in the archive's order, or
/// only the one called `only`.
pub fn read_file(
    path: &Path,
    limits: &Limits,
    only: Option<&str>,
) -> Result<Vec<(String, Loaded)>, IoError> {
    let err = |f| IoError::new(path, f);
    let file = File::open(path).map_err(|e| err(Fault::os(&e)))?;
    read(
        BufReader::with_capacity(1 << 16, file),
        limits.max_bytes,
        only,
    )
    .map_err(err)
}

/// Reads an archive from any seekable source; `budget` bounds the bytes of
/// all arrays together.
pub fn read<R: Read + Seek>(
    source: R,
    mut budget: usize,
    only: Option<&str>,
) -> Result<Vec<(String, Loaded)>, Fault> {
    let mut zip = ZipArchive::new(source).map_err(zip_fault)?;
    let mut names = Vec::with_capacity(zip.len().min(1 << 12));
    for i in 0..zip.len() {
        let raw = zip.name_for_index(i).unwrap_or_default().to_string();
        match raw.strip_suffix(".npy") {
            Some(name) => names.push(name.to_string()),
            None => return Err(Fault::NotNpyEntry(raw)),
        }
    }
    let wanted: Vec<usize> = match only {
        None => (0..names.len()).collect(),
        Some(name) => match names.iter().position(|n| n == name) {
            Some(i) => vec![i],
            None => {
                return Err(Fault::NoSuchArray {
                    name: name.to_string(),
                    names,
                });
            }
        },
    };
    let mut out = Vec::with_capacity(wanted.len());
    for i in wanted {
        let mut entry = zip.by_index(i).map_err(zip_fault)?;
        let declared = entry.size();
        let h = npy::read_header(&mut entry)?;
        npy::check(&h, Some(declared.saturating_sub(h.len as u64)), budget)?;
        let loaded = npy::read_data(&mut entry, &h)?;
        budget = budget.saturating_sub(loaded.array.nbytes());
        out.push((names[i].clone(), loaded));
    }
    Ok(out)
}

fn zip_fault(e: zip::result::ZipError) -> Fault {
    match e {
        zip::result::ZipError::Io(e) => Fault::os(&e),
        other => Fault::BadZip(other.to_string()),
    }
}

/// Writes `arrays` as an archive, deflated when `compress`.
pub fn write<W: Write + Seek>(arrays: &[(String, &Array)], compress: bool, w: W) -> io::Result<()> {
    let method = if compress {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    let mut npz = NpzWriter::new_with_options(w, SimpleFileOptions::default());
    for (name, a) in arrays {
        // Zip64 for an entry past 4 GiB, as NumPy's savez does for all.
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(a.nbytes() >= u32::MAX as usize - (1 << 16));
        let r = match a {
            Array::Bool(x) => npz.add_array_with_options(name.as_str(), x, options),
            Array::Int(x) => npz.add_array_with_options(name.as_str(), x, options),
            Array::F32(x) => npz.add_array_with_options(name.as_str(), x, options),
            Array::F64(x) => npz.add_array_with_options(name.as_str(), x, options),
            Array::C128(x) => npz.add_array_with_options(name.as_str(), x, options),
        };
        r.map_err(npz_io)?;
    }
    npz.finish().map_err(npz_io)?;
    Ok(())
}

fn npz_io(e: WriteNpzError) -> io::Error {
    match e {
        WriteNpzError::Zip(zip::result::ZipError::Io(e)) => e,
        WriteNpzError::Npy(ndarray_npy::WriteNpyError::Io(e)) => e,
        other => io::Error::other(other.to_string()),
    }
}
