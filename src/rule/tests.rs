//! Compile-and-evaluate tests of the whole pipeline, against a fixed set of fields.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::*;
use crate::FieldType;

struct Fixture {
    fields: Vec<Field>,
    index: HashMap<String, usize>,
    criteria: Vec<String>,
    broken: HashSet<String>,
    tables: Tables,
    limits: Limits,
}

fn fixture() -> Fixture {
    let mut role = Field::new("role", FieldType::Enum);
    role.values = vec!["user".into(), "decision_maker".into(), "economic_buyer".into()];
    let fields = vec![
        Field::new("budget", FieldType::Number),
        role,
        Field::new("purchase_by", FieldType::Date),
        Field::new("engaged", FieldType::Boolean),
        Field::new("email", FieldType::Email),
        Field::new("website", FieldType::Url),
        Field::new("company", FieldType::String),
        Field::new("tags", FieldType::List),
    ];
    let index = fields.iter().enumerate().map(|(i, f)| (f.id.clone(), i)).collect();
    let criteria = vec!["budget".into(), "need".into()];
    let tables = Tables::new(&fields, &criteria);
    Fixture { fields, index, criteria, broken: HashSet::new(), tables, limits: Limits::default() }
}

impl Fixture {
    fn scope(&self, allow_criteria: bool, allow_score: bool) -> Scope<'_> {
        Scope {
            fields: &self.fields,
            field_index: &self.index,
            broken_fields: &self.broken,
            criteria: &self.criteria,
            tables: &self.tables,
            allow_criteria,
            allow_score,
            has_scoring: true,
            limits: &self.limits,
            stamp: crate::stamp::Stamp::NONE,
        }
    }

    fn compile(&self, text: &str) -> Result<Rule, Vec<RuleError>> {
        Rule::compile(text, &self.scope(true, true))
    }

    fn error(&self, text: &str) -> RuleError {
        match self.compile(text) {
            Ok(_) => panic!("`{text}` compiled"),
            Err(mut errors) => errors.remove(0),
        }
    }
}

