//! A loaded lead definition: the compiled, immutable form of one organisation's TOML file.
//!
//! [`Definition`] plays the part `Regex` plays in the `regex` crate: loading parses,
//! resolves and type-checks everything once; the result is `Send + Sync` and classifies
//! any number of records from any number of threads.
//!
//! A definition is made once and then used in steps: *load* it ([`Definition::from_toml`],
//! [`Definition::from_path`]; every problem is reported with its position), *prepare* each
//! record ([`Definition::prepare`], or [`Definition::prepare_from`] straight from JSON or
//! TOML: values coerced by field type and placed by field index), *classify* it
//! ([`Definition::classify_prepared`], or only its stage with [`Definition::stage_of`]),
//! and ask the *lifecycle* about moves between stages named by [`StageIndex`]
//! ([`Definition::check_move_prepared`], `moves_from`, `handoff`).
//!
//! Stage and team indices and prepared records are tied to the definition that made them:
//! they carry its stamp, drawn afresh by every load and shared by its clones. Any other
//! definition, even one loaded from the same text, refuses them: [`Definition::stage_at`]
//! and [`Definition::team_at`] return `None`, [`Definition::classify_prepared`] and
//! [`Definition::stage_of`] fail with [`ForeignRecord`], and
//! [`Definition::check_move_prepared`] refuses the move ([`Refusal::ForeignStage`],
//! [`Refusal::ForeignRecord`]).
//!
//! This file holds [`Definition`] itself: its fields, its accessors, loading and preparing.
//! The parts of a definition have files of their own: stage and team indices ([`ids`]),
//! teams, stages and transitions ([`stage`]), qualification and scoring
//! ([`qualification`]), the examples it carries ([`example`]). The loader is [`load`], one
//! file per table, with [`strings`] mapping rule positions back through TOML quoting.
//! Classifying and the lifecycle are methods added above this layer, in `classify.rs` and
//! `lifecycle.rs`.
//!
//! [`ForeignRecord`]: crate::ForeignRecord
//! [`Refusal::ForeignStage`]: crate::Refusal::ForeignStage
//! [`Refusal::ForeignRecord`]: crate::Refusal::ForeignRecord

mod columns;
pub(crate) mod example;
mod ids;
pub(crate) mod load;
mod program;
mod qualification;
mod stage;
mod strings;
#[cfg(feature = "lsp")]
pub(crate) use strings::decode_with_offsets;

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};

pub(crate) use crate::record::Prepared;
pub(crate) use crate::stamp::Stamp;
use crate::{Diagnostic, Field, FieldIndex, FileError, Input, Limits, LoadError, Messages, Record, RecordId};
pub use columns::{ColumnFinding, ColumnReport, Header, SeenKeys};
use example::Example;

/// Column (a record's key or a header cell) to field position: looked up for every key of
/// every record, so hashed with FxHash rather than SipHash.
pub(crate) type Columns = HashMap<String, usize, rustc_hash::FxBuildHasher>;
pub use ids::{StageIndex, TeamIndex};
pub(crate) use program::{known_words, Lazy, Program};
pub use qualification::{Criterion, Qualification, Requirement, Scoring, ScoringRule};
pub use stage::{Stage, Team, Transition};

