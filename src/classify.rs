//! Classification: which stage a lead is in, who owns it, and why.
//!
//! The steps, for one prepared record and one reference time: the stages in
//! classification order (priority, highest first; at equal priority the one declared later
//! first) until one's `when` is true, each criterion, the qualification and the score
//! computed the first time a rule reads it (the definition's `Program`); then, for a full
//! classification, the criteria, qualification and score no stage read. Nothing here
//! allocates on the path that only picks the stage ([`Definition::stage_of`]).

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::definition::{known_words, naive, Criterion, Lazy, Prepared, Stage, StageIndex};
use crate::record::Packed;
use crate::rule::{Clock, Context};
use crate::{Definition, Record, RecordId, Team, Truth, ValidationError, ValidationRule};

/// Criterion states of up to this many criteria live on the stack on the hot path.
const INLINE_CRITERIA: usize = 64;

/// What the criteria make of one lead, which rules may read besides its fields: the
/// qualification and the score.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Assessment {
    pub(crate) qualified: Truth,
    pub(crate) score: i64,
}

impl Definition {
    /// Classifies a record at the reference time `now`.
    ///
    /// Prepares the record first; to classify one record against several questions, or to
    /// avoid the preparation cost in a loop, use [`Definition::prepare`] and
    /// [`Definition::classify_prepared`].
    pub fn classify(&self, record: &Record, now: DateTime<Utc>) -> Classification<'_> {
        self.classify_own(&self.prepare(record), now)
    }

    /// Classifies a prepared record at the reference time `now`.
    ///
    /// # Errors
    ///
    /// [`ForeignRecord`] when another definition prepared the record (its values are
    /// placed by that definition's fields, so they mean nothing here). A clone of the
    /// definition that prepared it is the same definition.
    ///
    /// ```
    /// # use chrono::{TimeZone, Utc};
    /// use leadspec::{default_definition, Definition, ForeignRecord, Record, DEFAULT_DEFINITION_TOML};
    /// let d = default_definition();
    /// let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    /// let lead = d.prepare(&Record::new().with("email", "ann@example.com"));
    /// assert_eq!(d.classify_prepared(&lead, now)?.stage().map(|s| s.id()), Some("contact"));
    /// assert_eq!(d.clone().classify_prepared(&lead, now)?.stage().map(|s| s.id()), Some("contact"));
    /// let other = Definition::from_toml(DEFAULT_DEFINITION_TOML).unwrap();
    /// assert_eq!(other.classify_prepared(&lead, now).unwrap_err(), ForeignRecord);
    /// # Ok::<(), ForeignRecord>(())
    /// ```
    pub fn classify_prepared(
        &self,
        record: &Prepared,
        now: DateTime<Utc>,
    ) -> Result<Classification<'_>, ForeignRecord> {
        self.check_own(record)?;
        Ok(self.classify_own(record, now))
    }

    /// Refuses a record another definition prepared.
    #[inline]
    pub(crate) fn check_own(&self, record: &Prepared) -> Result<(), ForeignRecord> {
        if self.owns(record) {
            Ok(())
        } else {
            Err(ForeignRecord)
        }
    }

    /// [`Definition::classify_prepared`] of a record known to be this definition's.
    pub(crate) fn classify_own(&self, record: &Prepared, now: DateTime<Utc>) -> Classification<'_> {
        let count = self.program.criteria();
        let mut criteria = vec![Truth::Unknown; count];
        let mut known = vec![0; known_words(count)];
        let mut lazy = Lazy::new(&self.program, record, Clock::new(naive(now)), &mut criteria, &mut known);
        let stage = self.program.stage(&mut lazy);
        let (qualified, score) = lazy.finish();
        let errors = self.validation_errors(record, stage);
        Classification {
            definition: self,
            stage,
            criteria,
            qualified,
            score: self.scoring.as_ref().map(|_| score),
            errors,
            id: record.id.clone(),
        }
    }

    /// Only the stage of a prepared record: the fast path, which allocates nothing for
    /// definitions of up to 64 criteria, and evaluates a criterion, the qualification or
    /// the score only when a stage tried reads it.
    ///
    /// ```
    /// # use leadspec::{Definition, Record};
    /// # use chrono::{TimeZone, Utc};
    /// let definition = leadspec::default_definition();
    /// let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    /// let lead = definition.prepare(&Record::new().with("email", "ann@example.com"));
    /// let stage = definition.stage_of(&lead, now)?.and_then(|i| definition.stage_at(i)).map(|s| s.id());
    /// assert_eq!(stage, Some("contact"));
    /// # Ok::<(), leadspec::ForeignRecord>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ForeignRecord`] when another definition prepared the record, as for
    /// [`Definition::classify_prepared`].
    pub fn stage_of(&self, record: &Prepared, now: DateTime<Utc>) -> Result<Option<StageIndex>, ForeignRecord> {
        self.check_own(record)?;
        let count = self.program.criteria();
        let (mut inline, mut inline_known) = ([Truth::Unknown; INLINE_CRITERIA], [0u64; 1]);
        let (mut spilled, mut spilled_known) = (Vec::new(), Vec::new());
        let (criteria, known): (&mut [Truth], &mut [u64]) = if count <= INLINE_CRITERIA {
            (&mut inline[..count], &mut inline_known)
        } else {
            spilled.resize(count, Truth::Unknown);
            spilled_known.resize(known_words(count), 0);
            (&mut spilled, &mut spilled_known)
        };
        let mut lazy = Lazy::new(&self.program, record, Clock::new(naive(now)), criteria, known);
        Ok(self.program.stage(&mut lazy))
    }

    /// Evaluates the criteria into `criteria`, then the qualification and the score.
    pub(crate) fn assess(&self, record: &Prepared, criteria: &mut [Truth], now: NaiveDateTime) -> Assessment {
        let mut known = vec![0; known_words(criteria.len())];
        let mut lazy = Lazy::new(&self.program, record, Clock::new(now), criteria, &mut known);
        let (qualified, score) = lazy.finish();
        Assessment { qualified, score }
    }

    pub(crate) fn context<'a>(
        &self,
        record: &'a Prepared,
        criteria: &'a [Truth],
        assessment: Assessment,
        now: NaiveDateTime,
    ) -> Context<'a> {
        Context::new(record, criteria, assessment.qualified, assessment.score, now)
    }

    /// Validation errors in field order: a missing value where required (by the field or by
    /// the stage), or a value that is not valid for its type.
    fn validation_errors(&self, record: &Prepared, stage: Option<StageIndex>) -> Vec<ValidationError> {
        let stage = stage.and_then(|s| self.stages.get(s.position()));
        let mut errors = Vec::new();
        for (i, (field, cell)) in self.fields.iter().zip(&record.values).enumerate() {
            let rule = match cell {
                Packed::Missing if field.required || stage.is_some_and(|s| s.requires_position(i)) => {
                    ValidationRule::Required
                }
                Packed::Invalid => ValidationRule::for_type(field.ty),
                _ => continue,
            };
            errors.push(ValidationError {
                field: field.id.clone(),
                rule,
                message: self.messages.get(rule).to_string(),
            });
        }
        errors
    }
}

