//! What kind of problem a diagnostic reports, as a stable machine-readable code.

use std::fmt;

/// What kind of problem a [`Diagnostic`](super::Diagnostic) reports, so that editors and
/// CI can tell problems apart without matching their text.
///
/// Each code has a kebab-case name, given by [`as_str`](DiagnosticCode::as_str) and
/// `Display`. **The names are stable**: a name is never changed or given to another kind of
/// problem. New codes may be added (the enum is `#[non_exhaustive]`), and a message may be
/// reworded, so match on the code, not on the message.
///
/// ```
/// use leadspec::{Definition, DiagnosticCode};
///
/// let error = Definition::from_toml(
///     "[definition]\nname = \"x\"\n[teams]\nsales = \"Sales\"\n[[stages]]\nid = \"a\"\nonwer = \"sales\"\nwhen = \"budgett >= 1\"\n",
/// )
/// .unwrap_err();
/// let codes: Vec<&str> = error.errors().map(|d| d.code.as_str()).collect();
/// assert_eq!(codes, ["unknown-key", "unknown-field"]);
/// assert_eq!(error.diagnostics[0].code, DiagnosticCode::UnknownKey);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DiagnosticCode {
    /// `invalid-toml`: the file is not valid TOML.
    InvalidToml,
    /// `unknown-key`: a key the table does not take (`onwer` in `[[stages]]`), or a
    /// validation rule `[messages]` does not know.
    UnknownKey,
    /// `missing-key`: a required key is missing (a stage without `when`, an enum field
    /// without `values`, an example that expects nothing).
    MissingKey,
    /// `misplaced-key`: a key the table knows that does not apply here: a reading key of
    /// another field type (`formats` on a number field), `values` on a field that is not an
    /// enum, an example's `score` in a definition without `[scoring]`.
    MisplacedKey,
    /// `wrong-type`: a TOML value of the wrong kind (a string where an integer is expected).
    WrongType,
    /// `invalid-value`: a value of the right kind that is not allowed (an integer out of
    /// range, `require` beyond the number of criteria, a `separator` of several characters,
    /// `unclassified = false`).
    InvalidValue,
    /// `unknown-value`: a word that must be one of a fixed set and is not: a field type, a
    /// time zone, a shared word, `met` / `not_met` / `unknown`, a `default_scheme`, or a
    /// literal in a rule that is not among its enum field's values.
    UnknownValue,
    /// `empty`: something that must not be empty is (`[teams]`, the stages, an enum's
    /// values, a column name, a rule, a boolean word).
    Empty,
    /// `invalid-id`: a field id that is not an identifier (or is a word of the rule
    /// language), or a stage id that is not `lower_snake_case`.
    InvalidId,
    /// `duplicate`: a name given twice where each must be unique: a stage id, an alias, a
    /// shared word, an enum value, a column read by two fields, an example's name.
    Duplicate,
    /// `conflict`: settings that contradict each other: `thousands` equal to `decimal`,
    /// `max` below `min`, a boolean word for both values, an example expecting both a
    /// stage and a move.
    Conflict,
    /// `unknown-field`: a rule, a stage's `requires`, or an example names a field (or a
    /// record column) the definition does not have.
    UnknownField,
    /// `unknown-stage`: a transition or an example names a stage that does not exist.
    UnknownStage,
    /// `unknown-team`: a stage or an example names a team that does not exist.
    UnknownTeam,
    /// `unknown-criterion`: a rule or an example names a criterion that does not exist.
    UnknownCriterion,
    /// `rule-syntax`: a rule does not parse (an unexpected character or token, an
    /// unterminated string, a malformed number).
    RuleSyntax,
    /// `type-mismatch`: a rule combines values of the wrong types (`budget >= 'high'`,
    /// `company < 'b'`, `today + 90`).
    TypeMismatch,
    /// `not-allowed-here`: a rule uses a name that is not allowed where it is written
    /// (`qualified` in a criterion, `score` in a scoring rule).
    NotAllowedHere,
    /// `invalid-regex`: the pattern of a `matches` is not a valid regular expression.
    InvalidRegex,
    /// `invalid-date`: a date in a rule, or an example's `now`, is not a valid date or
    /// date-time.
    InvalidDate,
    /// `invalid-duration`: a duration in a rule or a stage's `sla` cannot be read (an
    /// unknown unit, a fraction, a calendar unit for an SLA, too long).
    InvalidDuration,
    /// `invalid-date-format`: a field's date pattern (`formats`) cannot read a whole date.
    InvalidDateFormat,
    /// `limit-exceeded`: something is over one of the [`Limits`](crate::Limits) or a fixed
    /// bound (the file's size, the number of fields, stages or date formats, a rule's size
    /// or nesting, a list's length, the size of regular expressions).
    LimitExceeded,
    /// `unreachable-stage` (a warning): no declared transition reaches a stage.
    UnreachableStage,
    /// `example-failed`: one of the definition's `[[examples]]` does not hold (from
    /// [`ExampleCheck::to_diagnostic`](crate::ExampleCheck::to_diagnostic)).
    ExampleFailed,
    /// `stage-never-reached` (a warning of [`Definition::analyze`](crate::Definition::analyze)):
    /// no record can reach a stage, because its rule is never true or stages tried before
    /// it catch every record it accepts.
    StageNeverReached,
    /// `guard-never-true` (a warning of the analysis): a transition's guard is true for no
    /// record.
    GuardNeverTrue,
    /// `constant-criterion` (a warning of the analysis): a criterion that no record meets,
    /// or that no record fails.
    ConstantCriterion,
    /// `cannot-decide` (a note of the analysis): the analysis could not decide a question
    /// (its step budget ran out, or the rules hold what it cannot solve).
    CannotDecide,
    /// `not-covered` (a note of the analysis): a stage, transition or criterion state that
    /// no `[[examples]]` entry exercises.
    NotCovered,
    /// `sql-unsupported` (an error of `leadspec sql`): a construct the chosen SQL dialect
    /// cannot evaluate exactly as the crate does.
    SqlUnsupported,
}