/// A loaded, checked lead definition.
///
/// ```
/// use leadspec::{Definition, Record};
/// use chrono::{TimeZone, Utc};
///
/// let definition = Definition::from_toml(r#"
///     [definition]
///     name = "Tiny"
///     [teams]
///     marketing = "Marketing"
///     [fields]
///     email = { type = "email", required = true }
///     [[stages]]
///     id = "contact"
///     owner = "marketing"
///     when = "email is present"
/// "#).unwrap();
///
/// let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
/// let lead = Record::new().with("email", "ann@example.com");
/// let result = definition.classify(&lead, now);
/// assert_eq!(result.stage().map(|s| s.id()), Some("contact"));
/// assert_eq!(result.owner().map(|t| t.id.as_str()), Some("marketing"));
/// ```
#[derive(Clone, Debug)]
pub struct Definition {
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) teams: Vec<Team>,
    pub(crate) fields: Vec<Field>,
    /// Field id to position, for rules and lookups by id.
    pub(crate) field_index: HashMap<String, usize>,
    /// Column (header cell, JSON or TOML key) to field position, for reading records.
    pub(crate) column_index: Columns,
    /// How this organisation's files are written: the id column, placeholders, time zone.
    pub(crate) input: Input,
    /// Stage id and team id to position (the first, for an id given twice).
    pub(crate) stage_ids: HashMap<String, usize>,
    pub(crate) team_ids: HashMap<String, usize>,
    /// Which load this is: every index it gives out and every record it prepares carries it.
    pub(crate) stamp: Stamp,
    pub(crate) qualification: Qualification,
    pub(crate) stages: Vec<Stage>,
    /// Stage indices in classification order: priority, highest first, then later-declared first.
    pub(crate) order: Vec<StageIndex>,
    pub(crate) transitions: Vec<Transition>,
    /// Where each transition's table starts in the file, for diagnostics about it.
    pub(crate) transition_tables: Vec<crate::rule::Written>,
    pub(crate) messages: Messages,
    pub(crate) scoring: Option<Scoring>,
    pub(crate) examples: Vec<Example>,
    pub(crate) warnings: Vec<Diagnostic>,
    /// Every rule that classifies, as one program (built last, from the rest).
    pub(crate) program: Program,
}

impl Definition {
    /// Loads a definition from TOML text, with the default [`Limits`].
    ///
    /// Every problem found is returned, each with its position; see [`LoadError`].
    ///
    /// ```
    /// use leadspec::{Definition, DiagnosticCode};
    /// let d = Definition::from_toml(leadspec::DEFAULT_DEFINITION_TOML)?;
    /// assert_eq!(d.name(), "leadspec default lead lifecycle");
    ///
    /// // Two problems, both reported: an owner no team has and a rule that does not parse.
    /// let err = Definition::from_toml(r#"
    ///     [definition]
    ///     name = "Broken"
    ///     [teams]
    ///     sales = "Sales"
    ///     [[stages]]
    ///     id = "deal"
    ///     owner = "marketing"
    ///     when = "true and"
    /// "#).unwrap_err();
    /// assert_eq!(err.errors().count(), 2);
    /// assert_eq!(err.errors().next().map(|e| e.line), Some(8));
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn from_toml(source: &str) -> Result<Definition, LoadError> {
        Definition::from_toml_with_limits(source, &Limits::default())
    }

    /// Reads and loads the definition file at `path`, with the default [`Limits`].
    ///
    /// This is the one function of the crate that reads a file; everything else works on
    /// values passed in. The file must be UTF-8 text (checked by [`decode_utf8`], whose
    /// messages say where a bad byte is). The error names the file, keeps its text, and with
    /// the feature `render` prints as `leadspec check` prints it ([`FileError`]).
    ///
    /// ```
    /// let definition = leadspec::Definition::from_path("examples/definitions/default.toml")?;
    /// assert_eq!(definition.stages()[0].id(), "contact");
    /// # Ok::<(), leadspec::FileError>(())
    /// ```
    ///
    /// [`decode_utf8`]: crate::decode_utf8
    pub fn from_path(path: impl AsRef<Path>) -> Result<Definition, FileError> {
        let path = path.as_ref();
        let name = path.to_string_lossy();
        let bytes = std::fs::read(path).map_err(|error| FileError::read(&name, error))?;
        let text = crate::decode_utf8(&name, bytes)?;
        Definition::from_toml(&text).map_err(|error| FileError::invalid(&name, text, error))
    }

