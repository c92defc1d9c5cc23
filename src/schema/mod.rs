//! A JSON Schema for definition files, so editors complete and check keys as a team types.
//!
//! TOML editors that read JSON Schemas (Taplo, and Even Better TOML in VS Code, which is
//! built on it) use it to offer the keys of each table, show what each key means, and flag
//! a misspelt or misplaced key (`onwer` for `owner`) before `leadspec check` runs. The
//! crate ships the schema as `leadspec.schema.json`; keep a copy beside your definitions
//! and point each at it with a comment on its first line (the path is relative to the
//! definition file; a URL works too):
//!
//! ```toml
//! #:schema ./leadspec.schema.json
//! ```
//!
//! The same check runs from a shell or CI with Taplo's command line:
//! `taplo lint acme.toml`.
//!
//! The schema checks the shape of a file: its tables and keys, the types of their values,
//! field types, shared words, stage ids and SLA lengths. What needs the whole file (that an
//! `owner` names a declared team, that a rule type-checks) is left to loading, which
//! reports it with line and column.
//!
//! The schema is generated from the types of this module, and tests keep it equal to the
//! keys the loader accepts and to the committed file.
//!
//! This file builds the schema; `mirror.rs` holds the types it is derived from, one per
//! table of a definition file, whose doc comments are the descriptions editors show.

use schemars::transform::{RecursiveTransform, Transform};
use schemars::{Schema, SchemaGenerator};

mod mirror;
#[cfg(test)]
mod tests;

/// The JSON Schema (draft-07) of a definition file, as pretty-printed JSON ending in a
/// newline: the text of `leadspec.schema.json`.
///
/// Draft-07 is the draft that TOML editors support best. Object keys are sorted, so the
/// output is the same from build to build.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&leadspec::definition_schema()).unwrap();
/// assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
/// assert_eq!(schema["required"], serde_json::json!(["definition", "teams", "stages"]));
/// // A misspelt key is not silently accepted.
/// assert_eq!(schema["additionalProperties"], false);
/// ```
pub fn definition_schema() -> String {
    let generator: SchemaGenerator =
        schemars::generate::SchemaSettings::draft07().with_transform(RecursiveTransform(TomlOnly)).into_generator();
    let mut value = generator.into_root_schema_for::<mirror::DefinitionFile>().to_value();
    value.sort_all_objects();
    // A `Value` has string keys only, so writing it cannot fail.
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Adapts what schemars derives from Rust types to TOML, which has no `null` and whose
/// integers are all 64-bit: drops `null` from optional values and the integer formats. Also
/// joins the lines of each paragraph of a description, which come from doc comments.
#[derive(Clone)]
struct TomlOnly;

impl Transform for TomlOnly {
    fn transform(&mut self, schema: &mut Schema) {
        let Some(object) = schema.as_object_mut() else { return };
        if let Some(serde_json::Value::Array(types)) = object.get_mut("type") {
            types.retain(|t| t != "null");
            if types.len() == 1 {
                let only = types.remove(0);
                object.insert("type".into(), only);
            }
        }
        for key in ["anyOf", "oneOf"] {
            let Some(serde_json::Value::Array(options)) = object.get_mut(key) else { continue };
            options.retain(|o| o.get("type").is_none_or(|t| t != "null"));
            if options.len() == 1 {
                // `{description, anyOf: [X]}` is `{description, allOf: [X]}`, which keeps a
                // `$ref` next to the description valid in draft-07.
                let only = options.remove(0);
                object.remove(key);
                match object.get_mut("allOf") {
                    Some(serde_json::Value::Array(all)) => all.push(only),
                    _ => {
                        object.insert("allOf".into(), serde_json::Value::Array(vec![only]));
                    }
                }
            }
        }
        if object.get("format").and_then(|f| f.as_str()).is_some_and(|f| f.starts_with("int") || f.starts_with("uint"))
        {
            object.remove("format");
        }
        if let Some(serde_json::Value::String(text)) = object.get_mut("description") {
            *text = text.split("\n\n").map(|paragraph| paragraph.replace('\n', " ")).collect::<Vec<_>>().join("\n\n");
        }
    }
}
