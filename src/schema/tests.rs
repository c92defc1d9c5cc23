//! Tests of the schema: its tables, keys, required keys, words and patterns are the ones
//! the loader accepts.

use serde_json::Value;

use super::*;
use crate::definition::load::{
    CRITERION_KEYS, DEFINITION_KEYS, EXAMPLE_KEYS, FIELD_KEYS, INPUT_KEYS, MOVE_KEYS, QUALIFICATION_KEYS, SCORING_KEYS,
    SCORING_RULE_KEYS, STAGE_KEYS, TOP_KEYS, TRANSITION_KEYS,
};
use crate::{Definition, FieldType, SharedWord, ValidationRule};

fn schema() -> Value {
    serde_json::from_str(&definition_schema()).expect("the schema is JSON")
}

/// The schema of a table: the root, or one of the definitions.
fn table<'s>(schema: &'s Value, name: &str) -> &'s Value {
    if name.is_empty() {
        schema
    } else {
        schema["definitions"].get(name).unwrap_or_else(|| panic!("no definition `{name}` in the schema"))
    }
}

fn sorted(words: impl IntoIterator<Item = impl Into<String>>) -> Vec<String> {
    let mut words: Vec<String> = words.into_iter().map(Into::into).collect();
    words.sort();
    words
}

/// The `const`s of a definition that is an enum of words.
fn words(schema: &Value, name: &str) -> Vec<String> {
    let options = table(schema, name)["oneOf"].as_array().expect("an enum of words");
    sorted(options.iter().map(|o| o["const"].as_str().expect("a word").to_string()))
}

#[test]
fn every_table_has_the_keys_the_loader_accepts() {
    let schema = schema();
    let tables: [(&str, &[&str]); 12] = [
        ("", TOP_KEYS),
        ("DefinitionTable", DEFINITION_KEYS),
        ("InputTable", INPUT_KEYS),
        ("FieldTable", FIELD_KEYS),
        ("Qualification", QUALIFICATION_KEYS),
        ("CriterionTable", CRITERION_KEYS),
        ("StageTable", STAGE_KEYS),
        ("TransitionTable", TRANSITION_KEYS),
        ("ScoringTable", SCORING_KEYS),
        ("ScoringRuleTable", SCORING_RULE_KEYS),
        ("ExampleTable", EXAMPLE_KEYS),
        ("MoveTable", MOVE_KEYS),
    ];
    for (name, keys) in tables {
        let t = table(&schema, name);
        let properties = t["properties"].as_object().unwrap_or_else(|| panic!("`{name}` has no properties"));
        assert_eq!(sorted(properties.keys().cloned()), sorted(keys.iter().copied()), "keys of `{name}`");
        assert_eq!(t["additionalProperties"], false, "`{name}` must refuse unknown keys");
        for (key, property) in properties {
            let described = property["description"].as_str().is_some_and(|d| !d.is_empty());
            assert!(described, "`{name}.{key}` has no description for editors to show");
        }
    }
    // No other table has keys of its own but `[messages]`, whose keys are rule names.
    let definitions = schema["definitions"].as_object().unwrap();
    let mut with_keys: Vec<&str> =
        definitions.iter().filter(|(_, d)| d.get("properties").is_some()).map(|(n, _)| n.as_str()).collect();
    with_keys.retain(|n| *n != "MessagesTable");
    assert_eq!(sorted(with_keys), sorted(tables.iter().skip(1).map(|(n, _)| *n)));
}

#[test]
fn required_keys_are_the_loaders() {
    // As `Loader::keys` is called in load.rs.
    let schema = schema();
    let expected: [(&str, &[&str]); 9] = [
        ("", &["definition", "teams", "stages"]),
        ("DefinitionTable", &["name"]),
        ("FieldTable", &["type"]),
        ("CriterionTable", &["when"]),
        ("StageTable", &["id", "owner", "when"]),
        ("TransitionTable", &["from", "to"]),
        ("ScoringRuleTable", &["when", "points"]),
        ("ExampleTable", &["name"]),
        ("MoveTable", &["from", "to", "allowed"]),
    ];
    for (name, keys) in expected {
        let required = table(&schema, name)["required"].as_array().expect("required keys");
        let required = sorted(required.iter().map(|k| k.as_str().unwrap().to_string()));
        assert_eq!(required, sorted(keys.iter().copied()), "required keys of `{name}`");
    }
    for name in ["InputTable", "Qualification", "ScoringTable", "MessagesTable"] {
        assert!(table(&schema, name).get("required").is_none(), "`{name}` requires nothing");
    }
}

#[test]
fn words_are_the_crates() {
    let schema = schema();
    assert_eq!(words(&schema, "FieldType"), sorted(FieldType::ALL.map(FieldType::name)));
    assert_eq!(words(&schema, "SharedWord"), sorted(SharedWord::ALL.map(SharedWord::name)));
    assert_eq!(words(&schema, "RequireWord"), sorted(["all", "any"]));
    assert_eq!(words(&schema, "TruthWord"), sorted(["met", "not_met", "unknown"]));
    let messages = table(&schema, "MessagesTable")["properties"].as_object().unwrap();
    assert_eq!(sorted(messages.keys().cloned()), sorted(ValidationRule::ALL.map(ValidationRule::name)));
}

fn loads_with_stage(id: &str, sla: &str) -> bool {
    let toml = format!(
        "[definition]\nname = \"x\"\n[teams]\nt = \"T\"\n[[stages]]\nid = {id:?}\nowner = \"t\"\nwhen = \"true\"\nsla = {sla:?}\n"
    );
    Definition::from_toml(&toml).is_ok()
}

#[test]
fn patterns_accept_what_the_loader_accepts() {
    let stage_id = regex::Regex::new(mirror::STAGE_ID).unwrap();
    let ids = ["contact", "qualified_lead", "mql2", "a_1_b", "Contact", "a__b", "_a", "a_", "2a", "a-b", "", "é"];
    for id in ids {
        assert_eq!(stage_id.is_match(id), loads_with_stage(id, "1d"), "stage id {id:?}");
    }
    let sla = regex::Regex::new(mirror::SLA).unwrap();
    let slas = [
        "48h", "30min", "2w", "90d", " 2w ", "1_000min", "_4h", "4_h", "0h", "48", "h", "_h", "1mo", "1y", "-1h",
        "1.5h", "48H", "48 h", "4hmin", "", "2 w", "٣h",
    ];
    for text in slas {
        assert_eq!(sla.is_match(text), loads_with_stage("s", text), "sla {text:?}");
    }
}

#[test]
fn the_schema_is_stable_and_ends_in_a_newline() {
    let text = definition_schema();
    assert_eq!(text, definition_schema());
    assert!(text.ends_with("}\n"));
    assert!(!text.contains("null"), "TOML has no null");
    assert!(!text.contains("int64"), "integer formats are left out");
}