    /// Loads a definition from TOML text under the given limits.
    ///
    /// Going past a limit is an ordinary positioned error (code
    /// [`DiagnosticCode::LimitExceeded`]), never a crash: lower the limits for untrusted
    /// definitions.
    ///
    /// ```
    /// use leadspec::{Definition, DiagnosticCode, Limits};
    /// let strict = Limits { max_stages: 3, ..Limits::default() };
    /// let err = Definition::from_toml_with_limits(leadspec::DEFAULT_DEFINITION_TOML, &strict).unwrap_err();
    /// assert!(err.errors().any(|e| e.code == DiagnosticCode::LimitExceeded));
    /// assert!(Definition::from_toml_with_limits(leadspec::DEFAULT_DEFINITION_TOML, &Limits::default()).is_ok());
    /// ```
    ///
    /// [`DiagnosticCode::LimitExceeded`]: crate::DiagnosticCode::LimitExceeded
    pub fn from_toml_with_limits(source: &str, limits: &Limits) -> Result<Definition, LoadError> {
        let _hints = crate::diagnostic::HintBudget::start(crate::diagnostic::load_hint_work(source.len()));
        load::load(source, limits)
    }

    /// The definition's name.
    ///
    /// The parts of a definition, as written in its file:
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// assert_eq!(d.name(), "leadspec default lead lifecycle");
    /// assert_eq!(d.version(), Some("1"));
    /// let teams: Vec<&str> = d.teams().iter().map(|t| t.id.as_str()).collect();
    /// assert_eq!(teams, ["marketing", "sales"]);
    /// assert_eq!(d.team("sales").map(|t| t.name.as_str()), Some("Sales"));
    /// assert_eq!(d.fields()[0].id, "email");
    /// assert_eq!(d.field("budget").map(|f| f.id.as_str()), Some("budget"));
    /// let stages: Vec<&str> = d.stages().iter().map(|s| s.id()).collect();
    /// assert_eq!(stages, ["contact", "inquiry", "nurture", "qualified_lead", "prospect", "proposal", "customer"]);
    /// assert_eq!(d.stage("nurture").map(|s| s.name()), Some("Nurture"));
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Its version, if given.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    /// Its description, if given.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    /// The teams, in the order written.
    pub fn teams(&self) -> &[Team] {
        &self.teams
    }
    /// The team with this id.
    pub fn team(&self, id: &str) -> Option<&Team> {
        self.team_ids.get(id).and_then(|&i| self.teams.get(i))
    }
    /// The index of the team with this id.
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// let sales = d.team_index("sales").unwrap();
    /// assert_eq!(d.team_at(sales).unwrap().name, "Sales");
    /// assert_eq!(d.stage("prospect").unwrap().owner(), sales);
    /// ```
    pub fn team_index(&self, id: &str) -> Option<TeamIndex> {
        self.team_ids.get(id).map(|&i| TeamIndex::new(i, self.stamp))
    }
    /// The fields, in the order written; a field's position is its slot index.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }
    /// The field with this id.
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.field_index.get(id).map(|&i| &self.fields[i])
    }
    /// The index of the field with this id.
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// let email = d.field_position("email").unwrap();
    /// assert_eq!(email.position(), 0);
    /// assert_eq!(d.field_at(email).unwrap().id, "email");
    /// assert!(d.field_position("e-mail").is_none());
    /// ```
    pub fn field_position(&self, id: &str) -> Option<FieldIndex> {
        self.field_index.get(id).map(|&i| FieldIndex::new(i, self.stamp))
    }
    /// The field at `index`, or `None` for an index of another definition.
    pub fn field_at(&self, index: FieldIndex) -> Option<&Field> {
        (index.stamp == self.stamp).then(|| self.fields.get(index.position())).flatten()
    }
    /// The index of the field that reads `column` (a header cell, JSON or TOML key):
    /// the field whose `column` it is, or whose id it is when the field has no `column`.
    ///
    /// ```
    /// let d = leadspec::Definition::from_toml(r#"
    ///     [definition]
    ///     name = "x"
    ///     [teams]
    ///     m = "M"
    ///     [fields]
    ///     lead_source = { type = "string", column = "Lead Source" }
    ///     [[stages]]
    ///     id = "a"
    ///     owner = "m"
    ///     when = "lead_source is present"
    /// "#)?;
    /// assert_eq!(d.column_position("Lead Source"), d.field_position("lead_source"));
    /// assert_eq!(d.column_position("lead_source"), None);
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn column_position(&self, column: &str) -> Option<FieldIndex> {
        self.column_index.get(column).map(|&i| FieldIndex::new(i, self.stamp))
    }
    /// How this organisation's files are written (`[input]`): the id column, the
    /// placeholders of every field, the time zone of offset-less date-times.
    pub fn input(&self) -> &Input {
        &self.input
    }
    /// The qualification framework.
    pub fn qualification(&self) -> &Qualification {
        &self.qualification
    }
    /// The stages, in funnel order (as declared).
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }
    /// The stage with this id.
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stage_ids.get(id).and_then(|&i| self.stages.get(i))
    }
    /// The stage whose id a misspelt `word` most likely meant: one within a typo's distance
    /// of it (compared ignoring case, `_`, `-` and spaces), as the did-you-mean hints of
    /// `leadspec` propose. For a service that takes stage names from people.
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// assert_eq!(d.similar_stage("qualfied_lead").map(|s| s.id()), Some("qualified_lead"));
    /// assert!(d.similar_stage("warehouse").is_none());
    /// ```
    pub fn similar_stage(&self, word: &str) -> Option<&Stage> {
        let id = crate::diagnostic::did_you_mean(word, self.stages.iter().map(|s| s.id.as_str()))?;
        self.stage(id)
    }
    /// The field whose id a misspelt `word` most likely meant (see [`Definition::similar_stage`]).
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// assert_eq!(d.similar_field("budgte").map(|f| f.id.as_str()), Some("budget"));
    /// ```
    pub fn similar_field(&self, word: &str) -> Option<&Field> {
        let id = crate::diagnostic::did_you_mean(word, self.fields.iter().map(|f| f.id.as_str()))?;
        self.field(id)
    }
    /// The index of the stage with this id.
    pub fn stage_index(&self, id: &str) -> Option<StageIndex> {
        self.stage_ids.get(id).map(|&i| StageIndex::new(i, self.stamp))
    }
    /// The stage at `index`, or `None` for an index of another definition.
    pub fn stage_at(&self, index: StageIndex) -> Option<&Stage> {
        self.position(index).map(|i| &self.stages[i])
    }
    /// Whether this definition (or a clone of it) prepared `record`.
    #[inline]
    pub(crate) fn owns(&self, record: &Prepared) -> bool {
        record.stamp == self.stamp
    }
    /// The position of a stage of this definition (checked: `None` for another's).
    pub(crate) fn position(&self, index: StageIndex) -> Option<usize> {
        (index.stamp == self.stamp && index.position() < self.stages.len()).then(|| index.position())
    }
    /// The team at `index`, or `None` for an index of another definition.
    pub fn team_at(&self, index: TeamIndex) -> Option<&Team> {
        (index.stamp == self.stamp).then(|| self.teams.get(index.position())).flatten()
    }
    /// The team that owns a stage of this definition (or of a clone of it); `None` for a
    /// stage of another definition.
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// let stage = d.stage("qualified_lead").unwrap();
    /// assert_eq!(d.owner_of(stage).map(|t| t.id.as_str()), Some("sales"));
    /// let other = leadspec::Definition::from_toml(leadspec::DEFAULT_DEFINITION_TOML).unwrap();
    /// assert!(other.owner_of(stage).is_none());
    /// ```
    pub fn owner_of(&self, stage: &Stage) -> Option<&Team> {
        self.team_at(stage.owner())
    }
    /// Stage indices in the order classification tries them: by `priority`, highest
    /// first, then the stage declared later first.
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// let order: Vec<&str> = d.classification_order().iter().filter_map(|&i| d.stage_at(i)).map(|s| s.id()).collect();
    /// // `customer` has priority 10; the others, at 0, are tried furthest along the funnel first.
    /// assert_eq!(order, ["customer", "proposal", "prospect", "qualified_lead", "nurture", "inquiry", "contact"]);
    /// ```
    pub fn classification_order(&self) -> &[StageIndex] {
        &self.order
    }
    /// The declared transitions (empty: every move is allowed).
    ///
    /// ```
    /// let d = leadspec::default_definition();
    /// let (inquiry, sql) = (d.stage_index("inquiry").unwrap(), d.stage_index("qualified_lead").unwrap());
    /// let handoff = d.transitions().iter().find(|t| t.covers(inquiry, sql)).unwrap();
    /// assert_eq!(handoff.guard().map(|g| g.text()), Some("qualified"));
    /// ```
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }
    /// The validation messages: the defaults, overridden by the definition's `[messages]`.
    ///
    /// ```
    /// use leadspec::ValidationRule;
    /// let d = leadspec::Definition::from_toml(r#"
    ///     [definition]
    ///     name = "Deutsch"
    ///     [teams]
    ///     m = "Marketing"
    ///     [messages]
    ///     required = "Pflichtfeld fehlt"
    ///     [[stages]]
    ///     id = "a"
    ///     owner = "m"
    ///     when = "true"
    /// "#)?;
    /// assert_eq!(d.messages().get(ValidationRule::Required), "Pflichtfeld fehlt");
    /// assert_eq!(d.messages().get(ValidationRule::Email), "Email address invalid");
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn messages(&self) -> &Messages {
        &self.messages
    }
    /// The scoring, if the definition has `[scoring]`.
    ///
    /// ```
    /// assert!(leadspec::default_definition().scoring().is_none());
    /// let d = leadspec::Definition::from_path("examples/definitions/crm_export.toml")?;
    /// let scoring = d.scoring().unwrap();
    /// assert_eq!((scoring.min(), scoring.max()), (Some(0), Some(100)));
    /// assert_eq!(scoring.rules()[0].name(), Some("Asked for pricing or a demo"));
    /// # Ok::<(), leadspec::FileError>(())
    /// ```
    pub fn scoring(&self) -> Option<&Scoring> {
        self.scoring.as_ref()
    }
    /// The examples the definition carries (`[[examples]]`), in the order written;
    /// [`Definition::run_examples`] checks them.
    ///
    /// ```
    /// use leadspec::ExampleExpectation;
    /// let d = leadspec::default_definition();
    /// let first = &d.examples()[0];
    /// assert_eq!(first.name(), "A valid e-mail address alone makes a contact");
    /// assert_eq!(first.expectation(), &ExampleExpectation::Stage(d.stage_index("contact").unwrap()));
    /// assert!(first.now().is_none());
    /// ```
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }
    /// Warnings found while loading (for example a stage no transition reaches).
    ///
    /// ```
    /// use leadspec::{DiagnosticCode, Severity};
    /// let d = leadspec::Definition::from_toml(r#"
    ///     [definition]
    ///     name = "Dead end"
    ///     [teams]
    ///     s = "Sales"
    ///     [[stages]]
    ///     id = "lead"
    ///     owner = "s"
    ///     when = "true"
    ///     [[stages]]
    ///     id = "won"
    ///     owner = "s"
    ///     when = "false"
    ///     [[transitions]]
    ///     from = "won"
    ///     to = "lead"
    /// "#)?;
    /// let warning = &d.warnings()[0];
    /// assert_eq!((warning.severity, warning.code), (Severity::Warning, DiagnosticCode::UnreachableStage));
    /// assert_eq!(warning.message, "no declared transition reaches the stage `won`");
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Prepares a record for classification: every value coerced by its field's type and
    /// reading keys and placed at its field's index. Do this once per record;
    /// classification then reads slots by index without allocating.
    ///
    /// A record's keys are columns: each field reads the key named by its `column`, or its
    /// id; the record's id is the value under the `[input] id` column (default `id`).
    ///
    /// ```
    /// use leadspec::{default_definition, Record, Slot};
    /// let d = default_definition();
    /// let lead = d.prepare(&Record::new().with("id", 7).with("budget", "25000").with("role", "boss"));
    /// let value = |field| lead.slot(d.field_position(field).unwrap()).unwrap();
    /// assert_eq!(value("budget"), Slot::Number(25_000.0));
    /// assert_eq!(value("role"), Slot::Invalid); // not one of its values
    /// assert_eq!(value("email"), Slot::Missing);
    /// assert_eq!(lead.id().map(|id| id.to_string()).as_deref(), Some("7"));
    /// ```
    pub fn prepare(&self, record: &Record) -> Prepared {
        let mut prepared = Prepared::missing(self.fields.len(), self.stamp);
        for (key, value) in record.iter() {
            if let Some(&i) = self.column_index.get(key) {
                prepared.store_value(i, &self.fields[i], &self.input, value);
            }
        }
        prepared.id = record.get(&self.input.id).and_then(RecordId::from_value);
        prepared
    }

    /// Deserializes one record straight into its prepared form, from any self-describing
    /// format serde reads (a JSON object, a TOML table).
    ///
    /// The result is exactly `self.prepare(&record)` for the [`Record`] the same input
    /// deserializes to, but no `Record` is built on the way: keys are looked up as
    /// borrowed text, values of undeclared fields are skipped, and a key given twice counts
    /// with its last value. This is the fast path for reading many records, as
    /// `leadspec classify` does.
    ///
    /// ```
    /// # let definition = leadspec::default_definition();
    /// use leadspec::Record;
    ///
    /// let line = r#"{"id": "L-1", "email": "ann@example.com", "budget": "25000", "note": [1, 2]}"#;
    /// let mut json = serde_json::Deserializer::from_str(line);
    /// let prepared = definition.prepare_from(&mut json)?;
    /// json.end()?;
    ///
    /// let record: Record = serde_json::from_str(line)?;
    /// assert_eq!(prepared, definition.prepare(&record));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn prepare_from<'de, D: serde::Deserializer<'de>>(&self, deserializer: D) -> Result<Prepared, D::Error> {
        deserializer.deserialize_map(columns::PreparedVisitor { definition: self, seen: None })
    }

    /// Marks the fields whose lowercase form some rule reads, so that preparing a record
    /// keeps a lowercase copy of those fields' text only.
    pub(crate) fn mark_folded_fields(&mut self) {
        let mut folded = Vec::new();
        let rules = self
            .qualification
            .criteria
            .iter()
            .map(|c| &c.rule)
            .chain(self.scoring.iter().flat_map(|s| s.rules.iter().map(|r| &r.rule)))
            .chain(self.stages.iter().map(|s| &s.rule))
            .chain(self.transitions.iter().filter_map(|t| t.guard.as_ref()));
        for rule in rules {
            rule.folded_fields(&mut folded);
        }
        for field in &mut self.fields {
            field.folds = false;
        }
        for i in folded {
            if let Some(field) = self.fields.get_mut(i) {
                field.folds = true;
            }
        }
    }

    /// This definition with its stage and team indexes filled in from its stages and teams.
    pub(crate) fn indexed(mut self) -> Definition {
        fn index<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
            let mut index = HashMap::new();
            for (position, id) in ids.enumerate() {
                index.entry(id.to_string()).or_insert(position);
            }
            index
        }
        self.stage_ids = index(self.stages.iter().map(|s| s.id.as_str()));
        self.team_ids = index(self.teams.iter().map(|t| t.id.as_str()));
        self
    }
}

/// The reference time as the rule evaluator takes it (UTC, naive).
pub(crate) fn naive(now: DateTime<Utc>) -> chrono::NaiveDateTime {
    now.naive_utc()
}
