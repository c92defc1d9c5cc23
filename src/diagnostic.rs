//! Positioned problems found while loading a definition.
//!
//! Every problem carries a byte [`Span`] into the TOML source, the 1-based line and
//! column (counted in characters) where it starts, and an optional hint such as
//! ``did you mean `owner`?``. Loading collects all of them, not only the first.

use std::cell::Cell;
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
///
/// Finding a position takes a binary search and counts at most a few kilobytes of
/// characters, however long the line: a file of many problems on one long line costs time
/// in proportion to the number of problems, not to their number times the line's length.
#[derive(Clone, Debug)]
pub struct LineIndex {
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

/// How many characters of a name [`did_you_mean`] compares: longer names are compared by
/// their first 64 characters, which keeps each comparison small (one 64-bit word a column).
const HINT_CHARS: usize = 64;

/// How much work did-you-mean hints may do, in all, while a definition of `bytes` bytes
/// loads: 16 Mi units, and 8 more per byte of the definition. A unit is a byte of a
/// candidate looked at or a character of it compared; a hint among a few hundred names
/// takes some 10,000.
/// Once the budget is spent, later problems of that load get no hint, so a file with very
/// many misspelt names still loads (and fails) in time proportional to its size.
pub(crate) fn load_hint_work(bytes: usize) -> u64 {
    (16 << 20) + 8 * bytes as u64
}

thread_local! {
    /// The hint work left on this thread, while a definition loads (`None`: unbounded).
    static HINT_BUDGET: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Bounds the work of did-you-mean hints on this thread until dropped (then the previous
/// bound, if any, applies again).
pub(crate) struct HintBudget {
    previous: Option<u64>,
}

impl HintBudget {
    pub(crate) fn start(units: u64) -> HintBudget {
        HintBudget { previous: HINT_BUDGET.replace(Some(units)) }
    }
}

impl Drop for HintBudget {
    fn drop(&mut self) {
        HINT_BUDGET.set(self.previous);
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
///
/// Used for hints such as ``did you mean `owner`?``. The comparison ignores case and counts
/// an insertion, deletion, substitution or swap of neighbours as one edit; a candidate is
/// close enough within one edit per three characters (at least one), or when one name
/// merely extends the other (`maximum` for `max`). Of several, the closest wins, then the
/// first. Names are compared by their first 64 characters.
///
/// Candidates whose length alone rules them out are skipped, and each comparison takes a
/// few operations per character (a bit-parallel edit distance). While a definition loads,
/// all its hints share a budget of work in proportion to its size; once it is spent, this
/// returns `None`.
///
/// ```
/// use leadspec::diagnostic::did_you_mean;
/// assert_eq!(did_you_mean("onwer", ["owner", "name"]), Some("owner"));
/// assert_eq!(did_you_mean("zzz", ["owner", "name"]), None);
/// ```
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let budget = HINT_BUDGET.get();
    let mut left = budget.unwrap_or(u64::MAX);
    let mut word_folded = Folded::default();
    let word_chars = word_folded.fold(word);
    let mut candidate_folded = Folded::default();
    let pattern = Pattern::new(&word_folded.chars);
    let mut best: Option<(usize, &'a str)> = None;
    let mut spent = 0u64;
    let mut exhausted = false;
    for candidate in candidates {
        if best.is_some_and(|(d, _)| d == 0) {
            // Nothing can beat an exact match, and the first one found wins.
            break;
        }
        if spent >= left {
            exhausted = true;
            break;
        }
        let candidate_chars = candidate_folded.fold(candidate);
        spent += 1 + candidate_folded.bytes_read as u64;
        let allowed = (candidate_chars.max(word_chars) / 3).max(1);
        let bound = best.map_or(allowed, |(d, _)| allowed.min(d - 1));
        let (w, c) = (&word_folded, &candidate_folded);
        let shorter = w.text.len().min(c.text.len());
        // A word that merely extends or shortens a candidate (`maximum` for `max`) is a
        // likely slip too.
        let distance = if shorter >= 3 && (w.text.starts_with(&c.text) || c.text.starts_with(&w.text)) {
            Some(usize::from(w.chars != c.chars))
        } else if w.chars.len().abs_diff(c.chars.len()) > bound {
            // The lengths alone differ by more edits than allowed.
            None
        } else {
            spent += c.chars.len() as u64;
            Some(pattern.distance(&c.chars))
        };
        if let Some(distance) = distance.filter(|&d| d <= bound) {
            best = Some((distance, candidate));
        }
    }
    crate::work::add(spent);
    if budget.is_some() {
        left = left.saturating_sub(spent);
        HINT_BUDGET.set(Some(if exhausted { 0 } else { left }));
    }
    if exhausted {
        return None;
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

/// The first [`HINT_CHARS`] characters of a name, lowercased, as text and as characters,
/// in buffers reused from one name to the next.
#[derive(Default)]
struct Folded {
    text: String,
    chars: Vec<char>,
    /// How many bytes of the name were read.
    bytes_read: usize,
}

impl Folded {
    /// Folds `name`; returns how many characters of it are compared.
    fn fold(&mut self, name: &str) -> usize {
        let end = name.char_indices().nth(HINT_CHARS).map_or(name.len(), |(i, _)| i);
        let head = &name[..end];
        self.bytes_read = end;
        self.text.clear();
        if head.is_ascii() {
            self.text.push_str(head);
            self.text.make_ascii_lowercase();
        } else {
            self.text.push_str(&head.to_lowercase());
        }
        self.chars.clear();
        self.chars.extend(self.text.chars().take(HINT_CHARS));
        head.chars().count()
    }
}

/// A word of at most 64 characters as bit masks, for the bit-parallel edit distance: for
/// each character, the positions of the word that hold it.
struct Pattern {
    len: usize,
    ascii: [u64; 128],
    other: Vec<(char, u64)>,
}

impl Pattern {
    fn new(chars: &[char]) -> Pattern {
        let mut pattern = Pattern { len: chars.len().min(64), ascii: [0; 128], other: Vec::new() };
        for (i, &c) in chars.iter().take(64).enumerate() {
            let bit = 1u64 << i;
            if c.is_ascii() {
                pattern.ascii[c as usize] |= bit;
            } else {
                match pattern.other.iter_mut().find(|(o, _)| *o == c) {
                    Some((_, mask)) => *mask |= bit,
                    None => pattern.other.push((c, bit)),
                }
            }
        }
        pattern
    }

    fn mask(&self, c: char) -> u64 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.other.iter().find(|(o, _)| *o == c).map_or(0, |(_, mask)| *mask)
        }
    }

    /// The edit distance between the word and `text`: Levenshtein, with a swap of
    /// neighbours counted as one edit (optimal string alignment). Each character of `text`
    /// takes a few operations on 64-bit words, whatever the lengths: the column of the
    /// distance table is held as bits of differences (Hyyrö's bit-parallel algorithm).
    fn distance(&self, text: &[char]) -> usize {
        if self.len == 0 {
            return text.len();
        }
        let last = 1u64 << (self.len - 1);
        let (mut vp, mut vn, mut d0, mut pm_before) = (u64::MAX, 0u64, 0u64, 0u64);
        let mut distance = self.len;
        for &c in text {
            let pm = self.mask(c);
            let swap = ((!d0 & pm) << 1) & pm_before;
            d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | swap;
            let hp = vn | !(d0 | vp);
            let hn = d0 & vp;
            if hp & last != 0 {
                distance += 1;
            } else if hn & last != 0 {
                distance -= 1;
            }
            let hp = (hp << 1) | 1;
            vp = (hn << 1) | !(d0 | hp);
            vn = d0 & hp;
            pm_before = pm;
        }
        distance
    }
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

    #[test]
    fn suggestions_find_typos_and_transpositions() {
        assert_eq!(did_you_mean("onwer", ["owner", "name", "id"]), Some("owner"));
        assert_eq!(did_you_mean("budgett", ["budget", "role"]), Some("budget"));
        assert_eq!(did_you_mean("sale", ["marketing", "sales"]), Some("sales"));
        assert_eq!(did_you_mean("zzz", ["owner", "name"]), None);
    }

    /// The edit distance (optimal string alignment) by the full table.
    fn table_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
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

    /// The search as it was before it was bounded: every candidate compared in full.
    fn unbounded_did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let word_lower = word.to_lowercase();
        let mut best: Option<(usize, &'a str)> = None;
        for &candidate in candidates {
            let candidate_lower = candidate.to_lowercase();
            let mut distance = table_distance(&word_lower, &candidate_lower);
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

    proptest::proptest! {
        #[test]
        fn the_bit_parallel_distance_is_the_table_distance(
            word in "[abcAé_]{0,64}",
            text in "[abcAé_]{0,64}",
        ) {
            let (w, t): (Vec<char>, Vec<char>) = (word.chars().collect(), text.chars().collect());
            proptest::prop_assert_eq!(Pattern::new(&w).distance(&t), table_distance(&word, &text));
        }

        #[test]
        fn bounded_search_finds_what_the_full_search_finds(
            word in "[abcAB_é]{0,12}",
            candidates in proptest::collection::vec("[abcAB_é]{0,12}", 0..12),
        ) {
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                did_you_mean(&word, candidates.iter().copied()),
                unbounded_did_you_mean(&word, &candidates)
            );
        }
    }

    #[test]
    fn long_names_are_compared_by_their_first_64_characters() {
        let long = format!("{}_tail", "x".repeat(70));
        let typo = format!("{}_tial", "x".repeat(70));
        assert_eq!(did_you_mean(&typo, [long.as_str(), "other"]), Some(long.as_str()));
        let far = "y".repeat(70);
        assert_eq!(did_you_mean(&far, [long.as_str()]), None);
    }

    #[test]
    fn hints_stop_once_the_budget_is_spent() {
        let candidates = ["owner", "name", "id"];
        let before = crate::work::done();
        assert_eq!(did_you_mean("onwer", candidates), Some("owner"));
        let cost = crate::work::done() - before;
        {
            let _budget = HintBudget::start(cost);
            assert_eq!(did_you_mean("onwer", candidates), Some("owner"));
            assert_eq!(did_you_mean("onwer", candidates), None, "spent by the first search");
            assert_eq!(HINT_BUDGET.get(), Some(0));
        }
        assert_eq!(HINT_BUDGET.get(), None);
        assert_eq!(did_you_mean("onwer", candidates), Some("owner"));
    }
}
