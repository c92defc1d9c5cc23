//! The hostile corpus: each case generated here, each with its expected outcome. Every case
//! ends promptly with a defined result or a positioned error; none panics.

#[path = "support/codes.rs"]
mod codes;

use chrono::{TimeZone, Utc};
use leadspec::{Definition, Record};

const HEAD: &str =
    "[definition]\nname = \"x\"\n[teams]\nt = \"T\"\n[fields]\nn = \"number\"\ns = \"string\"\nd = \"date\"\n";

fn with_rule(rule: &str) -> String {
    format!("{HEAD}[[stages]]\nid = \"s\"\nowner = \"t\"\nwhen = '''{rule}'''\n")
}

fn first_error(src: &str) -> leadspec::Diagnostic {
    let error = Definition::from_toml(src).unwrap_err();
    codes::assert_codes(&error.diagnostics);
    let first = error.errors().next().cloned().unwrap();
    first
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
}

#[test]
fn a_hundred_thousand_parentheses_or_nots() {
    let e = first_error(&with_rule(&"(".repeat(100_000)));
    assert!(e.message.contains("over the limit"), "{}", e.message); // 100 KB is over the rule size limit
    let e = first_error(&with_rule(&format!("{}true", "(".repeat(1_000))));
    assert!(e.message.contains("levels deep"), "{}", e.message);
    assert_eq!(e.line, 12);
    let e = first_error(&with_rule(&format!("{}true", "not ".repeat(100_000))));
    assert!(e.message.contains("over the limit"), "{}", e.message);
    let e = first_error(&with_rule(&format!("{}true", "not ".repeat(1_000))));
    assert!(e.message.contains("levels deep"), "{}", e.message);
}

#[test]
fn a_ten_megabyte_string_literal() {
    let e = first_error(&with_rule(&format!("s == '{}'", "x".repeat(10 << 20))));
    assert!(e.message.contains("bytes, over the limit"), "{}", e.message);
    assert_eq!((e.line, e.column), (12, 8));
}

#[test]
fn extreme_numbers() {
    let e = first_error(&with_rule("n > 1e400"));
    assert_eq!((e.message.as_str(), e.column), ("invalid number `1e400`", 15));
    let d = Definition::from_toml(&with_rule("n == -0 and n < 1_000_000_000_000_000_000_000")).unwrap();
    let hit = |v: &str| d.classify(&Record::new().with("n", v), now()).stage().is_some();
    assert!(hit("0") && hit("-0"));
    assert!(!hit("1e400"), "1e400 is not a finite number, so the record's value is invalid");
}

#[test]
fn byte_order_mark_and_crlf_line_endings() {
    let src = format!("\u{feff}{}", with_rule("nn > 1").replace('\n', "\r\n"));
    let e = first_error(&src);
    assert_eq!((e.message.as_str(), e.line, e.column), ("unknown field `nn`", 12, 11));
    let ok = format!("\u{feff}{}", with_rule("n > 1").replace('\n', "\r\n"));
    assert!(Definition::from_toml(&ok).is_ok());
}

#[test]
fn ten_thousand_stages() {
    let mut src = String::from(HEAD);
    for i in 0..10_000 {
        src.push_str(&format!("[[stages]]\nid = \"s{i}\"\nowner = \"t\"\nwhen = \"n > {i}\"\n"));
    }
    let d = Definition::from_toml(&src).unwrap();
    let c = d.classify(&Record::new().with("n", 5_000.5), now());
    assert_eq!(c.stage().unwrap().id(), "s5000");
    src.push_str("[[stages]]\nid = \"one_too_many\"\nowner = \"t\"\nwhen = \"true\"\n");
    let e = first_error(&src);
    assert!(e.message.contains("over the limit"), "{}", e.message);
}

#[test]
fn catastrophic_regexes_run_in_linear_time() {
    let d = Definition::from_toml(&with_rule("s matches '(a*)*b' or s matches '(x+x+)+y'")).unwrap();
    for long in ["a".repeat(100_000), "x".repeat(100_000)] {
        assert!(d.classify(&Record::new().with("s", long), now()).stage().is_none());
    }
    let e = first_error(&with_rule("s matches '(\\w{100}){100}'"));
    assert!(e.message.contains("too big"), "{}", e.message);
}

#[test]
fn a_record_with_a_hundred_thousand_fields() {
    let d = Definition::from_toml(&with_rule("n > 1")).unwrap();
    let mut record: Record = (0..100_000).map(|i| (format!("f{i}"), leadspec::Value::from(i))).collect();
    record.insert("n", 2);
    assert!(d.classify(&record, now()).stage().is_some());
}

