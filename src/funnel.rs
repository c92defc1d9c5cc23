//! Funnels: how many leads sit in each stage, with each owner, under each shared word,
//! and translation of stages between two definitions.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::definition::StageIndex;
use crate::record::Packed;
use crate::{Classification, Definition, Field, FieldIndex, FieldType, ForeignRecord, Prepared, SharedWord, Slot};

/// A field's value as a group's text: `None` for a missing or invalid value.
fn group_value(field: &Field, slot: Slot<'_>, scratch: &mut String) -> Option<String> {
    scratch.clear();
    match slot {
        Slot::Missing | Slot::Invalid => return None,
        Slot::Number(n) => {
            let _ = write!(scratch, "{n}");
        }
        Slot::Bool(b) => scratch.push_str(if b { "true" } else { "false" }),
        Slot::Date(d) => {
            let _ = write!(scratch, "{}", d.format("%Y-%m-%d"));
        }
        Slot::Text { text, .. } => scratch.push_str(text),
        Slot::Enum(i) => scratch.push_str(field.values.get(i as usize).map_or("", String::as_str)),
        Slot::List(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    scratch.push(if field.ty == FieldType::List { field.format().separator() } else { ';' });
                }
                scratch.push_str(item);
            }
        }
    }
    Some(scratch.clone())
}

impl Definition {
    /// The stage of `other` that stands for this definition's stage `stage`.
    ///
    /// The same shared word if `other` has it; for a funnel word it lacks, the nearest
    /// earlier funnel word it has; a side word only to the same side word; a stage without
    /// `canonical` has no counterpart.
    ///
    /// ```
    /// use leadspec::Definition;
    /// let a = Definition::from_toml(r#"
    ///     [definition]
    ///     name = "A"
    ///     [teams]
    ///     s = "Sales"
    ///     [[stages]]
    ///     id = "lead"
    ///     owner = "s"
    ///     canonical = "inquiry"
    ///     when = "true"
    ///     [[stages]]
    ///     id = "deal"
    ///     owner = "s"
    ///     canonical = "opportunity"
    ///     when = "false"
    /// "#).unwrap();
    /// let b = Definition::from_toml(r#"
    ///     [definition]
    ///     name = "B"
    ///     [teams]
    ///     s = "Sales"
    ///     [[stages]]
    ///     id = "interested"
    ///     owner = "s"
    ///     canonical = "inquiry"
    ///     when = "true"
    /// "#).unwrap();
    /// let deal = a.stage_index("deal").unwrap();
    /// // B has no `opportunity`: the nearest earlier funnel word it has is `inquiry`.
    /// assert_eq!(a.translate(deal, &b).and_then(|i| b.stage_at(i)).map(|s| s.id()), Some("interested"));
    /// ```
    pub fn translate(&self, stage: StageIndex, other: &Definition) -> Option<StageIndex> {
        let word = self.stage_at(stage)?.canonical?;
        let find = |w: SharedWord| other.stages.iter().find(|s| s.canonical == Some(w)).map(|s| s.index);
        match word.funnel_position() {
            None => find(word),
            Some(position) => SharedWord::ALL[..=position].iter().rev().find_map(|&w| find(w)),
        }
    }

    /// The stage a person means by `word`: the stage with this id or alias, ignoring case
    /// (stage ids and aliases are one namespace, so at most one stage has it), or else the
    /// first with this display name, ignoring case.
    ///
    /// ```
    /// let d = leadspec::Definition::from_toml(r#"
    ///     [definition]
    ///     name = "Words"
    ///     [teams]
    ///     marketing = "Marketing"
    ///     [[stages]]
    ///     id = "marketing_qualified"
    ///     name = "Marketing-qualified lead"
    ///     aliases = ["MQL"]
    ///     owner = "marketing"
    ///     when = "true"
    /// "#)?;
    /// assert_eq!(d.find_stage("mql").map(|i| i.position()), Some(0));
    /// assert_eq!(d.find_stage("Marketing_Qualified").map(|i| i.position()), Some(0));
    /// assert_eq!(d.find_stage("marketing-qualified lead").map(|i| i.position()), Some(0));
    /// assert_eq!(d.find_stage("sql"), None);
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn find_stage(&self, word: &str) -> Option<StageIndex> {
        if let Some(i) = self.stage_index(word) {
            return Some(i);
        }
        let folded = word.to_lowercase();
        let same = |w: &str| w == word || w.to_lowercase() == folded;
        let stage = self.stages.iter().find(|s| same(&s.id) || s.aliases.iter().any(|a| same(a)));
        stage.or_else(|| self.stages.iter().find(|s| same(&s.name))).map(|s| s.index)
    }
}

