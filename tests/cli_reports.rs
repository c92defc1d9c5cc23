//! Reports people act on, through the `leadspec` binary: `classify --output csv` (exact),
//! `funnel --by` with error counts and the other definition's unclassified records (exact
//! JSON, golden text), `explain --record`/`--id` on any input with rejected values, unknown
//! scoring rules and the raw sum, `move` naming the criteria behind `qualified`, and
//! `translate`'s note on a nearest earlier counterpart.
#![cfg(feature = "cli")]

#[path = "support/cli.rs"]
mod cli;
use cli::{run, run_with, s};

use std::path::PathBuf;

use serde_json::{json, Value};

#[path = "support/golden.rs"]
mod golden;
use golden::golden;

const NOW: &str = "2026-11-22T00:00:00Z";

/// A scored definition for a CRM export.
const DEF: &str = r#"[input]
id = "Lead ID"
missing = ["Select"]

[definition]
name = "Reports"
version = "2"

[teams]
marketing = "Marketing"
sales = "Sales"

[fields]
email = { type = "email", column = "Email", required = true }
source = { type = "enum", column = "Lead Source", values = ["Webinar", "Ads", "Referral"] }
budget = { type = "number", column = "Budget", thousands = ",", currency = true }
won_date = { type = "date", column = "Won Date" }
company = { type = "string", column = "Company" }

[qualification.criteria]
budget = { when = "budget >= 10_000", ask = "What is the budget?" }
known = { when = "company is present", ask = "Which company, with a comma, \"quoted\"?" }

[scoring]
min = 0
max = 50

[[scoring.rules]]
name = "Big budget"
when = "budget >= 10_000"
points = 40

[[scoring.rules]]
name = "Referral"
when = "source == 'Referral'"
points = 30

[[scoring.rules]]
name = "Contact us"
when = "won_date < today"
points = 5

[[stages]]
id = "contact"
owner = "marketing"
when = "email is present"

[[stages]]
id = "qualified"
owner = "sales"
canonical = "sql"
when = "qualified"

[[stages]]
id = "won"
owner = "sales"
when = "won_date is present"
"#;

const CSV: &str = "Lead ID,Email,Lead Source,Budget,Won Date,Company
L1,ann@example.com,Webinar,\"$12,000\",,\"Acme, Inc.\"
L2,not-an-address,Ads,500,,
L3,cy@example.com,Referral,\"$50,000\",26/02/2018,Cyan
7,dee@example.com,Select,,2026-11-01,Dee
L3,eve@example.com,Ads,1,,
L6,fay@example.com,Referral,\"$20,000\",,Fay
";

/// Writes a file into a directory of its own for this test and returns its path.
fn file(test: &str, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    cli::file_in("cli_reports", test, name, content)
}

/// The definition and the export of a test.
fn setup(test: &str) -> (PathBuf, PathBuf) {
    (file(test, "def.toml", DEF), file(test, "export.csv", CSV))
}

// ---- classify --output csv ---------------------------------------------------------------------

