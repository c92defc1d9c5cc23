//! `leadspec check DEF.toml...`: load each definition, run its examples, and print every
//! problem as `FILE:LINE:COL: error: MESSAGE` (or `warning:`), followed by the offending
//! line with a caret under the span and the hint, if any, as the caret's label.
//!
//! Diagnostics go to standard output (they are what the command is for), followed by one
//! summary line per file. Exit status 0 when every file loads and every example holds
//! (warnings allowed), 1 when any file has an error or cannot be read.

use std::io::Write;

use leadspec::{Definition, Diagnostic};

use super::args::CheckArgs;
use super::{output, read_text, show, Outcome, EXIT_INVALID, EXIT_OK};

/// Checks every file; see the module documentation.
pub(crate) fn run(args: &CheckArgs) -> Outcome {
    let now = args.now.get();
    let mut out = output::stdout();
    let mut failed = false;
    for path in &args.files {
        let name = show(path);
        let source = match read_text(path) {
            Ok(source) => source,
            Err(message) => {
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
                diagnostics.sort_by_key(|d| d.span.start);
                let failures = checks.iter().filter(|c| !c.passed()).count();
                let warnings = definition.warnings().len();
                let summary = if failures == 0 {
                    let examples = match checks.len() {
                        0 => "no examples".to_string(),
                        n => format!("{} passed", count(n, "example")),
                    };
                    format!(
                        "{name}: ok ({}, {examples}{})",
                        count(definition.stages().len(), "stage"),
                        warnings_note(warnings)
                    )
                } else {
                    format!(
                        "{name}: {} of {} failed{}",
                        count(failures, "example"),
                        checks.len(),
                        warnings_note(warnings)
                    )
                };
                (diagnostics, summary)
            }
        };
        failed |= diagnostics.iter().any(Diagnostic::is_error);
        for diagnostic in &diagnostics {
            out.write_all(diagnostic.render(&name, &source).as_bytes())?;
        }
        writeln!(out, "{summary}")?;
    }
    out.flush()?;
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