/// Counts of classified leads per stage, per owner and per shared word, the validation
/// errors per field, and, when grouped by a field, the stages per value of that field.
/// With the feature `serde`, it serializes as `leadspec funnel --json` prints it.
///
/// ```
/// use leadspec::{default_definition, Funnel, Record};
/// use chrono::{TimeZone, Utc};
/// let d = default_definition();
/// let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
/// let mut funnel = Funnel::new(d);
/// funnel.add(&d.classify(&Record::new().with("email", "a@example.com"), now));
/// funnel.add_unreadable();
/// assert_eq!(funnel.total(), 2);
/// assert_eq!(funnel.stage_count(d.stage_index("contact").unwrap()), 1);
/// ```
///
/// Grouped by a field, each record is counted under its value of the field, read as the
/// field's type reads it (`None` for a missing or invalid value):
///
/// ```
/// use leadspec::{default_definition, Funnel, Record};
/// let d = default_definition();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let mut funnel = Funnel::grouped_by(d, d.field_position("source").unwrap()).unwrap();
/// for (email, source) in [("a@example.com", "webinar"), ("b@example.com", "webinar"), ("nope", "event")] {
///     let lead = d.prepare(&Record::new().with("email", email).with("source", source));
///     funnel.add_record(&lead, d.stage_of(&lead, now).unwrap()).unwrap();
/// }
/// let groups = funnel.groups();
/// assert_eq!(groups[0].value.as_deref(), Some("webinar"));
/// assert_eq!((groups[0].total, groups[1].total), (2, 1));
/// assert_eq!(groups[1].unclassified, 1);
/// assert_eq!(funnel.error_counts()[d.field_position("email").unwrap().position()], 1);
/// ```
#[derive(Clone, Debug)]
pub struct Funnel<'d> {
    definition: &'d Definition,
    stages: Vec<usize>,
    owners: Vec<usize>,
    unclassified: usize,
    unreadable: usize,
    /// Records with a validation error, per field.
    errors: Vec<usize>,
    grouping: Option<Grouping>,
}

/// The stages per value of one field.
#[derive(Clone, Debug)]
struct Grouping {
    field: usize,
    /// Value text (`None`: missing or invalid) to its counts.
    groups: HashMap<Option<String>, Counts>,
    /// Whether values beyond [`MAX_GROUPS`] were seen (and not counted).
    overflow: bool,
    /// The text of the value being counted, reused.
    scratch: String,
}

/// The counts of one group: records, unclassified, per stage.
#[derive(Clone, Debug)]
struct Counts {
    total: usize,
    unclassified: usize,
    stages: Vec<usize>,
    /// How many groups there were before this one was first seen.
    first: usize,
}

impl Counts {
    fn new(stages: usize, first: usize) -> Self {
        Counts { total: 0, unclassified: 0, stages: vec![0; stages], first }
    }
}

/// The most distinct values a grouped funnel counts: beyond them, [`Funnel::overflowed`].
pub const MAX_GROUPS: usize = 100_000;

