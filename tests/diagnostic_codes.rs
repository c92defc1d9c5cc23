//! Every diagnostic carries a stable code: representative definitions and the codes their
//! diagnostics carry, one or more definitions for every code.

#[path = "support/codes.rs"]
mod codes;

use chrono::{TimeZone, Utc};
use leadspec::{Definition, Diagnostic, DiagnosticCode as C};

/// A valid definition to which each case adds or changes one thing.
const BASE: &str = r#"[definition]
name = "Codes"

[teams]
marketing = "Marketing"
sales = "Sales"

[fields]
email = { type = "email", required = true }
budget = "number"
role = { type = "enum", values = ["user", "buyer"] }
company = "string"
purchase_by = "date"
subscribed = "boolean"
tags = "list"

[qualification.criteria]
budget = "budget >= 10_000"

[[stages]]
id = "contact"
owner = "marketing"
when = "email is present"

[[stages]]
id = "lead"
owner = "sales"
when = "qualified"
"#;

/// `BASE` with `from` replaced by `to` (which must occur once).
fn replaced(from: &str, to: &str) -> String {
    assert_eq!(BASE.matches(from).count(), 1, "`{from}` is not in BASE once");
    BASE.replacen(from, to, 1)
}

/// `BASE` whose second stage's rule is `rule`.
fn rule(rule: &str) -> String {
    replaced("when = \"qualified\"", &format!("when = '''{rule}'''"))
}

/// `BASE` followed by `more`.
fn plus(more: &str) -> String {
    format!("{BASE}\n{more}\n")
}

/// The diagnostics of loading `source`, and of running its examples when it loads.
fn diagnostics(source: &str) -> Vec<Diagnostic> {
    match Definition::from_toml(source) {
        Err(error) => error.diagnostics,
        Ok(definition) => {
            let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
            let mut all = definition.warnings().to_vec();
            all.extend(definition.run_examples(now).iter().filter_map(|c| c.to_diagnostic()));
            all
        }
    }
}

