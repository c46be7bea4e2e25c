//! The command line: the prompt, script files, stdin and `-e`. It maps
//! outcomes to exit codes (0 ok, 1 evaluation error, 2 syntax error or bad
//! usage) and is the only place that uses anyhow or ends the process.

#![deny(unsafe_code)]

mod paint;
mod repl;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use tensorcalc::Session;
use tensorcalc::diagnostic::{Diagnostic, ErrorKind};
use tensorcalc::eval::BroadcastMode;
use tensorcalc::render::{NumberFormat, SourceFile, render_diagnostic};
use tensorcalc::session::{Config, Outcome};
use tensorcalc::syntax::Span;

use crate::paint::paint;

const USAGE: &str = "\
tensorcalc: a calculator for scalars, vectors, matrices and tensors

usage:
  tensorcalc                      start the prompt (or run stdin if it is not a terminal)
  tensorcalc FILE.la [FILE...]    run scripts in order, in one workspace
  tensorcalc -                    run the script on stdin
  tensorcalc -e 'PROGRAM'         run PROGRAM (repeatable; mixes with files, in order)

options:
  -e, --eval PROGRAM      run PROGRAM
  --keep-going            after an error in a script, carry on with the next statement
  --sandbox               touch no file: load, save, loadtxt, savetxt, :load, :save refused
  --json                  print each value as one line of JSON
  --broadcast MODE        allow, warn (default) or error when broadcasting stretches both
                          operands along a length they share ((200,1) - (200,) gives 200×200)
  --check                 check shapes and dtypes only: every statement through its rule, no
                          numbers computed (large arrays take no memory); reports every error
  --color WHEN            auto (default), always or never; NO_COLOR is respected
  --format F              short (default), long, sci or rat
  --precision N           decimals shown for floats
  --max-memory BYTES      largest array, and all variables together (default 4G per array
                          and 70% of physical memory in all; suffixes K, M, G)
  --max-input BYTES       largest script (file, stdin or -e) accepted (default 8M)
  --max-depth N           deepest bracket nesting accepted (default 256, at most 4096)
  --max-parse-steps N     parser work allowed per run of statements, about 64K of a
                          script (default 500000000)
  --max-recursion N       deepest nesting of function calls (default 1000)
  --max-steps N           statements and loop iterations one input may run (default: no limit)
  --threads N             threads for large kernels (default: TENSORCALC_THREADS, else every core)
  -h, --help              show this help
  -V, --version           show the version

exit status: 0 success, 1 evaluation error, 2 syntax error or bad usage";

/// Default cap on script size. Parsing costs about a second per few MB of
/// dense expression, so a cap keeps a pasted data dump from looking like a hang.
const DEFAULT_MAX_INPUT: usize = 8 << 20;

enum Input {
    File(String),
    Stdin,
    Program(String),
}

struct Options {
    inputs: Vec<Input>,
    keep_going: bool,
    json: bool,
    /// `--check`: only the rules run (shapes and dtypes, no numbers).
    check: bool,
    /// `--broadcast`: what a broadcast that stretches both operands is.
    broadcast: BroadcastMode,
    color: Option<bool>,
    format: NumberFormat,
    precision: Option<usize>,
    max_input: usize,
    /// The session's configuration: the limits options, and `--threads`
    /// over the environment's defaults (`TENSORCALC_THREADS`,
    /// `TENSORCALC_KERNEL`).
    config: Config,
}

/// What the command line asked for.
enum Command {
    Run(Options),
    Help,
    Version,
}

/// A usage error: message for stderr, exit status 2.
struct Usage(String);

fn parse_bytes(text: &str) -> Option<usize> {
    let t = text.trim();
    let (num, mult) = match t.chars().last()?.to_ascii_uppercase() {
        'K' => (&t[..t.len() - 1], 1usize << 10),
        'M' => (&t[..t.len() - 1], 1 << 20),
        'G' => (&t[..t.len() - 1], 1 << 30),
        'T' => (&t[..t.len() - 1], 1 << 40),
        _ => (t, 1),
    };
    num.parse::<usize>().ok()?.checked_mul(mult)
}