/// The leads of one value of the field a funnel is grouped by.
///
/// ```
/// use leadspec::{default_definition, Funnel, FunnelGroup, Record};
/// let d = default_definition();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let mut funnel = Funnel::grouped_by(d, d.field_position("budget").unwrap()).unwrap();
/// let lead = d.prepare(&Record::new().with("email", "ann@example.com").with("budget", "25000"));
/// funnel.add_record(&lead, d.stage_of(&lead, now).unwrap()).unwrap();
/// let contact = d.stage_index("contact").unwrap().position();
/// let group: &FunnelGroup = &funnel.groups()[0];
/// assert_eq!(group.value.as_deref(), Some("25000")); // the number, as Rust displays an f64
/// assert_eq!((group.total, group.unclassified, group.stages[contact]), (1, 0, 1));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunnelGroup {
    /// The value as text (a number as Rust displays an `f64`, a boolean `true`/`false`, a
    /// date `YYYY-MM-DD`, a list its items joined with the field's separator, other values
    /// as read), or `None` for records whose value is missing or invalid.
    pub value: Option<String>,
    /// Records with this value.
    pub total: usize,
    /// Of those, the ones no stage caught.
    pub unclassified: usize,
    /// Of those, the ones in each stage, by stage index.
    pub stages: Vec<usize>,
}

impl<'d> Funnel<'d> {
    /// An empty funnel for `definition`.
    pub fn new(definition: &'d Definition) -> Self {
        Funnel {
            definition,
            stages: vec![0; definition.stages.len()],
            owners: vec![0; definition.teams.len()],
            unclassified: 0,
            unreadable: 0,
            errors: vec![0; definition.fields.len()],
            grouping: None,
        }
    }

    /// An empty funnel for `definition` that also counts the stages per value of `field`
    /// (see [`Definition::field_position`]); `None` for a field index of another
    /// definition. Records are then added with [`Funnel::add_record`], which reads their
    /// value.
    ///
    /// ```
    /// use leadspec::{default_definition, Definition, Funnel, DEFAULT_DEFINITION_TOML};
    /// let d = default_definition();
    /// let source = d.field_position("source").unwrap();
    /// assert_eq!(Funnel::grouped_by(d, source).unwrap().grouped_field(), Some(source));
    /// let other = Definition::from_toml(DEFAULT_DEFINITION_TOML).unwrap();
    /// assert!(Funnel::grouped_by(&other, source).is_none(), "a field index of another definition");
    /// ```
    pub fn grouped_by(definition: &'d Definition, field: FieldIndex) -> Option<Self> {
        definition.field_at(field)?;
        let field = field.position();
        let grouping = Grouping { field, groups: HashMap::new(), overflow: false, scratch: String::new() };
        Some(Funnel { grouping: Some(grouping), ..Funnel::new(definition) })
    }

    /// Counts one prepared record in `stage` (as [`Definition::stage_of`] gives it): its
    /// stage and owner, its validation errors, and its group when the funnel is grouped.
    /// A stage index of another definition counts as unclassified.
    ///
    /// # Errors
    ///
    /// [`ForeignRecord`] for a record another definition prepared: nothing is counted.
    ///
    /// ```
    /// use leadspec::{default_definition, Definition, ForeignRecord, Funnel, Record, DEFAULT_DEFINITION_TOML};
    /// let d = default_definition();
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let mut funnel = Funnel::new(d);
    /// let lead = d.prepare(&Record::new().with("email", "ann@example.com"));
    /// funnel.add_record(&lead, d.stage_of(&lead, now)?)?;
    /// assert_eq!(funnel.stage_count(d.stage_index("contact").unwrap()), 1);
    ///
    /// let other = Definition::from_toml(DEFAULT_DEFINITION_TOML).unwrap();
    /// let foreign = other.prepare(&Record::new().with("email", "bo@example.com"));
    /// assert_eq!(funnel.add_record(&foreign, None), Err(ForeignRecord));
    /// assert_eq!(funnel.total(), 1, "nothing counted");
    /// # Ok::<(), ForeignRecord>(())
    /// ```
    pub fn add_record(&mut self, record: &Prepared, stage: Option<StageIndex>) -> Result<(), ForeignRecord> {
        self.definition.check_own(record)?;
        let stage = stage.and_then(|i| self.definition.position(i));
        self.add_position(stage);
        let stage_at = stage.map(|s| &self.definition.stages[s]);
        for (i, (field, cell)) in self.definition.fields.iter().zip(&record.values).enumerate() {
            let error = match cell {
                Packed::Missing => field.required || stage_at.is_some_and(|s| s.requires_position(i)),
                Packed::Invalid => true,
                _ => false,
            };
            if error {
                self.errors[i] += 1;
            }
        }
        let Some(grouping) = &mut self.grouping else { return Ok(()) };
        let field = self.definition.fields.get(grouping.field);
        let key = field.and_then(|f| group_value(f, record.slot_at(grouping.field), &mut grouping.scratch));
        let stages = self.stages.len();
        if !grouping.groups.contains_key(&key) && grouping.groups.len() >= MAX_GROUPS {
            grouping.overflow = true;
            return Ok(());
        }
        let first = grouping.groups.len();
        let counts = grouping.groups.entry(key).or_insert_with(|| Counts::new(stages, first));
        counts.total += 1;
        match stage {
            Some(i) => counts.stages[i] += 1,
            None => counts.unclassified += 1,
        }
        Ok(())
    }

