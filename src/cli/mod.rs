//! The command line, one module per command, plus the shared plumbing: reading inputs
//! ([`input`]), writing outputs ([`output`]), loading definitions and the exit statuses.
//!
//! Exit statuses, as the contract gives them: 0 success; 1 a definition is invalid (or,
//! for `check`, a file cannot be read); 2 usage or I/O error (bad arguments, a bad `--now`,
//! a file that cannot be read, an unknown stage named on the command line); 3 some input
//! records or history lines could not be read (all others still processed); 4 `translate`
//! found no counterpart; 5 `move` refused. A broken pipe on standard output (`| head`)
//! ends the command quietly with status 0.

mod args;
mod check;
mod classify;
mod diff;
mod explain;
mod fmt;
mod funnel;
mod glossary;
mod history;
mod input;
mod jobs;
mod moves;
mod output;
mod progress;
mod sla;
mod sql;
mod translate;
mod waterfall;

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

use clap::Parser;
use leadspec::{Definition, Record, StageIndex};

use args::{Cli, Command, DefinitionArg};

/// Success.
pub(crate) const EXIT_OK: i32 = 0;
/// A definition is invalid.
pub(crate) const EXIT_INVALID: i32 = 1;
/// Usage or I/O error.
pub(crate) const EXIT_USAGE: i32 = 2;
/// Some records or lines could not be read.
pub(crate) const EXIT_UNREADABLE: i32 = 3;
/// `translate`: no counterpart.
pub(crate) const EXIT_NO_COUNTERPART: i32 = 4;
/// `move`: refused.
pub(crate) const EXIT_REFUSED: i32 = 5;

/// Why a command stopped early.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Standard output was closed (a broken pipe): stop without a word.
    Quiet,
    /// Print `leadspec: error: MESSAGE` on standard error and exit with this status.
    Message(i32, String),
    /// Everything was already reported; exit with this status.
    Reported(i32),
}

impl Failure {
    /// A usage or I/O error (status 2) with this message.
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure::Message(EXIT_USAGE, message.into())
    }
}

impl From<io::Error> for Failure {
    /// An error writing standard output: quiet for a broken pipe, status 2 otherwise.
    fn from(error: io::Error) -> Failure {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Failure::Quiet
        } else {
            Failure::usage(format!("cannot write the output: {error}"))
        }
    }
}

impl From<leadspec::ForeignRecord> for Failure {
    /// A record read for one definition given to another: a mistake of the command line
    /// itself, reported rather than counted wrongly (status 2).
    fn from(error: leadspec::ForeignRecord) -> Failure {
        Failure::usage(format!("internal error: {error}"))
    }
}

/// What a command returns: its exit status, or why it stopped.
pub(crate) type Outcome = Result<i32, Failure>;

/// Parses the arguments, runs the command and returns the exit status. Never panics on
/// any input; usage errors exit with 2 (help and version with 0).
pub(crate) fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout, errors to stderr; a closed pipe is no error.
            let _ = error.print();
            return if error.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    let outcome = match cli.command {
        Command::Check(a) => check::run(&a),
        Command::Classify(a) => classify::run(&a),
        Command::Explain(a) => explain::run(&a),
        Command::Funnel(a) => funnel::run(&a),
        Command::Fmt(a) => fmt::run(&a),
        Command::Diff(a) => diff::run(&a),
        Command::Glossary(a) => glossary::run(&a),
        Command::Translate(a) => translate::run(&a),
        Command::Move(a) => moves::run(&a),
        Command::Sla(a) => sla::run(&a),
        Command::Waterfall(a) => waterfall::run(&a),
        Command::Lsp(_) => lsp(),
        Command::Sql(a) => sql::run(&a),
    };
    match outcome {
        Ok(code) => code,
        Err(Failure::Quiet) => EXIT_OK,
        Err(Failure::Reported(code)) => code,
        Err(Failure::Message(code, message)) => {
            let _ = writeln!(io::stderr().lock(), "leadspec: error: {message}");
            code
        }
    }
}

/// `leadspec lsp`: the language server of the library, on standard input and output.
fn lsp() -> Outcome {
    leadspec::lsp::run_stdio().map(|()| EXIT_OK).map_err(|error| Failure::Message(EXIT_INVALID, error.to_string()))
}

/// The display form of a path in messages.
pub(crate) fn show(path: &Path) -> Cow<'_, str> {
    path.to_string_lossy()
}

/// Reads a text file (or standard input for `-`) whole, as UTF-8 (with the library's
/// messages for text that is not).
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::Read::read_to_end(&mut io::stdin().lock(), &mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", show(path)))?
    };
    leadspec::decode_utf8(&show(path), bytes).map_err(|e| e.to_string())
}

/// Loads the definition at `path` (`-`: standard input). An unreadable file is a usage/I/O
/// error (status 2); an invalid definition has its diagnostics printed on standard error
/// (as `check` prints them) and gives status 1.
pub(crate) fn load_definition_file(path: &Path) -> Result<Definition, Failure> {
    let rendered = if path.as_os_str() == "-" {
        let source = read_text(path).map_err(Failure::usage)?;
        match Definition::from_toml(&source) {
            Ok(definition) => return Ok(definition),
            Err(error) => error.render(&show(path), &source),
        }
    } else {
        match Definition::from_path(path) {
            Ok(definition) => return Ok(definition),
            Err(error) if error.load_error().is_some() => error.render(),
            Err(error) => return Err(Failure::usage(error.to_string())),
        }
    };
    let _ = io::stderr().lock().write_all(rendered.as_bytes());
    Err(Failure::Reported(EXIT_INVALID))
}

/// The definition of `--definition`, or the embedded default one.
pub(crate) fn load_definition(arg: &DefinitionArg) -> Result<Cow<'static, Definition>, Failure> {
    match &arg.definition {
        Some(path) => load_definition_file(path).map(Cow::Owned),
        None => Ok(Cow::Borrowed(leadspec::default_definition())),
    }
}

/// Reads one record from a JSON file holding one object (`-`: standard input).
pub(crate) fn read_record_file(path: &Path) -> Result<Record, Failure> {
    let text = read_text(path).map_err(Failure::usage)?;
    serde_json::from_str::<Record>(&text)
        .map_err(|e| Failure::usage(format!("`{}` does not hold one JSON object: {e}", show(path))))
}

/// Finds a stage named on the command line: by id, else by alias or display name. An unknown
/// name is a usage error (status 2) with a did-you-mean hint.
pub(crate) fn find_stage(definition: &Definition, word: &str) -> Result<StageIndex, Failure> {
    definition.find_stage(word).ok_or_else(|| {
        let hint = match definition.similar_stage(word) {
            Some(best) => format!(" (did you mean `{}`?)", best.id()),
            None => {
                let all: Vec<String> = definition.stages().iter().map(|s| format!("`{}`", s.id())).collect();
                format!("; its stages are {}", all.join(", "))
            }
        };
        Failure::usage(format!("no stage `{word}` in `{}`{hint}", definition.name()))
    })
}