#[test]
fn a_ten_megabyte_json_record_and_deep_nesting() {
    let d = Definition::from_toml(&with_rule("s contains 'needle'")).unwrap();
    let line = format!("{{\"s\":\"{}needle\"}}", "x".repeat(10 << 20));
    let record: Record = serde_json::from_str(&line).unwrap();
    assert!(d.classify(&record, now()).stage().is_some());
    let deep = format!("{{\"s\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    // Either serde_json's recursion limit refuses it, or the nested value is read as an
    // invalid value: both are defined results.
    if let Ok(record) = serde_json::from_str::<Record>(&deep) {
        assert!(d.classify(&record, now()).stage().is_none());
        let field = d.field_position(&d.fields()[1].id).unwrap();
        assert_eq!(d.prepare(&record).slot(field), Some(leadspec::Slot::Invalid));
    }
}

#[test]
fn dates_and_durations_past_the_calendar() {
    let d = Definition::from_toml(&with_rule("d > 9999-12-31 or d < today - 10000y")).unwrap();
    for value in ["9999-12-31", "+10000-01-01", "10000-01-01", "0000-01-01"] {
        let _ = d.classify(&Record::new().with("d", value), now());
    }
    let e = first_error(&with_rule("d < today + 99999999y"));
    assert!(e.message.contains("too long"), "{}", e.message);
    let e = first_error(&with_rule("d < today + 1000000y"));
    assert_eq!((e.message.as_str(), e.column), ("the duration `1000000y` is too long", 23));
}

#[test]
fn an_empty_file_and_a_file_of_only_comments() {
    for src in ["", "# nothing here\n# at all\n", "\u{feff}", "\r\n\r\n"] {
        let err = Definition::from_toml(src).unwrap_err();
        codes::assert_codes(&err.diagnostics);
        let messages: Vec<String> = err.errors().map(|d| d.to_string()).collect();
        assert!(messages.iter().any(|m| m.starts_with("1:1: error: missing key `definition`")), "{messages:?}");
    }
}

/// Command-line cases: unreadable lines are reported with their number and the rest go on.
#[cfg(feature = "cli")]
mod command_line {
    use std::io::Write;
    use std::process::{Command, Output, Stdio};

    fn classify(format: &str, input: &[u8]) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_leadspec"))
            .args(["classify", "--now", "2026-11-22", "--format", format])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let input = input.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        out
    }

    fn lines(out: &Output) -> Vec<serde_json::Value> {
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    #[test]
    fn jsonl_with_bom_crlf_invalid_utf8_and_deep_nesting() {
        let mut input = b"\xef\xbb\xbf{\"id\":1,\"email\":\"a@example.com\"}\r\n".to_vec();
        input.extend_from_slice(b"{\"id\":2,\"email\":\"\xff\"}\r\n");
        input.extend_from_slice(
            format!("{{\"id\":3,\"x\":{}{}}}\n", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(),
        );
        input.extend_from_slice(b"\r\n{\"id\":4}\n");
        let out = classify("jsonl", &input);
        assert_eq!(out.status.code(), Some(3));
        let lines = lines(&out);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["stage"], "contact");
        assert_eq!((lines[1]["record"].as_u64(), lines[1].get("error").is_some()), (Some(2), true));
        assert_eq!((lines[2]["record"].as_u64(), lines[2].get("error").is_some()), (Some(3), true));
        assert_eq!(lines[3]["id"], 4);
    }

    #[test]
    fn csv_with_ragged_rows_and_quoted_newlines() {
        let input = b"id,email,company\r\n1,a@example.com,\"Line one\nline two\"\r\n2,b@example.com\r\n3,c@example.com,Acme\r\n";
        let out = classify("csv", input);
        assert_eq!(out.status.code(), Some(3));
        let lines = lines(&out);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["id"], "1");
        assert!(lines[1].get("error").is_some());
        assert_eq!(lines[2]["id"], "3");
    }

    #[test]
    fn empty_input_and_a_csv_without_a_header() {
        let out = classify("jsonl", b"");
        assert_eq!((out.status.code(), out.stdout.len()), (Some(0), 0));
        let out = classify("csv", b"");
        assert_eq!((out.status.code(), out.stdout.len()), (Some(0), 0));
    }

    #[test]
    fn a_ten_megabyte_json_line() {
        let line = format!("{{\"id\":1,\"email\":\"a@example.com\",\"notes\":\"{}\"}}\n", "x".repeat(10 << 20));
        let out = classify("jsonl", line.as_bytes());
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(lines(&out)[0]["stage"], "contact");
    }
}
