//! Stage histories through the `leadspec` binary: `sla` and `waterfall` on standard input,
//! CSV histories (columns in any order, extra columns, a missing column, an empty id), stage
//! words as aliases, display names or in another case, `sla --summary` (exact JSON),
//! `--sorted` (the same answers, a lead out of order stops with its line), and the memory
//! of `sla --sorted` on a large history.
#![cfg(feature = "cli")]

#[path = "support/cli.rs"]
mod cli;
use cli::Output;

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::process::{Command, Stdio};

const NOW: &str = "2026-11-22T00:00:00Z";

/// Two teams own a stage with an SLA, listed in `[teams]` after one that owns none; stages
/// with aliases and display names.
const SUMMARY: &str = r#"[definition]
name = "Summary"

[teams]
sales = "Sales"
ops = "Operations"
mkt = "Marketing"

[[stages]]
id = "lead"
owner = "mkt"
canonical = "inquiry"
aliases = ["MQL"]
when = "true"
sla = "1d"

[[stages]]
id = "nurture"
owner = "mkt"
when = "false"

[[stages]]
id = "sql"
name = "Sales-qualified lead"
owner = "sales"
canonical = "sql"
when = "false"
sla = "2d"

[[stages]]
id = "won"
owner = "ops"
canonical = "customer"
when = "false"
"#;

/// A history for SUMMARY, in no order, stage words as ids.
const HISTORY: &str = r#"{"id":"D","stage":"sql","at":"2026-11-10T00:00:00Z"}
{"id":"A","stage":"won","at":"2026-11-04T00:00:00Z"}
{"id":"E","stage":"sql","at":"2026-11-30T00:00:00Z"}
{"id":"A","stage":"lead","at":"2026-11-01T00:00:00Z"}
{"id":"B","stage":"lead","at":"2026-11-20T00:00:00Z"}
{"id":"E","stage":"nurture","at":"2026-11-02T12:00:00Z"}
{"id":"C","stage":"lead","at":"2026-11-21T12:00:00Z"}
{"id":"A","stage":"sql","at":"2026-11-03T00:00:00Z"}
{"id":"E","stage":"lead","at":"2026-11-02T00:00:00Z"}
"#;

/// The same history as a CRM exports it: columns in another order, with others; the header
/// cells in other cases; stage words as aliases, display names and in other cases; sorted by
/// lead id.
const HISTORY_CSV: &str = "\
changed_by,AT,Stage,Id,note
ann,2026-11-01T00:00:00Z,LEAD,A,first
bob,2026-11-03T00:00:00Z,Sales-qualified lead,A,\"call, then mail\"
ann,2026-11-04T00:00:00Z,Won,A,
bob,2026-11-20T00:00:00Z,mql,B,
ann,2026-11-21T12:00:00Z,Lead,C,
bob,2026-11-10T00:00:00Z,SQL,D,
ann,2026-11-02T00:00:00Z,MQL,E,
bob,2026-11-02T12:00:00Z,Nurture,E,
ann,2026-11-30T00:00:00Z,sql,E,after now
";

/// The breaches of HISTORY at NOW.
const BREACHES: [&str; 3] = [
    r#"{"id":"A","stage":"lead","owner":"mkt","entered":"2026-11-01T00:00:00Z","left":"2026-11-03T00:00:00Z","limit_seconds":86400,"spent_seconds":172800}"#,
    r#"{"id":"B","stage":"lead","owner":"mkt","entered":"2026-11-20T00:00:00Z","left":null,"limit_seconds":86400,"spent_seconds":172800}"#,
    r#"{"id":"D","stage":"sql","owner":"sales","entered":"2026-11-10T00:00:00Z","left":null,"limit_seconds":172800,"spent_seconds":1036800}"#,
];

/// The summary of HISTORY at NOW: lead has 4 stays (A, B, C, E), 2 breaches (A, B), 1
/// open (B); sql 2 stays (A, D; E's lies after NOW), 1 breach, open (D).
const SUMMARY_JSON: &str = concat!(
    r#"{"stages":{"lead":{"stays":4,"breaches":2,"open_breaches":1},"sql":{"stays":2,"breaches":1,"open_breaches":1}},"#,
    r#""owners":{"sales":{"stays":2,"breaches":1,"open_breaches":1},"mkt":{"stays":4,"breaches":2,"open_breaches":1}}}"#
);

