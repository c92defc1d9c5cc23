//! An example inside a definition (`[[examples]]`): a record and what the team expects of
//! it (a stage, no stage, or a move allowed or refused; optionally also the owner, the
//! qualification, some criteria, the fields with errors and the score). Examples are loaded
//! with the definition as plain data; running them is `Definition::run_examples`.

use chrono::{DateTime, Utc};

use super::StageIndex;
use crate::{Record, Span, Truth};

/// What an example expects of its record.
#[derive(Clone, Debug, PartialEq)]
pub enum ExampleExpectation {
    /// The record is classified in this stage.
    Stage(StageIndex),
    /// No stage matches (`unclassified = true`).
    Unclassified,
    /// A move from one stage to another is allowed, or refused.
    Move {
        /// From this stage.
        from: StageIndex,
        /// To this stage.
        to: StageIndex,
        /// Whether it should be allowed.
        allowed: bool,
    },
}

/// One `[[examples]]` entry of a definition.
#[derive(Clone, Debug)]
pub struct Example {
    pub(crate) name: String,
    pub(crate) span: Span,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) now: Option<DateTime<Utc>>,
    pub(crate) record: Record,
    pub(crate) expect: ExampleExpectation,
    pub(crate) owner: Option<usize>,
    pub(crate) qualified: Option<Truth>,
    pub(crate) criteria: Vec<(usize, Truth)>,
    pub(crate) errors: Option<Vec<(usize, String)>>,
    pub(crate) score: Option<i64>,
}

impl Example {
    /// The example's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The 1-based line of its `name` key.
    pub fn line(&self) -> usize {
        self.line
    }
    /// The 1-based column of its `name` key.
    pub fn column(&self) -> usize {
        self.column
    }
    /// The record it classifies.
    pub fn record(&self) -> &Record {
        &self.record
    }
    /// What it expects.
    pub fn expectation(&self) -> &ExampleExpectation {
        &self.expect
    }
    /// Its own reference time, if it gives one.
    pub fn now(&self) -> Option<DateTime<Utc>> {
        self.now
    }
}
