//! [`Impact`]: what a change of definition does to a set of records.

use std::collections::HashMap;

use crate::{Classification, Definition, RecordId};

/// A record that moved, for the samples of an [`Impact`].
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// Its 1-based number in the input.
    pub record: usize,
    /// Its id, if it has one.
    pub id: Option<RecordId>,
    /// Its stage under the old version (`None`: unclassified).
    pub from: Option<String>,
    /// Its stage under the new version.
    pub to: Option<String>,
}

/// What a change of definition does to a set of records: each record classified with the
/// old and the new version.
///
/// ```
/// use leadspec::{default_definition, Definition, Impact, Record, Sample, DEFAULT_DEFINITION_TOML};
/// let old = default_definition();
/// let new = Definition::from_toml(&DEFAULT_DEFINITION_TOML.replace("budget >= 10_000", "budget >= 20_000"))?;
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let leads = [
///     Record::new().with("email", "ann@example.com"),
///     Record::new()
///         .with("id", "L-2")
///         .with("email", "bo@example.com")
///         .with("interest", "demo")
///         .with("budget", 15_000)
///         .with("role", "decision_maker")
///         .with("need", "reporting")
///         .with("purchase_by", "2026-12-15"),
/// ];
/// let mut impact = Impact::new(old, &new);
/// for (n, lead) in leads.iter().enumerate() {
///     impact.add(n + 1, &old.classify(lead, now), &new.classify(lead, now));
/// }
/// // A budget of 15,000 no longer qualifies: the lead goes back to marketing's nurture.
/// assert_eq!((impact.records(), impact.moved(), impact.owner_changes(), impact.qualified_changes()), (2, 1, 1, 1));
/// assert_eq!(impact.count(Some("qualified_lead"), Some("nurture")), 1);
/// assert_eq!(impact.matrix(), [
///     (Some("contact"), Some("contact"), 1),
///     (Some("qualified_lead"), Some("nurture"), 1),
/// ]);
/// let Sample { record, id, from, to } = &impact.samples()[0];
/// assert_eq!((*record, id.as_ref().map(|i| i.to_string())), (2, Some("L-2".to_string())));
/// assert_eq!((from.as_deref(), to.as_deref()), (Some("qualified_lead"), Some("nurture")));
/// # Ok::<(), leadspec::LoadError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Impact<'d> {
    old: &'d Definition,
    new: &'d Definition,
    records: usize,
    moved: usize,
    owner_changes: usize,
    qualified_changes: usize,
    /// (old stage + 1, new stage + 1), 0 for unclassified, to its count.
    matrix: HashMap<(usize, usize), usize>,
    samples: Vec<Sample>,
    /// The pair (as in `matrix`) of each sample.
    sample_pairs: Vec<(usize, usize)>,
    /// Samples taken per moved pair.
    sampled: HashMap<(usize, usize), usize>,
}

/// The most sample records kept for each pair of old and new stage.
pub const SAMPLES_PER_MOVE: usize = 3;

impl<'d> Impact<'d> {
    /// Nothing counted yet, for a change from `old` to `new`.
    pub fn new(old: &'d Definition, new: &'d Definition) -> Self {
        Impact {
            old,
            new,
            records: 0,
            moved: 0,
            owner_changes: 0,
            qualified_changes: 0,
            matrix: HashMap::new(),
            samples: Vec::new(),
            sample_pairs: Vec::new(),
            sampled: HashMap::new(),
        }
    }

    /// Counts record number `record`, classified `before` by the old version and `after` by
    /// the new one.
    pub fn add(&mut self, record: usize, before: &Classification<'_>, after: &Classification<'_>) {
        self.records += 1;
        let (from, to) =
            (before.stage_index().map_or(0, |i| i.position() + 1), after.stage_index().map_or(0, |i| i.position() + 1));
        *self.matrix.entry((from, to)).or_insert(0) += 1;
        let (from_id, to_id) = (before.stage().map(|s| s.id().to_string()), after.stage().map(|s| s.id().to_string()));
        if from_id != to_id {
            self.moved += 1;
            let taken = self.sampled.entry((from, to)).or_insert(0);
            if *taken < SAMPLES_PER_MOVE {
                *taken += 1;
                self.samples.push(Sample { record, id: after.id().cloned(), from: from_id, to: to_id });
                self.sample_pairs.push((from, to));
            }
        }
        if before.owner().map(|t| &t.id) != after.owner().map(|t| &t.id) {
            self.owner_changes += 1;
        }
        if before.qualified() != after.qualified() {
            self.qualified_changes += 1;
        }
    }

