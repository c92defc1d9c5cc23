//! `--jobs N` on the batch commands (`classify`, `funnel`, `diff` with LEADS): whatever N,
//! the same standard output, standard error and exit status, byte for byte, as `--jobs 1`
//! (the single-threaded path), for every input format and through standard input, on
//! inputs longer than one chunk (1,024 records) with unreadable records, ragged CSV rows,
//! quoted line breaks, keys no field reads, and on empty inputs. Also `--jobs 0`.
#![cfg(feature = "cli")]

#[path = "support/cli.rs"]
mod cli;
use cli::{file_in, run, run_with, s, Output};

use std::fmt::Write as _;
use std::path::PathBuf;

const NOW: &str = "2026-11-22T00:00:00Z";

/// How many records the generated inputs hold: several chunks, the last one partial.
const RECORDS: usize = 5_300;

const SOURCES: [&str; 9] = ["website", "webinar", "event", "referral", "partner", "advertising", "x", "", "other"];
const ROLES: [&str; 5] = ["user", "influencer", "decision_maker", "economic_buyer", "boss"];

/// The values of lead `i`: id, email, source, budget, role, need, purchase_by, interest.
fn lead(i: usize) -> [String; 8] {
    let email = match i % 7 {
        0 => String::new(),
        1 => "not an address".to_string(),
        _ => format!("lead{i}@example.com"),
    };
    let budget = match i % 5 {
        0 => String::new(),
        1 => "lots".to_string(),
        _ => ((i * 7919) % 60_000).to_string(),
    };
    let need = if i.is_multiple_of(3) { format!("line one\nline two of {i}") } else { format!("need, {i}") };
    [
        format!("L-{i}"),
        email,
        SOURCES[i % SOURCES.len()].to_string(),
        budget,
        ROLES[(i / 2) % ROLES.len()].to_string(),
        need,
        if i.is_multiple_of(4) { String::new() } else { format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28) },
        if i.is_multiple_of(2) { "demo".to_string() } else { String::new() },
    ]
}

const KEYS: [&str; 8] = ["id", "email", "source", "budget", "role", "need", "purchase_by", "interest"];

/// One lead as a JSON object; some with a key no field reads, `need` always misspelled
/// (`Need`), `email` sometimes (`Email`).
fn json_object(i: usize) -> String {
    let values = lead(i);
    let mut object = serde_json::Map::new();
    for (key, value) in KEYS.iter().zip(&values) {
        if !value.is_empty() {
            let key = match *key {
                "email" if i % 11 == 3 => "Email",
                "need" => "Need",
                key => key,
            };
            object.insert(key.to_string(), serde_json::Value::String(value.clone()));
        }
    }
    if i.is_multiple_of(13) {
        object.insert(format!("extra_{}", i % 5), serde_json::Value::from(i));
    }
    serde_json::Value::Object(object).to_string()
}

/// JSON Lines: blank lines, lines that are not JSON or not objects, a line with a BOM-free
/// CRLF ending.
fn jsonl() -> String {
    let mut text = String::new();
    for i in 0..RECORDS {
        match i % 97 {
            5 => text.push_str("{\"id\": \"broken\",\n"),
            6 => text.push_str("[1, 2]\n"),
            7 => text.push('\n'),
            8 => {
                let _ = write!(text, "{}\r\n", json_object(i));
            }
            _ => {
                let _ = writeln!(text, "{}", json_object(i));
            }
        }
    }
    text
}

/// A JSON document: an array of objects, some elements not objects.
fn json_array() -> String {
    let mut text = String::from("[\n");
    for i in 0..RECORDS {
        if i > 0 {
            text.push_str(",\n");
        }
        match i % 89 {
            4 => text.push_str("42"),
            5 => text.push_str("\"text\""),
            _ => text.push_str(&json_object(i)),
        }
    }
    text.push_str("\n]\n");
    text
}

