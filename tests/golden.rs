//! Golden tests: every `tests/golden/**/NAME.la` runs in a fresh session and
//! its rendered output (values, then diagnostics, in order, plain text) must
//! equal `NAME.out` beside it. `scripts/tour.la` is checked the same way
//! against `tests/golden/tour.out`. Regenerate with `BLESS=1 cargo test --test
//! golden`; CI never sets BLESS. The lessons in `scripts/examples/` are
//! checked against `tests/golden/examples/NAME.out`.

use std::fs;
use std::path::{Path, PathBuf};

use tensorcalc::Session;
use tensorcalc::render::SourceFile;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("golden dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "la") {
            out.push(p);
        }
    }
}

/// Runs a script the way `tensorcalc FILE` does (`tensorcalc --check FILE`
/// for the files under `tests/golden/check/`, `--keep-going` under
/// `tests/golden/symbols/`) and returns everything it
/// would print, stdout and stderr interleaved, without colour.
fn run(name: &str, text: &str) -> String {
    let mut session = Session::new();
    if name.starts_with("tests/golden/check/") {
        session.evaluator.shape_only = true;
        session.keep_going = true;
    }
    // Evaluated as `tensorcalc --keep-going FILE`, so one file shows
    // several refusals.
    if name.starts_with("tests/golden/symbols/") {
        session.keep_going = true;
    }
    let outcomes = session.eval_source(text);
    let src = SourceFile {
        name,
        text,
        first_line: 0,
    };
    let mut out = String::new();
    for o in &outcomes {
        out.push_str(&session.render(o, &src).to_plain());
        out.push('\n');
    }
    out
}

#[test]
fn golden_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases = Vec::new();
    collect(&root.join("tests/golden"), &mut cases);
    let mut pairs: Vec<(PathBuf, PathBuf)> = cases
        .iter()
        .map(|p| (p.clone(), p.with_extension("out")))
        .collect();
    pairs.push((
        root.join("scripts/tour.la"),
        root.join("tests/golden/tour.out"),
    ));
    // The lessons in scripts/examples/ are goldens too.
    let mut lessons = Vec::new();
    collect(&root.join("scripts/examples"), &mut lessons);
    for la in lessons {
        let stem = la.file_stem().expect("a file name").to_os_string();
        let out = root
            .join("tests/golden/examples")
            .join(stem)
            .with_extension("out");
        pairs.push((la, out));
    }
    assert!(
        pairs.len() > 20,
        "expected the golden corpus, found {} files",
        pairs.len()
    );
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for (la, out) in &pairs {
        let name = la
            .strip_prefix(root)
            .expect("inside the repo")
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(la).expect("readable script");
        let got = run(&name, &text);
        if bless {
            fs::write(out, &got).expect("write golden");
            continue;
        }
        match fs::read_to_string(out) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "{name}: output differs\n--- expected\n{want}--- got\n{got}"
            )),
            Err(_) => failures.push(format!(
                "{name}: missing {}; run BLESS=1 cargo test --test golden",
                out.display()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden failures:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}
