//! `leadspec fmt` and `leadspec::format_definition`: one canonical layout that keeps every
//! comment, is idempotent, and changes no meaning (the formatted definition classifies
//! every record as the original does), shown on the shipped definitions and on definitions
//! with rules generated in every spelling the language allows.
#![cfg(all(feature = "fmt", feature = "proptest"))]

use std::path::{Path, PathBuf};

use leadspec::testing::RecordGen;
use leadspec::{format_definition, Definition};
use proptest::prelude::*;

fn shipped() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["examples/definitions", "benches/common"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn comments(text: &str) -> Vec<String> {
    text.lines().filter_map(|l| l.find('#').map(|i| l[i..].trim().to_string())).filter(|c| c.starts_with('#')).collect()
}

/// Whether `a` and `b` classify every record of `records` alike at `now`.
fn same_meaning(a: &Definition, b: &Definition, records: &[leadspec::Record]) -> Result<(), String> {
    let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    for record in records {
        let (x, y) = (a.classify(record, now), b.classify(record, now));
        let x_criteria: Vec<_> = x.criteria().map(|(c, t)| (c.id().to_string(), t)).collect();
        let y_criteria: Vec<_> = y.criteria().map(|(c, t)| (c.id().to_string(), t)).collect();
        if (x.stage().map(|s| s.id()), x.qualified(), x.score(), &x_criteria, x.errors())
            != (y.stage().map(|s| s.id()), y.qualified(), y.score(), &y_criteria, y.errors())
        {
            return Err(format!("{record:?}"));
        }
    }
    Ok(())
}

#[test]
fn the_shipped_definitions_are_formatted() {
    for path in shipped() {
        let source = std::fs::read_to_string(&path).unwrap();
        let formatted = format_definition(&source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(formatted, source, "{} is not formatted: run `leadspec fmt {}`", path.display(), path.display());
    }
}

#[test]
fn formatting_keeps_every_comment_and_the_meaning() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    for path in shipped() {
        let source = std::fs::read_to_string(&path).unwrap();
        // A messier spelling of the same file: spaces and keys moved about.
        let messy = source.replace(" = ", "   =   ").replace(" and ", "  &&  ").replace(" or ", " || ");
        let formatted = format_definition(&messy).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(format_definition(&formatted).unwrap(), formatted, "idempotent: {}", path.display());
        assert_eq!(comments(&formatted), comments(&messy), "comments of {}", path.display());
        let (a, b) = (Definition::from_toml(&messy).unwrap(), Definition::from_toml(&formatted).unwrap());
        let strategy = RecordGen::new(&a).strategy();
        let mut runner = TestRunner::deterministic();
        let records: Vec<_> = (0..300).map(|_| strategy.new_tree(&mut runner).unwrap().current()).collect();
        same_meaning(&a, &b, &records).unwrap_or_else(|r| panic!("{}: {r}", path.display()));
    }
}

/// A definition of every field type whose stage and criterion rules are `rules`.
fn definition(rules: &[String]) -> String {
    let mut text = String::from(
        "[definition]\nname = \"Generated\"\n[teams]\nt = \"T\"\n[fields]\n\
         n = \"number\"\nd = \"date\"\nb = \"boolean\"\ns = \"string\"\ne = { type = \"enum\", values = [\"x\", \"y\", \"z\"] }\nl = \"list\"\n\
         [qualification.criteria]\nc1 = \"n > 5\"\n[scoring]\n[[scoring.rules]]\nwhen = \"b\"\npoints = 7\n",
    );
    for (i, rule) in rules.iter().enumerate() {
        text.push_str(&format!("[[stages]]\nid = \"s{i}\"\nowner = \"t\"\nwhen = {}\n", toml_string(rule)));
    }
    text
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let escaped: String = text
        .chars()
        .map(|c| match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!("\"{escaped}\"")
}

/// Rules in every spelling: word and symbol operators, extra parentheses and spaces.
fn rule() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("n > 5".to_string()),
        Just("n<=(10)".to_string()),
        Just("d >= today - 30d".to_string()),
        Just("d < (today + 1mo)".to_string()),
        Just("b".to_string()),
        Just("b == false".to_string()),
        Just("s contains 'ab'".to_string()),
        Just("s   starts_with \"A\"".to_string()),
        Just("e in ['x','y']".to_string()),
        Just("e not in [ 'z' ]".to_string()),
        Just("l contains 'q'".to_string()),
        Just("n is present".to_string()),
        Just("d is not present".to_string()),
        Just("criteria.c1".to_string()),
        Just("qualified".to_string()),
        Just("score >= 7".to_string()),
        Just("- n < -3".to_string()),
    ];
    atom.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone(), prop::sample::select(vec![" and ", " && ", "&&", " or ", " || ", "  or  "]))
                .prop_map(|(a, b, op)| format!("{a}{op}{b}")),
            (inner.clone(), prop::sample::select(vec!["not ", "!", "not  ", "! "]))
                .prop_map(|(a, op)| format!("{op}({a})")),
            inner.prop_map(|a| format!("( {a} )")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_rules_keep_their_meaning(rules in prop::collection::vec(rule(), 1..5)) {
        let source = definition(&rules);
        let original = Definition::from_toml(&source).map_err(|e| TestCaseError::fail(format!("{e}\n{source}")))?;
        let formatted = format_definition(&source).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(&format_definition(&formatted).unwrap(), &formatted, "idempotent");
        let again = Definition::from_toml(&formatted).unwrap();
        use proptest::strategy::ValueTree;
        let strategy = RecordGen::new(&original).strategy();
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let records: Vec<_> = (0..64).map(|_| strategy.new_tree(&mut runner).unwrap().current()).collect();
        prop_assert!(same_meaning(&original, &again, &records).is_ok(), "{}\n{}", source, formatted);
        // Canonical rules: no symbol operators, no double spaces.
        for stage in again.stages() {
            let text = stage.rule().text();
            prop_assert!(!text.contains("&&") && !text.contains("||") && !text.contains('!') && !text.contains("  "), "{}", text);
        }
    }
}

