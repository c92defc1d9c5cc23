//! The code each diagnostic message implies. Test files that see diagnostics call
//! [`assert_codes`], so every diagnostic the tests produce is checked to carry the code of
//! its kind, and a new message without a known code fails the tests until it is listed here.

#![allow(dead_code)]

use leadspec::{Diagnostic, DiagnosticCode as C};

/// The codes a diagnostic with this message may carry (most messages have one; a few are
/// made at one place for two kinds of mistake). Panics on a message of no known kind.
pub fn codes_for(message: &str) -> &'static [C] {
    let m = message;
    let starts = |p: &str| m.starts_with(p);
    let has = |p: &str| m.contains(p);
    // Checked in order: the more specific shapes first.
    if starts("example \"") {
        &[C::ExampleFailed]
    } else if starts("invalid TOML: ") {
        &[C::InvalidToml]
    } else if has("over the limit") || has("levels deep") || has("too big") {
        &[C::LimitExceeded]
    } else if starts("unknown key `") || starts("unknown validation rule `") {
        &[C::UnknownKey]
    } else if starts("missing key `") || (starts("the enum field `") && m.ends_with("needs its `values`")) {
        &[C::MissingKey]
    } else if starts("an example has exactly one of") {
        &[C::MissingKey, C::Conflict]
    } else if has("` is a key of ") || starts("only an enum field takes `values`") || starts("`score` is expected") {
        &[C::MisplacedKey]
    } else if starts("expected ") && (has(", found `") || m.ends_with("found the end of the rule")) {
        &[C::RuleSyntax]
    } else if starts("expected ") {
        &[C::WrongType]
    } else if starts("`require` must be \"all\"") {
        &[C::UnknownValue, C::WrongType]
    } else if m == "integer out of range"
        || starts("`require` must be between")
        || starts("`separator` is one character")
        || (starts("`thousands` is one character") || starts("`decimal` is one character"))
        || starts("write `unclassified = true`")
    {
        &[C::InvalidValue]
    } else if starts("unknown field type `")
        || starts("unknown time zone `")
        || starts("unknown shared word `")
        || starts("`default_scheme` is ")
        || m.ends_with("is not `met`, `not_met` or `unknown`")
        || has("` is not a value of `")
    {
        &[C::UnknownValue]
    } else if m == "[teams] must name at least one team"
        || m == "a definition needs at least one stage"
        || m.ends_with("cannot be empty")
        || m.ends_with("has no values")
        || starts("a blank word never matches")
        || m == "the rule is empty"
    {
        &[C::Empty]
    } else if has("cannot be a field id") || has("is not a field id") || m.ends_with("is not lower_snake_case") {
        &[C::InvalidId]
    } else if has("both read the column")
        || m.ends_with("is listed twice")
        || starts("duplicate stage id `")
        || starts("two stages share the shared word")
        || (starts("the alias `") && has("already names"))
        || starts("two examples are named")
    {
        &[C::Duplicate]
    } else if starts("`thousands` and `decimal` are both")
        || has("` is a word for ")
        || m.ends_with("is listed in both `true` and `false`")
        || (starts("`max` (") && has("is below `min`"))
    {
        &[C::Conflict]
    } else if starts("unknown field `") || (starts("the field `") && has("is read from the column")) {
        &[C::UnknownField]
    } else if starts("unknown stage `") {
        &[C::UnknownStage]
    } else if starts("unknown team `") {
        &[C::UnknownTeam]
    } else if starts("unknown criterion `") {
        &[C::UnknownCriterion]
    } else if starts("unexpected ") || starts("invalid number `") || m == "unterminated string" {
        &[C::RuleSyntax]
    } else if (starts("a ") && has(" where a ") && m.ends_with(" is needed"))
        || m.ends_with("has no order")
        || m == "`is present` and `is missing` test a field"
        || m == "`matches` needs a pattern written as a string"
        || m == "`in` needs a list of values"
    {
        &[C::TypeMismatch]
    } else if m.ends_with("cannot be used here") {
        &[C::NotAllowedHere]
    } else if starts("invalid regular expression: ") {
        &[C::InvalidRegex]
    } else if starts("invalid date `") || m.ends_with("is not a date (YYYY-MM-DD) or an RFC 3339 date-time") {
        &[C::InvalidDate]
    } else if starts("unknown duration unit `")
        || starts("a duration needs a whole number")
        || (starts("the duration `") && (m.ends_with("is too long") || m.ends_with("is too large")))
        || starts("an SLA takes a fixed length")
        || has("is not a duration such as")
    {
        &[C::InvalidDuration]
    } else if has("is not a chrono strftime pattern") || has("does not read a whole date") {
        &[C::InvalidDateFormat]
    } else if starts("no declared transition reaches the stage") {
        &[C::UnreachableStage]
    } else if starts("stage `") && has("` can never be reached: ") {
        &[C::StageNeverReached]
    } else if starts("the guard of the transition ") && m.ends_with(" can never be true") {
        &[C::GuardNeverTrue]
    } else if starts("criterion `") && has("` can never be ") {
        &[C::ConstantCriterion]
    } else if starts("cannot decide whether ") {
        &[C::CannotDecide]
    } else if starts("no example ") {
        &[C::NotCovered]
    } else {
        panic!("no code is known for the message {message:?}: list it in tests/support/codes.rs")
    }
}

/// Asserts that every diagnostic carries the code its message implies.
pub fn assert_codes<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) {
    for d in diagnostics {
        let expected = codes_for(&d.message);
        assert!(expected.contains(&d.code), "{d} has the code {}, not one of {expected:?}", d.code);
    }
}