    /// Counts one classified lead (made by this funnel's definition): its stage and owner
    /// and its validation errors. A grouped funnel needs the record's value: use
    /// [`Funnel::add_record`] instead, or the lead is counted under no value.
    ///
    /// ```
    /// use leadspec::{default_definition, Funnel, Record};
    /// let d = default_definition();
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let mut funnel = Funnel::new(d);
    /// funnel.add(&d.classify(&Record::new().with("email", "ann@example.com"), now));
    /// funnel.add(&d.classify(&Record::new().with("email", "not an address"), now));
    /// assert_eq!((funnel.total(), funnel.unclassified()), (2, 1));
    /// let email = d.field_position("email").unwrap().position();
    /// assert_eq!(funnel.error_counts()[email], 1);
    /// ```
    pub fn add(&mut self, classification: &Classification<'_>) {
        let stage = classification.stage_index().and_then(|i| self.definition.position(i));
        self.add_position(stage);
        for error in classification.errors() {
            if let Some(i) = self.definition.field_position(&error.field) {
                self.errors[i.position()] += 1;
            }
        }
        if let Some(grouping) = &mut self.grouping {
            let stages = self.stages.len();
            let first = grouping.groups.len();
            let counts = grouping.groups.entry(None).or_insert_with(|| Counts::new(stages, first));
            counts.total += 1;
            match stage {
                Some(i) => counts.stages[i] += 1,
                None => counts.unclassified += 1,
            }
        }
    }

    /// Counts one lead by its stage (`None`: unclassified). An index that is not one of the
    /// definition's stages counts as unclassified.
    ///
    /// ```
    /// use leadspec::{default_definition, Funnel};
    /// let d = default_definition();
    /// let mut funnel = Funnel::new(d);
    /// funnel.add_stage(d.stage_index("qualified_lead"));
    /// funnel.add_stage(d.stage_index("prospect"));
    /// funnel.add_stage(None);
    /// assert_eq!(funnel.unclassified(), 1);
    /// let sales = d.team_index("sales").unwrap().position();
    /// assert_eq!(funnel.owner_counts()[sales], 2);
    /// ```
    pub fn add_stage(&mut self, stage: Option<StageIndex>) {
        self.add_position(stage.and_then(|i| self.definition.position(i)));
    }

    /// Counts one lead by its stage's position (in range) or as unclassified.
    fn add_position(&mut self, stage: Option<usize>) {
        match stage {
            Some(i) => {
                self.stages[i] += 1;
                self.owners[self.definition.stages[i].owner] += 1;
            }
            None => self.unclassified += 1,
        }
    }

