//! Positioned problems found while loading a definition.
//!
//! Every problem carries a byte [`Span`] into the TOML source, the 1-based line and
//! column (counted in characters) where it starts, and an optional hint such as
//! ``did you mean `owner`?``. Loading collects all of them, not only the first.

use std::fmt;
use std::ops::Range;

/// A byte range into the source text of a definition.
pub type Span = Range<usize>;

/// How serious a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth a look, but the definition still loads.
    Warning,
    /// The definition cannot be loaded.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem found in a definition, with its position in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
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
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `source`.
    pub fn new(source: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// The 1-based (line, column) of byte `offset`; the column counts characters.
    ///
    /// An offset past the end or inside a character is clamped to a valid position.
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(source.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let mut end = offset;
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        let column = source[start..end].chars().count() + 1;
        (line, column)
    }

    /// The byte range of the 1-based `line`, without its line break.
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

    pub(crate) fn push(&mut self, severity: Severity, span: Span, message: impl Into<String>, hint: Option<String>) {
        let span =
            span.start.min(self.source.len())..span.end.min(self.source.len()).max(span.start.min(self.source.len()));
        let (line, column) = self.index.line_col(self.source, span.start);
        self.list.push(Diagnostic { severity, message: message.into(), span, line, column, hint });
    }

    pub(crate) fn error(&mut self, span: Span, message: impl Into<String>) {
        self.push(Severity::Error, span, message, None);
    }

    pub(crate) fn error_hint(&mut self, span: Span, message: impl Into<String>, hint: Option<String>) {
        self.push(Severity::Error, span, message, hint);
    }

    pub(crate) fn warning(&mut self, span: Span, message: impl Into<String>) {
        self.push(Severity::Warning, span, message, None);
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
        self.list.sort_by(|a, b| (a.span.start, b.severity).cmp(&(b.span.start, a.severity)));
        self.list.dedup();
        self.list
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
///
/// Used for hints such as ``did you mean `owner`?``.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word_lower = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let candidate_lower = candidate.to_lowercase();
        let mut distance = edit_distance(&word_lower, &candidate_lower);
        // A word that merely extends or shortens a candidate (`maximum` for `max`) is a
        // likely slip too.
        let shorter = word_lower.len().min(candidate_lower.len());
        if shorter >= 3 && (word_lower.starts_with(&candidate_lower) || candidate_lower.starts_with(&word_lower)) {
            distance = distance.min(1);
        }
        let allowed = (candidate.chars().count().max(word.chars().count()) / 3).max(1);
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The hint text for [`did_you_mean`]: ``did you mean `x`?``.
pub(crate) fn hint_for<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(256).collect();
    let b: Vec<char> = b.chars().take(256).collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
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
    fn suggestions_find_typos_and_transpositions() {
        assert_eq!(did_you_mean("onwer", ["owner", "name", "id"]), Some("owner"));
        assert_eq!(did_you_mean("budgett", ["budget", "role"]), Some("budget"));
        assert_eq!(did_you_mean("sale", ["marketing", "sales"]), Some("sales"));
        assert_eq!(did_you_mean("zzz", ["owner", "name"]), None);
    }
}
