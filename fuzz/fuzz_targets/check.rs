//! Fuzz target for `--check`: arbitrary bytes, decoded as the binary does,
//! run through the checker (shape-only values, every statement through its
//! rule, going on after an error), with symbolic sizes (`dim n`), functions
//! and loops reached from the seed corpus (scripts/fuzz seeds it with every
//! golden script). Errors are fine; a panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tensorcalc::Session;
use tensorcalc::render::SourceFile;
use tensorcalc::session::Config;

fuzz_target!(|data: &[u8]| {
    // Big inputs only repeat what small ones find.
    if data.len() > 4096 {
        return;
    }
    let text = String::from_utf8_lossy(data);
    let mut config = Config::default();
    // The checker computes small arrays only, but a fuzzed loop still runs
    // its body once per iteration it can count: keep each run short.
    config.limits.max_bytes = 1 << 20;
    config.limits.max_steps = 20_000;
    config.limits.max_recursion = 200;
    let mut session = Session::with_config(config);
    // What `--check` sets.
    session.keep_going = true;
    session.evaluator.shape_only = true;
    let outcomes = session.eval_entry(&text);
    let src = SourceFile {
        name: "<fuzz>",
        text: &text,
        first_line: 0,
    };
    for o in &outcomes {
        let _ = session.render(o, &src).to_plain();
        let _ = session.json(o);
    }
});
