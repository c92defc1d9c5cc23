//! Reading real exports through the `leadspec` binary: the warnings said out loud (text
//! exact), delimiters (`;` sniffed, `.tsv`, `--delimiter`), repeated header cells, a
//! missing column for a required field, JSON Lines with near-miss keys, the `[input] id`
//! column in every output, and hostile exports.
#![cfg(feature = "cli")]

#[path = "support/cli.rs"]
mod cli;
use cli::{run, run_with, s, Output};

use std::path::PathBuf;

use serde_json::Value;

const NOW: &str = "2026-11-22T00:00:00Z";

/// A definition for a CRM export, written as the CRM writes it.
const EXPORT: &str = r#"[input]
id = "Lead ID"
missing = ["Select", "N/A"]
timezone = "America/New_York"

[definition]
name = "CRM export"

[teams]
marketing = "Marketing"
sales = "Sales"

[fields]
email = { type = "email", column = "Email", required = true }
lead_source = { type = "enum", column = "Lead Source", values = ["Web", "Event", "Referral"] }
amount = { type = "number", column = "Amount", thousands = ",", currency = true }
created = { type = "date", column = "Created", formats = ["%m/%d/%Y %I:%M %p"] }
do_not_email = { type = "boolean", column = "Do Not Email", true = ["Y"], false = ["N"] }
interests = { type = "list", column = "Interests", separator = "," }

[[stages]]
id = "contact"
owner = "marketing"
when = "email is present and not do_not_email"

[[stages]]
id = "deal"
owner = "sales"
when = "amount >= 10_000 and created >= 2026-11-01"
"#;

const HEADER: &str = "Lead ID,Email,Lead Source,Amount,Created,Do Not Email,Interests";

/// Writes a file into a directory of its own for this test and returns its path.
fn file(test: &str, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    cli::file_in("cli_exports", test, name, content)
}

fn lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect()
}

fn warnings(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("warning:")).collect()
}

fn classify(test: &str, name: &str, content: &str, extra: &[&str]) -> Output {
    let def = file(test, "export.toml", EXPORT);
    let input = file(test, name, content);
    let mut args = vec!["classify", "--definition", s(&def), "--now", NOW];
    args.extend_from_slice(extra);
    args.push(s(&input));
    run(&args)
}

