//! The prompt: rustyline line editing with a persistent history, completion,
//! hints and highlighting (`helper`). Entries continue on a `..` prompt while
//! brackets are open, and every entry runs in the same session. Errors never
//! end it. Ctrl-C clears the line being typed; during a computation a SIGINT
//! handler trips the session's cancel token, which the kernels check between
//! blocks, so the prompt comes back with the workspace as it was.

mod helper;
#[cfg(unix)]
pub mod signals;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use anyhow::Result;
use colored::Colorize;
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};
use tensorcalc::diagnostic::ErrorKind;
use tensorcalc::kernel::CancelToken;
use tensorcalc::prompt::{Context, is_incomplete};
use tensorcalc::render::{Markup, SourceFile, Style};
use tensorcalc::{Outcome, Session};

use crate::paint::paint;
use helper::PromptHelper;

type LineEditor = Editor<PromptHelper, FileHistory>;

/// What the prompt and its Ctrl-C handler share.
struct Interrupts {
    /// Whether an entry is being evaluated (Ctrl-C then stops it).
    busy: AtomicBool,
    /// Ctrl-C presses during the current evaluation.
    presses: AtomicU32,
    /// The session's token, tripped by Ctrl-C.
    cancel: CancelToken,
}

/// Presses after which a computation that does not stop ends the program.
const PRESSES_TO_LEAVE: u32 = 3;

pub fn run(session: &mut Session, out_color: bool, err_color: bool) -> Result<ExitCode> {
    #[cfg(unix)]
    signals::leave_on_term_or_hup();
    println!(
        "tensorcalc {}: type :help for help, Tab to complete, Ctrl-D to leave",
        env!("CARGO_PKG_VERSION")
    );
    let interrupts = Arc::new(Interrupts {
        busy: AtomicBool::new(false),
        presses: AtomicU32::new(0),
        cancel: session.cancel_token(),
    });
    install_interrupt_handler(interrupts.clone());
    session.evaluator.set_source_name("<prompt>");
    let config = Config::builder()
        .auto_add_history(false)
        .completion_type(CompletionType::List)
        .max_history_size(10_000)?
        .history_ignore_dups(true)?
        .build();
    let mut editor: LineEditor = Editor::with_config(config)?;
    editor.set_helper(Some(PromptHelper::new(out_color)));
    let mut history = History::open(&mut editor);
    loop {
        if let Some(h) = editor.helper_mut() {
            h.ctx = Context::of(session);
        }
        let Some(entry) = read_entry(&mut editor, out_color)? else {
            break;
        };
        if entry.trim().is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(entry.trim_end());
        // Saved before running, so that the entry is kept even if the
        // computation has to be abandoned with repeated Ctrl-C.
        history.append(&mut editor);
        // The terminal may have been resized since the last entry.
        (session.format.width, session.format.height) = crate::screen_size();
        interrupts.presses.store(0, Ordering::SeqCst);
        interrupts.busy.store(true, Ordering::SeqCst);
        let outcomes = session.eval_entry(&entry);
        interrupts.busy.store(false, Ordering::SeqCst);
        if show(session, &entry, &outcomes, out_color, err_color) {
            break;
        }
    }
    history.append(&mut editor);
    Ok(ExitCode::SUCCESS)
}

/// Reads one entry, over several lines while brackets are open. `None` at
/// Ctrl-D; an empty entry after Ctrl-C.
fn read_entry(editor: &mut LineEditor, color: bool) -> Result<Option<String>> {
    let mut entry = String::new();
    loop {
        let raw = if entry.is_empty() { ">> " } else { ".. " };
        let styled = if color {
            raw.green().bold().to_string()
        } else {
            raw.to_string()
        };
        match editor.readline(&(raw, styled.as_str())) {
            Ok(line) => {
                if !entry.is_empty() {
                    entry.push('\n');
                }
                entry.push_str(&line);
                if !is_incomplete(&entry) {
                    return Ok(Some(entry));
                }
            }
            Err(ReadlineError::Interrupted) => return Ok(Some(String::new())),
            Err(ReadlineError::Eof) => return Ok(None),
            Err(e) => return Err(e.into()),
        }
    }
}

