//! `leadspec sql [--definition DEF.toml] --dialect D [--table T] [--now TIME]`: the
//! definition as one SQL query ([`leadspec::Definition::to_sql`]).
//!
//! Prints the query on standard output (status 0). A construct the dialect cannot write
//! exactly is reported as `check` reports problems, `FILE:LINE:COL: error: ...` with the
//! line and a caret, on standard error (status 1); an invalid definition likewise.

use std::io::Write;

use leadspec::{Diagnostic, DiagnosticCode, Severity, SqlError, SqlOptions};

use super::args::SqlArgs;
use super::{load_definition_file, output, read_text, show, Failure, Outcome, EXIT_INVALID, EXIT_OK};

/// Writes the query; see the module documentation.
pub(crate) fn run(args: &SqlArgs) -> Outcome {
    let (definition, name, source) = match &args.definition.definition {
        // Standard input is read once, and kept for the positions of refusals.
        Some(path) if path.as_os_str() == "-" => {
            let source = read_text(path).map_err(Failure::usage)?;
            match leadspec::Definition::from_toml(&source) {
                Ok(definition) => (std::borrow::Cow::Owned(definition), show(path).into_owned(), source),
                Err(error) => {
                    let _ = std::io::stderr().lock().write_all(error.render(&show(path), &source).as_bytes());
                    return Err(Failure::Reported(EXIT_INVALID));
                }
            }
        }
        Some(path) => {
            let definition = load_definition_file(path)?;
            let source = read_text(path).unwrap_or_default();
            (std::borrow::Cow::Owned(definition), show(path).into_owned(), source)
        }
        None => (
            std::borrow::Cow::Borrowed(leadspec::default_definition()),
            "<default definition>".to_string(),
            leadspec::DEFAULT_DEFINITION_TOML.to_string(),
        ),
    };
    let mut options = SqlOptions::new().table(args.table.clone());
    if let Some(now) = args.now {
        options = options.now(now);
    }
    match definition.to_sql(args.dialect, &options) {
        Ok(query) => {
            let mut out = output::stdout();
            writeln!(out, "{query}")?;
            out.flush()?;
            Ok(EXIT_OK)
        }
        Err(error) => {
            let text = diagnostic(&error, &source).render(&name, &source);
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            Err(Failure::Reported(EXIT_INVALID))
        }
    }
}

/// The refusal as a diagnostic at its place in `source`: the position of a rule's leaf,
/// or the value of the key it names (found through `toml_edit`, which keeps spans).
fn diagnostic(error: &SqlError, source: &str) -> Diagnostic {
    let offset = match (error.position, &error.key) {
        (Some((line, column)), _) => offset_of(source, line, column),
        (None, Some(key)) => key_offset(source, key).unwrap_or(0),
        (None, None) => 0,
    };
    let (line, column) = line_column(source, offset);
    Diagnostic {
        severity: Severity::Error,
        code: DiagnosticCode::SqlUnsupported,
        message: error.message.clone(),
        span: offset..offset,
        line,
        column,
        hint: error.hint.clone(),
    }
}

/// The byte offset of a 1-based line and character column.
fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let start: usize = source.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = source.get(start..).unwrap_or_default();
    start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
}

/// The 1-based line and character column of a byte offset.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = source.get(..offset).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    (line, column)
}

/// Where the value of `key` (a path of table keys) starts in `source`: the deepest part of
/// the path that is written.
fn key_offset(source: &str, key: &[String]) -> Option<usize> {
    let document = toml_edit::Document::parse(source).ok()?;
    let mut item = document.as_item();
    let mut found = None;
    for part in key {
        let Some(table) = item.as_table_like() else { break };
        let Some((k, next)) = table.get_key_value(part) else { break };
        found = next.span().or_else(|| k.span()).map(|s| s.start).or(found);
        item = next;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_offsets_agree() {
        let source = "a = 1\nbé = \"x\"\n";
        assert_eq!(offset_of(source, 2, 3), 9);
        assert_eq!(line_column(source, 9), (2, 3));
        assert_eq!(
            key_offset("[input]\ntimezone = \"Europe/Paris\"\n", &["input".into(), "timezone".into()]),
            Some(19)
        );
    }
}