fn parse_args(args: Vec<String>) -> Result<Command, Usage> {
    let mut o = Options {
        inputs: Vec::new(),
        keep_going: false,
        json: false,
        check: false,
        broadcast: BroadcastMode::Warn,
        color: None,
        format: NumberFormat::Short,
        precision: None,
        max_input: DEFAULT_MAX_INPUT,
        config: Config::default(),
    };
    let mut it = args.into_iter();
    let mut only_files = false;
    while let Some(arg) = it.next() {
        if only_files {
            o.inputs.push(Input::File(arg));
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, Usage> {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| Usage(format!("{name} needs a value")))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "-e" | "--eval" => o.inputs.push(Input::Program(value("-e")?)),
            "--keep-going" => o.keep_going = true,
            "--sandbox" => o.config.limits.sandbox = true,
            "--json" => o.json = true,
            "--check" => o.check = true,
            "--broadcast" => {
                o.broadcast = match value("--broadcast")?.as_str() {
                    "allow" => BroadcastMode::Allow,
                    "warn" => BroadcastMode::Warn,
                    "error" => BroadcastMode::Error,
                    other => {
                        return Err(Usage(format!(
                            "--broadcast takes allow, warn or error, not `{other}`"
                        )));
                    }
                }
            }
            "--color" | "--colour" => {
                o.color = match value("--color")?.as_str() {
                    "auto" => None,
                    "always" => Some(true),
                    "never" => Some(false),
                    other => {
                        return Err(Usage(format!(
                            "--color takes auto, always or never, not `{other}`"
                        )));
                    }
                }
            }
            "--format" => {
                o.format = match value("--format")?.as_str() {
                    "short" => NumberFormat::Short,
                    "long" => NumberFormat::Long,
                    "sci" => NumberFormat::Sci,
                    "rat" => NumberFormat::Rat,
                    other => {
                        return Err(Usage(format!(
                            "--format takes short, long, sci or rat, not `{other}`"
                        )));
                    }
                }
            }
            "--precision" => {
                let v = value("--precision")?;
                o.precision = Some(v.parse::<usize>().ok().filter(|&p| p <= 17).ok_or_else(
                    || {
                        Usage(format!(
                            "--precision takes a whole number from 0 to 17, not `{v}`"
                        ))
                    },
                )?);
            }
            "--max-memory" => {
                let v = value("--max-memory")?;
                o.config.limits.max_bytes = parse_bytes(&v).ok_or_else(|| {
                    Usage(format!(
                        "--max-memory takes a size like 512M or 8G, not `{v}`"
                    ))
                })?;
                // One array and the whole workspace alike.
                o.config.limits.max_workspace = o.config.limits.max_bytes;
            }
            "--threads" => {
                let v = value("--threads")?;
                let n = v.parse::<usize>().ok().filter(|&n| (1..=1024).contains(&n));
                let n = n.ok_or_else(|| {
                    Usage(format!(
                        "--threads takes a whole number from 1 to 1024, not `{v}`"
                    ))
                })?;
                o.config.exec = o.config.exec.with_threads(n);
            }
            "--max-input" => {
                let v = value("--max-input")?;
                o.max_input = parse_bytes(&v)
                    .ok_or_else(|| Usage(format!("--max-input takes a size like 1M, not `{v}`")))?;
            }
            "--max-depth" => {
                let v = value("--max-depth")?;
                let n = v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=tensorcalc::syntax::MAX_NESTING_CEILING).contains(n))
                    .ok_or_else(|| {
                        Usage(format!(
                            "--max-depth takes a whole number from 1 to 4096, not `{v}`"
                        ))
                    })?;
                o.config.limits.max_depth = n;
            }
            "--max-parse-steps" => {
                let v = value("--max-parse-steps")?;
                let n = v.parse::<usize>().ok().filter(|&n| n > 0).ok_or_else(|| {
                    Usage(format!(
                        "--max-parse-steps takes a whole number ≥ 1, not `{v}`"
                    ))
                })?;
                o.config.limits.max_parse_steps = n;
            }
            "--max-recursion" | "--max-steps" => {
                let v = value(&flag)?;
                let n =
                    v.parse::<u64>().ok().filter(|&n| n > 0).ok_or_else(|| {
                        Usage(format!("{flag} takes a whole number ≥ 1, not `{v}`"))
                    })?;
                if flag == "--max-steps" {
                    o.config.limits.max_steps = n;
                } else {
                    o.config.limits.max_recursion = usize::try_from(n).unwrap_or(usize::MAX);
                }
            }
            "--" => only_files = true,
            "-" => o.inputs.push(Input::Stdin),
            f if f.starts_with('-') && f.len() > 1 => {
                return Err(Usage(format!("unknown option `{f}`")));
            }
            _ => o.inputs.push(Input::File(arg)),
        }
    }
    Ok(Command::Run(o))
}

