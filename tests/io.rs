//! Data in and out against NumPy's own files (tests/data/io/, written once by
//! scripts/gen_io_fixtures.py): every dtype, order and byte order, 0-d,
//! empty, archives; our files against NumPy's bytes; corrupt and lying
//! files; --sandbox; `:save`/`:load` of .npz.

use std::path::{Path, PathBuf};

use tensorcalc::io::{Fault, npy, npz};
use tensorcalc::ops::limits::Limits;
use tensorcalc::session::Config;
use tensorcalc::value::{Array, Value};
use tensorcalc::{Outcome, Session};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/io")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tensorcalc-io-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The array's elements in C order as little-endian bytes.
fn le_bytes(a: &Array) -> Vec<u8> {
    match a {
        Array::Bool(x) => x.iter().map(|&b| b as u8).collect(),
        Array::Int(x) => x.iter().flat_map(|v| v.to_le_bytes()).collect(),
        Array::F32(x) => x.iter().flat_map(|v| v.to_le_bytes()).collect(),
        Array::F64(x) => x.iter().flat_map(|v| v.to_le_bytes()).collect(),
        Array::C128(x) => x
            .iter()
            .flat_map(|z| [z.re.to_le_bytes(), z.im.to_le_bytes()].concat())
            .collect(),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn manifest() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(fixture("manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_numpy_fixture_reads_bit_for_bit() {
    let mut checked = 0;
    for entry in manifest() {
        let Some(want) = entry["hex"].as_str() else {
            continue;
        };
        let file = entry["file"].as_str().unwrap();
        let loaded = npy::read_file(&fixture(file), &Limits::default(), 1)
            .unwrap_or_else(|e| panic!("{file}: {e:?}"));
        let a = &loaded.array;
        assert_eq!(a.dtype().name(), entry["dtype"].as_str().unwrap(), "{file}");
        let shape: Vec<usize> = entry["shape"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(a.shape(), shape.as_slice(), "{file}");
        assert_eq!(hex(&le_bytes(a)), want, "{file}");
        let foreign = ![
            "bool_",
            "int64",
            "float32",
            "float64",
            "complex128",
            "specials",
            "scalar",
            "empty",
        ]
        .iter()
        .any(|p| file.starts_with(p));
        assert_eq!(loaded.widened_from.is_some(), foreign, "{file}");
        checked += 1;
    }
    // 14 dtypes × 2 orders × 2 byte orders, and the special files.
    assert!(checked >= 63, "{checked}");
}

#[test]
fn fortran_order_files_keep_their_values_and_layout() {
    let c = npy::read_file(&fixture("float64_C_le.npy"), &Limits::default(), 1).unwrap();
    let f = npy::read_file(&fixture("float64_F_be.npy"), &Limits::default(), 1).unwrap();
    assert_eq!(c.array, f.array);
}

#[test]
fn non_numeric_dtypes_are_errors_naming_the_dtype() {
    for (file, name) in [
        ("strings.npy", "str"),
        ("datetime.npy", "datetime64"),
        ("structured.npy", "structured"),
        ("object.npy", "object"),
    ] {
        match npy::read_file(&fixture(file), &Limits::default(), 1) {
            Err(e) => match e.fault {
                Fault::Unsupported { name: n, .. } => assert_eq!(n, name, "{file}"),
                other => panic!("{file}: {other:?}"),
            },
            Ok(_) => panic!("{file} read"),
        }
    }
    let e = npy::read_file(&fixture("uint64_too_big.npy"), &Limits::default(), 1).unwrap_err();
    assert_eq!(
        e.fault,
        Fault::Uint64Overflow {
            index: 1,
            value: 1 << 63
        }
    );
}

fn run(s: &mut Session, code: &str) -> Vec<Outcome> {
    code.lines().flat_map(|l| s.eval_entry(l)).collect()
}

fn errors(out: &[Outcome]) -> Vec<String> {
    out.iter()
        .filter_map(|o| match o {
            Outcome::Diagnostic(d) if o.error_kind().is_some() => Some(d.message.clone()),
            _ => None,
        })
        .collect()
}

fn var(s: &Session, name: &str) -> Value {
    (*s.evaluator.vars()[name]).clone()
}

#[test]
fn archives_load_as_labelled_tuples_in_archive_order() {
    for file in ["multi.npz", "compressed.npz"] {
        let p = fixture(file).display().to_string();
        let mut s = Session::new();
        let out = run(
            &mut s,
            &format!("T = load(\"{p}\")\nX, y = load(\"{p}\")\nz = load(\"{p}\", \"y\")"),
        );
        if file == "multi.npz" {
            assert!(errors(&out).is_empty(), "{:?}", errors(&out));
            let Value::Tuple(parts) = var(&s, "T") else {
                panic!()
            };
            let names: Vec<_> = parts.iter().map(|p| p.0.as_str()).collect();
            assert_eq!(names, ["X", "y"]);
            assert_eq!(var(&s, "X").describe(), "3×2 float64");
            // y was int32: widened, with a note.
            assert_eq!(var(&s, "y").describe(), "3 int64");
            assert_eq!(var(&s, "z"), var(&s, "y"));
            assert!(out.iter().any(
                |o| matches!(o, Outcome::Diagnostic(d) if d.message.contains("int32 read as int64"))
            ));
        } else {
            // Three arrays, two names: an error that says so.
            assert!(
                errors(&out)[0].contains("3 results but 2 names"),
                "{:?}",
                errors(&out)
            );
        }
    }
}

#[test]
fn files_we_write_match_numpys_bytes() {
    let dir = scratch("bytes");
    let mut s = Session::new();
    for (name, expr) in [
        ("f64", "[[1.5, -0.0], [inf, nan]]"),
        ("i64", "arange(5)"),
        ("c128", "[1 + 2j, complex(-0.0, -1)]"),
        ("bool", "[true, false]"),
        ("f32", "float32([1.5, 2])"),
    ] {
        let ours = dir.join(format!("{name}.npy"));
        let out = run(&mut s, &format!("save(\"{}\", {expr})", ours.display()));
        assert!(errors(&out).is_empty(), "{:?}", errors(&out));
        let theirs = std::fs::read(fixture(&format!("written_by_numpy_{name}.npy"))).unwrap();
        let mine = std::fs::read(&ours).unwrap();
        // The headers may differ in padding only; the data must be NumPy's.
        let a = npy::read_file(&ours, &Limits::default(), 1).unwrap().array;
        let b = npy::read_file(
            &fixture(&format!("written_by_numpy_{name}.npy")),
            &Limits::default(),
            1,
        )
        .unwrap()
        .array;
        assert_eq!(hex(&le_bytes(&a)), hex(&le_bytes(&b)), "{name}");
        // NumPy writes `(2, 2), }`, ndarray-npy `(2, 2)}` and one more space
        // of padding; every other byte is the same.
        let theirs = String::from_utf8_lossy(&theirs).replacen(", }", "}  ", 1);
        assert_eq!(String::from_utf8_lossy(&mine), theirs, "{name}");
    }
}

#[test]
fn savez_and_loadtxt_round_trip_and_savetxt_matches_numpy() {
    let dir = scratch("round");
    let d = dir.display();
    let mut s = Session::new();
    let out = run(
        &mut s,
        &format!(
            "A = [[1.5, -0.0], [inf, nan]]; b = float32([1e-45, -2])\n\
             savez_compressed(\"{d}/w.npz\", A=A, b=b)\n\
             A2, b2 = load(\"{d}/w.npz\")\n\
             savetxt(\"{d}/m.txt\", [[1.0, 0.5], [-2, 1e-7]])\n\
             savetxt(\"{d}/m.csv\", [[1.0, 0.5], [-2, 1e-7]], delimiter=\",\", header=\"a,b\", fmt=\"%.6g\")\n\
             M = loadtxt(\"{d}/m.csv\", delimiter=\",\")"
        ),
    );
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    for (a, b) in [("A", "A2"), ("b", "b2")] {
        let (Value::Array(x), Value::Array(y)) = (var(&s, a), var(&s, b)) else {
            panic!()
        };
        assert_eq!(hex(&le_bytes(&x)), hex(&le_bytes(&y)));
    }
    for (ours, theirs) in [
        ("m.txt", "savetxt_default.txt"),
        ("m.csv", "savetxt_csv.txt"),
    ] {
        assert_eq!(
            std::fs::read_to_string(dir.join(ours)).unwrap(),
            std::fs::read_to_string(fixture(theirs)).unwrap()
        );
    }
    assert_eq!(var(&s, "M").describe(), "2×2 float64");
}

#[test]
fn corrupt_and_lying_files_are_errors_before_allocating() {
    let good = std::fs::read(fixture("float64_C_le.npy")).unwrap();
    let limits = Limits::default();
    // Truncated at every length: an error, never a panic.
    for cut in 0..good.len() {
        let r = npy::read_header(&mut &good[..cut]).and_then(|h| {
            npy::check(
                &h,
                Some((cut as u64).saturating_sub(h.len as u64)),
                limits.max_bytes,
            )
        });
        assert!(r.is_err(), "cut at {cut}");
    }
    // A header claiming 10^12 elements, in a tiny file.
    let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }";
    let mut lying = b"\x93NUMPY\x01\x00".to_vec();
    lying.extend((dict.len() as u16).to_le_bytes());
    lying.extend(dict.as_bytes());
    lying.extend([0u8; 64]);
    let dir = scratch("corrupt");
    std::fs::write(dir.join("lying.npy"), &lying).unwrap();
    let e = npy::read_file(&dir.join("lying.npy"), &limits, 1).unwrap_err();
    assert!(matches!(e.fault, Fault::TooLarge { .. }), "{e:?}");
    // Within the limit but larger than the file: truncated, not allocated.
    let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000,), }";
    let mut short = b"\x93NUMPY\x01\x00".to_vec();
    short.extend((dict.len() as u16).to_le_bytes());
    short.extend(dict.as_bytes());
    std::fs::write(dir.join("short.npy"), &short).unwrap();
    let e = npy::read_file(&dir.join("short.npy"), &limits, 1).unwrap_err();
    assert!(matches!(e.fault, Fault::Truncated { .. }), "{e:?}");
    // A header with a 4 GB length field.
    let mut long = b"\x93NUMPY\x02\x00".to_vec();
    long.extend(u32::MAX.to_le_bytes());
    assert!(matches!(
        npy::read_header(&mut &long[..]),
        Err(Fault::HeaderTooLong(_))
    ));
    // The session's --max-memory decides.
    let mut small = Config::default();
    small.limits.max_bytes = 48;
    let mut s = Session::with_config(small);
    let out = run(
        &mut s,
        &format!("load(\"{}\")", fixture("float64_C_le.npy").display()),
    );
    assert!(errors(&out).is_empty());
    let out = run(
        &mut s,
        &format!("load(\"{}\")", fixture("specials_float64.npy").display()),
    );
    assert!(
        errors(&out)[0].contains("memory limit"),
        "{:?}",
        errors(&out)
    );
}

/// An .npz entry whose header promises 8 elements but which inflates to
/// 100 MB of zeros: refused after the promised bytes, not inflated.
#[test]
fn an_archive_that_inflates_without_end_is_refused() {
    use std::io::Write;
    let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (8,), }";
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    npy.extend((dict.len() as u16).to_le_bytes());
    npy.extend(dict.as_bytes());
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        z.start_file("bomb.npy", o).unwrap();
        z.write_all(&npy).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..100 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(bytes.len() < 1 << 20);
    let t = std::time::Instant::now();
    let e = npz::read(std::io::Cursor::new(bytes), 1 << 30, None).unwrap_err();
    assert!(
        matches!(e, Fault::TrailingData | Fault::Truncated { .. }),
        "{e:?}"
    );
    assert!(t.elapsed().as_secs() < 5);
}

