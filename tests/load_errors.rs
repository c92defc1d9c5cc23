//! Every load-time error kind, each asserted at its exact line and column.

#[path = "support/codes.rs"]
mod codes;

use leadspec::{Definition, Diagnostic, Severity};

/// A valid definition to which each test adds or changes one thing.
const BASE: &str = r#"[definition]
name = "Test"

[teams]
marketing = "Marketing"
sales = "Sales"

[fields]
email = { type = "email", required = true }
budget = "number"
role = { type = "enum", values = ["user", "decision_maker"] }
need = "string"
purchase_by = "date"

[qualification.criteria]
budget = "budget >= 10_000"
need = "need is present"

[[stages]]
id = "contact"
owner = "marketing"
when = "email is present"

[[stages]]
id = "qualified_lead"
owner = "sales"
canonical = "sql"
when = "qualified"
"#;

/// The 1-based line and character column of the `nth` (0-based) occurrence of `needle`.
fn position(src: &str, needle: &str, nth: usize) -> (usize, usize) {
    let offset = src.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("`{needle}` not in source")).0;
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
    (line, column)
}

fn diagnostics(src: &str) -> Vec<Diagnostic> {
    let list = match Definition::from_toml(src) {
        Ok(d) => d.warnings().to_vec(),
        Err(e) => e.diagnostics,
    };
    codes::assert_codes(&list);
    list
}

fn errors(src: &str) -> Vec<Diagnostic> {
    diagnostics(src).into_iter().filter(|d| d.severity == Severity::Error).collect()
}

/// Asserts exactly one error, at `needle`, whose message contains `message`; returns it.
fn one_error_at(src: &str, needle: &str, nth: usize, message: &str) -> Diagnostic {
    let errors = errors(src);
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    let e = errors.into_iter().next().unwrap();
    assert_eq!((e.line, e.column), position(src, needle, nth), "{e:?}");
    assert!(e.message.contains(message), "message {:?} lacks {message:?}", e.message);
    assert_eq!(&src[e.span.clone()][..needle.len().min(e.span.len())], &needle[..needle.len().min(e.span.len())]);
    e
}

#[test]
fn the_base_definition_loads() {
    let d = Definition::from_toml(BASE).unwrap();
    assert_eq!(d.stages().len(), 2);
    assert!(d.warnings().is_empty());
}

#[test]
fn misspelt_required_key_is_one_error_with_a_hint() {
    let src = BASE.replace("owner = \"marketing\"", "onwer = \"marketing\"");
    let e = one_error_at(&src, "onwer", 0, "unknown key `onwer`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `owner`?"));
}

#[test]
fn unknown_key_anywhere_is_an_error() {
    let src = BASE.replace("name = \"Test\"", "name = \"Test\"\nversoin = \"1\"");
    let e = one_error_at(&src, "versoin", 0, "unknown key `versoin` in [definition]");
    assert_eq!(e.hint.as_deref(), Some("did you mean `version`?"));
    let src = format!("{BASE}\n[stagess]\n");
    let e = one_error_at(&src, "stagess", 0, "unknown key `stagess`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `stages`?"));
    let src = BASE.replace("budget = \"number\"", "budget = { type = \"number\", requird = true }");
    one_error_at(&src, "requird", 0, "unknown key `requird` in field `budget`");
}

#[test]
fn missing_required_key_points_at_the_table() {
    let src = BASE.replace("when = \"qualified\"\n", "");
    one_error_at(&src, "[[stages]]", 1, "missing key `when` in [[stages]]");
    let src = BASE.replace("name = \"Test\"\n", "");
    one_error_at(&src, "[definition]", 0, "missing key `name` in [definition]");
}

#[test]
fn duplicate_stage_ids() {
    let src = BASE.replace("id = \"qualified_lead\"", "id = \"contact\"");
    let e = one_error_at(&src, "\"contact\"", 1, "duplicate stage id `contact`");
    assert_eq!(e.hint.as_deref(), Some("first declared on line 20"));
}

#[test]
fn stage_ids_are_lower_snake_case() {
    let src = BASE.replace("id = \"qualified_lead\"", "id = \"QualifiedLead\"");
    one_error_at(&src, "\"QualifiedLead\"", 0, "not lower_snake_case");
}

#[test]
fn owner_must_be_a_team() {
    let src = BASE.replace("owner = \"sales\"", "owner = \"sale\"");
    let e = one_error_at(&src, "\"sale\"", 0, "unknown team `sale`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `sales`?"));
}

#[test]
fn requires_names_fields() {
    let src = BASE.replace("when = \"qualified\"", "when = \"qualified\"\nrequires = [\"email\", \"compnay\"]");
    one_error_at(&src, "\"compnay\"", 0, "unknown field `compnay` in `requires`");
}

