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

#[test]
fn sigint_stops_a_script_with_status_130_and_one_line_naming_the_statement() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tensorcalc"))
        .env("NO_COLOR", "1")
        .args(["-e", "first = 41 + 1", "-e", LONG, "-e", "never = 1"])
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
    assert_eq!(status.code(), Some(130), "{err}");
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