/// Prints the outcomes; returns whether to leave.
fn show(
    session: &Session,
    entry: &str,
    outcomes: &[Outcome],
    out_color: bool,
    err_color: bool,
) -> bool {
    let src = SourceFile {
        name: "<prompt>",
        text: entry,
        first_line: 0,
    };
    for o in outcomes {
        let text = session.render(o, &src);
        match o {
            Outcome::Value { .. } | Outcome::Text(_) => {
                let _ = writeln!(std::io::stdout(), "{}", paint(&text, out_color));
            }
            // Where a computation stood when it was stopped is of no use:
            // one line says what happened.
            Outcome::Diagnostic(d) if d.kind == ErrorKind::Interrupted => {
                let mut m = Markup::new();
                m.push(Style::Warning, d.message.as_str());
                // A loop at the top level keeps what its finished
                // iterations assigned; anything else changed nothing.
                m.push(
                    Style::Dim,
                    if d.message.contains("iteration") {
                        ": stopped by Ctrl-C; what the finished statements assigned is kept"
                    } else {
                        ": stopped by Ctrl-C; the workspace is as it was"
                    },
                );
                let _ = writeln!(std::io::stderr(), "{}", paint(&m, err_color));
            }
            Outcome::Diagnostic(_) => {
                let _ = std::io::stdout().flush();
                let _ = writeln!(std::io::stderr(), "{}", paint(&text, err_color));
            }
            Outcome::Quit => return true,
        }
    }
    let _ = std::io::stdout().flush();
    false
}

/// Ctrl-C while an entry runs asks the kernels to stop. The handler runs on
/// its own thread (the `ctrlc` crate), so it acts while the computation is
/// busy. If a computation ignores three presses, the program leaves; the
/// history is already saved.
fn install_interrupt_handler(shared: Arc<Interrupts>) {
    let result = ctrlc::set_handler(move || {
        if !shared.busy.load(Ordering::SeqCst) {
            return;
        }
        shared.cancel.request();
        if shared.presses.fetch_add(1, Ordering::SeqCst) + 1 >= PRESSES_TO_LEAVE {
            eprintln!(
                "\ntensorcalc: the computation did not stop after {PRESSES_TO_LEAVE} Ctrl-C; leaving"
            );
            std::process::exit(130);
        }
    });
    if let Err(e) = result {
        eprintln!(
            "tensorcalc: warning: Ctrl-C will end the program rather than a computation ({e})"
        );
    }
}

/// The history file: where it is, and whether writing it still works.
struct History {
    path: Option<PathBuf>,
}

impl History {
    /// `TENSORCALC_HISTORY`, else `$XDG_DATA_HOME/tensorcalc/history`, else
    /// `~/.local/share/tensorcalc/history`.
    fn path() -> Option<PathBuf> {
        let var = |name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        if let Some(p) = var("TENSORCALC_HISTORY") {
            return Some(p);
        }
        let data = var("XDG_DATA_HOME")
            .filter(|p| p.is_absolute())
            .or_else(|| var("HOME").map(|h| h.join(".local/share")))?;
        Some(data.join("tensorcalc").join("history"))
    }

    /// Loads the history; any problem is one line on stderr.
    fn open(editor: &mut LineEditor) -> History {
        let Some(path) = History::path() else {
            warn(
                "no home directory, so the history is not kept (set TENSORCALC_HISTORY to keep it)",
            );
            return History { path: None };
        };
        if !path.exists() {
            warn(&format!(
                "no history yet; it will be kept in {}",
                path.display()
            ));
            return History { path: Some(path) };
        }
        if let Err(e) = editor.load_history(&path) {
            // The file is left as it is (it may be someone's data): this
            // session keeps its history in memory only.
            warn(&format!(
                "cannot read the history {}: {}; this session's history is not saved",
                path.display(),
                reason(&e)
            ));
            return History { path: None };
        }
        History { path: Some(path) }
    }

    /// Appends the new entries; after a failure, says so once and stops trying.
    fn append(&mut self, editor: &mut LineEditor) {
        let Some(path) = &self.path else { return };
        let result = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => {
                std::fs::create_dir_all(dir).map_err(ReadlineError::from)
            }
            _ => Ok(()),
        }
        .and_then(|()| save_atomically(editor, path));
        if let Err(e) = result {
            warn(&format!(
                "cannot save the history to {}: {}",
                path.display(),
                reason(&e)
            ));
            self.path = None;
        }
    }
}

/// Writes the whole history to a temporary file beside `path`, then renames
/// it over `path`: a write that fails midway (disk full, a signal) leaves
/// the old file as it was. (Entries other sessions appended meanwhile are
/// replaced by this session's list, which holds what it loaded.)
fn save_atomically(editor: &mut LineEditor, path: &Path) -> rustyline::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(name);
    // Nothing new (a repeated entry) writes nothing, so there is nothing
    // to rename.
    let written = editor.save_history(&tmp).and_then(|()| match tmp.exists() {
        true => std::fs::rename(&tmp, path).map_err(ReadlineError::from),
        false => Ok(()),
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn reason(e: &ReadlineError) -> String {
    match e {
        ReadlineError::Io(io) => match io.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".into(),
            std::io::ErrorKind::PermissionDenied => "permission denied".into(),
            std::io::ErrorKind::IsADirectory => "it is a directory".into(),
            std::io::ErrorKind::InvalidData => "it is not UTF-8 text".into(),
            _ => io.to_string(),
        },
        other => other.to_string(),
    }
}

fn warn(message: &str) {
    eprintln!("tensorcalc: {message}");
}
