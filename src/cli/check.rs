//! `leadspec check DEF.toml...`: load each definition, run its examples, and print every
//! problem as `FILE:LINE:COL: error: MESSAGE` (or `warning:`), followed by the offending
//! line with a caret under the span and the hint, if any, as the caret's label.
//!
//! Diagnostics go to standard output (they are what the command is for), followed by one
//! summary line per file. Exit status 0 when every file loads and every example holds
//! (warnings allowed), 1 when any file has an error or cannot be read.
//!
//! `--analyze` adds the diagnostics of [`Definition::analyze`] (warnings and notes, which
//! never change the exit status); `--witnesses` prints each stage's witness record as a
//! JSON line `{"stage":"<id>","record":{...}}` on standard output, and then sends the
//! diagnostics and summaries to standard error so that standard output holds only JSON.

use std::io::{self, Write};

use leadspec::{Definition, Diagnostic, Record, Severity, Value};

use super::args::CheckArgs;
use super::{output, read_text, show, Outcome, EXIT_INVALID, EXIT_OK};

/// Checks every file; see the module documentation.
pub(crate) fn run(args: &CheckArgs) -> Outcome {
    let now = args.now.get();
    let mut stdout = output::stdout();
    let mut stderr = io::BufWriter::new(io::stderr().lock());
    let mut failed = false;
    for path in &args.files {
        let name = show(path);
        let mut witness_lines = Vec::new();
        let source = match read_text(path) {
            Ok(source) => source,
            Err(message) => {
                let out: &mut dyn Write = if args.witnesses { &mut stderr } else { &mut stdout };
                writeln!(out, "{name}: error: {message}")?;
                failed = true;
                continue;
            }
        };
        let (diagnostics, summary) = match Definition::from_toml(&source) {
            Err(error) => {
                let errors = error.errors().count();
                let warnings = error.diagnostics.len() - errors;
                (error.diagnostics, format!("{name}: {}{}", count(errors, "error"), warnings_note(warnings)))
            }
            Ok(definition) => {
                let checks = definition.run_examples(now);
                let mut diagnostics: Vec<Diagnostic> = definition.warnings().to_vec();
                diagnostics.extend(checks.iter().filter_map(|c| c.to_diagnostic()));
                if args.analyze {
                    let analysis = definition.analyze(now);
                    diagnostics.extend(analysis.diagnostics());
                    if args.witnesses {
                        for (stage, record) in analysis.witnesses() {
                            let Some(stage) = definition.stage_at(stage) else { continue };
                            let line = witness_line(stage.id(), record);
                            // The line as `classify` reads it must reach the stage too.
                            if reads_back(&definition, &line, stage.index(), now) {
                                witness_lines.push(line);
                            }
                        }
                    }
                }
                // In the order of the file; at one place, the more serious first.
                diagnostics.sort_by_key(|d| (d.span.start, std::cmp::Reverse(d.severity)));
                let failures = checks.iter().filter(|c| !c.passed()).count();
                let warnings = diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
                let notes = diagnostics.iter().filter(|d| d.severity == Severity::Note).count();
                let summary = if failures == 0 {
                    let examples = match checks.len() {
                        0 => "no examples".to_string(),
                        n => format!("{} passed", count(n, "example")),
                    };
                    format!(
                        "{name}: ok ({}, {examples}{}{})",
                        count(definition.stages().len(), "stage"),
                        warnings_note(warnings),
                        notes_note(notes)
                    )
                } else {
                    format!(
                        "{name}: {} of {} failed{}{}",
                        count(failures, "example"),
                        checks.len(),
                        warnings_note(warnings),
                        notes_note(notes)
                    )
                };
                (diagnostics, summary)
            }
        };
        failed |= diagnostics.iter().any(Diagnostic::is_error);
        for line in &witness_lines {
            writeln!(stdout, "{line}")?;
        }
        let out: &mut dyn Write = if args.witnesses { &mut stderr } else { &mut stdout };
        for diagnostic in &diagnostics {
            out.write_all(diagnostic.render(&name, &source).as_bytes())?;
        }
        writeln!(out, "{summary}")?;
    }
    stdout.flush()?;
    stderr.flush()?;
    Ok(if failed { EXIT_INVALID } else { EXIT_OK })
}

/// `1 error`, `2 errors`.
fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn warnings_note(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {}", count(n, "warning"))
    }
}

fn notes_note(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {}", count(n, "note"))
    }
}

/// `{"stage":"<id>","record":{...}}`, the record's keys in its order and whole numbers
/// written without a fraction.
fn witness_line(stage: &str, record: &Record) -> String {
    let json = |v: &Value| match v {
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => format!("{}", *n as i64),
        other => serde_json::to_string(other).unwrap_or_else(|_| "null".to_string()),
    };
    let fields: Vec<String> =
        record.iter().map(|(key, value)| format!("{}:{}", serde_json::Value::from(key), json(value))).collect();
    format!("{{\"stage\":{},\"record\":{{{}}}}}", serde_json::Value::from(stage), fields.join(","))
}

/// Whether the record of a witness line, read as `classify` reads a JSON line, is
/// classified into `stage`.
fn reads_back(
    definition: &Definition,
    line: &str,
    stage: leadspec::StageIndex,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else { return false };
    let Some(record) = value.get("record") else { return false };
    let Ok(prepared) = definition.prepare_from(record) else { return false };
    definition.stage_of(&prepared, now).ok().flatten() == Some(stage)
}
