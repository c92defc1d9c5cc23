//! # leadspec: write down what a lead is, then apply it the same way everywhere
//!
//! Marketing counts "450 good leads" where sales sees "just a few": each team means
//! something else by *lead*. `leadspec` lets an organisation write its own lead lifecycle
//! in one TOML file (its words for the stages, the team owning each, its qualification
//! criteria, the fields of a lead and how they are validated, the moves allowed, how long a
//! lead may wait) and classifies any lead with it, explaining why.
//!
//! ## The four steps
//!
//! A service meets the crate in the order a lead meets it:
//!
//! | step | call | gives |
//! | --- | --- | --- |
//! | **load** | [`Definition::from_toml`], [`Definition::from_path`] | a [`Definition`], or a [`LoadError`] listing every problem with its line and column |
//! | **prepare** | [`Definition::prepare`], [`Definition::prepare_from`] (JSON), [`Definition::header`] then [`Header::prepare_row`] (CSV) | a [`Prepared`] record: each value read by its field's type and format |
//! | **classify** | [`Definition::classify_prepared`], [`Definition::stage_of`], [`Definition::explain`] | a [`Classification`] (stage, owner, criteria, score, errors), an [`Explanation`] |
//! | **lifecycle** | [`Definition::check_move`], [`Definition::replay`], [`Definition::waterfall`], [`Funnel`] | a [`Move`] (allowed, a handoff, or refused and why), SLA [`Breach`]es, counts |
//!
//! ```
//! use leadspec::{default_definition, parse_reference_time, Record};
//!
//! let definition = default_definition(); // load: here, the built-in definition
//! let now = parse_reference_time("2026-11-22")?;
//! let lead = definition.prepare(&Record::new().with("email", "ann@example.com").with("interest", "pricing"));
//! let result = definition.classify_prepared(&lead, now)?; // classify
//! let (stage, owner) = (result.stage().unwrap(), result.owner().unwrap());
//! assert_eq!((stage.id(), owner.id.as_str()), ("inquiry", "marketing"));
//!
//! let sql = definition.stage_index("qualified_lead").unwrap(); // lifecycle
//! let refused = definition.check_move_prepared(stage.index(), sql, &lead, now);
//! assert!(!refused.is_allowed()); // not qualified yet: the guard says why
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Indices of stages, teams and fields ([`StageIndex`], [`TeamIndex`], [`FieldIndex`]) and
//! prepared records belong to the definition that made them (and its clones): another
//! definition refuses them (`None`, an empty list, [`ForeignRecord`],
//! [`Refusal::ForeignStage`]) rather than read them as its own.
//!
//! Around the four steps: [`rule`] documents the rule language, `leadspec::read` (feature
//! `read`) reads whole files as the command line does, `leadspec::json` (feature `serde`)
//! documents the JSON of every result, and `leadspec::testing` (feature `proptest`)
//! generates records and histories for property tests. Inside, each layer uses only those
//! below it: values and field formats, then records, then rules (compiled over a
//! definition's fields, evaluated over prepared records), then the definition, then the
//! operations of the table above; the readers, the JSON and the command line sit on top.
//!
//! ## From definition to classification
//!
//! A [`Definition`] is loaded once (parsed, resolved, type-checked) and then classifies
//! any number of records from any number of threads, like a compiled `Regex`:
//!
//! ```
//! use leadspec::{Definition, Record, Truth};
//! use chrono::{TimeZone, Utc};
//!
//! let definition = Definition::from_toml(r#"
//!     [definition]
//!     name = "Acme"
//!
//!     [teams]
//!     marketing = "Marketing"
//!     sales = "Sales"
//!
//!     [fields]
//!     email = { type = "email", required = true }
//!     budget = "number"
//!     role = { type = "enum", values = ["user", "decision_maker"] }
//!
//!     [qualification.criteria]
//!     budget = { when = "budget >= 10_000", ask = "What budget is set aside?" }
//!     authority = "role == 'decision_maker'"
//!
//!     [[stages]]
//!     id = "contact"
//!     owner = "marketing"
//!     when = "email is present"
//!
//!     [[stages]]
//!     id = "qualified_lead"
//!     owner = "sales"
//!     when = "qualified"
//! "#)?;
//!
//! // The core never reads a clock: the reference time is always passed in.
//! let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
//!
//! let lead = Record::new().with("email", "ann@example.com").with("role", "decision_maker");
//! let result = definition.classify(&lead, now);
//! assert_eq!(result.stage().unwrap().id(), "contact");
//! assert_eq!(result.owner().unwrap().id, "marketing");
//! assert_eq!(result.criterion("budget"), Some(Truth::Unknown)); // no budget given
//! assert_eq!(result.ask(), ["What budget is set aside?"]);
//!
//! let lead = lead.with("budget", "25000"); // text is read by the field's type
//! assert_eq!(definition.classify(&lead, now).stage().unwrap().id(), "qualified_lead");
//! # Ok::<(), leadspec::LoadError>(())
//! ```
//!
//! ## Three-valued rules
//!
//! A field that is missing, empty or invalid is *unknown* to every comparison, and `and`,
//! `or`, `not` follow Kleene's logic ([`Truth`]). A stage matches only when its rule is
//! definitely true; a criterion is `met`, `not_met` or `unknown`, and the `ask` texts of
//! unknown criteria say what to find out next. The [`rule`] module documents the language.
//!
//! ## Errors with positions
//!
//! Loading reports every problem it finds, each with its byte span, line and column in the
//! file, a stable [`DiagnosticCode`] saying what kind of problem it is and, for names, a
//! did-you-mean hint:
//!
//! ```
//! let err = leadspec::Definition::from_toml(
//!     "[definition]\nname = \"x\"\n[teams]\nsales = \"Sales\"\n[[stages]]\nid = \"a\"\nonwer = \"sales\"\nwhen = \"budgett >= 1\"\n",
//! ).unwrap_err();
//! let messages: Vec<String> = err.errors().map(|d| d.to_string()).collect();
//! assert_eq!(messages, [
//!     "7:1: error: unknown key `onwer` in [[stages]] (did you mean `owner`?)",
//!     "8:9: error: unknown field `budgett`",
//! ]);
//! let codes: Vec<&str> = err.errors().map(|d| d.code.as_str()).collect();
//! assert_eq!(codes, ["unknown-key", "unknown-field"]);
//! ```
//!
//! ## Many records, fast
//!
//! In a hot path, prepare each record once (its values coerced by field type and placed by
//! field index) and ask only what you need. [`Definition::prepare_from`] reads a JSON
//! object straight into that form, and [`Definition::stage_of`] finds the stage without
//! allocating; [`Definition::classify_prepared`] gives the whole [`Classification`].
//!
//! ```
//! let definition = leadspec::default_definition();
//! let now = leadspec::parse_reference_time("2026-11-22").unwrap();
//! let lines = [r#"{"id": 1, "email": "ann@example.com"}"#, r#"{"id": 2, "email": "not an address"}"#];
//! let mut stages = Vec::new();
//! for line in lines {
//!     let mut json = serde_json::Deserializer::from_str(line);
//!     let lead = definition.prepare_from(&mut json)?;
//!     stages.push(definition.stage_of(&lead, now)?.and_then(|i| definition.stage_at(i)).map(|s| s.id()));
//! }
//! assert_eq!(stages, [Some("contact"), None]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Real exports
//!
//! A definition also says how its organisation's files are written: `[input]` names the id
//! column, the placeholders that mean "no value" and the time zone of offset-less times;
//! each field names its `column` and how its values are written (`thousands`, `decimal`,
//! `currency`, `formats`, `true`/`false`, `separator`, `default_scheme`). Records are keyed
//! by columns. A CSV header is mapped onto the fields once ([`Definition::header`]), with a
//! [`ColumnReport`] of whatever does not match, and each row is read straight into its
//! prepared form:
//!
//! ```
//! use leadspec::Definition;
//!
//! let definition = Definition::from_toml(r#"
//!     [input]
//!     id = "Prospect ID"
//!     missing = ["Select", "N/A"]
//!     timezone = "America/New_York"
//!
//!     [definition]
//!     name = "Export"
//!     [teams]
//!     sales = "Sales"
//!     [fields]
//!     amount = { type = "number", column = "Amount (USD)", thousands = ",", currency = true }
//!     created = { type = "date", column = "Created Time", formats = ["%d %b, %Y %H:%M:%S"] }
//!     source = { type = "enum", column = "Lead Source", values = ["Web", "Event"] }
//!     [[stages]]
//!     id = "deal"
//!     owner = "sales"
//!     when = "amount >= 10_000 and created >= 2021-04-15"
//! "#)?;
//!
//! let header = definition.header(&["Prospect ID", "Amount (USD)", "Created Time", "LEAD_SOURCE"]);
//! let warnings: Vec<String> = header.report().findings().iter().map(|f| f.to_string()).collect();
//! assert_eq!(warnings, [
//!     r#"no column "Lead Source" for field `source`; did you mean "LEAD_SOURCE"? (add column = "LEAD_SOURCE")"#,
//! ]);
//!
//! // 22:30 in New York on the 14th is the 15th in UTC; "Select" is no value.
//! let lead = header.prepare_row(["P-7", "$25,000", "14 Apr, 2021 22:30:00", "Select"])?;
//! let now = leadspec::parse_reference_time("2026-11-22").unwrap();
//! let result = definition.classify_prepared(&lead, now)?;
//! assert_eq!(result.stage().map(|s| s.id()), Some("deal"));
//! assert_eq!(result.id().map(|id| id.to_string()).as_deref(), Some("P-7"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! JSON records are read the same way with [`SeenKeys`], which also reports, after the last
//! record, the fields no record held.
//!
//! ## Where to go next
//!
//! - [`Definition::explain`]: every stage tried and why it matched or not.
//! - [`Definition::check_move`], [`Definition::replay`] (SLA breaches),
//!   [`Definition::translate`] and [`Funnel`]: the lifecycle across stages and definitions.
//! - [`Definition::run_examples`]: the definition's own `[[examples]]`, checked like doctests.
//! - [`Definition::analyze`]: what the rules can and cannot do, proved rather than sampled: a
//!   witness record for each stage a lead can reach (classified before it is reported), the
//!   stages that catch every lead of a stage none reaches, guards never true, criteria never
//!   met or never not met, "cannot decide" where it cannot tell, and what the examples leave
//!   unexercised ([`Analysis::diagnostics`] are what `leadspec check --analyze` prints).
//! - [`default_definition`]: a ready-made lifecycle, also in `examples/definitions/default.toml`.
//! - [`Definition::from_path`]: the one function that reads a file; its [`FileError`] names
//!   the file and, with the feature `render`, prints as `leadspec check` prints it.
//! - `leadspec::testing` (feature `proptest`): strategies that generate records and
//!   histories valid for a definition, to property-test your own rules.
//!
//! ## Where the format leaves room
//!
//! The file format fixes most behaviour; where it is silent, this crate decides as follows.
//!
//! - **Text comparisons.** `==` and `!=` on text are exact (case-sensitive), like enum
//!   values; `contains`, `starts_with` and `ends_with` ignore case; `matches` is
//!   case-sensitive unless the pattern says `(?i)`. Text has no order: `company < 'b'` is a
//!   load error rather than a byte-order surprise.
//! - **String literals in rules** take `\\`, `\'` and `\"` as escapes and keep any other
//!   backslash, so regexes read as written.
//! - **`is present` on `criteria.<id>` or `qualified`** asks whether the state is known.
//! - **Field ids** may not be words of the rule language (`today`, `score`, `and`, ...).
//! - **A qualification without criteria** is met under `require = "all"` and not met under
//!   `"any"` (the empty `and` and `or`).
//! - **An `ask` on a criterion that does not exist** is read as a criterion table with an
//!   `ask` but no `when`: a load error at the table.
//! - **A move from a stage to itself** is always allowed: it changes nothing.
//! - **Calendar arithmetic** beyond chrono's range makes the comparison unknown.
//! - **Records are keyed by columns**, whatever their source (a CSV header, JSON keys, an
//!   example's TOML table, a [`Record`] built in Rust): each field reads the key named by its
//!   `column`, or its id when it has none.
//! - **Header cells** are trimmed, and a byte-order mark before the first is ignored. Every
//!   non-empty cell the header names more than once is warned of, read by a field or not.
//! - **Currency**: the one space allowed between a number and its sign or code may also be
//!   a no-break space (as French and German exports write `12 500,00 €`).
//! - **Date patterns** must read a whole date: a pattern is checked by writing a sample
//!   time with it and reading it back, so `%d.%m` (no year) or `%Y-%m-%d %H` (an hour
//!   without minutes) is a load error at the pattern. A field takes at most 64 patterns.
//! - **Boolean words** may not be blank (a blank value is missing, never a word).
//! - **`funnel --compare`** warns of the columns of the definition given with
//!   `--definition` only; the other definition reads the same rows.
//! - **Did-you-mean for columns** compares at most 200,000 pairs per report (beyond that,
//!   only cells equal in all but case, spaces, `_` and `-` are proposed), and the keys of
//!   JSON records are kept as candidates up to 1,000 distinct keys of at most 256 bytes, so
//!   a hostile file costs bounded time and memory.
//!
//! ## Cargo features
//!
//! - `cli`: the `leadspec` command line and what only it needs (it turns on `fmt`, `lsp`,
//!   `read`, `render` and `serde`).
//! - `fmt`: `format_definition`, the canonical layout of definition files (through
//!   `toml_edit`).
//! - `lsp`: `leadspec::lsp::run_stdio`, the language server that `leadspec lsp` runs
//!   (through `lsp-server` and `lsp-types`).
//! - `read`: `leadspec::read`, the record and history readers the command line uses
//!   (through `serde_json` and `csv-core`).
//! - `render`: `Diagnostic::render`, `LoadError::render` and `FileError::render`, each
//!   problem with its source line and a caret, exactly as `leadspec check` prints it
//!   (through `annotate-snippets`).
//! - `serde`: `Serialize` for results, each as the JSON the command line prints, and
//!   `Deserialize` for history lines; `leadspec::json` documents every shape.
//! - `proptest`: `leadspec::testing`, proptest strategies of records, moves and histories
//!   for a definition, to property-test your own rules.
//! - `schema`: `leadspec::definition_schema`, the JSON Schema of definition files
//!   that editors use to complete and check keys (shipped as `leadspec.schema.json`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod analyze;
mod classify;
mod definition;
mod diagnostic;
mod diff;
mod examples;
mod explain;
mod field;
mod format;
mod funnel;
mod history;
#[cfg(feature = "serde")]
pub mod json;
mod json_text;
#[cfg(feature = "fmt")]
mod layout;
mod lifecycle;
mod limits;
#[cfg(feature = "lsp")]
pub mod lsp;
mod names;
mod number_text;
mod presets;
#[cfg(feature = "read")]
pub mod read;
mod record;
pub mod rule;
#[cfg(feature = "schema")]
mod schema;
#[cfg(feature = "sql")]
mod sql;
mod stamp;
#[cfg(feature = "proptest")]
pub mod testing;
mod time;
mod truth;
mod vocabulary;
mod work;

