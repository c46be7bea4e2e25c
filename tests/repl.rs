//! The prompt, driven like a person drives it: the real binary in a
//! pseudo-terminal, keys typed, the screen read back (without its escape
//! codes). History goes to a temporary file, never the user's.

use std::time::{Duration, Instant};

mod common;
use common::pty::{Prompt, temp_dir};

/// The `:vars` table in `out`, from its header to its total.
fn vars_table(out: &str) -> String {
    let start = out
        .find("name  ")
        .unwrap_or_else(|| panic!("no :vars table in {out:?}"));
    out[start..].trim_end().to_string()
}

#[test]
fn a_session_at_the_prompt() {
    let dir = temp_dir("session");
    let mut p = Prompt::start(&dir, &[]);

    // A multi-line literal: Enter inside brackets continues on `..`.
    p.send("M = [[1, 2],\r");
    assert!(p.idle_prompt().ends_with("\n.. "));
    let out = p.enter("     [3, 4]]");
    assert!(out.contains("M = 2×2 int64"), "{out}");

    // Tab completes a workspace name; the hint shows a name's shape.
    p.enter("weights = [1.5, 2.5, 3.25];");
    p.send("sum(wei\t");
    p.expect("sum(weights");
    let out = p.enter(")");
    assert!(out.contains("7.25"), "{out}");
    p.send("M");
    p.expect("M  # 2×2 int64");
    p.send("\x03");
    p.idle_prompt();
    p.send("zeros(");
    p.expect("# zeros(shape..., dtype=\"float64\")");
    p.send("\x03");
    p.idle_prompt();
    // The hint gives the whole line's shape, or its first error, from the
    // rules alone: nothing of a huge product is computed while typing.
    p.send("M @ weights[0:2]");
    p.expect("M @ weights[0:2]  # 2 float64");
    p.send("\x03");
    p.idle_prompt();
    p.send("M @ weights");
    p.expect("# matmul: 2 ≠ 3");
    p.send("\x03");
    p.idle_prompt();
    p.send("rand(20000, 20000) @ rand(20000, 20000)");
    p.expect("# 20000×20000 float64");
    // Ctrl-C on a line clears it: nothing runs.
    p.send("\x03");
    p.idle_prompt();
    let out = p.enter("1 + 1");
    assert!(
        out.trim_end().ends_with('2') && !out.contains("error"),
        "{out}"
    );

    // Errors never end the session, and a failing statement changes nothing.
    let out = p.enter("M = M @ [1, 2, 3]");
    assert!(out.contains("error"), "{out}");
    p.enter("f = float32([0.1, -0.0]); z = complex(1, -nan); b = [true, false]; e = zeros(0, 3, dtype=\"int64\");");

    // :vars, then :save, :clear and :load give the same workspace.
    let before = vars_table(&p.enter(":vars"));
    for name in ["M ", "ans ", "b ", "f ", "weights ", "z "] {
        assert!(
            before.contains(&format!("\n{name}")),
            "{name} missing from\n{before}"
        );
    }
    let file = dir.join("work.la");
    let out = p.enter(&format!(":save {}", file.display()));
    assert!(out.contains("saved 7 variables"), "{out}");
    p.enter(":clear");
    assert!(p.enter(":vars").contains("the workspace is empty"));
    let out = p.enter(&format!(":load {}", file.display()));
    assert!(out.contains("loaded"), "{out}");
    assert_eq!(vars_table(&p.enter(":vars")), before);

    // Ctrl-C during a long product stops it quickly and keeps the workspace.
    p.enter("seed(7); A = rand(3000, 3000);");
    p.send("C = A @ A\r");
    p.expect("\n");
    std::thread::sleep(Duration::from_millis(300));
    let pressed = Instant::now();
    p.send("\x03");
    let out = p.expect(">> ");
    let waited = pressed.elapsed();
    assert!(out.contains("interrupted"), "{out}");
    assert!(
        waited < Duration::from_millis(200),
        "the prompt came back after {waited:?}"
    );
    let after = p.enter(":vars");
    assert!(after.contains("\nA ") && !after.contains("\nC "), "{after}");
    assert!(after.contains("\nweights "), "{after}");

    // Ctrl-D leaves, with the history saved.
    p.enter("last = 42");
    p.send("\x04");
    let status = p.finish();
    assert!(
        status.contains("Exited") && status.ends_with(", 0))"),
        "{status}"
    );

    // A new process sees the history: ↑ brings back the last entry.
    let history = std::fs::read_to_string(dir.join("history")).unwrap();
    assert!(history.contains("M = [[1, 2],"), "{history}");
    let mut p = Prompt::start(&dir, &[]);
    p.send("\x1b[A");
    p.expect("last = 42");
    p.leave();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn colours_while_typing_unless_no_color() {
    let dir = temp_dir("colour");
    let mut p = Prompt::start(&dir, &[]);
    p.send("x = 2 * pi");
    p.expect("pi");
    std::thread::sleep(Duration::from_millis(100));
    p.pump();
    let raw = String::from_utf8_lossy(&p.raw).to_string();
    assert!(raw.contains("\x1b[35mpi"), "pi is not highlighted: {raw:?}");
    p.leave();

    let mut p = Prompt::start(&dir, &[("NO_COLOR", "1")]);
    p.send("x = 2 * pi");
    p.expect("pi");
    p.enter("");
    let raw = String::from_utf8_lossy(&p.raw).to_string();
    let colour = raw.match_indices("\x1b[").any(|(i, _)| {
        let rest = &raw[i + 2..];
        let end = rest.find(|c: char| ('@'..='~').contains(&c)).unwrap_or(0);
        rest[end..].starts_with('m')
    });
    assert!(!colour, "colour codes despite NO_COLOR: {raw:?}");
    p.send("\x04");
    p.finish();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn history_problems_are_one_line_warnings() {
    let dir = temp_dir("history");
    // A history file under a plain file can be neither read nor written.
    std::fs::write(dir.join("blocker"), "").unwrap();
    let bad = dir.join("blocker").join("history");
    let mut p = Prompt::start(&dir, &[("TENSORCALC_HISTORY", bad.to_str().unwrap())]);
    let out = p.enter("1 + 2");
    assert!(
        out.contains("tensorcalc: cannot save the history to"),
        "{out}"
    );
    assert!(out.trim_end().ends_with('3'), "{out}");
    assert_eq!(
        p.enter("1 + 3").trim_end().lines().last(),
        Some("4"),
        "the warning comes once"
    );
    p.send("\x04");
    assert!(p.finish().ends_with(", 0))"));

    // Without TENSORCALC_HISTORY the history goes under XDG_DATA_HOME.
    let data = dir.join("data");
    let mut cmd_env = vec![("XDG_DATA_HOME", data.to_str().unwrap())];
    cmd_env.push(("TENSORCALC_HISTORY", ""));
    let mut p = Prompt::start(&dir, &cmd_env);
    p.enter("7 * 6");
    p.send("\x04");
    p.finish();
    let kept = std::fs::read_to_string(data.join("tensorcalc").join("history")).unwrap();
    assert!(kept.contains("7 * 6"), "{kept}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_binary_history_file_is_a_warning_and_is_left_alone() {
    let dir = temp_dir("binary-history");
    let history = dir.join("history");
    let junk: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    std::fs::write(&history, &junk).unwrap();
    let mut p = Prompt::start(&dir, &[]);
    // The prompt started (Prompt::start waited for it); it still computes.
    assert!(p.enter("x = 20 + 1; x * 2").trim_end().ends_with("42"));
    let screen = p.screen();
    assert!(
        screen.contains("tensorcalc: cannot read the history"),
        "{screen}"
    );
    p.send("\x04");
    assert!(p.finish().ends_with(", 0))"));
    assert_eq!(
        std::fs::read(&history).unwrap(),
        junk,
        "the file is untouched"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_history_is_replaced_whole_and_a_failed_write_leaves_the_old_file() {
    let dir = temp_dir("atomic-history");
    let history = dir.join("history");
    let mut p = Prompt::start(&dir, &[]);
    p.enter("first = 1");
    let saved = std::fs::read_to_string(&history).unwrap();
    assert!(saved.contains("first = 1"), "{saved}");
    // The next write's temporary file cannot be made (a directory holds
    // its name): the old history must survive as it was.
    let pid = p.session.get_process().pid();
    let tmp = dir.join(format!("history.{pid}.tmp"));
    std::fs::create_dir(&tmp).unwrap();
    let out = p.enter("second = 2");
    assert!(out.contains("cannot save the history"), "{out}");
    assert_eq!(std::fs::read_to_string(&history).unwrap(), saved);
    p.send("\x04");
    p.finish();
    // No temporary file is left behind by a write that worked.
    std::fs::remove_dir(&tmp).unwrap();
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Sends `signal` to the prompt after an entry; returns the exit status
/// and the saved history.
fn leave_by(signal: i32, name: &str) -> (String, String) {
    let dir = temp_dir(name);
    let mut p = Prompt::start(&dir, &[]);
    p.enter("kept = 6 * 7");
    p.send("half typ");
    let pid = p.session.get_process().pid();
    // SAFETY: kill only sends a signal to the child this test started.
    assert_eq!(unsafe { libc::kill(pid.as_raw(), signal) }, 0);
    let status = p.finish();
    let history = std::fs::read_to_string(dir.join("history")).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    (status, history)
}

#[test]
fn sigterm_at_the_prompt_keeps_the_history_and_exits_143() {
    let (status, history) = leave_by(libc::SIGTERM, "sigterm");
    assert!(status.ends_with(", 143))"), "{status}");
    assert!(history.contains("kept = 6 * 7"), "{history}");
}

#[test]
fn sighup_at_the_prompt_keeps_the_history_and_exits_129() {
    let (status, history) = leave_by(libc::SIGHUP, "sighup");
    assert!(status.ends_with(", 129))"), "{status}");
    assert!(history.contains("kept = 6 * 7"), "{history}");
}

#[test]
fn blocks_continue_on_the_next_line_and_ctrl_c_stops_a_loop() {
    let dir = temp_dir("blocks");
    let mut p = Prompt::start(&dir, &[]);
    // An open block continues on a `..` prompt until its `end`.
    for line in [
        "function twice(x)",
        "  if x > 0",
        "    return 2 * x",
        "  end",
        "  return 0",
    ] {
        p.send(line);
        p.send("\r");
        assert!(
            p.idle_prompt().ends_with(".. "),
            "no continuation after {line:?}"
        );
    }
    let out = p.enter("end");
    assert!(!out.contains("error"), "{out}");
    let out = p.enter("twice(21)");
    assert!(out.trim_end().ends_with("42"), "{out}");
    // A hint knows the function's signature.
    p.send("twice(");
    p.expect("# twice(x)");
    p.send("\x03");
    p.idle_prompt();
    // A one-line block is complete at once.
    let out = p.enter("for i in arange(3); if i == 1; disp(i * 7); end; end");
    assert!(out.trim_end().ends_with('7'), "{out}");

    // Ctrl-C stops `while true end` within 200 ms, and a loop that counts
    // keeps what its finished iterations assigned.
    p.send("while true end\r");
    p.expect("\n");
    std::thread::sleep(Duration::from_millis(300));
    let pressed = Instant::now();
    p.send("\x03");
    let out = p.expect(">> ");
    let waited = pressed.elapsed();
    assert!(out.contains("interrupted in iteration"), "{out}");
    assert!(
        waited < Duration::from_millis(200),
        "the prompt came back after {waited:?}"
    );
    p.idle_prompt();
    p.send("k = 0; while true; k += 1; end\r");
    p.expect("\n");
    std::thread::sleep(Duration::from_millis(300));
    p.send("\x03");
    let out = p.expect(">> ");
    assert!(out.contains("of `while`"), "{out}");
    p.idle_prompt();
    let out = p.enter("k > 0");
    assert!(out.trim_end().ends_with("true"), "{out}");
    p.leave();
    std::fs::remove_dir_all(&dir).unwrap();
}
