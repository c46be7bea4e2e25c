//! The prompt in a pseudo-terminal, driven like a person drives it: the
//! real binary, keys typed, the screen read back without its escape codes.
//! History goes to a temporary file, never the user's.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Session;
use expectrl::session::OsSession;

/// How long any one piece of output may take to appear.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The bytes as a person sees them: escape sequences and carriage returns
/// removed.
pub fn plain(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                // CSI: parameters, then one final byte in @..~.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC: up to BEL or ESC \.
                Some(']') => {
                    while let Some(c) = chars.next() {
                        if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

pub struct Prompt {
    pub session: OsSession,
    pub raw: Vec<u8>,
    /// How much of the plain text earlier expectations have used up.
    seen: usize,
}

/// A temporary directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tensorcalc-repl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Prompt {
    /// Starts the binary with a scrubbed environment and the history in `dir`.
    pub fn start(dir: &Path, extra_env: &[(&str, &str)]) -> Prompt {
        Prompt::start_with(dir, extra_env, |_| {})
    }

    /// As `start`, with `configure` applied to the command last (arguments,
    /// a resource limit in `pre_exec`).
    pub fn start_with(
        dir: &Path,
        extra_env: &[(&str, &str)],
        configure: impl FnOnce(&mut Command),
    ) -> Prompt {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tensorcalc"));
        cmd.env_clear()
            .env("TERM", "xterm-256color")
            .env("HOME", dir)
            .env("TENSORCALC_HISTORY", dir.join("history"))
            .current_dir(dir);
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        configure(&mut cmd);
        let mut session = Session::spawn(cmd).expect("the binary starts in a pseudo-terminal");
        let _ = session.get_process_mut().set_window_size(200, 50);
        let mut p = Prompt {
            session,
            raw: Vec::new(),
            seen: 0,
        };
        p.expect("type :help");
        p.idle_prompt();
        p
    }

    /// Everything shown so far, as a person sees it.
    pub fn screen(&self) -> String {
        plain(&self.raw)
    }

    pub fn pump(&mut self) -> bool {
        let mut buf = [0u8; 8192];
        match self.session.try_read(&mut buf) {
            Ok(0) => false,
            Ok(n) => {
                self.raw.extend_from_slice(&buf[..n]);
                true
            }
            Err(_) => false,
        }
    }

    /// Waits for `needle` in the output after what was already matched and
    /// returns the text up to and including it.
    pub fn expect(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = plain(&self.raw);
            if let Some(i) = text[self.seen..].find(needle) {
                let end = self.seen + i + needle.len();
                let got = text[self.seen..end].to_string();
                self.seen = end;
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "waited {PATIENCE:?} for {needle:?}; the screen after the last match:\n{}",
                &text[self.seen..]
            );
            if !self.pump() {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.session.write_all(keys.as_bytes()).unwrap();
        self.session.flush().unwrap();
    }

    /// Waits until the output ends with a prompt and has been quiet for a
    /// moment (the editor repaints the line as it is typed, so an earlier
    /// `>> ` may be a repaint); returns the text since the last match.
    pub fn idle_prompt(&mut self) -> String {
        self.wait_for_prompt(false)
    }

    /// `idle_prompt`, but when `fresh` only a prompt on a new line since
    /// the last match counts: after Enter, on a loaded machine, the old
    /// prompt can sit quiet for 50 ms before the echo arrives.
    fn wait_for_prompt(&mut self, fresh: bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut quiet_since = Instant::now();
        loop {
            if self.pump() {
                quiet_since = Instant::now();
                continue;
            }
            let text = plain(&self.raw);
            let fresh_enough = !fresh || text[self.seen..].contains('\n');
            let at_prompt = fresh_enough && (text.ends_with(">> ") || text.ends_with(".. "));
            if at_prompt && quiet_since.elapsed() > Duration::from_millis(50) {
                let got = text[self.seen..].to_string();
                self.seen = text.len();
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "waited {PATIENCE:?} for a prompt; the screen after the last match:\n{}",
                &text[self.seen..]
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Types a line, presses Enter and waits for the next prompt; returns
    /// what the entry printed.
    pub fn enter(&mut self, line: &str) -> String {
        self.send(line);
        self.send("\r");
        let shown = self.wait_for_prompt(true);
        // The output starts on the line after the echo of the entry.
        let start = shown.find('\n').map_or(shown.len(), |i| i + 1);
        shown[start..shown.len() - 3].to_string()
    }

    /// Waits for the program to end; its exit status.
    pub fn finish(mut self) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            // The first status that is not "still alive" is the only one:
            // the child is reaped when it is read.
            let status = format!("{:?}", self.session.get_process().status());
            if !status.contains("StillAlive") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the program did not end:\n{}",
                plain(&self.raw)
            );
            self.pump();
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Ctrl-C, then Ctrl-D once the prompt is back (keys typed before the
    /// editor reads again would go to the terminal's own line editing).
    pub fn leave(mut self) -> String {
        self.send("\x03");
        self.idle_prompt();
        self.send("\x04");
        self.finish()
    }
}