pub use analyze::{Analysis, AnalyzeOptions, Coverage, CriterionFinding, Doubt, GuardFinding, StageFinding, Verdict};
pub use classify::{Classification, ForeignRecord};
pub use definition::example::{Example, ExampleExpectation};
pub use definition::{
    ColumnFinding, ColumnReport, Criterion, Definition, Header, Qualification, Requirement, Scoring, ScoringRule,
    SeenKeys, Stage, StageIndex, Team, TeamIndex, Transition,
};
pub use diagnostic::{decode_utf8, Diagnostic, DiagnosticCode, FileError, LoadError, Severity, Span};
pub use diff::{Change, ChangeKind, DefinitionDiff, Impact, KeyChange, Part, Sample, SAMPLES_PER_MOVE};
pub use examples::ExampleCheck;
pub use explain::{Explanation, Rejection, Trial};
pub use field::{Field, FieldIndex, FieldType};
pub use format::{DateFormat, FieldFormat, Input, Scheme};
pub use funnel::{Funnel, FunnelGroup, MAX_GROUPS};
pub use history::{
    Breach, OutOfOrder, PushError, Replay, Replayer, SlaCounts, SlaSummary, StageChange, StageWords, Stay, Stays,
    UnknownStage, Waterfall, WaterfallCounter, WaterfallStep,
};
#[cfg(feature = "fmt")]
pub use layout::{format_definition, format_with_limits};
pub use lifecycle::{Handoff, Move, Refusal};
pub use limits::Limits;
pub use names::proposed_field_id;
pub use presets::{default_definition, DEFAULT_DEFINITION_TOML};
pub use record::{
    is_email, is_web_url, ListItems, Messages, Prepared, RaggedRow, Record, RecordId, Slot, ValidationError,
    ValidationRule, Value,
};
#[cfg(feature = "schema")]
pub use schema::definition_schema;
#[cfg(feature = "sql")]
pub use sql::{Dialect, SqlError, SqlOptions};
pub use time::{format_time, parse_reference_time, ParseTimeError};
pub use truth::Truth;
pub use vocabulary::SharedWord;
#[doc(hidden)]
pub use work::done as __load_work;