/// A record of 8 fields: all missing except the ones given.
fn slots(set: &[(usize, Slot<'_>)]) -> Prepared {
    let mut record = Prepared::missing(8, crate::stamp::Stamp::NONE);
    for (i, slot) in set {
        record.put(*i, *slot);
    }
    record
}

/// A text slot (its folded form is computed when it is stored).
fn text(s: &str) -> Slot<'_> {
    Slot::Text { text: s, folded: "" }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn ctx(record: &Prepared) -> Context<'_> {
    Context::new(
        record,
        &[Truth::True, Truth::Unknown],
        Truth::Unknown,
        35,
        date(2026, 11, 22).and_hms_opt(10, 30, 0).unwrap(),
    )
}

fn eval(text: &str, slots: &Prepared) -> Truth {
    let f = fixture();
    f.compile(text).unwrap_or_else(|e| panic!("`{text}`: {e:?}")).eval(&ctx(slots))
}

use Truth::{False as F, True as T, Unknown as U};

#[test]
fn comparisons_of_numbers_and_unknown_values() {
    let rich = slots(&[(0, Slot::Number(25_000.0))]);
    assert_eq!(eval("budget >= 10_000", &rich), T);
    assert_eq!(eval("budget < 10_000", &rich), F);
    assert_eq!(eval("budget >= -1e3", &rich), T);
    assert_eq!(eval("budget >= 10_000", &slots(&[])), U);
    assert_eq!(eval("budget >= 10_000", &slots(&[(0, Slot::Invalid)])), U);
    assert_eq!(eval("score >= 30", &slots(&[])), T);
}

#[test]
fn kleene_connectives() {
    let none = slots(&[]);
    assert_eq!(eval("budget > 1 and false", &none), F);
    assert_eq!(eval("budget > 1 or true", &none), T);
    assert_eq!(eval("not budget > 1", &none), U);
    assert_eq!(eval("!(budget > 1) || budget is missing", &none), T);
    assert_eq!(eval("budget is present", &none), F);
    assert_eq!(eval("budget is present", &slots(&[(0, Slot::Invalid)])), F);
    assert_eq!(eval("budget is not present", &none), T);
}

#[test]
fn enums_lists_and_text() {
    let mut s = slots(&[(1, Slot::Enum(1)), (4, text("Ann@Example.com")), (6, text("Acme GmbH"))]);
    let tags = s.list_of(["webinar", "Ebook"]);
    s.set(7, tags);
    assert_eq!(eval("role in ['decision_maker', 'economic_buyer']", &s), T);
    assert_eq!(eval("role not in ['decision_maker']", &s), F);
    assert_eq!(eval("role == 'user'", &s), F);
    assert_eq!(eval("role != 'user'", &s), T);
    assert_eq!(eval("company contains 'gmbh'", &s), T);
    assert_eq!(eval("email ends_with '@EXAMPLE.COM'", &s), T);
    assert_eq!(eval("company starts_with 'acme'", &s), T);
    assert_eq!(eval("company == 'acme gmbh'", &s), F, "equality is exact");
    assert_eq!(eval("tags contains 'webinar'", &s), T);
    assert_eq!(eval("tags contains 'ebook'", &s), F, "list membership is exact");
    assert_eq!(eval("company matches '^Acme\\\\s'", &s), T);
    assert_eq!(eval("company matches 'gmbh'", &s), F, "regexes are case-sensitive unless (?i)");
    assert_eq!(eval("website matches 'x'", &s), U);
    assert_eq!(eval("role contains 'decision'", &s), T);
}

#[test]
fn dates_and_durations() {
    let s = slots(&[(2, Slot::Date(date(2027, 1, 31)))]);
    assert_eq!(eval("purchase_by <= today + 90d", &s), T);
    assert_eq!(eval("purchase_by <= today + 2mo", &s), F);
    assert_eq!(eval("purchase_by > now", &s), T);
    assert_eq!(eval("today == 2026-11-22", &s), T);
    assert_eq!(eval("now > 2026-11-22", &s), T, "a date stands for 00:00 of its day");
    assert_eq!(eval("now - 11h < 2026-11-22", &s), T);
    assert_eq!(eval("2026-08-31 + 1mo == 2026-09-30", &s), T);
    assert_eq!(eval("2024-02-29 + 1y == 2025-02-28", &s), T);
    assert_eq!(eval("today + -1d == 2026-11-21", &s), T);
    assert_eq!(eval("purchase_by - 1y > today", &s), F);
}

#[test]
fn criteria_qualified_and_flags() {
    let s = slots(&[(3, Slot::Bool(true))]);
    assert_eq!(eval("criteria.budget", &s), T);
    assert_eq!(eval("criteria.need", &s), U);
    assert_eq!(eval("criteria.need is missing", &s), T);
    assert_eq!(eval("criteria.budget and not criteria.need", &s), U);
    assert_eq!(eval("qualified or engaged", &s), T);
    assert_eq!(eval("engaged == false", &s), F);
    assert_eq!(eval("engaged", &slots(&[])), U);
}

#[test]
fn load_errors_and_their_spans() {
    let f = fixture();
    let e = f.error("budgett >= 1");
    assert_eq!(
        (e.span, e.message.as_str(), e.hint.as_deref()),
        (0..7, "unknown field `budgett`", Some("did you mean `budget`?"))
    );
    let e = f.error("budget >= 'high'");
    assert_eq!((e.span, e.message.as_str()), (10..16, "a text where a number is needed"));
    let e = f.error("role == 'decison_maker'");
    assert_eq!(e.span, 8..23);
    assert_eq!(e.message, "`decison_maker` is not a value of `role`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `decision_maker`?"));
    assert_eq!(f.error("role in ['user', 'boss']").span, 17..23);
    let e = f.error("today + 90");
    assert_eq!((e.span, e.message.as_str()), (8..10, "a number where a duration is needed"));
    let e = f.error("purchase_by <= 90d");
    assert_eq!(e.message, "a duration where a date is needed");
    let e = f.error("company matches '('");
    assert_eq!(e.span, 16..19);
    assert!(e.message.starts_with("invalid regular expression"), "{}", e.message);
    let e = f.error("criteria.budgt");
    assert_eq!((e.span, e.hint.as_deref()), (9..14, Some("did you mean `budget`?")));
    assert_eq!(f.error("budget").message, "a number where a condition is needed");
    assert_eq!(f.error("company < 'b'").message, "text has no order");
    assert_eq!(f.error("tags == 'x'").message, "a list where a single value is needed");
    assert_eq!(f.error("budget in 5").message, "`in` needs a list of values");
}

#[test]
fn every_error_is_reported() {
    let f = fixture();
    let errors = f.compile("budgett > 1 and rol == 'x' or today + 3").unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["unknown field `budgett`", "unknown field `rol`", "a number where a duration is needed"]);
}

#[test]
fn scopes_keep_rules_from_depending_on_themselves() {
    let f = fixture();
    let criterion = f.scope(false, false);
    assert_eq!(
        Rule::compile("criteria.budget", &criterion).unwrap_err()[0].message,
        "`criteria.budget` cannot be used here"
    );
    assert_eq!(Rule::compile("qualified", &criterion).unwrap_err()[0].message, "`qualified` cannot be used here");
    assert_eq!(Rule::compile("score > 1", &criterion).unwrap_err()[0].message, "`score` cannot be used here");
    let scoring = f.scope(true, false);
    assert!(Rule::compile("qualified", &scoring).is_ok());
    assert!(Rule::compile("score > 1", &scoring).is_err());
    let no_scoring = Scope { has_scoring: false, ..f.scope(true, true) };
    assert_eq!(Rule::compile("score > 1", &no_scoring).unwrap_err()[0].message, "unknown field `score`");
}

