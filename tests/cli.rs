//! CLI tests: these spawn the binary, so they cover what only `main.rs`
//! decides: inputs and their order, `--json`, exit codes, colour, usage
//! errors and broken pipes. Colour and width variables are scrubbed so the
//! user's environment never leaks in.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;

mod common;
use common::cli::{run, run_stdin, stderr, stdout, tc};

/// A scratch file unique to this test process and name.
fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tensorcalc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn files_run_in_order_in_one_workspace() {
    let a = temp_file("order_a.la", b"x = 2\n");
    let b = temp_file("order_b.la", b"x * 10\n");
    let o = run(&[path(&a), path(&b)]);
    assert_eq!(stdout(&o), "x = 2\n20\n");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn dash_reads_stdin_between_files() {
    let a = temp_file("dash_a.la", b"x = 2\n");
    let b = temp_file("dash_b.la", b"y\n");
    let o = run_stdin(&[path(&a), "-", path(&b)], b"y = x + 1\n");
    assert_eq!(stdout(&o), "x = 2\ny = 3\n3\n");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn piped_stdin_is_a_script() {
    let o = run_stdin(&[], b"a = 3\na * a\n");
    assert_eq!(stdout(&o), "a = 3\n9\n");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn eval_is_repeatable_and_mixes_with_files_in_order() {
    let f = temp_file("mix.la", b"x = y * 2\n");
    let o = run(&["-e", "y = 5", path(&f), "-e", "x + y", "--eval", "ans * 2"]);
    assert_eq!(stdout(&o), "y = 5\nx = 10\n15\n30\n");
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn json_lines_are_exact() {
    let o = run(&[
        "--json",
        "-e",
        "A = [1, 2; 3, 4]",
        "-e",
        "[1 + 2j, -3j]",
        "-e",
        "[nan, inf, -inf]",
        "-e",
        "[0.1, 1e-300, 2.5]",
        "-e",
        "true",
        "-e",
        "dtype(A)",
        "-e",
        "z = 2 / 3",
        "-e",
        "float32([0.1])",
        "-e",
        "zeros(0)",
        "-e",
        "x = 7;",
    ]);
    let want = [
        r#"{"shape":[2,2],"dtype":"int64","data":[[1,2],[3,4]],"name":"A"}"#,
        r#"{"shape":[2],"dtype":"complex128","data":[[1.0,2.0],[-0.0,-3.0]]}"#,
        r#"{"shape":[3],"dtype":"float64","data":["nan","inf","-inf"]}"#,
        r#"{"shape":[3],"dtype":"float64","data":[0.1,1e-300,2.5]}"#,
        r#"{"shape":[],"dtype":"bool","data":true}"#,
        r#"{"shape":[],"dtype":"str","data":"int64"}"#,
        r#"{"shape":[],"dtype":"float64","data":0.6666666666666666,"name":"z"}"#,
        r#"{"shape":[1],"dtype":"float32","data":[0.1]}"#,
        r#"{"shape":[0],"dtype":"float64","data":[]}"#,
    ];
    assert_eq!(stdout(&o).lines().collect::<Vec<_>>(), want);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn json_floats_round_trip() {
    let o = run(&[
        "--json",
        "-e",
        "[0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308]",
    ]);
    let line = stdout(&o);
    let data = line
        .split("\"data\":[")
        .nth(1)
        .unwrap()
        .split(']')
        .next()
        .unwrap();
    let got: Vec<f64> = data.split(',').map(|s| s.parse().unwrap()).collect();
    assert_eq!(got, [0.1 + 0.2, 1.0 / 3.0, 5e-324, f64::MAX]);
}

#[test]
fn exit_status_zero_on_success() {
    assert_eq!(run(&["-e", "1 + 1"]).status.code(), Some(0));
}

#[test]
fn exit_status_one_on_evaluation_error() {
    for program in [
        "nope",
        "[1, 2] @ [1, 2, 3]",
        "[1, 2][5]",
        "5 // 0",
        "2^63",
        "zeros(1e6, 1e6)",
    ] {
        let o = run(&["-e", program]);
        assert_eq!(o.status.code(), Some(1), "{program}: {}", stderr(&o));
    }
}

#[test]
fn exit_status_two_on_syntax_error() {
    for program in ["1 +", "[1, 2", "1 + * 2", "x = = 3"] {
        let o = run(&["-e", program]);
        assert_eq!(o.status.code(), Some(2), "{program}: {}", stderr(&o));
    }
}

#[test]
fn syntax_error_wins_over_evaluation_error() {
    let o = run(&["--keep-going", "-e", "nope", "-e", "1 +"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn first_error_stops_the_run() {
    let o = run(&["-e", "a = 1", "-e", "b = nope", "-e", "a + 1"]);
    assert_eq!(stdout(&o), "a = 1\n");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn first_error_in_a_file_stops_later_files() {
    let a = temp_file("stop_a.la", b"nope\n");
    let b = temp_file("stop_b.la", b"42\n");
    let o = run(&[path(&a), path(&b)]);
    assert_eq!(stdout(&o), "");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn keep_going_carries_on_and_still_fails() {
    let o = run_stdin(&["--keep-going"], b"a = 1\nb = nope\na + 1\nb\n");
    assert_eq!(stdout(&o), "a = 1\n2\n");
    assert_eq!(stderr(&o).matches("error: unknown name").count(), 2);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn diagnostics_start_with_file_line_col() {
    let f = temp_file("diag.la", b"x = 1\n\ny = x @ [1, 2]\n");
    let o = run(&[path(&f)]);
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!("{}:3:7: error: ", path(&f))),
        "{err}"
    );
    let o = run_stdin(&["-"], b"1\nfoo\n");
    assert!(
        stderr(&o).starts_with("<stdin>:2:1: error: unknown name `foo`"),
        "{}",
        stderr(&o)
    );
    let o = run_stdin(&[], b"1\n  )\n");
    assert!(
        stderr(&o).starts_with("<stdin>:2:3: error: "),
        "{}",
        stderr(&o)
    );
    let o = run(&["-e", "1 + ", "-e", "2"]);
    assert!(
        stderr(&o).starts_with("<arg>:1:4: error: "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diagnostics_show_source_and_underline() {
    let o = run(&["-e", "A = [1, 2, 3; 4, 5, 6]", "-e", "A @ A"]);
    let err = stderr(&o);
    assert!(err.contains("1 │ A @ A"), "{err}");
    assert!(err.contains("- ^ -"), "{err}");
    assert!(err.contains("help: A @ A' gives 2×2"), "{err}");
}

#[test]
fn color_always_emits_escapes() {
    let o = run(&["--color", "always", "-e", "foo"]);
    assert!(stderr(&o).contains("\x1b["), "{:?}", stderr(&o));
    let o = run(&["--color=always", "-e", "[1, 2]"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn color_never_and_no_color_emit_none() {
    let o = run(&["--color", "never", "-e", "[1.5, 2]", "-e", "foo"]);
    assert!(!stdout(&o).contains('\x1b') && !stderr(&o).contains('\x1b'));
    let o = tc()
        .env("NO_COLOR", "1")
        .args(["-e", "[1.5, 2]", "-e", "foo"])
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b') && !stderr(&o).contains('\x1b'));
    // auto, writing to a pipe: no colour either
    let o = run(&["--color", "auto", "-e", "foo"]);
    assert!(!stderr(&o).contains('\x1b'));
}

#[test]
fn bad_color_value_is_usage_error() {
    let o = run(&["--color", "sometimes", "-e", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--color"));
}

#[test]
fn help_and_version() {
    for flag in ["--help", "-h"] {
        let o = run(&[flag]);
        assert_eq!(o.status.code(), Some(0));
        assert!(stdout(&o).contains("usage:") && stdout(&o).contains("--json"));
    }
    for flag in ["--version", "-V"] {
        let o = run(&[flag]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(
            stdout(&o),
            format!("tensorcalc {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn unknown_option_is_usage_error() {
    let o = run(&["--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown option `--bogus`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["-e"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn missing_file_is_usage_error() {
    let o = run(&["/nonexistent/dir/nothing.la"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing.la"));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn invalid_utf8_file_is_an_error() {
    let f = temp_file("bad_utf8.la", b"x = 1\n1 + \xff\xfe\n");
    let o = run(&[path(&f)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!("{}:2:5: error: ", path(&f))),
        "{err}"
    );
    assert!(err.contains("UTF-8"), "{err}");
    let o = run_stdin(&[], b"\xc3(\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("<stdin>:1:1: error: "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn broken_pipe_exits_quietly() {
    let program = "1\n".repeat(200_000);
    let f = temp_file("many.la", program.as_bytes());
    let mut child = tc()
        .arg(path(&f))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "1\n");
    // the reader (and with it the pipe) is dropped here
    let o = child.wait_with_output().unwrap();
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn broken_pipe_on_help_and_version_exits_quietly() {
    for flag in ["--help", "--version"] {
        let mut child = tc()
            .arg(flag)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // close the pipe before the child writes its first line
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert!(!stderr(&o).contains("panicked"), "{flag}: {}", stderr(&o));
        assert_eq!(o.status.code(), Some(0), "{flag}");
    }
}

#[test]
fn transpose_note_on_vector_goes_to_stderr() {
    let o = run(&["-e", "x = [1, 2, 3];", "-e", "x'"]);
    assert_eq!(stdout(&o), "3 int64\n  1  2  3\n");
    assert!(stderr(&o).contains("note:"));
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn check_reports_every_shape_error_and_computes_nothing() {
    let script = temp_file(
        "check.la",
        b"A = zeros(20000, 20000)\nB = A @ ones(20000, 3)\nC = B @ ones(4, 2)\nD = B + ones(5)\nE = B' @ B\n",
    );
    let o = run(&["--check", "--json", path(&script)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Shapes and dtypes, never data: the 3.2 GB array was not made.
    assert_eq!(
        stdout(&o),
        "{\"shape\":[20000,20000],\"dtype\":\"float64\",\"name\":\"A\"}\n\
         {\"shape\":[20000,3],\"dtype\":\"float64\",\"name\":\"B\"}\n\
         {\"shape\":[3,3],\"dtype\":\"float64\",\"name\":\"E\"}\n"
    );
    // Both errors are reported, each with its place, and checking went on.
    let err = stderr(&o);
    assert!(
        err.contains("check.la:3:7: error: matmul: 20000×3 @ 4×2"),
        "{err}"
    );
    assert!(
        err.contains("check.la:4:7: error: add: shapes 20000×3 and 5 do not broadcast"),
        "{err}"
    );
}

#[test]
fn check_json_writes_symbolic_sizes_as_strings_and_unknowns_as_null() {
    let prog = "dim n, m, d = 64\nx = randn(n, d); y = randn(m, d);\n\
                z = vstack(x, y)\nflatten(x)\nx[x > 0]\nsize(z)\nx @ y";
    let o = run(&["--check", "--json", "-e", prog]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "{\"shape\":[\"n+m\",\"d\"],\"dtype\":\"float64\",\"name\":\"z\"}\n\
         {\"shape\":[\"n·d\"],\"dtype\":\"float64\"}\n\
         {\"shape\":[null],\"dtype\":\"float64\"}\n\
         {\"shape\":[],\"dtype\":\"int64\",\"size\":\"n·d+m·d\"}\n"
    );
    assert!(
        stderr(&o).contains("<arg>:7:3: error: matmul: n×d @ m×d"),
        "the error has its place: {}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("inner dimensions differ (d = 64 ≠ m)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_of_a_clean_script_exits_zero_and_shows_shapes() {
    let o = run(&["--check", "-e", "x = [1, 2, 3]; W = ones(4, 3);\nW @ x"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "4 float64 (shape only)\n");
    let o = run(&["--check", "-e", "x = [1, 2"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_broadcast_trap_warns_by_default_and_the_mode_decides() {
    let prog = "y_hat = ones(200, 1); y = ones(200); loss = mean((y_hat - y)^2)";
    // warn: the value and a warning on stderr; the exit status is unchanged.
    let o = run(&["-e", prog]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "loss = 0.0\n");
    assert!(
        stderr(&o).contains("warning: subtract: 200×1 and 200 broadcast to 200×200"),
        "{}",
        stderr(&o)
    );
    // allow: silent.
    let o = run(&["--broadcast", "allow", "-e", prog]);
    assert_eq!((o.status.code(), stderr(&o).as_str()), (Some(0), ""));
    // error: a shape error at the operator, exit 1, nothing assigned.
    let o = run(&["--broadcast=error", "-e", prog, "-e", "loss"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("<arg>:1:57: error: subtract: 200×1 and 200"),
        "{}",
        stderr(&o)
    );
    // The checker warns the same, before anything is computed.
    let o = run(&["--check", "-e", prog]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("help: y_hat - reshape(y, [200, 1]) gives 200×1"),
        "{}",
        stderr(&o)
    );
    // A deliberate outer sum stretches along different lengths: no warning.
    let o = run(&["-e", "reshape([1, 2, 3], [3, 1]) + [1, 2, 3, 4]"]);
    assert_eq!(stderr(&o), "");
    let o = run(&["--broadcast", "sometimes", "-e", "1"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn values_print_as_their_statements_run() {
    // The loop never ends, so `1` can only be read if it was printed while
    // the script still runs. (The receive timeout only guards against a
    // hang; nothing is timed.)
    let f = temp_file("endless.la", b"1\nwhile true\nend\n");
    let mut child = tc()
        .arg(path(&f))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(out).read_line(&mut line);
        let _ = tx.send(line);
    });
    let first = rx.recv_timeout(std::time::Duration::from_secs(120));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(first.as_deref(), Ok("1\n"));
}

#[test]
fn a_syntax_error_in_the_last_line_of_a_long_script_means_nothing_ran() {
    // Longer than the part of a script whose syntax trees are kept between
    // the syntax check and the run (1 MiB); line 3 alone would print `1`.
    let body = "y = 2;\n".repeat(200_000);
    let script = format!("x = 1;\ny = 0;\nx\n{body}z = [1, 2\n");
    let lines = script.lines().count();
    let f = temp_file("long_bad.la", script.as_bytes());
    let o = run(&[path(&f)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!("{}:{lines}:", path(&f))),
        "{}",
        &err[..err.len().min(300)]
    );
}

#[test]
fn check_output_is_buffered_but_stays_in_order_with_its_errors() {
    // `--check` writes values in blocks; every diagnostic flushes them
    // first, so one stream holding both reads in statement order.
    let mut src = String::new();
    for i in 0..3000 {
        src += &format!("v{i} = ones(2, 3)\n");
    }
    src += "bad = ones(2, 3) @ ones(2, 3)\nlast = ones(4)\n";
    let script = temp_file("check_order.la", src.as_bytes());
    let log = temp_file("check_order.log", b"");
    let file = std::fs::File::create(&log).unwrap();
    let status = tc()
        .args(["--check", path(&script)])
        .stdout(Stdio::from(file.try_clone().unwrap()))
        .stderr(Stdio::from(file))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let text = std::fs::read_to_string(&log).unwrap();
    let value = text
        .find("v2999 = 2×3 int64")
        .or(text.find("v2999 = 2×3 float64"));
    let error = text.find("error: matmul");
    let last = text.find("last = 4 float64");
    assert!(
        value.is_some() && error.is_some() && last.is_some(),
        "{text}"
    );
    assert!(
        value < error && error < last,
        "{}",
        &text[text.len() - 600..]
    );
}
