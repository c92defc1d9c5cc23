//! The serialized form of results, and the history lines they are read from (feature
//! `serde`).
//!
//! Every result serializes with serde, so a service writes exactly the JSON `leadspec`
//! prints: keys in the order shown here, names (stage, team, criterion and field ids) as the
//! definition spells them, times in RFC 3339 in UTC with a `Z`. Results that hold only
//! indices into a definition ([`Stay`], [`Breach`], [`Waterfall`], [`Move`]) serialize with
//! the definition that names them: [`Definition::named`] pairs them. In the shapes below,
//! `N` stands for a number and `..` for a value said in the text or the item's documentation.
//!
//! | value | JSON |
//! | --- | --- |
//! | [`Classification`] | `{"id":..,"stage":..,"owner":..,"qualified":..,"criteria":{..},"ask":[..],"errors":{..}}`, plus `"score":N` with `[scoring]` |
//! | [`Classification::with_record`]`(n)` | the same with `"record":N` first: a line of `leadspec classify` |
//! | [`Explanation`] | `{"classification":{..},"now":..,"stages":[..],"criteria":[..],"scoring":[..],"rejected":[..]}` |
//! | a [`Breach`], [`named`](Definition::named) | `{"id":..,"stage":..,"owner":..,"entered":..,"left":..,"limit_seconds":N,"spent_seconds":N}`: a line of `leadspec sla` |
//! | a [`Stay`], [`named`](Definition::named) | `{"id":..,"stage":..,"owner":..,"entered":..,"left":..,"spent_seconds":N}` |
//! | [`SlaSummary`] | `{"stages":{"<stage>":{"stays":N,"breaches":N,"open_breaches":N},..},"owners":{"<team>":{..},..}}`: `leadspec sla --summary` |
//! | a [`Waterfall`], [`named`](Definition::named) | `{"leads":N,"unreadable":N,"steps":[{"stage":..,"shared":..,"reached":N,"converted":N},..]}`: `leadspec waterfall` |
//! | [`Funnel`] | `{"total":N,"unclassified":N,"unreadable":N,"stages":{..},"owners":{..},"errors":{..}}`, plus `"by":{..}` when grouped: `leadspec funnel --json` |
//! | [`Funnel::side_by_side`]`(&other)` | the same, plus `"shared":{..}` and `"other":{..}`: `leadspec funnel --json --compare` |
//! | a [`Move`], [`named`](Definition::named) | `{"allowed":true,"handoff":..,"transition":..}` or `{"allowed":false,"refusal":..,"reason":..,..}` |
//! | [`StageChange`] | `{"id":..,"stage":..,"at":..}`: a history line, read and written |
//!
//! In a classification, `qualified` and each criterion are `"met"`, `"not_met"` or
//! `"unknown"`; `id` is the record's id (a string, or a number: an integer when it is a
//! whole number below 2^53), or null; `stage` and `owner` are null when no stage matched;
//! `ask` holds the questions of the unknown criteria, `errors` maps field id to message,
//! both in the definition's order.
//!
//! ```
//! use leadspec::{default_definition, parse_reference_time, Record};
//! let d = default_definition();
//! let now = parse_reference_time("2026-11-22").unwrap();
//! let lead = Record::new().with("id", "L-1").with("email", "ann@example.com");
//! let result = d.classify(&lead, now);
//! let line = serde_json::to_string(&result.with_record(1))?;
//! assert!(line.starts_with(r#"{"record":1,"id":"L-1","stage":"contact","owner":"marketing","qualified":"unknown","#));
//! let without = serde_json::to_string(&result)?;
//! assert_eq!(line, format!(r#"{{"record":1,{}"#, &without[1..]));
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! # Explanations and moves
//!
//! These have no command-line JSON; their shapes are fixed here and kept stable.
//!
//! An explanation holds the classification (as above, without `record`), the reference time
//! `now`, and what decided it: `stages`, the stages tried in classification order up to the
//! one that matched, each `{"stage":..,"when":..,"truth":..,"findings":[..]}`; `criteria`,
//! each `{"criterion":..,"when":..,"truth":..,"findings":[..]}`; `scoring`, each rule
//! `{"name":..,"when":..,"points":N,"truth":..,"findings":[..]}` (empty without
//! `[scoring]`); and `rejected`, each value a field rejected,
//! `{"field":..,"value":..,"expected":..}`. A finding is `{"text":..,"truth":..,"detail":..}`:
//! a condition as written, its value, and the values it read. `truth` is `"true"`,
//! `"false"` or `"unknown"` (the value of the rule, where a classification says `met` of a
//! criterion). A rejected `value` is the record's value as given: text, number, boolean,
//! a date as `"YYYY-MM-DD"`, a list, `{}` for a nested object (its content is not kept), or
//! null when the record gave none.
//!
//! An allowed move is `{"allowed":true,"handoff":{"from":"<team>","to":"<team>"},
//! "transition":N}`: `handoff` null when the owner stays the same, `transition` the
//! position (from 0) in `[[transitions]]` of the transition that allowed it, null when
//! none was needed. A refused move is `{"allowed":false,"refusal":"no_transition",
//! "reason":..,"from":..,"to":..,"allowed_targets":[..]}` or `{"allowed":false,
//! "refusal":"guard","reason":..,"from":..,"to":..,"guards":[{"when":..,"truth":..,
//! "findings":[..]},..]}`; `reason` is what `leadspec move` prints after `refused: `. A
//! [`Refusal`] alone serializes as the same object without `allowed`.
//!
//! # History lines
//!
//! A [`StageChange`] deserializes from `{"id":"L1","stage":"mql","at":"<RFC 3339>"}` as
//! `leadspec sla` reads a line (see [`StageChange`]'s `Deserialize` for the rules), and
//! serializes back to it.