#[test]
fn classify_writes_csv_back_for_the_crm() {
    let (def, csv) = setup("csv_out");
    let out = run(&["classify", "--definition", s(&def), "--now", NOW, "--output", "csv", s(&csv)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "record,id,stage,owner,qualified,criteria.budget,criteria.known,score,ask,errors\n\
         1,L1,qualified,sales,met,met,met,40,,\n\
         2,L2,,,not_met,not_met,not_met,0,,email: Email address invalid\n\
         3,L3,qualified,sales,met,met,met,50,,won_date: Date invalid\n\
         4,7,won,sales,unknown,unknown,met,5,What is the budget?,\n\
         5,L3,contact,marketing,not_met,not_met,not_met,0,,\n\
         6,L6,qualified,sales,met,met,met,50,,\n"
    );
}

#[test]
fn classify_csv_of_unreadable_records_and_numeric_ids() {
    let (def, _) = setup("csv_unreadable");
    let input = "{\"Lead ID\": 42, \"Email\": \"a@example.com\"}\nnot json\n{\"Lead ID\": 2.5}\n";
    let out = run_with(&["classify", "--definition", s(&def), "--now", NOW, "--output", "csv"], Some(input.as_bytes()));
    assert_eq!(out.code, 3);
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(rows[1], "1,42,contact,marketing,not_met,unknown,not_met,0,What is the budget?,");
    assert_eq!(rows[2], "2,,,,,,,,,line 2: not valid JSON at column 2: expected ident");
    assert!(rows[3].starts_with("3,2.5,,,"), "{}", rows[3]);
    assert!(rows[3].ends_with(",email: Required field missing"), "{}", rows[3]);
    // The header is written even for empty input.
    let out = run_with(&["classify", "--definition", s(&def), "--now", NOW, "--output", "csv"], Some(b""));
    assert_eq!(out.stdout, "record,id,stage,owner,qualified,criteria.budget,criteria.known,score,ask,errors\n");
}

// ---- funnel --------------------------------------------------------------------------------

#[test]
fn funnel_by_a_field_with_errors_and_the_other_definition() {
    let (def, csv) = setup("funnel_by");
    let other = file(
        "funnel_by",
        "other.toml",
        "[definition]\nname = \"Other\"\n[teams]\nt = \"T\"\n[fields]\nemail = { type = \"email\", column = \"Email\" }\n\
         [[stages]]\nid = \"sql\"\nowner = \"t\"\ncanonical = \"sql\"\nwhen = \"email ends_with 'example.com'\"\n",
    );
    let out = run(&[
        "funnel",
        "--definition",
        s(&def),
        "--now",
        NOW,
        "--json",
        "--by",
        "Lead Source",
        "--compare",
        s(&other),
        s(&csv),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        v,
        json!({
            "total": 6, "unclassified": 1, "unreadable": 0,
            "stages": {"contact": 1, "qualified": 3, "won": 1},
            "owners": {"marketing": 1, "sales": 4},
            "errors": {"email": 1, "won_date": 1},
            "by": {"field": "source", "groups": [
                {"value": "Ads", "total": 2, "unclassified": 1, "stages": {"contact": 1, "qualified": 0, "won": 0}},
                {"value": "Referral", "total": 2, "unclassified": 0, "stages": {"contact": 0, "qualified": 2, "won": 0}},
                {"value": "Webinar", "total": 1, "unclassified": 0, "stages": {"contact": 0, "qualified": 1, "won": 0}},
                {"value": null, "total": 1, "unclassified": 0, "stages": {"contact": 0, "qualified": 0, "won": 1}},
            ]},
            "shared": {"sql": [3, 5]},
            "other": {"name": "Other", "unclassified": 1},
        })
    );
    let text =
        run(&["funnel", "--definition", s(&def), "--now", NOW, "--by", "source", "--compare", s(&other), s(&csv)]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    golden("funnel_by.txt", &text.stdout);
    // An unknown field exits 2 with a hint.
    let bad = run(&["funnel", "--definition", s(&def), "--now", NOW, "--by", "sorce", s(&csv)]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("did you mean `source`?"), "{}", bad.stderr);
}

#[test]
fn funnel_groups_numbers_dates_and_booleans_as_text() {
    let def = file(
        "funnel_values",
        "def.toml",
        "[definition]\nname = \"V\"\n[teams]\nt = \"T\"\n[fields]\nn = \"number\"\nd = \"date\"\nb = \"boolean\"\nl = { type = \"list\", separator = \",\" }\n\
         [[stages]]\nid = \"a\"\nowner = \"t\"\nwhen = \"true\"\n",
    );
    let input = "{\"n\": 2.5, \"d\": \"2026-01-02T23:00:00-02:00\", \"b\": \"yes\", \"l\": \"x, y\"}\n{\"n\": \"25000\", \"b\": 0}\n{\"n\": \"abc\"}\n";
    let by = |field: &str| -> Vec<Value> {
        let out = run_with(&["funnel", "-d", s(&def), "--now", NOW, "--json", "--by", field], Some(input.as_bytes()));
        let v: Value = serde_json::from_str(&out.stdout).unwrap();
        v["by"]["groups"].as_array().unwrap().iter().map(|g| g["value"].clone()).collect()
    };
    assert_eq!(by("n"), [json!("2.5"), json!("25000"), Value::Null]);
    // Largest group first: two records have no date.
    assert_eq!(by("d"), [Value::Null, json!("2026-01-03")]);
    assert_eq!(by("b"), [json!("false"), json!("true"), Value::Null]);
    assert_eq!(by("l"), [Value::Null, json!("x,y")]);
}

// ---- explain ---------------------------------------------------------------------------------

#[test]
fn explain_a_row_of_a_csv_by_number_or_id() {
    let (def, csv) = setup("explain_row");
    let out = run(&["explain", "--definition", s(&def), "--now", NOW, "--record", "3", s(&csv)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    golden("explain_record_3.txt", &out.stdout);
    assert!(out.stdout.contains("won_date is invalid: \"26/02/2018\" is not a date"), "{}", out.stdout);
    // The score's raw sum when clamping changed it; a rule left unknown by bad data.
    assert!(out.stdout.contains("Score: 50 (the rules add up to 70, clamped to 0..50)"), "{}", out.stdout);
    assert!(out.stdout.contains("? Contact us: `won_date < today` is unknown, adds nothing"), "{}", out.stdout);

    let by_id = run(&["explain", "--definition", s(&def), "--now", NOW, "--id", "7", s(&csv)]);
    assert_eq!(by_id.code, 0, "{}", by_id.stderr);
    assert!(by_id.stdout.contains("Record: \"7\""), "{}", by_id.stdout);
    assert!(!by_id.stdout.contains("clamped"), "nothing was clamped: {}", by_id.stdout);

    // Two records with one id: the first, with a note.
    let twice = run(&["explain", "--definition", s(&def), "--now", NOW, "--id", "L3", s(&csv)]);
    assert_eq!(twice.code, 0);
    assert!(twice.stdout.contains("Record: \"L3\"") && twice.stdout.contains("\"Cyan\""), "{}", twice.stdout);
    assert!(
        twice.stderr.contains("note: 2 records have the id \"L3\"; explaining the first, record 3"),
        "{}",
        twice.stderr
    );
}

#[test]
fn explain_refuses_what_matches_no_record() {
    let (def, csv) = setup("explain_none");
    for args in [vec!["--record", "7"], vec!["--record", "0"], vec!["--id", "L9"], vec!["--record", "1", "--id", "L1"]]
    {
        let mut all = vec!["explain", "--definition", s(&def), "--now", NOW];
        all.extend(&args);
        all.push(s(&csv));
        assert_eq!(run(&all).code, 2, "{args:?}");
    }
    // An unreadable record cannot be explained.
    let out = run_with(&["explain", "-d", s(&def), "--now", NOW, "--record", "2"], Some(b"{}\nnope\n"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("record 2 could not be read"), "{}", out.stderr);
    // JSON Lines on standard input by default, numbered as classify numbers them.
    let out = run_with(
        &["explain", "-d", s(&def), "--now", NOW, "--record", "2"],
        Some(b"{\"Email\": \"a@example.com\"}\n\n{\"Email\": \"b@example.com\", \"Lead ID\": 5}\n"),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Record: 5"), "{}", out.stdout);
}

// ---- move and translate --------------------------------------------------------------------------

#[test]
fn move_names_the_criteria_behind_qualified() {
    let def = file(
        "move",
        "def.toml",
        DEF.replace(
            "[[stages]]\nid = \"won\"",
            "[[transitions]]\nfrom = \"contact\"\nto = \"qualified\"\nwhen = \"qualified\"\n\n[[stages]]\nid = \"won\"",
        )
        .replace("[[transitions]]", "[[transitions]]\nfrom = \"*\"\nto = \"won\"\n\n[[transitions]]"),
    );
    let record = file("move", "lead.json", r#"{"Email": "a@example.com", "Budget": "$5"}"#);
    let out =
        run(&["move", "--definition", s(&def), "--now", NOW, "--from", "contact", "--to", "qualified", s(&record)]);
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "refused: the move from `contact` to `qualified` needs `qualified`, which is false (qualified is not_met because `budget` and `known` are not_met)\n"
    );
    let record = file("move", "unknown.json", r#"{"Email": "a@example.com", "Company": "Acme", "Budget": "lots"}"#);
    let out =
        run(&["move", "--definition", s(&def), "--now", NOW, "--from", "contact", "--to", "qualified", s(&record)]);
    assert_eq!(
        out.stdout,
        "refused: the move from `contact` to `qualified` needs `qualified`, which is unknown (qualified is unknown because `budget` is unknown)\n"
    );
}

#[test]
fn translate_notes_a_nearest_earlier_counterpart() {
    let root = env!("CARGO_MANIFEST_DIR");
    let ladder = format!("{root}/examples/definitions/suspect_ladder.toml");
    let default = format!("{root}/examples/definitions/default.toml");
    let out = run(&["translate", "--from", &ladder, "--to", &default, "mql"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "inquiry\n"));
    assert!(out.stderr.starts_with("note: "), "{}", out.stderr);
    assert!(out.stderr.contains("no stage for the funnel word `mql`"), "{}", out.stderr);
    // The same shared word: no note.
    let out = run(&["translate", "--from", &ladder, "--to", &default, "contact"]);
    assert_eq!((out.code, out.stdout.as_str(), out.stderr.as_str()), (0, "contact\n", ""));
}