fn main() -> ExitCode {
    // Before any thread starts: the prompt waits for these on a thread.
    #[cfg(unix)]
    repl::signals::block();
    // Deeply nested input recurses in the parser and evaluator; a large
    // stack (reserved, not committed) keeps the nesting limits far from it.
    let worker = std::thread::Builder::new()
        .name("tensorcalc".into())
        .stack_size(512 << 20)
        .spawn(|| match run() {
            Ok(code) => code,
            Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("tensorcalc: {e:#}");
                ExitCode::from(2)
            }
        });
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => code,
        _ => ExitCode::from(101),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

fn run() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_args(args) {
        Ok(Command::Run(o)) => o,
        Ok(Command::Help) => {
            writeln!(std::io::stdout(), "{USAGE}")?;
            return Ok(ExitCode::SUCCESS);
        }
        Ok(Command::Version) => {
            writeln!(
                std::io::stdout(),
                "tensorcalc {}",
                env!("CARGO_PKG_VERSION")
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        Err(Usage(msg)) => {
            eprintln!("tensorcalc: {msg}\n\n{USAGE}");
            return Ok(ExitCode::from(2));
        }
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let out_color = options
        .color
        .unwrap_or(!no_color && std::io::stdout().is_terminal());
    let err_color = options
        .color
        .unwrap_or(!no_color && std::io::stderr().is_terminal());
    colored::control::set_override(out_color || err_color);

    let mut session = Session::with_config(options.config);
    (session.format.width, session.format.height) = screen_size();
    // Pictures draw heatmaps with coloured cells only when colour is shown.
    session.format.color = out_color;
    session.keep_going = options.keep_going || options.check;
    // Checking goes on after an error, so one run reports them all.
    session.evaluator.shape_only = options.check;
    session.evaluator.broadcast = options.broadcast;
    session.format.format = options.format;
    session.format.precision = options.precision;

    let mut inputs = options.inputs;
    if inputs.is_empty() {
        if std::io::stdin().is_terminal() {
            return repl::run(&mut session, out_color, err_color);
        }
        inputs.push(Input::Stdin);
    }
    let interrupts = Interrupts::default();
    install_script_interrupt(&session, interrupts.clone());
    #[cfg(unix)]
    repl::signals::default_action();
    let mut runner = Runner {
        session,
        json: options.json,
        out_color,
        err_color,
        worst: 0,
        buffered: options.check,
        interrupts,
    };
    for input in inputs {
        let (name, text) = match input {
            Input::Program(p) => match runner.decode("<arg>", p.into_bytes(), options.max_input)? {
                Some(t) => ("<arg>".to_string(), t),
                None => break,
            },
            Input::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .take(options.max_input as u64 + 1)
                    .read_to_end(&mut bytes)
                    .context("cannot read stdin")?;
                match runner.decode("<stdin>", bytes, options.max_input)? {
                    Some(t) => ("<stdin>".to_string(), t),
                    None => break,
                }
            }
            Input::File(path) => {
                let bytes = match read_capped(&path, options.max_input) {
                    Ok(b) => b,
                    Err(e) => {
                        eprintln!("tensorcalc: cannot read {path}: {e}");
                        runner.worst = 2;
                        break;
                    }
                };
                match runner.decode(&path, bytes, options.max_input)? {
                    Some(t) => (path, t),
                    None => break,
                }
            }
        };
        let stop = runner.run_source(&name, &text)?;
        if stop {
            break;
        }
    }
    Ok(ExitCode::from(runner.worst))
}

/// The columns and lines values and pictures are fitted to: the
/// terminal's, else `COLUMNS` and `LINES`, else 80×24.
pub(crate) fn screen_size() -> (usize, usize) {
    if let Some((terminal_size::Width(w), terminal_size::Height(h))) =
        terminal_size::terminal_size_of(std::io::stdout())
    {
        return (usize::from(w).max(20), usize::from(h).max(6));
    }
    let env = |name: &str, min: usize, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .filter(|&n| n >= min)
            .unwrap_or(default)
    };
    (env("COLUMNS", 20, 80), env("LINES", 6, 24))
}

