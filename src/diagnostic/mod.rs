//! Positioned problems found while loading a definition.
//!
//! Every problem carries a stable [`DiagnosticCode`] saying what kind of problem it is, a
//! byte [`Span`] into the TOML source, the 1-based line and column (counted in characters)
//! where it starts, and an optional hint such as ``did you mean `owner`?``. Loading
//! collects all of them, not only the first. With the feature `render`, each prints with
//! its source line and a caret, as `leadspec check` prints it. A definition read from a
//! file fails with a [`FileError`], which also names the file.

use std::fmt;
use std::ops::Range;

mod code;
mod file;
mod hint;
#[cfg(feature = "render")]
mod render;

pub use code::DiagnosticCode;
pub use file::{decode_utf8, FileError};
pub(crate) use hint::{did_you_mean, hint_for, load_hint_work, HintBudget};

/// A byte range into the source text of a definition.
///
/// ```
/// let source = "[definition]\nname = \"x\"\n[teams]\nsales = \"Sales\"\n[[stages]]\nid = \"a\"\nowner = \"sales\"\nwhen = \"budgett >= 1\"\n";
/// let err = leadspec::Definition::from_toml(source).unwrap_err();
/// let span = err.diagnostics[0].span.clone();
/// assert_eq!(&source[span], "budgett"); // the unknown field, inside its rule
/// ```
pub type Span = Range<usize>;

/// How serious a [`Diagnostic`] is.
///
/// ```
/// use leadspec::Severity;
/// assert!(Severity::Error > Severity::Warning);
/// assert_eq!(Severity::Warning.to_string(), "warning");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something to know, not a problem: what `leadspec check --analyze` cannot decide, or
    /// what no example exercises.
    Note,
    /// Worth a look, but the definition still loads.
    Warning,
    /// The definition cannot be loaded.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem found in a definition, with its position in the file.
///
/// ```
/// use leadspec::{DiagnosticCode, Severity};
/// let err = leadspec::Definition::from_toml(
///     "[definition]\nname = \"x\"\n[teams]\nsales = \"Sales\"\n[[stages]]\nid = \"a\"\nowner = \"sale\"\nwhen = \"true\"\n",
/// ).unwrap_err();
/// let problem = &err.diagnostics[0];
/// assert!(problem.is_error());
/// assert_eq!((problem.severity, problem.code), (Severity::Error, DiagnosticCode::UnknownTeam));
/// assert_eq!((problem.line, problem.column), (7, 9));
/// assert_eq!(problem.hint.as_deref(), Some("did you mean `sales`?"));
/// assert_eq!(problem.to_string(), format!("7:9: error: {} (did you mean `sales`?)", problem.message));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem this is, stable across versions: match on it rather than on
    /// the message.
    pub code: DiagnosticCode,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
    /// Byte range in the source that the problem points at.
    pub span: Span,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, counted in characters.
    pub column: usize,
    /// A suggestion, such as ``did you mean `owner`?``.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// Whether this diagnostic prevents loading.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `LINE:COL: error: message (hint)`, the form used by `leadspec check` after the file name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: {}", self.line, self.column, self.severity, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// The error returned when a definition does not load: every problem found.
///
/// `diagnostics` holds the errors and any warnings, in source order.
///
/// ```
/// let err = leadspec::Definition::from_toml("[definition]\nnmae = \"x\"\n").unwrap_err();
/// assert_eq!(err.errors().count(), 3); // the unknown key `nmae`, and no `[teams]` and no stages
/// assert!(err.errors().any(|d| d.message.contains("`nmae`")));
/// // Its `Display` is the first error and how many more there are.
/// assert_eq!(err.to_string(), "1:1: error: missing key `teams` in the definition file (and 2 more errors)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.diagnostics))]
pub struct LoadError {
    /// Every problem found, errors and warnings, ordered by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// The diagnostics that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    match errors.as_slice() {
        [] => "the definition could not be loaded".to_string(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more errors)", rest.len()),
    }
}

/// Maps byte offsets of a source text to 1-based lines and character columns.
///
/// Finding a position takes a binary search and counts at most a few kilobytes of
/// characters, however long the line: a file of many problems on one long line costs time
/// in proportion to the number of problems, not to their number times the line's length.
#[derive(Clone, Debug)]
pub(crate) struct LineIndex {
    line_starts: Vec<usize>,
    /// For each [`CHUNK`] bytes of the source, how many characters come before the start of
    /// the character holding that byte.
    chars_before_chunk: Vec<usize>,
    /// The length of the source indexed.
    len: usize,
}

/// How many bytes of source one entry of `LineIndex::chars_before_chunk` covers.
const CHUNK: usize = 1024;