/// Each case: a definition and the codes of its diagnostics, in order.
fn cases() -> Vec<(String, Vec<C>)> {
    let example = |body: &str| plus(&format!("[[examples]]\nname = \"e\"\n{body}"));
    vec![
        ("[definition\nname = 'x'\n".to_string(), vec![C::InvalidToml]),
        (replaced("owner = \"marketing\"", "onwer = \"marketing\""), vec![C::UnknownKey]),
        (plus("[messages]\nrequird = \"x\""), vec![C::UnknownKey]),
        (replaced("name = \"Codes\"\n", ""), vec![C::MissingKey]),
        (replaced(", values = [\"user\", \"buyer\"]", ""), vec![C::MissingKey]),
        (example("record = {}"), vec![C::MissingKey]),
        (replaced("budget = \"number\"", "budget = { type = \"number\", formats = [\"%Y\"] }"), vec![C::MisplacedKey]),
        (replaced("budget = \"number\"", "budget = { type = \"number\", values = [\"a\"] }"), vec![C::MisplacedKey]),
        (example("stage = \"contact\"\nrecord = { email = \"a@b.co\" }\nscore = 3"), vec![C::MisplacedKey]),
        (replaced("name = \"Codes\"", "name = 7"), vec![C::WrongType]),
        (replaced("[qualification.criteria]", "[qualification]\nrequire = 1.5\n[qualification.criteria]"), vec![
            C::WrongType,
        ]),
        (replaced("[qualification.criteria]", "[qualification]\nrequire = 5\n[qualification.criteria]"), vec![
            C::InvalidValue,
        ]),
        (replaced("tags = \"list\"", "tags = { type = \"list\", separator = \";;\" }"), vec![C::InvalidValue]),
        (example("unclassified = false"), vec![C::InvalidValue]),
        (replaced("budget = \"number\"", "budget = \"numbr\""), vec![C::UnknownValue]),
        (plus("[input]\ntimezone = \"Mars/Olympus\""), vec![C::UnknownValue]),
        (replaced("id = \"lead\"", "id = \"lead\"\ncanonical = \"sqll\""), vec![C::UnknownValue]),
        (replaced("[qualification.criteria]", "[qualification]\nrequire = \"some\"\n[qualification.criteria]"), vec![
            C::UnknownValue,
        ]),
        (example("stage = \"contact\"\nqualified = \"yes\""), vec![C::UnknownValue]),
        (rule("role == 'buyr'"), vec![C::UnknownValue]),
        (replaced("[teams]\nmarketing = \"Marketing\"\nsales = \"Sales\"\n", "[teams]\n"), vec![
            C::Empty,
            C::UnknownTeam,
            C::UnknownTeam,
        ]),
        (replaced("values = [\"user\", \"buyer\"]", "values = []"), vec![C::Empty]),
        (replaced("company = \"string\"", "company = { type = \"string\", column = \"\" }"), vec![C::Empty]),
        (rule("   "), vec![C::Empty]),
        (replaced("subscribed = \"boolean\"", "subscribed = { type = \"boolean\", true = [\" \"] }"), vec![C::Empty]),
        (replaced("company = \"string\"", "\"Company Name\" = \"string\""), vec![C::InvalidId]),
        (replaced("id = \"lead\"", "id = \"Lead\""), vec![C::InvalidId]),
        (replaced("id = \"lead\"", "id = \"contact\""), vec![C::Duplicate]),
        (replaced("values = [\"user\", \"buyer\"]", "values = [\"user\", \"user\"]"), vec![C::Duplicate]),
        (replaced("company = \"string\"", "company = { type = \"string\", column = \"email\" }"), vec![C::Duplicate]),
        (replaced("id = \"lead\"", "id = \"lead\"\naliases = [\"Contact\"]"), vec![C::Duplicate]),
        (
            plus(
                "[[examples]]\nname = \"e\"\nunclassified = true\n\n[[examples]]\nname = \"e\"\nunclassified = true",
            ),
            vec![C::Duplicate],
        ),
        (replaced("budget = \"number\"", "budget = { type = \"number\", thousands = \".\" }"), vec![C::Conflict]),
        (replaced("subscribed = \"boolean\"", "subscribed = { type = \"boolean\", true = [\"no\"] }"), vec![
            C::Conflict,
        ]),
        (plus("[scoring]\nmin = 10\nmax = 0"), vec![C::Conflict]),
        (example("unclassified = true\nstage = \"contact\""), vec![C::Conflict]),
        (rule("budgett >= 1"), vec![C::UnknownField]),
        (replaced("when = \"qualified\"", "when = \"qualified\"\nrequires = [\"compnay\"]"), vec![C::UnknownField]),
        (example("unclassified = true\nerrors = { emial = \"x\" }"), vec![C::UnknownField]),
        (example("unclassified = true\nrecord = { emial = \"x\" }"), vec![C::UnknownField]),
        (plus("[[transitions]]\nfrom = \"contact\"\nto = \"leed\""), vec![C::UnknownStage]),
        (example("stage = \"leed\""), vec![C::UnknownStage]),
        (replaced("owner = \"sales\"", "owner = \"sale\""), vec![C::UnknownTeam]),
        (example("unclassified = true\nowner = \"sale\""), vec![C::UnknownTeam]),
        (rule("criteria.budgett"), vec![C::UnknownCriterion]),
        (example("unclassified = true\ncriteria = { budgett = \"met\" }"), vec![C::UnknownCriterion]),
        (rule("budget >= 1 )"), vec![C::RuleSyntax]),
        (rule("budget = 1"), vec![C::RuleSyntax]),
        (rule("company == 'x"), vec![C::RuleSyntax]),
        (rule("budget >="), vec![C::RuleSyntax]),
        (rule("budget >= 'high'"), vec![C::TypeMismatch]),
        (rule("company < 'b'"), vec![C::TypeMismatch]),
        (rule("purchase_by <= today + 90"), vec![C::TypeMismatch]),
        (
            replaced("budget = \"budget >= 10_000\"", "budget = \"budget >= 10_000 and qualified\""),
            vec![C::NotAllowedHere],
        ),
        (rule("company matches '('"), vec![C::InvalidRegex]),
        (rule("purchase_by < 2026-02-30"), vec![C::InvalidDate]),
        (example("unclassified = true\nnow = \"yesterday\""), vec![C::InvalidDate]),
        (rule("purchase_by < today + 1.5d"), vec![C::InvalidDuration]),
        (rule("purchase_by < today + 3fortnights"), vec![C::InvalidDuration]),
        (replaced("id = \"lead\"", "id = \"lead\"\nsla = \"1mo\""), vec![C::InvalidDuration]),
        (replaced("purchase_by = \"date\"", "purchase_by = { type = \"date\", formats = [\"%d.%m\"] }"), vec![
            C::InvalidDateFormat,
        ]),
        (rule(&format!("{}true{}", "(".repeat(200), ")".repeat(200))), vec![C::LimitExceeded]),
        (rule(&format!("budget in [{}]", vec!["1"; 11_000].join(","))), vec![C::LimitExceeded]),
        (
            plus("[[stages]]\nid = \"later\"\nowner = \"sales\"\nwhen = \"email is present\"\n\n[[transitions]]\nfrom = \"contact\"\nto = \"lead\""),
            vec![C::UnreachableStage],
        ),
        (example("stage = \"lead\"\nrecord = { email = \"a@b.co\" }"), vec![C::ExampleFailed]),
    ]
}

