//! The types a definition file's JSON Schema is derived from, one per table of the file,
//! each key with the description editors show.

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