/// The waterfall of HISTORY: 5 leads reached `lead` (every one has a lead or later step),
/// 3 `sql` (A, D, E: E's change after NOW still counts, times play no part), 1 `won`.
const WATERFALL_JSON: &str = concat!(
    r#"{"leads":5,"unreadable":0,"steps":[{"stage":"lead","shared":"inquiry","reached":5,"converted":3},"#,
    r#"{"stage":"sql","shared":"sql","reached":3,"converted":1},{"stage":"won","shared":"customer","reached":1,"converted":0}]}"#
);

/// Writes a file into a directory of its own for this test and returns its path as text.
fn file(test: &str, name: &str, content: impl AsRef<[u8]>) -> String {
    cli::s(&cli::file_in("cli_histories", test, name, content)).to_string()
}

fn run_with(args: &[&str], stdin: Option<&str>) -> Output {
    cli::run_with(args, stdin.map(str::as_bytes))
}

fn run(args: &[&str]) -> Output {
    run_with(args, None)
}

/// Runs the command and requires exit status 0 and nothing on standard error.
fn ok(args: &[&str], stdin: Option<&str>) -> String {
    let out = run_with(args, stdin);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{args:?}");
    out.stdout
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn sla_and_waterfall_read_standard_input_without_a_file() {
    let def = file("stdin", "summary.toml", SUMMARY);
    for input in [&[][..], &["-"][..]] {
        let sla: Vec<&str> = ["sla", "-d", &def, "--now", NOW].into_iter().chain(input.iter().copied()).collect();
        assert_eq!(lines(&ok(&sla, Some(HISTORY))), BREACHES);
        let waterfall: Vec<&str> = ["waterfall", "-d", &def].into_iter().chain(input.iter().copied()).collect();
        assert_eq!(ok(&waterfall, Some(HISTORY)).trim(), WATERFALL_JSON);
    }
    // CSV on standard input with --format csv.
    assert_eq!(lines(&ok(&["sla", "-d", &def, "--now", NOW, "--format", "csv"], Some(HISTORY_CSV))), BREACHES);
    // An unreadable line on standard input is named `<stdin>`.
    let out = run_with(&["sla", "-d", &def, "--now", NOW], Some(&format!("{HISTORY}nope\n")));
    assert_eq!(out.code, 3);
    assert!(out.stderr.starts_with("<stdin>:10: error: not valid JSON"), "{}", out.stderr);
    assert_eq!(lines(&out.stdout), BREACHES);
}

#[test]
fn csv_histories_are_read_by_header_in_any_order() {
    let def = file("csv", "summary.toml", SUMMARY);
    let csv = file("csv", "history.csv", HISTORY_CSV);
    assert_eq!(lines(&ok(&["sla", "-d", &def, "--now", NOW, &csv], None)), BREACHES);
    assert_eq!(ok(&["waterfall", "-d", &def, &csv], None).trim(), WATERFALL_JSON);
    assert_eq!(ok(&["sla", "--summary", "-d", &def, "--now", NOW, &csv], None).trim(), SUMMARY_JSON);
    // --format csv whatever the extension, and --format jsonl for a .csv name.
    let txt = file("csv", "history.txt", HISTORY_CSV);
    assert_eq!(lines(&ok(&["sla", "-d", &def, "--now", NOW, "--format", "csv", &txt], None)), BREACHES);
    let misnamed = file("csv", "jsonl.csv", HISTORY);
    assert_eq!(lines(&ok(&["sla", "-d", &def, "--now", NOW, "--format", "jsonl", &misnamed], None)), BREACHES);
    // A .tsv file is split on tabs; CRLF line ends and blank lines are fine.
    let tsv = HISTORY_CSV.replace("\"call, then mail\"", "call").replace(',', "\t").replace('\n', "\r\n\r\n");
    let tsv = file("csv", "history.tsv", tsv);
    assert_eq!(lines(&ok(&["sla", "-d", &def, "--now", NOW, &tsv], None)), BREACHES);
    // An empty CSV input is an empty history.
    let empty = file("csv", "empty.csv", "");
    assert_eq!(ok(&["sla", "-d", &def, "--now", NOW, &empty], None), "");
    // The shipped CSV history is the shipped JSONL history as a CRM exports it.
    let root = env!("CARGO_MANIFEST_DIR");
    let (jsonl, csv) = (format!("{root}/examples/history.jsonl"), format!("{root}/examples/history.csv"));
    for args in [&["sla", "--now", NOW][..], &["sla", "--summary", "--now", NOW], &["waterfall"]] {
        let with = |input: &str| ok(&[args, &[input][..]].concat(), None);
        assert_eq!(with(&jsonl), with(&csv), "{args:?}");
    }
}

#[test]
fn a_csv_header_without_id_stage_or_at_exits_2() {
    let def = file("header", "summary.toml", SUMMARY);
    for (missing, header) in [("id", "lead,stage,at"), ("stage", "at,id,status"), ("at", "id,stage,when")] {
        let history = file("header", "history.csv", format!("{header}\nA,lead,2026-11-01\n"));
        for command in ["sla", "waterfall"] {
            let out = run(&[command, "-d", &def, &history]);
            assert_eq!(out.code, 2, "{command} {header}");
            assert_eq!(out.stdout, "");
            assert!(
                out.stderr.contains(&format!("the CSV header has no `{missing}` column")),
                "{command} {header}: {}",
                out.stderr
            );
        }
    }
}

#[test]
fn an_empty_id_or_a_ragged_row_is_unreadable_and_the_rest_is_used() {
    let def = file("unreadable", "summary.toml", SUMMARY);
    let csv = HISTORY_CSV.replacen("ann,2026-11-21T12:00:00Z,Lead,C,", "ann,2026-11-21T12:00:00Z,Lead,,", 1)
        + "ann,2026-11-30T00:00:00Z,sql,F\n"
        + "ann,soon,sql,F,\n"
        + "ann,2026-11-01,qualified,F,\n";
    let history = file("unreadable", "history.csv", &csv);
    let out = run(&["sla", "-d", &def, "--now", NOW, &history]);
    assert_eq!(out.code, 3);
    assert_eq!(lines(&out.stdout), BREACHES);
    assert_eq!(
        lines(&out.stderr),
        [
            format!("{history}:6: error: `id` is empty"),
            format!("{history}:11: error: the row has 4 cells, the header 5"),
            format!("{history}:12: error: `at` is not an RFC 3339 date-time: `soon`"),
            format!("{history}:13: error: unknown stage `qualified`"),
        ]
    );
    // The waterfall counts them as unreadable; C is not a lead any more.
    let out = run(&["waterfall", "-d", &def, &history]);
    assert_eq!(out.code, 3);
    assert!(out.stdout.starts_with(r#"{"leads":4,"unreadable":4,"#), "{}", out.stdout);
    // In JSON Lines, an empty id too.
    let jsonl =
        file("unreadable", "history.jsonl", format!("{HISTORY}{{\"id\":\"\",\"stage\":\"lead\",\"at\":\"{NOW}\"}}\n"));
    let out = run(&["sla", "-d", &def, "--now", NOW, &jsonl]);
    assert_eq!((out.code, out.stderr.trim()), (3, format!("{jsonl}:10: error: `id` is empty").as_str()));
}

#[test]
fn stage_words_may_be_aliases_display_names_or_in_another_case() {
    let def = file("words", "summary.toml", SUMMARY);
    // HISTORY with every stage word changed: an alias, a display name, other cases.
    let words = HISTORY
        .replace(r#""stage":"sql","at":"2026-11-10"#, r#""stage":"Sales-Qualified Lead","at":"2026-11-10"#)
        .replace(r#""stage":"won""#, r#""stage":"WON""#)
        .replace(r#""stage":"lead","at":"2026-11-20"#, r#""stage":"mql","at":"2026-11-20"#)
        .replace(r#""stage":"lead","at":"2026-11-01"#, r#""stage":"MQL","at":"2026-11-01"#)
        .replace(r#""stage":"nurture""#, r#""stage":"Nurture""#);
    assert_ne!(words, HISTORY);
    for sorted in [&[][..], &["--sorted"][..]] {
        let input = if sorted.is_empty() { words.clone() } else { sort_by_id(&words) };
        let sla = [&["sla", "-d", &def, "--now", NOW][..], sorted].concat();
        assert_eq!(lines(&ok(&sla, Some(&input))), BREACHES);
        let waterfall = [&["waterfall", "-d", &def][..], sorted].concat();
        assert_eq!(ok(&waterfall, Some(&input)).trim(), WATERFALL_JSON);
    }
    // A word that names no stage is unreadable, with a hint.
    let out = run_with(&["sla", "-d", &def, "--now", NOW], Some(&HISTORY.replace("\"won\"", "\"wno\"")));
    assert_eq!(out.code, 3);
    assert_eq!(out.stderr.trim(), "<stdin>:2: error: unknown stage `wno` (did you mean `won`?)");
}

/// The lines of a JSON Lines history sorted by lead id (each begins with its id).
fn sort_by_id(history: &str) -> String {
    let mut lines: Vec<&str> = history.lines().collect();
    lines.sort();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn sla_summary_prints_one_exact_object() {
    let def = file("summary", "summary.toml", SUMMARY);
    let history = file("summary", "history.jsonl", HISTORY);
    assert_eq!(ok(&["sla", "--summary", "-d", &def, "--now", NOW, &history], None), format!("{SUMMARY_JSON}\n"));
    assert_eq!(
        ok(&["sla", "--summary", "--sorted", "-d", &def, "--now", NOW], Some(&sort_by_id(HISTORY))).trim(),
        SUMMARY_JSON
    );
    // As of an earlier time: A's lead stay is still open and a breach; nothing else began.
    assert_eq!(
        ok(&["sla", "--summary", "-d", &def, "--now", "2026-11-02T12:00:00Z", &history], None).trim(),
        concat!(
            r#"{"stages":{"lead":{"stays":2,"breaches":1,"open_breaches":1},"sql":{"stays":0,"breaches":0,"open_breaches":0}},"#,
            r#""owners":{"sales":{"stays":0,"breaches":0,"open_breaches":0},"mkt":{"stays":2,"breaches":1,"open_breaches":1}}}"#
        )
    );
    // Unreadable lines: status 3, the object still printed.
    let out = run_with(&["sla", "--summary", "-d", &def, "--now", NOW], Some(&format!("{HISTORY}{{}}\n")));
    assert_eq!((out.code, out.stdout.trim()), (3, SUMMARY_JSON));
    // A definition without any SLA: empty objects.
    let none = file("summary", "none.toml", SUMMARY.replace("sla = \"1d\"", "").replace("sla = \"2d\"", ""));
    assert_eq!(ok(&["sla", "--summary", "-d", &none, "--now", NOW, &history], None), "{\"stages\":{},\"owners\":{}}\n");
    // The default definition on the shipped history.
    let root = env!("CARGO_MANIFEST_DIR");
    assert_eq!(
        ok(&["sla", "--summary", "--now", NOW, &format!("{root}/examples/history.jsonl")], None).trim(),
        concat!(
            r#"{"stages":{"inquiry":{"stays":7,"breaches":3,"open_breaches":2},"nurture":{"stays":2,"breaches":0,"open_breaches":0},"#,
            r#""qualified_lead":{"stays":6,"breaches":4,"open_breaches":0},"prospect":{"stays":4,"breaches":0,"open_breaches":0},"#,
            r#""proposal":{"stays":3,"breaches":1,"open_breaches":0}},"#,
            r#""owners":{"marketing":{"stays":9,"breaches":3,"open_breaches":2},"sales":{"stays":13,"breaches":5,"open_breaches":0}}}"#
        )
    );
}

#[test]
fn sorted_histories_give_the_same_answers() {
    let def = file("sorted", "summary.toml", SUMMARY);
    let sorted = file("sorted", "sorted.jsonl", sort_by_id(HISTORY));
    assert_eq!(lines(&ok(&["sla", "--sorted", "-d", &def, "--now", NOW, &sorted], None)), BREACHES);
    assert_eq!(ok(&["waterfall", "--sorted", "-d", &def, &sorted], None).trim(), WATERFALL_JSON);
    // Sorted by id, not by time: each lead's changes may come in any order.
    let csv = file("sorted", "sorted.csv", HISTORY_CSV);
    assert_eq!(lines(&ok(&["sla", "--sorted", "-d", &def, "--now", NOW, &csv], None)), BREACHES);
    // The shipped history is sorted by id.
    let root = env!("CARGO_MANIFEST_DIR");
    for input in ["examples/history.jsonl", "examples/history.csv"] {
        let path = format!("{root}/{input}");
        assert_eq!(ok(&["sla", "--sorted", "--now", NOW, &path], None), ok(&["sla", "--now", NOW, &path], None));
    }
}

#[test]
fn a_lead_out_of_order_under_sorted_exits_2_with_its_line() {
    let def = file("out_of_order", "summary.toml", SUMMARY);
    // B's changes are split by C's, so B comes back after C on line 4.
    let history = "\
{\"id\":\"A\",\"stage\":\"lead\",\"at\":\"2026-11-01T00:00:00Z\"}
{\"id\":\"B\",\"stage\":\"lead\",\"at\":\"2026-11-01T00:00:00Z\"}
{\"id\":\"C\",\"stage\":\"lead\",\"at\":\"2026-11-01T00:00:00Z\"}
{\"id\":\"B\",\"stage\":\"sql\",\"at\":\"2026-11-02T00:00:00Z\"}
";
    let path = file("out_of_order", "history.jsonl", history);
    let out = run(&["sla", "--sorted", "-d", &def, "--now", NOW, &path]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(&format!(
            "leadspec: error: {path}:4: lead `B` comes after lead `C`, so the changes are not sorted by lead id"
        )),
        "{}",
        out.stderr
    );
    // What was written before holds for the leads before: A's and B's stays were complete.
    assert_eq!(lines(&out.stdout).len(), 2);
    let out = run(&["waterfall", "--sorted", "-d", &def, &path]);
    assert_eq!((out.code, out.stdout.as_str()), (2, ""));
    assert!(out.stderr.contains(&format!("{path}:4: lead `B` comes after lead `C`")), "{}", out.stderr);
    // Ids in number order are not in byte order; in CSV the line is the row's.
    let csv = file("out_of_order", "history.csv", "id,stage,at\nL9,lead,2026-11-01\n\nL10,lead,2026-11-01\n");
    let out = run(&["sla", "--sorted", "-d", &def, "--now", NOW, &csv]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains(&format!("{csv}:4: lead `L10` comes after lead `L9`")), "{}", out.stderr);
    // Without --sorted, the same inputs are fine.
    assert_eq!(run(&["sla", "-d", &def, "--now", NOW, &path]).code, 0);
    assert_eq!(run(&["sla", "-d", &def, "--now", NOW, &csv]).code, 0);
}

/// The peak resident memory of a running process, in KiB.
#[cfg(target_os = "linux")]
fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM in /proc/PID/status");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap()
}

/// `sla --sorted` keeps one lead at a time: fed 100,000 leads with 200-byte ids (held all
/// together, their ids alone would take 20 MB), its peak memory grows by less than 8 MiB
/// from the first tenth of the input to the end. The input goes through a pipe, so the
/// peak is read while the command still runs, before the input ends.
#[cfg(target_os = "linux")]
#[test]
fn sla_sorted_keeps_memory_flat_on_a_large_history() {
    const LEADS: usize = 100_000;
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadspec"))
        .args(["sla", "--sorted", "--now", NOW])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // Read the outputs as they come, so that the command never waits on a full pipe.
    let stdout = child.stdout.take().unwrap();
    let breaches = std::thread::spawn(move || {
        let mut ids = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let value: serde_json::Value = serde_json::from_str(&line).unwrap();
            ids.push(value["id"].as_str().unwrap()[..7].to_string());
        }
        ids
    });
    let mut stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });
    let mut input = BufWriter::new(child.stdin.take().unwrap());
    let pad = "x".repeat(193);
    let mut early = 0;
    for lead in 0..LEADS {
        if lead == LEADS / 10 {
            input.flush().unwrap();
            early = peak_memory_kib(pid);
        }
        // One day in inquiry (no breach, the limit is 2 days), then 20 in qualified_lead.
        writeln!(input, r#"{{"id":"{lead:07}{pad}","stage":"inquiry","at":"2026-11-01T00:00:00Z"}}"#).unwrap();
        writeln!(input, r#"{{"id":"{lead:07}{pad}","stage":"SQL","at":"2026-11-02T00:00:00Z"}}"#).unwrap();
    }
    input.flush().unwrap();
    let late = peak_memory_kib(pid);
    drop(input);
    let status = child.wait().unwrap();
    let (ids, errors) = (breaches.join().unwrap(), errors.join().unwrap());
    assert_eq!((status.code(), errors.as_str()), (Some(0), ""));
    assert_eq!(ids.len(), LEADS, "one open breach per lead");
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "breaches in id order");
    assert!(
        late < early + 8 * 1024,
        "peak memory grew from {early} KiB after a tenth of the input to {late} KiB at its end"
    );
}
