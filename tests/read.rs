//! `leadspec::read` as a service uses it: a CSV file and a JSON Lines stream read for a
//! definition, with their column reports, and stage histories; and, with the `cli`
//! feature, the same inputs through `leadspec classify` and `leadspec sla`, which must say
//! the same things in the same words (the command line is a shell around these readers).
#![cfg(feature = "read")]

use std::path::PathBuf;

use leadspec::read::{Changes, Format, Item, Layout, Reader, Records};
use leadspec::Replayer;
use leadspec::{Definition, Limits};

const NOW: &str = "2026-11-22";

fn file(test: &str, name: &str, contents: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("read").join(test);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn crm_export() -> Definition {
    let toml = std::fs::read_to_string("examples/definitions/crm_export.toml").unwrap();
    Definition::from_toml(&toml).unwrap()
}

/// What a service reading `path` learns: the warnings of the column report (CSV after the
/// header, JSON after the last record) and, per record, `N id stage` or `N error: why`.
fn service(definition: &Definition, mut records: Records<impl std::io::BufRead>) -> (Vec<String>, Vec<String>) {
    let now = leadspec::parse_reference_time(NOW).unwrap();
    let mut reader = Reader::new(definition, &records);
    let mut warnings: Vec<String> =
        reader.header_report().map_or(Vec::new(), |r| r.findings().iter().map(|f| format!("warning: {f}")).collect());
    let mut lines = Vec::new();
    let mut number = 0;
    while let Some(item) = reader.next_record(&mut records) {
        number += 1;
        lines.push(match item.expect("the input can be read") {
            Item::Record(lead) => {
                let result = definition.classify_prepared(lead, now).unwrap();
                let id = result.id().map_or("null".to_string(), |id| id.to_string());
                format!("{number} {id} {}", result.stage().map_or("null", |s| s.id()))
            }
            Item::Unreadable(why) => format!("{number} error: {why}"),
        });
    }
    if records.format() != Format::Csv {
        warnings.extend(reader.report().findings().iter().map(|f| format!("warning: {f}")));
    }
    (warnings, lines)
}

#[test]
fn a_service_reads_a_crm_export() {
    let definition = crm_export();
    let records = Records::open("examples/crm_export.csv").unwrap();
    assert_eq!((records.format(), records.delimiter()), (Format::Csv, Some(b',')));
    assert_eq!(records.header().unwrap()[0], "Record ID");
    let (warnings, lines) = service(&definition, records);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(lines[0], "1 1001 contact");
    assert!(lines.iter().all(|l| !l.contains("error")), "{lines:?}");
}

/// A CSV file split on `;`, with a column the definition names otherwise, a ragged row, a
/// cell that is not UTF-8 and a blank line.
const ODD_CSV: &[u8] = b"Record ID;E-mail;Budget\n7;ann@example.com;$5,000\n8;ben@example.com\n\n9;\xff;1\n10;;\n";

/// JSON Lines with a key the definition names otherwise, a line that is not JSON, one
/// nested too deep, a blank line and a line that is not an object.
fn odd_jsonl() -> Vec<u8> {
    let deep = format!("{{\"Record ID\": 4, \"x\": {}1{}}}", "[".repeat(70), "]".repeat(70));
    format!("{{\"Record ID\": 1, \"E-mail\": \"ann@example.com\"}}\n{{\"Record ID\": 2,\n\n{deep}\n[1, 2]\n")
        .into_bytes()
}

#[test]
fn a_service_gets_the_findings_and_reasons_as_values() {
    let definition = crm_export();
    let path = file("odd", "leads.csv", ODD_CSV);
    let (warnings, lines) = service(&definition, Records::open(&path).unwrap());
    assert_eq!(
        warnings[0],
        r#"warning: no column "Email" for field `email`; did you mean "E-mail"? (add column = "E-mail")"#
    );
    assert_eq!(
        lines,
        [
            "1 7 null",
            "2 error: the row has 2 cells but the header has 3",
            "3 error: cell 2 of the row is not UTF-8",
            "4 10 null",
        ]
    );

    let jsonl = odd_jsonl();
    let records = Records::new(&jsonl[..], Layout::new(Format::JsonLines)).unwrap();
    let (warnings, lines) = service(&definition, records);
    assert!(warnings.contains(
        &r#"warning: no column "Email" for field `email`; did you mean "E-mail"? (add column = "E-mail")"#.to_string()
    ));
    assert_eq!(lines[0], "1 1 null");
    assert_eq!(lines[1], "2 error: line 2: not valid JSON at column 16: EOF while parsing a value");
    assert_eq!(lines[2], "3 error: line 4: nested deeper than 64 levels");
    assert!(lines[3].starts_with("4 error: line 5: not a JSON object (invalid type: sequence"), "{}", lines[3]);
}

#[test]
fn limits_bound_each_record() {
    let limits = Limits { max_record_bytes: 32, max_value_depth: 2, ..Limits::default() };
    let input =
        "{\"id\": \"short\"}\n{\"id\": \"a record longer than thirty-two bytes\"}\n{\"a\":{\"b\":{\"c\":{}}}}\n";
    let mut records = Records::with_limits(input.as_bytes(), Layout::new(Format::JsonLines), &limits).unwrap();
    let mut found = Vec::new();
    while let Some(item) = records.next_row() {
        found.push(match item.unwrap() {
            Item::Record(row) => format!("row at line {}", row.line()),
            Item::Unreadable(why) => why.to_string(),
        });
    }
    assert_eq!(found, ["row at line 1", "line 2: longer than 32 bytes", "line 3: nested deeper than 2 levels"]);
    assert_eq!(records.records_read(), 3);
}

#[test]
fn a_json_document_is_read_element_by_element() {
    let definition = leadspec::default_definition();
    let document = br#"[{"id": "A", "email": "ann@example.com"}, 7, {"id": "B"}] x"#;
    let records = Records::new(&document[..], Layout::new(Format::Json)).unwrap();
    let (warnings, lines) = service(definition, records);
    assert_eq!(
        lines,
        [
            "1 A contact",
            "2 error: array element 2: not a JSON object but a number",
            "3 B null",
            "4 error: line 1, column 59: not valid JSON: text after the end of the document",
        ]
    );
    assert!(warnings.iter().any(|w| w.contains("`budget`")), "{warnings:?}");
}

#[test]
fn a_service_replays_a_history_file() {
    let definition = leadspec::default_definition();
    let now = leadspec::parse_reference_time(NOW).unwrap();
    for path in ["examples/history.csv", "examples/history.jsonl"] {
        let mut changes = Changes::open(path, definition).unwrap();
        let mut replayer = Replayer::new(definition, now);
        while let Some(item) = changes.next_change() {
            match item.unwrap() {
                Item::Record(change) => replayer.push(change.lead, change.stage, change.at).unwrap(),
                Item::Unreadable(why) => panic!("{path}:{}: {why}", why.line()),
            }
        }
        let breaches = replayer.finish().filter(|stay| stay.breach(definition).is_some()).count();
        assert!(breaches > 0, "{path}: the shipped history has breaches");
    }
}

/// A history with a line of each kind that cannot be read.
const ODD_HISTORY: &str = "{\"id\":\"L1\",\"stage\":\"contact\",\"at\":\"2026-11-01\"}\n\
    {\"id\":\"L1\",\"stage\":\"inquiry\"}\n\
    \n\
    {\"id\":\"L2\",\"stage\":\"Hot Lead\",\"at\":\"2026-11-02T10:00:00+01:00\"}\n\
    {\"id\":\"L3\",\"stage\":\"qualifed_lead\",\"at\":\"2026-11-02\"}\n\
    not json\n";

#[test]
fn unreadable_history_lines_say_why_with_their_line() {
    let definition = leadspec::default_definition();
    let mut changes = Changes::new(ODD_HISTORY.as_bytes(), Layout::new(Format::JsonLines), definition).unwrap();
    let mut found = Vec::new();
    while let Some(item) = changes.next_change() {
        found.push(match item.unwrap() {
            Item::Record(c) => format!("{}: {} {}", c.line, c.lead, definition.stages()[c.stage.position()].id()),
            Item::Unreadable(why) => format!("{}: error: {why}", why.line()),
        });
    }
    assert_eq!(
        found,
        [
            "1: L1 contact",
            "2: error: missing key `at`",
            "4: L2 qualified_lead",
            "5: error: unknown stage `qualifed_lead` (did you mean `qualified_lead`?)",
            "6: error: not valid JSON: expected ident",
        ]
    );
}

#[cfg(feature = "cli")]
mod against_the_command_line {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    /// Runs `leadspec ARGS`: its status, standard output and standard error.
    fn leadspec(args: &[&str]) -> (Option<i32>, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_leadspec")).args(args).output().unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    }

    /// `classify`'s output as the service's lines: `N id stage` or `N error: why`.
    fn classify_lines(stdout: &str) -> Vec<String> {
        stdout
            .lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                let n = &v["record"];
                match v.get("error") {
                    Some(error) => format!("{n} error: {}", error.as_str().unwrap()),
                    None => {
                        let id = match &v["id"] {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        let stage = v["stage"].as_str().unwrap_or("null");
                        format!("{n} {id} {stage}")
                    }
                }
            })
            .collect()
    }

    fn same_as_classify(test: &str, name: &str, contents: &[u8], layout: Layout) {
        let definition = crm_export();
        let path = file(test, name, contents);
        let path_text = path.to_str().unwrap();
        let (warnings, lines) = service(
            &definition,
            Records::new(std::fs::File::open(&path).map(std::io::BufReader::new).unwrap(), layout).unwrap(),
        );
        let (status, stdout, stderr) =
            leadspec(&["classify", "--definition", "examples/definitions/crm_export.toml", "--now", NOW, path_text]);
        assert_eq!(classify_lines(&stdout), lines, "{name}");
        let cli_warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning: ")).collect();
        assert_eq!(cli_warnings, warnings, "{name}");
        let unreadable = lines.iter().filter(|l| l.contains(" error: ")).count();
        assert_eq!(status, Some(if unreadable > 0 { 3 } else { 0 }), "{name}: {stderr}");
    }

    #[test]
    fn the_library_reads_as_classify_does() {
        same_as_classify("csv", "leads.csv", ODD_CSV, Layout::guess(Some(Path::new("leads.csv")), None, None));
        same_as_classify("jsonl", "leads.jsonl", &odd_jsonl(), Layout::new(Format::JsonLines));
        let hinted = b"Record ID,Email\n{\"Record ID\": 1}\n";
        same_as_classify("hint", "leads.jsonl", hinted, Layout::new(Format::JsonLines));
        let document = br#"[{"Record ID": "A", "Email": "ann@example.com"}, 7, {"Record ID": "B"} ] x"#;
        same_as_classify("json", "leads.json", document, Layout::new(Format::Json));
        let export = std::fs::read("examples/crm_export.csv").unwrap();
        same_as_classify("export", "crm_export.csv", &export, Layout::new(Format::Csv));
    }

    #[test]
    fn the_library_reads_histories_as_sla_does() {
        let definition = leadspec::default_definition();
        // A `.json` history is JSON Lines too, for `sla` and for `Changes::open`.
        for name in ["history.jsonl", "history.json"] {
            let path = file("history", name, ODD_HISTORY.as_bytes());
            let path_text = path.to_str().unwrap();
            let (status, _, stderr) = leadspec(&["sla", "--now", NOW, path_text]);
            assert_eq!(status, Some(3));
            let mut changes = Changes::open(&path, definition).unwrap();
            let mut errors = Vec::new();
            while let Some(item) = changes.next_change() {
                if let Item::Unreadable(why) = item.unwrap() {
                    errors.push(format!("{path_text}:{}: error: {why}", why.line()));
                }
            }
            assert_eq!(errors.len(), 3, "{name}");
            assert_eq!(stderr.lines().collect::<Vec<_>>(), errors, "{name}");
        }

        let csv = file("history", "history.csv", b"id,status,at\nL1,won,2026-11-01\n");
        let (status, _, stderr) = leadspec(&["sla", "--now", NOW, csv.to_str().unwrap()]);
        let error = Changes::open(&csv, definition).unwrap_err();
        assert_eq!(status, Some(2));
        assert_eq!(stderr.trim_end(), format!("leadspec: error: `{}`: {error}", csv.to_str().unwrap()));
    }
}
