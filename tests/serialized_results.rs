//! A service that serializes the library's results writes what the `leadspec` binary
//! prints: history lines read by `StageChange`'s `Deserialize` are accepted and refused as
//! `sla` reads them, with the same messages; the breaches, summary and waterfall of
//! `Definition::replay` and `Definition::waterfall`, serialized, are `sla`'s,
//! `sla --summary`'s and `waterfall`'s output; a funnel and an explanation built in Rust
//! are `funnel --json` and `explain`.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use leadspec::{Definition, Funnel, Record, StageChange};

const NOW: &str = "2026-12-01";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary in the repository's root.
fn leadspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadspec")).args(args).current_dir(root()).output().unwrap()
}

fn stdout(args: &[&str]) -> String {
    let output = leadspec(args);
    assert!(output.status.code().is_some_and(|c| c == 0 || c == 3), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn definitions() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("examples/definitions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
}

fn load(path: &Path) -> Definition {
    Definition::from_toml(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The message of a deserialization error, without serde_json's position.
fn message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

#[test]
fn history_lines_are_read_as_sla_reads_them() {
    let lines = [
        r#"{"id":"A","stage":"contact","at":"2026-11-01"}"#,
        r#"{"x":[1,{"y":2}],"id":"B\"q","stage":"SQL","at":"2026-11-01T10:00:00.5+01:00","more":null}"#,
        r#"{"id":7,"stage":"won","at":"2026-11-02"}"#,
        r#"{"id":1.5,"stage":"Inquiry","at":"2026-11-02"}"#,
        r#"{"id":"A","id":"C","stage":"won","at":"2026-11-03"}"#,
        r#"{"stage":"won","at":"2026-11-01"}"#,
        r#"{"id":null,"stage":"won","at":"2026-11-01"}"#,
        r#"{"id":" ","stage":"won","at":"2026-11-01"}"#,
        r#"{"id":true,"stage":"won","at":"2026-11-01"}"#,
        r#"{"id":"A","at":"2026-11-01"}"#,
        r#"{"id":"A","stage":1,"at":"2026-11-01"}"#,
        r#"{"id":"A","stage":"","at":"2026-11-01"}"#,
        r#"{"id":"A","stage":"won"}"#,
        r#"{"id":"A","stage":"won","at":["x"]}"#,
        r#"{"id":"A","stage":"won","at":" "}"#,
        r#"{"id":"A","stage":"won","at":"soon"}"#,
        r#"{"at":"soon","stage":""}"#,
        r#"["A","won"]"#,
        "17",
        r#""text""#,
    ];
    let dir = std::env::temp_dir().join(format!("leadspec-serialized-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("history.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let output = leadspec(&["sla", "--now", NOW, file.to_str().unwrap()]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    let prefix = format!("{}:", file.display());
    let refused: Vec<(usize, String)> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|l| {
            let (number, rest) = l.split_once(": error: ").unwrap();
            (number.parse().unwrap(), rest.to_string())
        })
        .collect();
    let d = leadspec::default_definition();
    let mut expected = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match serde_json::from_str::<StageChange>(line) {
            Ok(change) => assert!(d.find_stage(&change.stage).is_some(), "{line}"),
            Err(error) => expected.push((i + 1, message(&error))),
        }
    }
    assert_eq!(refused, expected);
    assert!(expected.len() >= 15, "{expected:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn replays_serialize_as_sla_and_waterfall_print_them() {
    let now = leadspec::parse_reference_time(NOW).unwrap();
    let text = std::fs::read_to_string(root().join("examples/history.jsonl")).unwrap();
    let changes: Vec<StageChange> =
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
    for path in definitions() {
        let d = load(&path);
        let def = path.to_str().unwrap();
        let replay = d.replay(changes.clone(), now);
        let lines: String =
            replay.breaches(&d).iter().map(|b| serde_json::to_string(&d.named(b)).unwrap() + "\n").collect();
        assert_eq!(lines, stdout(&["sla", "--definition", def, "--now", NOW, "examples/history.jsonl"]), "{def}");
        let summary = serde_json::to_string(&replay.summary(&d)).unwrap() + "\n";
        let printed = stdout(&["sla", "--summary", "--definition", def, "--now", NOW, "examples/history.jsonl"]);
        assert_eq!(summary, printed, "{def}");
        let waterfall = serde_json::to_string(&d.named(&d.waterfall(changes.clone()))).unwrap() + "\n";
        assert_eq!(waterfall, stdout(&["waterfall", "--definition", def, "examples/history.jsonl"]), "{def}");
    }
}

#[test]
fn funnels_and_explanations_built_in_rust_are_what_the_commands_print() {
    let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    let text = std::fs::read_to_string(root().join("examples/leads.jsonl")).unwrap();
    let records: Vec<Record> =
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
    let other = leadspec::default_definition();
    for path in definitions() {
        let d = load(&path);
        let def = path.to_str().unwrap();
        let (mut funnel, mut theirs) = (Funnel::new(&d), Funnel::new(other));
        for record in &records {
            funnel.add(&d.classify(record, now));
            theirs.add(&other.classify(record, now));
        }
        let args = ["funnel", "--json", "--definition", def, "--now", "2026-11-22", "examples/leads.jsonl"];
        assert_eq!(serde_json::to_string(&funnel).unwrap() + "\n", stdout(&args), "{def}");
        let compare = [&args[..], &["--compare", "examples/definitions/default.toml"]].concat();
        assert_eq!(serde_json::to_string(&funnel.side_by_side(&theirs)).unwrap() + "\n", stdout(&compare), "{def}");
        for (n, record) in records.iter().enumerate().take(6) {
            let number = (n + 1).to_string();
            let args =
                ["explain", "--definition", def, "--now", "2026-11-22", "--record", &number, "examples/leads.jsonl"];
            assert_eq!(d.explain(record, now).to_string(), stdout(&args), "{def} record {number}");
        }
    }
}
