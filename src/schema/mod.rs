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

use schemars::transform::{RecursiveTransform, Transform};
use schemars::{Schema, SchemaGenerator};

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

mod mirror {
    #![allow(dead_code)]

    use std::collections::BTreeMap;

    use schemars::JsonSchema;

    use crate::SharedWord;

    /// A field id: an identifier of the rule language.
    pub(super) const FIELD_ID: &str = "^[A-Za-z_][A-Za-z0-9_]*$";
    /// A lower_snake_case stage id, as the loader accepts it.
    pub(super) const STAGE_ID: &str = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$";
    /// A stage id, or `*` for any stage.
    const STAGE_OR_ANY: &str = "^([*]|[a-z][a-z0-9]*(_[a-z0-9]+)*)$";
    /// A fixed-length duration, as the loader reads an SLA (`_` may group digits).
    pub(super) const SLA: &str = "^\\s*[0-9_]*[0-9][0-9_]*(min|h|d|w)\\s*$";

    // The types below mirror the file format; they exist only for their derived schema (the
    // loader reads files with spans instead), so they are never built. Their doc comments are
    // the descriptions editors show, and their `#[serde]` attributes shape the schema as they
    // would shape a deserializer (`deny_unknown_fields` is `additionalProperties: false`).

    /// # leadspec definition
    ///
    /// One organisation's lead lifecycle: its teams, the fields of a lead, the qualification
    /// criteria, the stages in funnel order with the team owning each, the moves allowed
    /// between them, and examples that state what it all means. Load it with
    /// `leadspec check FILE.toml`.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub(super) struct DefinitionFile {
        /// Who wrote the definition down: its name (required), version and description.
        definition: DefinitionTable,
        /// How this organisation's files are written: the column holding a record's id, the
        /// placeholders that mean "no value" in every field, and the time zone of date-times
        /// written without an offset.
        input: Option<InputTable>,
        /// The teams that own stages, at least one: `id = "Display name"`, such as
        /// `marketing = "Marketing"`. Stages name their `owner` by the id.
        #[schemars(extend("minProperties" = 1))]
        teams: BTreeMap<String, String>,
        /// The fields of a lead record: `id = "type"`, or a table
        /// `{ type, required, label, values, column, ... }`. A field id is an identifier
        /// (ASCII letters, digits and `_`, not starting with a digit); a header such as
        /// "Lead Source" is read with `column`. Records' other columns are ignored.
        #[schemars(extend("propertyNames" = { "pattern": FIELD_ID }))]
        fields: Option<BTreeMap<String, FieldDecl>>,
        /// When a lead is qualified: the framework's name, how many criteria must be met, and
        /// the criteria, each a rule.
        qualification: Option<Qualification>,
        /// The stages, at least one, in funnel order, earliest first. A lead's stage is the
        /// first whose `when` is true, trying stages by `priority` (highest first) and, at equal
        /// priority, the one declared later first.
        #[schemars(length(min = 1))]
        stages: Vec<StageTable>,
        /// The moves allowed between stages. With none declared, any move is allowed; once one
        /// is declared, a move is allowed only if a transition matches it.
        transitions: Option<Vec<TransitionTable>>,
        /// Overrides of the validation messages, by rule name: `email = "Email address invalid"`.
        messages: Option<MessagesTable>,
        /// Examples that state what the definition means, checked by `leadspec check` and
        /// `Definition::run_examples` like doctests: a record and the stage, move or other
        /// result expected for it.
        examples: Option<Vec<ExampleTable>>,
        /// Lead scoring: the points of every rule that is true, added up and clamped to
        /// `min`..`max`. Stages, transitions and examples may then use `score`.
        scoring: Option<ScoringTable>,
    }

    /// How this organisation's files are written.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct InputTable {
        /// The column (or JSON key) holding a record's id, echoed in every output, such as
        /// "Prospect ID". Default "id". It need not be a field.
        #[schemars(length(min = 1))]
        id: Option<String>,
        /// Placeholders that mean "no value" in every field, compared trimmed and ignoring
        /// case, such as ["Select", "N/A", "-"].
        missing: Option<Vec<String>>,
        /// The time zone of date-times written without an offset: an IANA name such as
        /// "America/New_York", or a fixed offset such as "+02:00". Default "UTC".
        timezone: Option<String>,
    }

    /// About the definition.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct DefinitionTable {
        /// The definition's name, such as "Acme lead definitions".
        name: String,
        /// The definition's version, reported by the API and by `leadspec explain`: text such as
        /// "3" or "2026.11", or an integer.
        version: Option<Version>,
        /// What the definition is for, in a sentence or two.
        description: Option<String>,
    }

    /// A version: text or an integer.
    #[derive(JsonSchema)]
    #[serde(untagged)]
    enum Version {
        /// A version written as text.
        Text(String),
        /// A version written as an integer.
        Number(i64),
    }

    /// A field: its type alone (`website = "url"`) or a table.
    #[derive(JsonSchema)]
    #[serde(untagged)]
    enum FieldDecl {
        /// The field's type alone, such as `"url"`. An `enum` field needs the table form, with
        /// its `values`.
        #[schemars(extend("not" = { "const": "enum" }))]
        Type(FieldType),
        /// The field as a table, such as `{ type = "email", required = true, label = "Email" }`.
        Table(Box<FieldTable>),
    }

    /// A field written as a table.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[schemars(extend("allOf" = [
        {
            "if": { "required": ["type"], "properties": { "type": { "const": "enum" } } },
            "then": { "required": ["values"] },
            "else": { "not": { "required": ["values"] } },
        },
        {
            "if": { "not": { "properties": { "type": { "const": "number" } } } },
            "then": { "not": { "anyOf": [{ "required": ["thousands"] }, { "required": ["decimal"] }, { "required": ["currency"] }] } },
        },
        {
            "if": { "not": { "properties": { "type": { "const": "date" } } } },
            "then": { "not": { "required": ["formats"] } },
        },
        {
            "if": { "not": { "properties": { "type": { "const": "boolean" } } } },
            "then": { "not": { "anyOf": [{ "required": ["true"] }, { "required": ["false"] }] } },
        },
        {
            "if": { "not": { "properties": { "type": { "const": "list" } } } },
            "then": { "not": { "required": ["separator"] } },
        },
        {
            "if": { "not": { "properties": { "type": { "const": "url" } } } },
            "then": { "not": { "required": ["default_scheme"] } },
        },
    ]))]
    struct FieldTable {
        /// The field's type: how its values are read and validated.
        #[serde(rename = "type")]
        ty: FieldType,
        /// Whether every record must hold a valid value; a missing one is the validation error
        /// `required`. Default false.
        required: Option<bool>,
        /// The name people see for the field. Default: its id.
        label: Option<String>,
        /// The values an `enum` field may hold, matched exactly (case-sensitive). Only for
        /// `type = "enum"`, which needs them.
        #[schemars(length(min = 1))]
        values: Option<Vec<String>>,
        /// The header cell, JSON key or TOML key that holds the field, exactly as files
        /// write it, such as "Lead Source". Default: the field id. Two fields may not read
        /// one column.
        #[schemars(length(min = 1))]
        column: Option<String>,
        /// This field's own placeholders that mean "no value", besides `[input] missing`,
        /// such as ["Select"]; compared trimmed and ignoring case.
        missing: Option<Vec<String>>,
        /// Number fields: the thousands separator, one character dropped where it stands
        /// between digits, such as "," for 1,200 or "." for 1.200.
        #[schemars(length(min = 1, max = 1))]
        thousands: Option<String>,
        /// Number fields: the decimal mark, one character (default "."), such as "," for 2,5.
        #[schemars(length(min = 1, max = 1))]
        decimal: Option<String>,
        /// Number fields: also accept one currency sign ($, €, £, ¥) or three-letter code
        /// (USD) before or after the number, as in "$25,000" or "12.500,00 €".
        currency: Option<bool>,
        /// Date fields: extra patterns in chrono's strftime syntax, tried in order after
        /// YYYY-MM-DD and RFC 3339, such as "%d %b, %Y %H:%M:%S" or "%m/%d/%Y". A time without
        /// an offset is read in `[input] timezone`.
        formats: Option<Vec<String>>,
        /// Boolean fields: extra words for true, such as ["Y"] (compared ignoring case).
        #[serde(rename = "true")]
        true_words: Option<Vec<String>>,
        /// Boolean fields: extra words for false, such as ["N"] (compared ignoring case).
        #[serde(rename = "false")]
        false_words: Option<Vec<String>>,
        /// List fields: the character text is split on (default ";"), such as ",".
        #[schemars(length(min = 1, max = 1))]
        separator: Option<String>,
        /// URL fields: the scheme put before a value written without one, so that
        /// "acme.example/pricing" reads as "https://acme.example/pricing".
        default_scheme: Option<Scheme>,
    }

    /// The scheme put before a URL written without one.
    #[derive(JsonSchema)]
    #[serde(rename_all = "lowercase")]
    enum Scheme {
        /// https://
        Https,
        /// http://
        Http,
    }

    /// The type of a field, which decides how its values are read and validated.
    #[derive(JsonSchema)]
    #[serde(rename_all = "lowercase")]
    enum FieldType {
        /// Free text, kept as given.
        String,
        /// A finite decimal number, such as 25000 or 2.5 (text "25000" is read as a number).
        Number,
        /// true or false (also yes/no and 1/0, in any case, from text).
        Boolean,
        /// A calendar date: YYYY-MM-DD, or the UTC date of an RFC 3339 date-time.
        Date,
        /// An e-mail address, valid as HTML forms define it.
        Email,
        /// An absolute http or https address with a host.
        Url,
        /// One of the field's `values`, matched exactly.
        Enum,
        /// A list of strings (from text such as a CSV cell, split on `;`).
        List,
    }

    /// How a lead is qualified.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct Qualification {
        /// The qualification framework's display name, such as "BANT", "CHAMP" or "MEDDIC".
        /// Default "BANT".
        framework: Option<String>,
        /// How many criteria must be met: "all" (the default), "any", or a number N from 1 to
        /// the number of criteria.
        require: Option<Require>,
        /// The criteria, in the order they are reported: `id = "rule"`, or
        /// `id = { when = "rule", ask = "question" }`. A criterion is met, not_met or unknown.
        criteria: Option<BTreeMap<String, CriterionDecl>>,
    }

    /// "all", "any" or a number of criteria.
    #[derive(JsonSchema)]
    #[serde(untagged)]
    enum Require {
        /// "all": every criterion must be met; "any": one is enough.
        Word(RequireWord),
        /// At least this many criteria must be met.
        Count(#[schemars(range(min = 1))] u32),
    }

    /// "all" or "any".
    #[derive(JsonSchema)]
    #[serde(rename_all = "lowercase")]
    enum RequireWord {
        /// Every criterion must be met (the default).
        All,
        /// One met criterion is enough.
        Any,
    }

    /// A criterion: its rule alone, or a table with the rule and a question.
    #[derive(JsonSchema)]
    #[serde(untagged)]
    enum CriterionDecl {
        /// The criterion's rule, such as "budget >= 10_000". It may use fields, `today` and `now`.
        Rule(String),
        /// The criterion as a table: `{ when = "rule", ask = "question" }`.
        Table(CriterionTable),
    }

    /// A criterion written as a table.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct CriterionTable {
        /// The criterion's rule, such as "role in ['decision_maker', 'economic_buyer']". It may
        /// use fields, `today` and `now`.
        when: String,
        /// What to ask the lead when the criterion is unknown, such as "Who signs off?".
        ask: Option<String>,
    }

    /// A stage of the lifecycle.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct StageTable {
        /// The stage's id: lower_snake_case, unique, such as "qualified_lead".
        #[schemars(pattern(STAGE_ID))]
        id: String,
        /// The stage's display name. Default: from the id ("qualified_lead" is "Qualified lead").
        name: Option<String>,
        /// The id of the team (in `[teams]`) that owns leads at this stage.
        owner: String,
        /// The shared word for this stage, which ties it to the stages of other definitions.
        canonical: Option<SharedWord>,
        /// Other words people use for this stage.
        aliases: Option<Vec<String>>,
        /// What the stage means, for the people who train with the definition.
        description: Option<String>,
        /// The stage's entry rule, such as "email is present" or "qualified". A lead is at the
        /// first stage whose rule is true.
        when: String,
        /// Fields that must hold a valid value at this stage (a missing one is the validation
        /// error `required`).
        requires: Option<Vec<String>>,
        /// The order in which stages are tried, highest first. Default 0.
        priority: Option<i64>,
        /// The longest a lead may stay at this stage: a number and a fixed unit, min, h, d or w
        /// (such as "48h", "30min", "2w").
        #[schemars(pattern(SLA))]
        sla: Option<String>,
    }

    /// The shared words, from the crate's own [`SharedWord`]: each
    /// with what it means.
    impl JsonSchema for SharedWord {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "SharedWord".into()
        }

        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            let words: Vec<serde_json::Value> = SharedWord::ALL
                .iter()
                .map(|w| serde_json::json!({ "const": w.name(), "description": w.meaning(), "type": "string" }))
                .collect();
            schemars::json_schema!({
                "description": "A word of the shared lead vocabulary. The funnel words, in funnel order: suspect, contact, inquiry, mql, sal, sql, opportunity, proposal, customer; the side words: nurture, recycled, disqualified. Two stages of one definition may not share one.",
                "oneOf": words,
            })
        }
    }

    /// A move allowed between stages.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct TransitionTable {
        /// The stage id moved from, or "*" for any stage.
        #[schemars(pattern(STAGE_OR_ANY))]
        from: String,
        /// The stage id moved to, or "*" for any stage.
        #[schemars(pattern(STAGE_OR_ANY))]
        to: String,
        /// An extra guard on the lead, such as "qualified": the move is allowed only when it is
        /// true (unknown refuses).
        when: Option<String>,
    }

    /// Validation messages, by rule name.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct MessagesTable {
        /// A required field is missing. Default "Required field missing".
        required: Option<String>,
        /// A `string` field's value is not text.
        string: Option<String>,
        /// A `number` field's value is not a number.
        number: Option<String>,
        /// A `boolean` field's value is not a boolean.
        boolean: Option<String>,
        /// A `date` field's value is not a date.
        date: Option<String>,
        /// An `email` field's value is not an e-mail address. Default "Email address invalid".
        email: Option<String>,
        /// A `url` field's value is not an http(s) address. Default "Website address invalid".
        url: Option<String>,
        /// An `enum` field's value is not one of its `values`.
        #[serde(rename = "enum")]
        enum_: Option<String>,
        /// A `list` field's value is not a list of strings.
        list: Option<String>,
    }

    /// Lead scoring.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct ScoringTable {
        /// The lowest score: a lower total is raised to it.
        min: Option<i64>,
        /// The highest score: a higher total is lowered to it.
        max: Option<i64>,
        /// The scoring rules: each adds its `points` when its `when` is true.
        rules: Option<Vec<ScoringRuleTable>>,
    }

    /// A scoring rule.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct ScoringRuleTable {
        /// A label for the rule, shown by `leadspec explain`.
        name: Option<String>,
        /// The rule, such as "page_views >= 10". It may use fields, `today`, `now`,
        /// `criteria.<id>` and `qualified`, but not `score`.
        when: String,
        /// The points added when the rule is true; negative points lower the score.
        points: i64,
    }

    /// An example: a record, and what the definition should make of it. It expects exactly one
    /// of `stage`, `unclassified = true` or `move`; every other expectation is optional, and
    /// only those written are checked.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[schemars(extend("oneOf" = [
        { "required": ["stage"] },
        { "required": ["unclassified"] },
        { "required": ["move"] },
    ]))]
    struct ExampleTable {
        /// The example's name, unique; `leadspec check` reports a failing example by it.
        name: String,
        /// The reference time: a date (2026-11-22) or an RFC 3339 date-time. Default: the
        /// caller's (`leadspec check --now`).
        now: Option<String>,
        /// The lead record, read like any other: `{ email = "ana@example.com", budget = 25000 }`.
        record: Option<BTreeMap<String, serde_json::Value>>,
        /// The stage id the record is expected at.
        #[schemars(pattern(STAGE_ID))]
        stage: Option<String>,
        /// `true`: the record is expected to match no stage.
        #[schemars(extend("const" = true))]
        unclassified: Option<bool>,
        /// A move expected to be allowed or refused for the record.
        #[serde(rename = "move")]
        move_: Option<MoveTable>,
        /// The team id expected to own the record.
        owner: Option<String>,
        /// The expected qualification state.
        qualified: Option<TruthWord>,
        /// The expected states of the criteria named (not necessarily all of them).
        criteria: Option<BTreeMap<String, TruthWord>>,
        /// The expected validation errors, field id to message: exactly these fields have errors.
        errors: Option<BTreeMap<String, String>>,
        /// The expected score (only with `[scoring]`).
        score: Option<i64>,
    }

    /// A move in an example.
    #[derive(JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct MoveTable {
        /// The stage id moved from.
        #[schemars(pattern(STAGE_ID))]
        from: String,
        /// The stage id moved to.
        #[schemars(pattern(STAGE_ID))]
        to: String,
        /// Whether the move is expected to be allowed.
        allowed: bool,
    }

    /// The state of a criterion or of the qualification.
    #[derive(JsonSchema)]
    #[serde(rename_all = "snake_case")]
    enum TruthWord {
        /// Definitely met.
        Met,
        /// Definitely not met.
        NotMet,
        /// Not known: a value the rule needs is missing or invalid.
        Unknown,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::definition::load::{
        CRITERION_KEYS, DEFINITION_KEYS, EXAMPLE_KEYS, FIELD_KEYS, INPUT_KEYS, MOVE_KEYS, QUALIFICATION_KEYS,
        SCORING_KEYS, SCORING_RULE_KEYS, STAGE_KEYS, TOP_KEYS, TRANSITION_KEYS,
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
}