#[cfg(feature = "cli")]
#[test]
fn the_command_formats_in_place_checks_and_reads_standard_input() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fmt_cli");
    std::fs::create_dir_all(&dir).unwrap();
    let messy = "[teams]\nm = \"M\"\n[definition]\nname = \"x\"   # the name\n[[stages]]\nwhen = \"a&&b\"\nowner = \"m\"\nid = \"s\"\n[fields]\na = \"boolean\"\nb = \"boolean\"\n";
    let tidy = "[definition]\nname = \"x\" # the name\n\n[teams]\nm = \"M\"\n\n[fields]\na = \"boolean\"\nb = \"boolean\"\n\n[[stages]]\nid = \"s\"\nowner = \"m\"\nwhen = \"a and b\"\n";
    let file = dir.join("def.toml");
    std::fs::write(&file, messy).unwrap();
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_leadspec"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
        drop(input);
        let out = child.wait_with_output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let path = file.to_str().unwrap();
    let (code, out) = run(&["fmt", "--check", path], None);
    assert_eq!(code, Some(1));
    assert!(out.contains("not in the canonical layout"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), messy, "--check changes nothing");
    assert_eq!(run(&["fmt", path], None).0, Some(0));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), tidy);
    assert_eq!(run(&["fmt", "--check", path], None), (Some(0), String::new()));
    assert_eq!(run(&["fmt", "-"], Some(messy)), (Some(0), tidy.to_string()));
    // A definition that does not load is reported as `check` reports it, and left alone.
    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "[definition]\nname = \"x\"\n").unwrap();
    let (code, out) = run(&["fmt", broken.to_str().unwrap()], None);
    assert_eq!(code, Some(1));
    assert!(out.contains("error: missing key `teams`") && out.contains("not formatted: it does not load"), "{out}");
}