fn read_capped(path: &str, cap: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(cap as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A source's name and text.
type Named = (String, Arc<str>);

/// The script being run, for the Ctrl-C handler: its name and text, and
/// whether the one line about an interrupt has been written (by the run or
/// by the handler, whichever comes first).
#[derive(Clone, Default)]
struct Interrupts {
    current: Arc<Mutex<Option<Named>>>,
    reported: Arc<AtomicBool>,
}

/// How long a computation has to stop after Ctrl-C before the handler ends
/// the process itself (the bound is 200 ms from the key).
const STOP_GRACE: Duration = Duration::from_millis(100);

/// In a script, Ctrl-C (SIGINT) asks the running computation to stop (the
/// kernels poll the session's cancel token); the script then ends with
/// status 130 after one line naming the statement. A kernel that polls no
/// token (a factorization inside faer, a sort) would finish first, so if the
/// run has not reported the interrupt within `STOP_GRACE`, the handler names
/// the running statement and leaves with 130 itself: in a script the
/// workspace ends with the process either way, and every line already
/// written stays written. A second press leaves at once.
fn install_script_interrupt(session: &Session, interrupts: Interrupts) {
    let cancel = session.cancel_token();
    let running = session.running_statement();
    let pressed = AtomicBool::new(false);
    let _ = ctrlc::set_handler(move || {
        if pressed.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        cancel.request();
        std::thread::sleep(STOP_GRACE);
        if interrupts.reported.swap(true, Ordering::SeqCst) {
            return;
        }
        let current = interrupts.current.lock().ok().and_then(|c| c.clone());
        if let Some((name, text)) = current {
            let at = running.load(Ordering::Relaxed).min(text.len());
            eprintln!("{}", interrupted_line_at(&name, &text, at));
        }
        std::process::exit(130);
    });
}

/// `tensorcalc: interrupted at NAME:LINE: STATEMENT`, the statement's line
/// as written.
fn interrupted_line(name: &str, text: &str, d: &Diagnostic) -> String {
    let at = d
        .labels
        .iter()
        .find(|l| l.primary)
        .map_or(0, |l| l.span.start.min(text.len()));
    interrupted_line_at(name, text, at)
}

/// The same line for the statement at byte `at` of `text`.
fn interrupted_line_at(name: &str, text: &str, at: usize) -> String {
    let at = (0..=at.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[..at].matches('\n').count() + 1;
    format!(
        "tensorcalc: interrupted at {name}:{line}: {}",
        text[start..end].trim()
    )
}

struct Runner {
    session: Session,
    json: bool,
    out_color: bool,
    err_color: bool,
    /// The exit status so far.
    worst: u8,
    /// `--check`: values are written in blocks, not a line at a time (no
    /// statement there computes for long, so nothing waits in the buffer;
    /// it is flushed before every diagnostic and at the end).
    buffered: bool,
    /// Shared with the Ctrl-C handler.
    interrupts: Interrupts,
}

impl Runner {
    /// Checks size and UTF-8; reports and returns `None` if the input is refused.
    fn decode(&mut self, name: &str, bytes: Vec<u8>, cap: usize) -> Result<Option<String>> {
        if bytes.len() > cap {
            eprintln!(
                "tensorcalc: {name} is larger than {} (--max-input)",
                tensorcalc::value::bytes_text(cap as f64)
            );
            self.worst = 2;
            return Ok(None);
        }
        match String::from_utf8(bytes) {
            Ok(t) => Ok(Some(t)),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let valid = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
                let bad = e.as_bytes()[at];
                // Show the line up to the bad byte, then point just past it.
                let d = Diagnostic::error(ErrorKind::Syntax, "the input is not valid UTF-8")
                    .primary(Span::new(at, at + 1), format!("byte 0x{bad:02x} here"))
                    .help("save the file as UTF-8");
                let shown = format!("{valid}?");
                let src = SourceFile {
                    name,
                    text: &shown,
                    first_line: 0,
                };
                self.emit_err(&paint(&render_diagnostic(&d, &src), self.err_color))?;
                self.worst = 2;
                Ok(None)
            }
        }
    }

    fn emit_err(&self, text: &str) -> Result<()> {
        let mut err = std::io::stderr().lock();
        writeln!(err, "{text}")?;
        Ok(())
    }

    /// Runs one source, printing each outcome as it comes; returns whether
    /// to stop (an error without --keep-going).
    fn run_source(&mut self, name: &str, text: &str) -> Result<bool> {
        let src = SourceFile {
            name,
            text,
            first_line: 0,
        };
        if let Ok(mut current) = self.interrupts.current.lock() {
            *current = Some((name.to_string(), Arc::from(text)));
        }
        let reported = self.interrupts.reported.clone();
        let (json, out_color, err_color) = (self.json, self.out_color, self.err_color);
        let worst = &mut self.worst;
        let mut stop = false;
        // A failed write (a closed pipe) stops the run and is returned.
        let mut failed: Option<std::io::Error> = None;
        // Rust's stdout writes each line as it ends: 10 000 system calls for
        // a 10 000-line check, a fifth of its time.
        let mut out: Box<dyn Write> = if self.buffered {
            Box::new(std::io::BufWriter::with_capacity(
                1 << 16,
                std::io::stdout().lock(),
            ))
        } else {
            Box::new(std::io::stdout().lock())
        };
        self.session.run_named(text, name, &mut |session, o| {
            let written = (|| -> std::io::Result<()> {
                match &o {
                    Outcome::Value { .. } if json => {
                        if let Some(line) = session.json(&o) {
                            writeln!(out, "{line}")?;
                        }
                    }
                    Outcome::Value { .. } => {
                        writeln!(out, "{}", paint(&session.render(&o, &src), out_color))?;
                    }
                    Outcome::Text(_) | Outcome::Quit => {}
                    // Ctrl-C: one line naming the statement, then exit 130.
                    Outcome::Diagnostic(d) if d.kind == ErrorKind::Interrupted => {
                        out.flush()?;
                        // Unless the Ctrl-C handler has said it already.
                        if !reported.swap(true, Ordering::SeqCst) {
                            writeln!(
                                std::io::stderr().lock(),
                                "{}",
                                interrupted_line(name, text, d)
                            )?;
                        }
                        *worst = 130;
                        stop = true;
                    }
                    Outcome::Diagnostic(_) => {
                        out.flush()?;
                        let shown = paint(&session.render(&o, &src), err_color);
                        writeln!(std::io::stderr().lock(), "{shown}")?;
                        if let Some(kind) = o.error_kind() {
                            *worst = (*worst).max(kind.exit_code());
                            stop = !session.keep_going;
                        }
                    }
                }
                Ok(())
            })();
            match written {
                Ok(()) => true,
                Err(e) => {
                    failed = Some(e);
                    false
                }
            }
        });
        if let Some(e) = failed {
            return Err(e.into());
        }
        out.flush()?;
        Ok(stop)
    }
}
