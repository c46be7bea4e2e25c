//! Fuzz target over the whole pipeline: arbitrary bytes are decoded as UTF-8
//! (lossily, as the binary does for invalid input), parsed, evaluated in a
//! fresh session, and every outcome is rendered as text and as JSON. Any panic
//! is a bug. Run with `cargo +nightly fuzz run pipeline` from the repository.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tensorcalc::Session;
use tensorcalc::render::SourceFile;
use tensorcalc::session::Config;

fuzz_target!(|data: &[u8]| {
    // Keep single runs short: big inputs only repeat what small ones find.
    if data.len() > 4096 {
        return;
    }
    // Runs on libFuzzer's own thread (8 MB stack, less than the binary's
    // 512 MB), so a stack overflow here is a finding worth a look too.
    run(&String::from_utf8_lossy(data));
});

fn run(text: &str) {
    // Arrays stay small, so a run cannot spend seconds filling gigabytes.
    let mut config = Config::default();
    config.limits.max_bytes = 1 << 20;
    // A fuzzed `while true end` (or deep recursion) ends on a budget of
    // statements and loop iterations, not by luck.
    config.limits.max_steps = 20_000;
    config.limits.max_recursion = 200;
    let mut session = Session::with_config(config);
    let outcomes = session.eval_entry(text);
    let src = SourceFile {
        name: "<fuzz>",
        text,
        first_line: 0,
    };
    for o in &outcomes {
        let _ = session.render(o, &src).to_plain();
        let _ = session.json(o);
    }
}