/// A prepared record given to a definition other than the one that prepared it: its values
/// are placed by that definition's fields, so they mean nothing here. Prepare the record
/// with the definition that reads it (a clone of a definition may read its records).
///
/// ```
/// use leadspec::{default_definition, Definition, ForeignRecord, Record, DEFAULT_DEFINITION_TOML};
/// let mine = default_definition();
/// let lead = mine.prepare(&Record::new().with("email", "ann@example.com"));
/// // The same text loaded again is another definition.
/// let other = Definition::from_toml(DEFAULT_DEFINITION_TOML).unwrap();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// assert_eq!(other.stage_of(&lead, now), Err(ForeignRecord));
/// assert_eq!(ForeignRecord.to_string(), "the record was prepared by another definition");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the record was prepared by another definition")]
pub struct ForeignRecord;

/// The result of classifying one lead.
///
/// Borrows the definition, so names and owners come without copies. With the feature
/// `serde`, it serializes as a line of `leadspec classify` without its `record`.
///
/// ```
/// use leadspec::{default_definition, Record, Truth, ValidationRule};
/// let d = default_definition();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let lead = Record::new()
///     .with("id", "L-1")
///     .with("email", "ann@example.com")
///     .with("interest", "demo")
///     .with("budget", "25000")
///     .with("role", "decision_maker")
///     .with("website", "example.com"); // not a full web address
/// let result = d.classify(&lead, now);
/// assert_eq!(result.stage().map(|s| s.id()), Some("inquiry"));
/// assert_eq!(result.owner().map(|t| t.name.as_str()), Some("Marketing"));
/// // BANT: budget and authority met, need and timeframe not known yet.
/// assert_eq!(result.criterion_states(), [Truth::True, Truth::True, Truth::Unknown, Truth::Unknown]);
/// assert_eq!(result.qualified(), Truth::Unknown);
/// assert_eq!(result.ask(), ["Which problem should we solve for them?", "By when do they want it working?"]);
/// assert_eq!(result.errors()[0].rule, ValidationRule::Url);
/// assert_eq!(result.errors()[0].to_string(), "website: Website address invalid");
/// assert_eq!(result.score(), None); // the definition has no [scoring]
/// assert_eq!(result.id().map(|id| id.to_string()).as_deref(), Some("L-1"));
/// ```
#[derive(Clone, Debug)]
pub struct Classification<'d> {
    definition: &'d Definition,
    stage: Option<StageIndex>,
    criteria: Vec<Truth>,
    qualified: Truth,
    score: Option<i64>,
    errors: Vec<ValidationError>,
    id: Option<RecordId>,
}

