//! The inputs of the `cargo fuzz` targets in `fuzz/`, replayed through the very checks the
//! targets make (`fuzz_regressions/harness.rs`, shared with them): the seeds that matter and
//! every input that ever made a target fail, kept in `tests/fuzz_regressions/<target>/`.
//! An input that still fails on main has its own `#[ignore]`d test here, named after the
//! crash, until the fix lands; see FUZZING.md.

#[path = "fuzz_regressions/harness.rs"]
mod harness;

use std::path::PathBuf;

/// The files of `tests/fuzz_regressions/<target>/`, sorted.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    paths.sort();
    paths.into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect()
}

fn replay(target: &str, run: impl Fn(&[u8])) {
    for (path, bytes) in inputs(target) {
        eprintln!("replaying {}", path.display());
        run(&bytes);
    }
}

/// A `record_csv` input as kept here: `{"header": [cells], "rows": [[cells]]}` (the cells
/// the target passed on; `LEADSPEC_FUZZ_PRINT=1` makes the target print them).
fn csv_cells(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect()
    };
    (strings(&value["header"]), value["rows"].as_array().unwrap().iter().map(strings).collect())
}

#[test]
fn the_rich_definition_of_the_record_targets_loads_and_its_example_passes() {
    let definition = harness::rich();
    assert!(definition.run_examples(harness::nows()[0]).iter().all(|c| c.passed()));
    harness::use_definition(definition);
}

#[test]
fn load_definition_inputs() {
    replay("load_definition", harness::load_definition);
    // What the shipped definitions and the hand-made edges give: positions inside the text.
    for text in [
        "\u{feff}[definition]\nname = 1\n",
        "\u{feff}[definition]\r\nname = \"x\"\r\n[teams]\r\nt = \"T\"\r\n[[stages]]\r\nid = \"s\"\r\nowner = \"t\"\r\nwhen = \"é > 1\"\r\n",
        "[definition]\nname = \"x\"\n[teams]\nt = \"T\"\n[[stages]]\nid = \"s\"\nowner = \"t\"\nwhen = \"\"\"\né\\\n  > 1\"\"\"",
        "[definition",
        "",
    ] {
        harness::load_definition(text.as_bytes());
    }
}

#[test]
fn rule_in_definition_inputs() {
    replay("rule_in_definition", harness::rule_in_definition);
    for place in 0..4u8 {
        for style in 0..4u8 {
            let choice = place << 2 | style;
            for rule in ["budget >= 'é'", "\u{7}", "'''", "\"\"\"", "x\\", "role == 'x\\'", "purchase_by + 1y > today"]
            {
                harness::rule_in_definition(&[&[choice][..], rule.as_bytes()].concat());
            }
        }
    }
}

#[test]
fn record_json_inputs() {
    replay("record_json", harness::record_json);
}

#[test]
fn record_csv_inputs() {
    replay("record_csv", |bytes| {
        let (header, rows) = csv_cells(bytes);
        harness::record_csv(&header, &rows);
    });
}

/// `structured_definition` inputs are kept as the TOML they rendered to.
#[test]
fn structured_definition_inputs() {
    replay("structured_definition", |bytes| {
        harness::unknown_fields_point_at_names(&String::from_utf8_lossy(bytes), harness::tolerate_parentheses());
        harness::load_definition(bytes);
    });
}

// ---- fixed findings ------------------------------------------------------------------------

/// Finding 1 (`rule_in_definition`, 2026-11-30, fixed): a field name in parentheses used as a
/// condition or an operand, `(budgett)`, was reported at the `(`: the parser gave a
/// parenthesised node the span with its parentheses (for `explain`), and the checker reports
/// an unknown name at its node's span. A parenthesised name or literal now keeps its own.
#[test]
fn an_unknown_field_in_parentheses_is_reported_at_the_name() {
    for (rule, column) in [("(budgett)", 10), ("!(budgett)", 11), ("((budgett)) and true", 11), ("(budgett) > 1", 10)] {
        let text = format!(
            "[definition]\nname = \"x\"\n[teams]\nt = \"T\"\n[fields]\nbudget = \"number\"\n[[stages]]\nid = \"a\"\nowner = \"t\"\nwhen = \"{rule}\"\n"
        );
        let error = leadspec::Definition::from_toml(&text).unwrap_err();
        let d = error.errors().next().unwrap();
        assert_eq!((d.message.as_str(), d.line, d.column), ("unknown field `budgett`", 10, column), "{rule}");
        assert_eq!(&text[d.span.clone()], "budgett", "{rule}");
    }
    // The fuzzer's input, `ta && !(gneagfalse) || criteria.buJget` as a stage's `when`, and
    // as `cargo fuzz tmin` left it: `(g)`.
    for (path, input) in inputs("rule_in_definition") {
        if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("parenthesised_unknown_field")) {
            eprintln!("{}", path.display());
            let text = harness::rule_definition(&String::from_utf8_lossy(&input[1..]), input[0] & 3, input[0] >> 2);
            harness::unknown_fields_point_at_names(&text, false);
        }
    }
}