#[test]
fn enum_needs_values() {
    let src = BASE.replace("values = [\"user\", \"decision_maker\"]", "values = []");
    one_error_at(&src, "[]", 0, "has no values");
    let src = BASE.replace(", values = [\"user\", \"decision_maker\"]", "");
    one_error_at(&src, "{ type = \"enum\"", 0, "needs its `values`");
    let src = BASE.replace("budget = \"number\"", "budget = { type = \"number\", values = [\"a\"] }");
    one_error_at(&src, "[\"a\"]", 0, "only an enum field takes `values`");
}

#[test]
fn unknown_field_type_has_a_hint() {
    let src = BASE.replace("need = \"string\"", "need = \"strng\"");
    let e = one_error_at(&src, "\"strng\"", 0, "unknown field type `strng`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `string`?"));
}

#[test]
fn bad_sla_durations() {
    let src = BASE.replace("when = \"qualified\"", "when = \"qualified\"\nsla = \"2 days\"");
    one_error_at(&src, "\"2 days\"", 0, "not a duration");
    let src = BASE.replace("when = \"qualified\"", "when = \"qualified\"\nsla = \"1mo\"");
    one_error_at(&src, "\"1mo\"", 0, "fixed length");
}

#[test]
fn two_stages_may_not_share_a_shared_word() {
    let src = BASE.replace("owner = \"marketing\"", "owner = \"marketing\"\ncanonical = \"sql\"");
    one_error_at(&src, "\"sql\"", 1, "two stages share the shared word `sql`");
    let src = BASE.replace("canonical = \"sql\"", "canonical = \"sqll\"");
    let e = one_error_at(&src, "\"sqll\"", 0, "unknown shared word `sqll`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `sql`?"));
}

#[test]
fn a_criterion_with_an_ask_needs_a_rule() {
    let src = BASE.replace("need = \"need is present\"", "need = { ask = \"What do they need?\" }");
    one_error_at(&src, "{ ask", 0, "missing key `when` in criterion `need`");
    let src = BASE.replace("need = \"need is present\"", "need = { when = \"need is present\", aks = \"?\" }");
    one_error_at(&src, "aks", 0, "unknown key `aks`");
}

#[test]
fn require_must_fit_the_criteria() {
    let src = BASE.replace("[qualification.criteria]", "[qualification]\nrequire = 3\n\n[qualification.criteria]");
    one_error_at(&src, "3", 0, "between 1 and the number of criteria (2)");
    let src = BASE.replace("[qualification.criteria]", "[qualification]\nrequire = \"al\"\n\n[qualification.criteria]");
    let e = one_error_at(&src, "\"al\"", 0, "`require` must be");
    assert_eq!(e.hint.as_deref(), Some("did you mean `all`?"));
}

#[test]
fn wrong_value_types_are_reported_at_the_value() {
    let src = BASE.replace("when = \"qualified\"", "when = \"qualified\"\npriority = \"high\"");
    one_error_at(&src, "\"high\"", 0, "expected an integer, found a string");
    let src = BASE.replace("marketing = \"Marketing\"", "marketing = 1");
    one_error_at(&src, "1", 0, "expected a string, found an integer");
}

#[test]
fn toml_syntax_errors_have_positions() {
    let src = BASE.replace("name = \"Test\"", "name = Test");
    let errors = errors(&src);
    assert!(!errors.is_empty());
    assert_eq!(errors[0].line, 2);
    assert!(errors[0].message.starts_with("invalid TOML"));
}

#[test]
fn messages_name_known_rules() {
    let src = format!("{BASE}\n[messages]\nemial = \"Bad e-mail\"\n");
    let e = one_error_at(&src, "emial", 0, "unknown validation rule `emial`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `email`?"));
}

#[test]
fn transitions_name_known_stages_and_unreachable_stages_warn() {
    let src = format!("{BASE}\n[[transitions]]\nfrom = \"contact\"\nto = \"qualifed_lead\"\n");
    let e = one_error_at(&src, "\"qualifed_lead\"", 0, "unknown stage `qualifed_lead`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `qualified_lead`?"));

    let src = format!("{BASE}\n[[transitions]]\nfrom = \"qualified_lead\"\nto = \"contact\"\n");
    let all = diagnostics(&src);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0].severity, Severity::Warning);
    assert_eq!((all[0].line, all[0].column), position(&src, "\"qualified_lead\"", 0));
    assert!(all[0].message.contains("no declared transition reaches the stage `qualified_lead`"));
}

