//! Signals in a script: Ctrl-C (SIGINT) stops the running computation, the
//! output already written stays written, and the script ends with status
//! 130 after one line naming the statement.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Minutes of work in a debug build, seconds in a release one: far longer
/// than the wait for the interrupt.
const LONG: &str = "A = rand(2000, 2000); B = A @ A @ A @ A @ A @ A @ A @ A @ A @ A";

/// Runs `setup` then `long` as two `-e` inputs, interrupts `long` 300 ms
/// after `setup` has printed, and returns the exit status, what stdout said
/// after the first line, stderr and how long the exit took.
fn interrupt(setup: &str, long: &str) -> (Option<i32>, String, String, Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tensorcalc"))
        .env("NO_COLOR", "1")
        .args(["-e", setup, "-e", long, "-e", "never = 1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first input's output is written before the long one starts.
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(line.contains("first"), "{line}");
    std::thread::sleep(Duration::from_millis(300));
    let sent = Instant::now();
    // SAFETY: kill only sends a signal to the child this test started.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(rc, 0);
    let status = child.wait().unwrap();
    let took = sent.elapsed();
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (status.code(), rest, err, took)
}

#[test]
fn sigint_stops_a_script_with_status_130_and_one_line_naming_the_statement() {
    let (code, rest, err, took) = interrupt("first = 41 + 1", LONG);
    assert_eq!(code, Some(130), "{err}");
    assert_eq!(
        err.trim_end(),
        format!("tensorcalc: interrupted at <arg>:1: {LONG}"),
        "one line, naming the statement"
    );
    assert!(!rest.contains("never"), "the script stops: {rest}");
    // Stopped, not finished: the product chain takes far longer than this.
    assert!(took < Duration::from_secs(5), "took {took:?}");
    eprintln!("interrupt to exit: {took:?}");
}

/// A factorization inside faer polls no cancel token: the handler itself
/// names the statement and ends the script (before, the inverse ran to its
/// end and the script went on with status 0).
#[test]
fn sigint_ends_a_script_whose_kernel_does_not_stop() {
    let setup = "A = rand(1500, 1500) + 1500 * eye(1500); first = 1";
    let long = "B = inv(A); B = inv(B); B = inv(B); B = inv(B); B = inv(B); B = inv(B); B = inv(B); B = inv(B)";
    let (code, rest, err, _) = interrupt(setup, long);
    assert_eq!(code, Some(130), "{err}");
    assert_eq!(
        err.trim_end(),
        format!("tensorcalc: interrupted at <arg>:1: {long}"),
        "one line, naming the statement"
    );
    assert!(!rest.contains("never"), "the script stops: {rest}");
}
