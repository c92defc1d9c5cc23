//! Funnels: how many leads sit in each stage, with each owner, under each shared word,
//! and translation of stages between two definitions.

use std::collections::BTreeMap;

use crate::definition::StageIndex;
use crate::{Classification, Definition, SharedWord};

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
    /// assert_eq!(a.translate(deal, &b).map(|i| b.stages()[i].id()), Some("interested"));
    /// ```
    pub fn translate(&self, stage: StageIndex, other: &Definition) -> Option<StageIndex> {
        let word = self.stages.get(stage)?.canonical?;
        let find = |w: SharedWord| other.stages.iter().position(|s| s.canonical == Some(w));
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
    /// assert_eq!(d.find_stage("mql"), Some(0));
    /// assert_eq!(d.find_stage("Marketing_Qualified"), Some(0));
    /// assert_eq!(d.find_stage("marketing-qualified lead"), Some(0));
    /// assert_eq!(d.find_stage("sql"), None);
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn find_stage(&self, word: &str) -> Option<StageIndex> {
        if let Some(i) = self.stage_index(word) {
            return Some(i);
        }
        let folded = word.to_lowercase();
        let same = |w: &str| w == word || w.to_lowercase() == folded;
        self.stages
            .iter()
            .position(|s| same(&s.id) || s.aliases.iter().any(|a| same(a)))
            .or_else(|| self.stages.iter().position(|s| same(&s.name)))
    }
}

/// Counts of classified leads per stage, per owner and per shared word.
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
#[derive(Clone, Debug)]
pub struct Funnel<'d> {
    definition: &'d Definition,
    stages: Vec<usize>,
    owners: Vec<usize>,
    unclassified: usize,
    unreadable: usize,
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
        }
    }

    /// Counts one classified lead (made by this funnel's definition).
    pub fn add(&mut self, classification: &Classification<'_>) {
        self.add_stage(classification.stage_index());
    }

    /// Counts one lead by its stage (`None`: unclassified).
    pub fn add_stage(&mut self, stage: Option<StageIndex>) {
        match stage {
            Some(i) => {
                self.stages[i] += 1;
                self.owners[self.definition.stages[i].owner] += 1;
            }
            None => self.unclassified += 1,
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
    /// Leads in stage `stage`.
    pub fn stage_count(&self, stage: StageIndex) -> usize {
        self.stages[stage]
    }
    /// Leads per stage, by stage index.
    pub fn stage_counts(&self) -> &[usize] {
        &self.stages
    }
    /// Leads per owning team, by team index.
    pub fn owner_counts(&self) -> &[usize] {
        &self.owners
    }
    /// Leads per shared word (stages without `canonical` are not counted here).
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