#[test]
fn scoring_is_loaded_strictly() {
    let src = format!("{BASE}\n[scoring]\nmin = 10\nmax = 5\n");
    one_error_at(&src, "5", 0, "`max` (5) is below `min` (10)");
    let src = format!("{BASE}\n[scoring]\n[[scoring.rules]]\nwhen = \"budget >= 1\"\npoints = 2.5\n");
    one_error_at(&src, "2.5", 0, "expected an integer, found a float");
    let src = format!("{BASE}\n[scoring]\nmaximum = 5\n");
    let e = one_error_at(&src, "maximum", 0, "unknown key `maximum` in [scoring]");
    assert_eq!(e.hint.as_deref(), Some("did you mean `max`?"));
}

#[test]
fn examples_name_known_stages_teams_criteria_and_fields() {
    let ex = |body: &str| format!("{BASE}\n[[examples]]\nname = \"e\"\n{body}\n");
    let src = ex("record = { email = \"a@example.com\" }\nstage = \"contct\"");
    let e = one_error_at(&src, "\"contct\"", 0, "unknown stage `contct`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `contact`?"));
    let src = ex("record = { emial = \"a@example.com\" }\nstage = \"contact\"");
    one_error_at(&src, "emial", 0, "unknown field `emial`");
    let src = ex("record = {}\nstage = \"contact\"\nowner = \"marketng\"");
    one_error_at(&src, "\"marketng\"", 0, "unknown team `marketng`");
    let src = ex("record = {}\nstage = \"contact\"\ncriteria = { budgt = \"met\" }");
    one_error_at(&src, "budgt", 0, "unknown criterion `budgt`");
    let src = ex("record = {}\nstage = \"contact\"\nunclassified = true");
    one_error_at(&src, "true", 1, "exactly one of");
    let src = ex("record = {}\nstage = \"contact\"\nqualified = \"yes\"");
    one_error_at(&src, "\"yes\"", 0, "is not `met`, `not_met` or `unknown`");
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let src = BASE
        .replace("owner = \"sales\"", "owner = \"sale\"")
        .replace("need = \"string\"", "need = \"strng\"")
        .replace("name = \"Test\"", "name = \"Test\"\nversoin = \"1\"");
    let errors = errors(&src);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "errors come in source order");
}

#[test]
fn a_definition_needs_teams_and_stages() {
    let errors = errors("[definition]\nname = \"x\"\n");
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["missing key `teams` in the definition file", "missing key `stages` in the definition file"]);
    assert!(errors.iter().all(|e| (e.line, e.column) == (1, 1)));
}

// ---- rule errors, mapped from the rule text into the file ---------------------------------

/// BASE with the contact stage's rule replaced by `rule` (written as the TOML string `raw`).
fn with_stage_rule(raw: &str) -> String {
    BASE.replacen("when = \"email is present\"", &format!("when = {raw}"), 1)
}

#[test]
fn rule_errors_point_into_the_file() {
    let src = with_stage_rule("\"budgett >= 1\"");
    let e = one_error_at(&src, "budgett", 0, "unknown field `budgett`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `budget`?"));
    assert_eq!((e.line, e.column), (22, 9));
}

