//! Malformed and hostile programs: each must end (a hang guard kills it after
//! 10 s and fails), without a panic or abort, with the stated exit status. The
//! wall time of each is printed (`cargo test --test malformed -- --nocapture`)
//! for the record; speed itself is not asserted.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Case {
    name: &'static str,
    input: Vec<u8>,
    /// Allowed exit statuses.
    status: &'static [i32],
    /// Expected stdout when it matters (a correct value).
    stdout: Option<&'static str>,
}

fn case(name: &'static str, input: impl Into<Vec<u8>>, status: &'static [i32]) -> Case {
    Case {
        name,
        input: input.into(),
        status,
        stdout: None,
    }
}

fn valued(name: &'static str, input: impl Into<Vec<u8>>, stdout: &'static str) -> Case {
    Case {
        name,
        input: input.into(),
        status: &[0],
        stdout: Some(stdout),
    }
}

const ERR: &[i32] = &[1, 2];
const SYNTAX: &[i32] = &[2];
const EVAL: &[i32] = &[1];

fn cases() -> Vec<Case> {
    vec![
        case("unclosed bracket", "x = [1, 2, 3\n", SYNTAX),
        case("unclosed parenthesis", "(((1 + 2)\n", SYNTAX),
        case("stray closing brackets", "]]]]\n", SYNTAX),
        case("100 000 nested [", "[".repeat(100_000), ERR),
        case(
            "100 000 nested [ closed",
            format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)),
            ERR,
        ),
        case(
            "100 000 nested (",
            format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000)),
            ERR,
        ),
        case("100 000 nested calls", "f(".repeat(100_000), ERR),
        case("stray infix operator", "1 + * 2\n", SYNTAX),
        case("leading operator", "* 3\n", SYNTAX),
        case("trailing operator", "1 +\n", SYNTAX),
        case("only operators", "@@@\n", SYNTAX),
        case("assignment without value", "x =\n", SYNTAX),
        case("ragged literal", "[1, 2; 3]\n", EVAL),
        case("ragged nested literal", "[[1, 2], [3]]\n", EVAL),
        case("huge size", "zeros(1e6, 1e6)\n", EVAL),
        case("huge eye", "eye(1e10)\n", EVAL),
        case("huge arange", "arange(0, 1e18)\n", EVAL),
        case(
            "size overflowing usize",
            "zeros(9223372036854775807, 9223372036854775807)\n",
            EVAL,
        ),
        case("negative size", "zeros(-5)\n", EVAL),
        case("nan size", "ones(nan)\n", EVAL),
        case("negative linspace count", "linspace(0, 1, -1)\n", EVAL),
        case(
            "two inferred reshape lengths",
            "reshape(arange(6), [-1, -1])\n",
            EVAL,
        ),
        case(
            "integer literal too large",
            "99999999999999999999999\n",
            ERR,
        ),
        case("invalid UTF-8", b"1 + \xff\xfe\n".to_vec(), SYNTAX),
        case("control characters", b"\x01\x02\x1b[31m\n".to_vec(), SYNTAX),
        case("NUL byte", b"1\x002\n".to_vec(), SYNTAX),
        case("lone quote", "'\n", SYNTAX),
        case("unterminated string", "\"abc\n", SYNTAX),
        case("empty index", "A = [1]; A[]\n", SYNTAX),
        case(
            "100 000 prefix minus",
            format!("{}1", "-".repeat(100_000)),
            ERR,
        ),
        case(
            "50 000 power chain",
            format!("{}2", "2^".repeat(50_000)),
            ERR,
        ),
        case(
            "100 000 logical not",
            format!("{}true", "!".repeat(100_000)),
            ERR,
        ),
        case(
            "100 000 transposes",
            format!("x = 1;\nx{}\n", "'".repeat(100_000)),
            &[0, 1, 2],
        ),
        case(
            "100 000 index postfixes",
            format!("x = [1];\nx{}\n", "[0]".repeat(100_000)),
            ERR,
        ),
        case("one-million-letter name", "a".repeat(1_000_000), EVAL),
        valued("empty input", "", ""),
        valued(
            "only comments and blank lines",
            "# nothing\n\n   \n# here\n",
            "",
        ),
        valued(
            "5 000 prefix minus",
            format!("{}1\n", "-".repeat(5_000)),
            "1\n",
        ),
        // More than 50 000 operators in one statement is a limit error,
        // given before parsing; within the limit the value comes back.
        case(
            "200 000-term sum",
            format!("{}1\n", "1 + ".repeat(199_999)),
            EVAL,
        ),
        case(
            "300 000-term product",
            format!("1{}\n", " * 1".repeat(300_000)),
            EVAL,
        ),
        valued(
            "50 000-term sum",
            format!("{}1\n", "1 + ".repeat(49_999)),
            "50000\n",
        ),
        valued("100 000 silent statements", "1;".repeat(100_000), ""),
    ]
}

/// Runs `input` on stdin; kills the process after `limit`.
fn run_guarded(input: &[u8], limit: Duration) -> (End, String, String, Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tensorcalc"))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("TERM")
        .env_remove("COLUMNS")
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tensorcalc");
    let start = Instant::now();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        // a process that stops reading early closes the pipe; that is fine
        let _ = stdin.write_all(&data);
    });
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code().map_or(End::Signal, End::Exit);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break End::Hung;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    writer.join().unwrap();
    let out = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let err = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    (status, out, err, elapsed)
}

/// How a guarded run ended.
enum End {
    Exit(i32),
    /// Killed by a signal (an abort, such as a stack overflow).
    Signal,
    /// Still running at the limit, so the guard killed it.
    Hung,
}

#[test]
fn malformed_programs_fail_cleanly() {
    let cases = cases();
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    println!("| program | exit | wall time |");
    println!("| --- | --- | --- |");
    for c in &cases {
        let (code, out, err, elapsed) = run_guarded(&c.input, Duration::from_secs(10));
        let shown = match code {
            End::Exit(c) => c.to_string(),
            End::Signal => "signal".to_string(),
            End::Hung => "killed at 10 s".to_string(),
        };
        println!(
            "| {} | {} | {:.3} s |",
            c.name,
            shown,
            elapsed.as_secs_f64()
        );
        let first_err = err
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(160)
            .collect::<String>();
        match code {
            End::Hung => {
                failures.push(format!("{}: still running after 10 s", c.name));
                continue;
            }
            End::Signal => failures.push(format!("{}: killed by a signal: {first_err}", c.name)),
            End::Exit(code) if !c.status.contains(&code) => failures.push(format!(
                "{}: exit {code}, expected {:?}: {first_err}",
                c.name, c.status
            )),
            End::Exit(_) => {}
        }
        if err.contains("panicked")
            || err.contains("overflowed its stack")
            || err.contains("fatal runtime error")
        {
            failures.push(format!("{}: crashed: {first_err}", c.name));
        }
        if let Some(want) = c.stdout {
            if out != want {
                failures.push(format!(
                    "{}: stdout {:?}, expected {want:?}",
                    c.name,
                    out.chars().take(80).collect::<String>()
                ));
            }
        } else if c.status != [0, 1, 2] && !err.contains("error") {
            failures.push(format!("{}: no error message on stderr", c.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} malformed inputs misbehaved:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
