//! `leadspec diff` and `Definition::diff`: the structural changes between two versions of the
//! shipped default definition (golden text, JSON and markdown, with and without leads), and
//! the law that the impact matrix is what classifying every record with both gives.
#![cfg(all(feature = "cli", feature = "proptest"))]

use std::path::{Path, PathBuf};
use std::process::Command;

use leadspec::testing::RecordGen;
use leadspec::{ChangeKind, Definition, Impact, Part};
use proptest::prelude::*;

#[path = "support/golden.rs"]
mod golden;
use golden::golden;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn old() -> PathBuf {
    root().join("examples/definitions/default.toml")
}

fn new() -> PathBuf {
    root().join("tests/golden/default_v2.toml")
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_leadspec")).args(args).current_dir(root()).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn the_changes_are_named_with_their_old_and_new_rules() {
    let (a, b) = (
        Definition::from_toml(&std::fs::read_to_string(old()).unwrap()).unwrap(),
        Definition::from_toml(&std::fs::read_to_string(new()).unwrap()).unwrap(),
    );
    let diff = a.diff(&b);
    let named: Vec<(Part, &str, ChangeKind)> =
        diff.changes().iter().map(|c| (c.part, c.name.as_str(), c.kind)).collect();
    assert_eq!(
        named,
        [
            (Part::Definition, "definition", ChangeKind::Changed),
            (Part::Criterion, "budget", ChangeKind::Changed),
            (Part::Stage, "inquiry", ChangeKind::Changed),
            (Part::Stage, "qualified_lead", ChangeKind::Changed),
            (Part::Example, "Interested but buying next year is nurture", ChangeKind::Changed),
            (Part::Example, "A budget of 30,000 or more goes to sales at once", ChangeKind::Added),
        ]
    );
    let when = &diff.changes()[3].keys[0];
    assert_eq!((when.key.as_str(), when.old.as_deref()), ("when", Some("qualified")));
    assert_eq!(when.new.as_deref(), Some("qualified or email is present and budget >= 30_000"));
    assert!(a.diff(&a).is_empty());
}

#[test]
fn diff_text_json_and_markdown_match_the_golden_files() {
    let (old, new) = (old(), new());
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let leads = "examples/leads.jsonl";
    let cases: [(&str, Vec<&str>); 5] = [
        ("diff_default.txt", vec!["diff", old, new]),
        ("diff_default.json", vec!["diff", "--json", old, new]),
        ("diff_default_leads.txt", vec!["diff", "--now", "2026-11-22", old, new, leads]),
        ("diff_default_leads.json", vec!["diff", "--now", "2026-11-22", "--json", old, new, leads]),
        ("diff_default_leads.md", vec!["diff", "--now", "2026-11-22", "--markdown", old, new, leads]),
    ];
    for (name, args) in cases {
        let (code, out) = run(&args);
        assert_eq!(code, Some(0), "{args:?}");
        // The golden files name the definitions by path from the repository's root.
        golden(name, &out.replace(root().to_str().unwrap(), "."));
    }
    // The JSON of the impact has exactly the documented keys, in the documented order.
    let (_, out) = run(&["diff", "--now", "2026-11-22", "--json", old, new, leads]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 6);
    let at = |key: &str| out.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key} in {out}"));
    let order = ["records", "moved", "matrix", "owner_changes", "qualified_changes", "samples"].map(at);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{out}");
}

#[test]
fn unreadable_leads_and_invalid_definitions_exit_as_documented() {
    let (old, new) = (old(), new());
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("diff");
    std::fs::create_dir_all(&dir).unwrap();
    let leads = dir.join("leads.jsonl");
    std::fs::write(&leads, "{\"email\":\"a@example.com\"}\nnot json\n").unwrap();
    let (code, out) = run(&["diff", "--json", old, new, leads.to_str().unwrap()]);
    assert_eq!(code, Some(3));
    assert!(out.contains("\"records\":1"), "{out}");
    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "[definition]\n").unwrap();
    assert_eq!(run(&["diff", old, broken.to_str().unwrap()]).0, Some(1));
    assert_eq!(run(&["diff", old, "/nonexistent.toml"]).0, Some(2));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// The matrix counts, for each pair of old and new stage, exactly the records that the
    /// two versions put there; owner and qualification changes likewise.
    #[test]
    fn the_matrix_is_the_classification_by_both(records in prop::collection::vec(
        RecordGen::new(&Definition::from_toml(&std::fs::read_to_string(old()).unwrap()).unwrap()).strategy(), 1..60,
    )) {
        let a = Definition::from_toml(&std::fs::read_to_string(old()).unwrap()).unwrap();
        let b = Definition::from_toml(&std::fs::read_to_string(new()).unwrap()).unwrap();
        let now = leadspec::parse_reference_time("2026-11-22").unwrap();
        let mut impact = Impact::new(&a, &b);
        let mut expected: std::collections::HashMap<(Option<String>, Option<String>), usize> = Default::default();
        let (mut owners, mut qualified) = (0, 0);
        for (n, record) in records.iter().enumerate() {
            let (x, y) = (a.classify(record, now), b.classify(record, now));
            impact.add(n + 1, &x, &y);
            *expected.entry((x.stage().map(|s| s.id().to_string()), y.stage().map(|s| s.id().to_string()))).or_default() += 1;
            owners += usize::from(x.owner().map(|t| &t.id) != y.owner().map(|t| &t.id));
            qualified += usize::from(x.qualified() != y.qualified());
        }
        let got: std::collections::HashMap<(Option<String>, Option<String>), usize> = impact
            .matrix()
            .into_iter()
            .map(|(f, t, n)| ((f.map(str::to_string), t.map(str::to_string)), n))
            .collect();
        prop_assert_eq!(got, expected);
        prop_assert_eq!(impact.records(), records.len());
        prop_assert_eq!((impact.owner_changes(), impact.qualified_changes()), (owners, qualified));
        let moved: usize = impact.matrix().iter().filter(|(f, t, _)| f != t).map(|(_, _, n)| n).sum();
        prop_assert_eq!(impact.moved(), moved);
    }
}