#[test]
fn explain_lists_each_condition_with_its_values() {
    let f = fixture();
    let rule = f.compile("budget >= 10_000 and role in ['decision_maker']").unwrap();
    let s = slots(&[(1, Slot::Enum(1))]);
    let findings = rule.explain(&ctx(&s));
    assert_eq!(findings.len(), 2);
    assert_eq!(
        (findings[0].text.as_str(), findings[0].truth, findings[0].detail.as_str()),
        ("budget >= 10_000", U, "budget is missing")
    );
    assert_eq!((findings[1].truth, findings[1].detail.as_str()), (T, "role is \"decision_maker\""));
    assert_eq!(rule.fields().map(|f| f.position()).collect::<Vec<_>>(), [0, 1]);
    assert!(!rule.uses_criteria() && !rule.uses_score());
}

#[test]
fn hostile_rules_are_refused_not_crashed() {
    let f = fixture();
    let deep = "(".repeat(100_000);
    assert!(f.compile(&deep).is_err());
    let long_or = vec!["budget > 1"; 3_000].join(" or ");
    assert!(f.compile(&long_or).is_ok());
    let huge = "a".repeat(Limits::default().max_rule_bytes + 1);
    assert!(f.compile(&huge).unwrap_err()[0].message.contains("over the limit"));
    let big_regex = format!("company matches '{}'", "(a{1000}){1000}");
    assert!(f.compile(&big_regex).is_err());
}

/// The words quoted in the code (not the tests) of one of the rule language's files: the
/// words it compares tokens and names with, and a few from its messages.
fn quoted_words(source: &str) -> Vec<&str> {
    let code = source.split("#[cfg(test)]").next().unwrap_or(source);
    let quotes: Vec<usize> = code.match_indices('"').map(|(i, _)| i).collect();
    let mut words: Vec<&str> = quotes
        .windows(2)
        .map(|pair| &code[pair[0] + 1..pair[1]])
        .filter(|w| w.bytes().any(|b| b.is_ascii_lowercase()) && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The slots `rule` reads where the only field is a yes/no field named `id` and every
/// derived name (`criteria.<id>`, `qualified`, `score`) may be used; `None` if it does not
/// compile.
fn fields_read(id: &str, rule: &str) -> Option<Vec<usize>> {
    let fields = [Field::new(id, FieldType::Boolean)];
    let index = HashMap::from([(id.to_string(), 0)]);
    let criteria = ["need".to_string()];
    let tables = Tables::new(&fields, &criteria);
    let scope = Scope {
        fields: &fields,
        field_index: &index,
        broken_fields: &HashSet::new(),
        criteria: &criteria,
        tables: &tables,
        allow_criteria: true,
        allow_score: true,
        has_scoring: true,
        limits: &Limits::default(),
        stamp: crate::stamp::Stamp::NONE,
    };
    Rule::compile(rule, &scope).ok().map(|rule| rule.fields().map(|f| f.position()).collect())
}

/// The reserved words (`crate::names`, which the loader checks field ids with) are exactly
/// the words the language takes for itself. The words are read from the code of the lexer,
/// the parser and the checker, so that a keyword or built-in name added there but not to
/// the reserved words fails here: every word the parser quotes is reserved, and every other
/// word the lexer or the checker quotes (duration units, type names in messages) names a
/// field of that id. Conversely, no reserved word names a field of its id.
#[test]
fn the_reserved_words_are_the_words_the_language_takes() {
    use crate::names::{is_reserved_word, BUILT_IN_NAMES, KEYWORDS};
    let forms = |word: &str| [format!("{word} is present"), format!("not {word}"), format!("{word} == true")];
    let parser_words = quoted_words(include_str!("parser.rs"));
    assert!(parser_words.contains(&"starts_with") && parser_words.contains(&"criteria"), "{parser_words:?}");
    for word in parser_words {
        assert!(is_reserved_word(word), "the parser reads `{word}`, which is not a reserved word");
    }
    let other_words: Vec<&str> =
        [include_str!("lexer.rs"), include_str!("check.rs")].into_iter().flat_map(quoted_words).collect();
    assert!(other_words.contains(&"today") && other_words.contains(&"mo"), "{other_words:?}");
    for word in other_words.into_iter().filter(|w| !is_reserved_word(w)) {
        for rule in forms(word) {
            assert_eq!(
                fields_read(word, &rule),
                Some(vec![0]),
                "`{word}` is not reserved, but `{rule}` does not read it"
            );
        }
    }
    for word in KEYWORDS.into_iter().chain(BUILT_IN_NAMES) {
        for rule in forms(word) {
            assert_ne!(
                fields_read(word, &rule),
                Some(vec![0]),
                "`{word}` is reserved, but `{rule}` reads it as a field"
            );
        }
    }
}