impl LineIndex {
    /// Indexes the line starts of `source`.
    pub fn new(source: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_before_chunk = Vec::with_capacity(source.len() / CHUNK + 1);
        let (mut counted_to, mut chars) = (0, 0);
        for mark in (0..=source.len()).step_by(CHUNK) {
            let at = floor_char_boundary(source, mark);
            chars += source[counted_to..at].chars().count();
            counted_to = at;
            chars_before_chunk.push(chars);
        }
        LineIndex { line_starts, chars_before_chunk, len: source.len() }
    }

    /// The 1-based (line, column) of byte `offset`; the column counts characters.
    ///
    /// An offset past the end or inside a character is clamped to a valid position.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(source.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let end = floor_char_boundary(source, offset);
        let column = self.chars_before(source, end) - self.chars_before(source, start) + 1;
        (line, column)
    }

    /// How many characters of `source` come before byte `at`, a character boundary.
    fn chars_before(&self, source: &str, at: usize) -> usize {
        let mark = match self.chars_before_chunk.get(at / CHUNK) {
            // An index of another text: count from its start.
            _ if self.len != source.len() => (0, 0),
            Some(&chars) => (floor_char_boundary(source, at / CHUNK * CHUNK), chars),
            None => (0, 0),
        };
        let (from, chars) = mark;
        crate::work::add((at - from) as u64);
        chars + source[from..at].chars().count()
    }

    /// The byte range of the 1-based `line`, without its line break.
    #[cfg(test)]
    pub fn line_span(&self, source: &str, line: usize) -> Span {
        let start = self.line_starts.get(line.saturating_sub(1)).copied().unwrap_or(source.len());
        let end = self.line_starts.get(line).map(|&s| s - 1).unwrap_or(source.len());
        let end = if end > start && source.as_bytes().get(end - 1) == Some(&b'\r') { end - 1 } else { end };
        start..end.max(start)
    }
}

/// Collects diagnostics against one source text, computing lines and columns.
#[derive(Debug)]
pub(crate) struct Diagnostics<'s> {
    source: &'s str,
    index: LineIndex,
    list: Vec<Diagnostic>,
}

impl<'s> Diagnostics<'s> {
    pub(crate) fn new(source: &'s str) -> Self {
        Diagnostics { source, index: LineIndex::new(source), list: Vec::new() }
    }

    pub(crate) fn push(
        &mut self,
        severity: Severity,
        code: DiagnosticCode,
        span: Span,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let span =
            span.start.min(self.source.len())..span.end.min(self.source.len()).max(span.start.min(self.source.len()));
        let (line, column) = self.index.line_col(self.source, span.start);
        self.list.push(Diagnostic { severity, code, message: message.into(), span, line, column, hint });
    }

    pub(crate) fn error(&mut self, code: DiagnosticCode, span: Span, message: impl Into<String>) {
        self.push(Severity::Error, code, span, message, None);
    }

    pub(crate) fn error_hint(
        &mut self,
        code: DiagnosticCode,
        span: Span,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.push(Severity::Error, code, span, message, hint);
    }

    pub(crate) fn warning(&mut self, code: DiagnosticCode, span: Span, message: impl Into<String>) {
        self.push(Severity::Warning, code, span, message, None);
    }

    /// The 1-based line and column of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        self.index.line_col(self.source, offset)
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }

    /// All diagnostics, ordered by position (errors before warnings at one position).
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        let order = |a: &Diagnostic, b: &Diagnostic| (a.span.start, b.severity).cmp(&(b.span.start, a.severity));
        // Most are found in order; a stable sort would take memory for half of them.
        if !self.list.is_sorted_by(|a, b| order(a, b).is_le()) {
            self.list.sort_by(order);
        }
        self.list.dedup();
        self.list
    }
}

/// The largest character boundary of `text` at or before byte `at` (at most its length).
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = "a = 1\nné = \"x\"\n";
        let index = LineIndex::new(src);
        assert_eq!(index.line_col(src, 0), (1, 1));
        assert_eq!(index.line_col(src, 6), (2, 1));
        let quote = src.find('"').unwrap();
        assert_eq!(index.line_col(src, quote), (2, 6));
        assert_eq!(index.line_span(src, 2), 6..src.len() - 1);
    }

    #[test]
    fn columns_on_long_lines_of_mixed_widths_count_characters() {
        let mut src = String::from("head\n");
        for i in 0..3_000 {
            src.push_str(["a", "é", "€", "😀"][i % 4]);
            if i % 1_000 == 999 {
                src.push('\n');
            }
        }
        let index = LineIndex::new(&src);
        for offset in (0..=src.len() + 2).step_by(7).chain([1023, 1024, 1025, 2048, src.len()]) {
            let before = &src[..floor_char_boundary(&src, offset)];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
            assert_eq!(index.line_col(&src, offset), (line, column), "offset {offset}");
        }
    }
}
