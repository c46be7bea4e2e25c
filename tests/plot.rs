//! Pictures at the edge: the binary draws them to the size of its terminal
//! (a pseudo-terminal of 80 and then 120 columns, resized between entries),
//! to 80×24 through a pipe, as one JSON line with `--json`, and with colour
//! only when colour is on. Colour and size variables are scrubbed.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use expectrl::Session;

const PATIENCE: Duration = Duration::from_secs(20);

fn tc() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tensorcalc"));
    for v in [
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
        "COLORTERM",
        "COLUMNS",
        "LINES",
        "FORCE_COLOR",
    ] {
        c.env_remove(v);
    }
    c.stdin(Stdio::null());
    c
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = tc();
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("spawn tensorcalc")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

/// The widest line, in characters (every character of a picture is one
/// column wide).
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn through_a_pipe_a_picture_fills_80_by_24_or_the_size_asked_for() {
    let out = stdout(&run(&["-e", "plot(sin(linspace(0, 6, 500)))"], &[]));
    assert_eq!(widest(&out), 80, "{out}");
    // One line is left for the prompt that would follow.
    assert_eq!(out.lines().count(), 23, "{out}");
    let out = stdout(&run(
        &["-e", "plot(sin(linspace(0, 6, 500)), width=50, height=12)"],
        &[],
    ));
    assert_eq!((widest(&out), out.lines().count()), (50, 12), "{out}");
    // COLUMNS and LINES stand in for a terminal.
    let env = [("COLUMNS", "100"), ("LINES", "30")];
    let out = stdout(&run(&["-e", "plot(arange(100))"], &env));
    assert_eq!((widest(&out), out.lines().count()), (100, 29), "{out}");
    // A histogram's bars are whole columns each, so it may be narrower.
    let out = stdout(&run(&["-e", "hist(arange(100))"], &env));
    assert!(widest(&out) <= 100 && widest(&out) > 80, "{out}");
    assert_eq!(out.lines().count(), 29, "{out}");
}

#[test]
fn json_gives_one_line_with_the_kind_and_the_lines() {
    let out = stdout(&run(
        &[
            "--json",
            "-e",
            "h = heatmap([[1, 2], [3, 4]]); heatmap([[1, 2], [3, 4]])",
        ],
        &[],
    ));
    assert_eq!(out.lines().count(), 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    assert_eq!(v["plot"], "heatmap");
    let lines: Vec<&str> = v["text"]
        .as_array()
        .expect("text is a list")
        .iter()
        .map(|l| l.as_str().expect("each line a string"))
        .collect();
    assert!(lines[0].contains('┌') && lines.iter().any(|l| l.contains('@')));
    // The same lines as the plain picture.
    let plain = stdout(&run(&["-e", "heatmap([[1, 2], [3, 4]])"], &[]));
    assert_eq!(lines.join("\n"), plain.trim_end_matches('\n'));
    let named = stdout(&run(&["--json", "-e", "p = plot([1, 2])"], &[]));
    let v: serde_json::Value = serde_json::from_str(named.trim()).expect("JSON");
    assert_eq!(
        (v["plot"].as_str(), v["name"].as_str()),
        (Some("line"), Some("p"))
    );
}

#[test]
fn colour_only_when_asked_and_a_density_ramp_without_it() {
    let heat = "heatmap(outer(arange(4), arange(4)))";
    let plain = stdout(&run(&["-e", heat], &[]));
    assert!(!plain.contains('\x1b') && plain.contains('@') && !plain.contains('▀'));
    let coloured = stdout(&run(&["--color", "always", "-e", heat], &[]));
    assert!(coloured.contains('▀'), "{coloured}");
    // 256 colours unless the terminal says it has 24-bit colour.
    assert!(coloured.contains("\x1b[38;5;"), "{coloured:?}");
    let deep = stdout(&run(
        &["--color", "always", "-e", heat],
        &[("COLORTERM", "truecolor")],
    ));
    assert!(deep.contains("\x1b[38;2;68;1;84"), "{deep:?}");
    let no = stdout(&run(
        &["--color", "always", "-e", heat],
        &[("NO_COLOR", "1")],
    ));
    assert!(no.contains('\x1b'), "--color always wins over NO_COLOR");
    let none = stdout(&run(&["-e", heat], &[("NO_COLOR", "1")]));
    assert_eq!(none, plain);
}

/// What a person sees: escape sequences and carriage returns removed.
fn screen(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                if chars.next() == Some('[') {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
            }
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Reads until the screen ends with a prompt and has been quiet a moment.
fn until_prompt(s: &mut expectrl::session::OsSession, raw: &mut Vec<u8>) -> String {
    let deadline = Instant::now() + PATIENCE;
    let mut quiet = Instant::now();
    let start = screen(raw).len();
    loop {
        let mut buf = [0u8; 8192];
        if let Ok(n) = s.try_read(&mut buf)
            && n > 0
        {
            raw.extend_from_slice(&buf[..n]);
            quiet = Instant::now();
            continue;
        }
        let text = screen(raw);
        if text.ends_with(">> ")
            && text.len() > start
            && quiet.elapsed() > Duration::from_millis(80)
        {
            return text[start..].to_string();
        }
        assert!(Instant::now() < deadline, "no prompt:\n{text}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn at_the_prompt_a_plot_fits_an_80_and_a_120_column_terminal() {
    let dir = std::env::temp_dir().join(format!("tensorcalc-plot-pty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tensorcalc"));
    cmd.env_clear()
        .env("TERM", "xterm-256color")
        .env("HOME", &dir)
        .env("TENSORCALC_HISTORY", dir.join("history"))
        .current_dir(&dir);
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    let mut s = Session::spawn(cmd).expect("the binary starts in a pseudo-terminal");
    let _ = s.get_process_mut().set_window_size(80, 24);
    let mut raw = Vec::new();
    until_prompt(&mut s, &mut raw);
    for (cols, rows) in [(80usize, 24usize), (120, 30)] {
        // Resized between entries: the next picture follows the terminal.
        let _ = s
            .get_process_mut()
            .set_window_size(cols as u16, rows as u16);
        s.write_all(b"plot(sin(linspace(0, 6, 500)))\r").unwrap();
        s.flush().unwrap();
        let shown = until_prompt(&mut s, &mut raw);
        // The picture: the lines after the echo of the entry, before the prompt.
        let picture: Vec<&str> = shown
            .lines()
            .skip(1)
            .filter(|l| !l.starts_with(">> "))
            .collect();
        let frame = picture.iter().find(|l| l.contains('┌')).expect("a frame");
        assert_eq!(frame.chars().count(), cols, "{shown}");
        assert!(
            picture.iter().all(|l| l.chars().count() <= cols),
            "a line is wider than {cols} columns:\n{shown}"
        );
        assert_eq!(picture.len(), rows - 1, "{shown}");
    }
    s.write_all(b"\x04").unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
