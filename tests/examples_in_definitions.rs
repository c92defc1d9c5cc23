//! Every definition shipped in `examples/definitions/` loads without errors or warnings, and
//! all of its own `[[examples]]` hold.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use leadspec::{default_definition, Definition, DEFAULT_DEFINITION_TOML};

/// The reference time for examples that give no `now` of their own.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap()
}

fn definition_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/definitions");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

fn load(path: &Path) -> Definition {
    let text = fs::read_to_string(path).unwrap();
    match Definition::from_toml(&text) {
        Ok(definition) => definition,
        Err(e) => {
            let list: Vec<String> = e.diagnostics.iter().map(|d| format!("{}:{d}", path.display())).collect();
            panic!("{} does not load:\n{}", path.display(), list.join("\n"))
        }
    }
}

#[test]
fn there_are_several_example_definitions() {
    let names: Vec<String> =
        definition_files().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for expected in ["default.toml", "suspect_ladder.toml", "marketing_automation.toml", "crm_lead_status.toml"] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
}

#[test]
fn every_definition_loads_without_errors_or_warnings() {
    for path in definition_files() {
        let definition = load(&path);
        let warnings: Vec<String> = definition.warnings().iter().map(|d| d.to_string()).collect();
        assert!(warnings.is_empty(), "{}: {warnings:#?}", path.display());
        assert!(!definition.examples().is_empty(), "{} carries no examples", path.display());
    }
}

#[test]
fn every_example_in_every_definition_holds() {
    let mut failures = Vec::new();
    for path in definition_files() {
        let definition = load(&path);
        for check in definition.run_examples(now()) {
            if let Some(diagnostic) = check.to_diagnostic() {
                failures.push(format!("{}:{diagnostic}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "failing examples:\n{}", failures.join("\n"));
}

#[test]
fn the_examples_do_not_depend_on_the_day_they_run() {
    // Examples whose meaning depends on today give their own `now`, so they hold on any day.
    for path in definition_files() {
        let definition = load(&path);
        for day in
            [Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(2031, 6, 30, 23, 59, 59).unwrap()]
        {
            for check in definition.run_examples(day) {
                assert!(check.passed(), "{} at {day}: {:?}", path.display(), check.to_diagnostic());
            }
        }
    }
}

#[test]
fn the_embedded_default_is_the_shipped_file() {
    let file =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/definitions/default.toml")).unwrap();
    assert_eq!(file, DEFAULT_DEFINITION_TOML);
    let d = default_definition();
    let ids: Vec<&str> = d.stages().iter().map(|s| s.id()).collect();
    assert_eq!(ids, ["contact", "inquiry", "nurture", "qualified_lead", "prospect", "proposal", "customer"]);
    let owners: Vec<&str> = d.stages().iter().map(|s| d.owner_of(s).unwrap().id.as_str()).collect();
    assert_eq!(owners, ["marketing", "marketing", "marketing", "sales", "sales", "sales", "sales"]);
    let shared: Vec<&str> = d.stages().iter().map(|s| s.shared_word().unwrap().name()).collect();
    assert_eq!(shared, ["contact", "inquiry", "nurture", "sql", "opportunity", "proposal", "customer"]);
    let teams: Vec<&str> = d.teams().iter().map(|t| t.id.as_str()).collect();
    assert_eq!(teams, ["marketing", "sales"]);
    let email = d.field("email").unwrap();
    assert!(email.required);
    assert_eq!(email.ty, leadspec::FieldType::Email);
    let criteria: Vec<&str> = d.qualification().criteria().iter().map(|c| c.id()).collect();
    assert_eq!(criteria, ["budget", "authority", "need", "timeframe"]);
    assert_eq!(d.qualification().framework(), "BANT");
}