impl<'d> Classification<'d> {
    /// The definition that classified the lead (its name and version included).
    pub fn definition(&self) -> &'d Definition {
        self.definition
    }
    /// The index of the lead's stage, or `None` when unclassified.
    pub fn stage_index(&self) -> Option<StageIndex> {
        self.stage
    }
    /// The lead's stage, or `None` when no stage's `when` is true.
    pub fn stage(&self) -> Option<&'d Stage> {
        self.stage.and_then(|i| self.definition.stages.get(i.position()))
    }
    /// The team that owns the lead's stage.
    pub fn owner(&self) -> Option<&'d Team> {
        self.stage().and_then(|s| self.definition.owner_of(s))
    }
    /// Every criterion with its state, in the order written.
    ///
    /// ```
    /// use leadspec::{default_definition, Record, Truth};
    /// let d = default_definition();
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let result = d.classify(&Record::new().with("email", "a@example.com").with("role", "user"), now);
    /// let states: Vec<(&str, Truth)> = result.criteria().map(|(c, t)| (c.id(), t)).collect();
    /// assert_eq!(states, [
    ///     ("budget", Truth::Unknown),
    ///     ("authority", Truth::False),
    ///     ("need", Truth::Unknown),
    ///     ("timeframe", Truth::Unknown),
    /// ]);
    /// assert_eq!(result.criterion("authority"), Some(Truth::False));
    /// assert_eq!(result.criterion("bugdet"), None);
    /// ```
    pub fn criteria(&self) -> impl Iterator<Item = (&'d Criterion, Truth)> + '_ {
        self.definition.qualification.criteria.iter().zip(self.criteria.iter().copied())
    }
    /// The state of the criterion `id`.
    pub fn criterion(&self, id: &str) -> Option<Truth> {
        self.criteria().find(|(c, _)| c.id == id).map(|(_, t)| t)
    }
    /// The criterion states, by criterion index.
    pub fn criterion_states(&self) -> &[Truth] {
        &self.criteria
    }
    /// The qualification state: met (`True`), not met (`False`) or unknown.
    pub fn qualified(&self) -> Truth {
        self.qualified
    }
    /// The questions to ask next: the `ask` of every unknown criterion that has one, in order.
    pub fn ask(&self) -> Vec<&'d str> {
        self.criteria().filter(|(_, t)| *t == Truth::Unknown).filter_map(|(c, _)| c.ask()).collect()
    }
    /// The score, when the definition has `[scoring]`: the points of the rules that are
    /// true, summed and clamped to its `min` and `max`.
    ///
    /// ```
    /// let d = leadspec::Definition::from_toml(r#"
    ///     [definition]
    ///     name = "Scored"
    ///     [teams]
    ///     m = "Marketing"
    ///     [fields]
    ///     visits = "number"
    ///     [scoring]
    ///     max = 100
    ///     [[scoring.rules]]
    ///     when = "visits >= 3"
    ///     points = 60
    ///     [[scoring.rules]]
    ///     when = "visits >= 10"
    ///     points = 60
    ///     [[stages]]
    ///     id = "hot"
    ///     owner = "m"
    ///     when = "score >= 50"
    /// "#)?;
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let result = d.classify(&leadspec::Record::new().with("visits", 12), now);
    /// assert_eq!(result.score(), Some(100)); // 120, clamped
    /// assert_eq!(result.stage().map(|s| s.id()), Some("hot"));
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn score(&self) -> Option<i64> {
        self.score
    }
    /// The record's validation errors, in field order.
    pub fn errors(&self) -> &[ValidationError] {
        &self.errors
    }
    /// The record's `id`, if it had one.
    pub fn id(&self) -> Option<&RecordId> {
        self.id.as_ref()
    }
}