/// CSV under a header (`delimiter` between cells): quoted cells with line breaks and
/// delimiters, ragged rows, blank lines, a cell that is not UTF-8 (unreadable).
fn csv(delimiter: char) -> Vec<u8> {
    let mut text = Vec::new();
    let header: Vec<&str> = KEYS.iter().map(|k| if *k == "need" { "Need" } else { k }).collect();
    text.extend(header.join(&delimiter.to_string()).as_bytes());
    text.push(b'\n');
    for i in 0..RECORDS {
        let mut cells: Vec<String> =
            lead(i)
                .iter()
                .map(|v| {
                    if v.contains(['\n', ',', '\t', '"']) {
                        format!("\"{}\"", v.replace('"', "\"\""))
                    } else {
                        v.clone()
                    }
                })
                .collect();
        match i % 101 {
            9 => cells.truncate(5),
            10 => cells.push("one too many".to_string()),
            11 => text.push(b'\n'),
            _ => {}
        }
        text.extend(cells.join(&delimiter.to_string()).as_bytes());
        if i % 211 == 12 {
            text.extend(b"\xff\xfe");
        }
        text.push(b'\n');
    }
    text
}

/// The inputs: (name, file extension, content).
fn inputs() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("jsonl", "jsonl", jsonl().into_bytes()),
        ("json", "json", json_array().into_bytes()),
        ("csv", "csv", csv(',')),
        ("tsv", "tsv", csv('\t')),
        ("empty-jsonl", "jsonl", Vec::new()),
        ("empty-json", "json", Vec::new()),
        ("empty-csv", "csv", Vec::new()),
        ("header-only-csv", "csv", b"id,email\n".to_vec()),
    ]
}

