//! Reading stage histories for `sla` and `waterfall`: one JSON object per line,
//! `{"id":"L1","stage":"mql","at":"<RFC 3339>"}`, in any order.
//!
//! `id` is a string (a number is taken as its text); `stage` a stage id of the definition;
//! `at` an RFC 3339 date-time (a plain `YYYY-MM-DD` is taken as 00:00 UTC). Blank lines are
//! skipped. A line that is not UTF-8, not a JSON object, lacks a key, has a value of the
//! wrong kind or names a stage the definition lacks is unreadable: it is reported on
//! standard error as `FILE:LINE: error: MESSAGE`, in line order, and the other lines are
//! still used.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::Path;

use leadspec::history::UnknownStage;
use leadspec::{Definition, Limits, StageChange};
use serde_json::Value;

use super::input::{JsonLines, Line};
use super::progress::Progress;
use super::{show, Failure};

/// The readable changes of a history, and the lines that could not be read.
pub(crate) struct History {
    /// The changes, in input order.
    pub(crate) changes: Vec<StageChange>,
    /// The 1-based line of each change, by position in `changes`.
    pub(crate) lines: Vec<usize>,
    /// The lines that could not be read: line number and reason.
    pub(crate) errors: Vec<(usize, String)>,
}

/// Reads a history file (`-`: standard input).
pub(crate) fn read(path: &Path) -> Result<History, Failure> {
    let name = show(path).into_owned();
    let reader: Box<dyn io::BufRead> = if path.as_os_str() == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        let file = File::open(path).map_err(|e| Failure::usage(format!("cannot read `{name}`: {e}")))?;
        Box::new(BufReader::with_capacity(64 << 10, file))
    };
    let mut lines = JsonLines::new(reader, &Limits::default());
    let mut history = History { changes: Vec::new(), lines: Vec::new(), errors: Vec::new() };
    // Unreadable lines are reported after reading, so nothing else is written meanwhile.
    let mut progress = Progress::on_stderr("lines", false);
    loop {
        progress.tick();
        let line = lines.next_line().map_err(|e| Failure::usage(format!("cannot read `{name}`: {e}")))?;
        match line {
            None => break,
            Some(Line::Bad(number, message, _)) => history.errors.push((number, message)),
            Some(Line::Text(text, number)) => match parse_change(text) {
                Ok(change) => {
                    history.changes.push(change);
                    history.lines.push(number);
                }
                Err(message) => history.errors.push((number, message)),
            },
        }
    }
    progress.finish();
    Ok(history)
}

impl History {
    /// Reports every unreadable line on standard error, in line order, with the changes
    /// that name a stage the definition lacks (`unknown`, positions into `changes`) given a
    /// did-you-mean hint. Returns how many lines were unreadable.
    pub(crate) fn report(&mut self, path: &Path, definition: &Definition, unknown: &[UnknownStage]) -> usize {
        for u in unknown {
            let hint = leadspec::diagnostic::did_you_mean(&u.change.stage, definition.stages().iter().map(|s| s.id()))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let line = self.lines.get(u.position).copied().unwrap_or(0);
            self.errors.push((line, format!("unknown stage `{}`{hint}", u.change.stage)));
        }
        self.errors.sort_by_key(|(line, _)| *line);
        let name = show(path);
        let mut stderr = io::stderr().lock();
        for (line, message) in &self.errors {
            let _ = writeln!(stderr, "{name}:{line}: error: {message}");
        }
        self.errors.len()
    }
}

/// One history line as a stage change.
fn parse_change(text: &str) -> Result<StageChange, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        format!("not valid JSON: {}", message.strip_suffix(&suffix).unwrap_or(&message))
    })?;
    let Value::Object(map) = value else {
        return Err("not a JSON object".to_string());
    };
    let get = |key: &str| map.get(key).filter(|v| !v.is_null()).ok_or_else(|| format!("missing key `{key}`"));
    let lead = match get("id")? {
        Value::String(s) if !s.trim().is_empty() => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err("`id` is not a string or a number".to_string()),
    };
    let stage = match get("stage")? {
        Value::String(s) => s.clone(),
        _ => return Err("`stage` is not a string".to_string()),
    };
    let at = match get("at")? {
        Value::String(s) => {
            leadspec::parse_reference_time(s).ok_or_else(|| format!("`at` is not an RFC 3339 date-time: `{s}`"))?
        }
        _ => return Err("`at` is not a string".to_string()),
    };
    Ok(StageChange { lead, stage, at })
}