    /// Adds the counts of `later`, a funnel of the same definition (grouped by the same
    /// field, or not grouped) over the records that follow this one's: the result is the
    /// funnel of all the records, in that order, as if this funnel had counted `later`'s
    /// records itself. Funnels counted on several threads, each over a run of consecutive
    /// records, are put together this way in input order.
    ///
    /// The groups are the same as one funnel's, [`MAX_GROUPS`] included: `later`'s values,
    /// taken in the order it first saw them, join this funnel's while there is room, and
    /// the records of the values beyond it are not counted in groups (the funnel then
    /// [overflowed](Funnel::overflowed)). A `later` that overflowed itself marks this one so.
    /// Nothing is added from a funnel of another definition or grouping.
    ///
    /// ```
    /// use leadspec::{default_definition, Funnel, Record};
    /// let d = default_definition();
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let source = d.field_position("source").unwrap();
    /// let leads: Vec<_> = [("a@example.com", "webinar"), ("nope", "event"), ("c@example.com", "webinar")]
    ///     .iter()
    ///     .map(|(email, source)| d.prepare(&Record::new().with("email", *email).with("source", *source)))
    ///     .collect();
    /// let mut whole = Funnel::grouped_by(d, source).unwrap();
    /// let (mut first, mut rest) = (whole.clone(), whole.clone());
    /// for (i, lead) in leads.iter().enumerate() {
    ///     let stage = d.stage_of(lead, now).unwrap();
    ///     whole.add_record(lead, stage).unwrap();
    ///     if i < 1 { &mut first } else { &mut rest }.add_record(lead, stage).unwrap();
    /// }
    /// first.merge(&rest);
    /// assert_eq!(first.total(), 3);
    /// assert_eq!(first.groups(), whole.groups());
    /// assert_eq!(first.error_counts(), whole.error_counts());
    /// ```
    pub fn merge(&mut self, later: &Funnel<'_>) {
        if !std::ptr::eq(self.definition, later.definition) || self.grouped_field() != later.grouped_field() {
            return;
        }
        for (mine, theirs) in
            [(&mut self.stages, &later.stages), (&mut self.owners, &later.owners), (&mut self.errors, &later.errors)]
        {
            for (n, m) in mine.iter_mut().zip(theirs) {
                *n += m;
            }
        }
        self.unclassified += later.unclassified;
        self.unreadable += later.unreadable;
        let (Some(grouping), Some(theirs)) = (&mut self.grouping, &later.grouping) else { return };
        grouping.overflow |= theirs.overflow;
        let mut groups: Vec<(&Option<String>, &Counts)> = theirs.groups.iter().collect();
        groups.sort_by_key(|(_, c)| c.first);
        let stages = self.stages.len();
        for (value, counts) in groups {
            if !grouping.groups.contains_key(value) && grouping.groups.len() >= MAX_GROUPS {
                grouping.overflow = true;
                continue;
            }
            let first = grouping.groups.len();
            let mine = grouping.groups.entry(value.clone()).or_insert_with(|| Counts::new(stages, first));
            mine.total += counts.total;
            mine.unclassified += counts.unclassified;
            for (n, m) in mine.stages.iter_mut().zip(&counts.stages) {
                *n += m;
            }
        }
    }

    /// Counts one record that could not be read.
    pub fn add_unreadable(&mut self) {
        self.unreadable += 1;
    }