fn example(path: &str) -> String {
    format!("{}/examples/definitions/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// A new version of the default definition, for `diff`: a higher budget bar.
fn new_version() -> PathBuf {
    let old = std::fs::read_to_string(example("default.toml")).unwrap();
    let new = old.replace("budget >= 10_000", "budget >= 30_000");
    assert_ne!(old, new);
    file_in("cli_jobs", "diff", "new.toml", new)
}

/// Runs `args` with `--jobs 1`, 2 and 4 (on `stdin` when given) and checks that the three
/// agree byte for byte; the `--jobs 1` output.
fn same_for_every_jobs(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let with = |jobs: &str| {
        let mut all = args.to_vec();
        all.extend(["--jobs", jobs]);
        run_with(&all, stdin)
    };
    let one = with("1");
    for jobs in ["2", "4"] {
        let other = with(jobs);
        assert_eq!(other.code, one.code, "exit status with --jobs {jobs}: {args:?}\n{}", other.stderr);
        assert!(
            other.stderr == one.stderr,
            "standard error with --jobs {jobs}: {args:?}\n{}\n---\n{}",
            one.stderr,
            other.stderr
        );
        assert!(other.stdout == one.stdout, "standard output with --jobs {jobs}: {args:?}");
    }
    one
}

#[test]
fn classify_prints_the_same_for_every_number_of_jobs() {
    for (name, extension, content) in inputs() {
        let path = file_in("cli_jobs", "classify", &format!("{name}.{extension}"), &content);
        for output in ["jsonl", "csv"] {
            let one = same_for_every_jobs(&["classify", "--now", NOW, "--output", output, s(&path)], None);
            if content.is_empty() || name.starts_with("header") {
                // An empty JSON document is one record that cannot be read.
                assert_eq!(one.code, if name == "empty-json" { 3 } else { 0 }, "{name}: {}", one.stderr);
                continue;
            }
            assert_eq!(one.code, 3, "{name}: {}", one.stderr);
            let lines = one.stdout.lines().count();
            assert!(lines >= RECORDS - 60, "{name}: {lines} lines");
            assert!(one.stderr.contains("records could not be read"), "{name}: {}", one.stderr);
        }
    }
}

#[test]
fn classify_of_standard_input_prints_the_same_for_every_number_of_jobs() {
    let jsonl = jsonl();
    let one = same_for_every_jobs(&["classify", "--now", NOW], Some(jsonl.as_bytes()));
    assert_eq!(one.code, 3, "{}", one.stderr);
    // The keys no record held are said after the last record, the misspelled one named.
    assert!(one.stderr.contains("did you mean \"Need\"?"), "{}", one.stderr);
    let csv = csv(';');
    let one = same_for_every_jobs(&["classify", "--now", NOW, "--format", "csv", "-"], Some(&csv));
    assert_eq!(one.code, 3, "{}", one.stderr);
    assert!(one.stderr.contains("warning: "), "the header's findings: {}", one.stderr);
}

#[test]
fn funnel_prints_the_same_for_every_number_of_jobs() {
    let ladder = example("suspect_ladder.toml");
    for (name, extension, content) in inputs() {
        let path = file_in("cli_jobs", "funnel", &format!("{name}.{extension}"), &content);
        for extra in [&[][..], &["--json"], &["--by", "source"], &["--json", "--by", "budget"], &["--compare", &ladder]]
        {
            let mut args = vec!["funnel", "--now", NOW];
            args.extend(extra);
            args.push(s(&path));
            let one = same_for_every_jobs(&args, None);
            if !content.is_empty() && !name.starts_with("header") {
                assert_eq!(one.code, 3, "{name} {extra:?}: {}", one.stderr);
                assert!(one.stderr.matches("could not be read: ").count() > 40, "{name}: {}", one.stderr);
            }
        }
    }
    let jsonl = jsonl();
    same_for_every_jobs(&["funnel", "--now", NOW, "--by", "role", "-"], Some(jsonl.as_bytes()));
}

#[test]
fn diff_prints_the_same_for_every_number_of_jobs() {
    let (old, new) = (example("default.toml"), new_version());
    for (name, extension, content) in inputs() {
        let path = file_in("cli_jobs", "diff", &format!("{name}.{extension}"), &content);
        for extra in [&[][..], &["--json"], &["--markdown"]] {
            let mut args = vec!["diff", "--now", NOW];
            args.extend(extra);
            args.extend([old.as_str(), s(&new), s(&path)]);
            let one = same_for_every_jobs(&args, None);
            if !content.is_empty() && !name.starts_with("header") {
                assert_eq!(one.code, 3, "{name} {extra:?}: {}", one.stderr);
                if extra == ["--json"] {
                    let report: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
                    assert!(report["moved"].as_u64().unwrap() > 10, "{name}: {report}");
                    assert!(report["samples"].as_array().unwrap().len() >= 3, "{name}: {report}");
                }
            }
        }
    }
    let jsonl = jsonl();
    same_for_every_jobs(&["diff", "--now", NOW, &old, s(&new), "-"], Some(jsonl.as_bytes()));
}

#[test]
fn an_input_that_fails_midway_fails_the_same_for_every_number_of_jobs() {
    // A CSV file whose header names a column twice still reads; a file that is a directory
    // cannot be read at all.
    let dir = file_in("cli_jobs", "failing", "x", "").parent().unwrap().to_path_buf();
    let one = same_for_every_jobs(&["classify", "--now", NOW, "--format", "jsonl", s(&dir)], None);
    assert_eq!(one.code, 2, "{}", one.stderr);
    assert!(one.stderr.contains("cannot read"), "{}", one.stderr);
}

#[test]
fn zero_jobs_is_a_usage_error() {
    for command in [&["classify"][..], &["funnel"], &["diff", "a.toml", "b.toml", "leads.jsonl"]] {
        for bad in ["0", "two", ""] {
            let mut args = command.to_vec();
            args.extend(["--jobs", bad]);
            let out = run(&args);
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert!(out.stderr.contains("--jobs"), "{args:?}: {}", out.stderr);
        }
    }
    let out = run(&["classify", "--jobs", "0"]);
    assert!(out.stderr.contains("must be at least 1"), "{}", out.stderr);
}