mod funnel;
mod history;
mod results;

use serde::ser::{Serialize, Serializer};

#[cfg(doc)]
use crate::{Breach, Explanation, Move, Refusal, SlaSummary, StageChange, Stay, Waterfall};
use crate::{Classification, Definition, Funnel, Truth};

/// A classification with the 1-based number of its record in the input: it serializes as
/// the line `leadspec classify` writes, `{"record":N,"id":..,...}`. Made by
/// [`Classification::with_record`].
#[derive(Clone, Copy, Debug)]
pub struct Numbered<'a> {
    record: usize,
    classification: &'a Classification<'a>,
}

impl Classification<'_> {
    /// This classification with the 1-based number of its record in the input, to
    /// serialize as a line of `leadspec classify` (feature `serde`).
    ///
    /// ```
    /// use leadspec::{default_definition, parse_reference_time, Record};
    /// let d = default_definition();
    /// let result = d.classify(&Record::new(), parse_reference_time("2026-11-22").unwrap());
    /// let line = serde_json::to_string(&result.with_record(3))?;
    /// assert!(line.starts_with(r#"{"record":3,"id":null,"stage":null,"owner":null,"#));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn with_record(&self, record: usize) -> Numbered<'_> {
        Numbered { record, classification: self }
    }
}

/// A result that holds stage or team indices, with the definition that names them; it
/// serializes with ids in place of indices. Made by [`Definition::named`], for a
/// [`Stay`], a [`Breach`], a [`Waterfall`]
/// or a [`Move`].
///
/// An index the definition does not have (a result of another definition) is a
/// serialization error, never a panic.
#[derive(Debug)]
pub struct Named<'a, T> {
    definition: &'a Definition,
    value: &'a T,
}

impl<T> Clone for Named<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Named<'_, T> {}

impl<'a, T> Named<'a, T> {
    /// The definition that names the value.
    pub fn definition(&self) -> &'a Definition {
        self.definition
    }

    /// The value.
    pub fn value(&self) -> &'a T {
        self.value
    }
}

