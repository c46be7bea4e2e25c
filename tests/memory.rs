//! Memory: every large result is checked before it is allocated, against
//! the per-array cap, the workspace budget (`--max-memory`) and the system
//! itself. These spawn the binary, some of them under a small address-space
//! limit (`setrlimit(RLIMIT_AS)` in the child), and check that each trap is
//! an error with exit status 1, never an abort, and that the workspace
//! survives it.
#![cfg(target_os = "linux")]

use std::process::Command;
use tensorcalc::ops::limits::Limits;
use tensorcalc::session::{Config, Outcome, Session};

mod common;
use common::cli::{feed, limit_address_space, stderr, stdout};
use common::pty::{Prompt, temp_dir};

/// The address space the child may map: far more than the program needs,
/// far less than a 100000×100000 float64 array (74.5 GiB) or the 4 GiB
/// per-array cap, so only the system's refusal can stop these statements.
const ADDRESS_SPACE: u64 = 1 << 30;

/// The binary, on one thread: each kernel thread would reserve its own
/// stack out of the address space.
fn tc() -> Command {
    let mut c = common::cli::tc();
    c.env("TENSORCALC_THREADS", "1");
    c
}

/// The binary under an address-space limit of `bytes`.
fn limited(bytes: u64) -> Command {
    let mut c = tc();
    limit_address_space(&mut c, bytes);
    c
}

/// Every statement the issue names as a trap, with the default limits.
const TRAPS: [&str; 6] = [
    "x = randn(100000, 1); y = randn(100000); x - y",
    "ones(100000, 1) + ones(1, 100000)",
    "ones(100000, 1) * ones(1, 100000)",
    "matmul(ones(100000, 1), ones(1, 100000))",
    "A = ones(10, 10); i = zeros(100000, 1, dtype=\"int64\"); j = zeros(1, 100000, dtype=\"int64\"); A[i, j]",
    "A = ones(10, 10); i = zeros(100000, 1, dtype=\"int64\"); j = zeros(1, 100000, dtype=\"int64\"); A[i, j] = 1",
];

#[test]
fn every_trap_is_an_error_under_the_default_limits() {
    for trap in TRAPS {
        let o = tc()
            .args(["--broadcast", "allow", "-e", trap, "-e", "2 + 2"])
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{trap}: {err}");
        assert!(err.contains("100000×100000"), "{trap}: {err}");
        assert!(err.contains("--max-memory"), "{trap}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("allocation"),
            "{trap}: {err}"
        );
        // The script stops at the error.
        assert!(!stdout(&o).contains('4'), "{trap}: {}", stdout(&o));
    }
}

#[test]
fn every_trap_is_refused_by_the_budget_below_the_array_cap() {
    // 2500×2500 float64 is 47.7 MiB: under the cap of one array (64M),
    // but the budget is 64M in all, and the workspace already holds 38 MiB.
    for trap in [
        "ones(2500, 1) + ones(1, 2500)",
        "ones(2500, 1) * ones(1, 2500)",
        "matmul(ones(2500, 1), ones(1, 2500))",
        "i = zeros(2500, 1, dtype=\"int64\"); j = zeros(1, 2500, dtype=\"int64\"); big[i, j]",
    ] {
        let program = format!("big = ones(5000, 1000); {trap}");
        let o = tc()
            .args([
                "--broadcast",
                "allow",
                "--max-memory",
                "64M",
                "-e",
                &program,
            ])
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{trap}: {err}");
        assert!(
            err.contains("does not fit the workspace budget: the variables hold 38."),
            "{trap}: {err}"
        );
        assert!(
            err.contains("largest variables: big (38.1 MiB)"),
            "{trap}: {err}"
        );
        assert!(err.contains(":clear NAME"), "{trap}: {err}");
    }
}

/// A session with a budget of 64 MiB in all (and per array).
fn budgeted() -> Session {
    Session::with_config(Config {
        limits: Limits {
            max_bytes: 64 << 20,
            max_workspace: 64 << 20,
            ..Limits::default()
        },
        ..Config::default()
    })
}

