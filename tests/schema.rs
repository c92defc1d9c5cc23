//! The editor schema: the committed `leadspec.schema.json` is what the crate generates, every
//! example definition is valid under it, and typical mistakes are not.
#![cfg(feature = "schema")]

use std::path::PathBuf;

use serde_json::{json, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `UPDATE_SCHEMA=1 cargo test --features schema --test schema` rewrites the file.
#[test]
fn committed_schema_is_generated() {
    let path = root().join("leadspec.schema.json");
    let generated = leadspec::definition_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some_and(|v| !v.is_empty() && v != "0") {
        std::fs::write(&path, &generated).expect("write leadspec.schema.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "leadspec.schema.json is not what `leadspec::definition_schema()` generates; to update it, run\n\
         UPDATE_SCHEMA=1 cargo test --features schema --test schema\n\
         and commit the result"
    );
}

/// A TOML document as the JSON an editor validates: dates and times become their text, as
/// Taplo does.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

fn parse(source: &str) -> Value {
    toml_to_json(toml::Value::Table(toml::from_str(source).expect("valid TOML")))
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&leadspec::definition_schema()).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

/// The schema's complaints about a document, one line each.
fn problems(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator.iter_errors(document).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

fn definitions() -> Vec<PathBuf> {
    let dir = root().join("examples/definitions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/definitions")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_definition_is_valid() {
    let validator = validator();
    let files = definitions();
    assert!(files.len() >= 4, "expected the example definitions, found {files:?}");
    for file in files {
        let source = std::fs::read_to_string(&file).expect("read definition");
        let found = problems(&validator, &parse(&source));
        assert!(found.is_empty(), "{}:\n{}", file.display(), found.join("\n"));
    }
}

#[test]
fn the_embedded_default_definition_is_valid() {
    let found = problems(&validator(), &parse(leadspec::DEFAULT_DEFINITION_TOML));
    assert!(found.is_empty(), "{}", found.join("\n"));
}

const SMALL: &str = r#"
[definition]
name = "Small"

[teams]
sales = "Sales"

[fields]
email = "email"
role = { type = "enum", values = ["user", "buyer"] }

[qualification]
require = 1
criteria = { authority = { when = "role == 'buyer'", ask = "Who signs?" } }

[[stages]]
id = "contact"
owner = "sales"
when = "email is present"
sla = "48h"

[[examples]]
name = "A buyer"
now = 2026-11-22
record = { email = "a@example.com", role = "buyer" }
stage = "contact"
"#;

/// The small definition with one line replaced.
fn small_with(line: &str, replacement: &str) -> Value {
    assert!(SMALL.contains(line), "{line}");
    parse(&SMALL.replacen(line, replacement, 1))
}

fn assert_valid(document: &Value) {
    let found = problems(&validator(), document);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

fn assert_invalid(document: &Value, at: &str) {
    let found = problems(&validator(), document);
    assert!(found.iter().any(|p| p.starts_with(&format!("{at}:"))), "expected a problem at `{at}`, got {found:?}");
}

#[test]
fn a_small_definition_is_valid_and_loads() {
    leadspec::Definition::from_toml(SMALL).expect("loads");
    assert_valid(&parse(SMALL));
}

#[test]
fn a_misspelt_key_is_flagged() {
    let document = small_with("owner = \"sales\"", "onwer = \"sales\"");
    let found = problems(&validator(), &document);
    assert!(!found.is_empty());
    assert!(found.iter().any(|p| p.contains("onwer")), "{found:?}");
    assert_invalid(&document, "/stages/0");
}

#[test]
fn unknown_keys_are_flagged_in_every_table() {
    assert_invalid(&small_with("[definition]", "[definition]\nauthor = \"x\""), "/definition");
    assert_invalid(&small_with("[qualification]", "[qualification]\nframwork = \"x\""), "/qualification");
    assert_invalid(&small_with("email = \"email\"", "email = { type = \"email\", requried = true }"), "/fields/email");
    assert_invalid(&small_with("Who signs?\" }", "Who signs?\", why = \"x\" }"), "/qualification/criteria/authority");
    assert_invalid(&small_with("stage = \"contact\"", "stage = \"contact\"\nscores = 1"), "/examples/0");
    assert_invalid(&small_with("[teams]", "[message]\nemail = \"x\"\n[teams]"), "");
    assert_invalid(&small_with("[teams]", "[messages]\nemial = \"x\"\n[teams]"), "/messages");
}

#[test]
fn values_are_checked_where_the_schema_can() {
    assert_invalid(&small_with("email = \"email\"", "email = \"e-mail\""), "/fields/email");
    // An enum needs its values, in a table; other types take none.
    assert_invalid(&small_with("email = \"email\"", "email = \"enum\""), "/fields/email");
    assert_invalid(
        &small_with("role = { type = \"enum\", values = [\"user\", \"buyer\"] }", "role = { type = \"enum\" }"),
        "/fields/role",
    );
    assert_invalid(&small_with("email = \"email\"", "email = { type = \"email\", values = [\"a\"] }"), "/fields/email");
    assert_invalid(&small_with("id = \"contact\"", "id = \"Contact\""), "/stages/0/id");
    assert_invalid(&small_with("sla = \"48h\"", "sla = \"2mo\""), "/stages/0/sla");
    assert_invalid(&small_with("require = 1", "require = \"most\""), "/qualification/require");
    assert_invalid(&small_with("require = 1", "require = 0"), "/qualification/require");
    assert_invalid(&small_with("stage = \"contact\"", "stage = \"contact\"\nunclassified = true"), "/examples/0");
    assert_invalid(&small_with("stage = \"contact\"", "unclassified = false"), "/examples/0/unclassified");
    assert_invalid(&small_with("sla = \"48h\"", "canonical = \"lead\""), "/stages/0/canonical");
    assert_invalid(&small_with("[teams]\nsales = \"Sales\"", "[teams]"), "/teams");
    assert_valid(&small_with("require = 1", "require = \"any\""));
    assert_valid(&small_with("sla = \"48h\"", "sla = \"1_000min\"\ncanonical = \"sql\"\npriority = -1"));
}