#[test]
fn the_sandbox_touches_no_file() {
    let dir = scratch("sandbox");
    let d = dir.display();
    let mut config = Config::default();
    config.limits.sandbox = true;
    let mut s = Session::with_config(config);
    let good = fixture("float64_C_le.npy").display().to_string();
    for code in [
        format!("load(\"{good}\")"),
        format!("save(\"{d}/a.npy\", 1)"),
        format!("savez(\"{d}/a.npz\", x=1)"),
        format!("savez_compressed(\"{d}/a.npz\", x=1)"),
        format!("loadtxt(\"{good}\")"),
        format!("savetxt(\"{d}/a.txt\", [1])"),
        format!(":load {good}"),
        format!(":save {d}/w.npz"),
        format!(":save {d}/w.la"),
    ] {
        let out = run(&mut s, &code);
        let e = errors(&out);
        assert!(e.len() == 1 && e[0].contains("--sandbox"), "{code}: {e:?}");
    }
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn the_workspace_saves_and_loads_as_npz() {
    let dir = scratch("workspace");
    let p = dir.join("work.npz").display().to_string();
    let mut s = Session::new();
    let out = run(
        &mut s,
        &format!("a = [1, 2]; b = float32(-0.0); t = \"text\"\n:save {p}"),
    );
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    let mut t = Session::new();
    let out = run(&mut t, &format!(":load {p}"));
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    assert_eq!(var(&t, "a"), var(&s, "a"));
    assert_eq!(var(&t, "b"), var(&s, "b"));
    assert!(!t.evaluator.vars().contains_key("t"));
    // A name that is not valid here is reported, not changed.
    let mut u = Session::new();
    let out = run(
        &mut u,
        &format!(":load {}", fixture("compressed.npz").display()),
    );
    assert!(
        out.iter()
            .any(|o| matches!(o, Outcome::Diagnostic(d) if d.message.contains("`bad-name`")))
    );
    assert!(u.evaluator.vars().contains_key("X") && !u.evaluator.vars().contains_key("bad_name"));
}

#[test]
fn errors_name_the_file_and_the_reason() {
    let mut s = Session::new();
    let out = run(&mut s, "load(\"no/such/file.npy\")");
    assert_eq!(
        errors(&out),
        ["load: cannot read no/such/file.npy: no such file or directory"]
    );
    let out = run(
        &mut s,
        &format!("loadtxt(\"{}\")", fixture("savetxt_csv.txt").display()),
    );
    assert!(
        errors(&out)[0].contains("line 2, column 1: `1,0.5` is not a float64 number"),
        "{:?}",
        errors(&out)
    );
}

#[test]
fn an_archive_of_one_array_loads_as_that_array() {
    let dir = scratch("one");
    let p = dir.join("one.npz").display().to_string();
    let mut s = Session::new();
    let out = run(
        &mut s,
        &format!("savez(\"{p}\", W=[[1.5, 2], [3, 4]])\nx = load(\"{p}\")\ny = x + 1"),
    );
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    assert_eq!(var(&s, "x").describe(), "2×2 float64");
    assert_eq!(var(&s, "y").describe(), "2×2 float64");
    let out = run(&mut s, &format!("w = load(\"{p}\", \"W\")"));
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    assert_eq!(var(&s, "w"), var(&s, "x"));
}

#[test]
fn the_workspace_refuses_keywords_and_constants_as_names_with_the_reason() {
    let dir = scratch("keywords");
    let path = dir.join("work.npz");
    let one = Array::F64(ndarray::ArrayD::from_elem(ndarray::IxDyn(&[2]), 1.0));
    let names = ["end", "for", "function", "true", "ok"];
    let arrays: Vec<(String, &Array)> = names.iter().map(|n| (n.to_string(), &one)).collect();
    npz::write(&arrays, false, std::fs::File::create(&path).unwrap()).unwrap();
    let p = path.display().to_string();
    let mut s = Session::new();
    let out = run(&mut s, &format!(":load {p}"));
    let warnings: Vec<_> = out
        .iter()
        .filter_map(|o| match o {
            Outcome::Diagnostic(d) if d.message.contains("not loaded") => Some(d),
            _ => None,
        })
        .collect();
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    for (d, name) in warnings.iter().zip(&names) {
        assert!(
            d.message.starts_with(&format!("`{name}` in {p} is a ")),
            "{}",
            d.message
        );
        assert!(
            d.help[0].contains(&format!("load(\"{p}\", \"{name}\")")),
            "{:?}",
            d.help
        );
    }
    assert!(
        warnings[0]
            .message
            .contains("is a keyword of the language, not a name")
    );
    assert!(warnings[3].message.contains("is a constant"));
    let vars = s.evaluator.vars();
    assert!(vars.contains_key("ok"));
    assert!(
        !["end", "for", "function"]
            .iter()
            .any(|n| vars.contains_key(*n))
    );
    // The help's way in works.
    let out = run(&mut s, &format!("e_ = load(\"{p}\", \"end\")"));
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    assert_eq!(var(&s, "e_"), var(&s, "ok"));
}

/// A large array is read by several threads at once, each into its own
/// part of the buffer: the same elements, bit for bit, in either order,
/// and a file that is one byte short is still refused.
#[test]
fn a_large_array_read_in_parallel_is_the_array_written() {
    let dir = std::env::temp_dir().join(format!("tensorcalc-io-par-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // 72 MiB of float64, past the parallel threshold, not a whole number
    // of 2 MiB parts per thread.
    let n = 9 * (1 << 20) + 3;
    let v: Vec<f64> = (0..n)
        .map(|i| (i as f64).sqrt() * if i % 3 == 0 { -1.0 } else { 1.0 })
        .collect();
    for fortran in [false, true] {
        let shape = ndarray::IxDyn(&[3, n / 3]);
        let a = if fortran {
            ndarray::ArrayD::from_shape_vec(ndarray::ShapeBuilder::f(shape), v.clone()).unwrap()
        } else {
            ndarray::ArrayD::from_shape_vec(shape, v.clone()).unwrap()
        };
        let path = dir.join(format!("big_{fortran}.npy"));
        let file = std::fs::File::create(&path).unwrap();
        npy::write(
            &tensorcalc::value::Array::F64(a.clone()),
            std::io::BufWriter::new(file),
        )
        .unwrap();
        for threads in [1, 2, 3] {
            let got = npy::read_file(&path, &Limits::default(), threads)
                .unwrap()
                .array;
            let tensorcalc::value::Array::F64(got) = got else {
                panic!("dtype")
            };
            assert_eq!(got.shape(), a.shape());
            assert!(
                got.iter()
                    .zip(a.iter())
                    .all(|(x, y)| x.to_bits() == y.to_bits()),
                "{threads} threads, fortran {fortran}"
            );
        }
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len - 1)
            .unwrap();
        assert!(npy::read_file(&path, &Limits::default(), 2).is_err());
        std::fs::remove_file(&path).unwrap();
    }
}