/// The messages of the errors among `outcomes`.
fn errors(outcomes: &[Outcome]) -> Vec<String> {
    outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Diagnostic(d) if o.error_kind().is_some() => Some(d.message.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn clearing_a_variable_makes_room_again() {
    let mut s = budgeted();
    let refused = errors(&s.eval_entry("a = ones(3000, 2000); b = ones(3000, 2000)"));
    // The second array (45.8 MiB) does not fit beside the first.
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].contains("the variables hold 45.8 MiB of 64.0 MiB"),
        "{refused:?}"
    );
    assert!(errors(&s.eval_entry(":clear a")).is_empty());
    // ...and fits once the first is gone.
    assert!(errors(&s.eval_entry("b = ones(3000, 2000)")).is_empty());
    assert!(errors(&s.eval_entry("b[0, 0]")).is_empty());
}

#[test]
fn the_budget_error_names_the_largest_variables_first() {
    let mut s = budgeted();
    s.eval_entry("small = ones(10, 10); big = ones(3000, 1000); mid = ones(1000, 1000)");
    let o = s.eval_entry("more = ones(5000, 1000)");
    assert_eq!(errors(&o).len(), 1, "{o:?}");
    // The note is part of the diagnostic; its debug form holds every note.
    let notes = format!("{o:?}");
    assert!(
        notes.contains("largest variables: big (22.9 MiB), mid (7.6 MiB), small (800 B)"),
        "{notes}"
    );
}

