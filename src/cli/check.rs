//! `leadspec check DEF.toml...`: load each definition, run its examples, and print every
//! problem as `FILE:LINE:COL: error: MESSAGE` (or `warning:`), followed by the offending
//! line with a caret under the span and the hint, if any, as the caret's label.
//!
//! Diagnostics go to standard output (they are what the command is for), followed by one
//! summary line per file. Exit status 0 when every file loads and every example holds
//! (warnings allowed), 1 when any file has an error or cannot be read.

use std::io::Write;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use leadspec::diagnostic::LineIndex;
use leadspec::{Definition, Diagnostic, Severity};

use super::args::CheckArgs;
use super::{output, read_text, show, Outcome, EXIT_INVALID, EXIT_OK};

/// Renders every diagnostic of one file, in order, as `check` prints them.
pub(crate) fn render_all(path: &str, source: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(source);
    let mut text = String::new();
    for diagnostic in diagnostics {
        render(&mut text, path, source, &index, diagnostic);
    }
    text
}

/// Renders one diagnostic: our own header line, then the source line with a caret under the
/// span (clipped to its first line) labelled with the hint.
fn render(text: &mut String, path: &str, source: &str, index: &LineIndex, d: &Diagnostic) {
    text.push_str(&format!("{path}:{}:{}: {}: {}\n", d.line, d.column, d.severity, d.message));
    let line = index.line_span(source, d.line);
    let line_text = &source[line.clone()];
    if line_text.trim().is_empty() {
        // Nothing to point at (an error about the file as a whole, or at its end).
        if let Some(hint) = &d.hint {
            text.push_str(&format!("  = help: {hint}\n"));
        }
        return;
    }
    let start = char_boundary(source, d.span.start.clamp(line.start, line.end));
    let mut end = char_boundary(source, d.span.end.clamp(start, line.end));
    if end == start && end < line.end {
        // An empty span still gets a caret: under the character it starts at.
        end = start + line_text[start - line.start..].chars().next().map_or(0, char::len_utf8);
    }
    let mut annotation = AnnotationKind::Primary.span(start - line.start..end - line.start);
    if let Some(hint) = &d.hint {
        annotation = annotation.label(hint.as_str());
    }
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let report = [Group::with_level(level)
        .element(Snippet::source(line_text).line_start(d.line).fold(false).annotation(annotation))];
    let rendered = Renderer::plain().render(&report);
    text.push_str(rendered.trim_end_matches('\n'));
    text.push_str("\n\n");
}

/// The nearest character boundary at or before `offset`.
fn char_boundary(source: &str, mut offset: usize) -> usize {
    while offset > 0 && !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

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
        out.write_all(render_all(&name, &source, &diagnostics).as_bytes())?;
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