#[test]
fn an_export_as_the_crm_writes_it_is_read_right_with_no_warning() {
    let csv = format!(
        "{HEADER}\n\
         L1,ann@example.com,Web,\"$12,500\",11/03/2026 09:15 PM,N,\"pricing, demo\"\n\
         L2,ben@example.com,Select,N/A,10/31/2026 11:30 PM,Y,\n\
         L3,not-an-address,Event,\"USD 9,999\",11/05/2026 10:00 AM,n,demo\n"
    );
    let out = classify("clean", "export.csv", &csv, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(warnings(&out.stderr).is_empty(), "{}", out.stderr);
    let got: Vec<(Value, Value)> = lines(&out.stdout).iter().map(|l| (l["id"].clone(), l["stage"].clone())).collect();
    assert_eq!(
        got,
        [
            ("L1".into(), "deal".into()),
            // Do Not Email = Y: not a contact; N/A is no amount.
            ("L2".into(), Value::Null),
            ("L3".into(), Value::Null),
        ]
    );
    let l3 = &lines(&out.stdout)[2];
    assert_eq!(l3["errors"], serde_json::json!({"email": "Email address invalid"}));
}

#[test]
fn missing_columns_repeated_cells_and_a_missing_id_column_are_said_in_order() {
    let csv = "Lead Id,E-Mail,lead source,Amount,Created,Amount,Notes,Notes\nL1,a@example.com,Web,1,,2,x,y\n";
    let out = classify("warnings", "export.csv", csv, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        warnings(&out.stderr),
        [
            r#"warning: no column "Email" for field `email`; did you mean "E-Mail"? (add column = "E-Mail")"#,
            r#"warning: no column "Lead Source" for field `lead_source`; did you mean "lead source"? (add column = "lead source")"#,
            r#"warning: no column "Do Not Email" for field `do_not_email`"#,
            r#"warning: no column "Interests" for field `interests`"#,
            r#"warning: the header names the column "Amount" 2 times; the first is read"#,
            r#"warning: the header names the column "Notes" 2 times; the first is read"#,
            r#"warning: no column "Lead ID" for the record id ([input] id); did you mean "Lead Id"? (set [input] id = "Lead Id")"#,
        ]
    );
    // Warnings come before anything else is written, and the first of two cells is read.
    let line = &lines(&out.stdout)[0];
    assert_eq!(line["id"], Value::Null);
    // A required field with no column: every record reports it missing.
    assert_eq!(line["errors"]["email"], "Required field missing");
}

#[test]
fn a_semicolon_export_is_split_on_semicolons() {
    let csv = "Lead ID;Email;Lead Source;Amount;Created;Do Not Email;Interests\r\nL1;a@example.com;Web;\"$20,000\";11/02/2026 08:00 AM;N;\"demo,pricing\"\r\n";
    let out = classify("semicolon", "export.csv", csv, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(warnings(&out.stderr).is_empty(), "{}", out.stderr);
    let line = &lines(&out.stdout)[0];
    assert_eq!((line["id"].as_str(), line["stage"].as_str()), (Some("L1"), Some("deal")));
}

#[test]
fn a_tsv_and_a_delimiter_option() {
    let tsv = HEADER.replace(',', "\t") + "\nL1\ta@example.com\tWeb\t5\t\tN\tdemo\n";
    let out = classify("tsv", "export.tsv", &tsv, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(warnings(&out.stderr).is_empty(), "{}", out.stderr);
    assert_eq!(lines(&out.stdout)[0]["stage"], "contact");

    let piped = HEADER.replace(',', "|") + "\nL2|b@example.com|Web|5||N|demo\n";
    let out = classify("pipe", "export.txt", &piped, &["--delimiter", "|"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(lines(&out.stdout)[0]["id"], "L2");
    let out = classify("pipe_tab", "export.txt", &tsv, &["--delimiter", "\\t"]);
    assert_eq!(lines(&out.stdout)[0]["id"], "L1");
    let out = classify("bad_delimiter", "export.txt", &tsv, &["--delimiter", "ab"]);
    assert_eq!(out.code, 2);
}

#[test]
fn jsonl_near_miss_keys_are_said_after_the_last_record() {
    let jsonl = r#"{"Lead ID": "J1", "email": "a@example.com", "Lead Source": "Web", "Amount": null}
{"Lead ID": "J2", "Email ": "b@example.com", "Created": "2026-11-02"}
"#;
    let out = classify("jsonl", "leads.jsonl", jsonl, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        warnings(&out.stderr),
        [
            r#"warning: no column "Email" for field `email`; did you mean "email"? (add column = "email")"#,
            r#"warning: no column "Do Not Email" for field `do_not_email`"#,
            r#"warning: no column "Interests" for field `interests`"#,
        ]
    );
    assert_eq!(lines(&out.stdout).iter().map(|l| l["id"].clone()).collect::<Vec<_>>(), ["J1", "J2"]);
    // Nothing is said when no record was read.
    let out = classify("jsonl_empty", "leads.jsonl", "\n", &[]);
    assert!(warnings(&out.stderr).is_empty(), "{}", out.stderr);
}

#[test]
fn a_csv_read_as_jsonl_gets_the_hint() {
    let def = file("hint", "export.toml", EXPORT);
    let out = run_with(
        &["classify", "--definition", s(&def), "--now", NOW],
        Some(format!("{HEADER}\nL1,a@example.com,Web,1,,N,x\n").as_bytes()),
    );
    assert_eq!(out.code, 3);
    let first = &lines(&out.stdout)[0];
    assert!(first["error"].as_str().unwrap().ends_with("; is this CSV? use --format csv"), "{first}");
    let second = &lines(&out.stdout)[1];
    assert!(!second["error"].as_str().unwrap().contains("is this CSV"), "only the first record: {second}");
}

#[test]
fn the_input_id_column_is_in_every_output() {
    let csv = format!("{HEADER}\nL9,a@example.com,Web,\"$50,000\",11/02/2026 08:00 AM,N,demo\n");
    let out = classify("ids", "export.csv", &csv, &[]);
    assert_eq!(lines(&out.stdout)[0]["id"], "L9");
    let def = file("ids", "export.toml", EXPORT);
    let input = file("ids", "export.csv", &csv);
    let out = run(&["classify", "--definition", s(&def), "--now", NOW, "--format", "csv", s(&input)]);
    assert_eq!(lines(&out.stdout)[0]["id"], "L9");
    let json = file("ids", "leads.json", r#"[{"Lead ID": 12, "Email": "a@example.com"}]"#);
    let out = run(&["classify", "--definition", s(&def), "--now", NOW, s(&json)]);
    assert_eq!(lines(&out.stdout)[0]["id"], 12);
    let record = file("ids", "lead.json", r#"{"Lead ID": "L7", "Email": "a@example.com"}"#);
    let out = run(&["explain", "--definition", s(&def), "--now", NOW, s(&record)]);
    assert!(out.stdout.contains("Record: \"L7\""), "{}", out.stdout);
}

#[test]
fn funnel_reads_exports_and_warns_too() {
    let def = file("funnel", "export.toml", EXPORT);
    let csv = file(
        "funnel",
        "export.csv",
        "Lead ID;Email;Amount;Do Not Email\nL1;a@example.com;\"$12,000\";N\nL2;b@example.com;N/A;Y\n",
    );
    let out = run(&["funnel", "--definition", s(&def), "--now", NOW, "--json", s(&csv)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["stages"]["contact"], 1);
    assert_eq!(report["unclassified"], 1);
    assert_eq!(
        warnings(&out.stderr),
        [
            r#"warning: no column "Lead Source" for field `lead_source`"#,
            r#"warning: no column "Created" for field `created`"#,
            r#"warning: no column "Interests" for field `interests`"#,
        ]
    );
}

// ---- hostile exports ------------------------------------------------------------------------

#[test]
fn ten_thousand_placeholders_and_a_one_megabyte_header() {
    let placeholders: Vec<String> = (0..10_000).map(|i| format!("\"p{i}\"")).collect();
    let def = EXPORT.replace("missing = [\"Select\", \"N/A\"]", &format!("missing = [{}]", placeholders.join(", ")));
    let def = file("hostile", "export.toml", def);
    let mut header = String::from(HEADER);
    while header.len() < 1 << 20 {
        header.push_str(&format!(",Extra column {}", header.len()));
    }
    let cells = header.split(',').count();
    let mut row = String::from("L1,a@example.com,p9999,P42,,N,x");
    row.push_str(&",".repeat(cells - 7));
    let csv = file("hostile", "export.csv", format!("{header}\n{row}\n"));
    let out = run(&["classify", "--definition", s(&def), "--now", NOW, s(&csv)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = &lines(&out.stdout)[0];
    assert_eq!(line["stage"], "contact");
    assert_eq!(line["errors"], serde_json::json!({}), "p9999 and P42 are placeholders: {line}");
}

#[test]
fn hostile_date_patterns_are_refused_or_harmless() {
    for pattern in ["%", "%E", "%-", "%.3f%", "%Y%Y%Y%Y%m%d", "%s", "%+"] {
        let def = EXPORT.replace("[\"%m/%d/%Y %I:%M %p\"]", &format!("[{pattern:?}]"));
        let def = file("patterns", "export.toml", def);
        let out = run(&["check", s(&def)]);
        assert!(out.code == 0 || out.code == 1, "{pattern}: {}", out.stderr);
        if out.code == 1 {
            assert!(
                out.stdout.contains("export.toml:17:"),
                "{pattern}: an error at the pattern's line: {}",
                out.stdout
            );
        }
    }
    let long = "%Y-%m-%d".to_string() + &" x".repeat(20_000);
    let def = EXPORT.replace("[\"%m/%d/%Y %I:%M %p\"]", &format!("[{long:?}]"));
    let def = file("patterns_long", "export.toml", def);
    let csv =
        file("patterns_long", "export.csv", format!("{HEADER}\nL1,a@example.com,Web,1,{},N,x\n", "x ".repeat(5_000)));
    let out = run(&["classify", "--definition", s(&def), "--now", NOW, s(&csv)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(lines(&out.stdout)[0]["errors"]["created"], "Date invalid");
}

#[test]
fn a_row_longer_than_the_limit_is_refused_while_it_is_read() {
    // An unterminated quote runs to the end of the file: one unreadable record, not a crash.
    let mut csv = format!("{HEADER}\nL1,a@example.com,Web,1,,N,x\nL2,\"");
    csv.push_str(&"y".repeat(17 << 20));
    let out = classify("long_row", "export.csv", &csv, &[]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let out_lines = lines(&out.stdout);
    assert_eq!(out_lines[0]["id"], "L1");
    assert_eq!(out_lines[1]["error"], "the row is longer than 16777216 bytes");
}

#[test]
fn the_shipped_exports_are_read_with_no_warning() {
    let root = env!("CARGO_MANIFEST_DIR");
    let pairs = [
        (Some("examples/definitions/crm_export.toml"), "examples/crm_export.csv"),
        (None, "examples/leads.csv"),
        (None, "examples/leads.jsonl"),
    ];
    for (definition, input) in pairs {
        let mut args = vec!["classify".to_string(), "--now".into(), NOW.into()];
        if let Some(d) = definition {
            args.extend(["--definition".to_string(), format!("{root}/{d}")]);
        }
        args.push(format!("{root}/{input}"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args);
        assert_eq!(out.code, 0, "{input}: {}", out.stderr);
        assert!(out.stderr.is_empty(), "{input}: {}", out.stderr);
        assert!(lines(&out.stdout).iter().all(|l| l.get("error").is_none()), "{input}");
    }
    // The export's stages, as its rows say.
    let out = run(&[
        "classify",
        "--definition",
        &format!("{root}/examples/definitions/crm_export.toml"),
        "--now",
        NOW,
        &format!("{root}/examples/crm_export.csv"),
    ]);
    let stages: Vec<(String, Value)> =
        lines(&out.stdout).iter().map(|l| (l["id"].as_str().unwrap().to_string(), l["stage"].clone())).collect();
    let expect = |id: &str| stages.iter().find(|(i, _)| i == id).map(|(_, s)| s.clone()).unwrap();
    assert_eq!(expect("1002"), Value::Null, "Do Not Email = Y");
    assert_eq!(expect("1004"), "sql", "a $ budget, a Y and a US date make BANT");
    assert_eq!(expect("1007"), "customer");
    assert_eq!(expect("1012"), "contact", "placeholders everywhere");
}