/// Each case of `leadspec check --analyze`: a definition and the codes of its analysis's
/// diagnostics, in order.
fn analysis_cases() -> Vec<(String, Vec<C>)> {
    let covered = "[[examples]]\nname = \"c\"\nstage = \"contact\"\nrecord = { email = \"a@b.co\", budget = 1 }\n\n\
                   [[examples]]\nname = \"l\"\nstage = \"lead\"\nrecord = { email = \"a@b.co\", budget = 20_000 }\n\n\
                   [[examples]]\nname = \"u\"\nunclassified = true\nrecord = { }";
    vec![
        (plus(covered), vec![]),
        (rule("budget > 5 and budget < 3"), vec![C::NotCovered, C::NotCovered, C::NotCovered, C::NotCovered, C::StageNeverReached, C::NotCovered]),
        (
            plus(&format!("{covered}\n\n[[transitions]]\nfrom = \"contact\"\nto = \"lead\"\nwhen = \"role == 'user' and role == 'buyer'\"")),
            vec![C::GuardNeverTrue, C::NotCovered],
        ),
        (
            replaced("budget = \"budget >= 10_000\"", "budget = \"budget >= 10_000\"\nodd = \"company != ''\"")
                + "\n"
                + covered,
            vec![C::ConstantCriterion, C::NotCovered, C::NotCovered],
        ),
        (rule("company matches '\\bx\\b'"), vec![C::NotCovered, C::NotCovered, C::NotCovered, C::NotCovered, C::CannotDecide, C::NotCovered]),
    ]
}

/// The diagnostics of analysing `source`.
fn analysis(source: &str) -> Vec<Diagnostic> {
    let definition = Definition::from_toml(source).unwrap_or_else(|e| panic!("{source}\n{e}"));
    definition.analyze(Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()).diagnostics()
}

#[test]
fn analyses_have_these_codes() {
    for (source, expected) in analysis_cases() {
        let found = analysis(&source);
        let codes: Vec<C> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, expected, "{source}\n{found:#?}");
        codes::assert_codes(&found);
    }
}

#[test]
fn representative_definitions_have_these_codes() {
    for (source, expected) in cases() {
        let found = diagnostics(&source);
        let codes: Vec<C> = found.iter().map(|d| d.code).collect();
        assert_eq!(codes, expected, "{source}\n{found:#?}");
        codes::assert_codes(&found);
    }
}

#[test]
fn every_code_has_a_case() {
    let mut cases = cases();
    cases.extend(analysis_cases());
    // `sql-unsupported` is `leadspec sql`'s refusal of a construct, not a problem of the
    // definition: tests/cli_sql.rs and the SQL compiler's tests hold its cases.
    for &code in C::ALL.iter().filter(|&&c| c != C::SqlUnsupported) {
        assert!(cases.iter().any(|(_, codes)| codes.contains(&code)), "no case for {code}");
    }
}

#[test]
fn a_definition_over_the_size_limit() {
    let limits = leadspec::Limits { max_definition_bytes: 100, ..leadspec::Limits::default() };
    let error = Definition::from_toml_with_limits(BASE, &limits).unwrap_err();
    let codes: Vec<&str> = error.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["limit-exceeded"]);
}

#[test]
fn rule_errors_carry_the_code_of_the_diagnostic_they_become() {
    let source = rule("budget >= 'high' and budgett > 1");
    let error = Definition::from_toml(&source).unwrap_err();
    let codes: Vec<&str> = error.errors().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["type-mismatch", "unknown-field"]);
}