#[test]
fn rule_positions_survive_escapes_and_literal_strings() {
    let src = with_stage_rule(r#""need == \"x\" and budgett >= 1""#);
    one_error_at(&src, "budgett", 0, "unknown field `budgett`");
    let src = with_stage_rule("'need == \"\\\\\" and budgett >= 1'");
    one_error_at(&src, "budgett", 0, "unknown field `budgett`");
    let src = with_stage_rule("\"\"\"\nemail is present\n  and budgett >= 1\"\"\"");
    let e = one_error_at(&src, "budgett", 0, "unknown field `budgett`");
    assert_eq!(e.column, 7);
    let src = with_stage_rule("\"need == 'r\\u00e9' or budgett >= 1\"");
    one_error_at(&src, "budgett", 0, "unknown field `budgett`");
}

#[test]
fn every_rule_error_kind_of_the_contract() {
    let cases = [
        ("\"budget >= 'high'\"", "'high'", "a text where a number is needed"),
        ("\"role == 'decison_maker'\"", "'decison_maker'", "is not a value of `role`"),
        ("\"need matches '(unclosed'\"", "'(unclosed'", "invalid regular expression"),
        ("\"purchase_by <= 90d\"", "90d", "a duration where a date is needed"),
        ("\"purchase_by <= today + 90\"", "90\"", "a number where a duration is needed"),
        ("\"email is present and\"", "\"\n", "expected a value, found the end of the rule"),
        ("\"budget >> 1\"", "> 1", "expected a value, found `>`"),
        ("\"criteria.budgt\"", "budgt", "unknown criterion `budgt`"),
        ("\"score >= 1\"", "score", "unknown field `score`"),
    ];
    for (raw, needle, message) in cases {
        let src = with_stage_rule(raw);
        let offset = src.find("when = ").unwrap();
        let at = offset + src[offset..].find(needle).unwrap();
        let errors = errors(&src);
        assert_eq!(errors.len(), 1, "{raw}: {errors:#?}");
        assert_eq!(errors[0].span.start, at, "{raw}: {:?}", errors[0]);
        assert!(errors[0].message.contains(message), "{raw}: {}", errors[0].message);
    }
}

#[test]
fn a_criterion_may_not_use_criteria_qualified_or_score() {
    let src = BASE.replace("need = \"need is present\"", "need = \"qualified\"");
    one_error_at(&src, "qualified\"", 0, "`qualified` cannot be used here");
    let src = BASE.replace("need = \"need is present\"", "need = \"criteria.budget\"");
    one_error_at(&src, "criteria.budget", 0, "`criteria.budget` cannot be used here");
}

#[test]
fn a_guard_that_does_not_type_check() {
    let src =
        format!("{BASE}\n[[transitions]]\nfrom = \"contact\"\nto = \"qualified_lead\"\nwhen = \"budget == 'lots'\"\n");
    one_error_at(&src, "'lots'", 0, "a text where a number is needed");
}

#[test]
fn reserved_words_cannot_be_field_ids() {
    let src = BASE.replace("need = \"string\"", "need = \"string\"\ntoday = \"date\"");
    let e = one_error_at(&src, "today", 0, "`today` is a word of the rule language, so it cannot be a field id");
    assert_eq!(e.hint.as_deref(), Some("name the field `today_field` and add `column = \"today\"`"));
}

#[test]
fn a_field_with_a_bad_type_is_not_reported_again_by_rules() {
    let src = BASE.replace("need = \"string\"", "need = \"strng\"");
    one_error_at(&src, "\"strng\"", 0, "unknown field type `strng`");
}

#[test]
fn one_slip_in_a_stage_or_criterion_is_one_error_not_one_per_use() {
    let uses = "\n[[transitions]]\nfrom = \"contact\"\nto = \"qualified_lead\"\n\n[[examples]]\nname = \"e\"\n\
                record = {}\nstage = \"contact\"\ncriteria = { budget = \"unknown\" }\n";
    let src = format!("{}{uses}", BASE.replacen("owner = \"marketing\"", "onwer = \"marketing\"", 1));
    one_error_at(&src, "onwer", 0, "unknown key `onwer` in [[stages]]");
    let src = format!("{}{uses}", BASE.replace("budget >= 10_000", "budgett >= 10_000"));
    one_error_at(&src, "budgett", 0, "unknown field `budgett`");
}

// ---- stage words are one namespace (ids and aliases, ignoring case) ---------------------

#[test]
fn an_alias_equal_to_another_stages_id_is_an_error_at_the_alias() {
    let src = BASE.replace("id = \"contact\"\n", "id = \"contact\"\naliases = [\"subscriber\", \"Qualified_Lead\"]\n");
    let e = one_error_at(
        &src,
        "\"Qualified_Lead\"",
        0,
        "the alias `Qualified_Lead` already names the stage `qualified_lead`",
    );
    assert!(e.hint.as_deref().is_some_and(|h| h.contains("ignoring case")), "{e:?}");
}

#[test]
fn an_alias_equal_to_another_stages_alias_is_an_error_at_the_later_alias() {
    let src = BASE
        .replace("id = \"contact\"\n", "id = \"contact\"\naliases = [\"lead\"]\n")
        .replace("id = \"qualified_lead\"\n", "id = \"qualified_lead\"\naliases = [\"SQL\", \"LEAD\"]\n");
    one_error_at(&src, "\"LEAD\"", 0, "the alias `LEAD` already names the stage `contact`");
}

#[test]
fn an_alias_listed_twice_is_an_error_at_the_second() {
    let src = BASE.replace("id = \"contact\"\n", "id = \"contact\"\naliases = [\"Lead\", \"lead\"]\n");
    let e = one_error_at(&src, "\"lead\"", 0, "the alias `lead` is listed twice");
    let first_line = position(&src, "\"Lead\"", 0).0;
    assert!(e.hint.as_deref().is_some_and(|h| h.contains(&format!("line {first_line};"))), "{e:?}");
}

#[test]
fn a_stage_may_list_its_own_id_as_an_alias() {
    let src = BASE.replace("id = \"contact\"\n", "id = \"contact\"\naliases = [\"Contact\"]\n");
    assert!(errors(&src).is_empty(), "{:?}", errors(&src));
}