#[test]
fn replacing_a_variable_counts_its_old_value_until_the_new_one_is_made() {
    // NumPy alike: `a = ones(...)` makes the new array before the old one
    // is let go, so both must fit at once.
    let o = tc()
        .args([
            "--max-memory",
            "64M",
            "-e",
            "a = ones(3000, 2000); a = ones(3000, 2000)",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("workspace budget"), "{}", stderr(&o));
}

#[test]
fn shared_values_are_counted_once() {
    let o = tc()
        .args([
            "--max-memory",
            "64M",
            "-e",
            "a = ones(3000, 2000); b = a; c = a; d = ones(1000, 1000); size(d)",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn under_an_address_space_limit_each_trap_is_an_error_and_exit_1() {
    for trap in TRAPS {
        let o = limited(ADDRESS_SPACE)
            .args([
                "--broadcast",
                "allow",
                "--max-memory",
                "1T",
                "-e",
                trap,
                "-e",
                "2 + 2",
            ])
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{trap}: {err}");
        assert!(
            err.contains("not enough memory for a 100000×100000"),
            "{trap}: {err}"
        );
        assert!(!err.contains("memory allocation of"), "{trap}: {err}");
    }
}

#[test]
fn under_an_address_space_limit_the_message_names_the_array_and_its_size() {
    let o = limited(ADDRESS_SPACE)
        .args(["--max-memory", "1T", "-e", "a = zeros(8000, 8000)"])
        .output()
        .unwrap();
    // 488 MiB does not fit beside the program in 1 GiB of address space.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("zeros: not enough memory for a 8000×8000 float64 array (488.3 MiB)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn after_a_refused_allocation_the_workspace_is_intact() {
    // Through stdin with --keep-going, as a prompt session would go on.
    let o = feed(
        limited(ADDRESS_SPACE).args([
            "--keep-going",
            "--broadcast",
            "allow",
            "--max-memory",
            "1T",
            "-",
        ]),
        b"keep = [1, 2, 3];\nx = randn(100000, 1); y = randn(100000);\nz = x - y\nsum(keep) + size(x)\n",
    );
    assert!(stderr(&o).contains("not enough memory"), "{}", stderr(&o));
    assert!(stdout(&o).contains("100006"), "{}", stdout(&o));
}

#[test]
fn at_the_prompt_under_an_address_space_limit_each_trap_keeps_the_workspace() {
    let dir = temp_dir("memory-prompt");
    let mut p = Prompt::start_with(&dir, &[("TENSORCALC_THREADS", "1")], |c| {
        c.args(["--broadcast", "allow", "--max-memory", "1T"]);
        limit_address_space(c, ADDRESS_SPACE);
    });
    p.enter("keep = 6 * 7");
    for trap in TRAPS {
        let out = p.enter(trap);
        assert!(
            out.contains("not enough memory for a 100000×100000"),
            "{trap}: {out}"
        );
        // The next statement runs and sees every earlier variable: `keep`,
        // and `x`, which the first trap's line assigned before it failed.
        let out = p.enter("keep + size(x)");
        assert!(out.trim_end().ends_with("100042"), "after {trap}: {out}");
    }
    // ...and what the indexing traps' lines assigned before they failed.
    let out = p.enter("size(A) + size(i) + size(j)");
    assert!(out.trim_end().ends_with("200100"), "{out}");
    let status = p.leave();
    assert!(status.ends_with(", 0))"), "{status}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Statements whose kernels make temporaries several times their result
/// (the sort's copies and permutation, faer's factorization copies), each
/// sized so that the result is granted but result and temporaries are not.
const TEMPORARIES: [&str; 3] = [
    "x = rand(12000000); y = sort(x)",
    "x = rand(12000000); y = argsort(x)",
    "A = rand(4000, 4000); B = inv(A)",
];

#[test]
fn under_an_address_space_limit_a_kernels_temporaries_are_an_error_not_an_abort() {
    for statement in TEMPORARIES {
        let o = limited(ADDRESS_SPACE)
            .args(["--max-memory", "1T", "-e", statement, "-e", "2 + 2"])
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{statement}: {err}");
        assert!(
            err.contains("not enough memory for a"),
            "{statement}: {err}"
        );
        assert!(
            err.contains("of temporary memory beside its result"),
            "{statement}: {err}"
        );
        assert!(!err.contains("memory allocation of"), "{statement}: {err}");
    }
}

#[test]
fn the_budget_counts_a_kernels_temporaries() {
    // A sort of 10^6 float64 makes a 7.6 MiB result and about 57 MiB of
    // temporaries: under 64 MiB alone, over it together.
    let mut s = budgeted();
    let o = s.eval_entry("x = rand(1000000); y = sort(x)");
    assert_eq!(errors(&o).len(), 1, "{o:?}");
    let notes = format!("{o:?}");
    assert!(
        notes.contains("does not fit the workspace budget"),
        "{notes}"
    );
    assert!(
        notes.contains("sort also works in 57.2 MiB of temporary memory beside its result"),
        "{notes}"
    );
    // A smaller sort fits, temporaries and all.
    assert!(errors(&s.eval_entry("y = sort(x[0:100000])")).is_empty());
}

/// Resident memory of process `pid` in KiB, from /proc.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[test]
fn ten_thousand_statements_keep_resident_memory_flat() {
    // A small soak (scripts/soak.py runs 10^6): arrays replaced again and
    // again, a user function, loops, branches, indexing; a mark every 1000
    // statements, where the child's resident memory is read.
    let mix = [
        "v{a} = rand(20, 20) @ ones(20, 4);",
        "s = sum(twice(v{a}));",
        "for k in arange(5); acc = k * 2 + 1; end",
        "w = v{a}[0:10, 1] + 1;",
        "if s > 0; p = 1; else; p = 2; end",
    ];
    let mut script = String::from("twice(x) = 2 * x + 1\ns = 0\n");
    for a in 0..50 {
        script.push_str(&format!("v{a} = ones(20, 4);\n"));
    }
    for i in 0..10_000 {
        if i % 1000 == 999 {
            // 5 KiB of output: more than the pipe holds (below), so the
            // child waits at each mark until it is read.
            script.push_str("mark = ones(900, 1)\n");
        } else {
            script.push_str(&mix[i % mix.len()].replace("{a}", &(i % 50).to_string()));
            script.push('\n');
        }
    }
    // Time for the last reading before the process exits.
    script.push_str("for k in arange(200000); end\n");
    let path = std::env::temp_dir().join(format!("tensorcalc-soak-{}.la", std::process::id()));
    std::fs::write(&path, &script).unwrap();
    let mut child = tc()
        .arg(&path)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.stdout.take().unwrap();
    use std::os::fd::AsRawFd;
    // SAFETY: F_SETPIPE_SZ on the pipe this test owns only changes its
    // capacity (one page, the least there is); a failure leaves it larger,
    // and then the readings run behind the marks.
    assert!(unsafe { libc::fcntl(out.as_raw_fd(), libc::F_SETPIPE_SZ, 4096) } >= 4096);
    let mut readings = Vec::new();
    use std::io::BufRead;
    for line in std::io::BufReader::new(out).lines() {
        if line.unwrap().starts_with("mark = ") {
            readings.push(rss_kib(pid));
        }
    }
    assert!(child.wait().unwrap().success());
    std::fs::remove_file(&path).unwrap();
    assert_eq!(readings.len(), 10, "{readings:?}");
    let (first, last) = (readings[0], readings[9]);
    assert!(first > 0 && last > 0, "{readings:?}");
    eprintln!("resident KiB at each mark: {readings:?}");
    // 9000 statements after the first mark: growing by 2 MiB would be
    // about 230 bytes kept per statement.
    assert!(last < first + 2048, "resident memory grew: {readings:?}");
}
