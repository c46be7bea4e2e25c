//! SIGTERM and SIGHUP at the prompt. The history is saved after every entry
//! (before it runs), so leaving cleanly means putting the terminal back as
//! it was before the line editor took it and exiting with 128 plus the
//! signal's number (143, 129), the status a shell reports for it.

use nix::sys::signal::{SigSet, Signal};
use nix::sys::termios::{SetArg, tcgetattr, tcsetattr};

fn term_and_hup() -> SigSet {
    let mut set = SigSet::empty();
    set.add(Signal::SIGTERM);
    set.add(Signal::SIGHUP);
    set
}

/// Blocks SIGTERM and SIGHUP in this thread and every thread it starts
/// later. `main` calls it first, before any other thread exists, so no
/// thread takes the signals' default action unless it unblocks them.
pub fn block() {
    let _ = term_and_hup().thread_block();
}

/// Scripts keep the default action (the process ends at once): the worker
/// thread unblocks the signals again, so they are delivered to it.
pub fn default_action() {
    let _ = term_and_hup().thread_unblock();
}

/// Waits for SIGTERM and SIGHUP on a thread of their own (blocked
/// everywhere since `block`), restores the terminal and leaves.
pub fn leave_on_term_or_hup() {
    let set = term_and_hup();
    if set.thread_block().is_err() {
        return;
    }
    let saved = tcgetattr(std::io::stdin()).ok();
    let waiter = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Ok(signal) = set.wait() {
                if let Some(t) = &saved {
                    let _ = tcsetattr(std::io::stdin(), SetArg::TCSANOW, t);
                }
                eprintln!("\ntensorcalc: {}; the history is saved", name(signal));
                std::process::exit(128 + signal as i32);
            }
        });
    if waiter.is_err() {
        let _ = set.thread_unblock();
    }
}

fn name(signal: Signal) -> &'static str {
    match signal {
        Signal::SIGHUP => "the terminal hung up (SIGHUP)",
        _ => "asked to stop (SIGTERM)",
    }
}
