//! Spawning the binary for the tests that need the real process (exit
//! codes, signals, resource limits): colour and width variables scrubbed so
//! the user's environment never leaks in.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The binary with a scrubbed environment and no standard input.
pub fn tc() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tensorcalc"));
    for v in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
        "COLORTERM",
        "COLUMNS",
        "FORCE_COLOR",
    ] {
        c.env_remove(v);
    }
    c.stdin(Stdio::null());
    c
}

pub fn run(args: &[&str]) -> Output {
    tc().args(args).output().expect("spawn tensorcalc")
}

/// The binary with `input` on its standard input.
pub fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    feed(tc().args(args), input)
}

/// Runs `cmd` with `input` on its standard input.
pub fn feed(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tensorcalc");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// Limits the address space `cmd`'s process may map to `bytes`
/// (`setrlimit(RLIMIT_AS)` in the child, before exec).
#[cfg(target_os = "linux")]
pub fn limit_address_space(cmd: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the forked child before exec and calls
    // only setrlimit, which is async-signal-safe; it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}