impl DiagnosticCode {
    /// Every code, in the order declared.
    pub const ALL: &'static [DiagnosticCode] = &[
        DiagnosticCode::InvalidToml,
        DiagnosticCode::UnknownKey,
        DiagnosticCode::MissingKey,
        DiagnosticCode::MisplacedKey,
        DiagnosticCode::WrongType,
        DiagnosticCode::InvalidValue,
        DiagnosticCode::UnknownValue,
        DiagnosticCode::Empty,
        DiagnosticCode::InvalidId,
        DiagnosticCode::Duplicate,
        DiagnosticCode::Conflict,
        DiagnosticCode::UnknownField,
        DiagnosticCode::UnknownStage,
        DiagnosticCode::UnknownTeam,
        DiagnosticCode::UnknownCriterion,
        DiagnosticCode::RuleSyntax,
        DiagnosticCode::TypeMismatch,
        DiagnosticCode::NotAllowedHere,
        DiagnosticCode::InvalidRegex,
        DiagnosticCode::InvalidDate,
        DiagnosticCode::InvalidDuration,
        DiagnosticCode::InvalidDateFormat,
        DiagnosticCode::LimitExceeded,
        DiagnosticCode::UnreachableStage,
        DiagnosticCode::ExampleFailed,
        DiagnosticCode::StageNeverReached,
        DiagnosticCode::GuardNeverTrue,
        DiagnosticCode::ConstantCriterion,
        DiagnosticCode::CannotDecide,
        DiagnosticCode::NotCovered,
        DiagnosticCode::SqlUnsupported,
    ];

    /// The code's stable kebab-case name, such as `unknown-key`.
    ///
    /// ```
    /// use leadspec::DiagnosticCode;
    /// assert_eq!(DiagnosticCode::UnknownKey.as_str(), "unknown-key");
    /// assert_eq!(DiagnosticCode::LimitExceeded.to_string(), "limit-exceeded");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::InvalidToml => "invalid-toml",
            DiagnosticCode::UnknownKey => "unknown-key",
            DiagnosticCode::MissingKey => "missing-key",
            DiagnosticCode::MisplacedKey => "misplaced-key",
            DiagnosticCode::WrongType => "wrong-type",
            DiagnosticCode::InvalidValue => "invalid-value",
            DiagnosticCode::UnknownValue => "unknown-value",
            DiagnosticCode::Empty => "empty",
            DiagnosticCode::InvalidId => "invalid-id",
            DiagnosticCode::Duplicate => "duplicate",
            DiagnosticCode::Conflict => "conflict",
            DiagnosticCode::UnknownField => "unknown-field",
            DiagnosticCode::UnknownStage => "unknown-stage",
            DiagnosticCode::UnknownTeam => "unknown-team",
            DiagnosticCode::UnknownCriterion => "unknown-criterion",
            DiagnosticCode::RuleSyntax => "rule-syntax",
            DiagnosticCode::TypeMismatch => "type-mismatch",
            DiagnosticCode::NotAllowedHere => "not-allowed-here",
            DiagnosticCode::InvalidRegex => "invalid-regex",
            DiagnosticCode::InvalidDate => "invalid-date",
            DiagnosticCode::InvalidDuration => "invalid-duration",
            DiagnosticCode::InvalidDateFormat => "invalid-date-format",
            DiagnosticCode::LimitExceeded => "limit-exceeded",
            DiagnosticCode::UnreachableStage => "unreachable-stage",
            DiagnosticCode::ExampleFailed => "example-failed",
            DiagnosticCode::StageNeverReached => "stage-never-reached",
            DiagnosticCode::GuardNeverTrue => "guard-never-true",
            DiagnosticCode::ConstantCriterion => "constant-criterion",
            DiagnosticCode::CannotDecide => "cannot-decide",
            DiagnosticCode::NotCovered => "not-covered",
            DiagnosticCode::SqlUnsupported => "sql-unsupported",
        }
    }

    /// The code with this name, the inverse of [`as_str`](DiagnosticCode::as_str).
    ///
    /// ```
    /// use leadspec::DiagnosticCode;
    /// assert_eq!(DiagnosticCode::from_name("duplicate"), Some(DiagnosticCode::Duplicate));
    /// assert_eq!(DiagnosticCode::from_name("Duplicate"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<DiagnosticCode> {
        DiagnosticCode::ALL.iter().copied().find(|code| code.as_str() == name)
    }
}

impl fmt::Display for DiagnosticCode {
    /// The code's name, as [`as_str`](DiagnosticCode::as_str) gives it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kebab_case_unique_and_read_back() {
        let mut seen = std::collections::HashSet::new();
        for &code in DiagnosticCode::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.split('-').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
                "{name} is not kebab-case"
            );
            assert_eq!(DiagnosticCode::from_name(name), Some(code));
        }
    }
}