    /// Adds the counts and samples of `later`, an impact of the same two definitions over
    /// the records that follow this one's: the result is the impact of all the records, in
    /// that order, as if this impact had counted `later`'s records itself (the samples of a
    /// move are still its first [`SAMPLES_PER_MOVE`] records). Impacts counted on several
    /// threads, each over a run of consecutive records, are put together this way in input
    /// order. Nothing is added from an impact of other definitions.
    ///
    /// ```
    /// use leadspec::{Definition, Impact, Record};
    /// let version = |least: &str| Definition::from_toml(&format!(r#"
    ///     [definition]
    ///     name = "Leads"
    ///     [teams]
    ///     sales = "Sales"
    ///     [fields]
    ///     budget = "number"
    ///     [[stages]]
    ///     id = "lead"
    ///     owner = "sales"
    ///     when = "budget >= {least}"
    /// "#));
    /// let (old, new) = (version("10_000")?, version("20_000")?);
    /// let leads: Vec<Record> = (0..8).map(|n| Record::new().with("id", n).with("budget", 15_000)).collect();
    /// let mut whole = Impact::new(&old, &new);
    /// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
    /// let (mut first, mut rest) = (whole.clone(), whole.clone());
    /// for (n, lead) in leads.iter().enumerate() {
    ///     let (before, after) = (old.classify(lead, now), new.classify(lead, now));
    ///     whole.add(n + 1, &before, &after);
    ///     if n < 2 { &mut first } else { &mut rest }.add(n + 1, &before, &after);
    /// }
    /// first.merge(&rest);
    /// assert_eq!((first.records(), first.moved()), (8, 8));
    /// assert_eq!(first.samples(), whole.samples());
    /// assert_eq!(first.samples().iter().map(|s| s.record).collect::<Vec<_>>(), [1, 2, 3]);
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn merge(&mut self, later: &Impact<'_>) {
        if !std::ptr::eq(self.old, later.old) || !std::ptr::eq(self.new, later.new) {
            return;
        }
        self.records += later.records;
        self.moved += later.moved;
        self.owner_changes += later.owner_changes;
        self.qualified_changes += later.qualified_changes;
        for (pair, n) in &later.matrix {
            *self.matrix.entry(*pair).or_insert(0) += n;
        }
        for (sample, pair) in later.samples.iter().zip(&later.sample_pairs) {
            let taken = self.sampled.entry(*pair).or_insert(0);
            if *taken < SAMPLES_PER_MOVE {
                *taken += 1;
                self.samples.push(sample.clone());
                self.sample_pairs.push(*pair);
            }
        }
    }

    /// Records counted.
    pub fn records(&self) -> usize {
        self.records
    }
    /// Records whose stage changed.
    pub fn moved(&self) -> usize {
        self.moved
    }
    /// Records whose owner changed.
    pub fn owner_changes(&self) -> usize {
        self.owner_changes
    }
    /// Records whose qualification state changed.
    pub fn qualified_changes(&self) -> usize {
        self.qualified_changes
    }
    /// Up to [`SAMPLES_PER_MOVE`] records of each pair of old and new stage that differ, in
    /// input order.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }
    /// How many records went from old stage `from` to new stage `to` (ids; `None`:
    /// unclassified).
    pub fn count(&self, from: Option<&str>, to: Option<&str>) -> usize {
        let index = |d: &Definition, id: Option<&str>| match id {
            None => Some(0),
            Some(id) => d.stage_index(id).map(|i| i.position() + 1),
        };
        match (index(self.old, from), index(self.new, to)) {
            (Some(a), Some(b)) => self.matrix.get(&(a, b)).copied().unwrap_or(0),
            _ => 0,
        }
    }
    /// Every non-zero cell of the matrix: old stage id, new stage id (`None`:
    /// unclassified), count; the old version's stages in funnel order, unclassified last,
    /// and likewise the new ones within each.
    pub fn matrix(&self) -> Vec<(Option<&'d str>, Option<&'d str>, usize)> {
        let order = |i: usize, stages: usize| if i == 0 { stages + 1 } else { i };
        let mut cells: Vec<(&(usize, usize), &usize)> = self.matrix.iter().collect();
        let (a, b) = (self.old.stages().len(), self.new.stages().len());
        cells.sort_by_key(|((from, to), _)| (order(*from, a), order(*to, b)));
        let id = |d: &'d Definition, i: usize| if i == 0 { None } else { d.stages().get(i - 1).map(|s| s.id()) };
        cells.into_iter().map(|((from, to), n)| (id(self.old, *from), id(self.new, *to), *n)).collect()
    }
}
