//! End-to-end tests of the `leadspec` binary (feature `cli`): every command, every exit
//! status, unreadable inputs, output shapes and the `check` diagnostics format.
#![cfg(feature = "cli")]

#[path = "support/cli.rs"]
mod cli;
use cli::{run, run_with, s};

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

#[path = "support/golden.rs"]
mod golden;
use golden::golden;

const NOW: &str = "2026-11-22T00:00:00Z";

/// The definition most tests use: the contract's Acme example, with aliases, a description
/// and an SLA.
const ACME: &str = r#"[definition]
name = "Acme lead definitions"
version = "1"

[teams]
marketing = "Marketing"
sales = "Sales"

[fields]
id = "string"
email = { type = "email", required = true }
website = "url"
company = "string"
budget = "number"
role = { type = "enum", values = ["user", "influencer", "decision_maker", "economic_buyer"] }
need = "string"
purchase_by = "date"
downloads = "number"
customer_since = "date"

[qualification]
require = "all"

[qualification.criteria]
budget = { when = "budget >= 10_000", ask = "What budget is set aside?" }
authority = { when = "role in ['decision_maker', 'economic_buyer']", ask = "Who signs off?" }
need = "need is present"
timeframe = { when = "purchase_by <= today + 90d", ask = "By when must it be solved?" }

[[stages]]
id = "contact"
owner = "marketing"
canonical = "contact"
aliases = ["suspect"]
description = "We can reach them."
when = "email is present"

[[stages]]
id = "inquiry"
owner = "marketing"
canonical = "inquiry"
when = "downloads >= 1"

[[stages]]
id = "nurture"
owner = "marketing"
canonical = "nurture"
when = "criteria.need and not criteria.timeframe"

[[stages]]
id = "qualified_lead"
name = "Qualified lead"
owner = "sales"
canonical = "sql"
when = "qualified"
requires = ["company"]
sla = "48h"

[[stages]]
id = "customer"
owner = "sales"
canonical = "customer"
priority = 10
when = "customer_since is present"

[[transitions]]
from = "contact"
to = "inquiry"

[[transitions]]
from = "inquiry"
to = "qualified_lead"
when = "qualified"

[[transitions]]
from = "*"
to = "nurture"

[[transitions]]
from = "qualified_lead"
to = "customer"
"#;

/// Another organisation's words for the same lifecycle, for `translate` and `--compare`.
const OTHER: &str = r#"[definition]
name = "Other"

[teams]
growth = "Growth"

[fields]
email = "email"

[[stages]]
id = "subscriber"
owner = "growth"
canonical = "contact"
when = "email is present"

[[stages]]
id = "deal"
owner = "growth"
canonical = "opportunity"
when = "false"

[[stages]]
id = "parked"
owner = "growth"
when = "false"
"#;

/// A definition with `[scoring]`.
const SCORED: &str = r#"[definition]
name = "Scored"

[teams]
mkt = "Marketing"

[fields]
email = "email"
page_views = "number"

[scoring]
max = 100

[[scoring.rules]]
name = "Engaged"
when = "page_views >= 10"
points = 30

[[stages]]
id = "lead"
owner = "mkt"
when = "score >= 30"
"#;

const LEADS: &str = r#"{"id":"A1","email":"ann@example.com"}
{"id":"A2","email":"bob@example.com","downloads":2,"need":"reporting","purchase_by":"2027-06-01"}
{"id":"A3","email":"cy@example.com","company":"Cyan","budget":"25000","role":"economic_buyer","need":"churn","purchase_by":"2027-01-10"}
{"id":"A4","email":"dee@example.com","budget":50000,"role":"decision_maker","need":"x","purchase_by":"2026-12-01"}
{"id":"A5","email":"not an email","website":"example.com","downloads":1}
{"id":"A6","email":"eve@example.com","customer_since":"2024-05-01","role":"ceo"}
{"company":"Nameless"}
"#;

/// Writes a file into a directory of its own for this test and returns its path.
fn file(test: &str, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    cli::file_in("cli", test, name, content)
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}

// ---------------------------------------------------------------------------------- check