    /// The definition counted against.
    pub fn definition(&self) -> &'d Definition {
        self.definition
    }
    /// Every record counted, unreadable ones included.
    pub fn total(&self) -> usize {
        self.stages.iter().sum::<usize>() + self.unclassified + self.unreadable
    }
    /// Records that matched no stage.
    pub fn unclassified(&self) -> usize {
        self.unclassified
    }
    /// Records that could not be read.
    pub fn unreadable(&self) -> usize {
        self.unreadable
    }
    /// Leads in stage `stage` (none for a stage of another definition).
    pub fn stage_count(&self, stage: StageIndex) -> usize {
        self.definition.position(stage).map_or(0, |i| self.stages[i])
    }
    /// Leads per stage, by stage index.
    pub fn stage_counts(&self) -> &[usize] {
        &self.stages
    }
    /// Leads per owning team, by team index.
    pub fn owner_counts(&self) -> &[usize] {
        &self.owners
    }
    /// Records with a validation error in each field, by field position.
    pub fn error_counts(&self) -> &[usize] {
        &self.errors
    }
    /// The field the funnel is grouped by, if it is.
    pub fn grouped_field(&self) -> Option<FieldIndex> {
        self.grouping.as_ref().map(|g| FieldIndex::new(g.field, self.definition.stamp))
    }
    /// Whether more than [`MAX_GROUPS`] distinct values were seen: the groups then count
    /// only the records of the first values seen.
    pub fn overflowed(&self) -> bool {
        self.grouping.as_ref().is_some_and(|g| g.overflow)
    }
    /// The groups of a grouped funnel (empty otherwise): largest first, then by value in
    /// code point order, `None` after the values of the same size.
    pub fn groups(&self) -> Vec<FunnelGroup> {
        let Some(grouping) = &self.grouping else { return Vec::new() };
        let mut groups: Vec<FunnelGroup> = grouping
            .groups
            .iter()
            .map(|(value, c)| FunnelGroup {
                value: value.clone(),
                total: c.total,
                unclassified: c.unclassified,
                stages: c.stages.clone(),
            })
            .collect();
        groups.sort_by(|a, b| {
            b.total.cmp(&a.total).then_with(|| match (&a.value, &b.value) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
        });
        groups
    }
    /// Leads per shared word (stages without `canonical` are not counted here).
    ///
    /// ```
    /// use leadspec::{default_definition, Funnel, SharedWord};
    /// let d = default_definition();
    /// let mut funnel = Funnel::new(d);
    /// funnel.add_stage(d.stage_index("qualified_lead")); // canonical = "sql"
    /// funnel.add_stage(d.stage_index("nurture"));
    /// let counts = funnel.shared_counts();
    /// assert_eq!(counts[&SharedWord::Sql], 1);
    /// assert_eq!(counts[&SharedWord::Nurture], 1);
    /// assert_eq!(counts[&SharedWord::Customer], 0);
    /// ```
    pub fn shared_counts(&self) -> BTreeMap<SharedWord, usize> {
        let mut counts = BTreeMap::new();
        for (stage, &n) in self.definition.stages.iter().zip(&self.stages) {
            if let Some(word) = stage.canonical {
                *counts.entry(word).or_insert(0) += n;
            }
        }
        counts
    }

    /// Side by side with another funnel of the same records: for every shared word either
    /// definition uses, the count in this one and in `other`.
    ///
    /// ```
    /// use leadspec::{default_definition, Definition, Funnel, SharedWord};
    /// let ours = default_definition();
    /// let theirs = Definition::from_toml(r#"
    ///     [definition]
    ///     name = "Theirs"
    ///     [teams]
    ///     s = "Sales"
    ///     [[stages]]
    ///     id = "deal"
    ///     owner = "s"
    ///     canonical = "opportunity"
    ///     when = "true"
    /// "#)?;
    /// let (mut a, mut b) = (Funnel::new(ours), Funnel::new(&theirs));
    /// a.add_stage(ours.stage_index("prospect")); // canonical = "opportunity"
    /// b.add_stage(theirs.stage_index("deal"));
    /// b.add_stage(theirs.stage_index("deal"));
    /// let side_by_side = a.compare(&b);
    /// assert_eq!(side_by_side[&SharedWord::Opportunity], (1, 2));
    /// assert_eq!(side_by_side[&SharedWord::Contact], (0, 0)); // only ours has `contact`
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn compare(&self, other: &Funnel<'_>) -> BTreeMap<SharedWord, (usize, usize)> {
        let mut words: BTreeMap<SharedWord, (usize, usize)> = BTreeMap::new();
        for word in self.definition.stages.iter().chain(&other.definition.stages).filter_map(|s| s.canonical) {
            words.insert(word, (0, 0));
        }
        for (word, n) in self.shared_counts() {
            words.entry(word).or_default().0 = n;
        }
        for (word, n) in other.shared_counts() {
            words.entry(word).or_default().1 = n;
        }
        words
    }
}