impl Definition {
    /// `value` (a [`Stay`], [`Breach`],
    /// [`Waterfall`] or [`Move`] of this definition) with
    /// this definition, to serialize it with stage and team ids (feature `serde`).
    ///
    /// ```
    /// use leadspec::{default_definition, parse_reference_time, StageChange};
    /// let d = default_definition(); // inquiry: 2 days
    /// let at = |t: &str| parse_reference_time(t).unwrap();
    /// let change = |stage: &str, t: &str| StageChange { lead: "L1".into(), stage: stage.into(), at: at(t) };
    /// let replay = d.replay([change("inquiry", "2026-11-01"), change("SQL", "2026-11-10")], at("2026-11-22"));
    /// let lines: Vec<String> =
    ///     replay.breaches(d).iter().map(|b| serde_json::to_string(&d.named(b))).collect::<Result<_, _>>()?;
    /// assert_eq!(lines, [
    ///     r#"{"id":"L1","stage":"inquiry","owner":"marketing","entered":"2026-11-01T00:00:00Z","left":"2026-11-10T00:00:00Z","limit_seconds":172800,"spent_seconds":777600}"#,
    ///     r#"{"id":"L1","stage":"qualified_lead","owner":"sales","entered":"2026-11-10T00:00:00Z","left":null,"limit_seconds":172800,"spent_seconds":1036800}"#,
    /// ]);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn named<'a, T>(&'a self, value: &'a T) -> Named<'a, T> {
        Named { definition: self, value }
    }
}

/// A funnel beside another funnel of the same records under another definition: it
/// serializes as `leadspec funnel --json --compare` prints it. Made by
/// [`Funnel::side_by_side`].
#[derive(Clone, Copy, Debug)]
pub struct SideBySide<'a> {
    funnel: &'a Funnel<'a>,
    other: &'a Funnel<'a>,
}

impl Funnel<'_> {
    /// This funnel beside `other`, a funnel of the same records under another definition,
    /// to serialize both: this funnel's object, plus `"shared":{"<shared word>":[N_this,
    /// N_other],..}` for every shared word either definition uses, and
    /// `"other":{"name":..,"unclassified":N}` (feature `serde`).
    ///
    /// ```
    /// use leadspec::{default_definition, Definition, Funnel};
    /// let d = default_definition();
    /// let other = Definition::from_toml(r#"
    ///     [definition]
    ///     name = "Other"
    ///     [teams]
    ///     s = "Sales"
    ///     [[stages]]
    ///     id = "lead"
    ///     owner = "s"
    ///     canonical = "inquiry"
    ///     when = "true"
    /// "#)?;
    /// let (mut mine, mut theirs) = (Funnel::new(d), Funnel::new(&other));
    /// mine.add_stage(d.stage_index("inquiry"));
    /// theirs.add_stage(other.stage_index("lead"));
    /// let json = serde_json::to_value(mine.side_by_side(&theirs)).unwrap();
    /// assert_eq!(json["shared"]["inquiry"], serde_json::json!([1, 1]));
    /// assert_eq!(json["other"], serde_json::json!({"name": "Other", "unclassified": 0}));
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn side_by_side<'a>(&'a self, other: &'a Funnel<'_>) -> SideBySide<'a> {
        SideBySide { funnel: self, other }
    }
}

/// A map serialized from a fresh iterator each time, keys in the iterator's order.
struct Map<F>(F);

impl<F, I, K, V> Serialize for Map<F>
where
    F: Fn() -> I,
    I: Iterator<Item = (K, V)>,
    K: Serialize,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map((self.0)())
    }
}

/// A sequence serialized from a fresh iterator each time.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// A rule's value as a word: `true`, `false` or `unknown`.
fn truth_word(truth: Truth) -> &'static str {
    match truth {
        Truth::True => "true",
        Truth::False => "false",
        Truth::Unknown => "unknown",
    }
}