#[test]
fn check_accepts_a_valid_definition() {
    let def = file("check_valid", "acme.toml", ACME);
    let out = run(&["check", s(&def)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(!out.stdout.contains("error"), "{}", out.stdout);
    assert!(out.stdout.contains("ok"), "{}", out.stdout);
}

#[test]
fn check_prints_position_line_and_caret_with_the_hint() {
    let def = file(
        "check_caret",
        "bad.toml",
        ACME.replace("owner = \"sales\"\ncanonical = \"sql\"", "owner = \"sale\"\ncanonical = \"sql\""),
    );
    let out = run(&["check", s(&def)]);
    assert_eq!(out.code, 1);
    let text = out.stdout;
    let line = ACME.lines().position(|l| l == "canonical = \"sql\"").unwrap(); // 1-based line of the owner
    let header = format!("{}:{line}:9: error: unknown team `sale`\n", s(&def));
    let at = text.find(&header).unwrap_or_else(|| panic!("no header {header:?} in\n{text}"));
    let snippet: Vec<&str> = text[at + header.len()..].lines().take(4).collect();
    // The offending line with its number, then a caret under `"sale"` labelled with the hint.
    let source = snippet.iter().find(|l| l.contains("owner = \"sale\"")).expect("the source line");
    let caret = snippet.iter().find(|l| l.contains('^')).expect("a caret line");
    assert!(source.trim_start().starts_with(&line.to_string()), "{source}");
    let column = source.find("\"sale\"").unwrap();
    assert_eq!(caret.find('^'), Some(column), "caret under the value:\n{source}\n{caret}");
    assert!(caret.contains("^^^^^^ did you mean `sales`?"), "{caret}");
}

#[test]
fn check_points_into_rule_strings_and_reports_every_error_of_every_file() {
    let bad = file(
        "check_many",
        "bad.toml",
        "[definition]\nname = \"x\"\n[teams]\nsales = \"Sales\"\n[fields]\nbudget = \"number\"\n[[stages]]\nid = \"a\"\nonwer = \"sales\"\nwhen = \"budgett >= 1\"\n",
    );
    let good = file("check_many", "good.toml", ACME);
    let out = run(&["check", s(&good), s(&bad)]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains(&format!("{}:9:1: error: unknown key `onwer` in [[stages]]", s(&bad))),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("did you mean `owner`?"));
    assert!(out.stdout.contains(&format!("{}:10:9: error: unknown field `budgett`", s(&bad))), "{}", out.stdout);
    assert!(out.stdout.contains("when = \"budgett >= 1\""));
    assert!(out.stdout.contains(&format!("{}: ok", s(&good))), "{}", out.stdout);
}

#[test]
fn check_allows_warnings() {
    // No transition reaches `inquiry`: a warning, not an error.
    let def = file(
        "check_warning",
        "warn.toml",
        "[definition]\nname = \"w\"\n[teams]\nm = \"M\"\n[[stages]]\nid = \"contact\"\nowner = \"m\"\nwhen = \"true\"\n[[stages]]\nid = \"inquiry\"\nowner = \"m\"\nwhen = \"false\"\n[[transitions]]\nfrom = \"inquiry\"\nto = \"contact\"\n",
    );
    let out = run(&["check", s(&def)]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains(&format!("{}:10:6: warning: no declared transition reaches the stage `inquiry`", s(&def))),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains('^'));
}

#[test]
fn check_reports_a_file_it_cannot_read() {
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-such-definition.toml");
    let out = run(&["check", s(&missing)]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("no-such-definition.toml: error: cannot read"), "{}", out.stdout);
    let not_utf8 = file("check_unreadable", "latin1.toml", b"[definition]\nname = \"caf\xe9\"\n");
    let out = run(&["check", s(&not_utf8)]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("latin1.toml: error: `"), "{}", out.stdout);
    assert!(out.stdout.contains("is not UTF-8 text: byte 0xE9 at line 2, column 12"), "{}", out.stdout);
    // A UTF-16 file (as PowerShell's `>` writes) among valid ones: each file is reported.
    let utf16 = file("check_unreadable", "utf16.toml", b"\xFF\xFE[\0d\0");
    let valid = file("check_unreadable", "valid.toml", ACME);
    let out = run(&["check", s(&valid), s(&utf16)]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("utf16.toml` is UTF-16 text, not UTF-8"), "{}", out.stdout);
    assert!(out.stdout.contains("valid.toml: ok"), "{}", out.stdout);
    // Other commands refuse it as an I/O error, on one line.
    let out = run(&["glossary", s(&not_utf8)]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.starts_with("leadspec: error: `") && out.stderr.contains("is not UTF-8"), "{}", out.stderr);
}

const EXAMPLES: &str = r#"[definition]
name = "Ex"

[teams]
mkt = "Marketing"

[fields]
email = "email"
signed_up = "date"

[[stages]]
id = "subscriber"
owner = "mkt"
when = "email is present"

[[stages]]
id = "lead"
owner = "mkt"
when = "signed_up >= today - 7d"

[[examples]]
name = "A fresh sign-up is a lead"
record = { email = "ana@example.com", signed_up = 2026-11-20 }
stage = "lead"

[[examples]]
name = "Nobody reachable is nothing yet"
record = { }
unclassified = true
"#;

#[test]
fn check_runs_examples_at_now_and_reports_failures_at_the_name() {
    let def = file("check_examples", "ex.toml", EXAMPLES);
    let out = run(&["check", "--now", "2026-11-22", s(&def)]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("2 examples passed"), "{}", out.stdout);
    // A month later the sign-up is old: the first example fails, at its `name` line.
    let out = run(&["check", "--now", "2026-12-22T10:00:00Z", s(&def)]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let line = EXAMPLES.lines().position(|l| l.contains("A fresh sign-up")).unwrap() + 1;
    let header = format!(
        "{}:{line}:1: error: example \"A fresh sign-up is a lead\": expected stage `lead`, got `subscriber`",
        s(&def)
    );
    assert!(out.stdout.contains(&header), "{}", out.stdout);
    assert!(out.stdout.contains("stage `subscriber` matched"), "the reason follows: {}", out.stdout);
    // A bad --now is a usage error.
    assert_eq!(run(&["check", "--now", "22/11/2026", s(&def)]).code, 2);
}

// ------------------------------------------------------------------------------- classify

#[test]
fn classify_writes_one_line_per_record_with_exact_keys() {
    let def = file("classify_keys", "acme.toml", ACME);
    let leads = file("classify_keys", "leads.jsonl", LEADS);
    let out = run(&["classify", "--definition", s(&def), "--now", NOW, s(&leads)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let first = out.stdout.lines().next().unwrap();
    assert!(first.starts_with(r#"{"record":1,"id":"A1","stage":"contact","owner":"marketing","qualified":"not_met","criteria":{"budget":"unknown","authority":"unknown","need":"not_met","timeframe":"unknown"},"ask":["#), "{first}");
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 7);
    for (i, line) in lines.iter().enumerate() {
        let keys: Vec<&str> = line.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = vec!["ask", "criteria", "errors", "id", "owner", "qualified", "record", "stage"];
        want.sort_unstable();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort_unstable();
        assert_eq!(keys_sorted, want);
        assert_eq!(line["record"], i + 1);
    }
    assert_eq!(lines[2]["stage"], "qualified_lead");
    assert_eq!(lines[2]["ask"], json!([]));
    assert_eq!(lines[3]["errors"], json!({"company": "Required field missing"}));
    assert_eq!(lines[4]["errors"], json!({"email": "Email address invalid", "website": "Website address invalid"}));
    assert_eq!(lines[5]["stage"], "customer");
    assert_eq!(lines[6]["id"], Value::Null);
    assert_eq!(lines[6]["stage"], Value::Null);
    assert_eq!(lines[6]["owner"], Value::Null);
}

#[test]
fn classify_adds_the_score_only_with_scoring() {
    let def = file("classify_score", "scored.toml", SCORED);
    let out =
        run_with(&["classify", "--definition", s(&def), "--now", NOW], Some(b"{\"id\":7,\"page_views\":12}\n{}\n"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        r#"{"record":1,"id":7,"stage":"lead","owner":"mkt","qualified":"met","criteria":{},"ask":[],"errors":{},"score":30}"#
    );
    assert_eq!(json_lines(&out.stdout)[1]["score"], 0);
}

#[test]
fn classify_uses_the_default_definition_and_stdin() {
    let out = run_with(&["classify", "--now", NOW], Some(b"{\"email\":\"x@example.com\"}\n"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json_lines(&out.stdout)[0]["stage"], "contact");
}

#[test]
fn classify_reports_unreadable_jsonl_lines_and_goes_on() {
    let def = file("classify_unreadable", "acme.toml", ACME);
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\":\"A\",\"email\":\"a@example.com\"}\n");
    input.extend_from_slice(b"\n   \n"); // blank lines are not records
    input.extend_from_slice(b"not json\n");
    input.extend_from_slice(b"[1,2]\n");
    input.extend_from_slice(b"{\"id\":\"caf\xe9\"}\n"); // not UTF-8
    input.extend_from_slice(b"{\"id\":\"B\",\"email\":\"b@example.com\"}\r\n");
    let leads = file("classify_unreadable", "leads.jsonl", &input);
    let out = run(&["classify", "--definition", s(&def), "--now", NOW, s(&leads)]);
    assert_eq!(out.code, 3);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["id"], "A");
    for (i, line) in lines.iter().enumerate().skip(1).take(3) {
        let keys: Vec<&String> = line.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["error", "record"], "{line}");
        assert_eq!(line["record"], i + 1);
    }
    assert!(lines[1]["error"].as_str().unwrap().contains("line 4"), "{}", lines[1]);
    assert!(lines[3]["error"].as_str().unwrap().contains("UTF-8"), "{}", lines[3]);
    assert_eq!(lines[4]["record"], 5);
    assert_eq!(lines[4]["id"], "B");
    assert!(out.stdout.lines().nth(1).unwrap().starts_with(r#"{"record":2,"error":"#));
}

#[test]
fn classify_reads_csv_and_ragged_rows_are_unreadable() {
    let def = file("classify_csv", "acme.toml", ACME);
    let csv = "\u{feff}id,email,budget\nC1,c1@example.com,25000\nC2,c2@example.com\nC3,c3@example.com,1,extra\n\"C4\",\"c4@example.com\",\"\"\n";
    let leads = file("classify_csv", "leads.csv", csv);
    let out = run(&["classify", "--definition", s(&def), "--now", NOW, s(&leads)]);
    assert_eq!(out.code, 3);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 4);
    assert_eq!((lines[0]["record"].clone(), lines[0]["id"].clone()), (json!(1), json!("C1")));
    assert_eq!(lines[0]["criteria"]["budget"], "met");
    assert!(lines[1]["error"].as_str().unwrap().contains("2 cells but the header has 3"), "{}", lines[1]);
    assert!(lines[2]["error"].as_str().unwrap().contains("4 cells"), "{}", lines[2]);
    assert_eq!(lines[3]["id"], "C4");
    assert_eq!(lines[3]["criteria"]["budget"], "unknown");
    // The same from stdin needs --format.
    let out = run_with(&["classify", "--definition", s(&def), "--now", NOW, "--format", "csv"], Some(csv.as_bytes()));
    assert_eq!(json_lines(&out.stdout).len(), 4);
    assert_eq!(out.code, 3);
}

#[test]
fn classify_reads_json_documents() {
    let def = file("classify_json", "acme.toml", ACME);
    let array = file("classify_json", "leads.json", r#"[{"id":"J1","email":"j@example.com"}, 3, {"id":"J2"}]"#);
    let out = run(&["classify", "--definition", s(&def), "--now", NOW, s(&array)]);
    assert_eq!(out.code, 3);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["stage"], "contact");
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["id"], "J2");
    let one = file("classify_json", "one.json", r#"{"id":"J3","email":"j@example.com"}"#);
    let out = run(&["classify", "--definition", s(&def), "--now", NOW, s(&one)]);
    assert_eq!(out.code, 0);
    assert_eq!(json_lines(&out.stdout)[0]["id"], "J3");
}

#[test]
fn classify_exit_statuses_for_bad_definitions_and_arguments() {
    let bad = file(
        "classify_status",
        "bad.toml",
        ACME.replace("owner = \"sales\"\ncanonical = \"sql\"", "owner = \"sale\"\ncanonical = \"sql\""),
    );
    let out = run_with(&["classify", "--definition", s(&bad)], Some(b"{}\n"));
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains(&format!("{}:", s(&bad))) && out.stderr.contains("error: unknown team `sale`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains('^'));
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("missing.jsonl");
    assert_eq!(run(&["classify", s(&missing)]).code, 2);
    assert_eq!(run(&["classify", "--definition", s(&missing)]).code, 2);
    assert_eq!(run(&["classify", "--now", "tomorrow"]).code, 2);
    assert_eq!(run(&["classify", "--format", "xml"]).code, 2);
    assert_eq!(run(&["classify", "--no-such-flag"]).code, 2);
}

#[test]
fn classify_accepts_both_forms_of_now() {
    let def = file("classify_now", "acme.toml", ACME);
    let record = b"{\"email\":\"a@example.com\",\"purchase_by\":\"2027-01-01\"}\n";
    let at =
        |now: &str| json_lines(&run_with(&["classify", "-d", s(&def), "--now", now], Some(record)).stdout)[0].clone();
    assert_eq!(at("2026-11-22")["criteria"]["timeframe"], "met");
    assert_eq!(at("2026-06-01T10:00:00+02:00")["criteria"]["timeframe"], "not_met");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut input = String::new();
    for i in 0..50_000 {
        input.push_str(&format!("{{\"id\":\"L{i}\",\"email\":\"l{i}@example.com\"}}\n"));
    }
    let leads = file("broken_pipe", "leads.jsonl", input);
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadspec"))
        .args(["classify", "--now", NOW, s(&leads)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap(); // then dropped: closed
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with(r#"{"record":1,"#));
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

// -------------------------------------------------------------------------------- explain

#[test]
fn explain_says_why() {
    let def = file("explain", "acme.toml", ACME);
    let record = file(
        "explain",
        "a6.json",
        r#"{"id":"A6","email":"eve@example.com","customer_since":"2024-05-01","role":"ceo"}"#,
    );
    let out = run(&["explain", "--definition", s(&def), "--now", NOW, s(&record)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = out.stdout;
    for needle in [
        "Acme lead definitions",
        "version 1",
        "customer_since is present",
        "Result: customer",
        "Sales",
        "budget: unknown",
        "need: not_met",
        "What budget is set aside?",
        "role: Value not among the allowed values",
    ] {
        assert!(text.contains(needle), "{needle:?} missing in\n{text}");
    }
    let unclassified = file("explain", "none.json", r#"{"company":"Nameless"}"#);
    let out = run(&["explain", "--definition", s(&def), "--now", NOW, s(&unclassified)]);
    assert!(out.stdout.contains("unclassified"));
    // Every stage was tried, in classification order.
    let tried: Vec<usize> = ["customer", "qualified_lead", "nurture", "inquiry", "contact"]
        .iter()
        .map(|id| out.stdout.find(&format!(". {id} (")).unwrap())
        .collect();
    assert!(tried.windows(2).all(|w| w[0] < w[1]), "{}", out.stdout);
}

#[test]
fn explain_lists_the_scoring_rules_that_fired() {
    let def = file("explain_score", "scored.toml", SCORED);
    let record = file("explain_score", "r.json", r#"{"page_views":12}"#);
    let out = run(&["explain", "-d", s(&def), "--now", NOW, s(&record)]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("Score: 30"), "{}", out.stdout);
    assert!(out.stdout.contains("+30 Engaged"), "{}", out.stdout);
}

#[test]
fn explain_exit_statuses() {
    let def = file("explain_status", "acme.toml", ACME);
    let array = file("explain_status", "array.json", "[{}]");
    assert_eq!(run(&["explain", "-d", s(&def), s(&array)]).code, 2);
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("missing.json");
    assert_eq!(run(&["explain", "-d", s(&def), s(&missing)]).code, 2);
    let bad = file("explain_status", "bad.toml", "[definition]\n");
    let record = file("explain_status", "r.json", "{}");
    assert_eq!(run(&["explain", "-d", s(&bad), s(&record)]).code, 1);
}

// --------------------------------------------------------------------------------- funnel

#[test]
fn funnel_json_has_the_exact_shape() {
    let def = file("funnel_json", "acme.toml", ACME);
    let leads = file("funnel_json", "leads.jsonl", LEADS);
    let out = run(&["funnel", "--definition", s(&def), "--now", NOW, "--json", s(&leads)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        r#"{"total":7,"unclassified":1,"unreadable":0,"stages":{"contact":1,"inquiry":1,"nurture":1,"qualified_lead":2,"customer":1},"owners":{"marketing":3,"sales":3},"errors":{"email":2,"website":1,"company":1,"role":1}}"#
    );
}

#[test]
fn funnel_lists_zero_counts_and_counts_unreadable_records() {
    let def = file("funnel_zero", "acme.toml", ACME);
    let out =
        run_with(&["funnel", "-d", s(&def), "--now", NOW, "--json"], Some(b"{\"email\":\"a@example.com\"}\nnope\n"));
    assert_eq!(out.code, 3);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["total"], 2);
    assert_eq!(v["unreadable"], 1);
    assert_eq!(v["unclassified"], 0);
    assert_eq!(v["stages"], json!({"contact":1,"inquiry":0,"nurture":0,"qualified_lead":0,"customer":0}));
    assert_eq!(v["owners"], json!({"marketing":1,"sales":0}));
    assert!(v.get("shared").is_none());
}

#[test]
fn funnel_compares_by_shared_word() {
    let def = file("funnel_compare", "acme.toml", ACME);
    let other = file("funnel_compare", "other.toml", OTHER);
    let leads = file("funnel_compare", "leads.jsonl", LEADS);
    let out = run(&["funnel", "-d", s(&def), "--compare", s(&other), "--now", NOW, "--json", s(&leads)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        v["shared"],
        json!({"contact":[1,5],"inquiry":[1,0],"sql":[2,0],"opportunity":[0,0],"customer":[1,0],"nurture":[1,0]})
    );
    assert_eq!(v["other"], json!({"name": "Other", "unclassified": 2}));
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 8, "{keys:?}");
    // The table form says the same.
    let out = run(&["funnel", "-d", s(&def), "--compare", s(&other), "--now", NOW, s(&leads)]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("qualified_lead") && out.stdout.contains("subscriber"), "{}", out.stdout);
}

// ------------------------------------------------------------------------------- glossary

#[test]
fn glossary_markdown_holds_everything_needed_to_train() {
    let def = file("glossary_md", "acme.toml", ACME);
    let out = run(&["glossary", s(&def)]);
    assert_eq!(out.code, 0);
    let md = out.stdout;
    for needle in [
        "# Acme lead definitions",
        "Version 1",
        "| Marketing | `marketing` |",
        "### 4. Qualified lead (`qualified_lead`)",
        "**Owner:** Sales (`sales`)",
        "**Shared word:** `sql`",
        "suspect",
        "We can reach them.",
        "**Entry rule:** `qualified`",
        "**Required fields:** `company`",
        "2 days (48h)",
        "## Qualification: BANT",
        "| `authority` | `role in ['decision_maker', 'economic_buyer']` | Who signs off? |",
        "## Allowed moves",
        "**handoff**: Marketing → Sales",
    ] {
        assert!(md.contains(needle), "{needle:?} missing in\n{md}");
    }
}

#[test]
fn glossary_diagrams() {
    let def = file("glossary_diagrams", "acme.toml", ACME);
    let out = run(&["glossary", s(&def), "--format", "mermaid"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("flowchart LR\n"));
    assert!(out.stdout.contains("subgraph team_sales[\"Sales\"]"));
    assert!(
        out.stdout.contains("stage_inquiry ==>|\"handoff: when qualified\"| stage_qualified_lead"),
        "{}",
        out.stdout
    );
    let out = run(&["glossary", s(&def), "--format", "dot"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("digraph "));
    assert!(out.stdout.contains("subgraph \"cluster_marketing\""));
    assert!(
        out.stdout.contains("\"inquiry\" -> \"qualified_lead\" [label=\"handoff\\nwhen qualified\""),
        "{}",
        out.stdout
    );
    dot_accepts(&out.stdout);
    let bad = file("glossary_diagrams", "bad.toml", "[definition]\n");
    assert_eq!(run(&["glossary", s(&bad)]).code, 1);
    assert_eq!(run(&["glossary", s(&def), "--format", "pdf"]).code, 2);
}

/// Graphviz, when installed, accepts the diagram (`.ci/run` installs it where it can).
fn dot_accepts(diagram: &str) {
    if let Ok(mut dot) =
        Command::new("dot").arg("-Tsvg").stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn()
    {
        dot.stdin.take().unwrap().write_all(diagram.as_bytes()).unwrap();
        let result = dot.wait_with_output().unwrap();
        assert!(result.status.success(), "dot -Tsvg refused the diagram: {}", String::from_utf8_lossy(&result.stderr));
    }
}

/// The glossary of the shipped default definition, in every format, exactly as in
/// `tests/golden/`.
#[test]
fn glossary_matches_the_golden_files() {
    let def = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/definitions/default.toml");
    for (format, name) in [("markdown", "default.md"), ("mermaid", "default.mmd"), ("dot", "default.dot")] {
        let out = run(&["glossary", s(&def), "--format", format]);
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        golden(name, &out.stdout);
        if format == "dot" {
            dot_accepts(&out.stdout);
        }
    }
}

// ------------------------------------------------------------------------------ translate

#[test]
fn translate_between_definitions() {
    let a = file("translate", "acme.toml", ACME);
    let b = file("translate", "other.toml", OTHER);
    let out = run(&["translate", "--from", s(&a), "--to", s(&b), "contact"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "subscriber\n"));
    // No `sql` in B: the nearest earlier funnel word it has.
    let out = run(&["translate", "--from", s(&a), "--to", s(&b), "qualified_lead"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "subscriber\n"));
    // An alias names the stage too.
    assert_eq!(run(&["translate", "--from", s(&a), "--to", s(&b), "suspect"]).stdout, "subscriber\n");
    // A side word only to the same side word.
    let out = run(&["translate", "--from", s(&a), "--to", s(&b), "nurture"]);
    assert_eq!(out.code, 4);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("no counterpart"), "{}", out.stderr);
    // No canonical: no counterpart.
    assert_eq!(run(&["translate", "--from", s(&b), "--to", s(&a), "parked"]).code, 4);
    // B's `opportunity` is past A's furthest funnel word before it, `sql`.
    assert_eq!(run(&["translate", "--from", s(&b), "--to", s(&a), "deal"]).stdout, "qualified_lead\n");
}

#[test]
fn translate_exit_statuses() {
    let a = file("translate_status", "acme.toml", ACME);
    let bad = file("translate_status", "bad.toml", "[definition]\n");
    let out = run(&["translate", "--from", s(&a), "--to", s(&a), "qualifed_lead"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean `qualified_lead`?"), "{}", out.stderr);
    assert_eq!(run(&["translate", "--from", s(&a), "--to", s(&bad), "contact"]).code, 1);
    assert_eq!(run(&["translate", "--from", s(&a), "contact"]).code, 2);
}

// ----------------------------------------------------------------------------------- move

#[test]
fn move_allowed_or_refused() {
    let def = file("move", "acme.toml", ACME);
    let m = |from: &str, to: &str, record: Option<&PathBuf>| {
        let mut args = vec!["move", "--definition", s(&def), "--now", NOW, "--from", from, "--to", to];
        if let Some(r) = record {
            args.push(s(r));
        }
        run(&args)
    };
    let out = m("contact", "inquiry", None);
    assert_eq!((out.code, out.stdout.as_str()), (0, "allowed\n"));
    let out = m("contact", "qualified_lead", None);
    assert_eq!(out.code, 5);
    assert!(out.stdout.starts_with("refused: no transition from `contact` to `qualified_lead`"), "{}", out.stdout);
    let out = m("inquiry", "qualified_lead", None);
    assert_eq!(out.code, 5);
    assert!(out.stdout.starts_with("refused: ") && out.stdout.contains("qualified"), "{}", out.stdout);
    let qualified = file(
        "move",
        "q.json",
        r#"{"email":"q@example.com","company":"Q","budget":12000,"role":"decision_maker","need":"y","purchase_by":"2026-12-24"}"#,
    );
    let out = m("inquiry", "qualified_lead", Some(&qualified));
    assert_eq!((out.code, out.stdout.as_str()), (0, "allowed\n"));
    assert!(out.stderr.contains("handoff from Marketing to Sales"), "{}", out.stderr);
    let out = m("customer", "nurture", None);
    assert_eq!((out.code, out.stdout.as_str()), (0, "allowed\n"));
    let out = m("contact", "qualifed_lead", None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean `qualified_lead`?"), "{}", out.stderr);
    assert_eq!(run(&["move", "--from", "contact"]).code, 2);
}

// ------------------------------------------------------------------------------------ sla

const HISTORY: &str = r#"{"id":"H2","stage":"customer","at":"2026-11-21T12:00:00Z"}
{"id":"H1","stage":"qualified_lead","at":"2026-11-19T00:00:00Z"}
{"id":"H2","stage":"inquiry","at":"2026-11-01T00:00:00Z"}
{"id":"H2","stage":"qualified_lead","at":"2026-11-17T12:00:00+02:00"}
{"id":"H0","stage":"qualified_lead","at":"2026-11-01T00:00:00Z"}
{"id":"H0","stage":"contact","at":"2026-11-05T00:00:00Z"}
"#;

#[test]
fn sla_prints_breaches_in_order() {
    let def = file("sla", "acme.toml", ACME);
    let history = file("sla", "history.jsonl", HISTORY);
    let out = run(&["sla", "--definition", s(&def), "--now", NOW, s(&history)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"id":"H0","stage":"qualified_lead","owner":"sales","entered":"2026-11-01T00:00:00Z","left":"2026-11-05T00:00:00Z","limit_seconds":172800,"spent_seconds":345600}"#,
            r#"{"id":"H1","stage":"qualified_lead","owner":"sales","entered":"2026-11-19T00:00:00Z","left":null,"limit_seconds":172800,"spent_seconds":259200}"#,
            r#"{"id":"H2","stage":"qualified_lead","owner":"sales","entered":"2026-11-17T10:00:00Z","left":"2026-11-21T12:00:00Z","limit_seconds":172800,"spent_seconds":352800}"#,
        ]
    );
}

#[test]
fn sla_reports_unreadable_lines_with_their_numbers() {
    let def = file("sla_unreadable", "acme.toml", ACME);
    let mut input = HISTORY.as_bytes().to_vec();
    input.extend_from_slice(b"\n{\"id\":\"X\",\"stage\":\"qualifed_lead\",\"at\":\"2026-11-01T00:00:00Z\"}\n"); // line 8
    input.extend_from_slice(b"{\"id\":\"X\",\"at\":\"2026-11-01T00:00:00Z\"}\n"); // 9
    input.extend_from_slice(b"{\"id\":\"X\",\"stage\":\"contact\",\"at\":\"soon\"}\n"); // 10
    input.extend_from_slice(b"\xff\xfe\n"); // 11
    input.extend_from_slice(b"nope\n"); // 12
    let history = file("sla_unreadable", "history.jsonl", &input);
    let out = run(&["sla", "-d", s(&def), "--now", NOW, s(&history)]);
    assert_eq!(out.code, 3);
    assert_eq!(out.stdout.lines().count(), 3, "the readable lines still count");
    for line in 8..=12 {
        assert!(out.stderr.contains(&format!("{}:{line}:", s(&history))), "line {line} in {}", out.stderr);
    }
    assert!(out.stderr.contains("did you mean `qualified_lead`?"));
    assert!(out.stderr.contains("missing key `stage`"));
    assert_eq!(run(&["sla", "-d", s(&def), "--now", "x", s(&history)]).code, 2);
}

// ------------------------------------------------------------------------------ waterfall

#[test]
fn waterfall_counts_skipped_stages_as_passed() {
    let def = file("waterfall", "acme.toml", ACME);
    let history = file("waterfall", "history.jsonl", HISTORY);
    let out = run(&["waterfall", "--definition", s(&def), s(&history)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.trim(),
        concat!(
            r#"{"leads":3,"unreadable":0,"steps":[{"stage":"contact","shared":"contact","reached":3,"converted":3},"#,
            r#"{"stage":"inquiry","shared":"inquiry","reached":3,"converted":3},"#,
            r#"{"stage":"qualified_lead","shared":"sql","reached":3,"converted":1},"#,
            r#"{"stage":"customer","shared":"customer","reached":1,"converted":0}]}"#
        )
    );
    let with_bad =
        file("waterfall", "bad.jsonl", format!("{HISTORY}{{\"id\":\"Z\",\"stage\":\"mql\",\"at\":\"{NOW}\"}}\n"));
    let out = run(&["waterfall", "-d", s(&def), s(&with_bad)]);
    assert_eq!(out.code, 3);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((v["leads"].clone(), v["unreadable"].clone()), (json!(3), json!(1)));
}

// ---------------------------------------------------------------------------------- usage

#[test]
fn usage_errors_exit_with_2_and_help_with_0() {
    assert_eq!(run(&[]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(run(&["check"]).code, 2);
    let help = run(&["--help"]);
    assert_eq!(help.code, 0);
    for command in COMMANDS {
        assert!(help.stdout.contains(command), "{command} in --help");
    }
    assert_eq!(run(&["--version"]).code, 0);
}

const COMMANDS: [&str; 9] =
    ["check", "classify", "explain", "funnel", "glossary", "translate", "move", "sla", "waterfall"];

/// The example command lines of a help text: the indented `leadspec ...` lines after
/// `Example`.
fn examples_in(help: &str) -> Vec<&str> {
    let Some(start) = help.find("Example") else { return Vec::new() };
    help[start..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(str::trim)
        .filter(|l| l.contains("leadspec "))
        .collect()
}

#[test]
fn every_command_has_an_example_in_its_help() {
    for command in COMMANDS {
        for flag in ["--help", "-h"] {
            let out = run(&[command, flag]);
            assert_eq!(out.code, 0, "{command} {flag}");
            assert!(out.stdout.contains("Example"), "no example in `leadspec {command} {flag}`:\n{}", out.stdout);
            let examples = examples_in(&out.stdout);
            assert!(
                examples.iter().any(|e| e.contains(&format!("leadspec {command} "))),
                "no `leadspec {command}` line in the example of `leadspec {command} {flag}`:\n{}",
                out.stdout
            );
        }
    }
    assert!(!examples_in(&run(&["--help"]).stdout).is_empty(), "an example in `leadspec --help`");
}

/// The examples that name only files in the repository run, from its root, as shown.
#[test]
fn the_examples_in_the_help_run() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for command in COMMANDS {
        let help = run(&[command, "--help"]).stdout;
        for example in examples_in(&help) {
            let words: Vec<&str> = example.split_whitespace().collect();
            // Pipes, redirections and your own files (acme.toml) are for people to adapt.
            let plain = words[0] == "leadspec" && !words.iter().any(|w| matches!(*w, "|" | ">" | "<"));
            let files_exist = words
                .iter()
                .filter(|w| [".toml", ".json", ".jsonl", ".csv"].iter().any(|e| w.ends_with(e)))
                .all(|w| root.join(w).is_file());
            if !(plain && files_exist) {
                continue;
            }
            let out = Command::new(env!("CARGO_BIN_EXE_leadspec"))
                .args(&words[1..])
                .current_dir(&root)
                .stdin(Stdio::null())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "`{example}`: {}", String::from_utf8_lossy(&out.stderr));
            assert!(!out.stdout.is_empty(), "`{example}` printed nothing");
            ran += 1;
        }
    }
    assert!(ran >= 9, "only {ran} examples could be run");
}

#[test]
fn hostile_records_are_unreadable_not_fatal() {
    let deep = format!("{{\"id\":\"D\",\"x\":{}1{}}}\n", "[".repeat(200), "]".repeat(200));
    let input = format!("{deep}{{\"id\":\"OK\"}}\n");
    let out = run_with(&["classify", "--now", NOW, "-"], Some(input.as_bytes()));
    assert_eq!(out.code, 3);
    let lines = json_lines(&out.stdout);
    assert!(lines[0]["error"].as_str().unwrap().contains("nested deeper"), "{}", lines[0]);
    assert_eq!(lines[1]["id"], "OK");
    // A JSON document on standard input with --format json.
    let out = run_with(&["classify", "--now", NOW, "--format", "json"], Some(b"[{\"id\":1},{\"id\":2}]"));
    assert_eq!(out.code, 0);
    assert_eq!(json_lines(&out.stdout).len(), 2);
}

#[test]
fn the_shipped_definitions_check_and_draw() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/definitions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut args = vec!["check", "--now", NOW];
    args.extend(files.iter().map(|p| s(p)));
    let out = run(&args);
    assert_eq!(out.code, 0, "{}", out.stdout);
    for path in &files {
        for format in ["markdown", "mermaid", "dot"] {
            let out = run(&["glossary", s(path), "--format", format]);
            assert_eq!(out.code, 0, "{} {format}: {}", s(path), out.stderr);
            assert!(!out.stdout.is_empty());
        }
    }
}
