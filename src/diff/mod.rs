//! What changed between two versions of a definition, and what the change does to leads.
//!
//! [`Definition::diff`] names every change by what it touches (a stage, a field, a
//! criterion, a transition, a scoring rule, an example, ...), with the old and new value of
//! each key that changed, rules included. An [`Impact`] then classifies records with both
//! versions and counts where they go: the old stage by new stage matrix, how many changed
//! owner or qualification, a few sample records of each move.
//!
//! ```
//! use leadspec::{Definition, Impact, Record};
//!
//! let old = Definition::from_toml(r#"
//!     [definition]
//!     name = "Leads"
//!     [teams]
//!     sales = "Sales"
//!     [fields]
//!     budget = "number"
//!     [[stages]]
//!     id = "lead"
//!     owner = "sales"
//!     when = "budget >= 10_000"
//! "#)?;
//! let new = Definition::from_toml(r#"
//!     [definition]
//!     name = "Leads"
//!     [teams]
//!     sales = "Sales"
//!     [fields]
//!     budget = "number"
//!     [[stages]]
//!     id = "lead"
//!     owner = "sales"
//!     when = "budget >= 5_000"
//! "#)?;
//! let diff = old.diff(&new);
//! assert_eq!(diff.to_string(), "stage `lead` changed:\n  when: `budget >= 10_000` -> `budget >= 5_000`\n");
//!
//! let now = leadspec::parse_reference_time("2026-11-22").unwrap();
//! let mut impact = Impact::new(&old, &new);
//! for (n, budget) in [7_000, 20_000, 1_000].into_iter().enumerate() {
//!     let lead = Record::new().with("budget", budget);
//!     impact.add(n + 1, &old.classify(&lead, now), &new.classify(&lead, now));
//! }
//! assert_eq!((impact.records(), impact.moved()), (3, 1));
//! assert_eq!(impact.count(None, Some("lead")), 1);
//! # Ok::<(), leadspec::LoadError>(())
//! ```

use std::collections::HashMap;
use std::fmt;

use crate::{Definition, Example, ExampleExpectation, Field, Stage};

mod impact;

pub use impact::{Impact, Sample, SAMPLES_PER_MOVE};

/// What a change touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// `[definition]`: name, version, description.
    Definition,
    /// `[input]`: the id column, placeholders, time zone.
    Input,
    /// A team of `[teams]`.
    Team,
    /// A field of `[fields]`.
    Field,
    /// `[qualification]`: the framework's name and how many criteria must be met.
    Qualification,
    /// A criterion of `[qualification.criteria]`.
    Criterion,
    /// `[scoring]`'s clamps.
    Scoring,
    /// One of `[[scoring.rules]]`, by its name, or its position when it has none.
    ScoringRule,
    /// One of `[[stages]]`, by id.
    Stage,
    /// One of `[[transitions]]`, by `from -> to`.
    Transition,
    /// A message of `[messages]`.
    Message,
    /// One of `[[examples]]`, by name.
    Example,
}

impl Part {
    /// The word people use for it: `stage`, `field`, `scoring rule`, ...
    pub fn word(self) -> &'static str {
        match self {
            Part::Definition => "definition",
            Part::Input => "input",
            Part::Team => "team",
            Part::Field => "field",
            Part::Qualification => "qualification",
            Part::Criterion => "criterion",
            Part::Scoring => "scoring",
            Part::ScoringRule => "scoring rule",
            Part::Stage => "stage",
            Part::Transition => "transition",
            Part::Message => "message",
            Part::Example => "example",
        }
    }
}

/// Whether a part was added, removed or changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only the new version has it.
    Added,
    /// Only the old version has it.
    Removed,
    /// Both have it, with different values.
    Changed,
}

/// One key of a part, with its old and new value (`None` where a version lacks it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyChange {
    /// The key, such as `when` or `owner`.
    pub key: String,
    /// The old value, as text (rules as written).
    pub old: Option<String>,
    /// The new value.
    pub new: Option<String>,
}

/// One part added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// What it touches.
    pub part: Part,
    /// Its name: a stage or field id, `from -> to` for a transition, ...
    pub name: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The keys that differ (for an added or removed part, its keys with a value).
    pub keys: Vec<KeyChange>,
}

/// Every change between two versions of a definition, in the order of the file's tables.
/// Made by [`Definition::diff`]; it displays as `leadspec diff` prints it.
///
/// ```
/// use leadspec::{default_definition, Definition, DEFAULT_DEFINITION_TOML};
/// let old = default_definition();
/// assert!(old.diff(&Definition::from_toml(DEFAULT_DEFINITION_TOML)?).is_empty());
///
/// let new = Definition::from_toml(&DEFAULT_DEFINITION_TOML.replace("sla = \"48h\"", "sla = \"36h\""))?;
/// let diff = old.diff(&new);
/// assert_eq!(diff.changes().len(), 1);
/// assert_eq!(diff.to_string(), "stage `qualified_lead` changed:\n  sla: `2d` -> `36h`\n");
/// # Ok::<(), leadspec::LoadError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefinitionDiff {
    changes: Vec<Change>,
}

impl DefinitionDiff {
    /// The changes.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }
    /// Whether the two versions are the same (in everything the diff compares).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

impl fmt::Display for DefinitionDiff {
    /// One paragraph per change: `stage `x` changed:` then `  key: `old` -> `new``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for change in &self.changes {
            let verb = match change.kind {
                ChangeKind::Added => "added",
                ChangeKind::Removed => "removed",
                ChangeKind::Changed => "changed",
            };
            if change.name == change.part.word() {
                // A table of its own, such as `[definition]`: its name says it all.
                writeln!(f, "[{}] {verb}:", change.name)?;
            } else {
                writeln!(f, "{} `{}` {verb}:", change.part.word(), change.name)?;
            }
            for key in &change.keys {
                match (&key.old, &key.new) {
                    (Some(old), Some(new)) => writeln!(f, "  {}: `{old}` -> `{new}`", key.key)?,
                    (None, Some(new)) => writeln!(f, "  {}: `{new}`", key.key)?,
                    (Some(old), None) => writeln!(f, "  {}: `{old}` (removed)", key.key)?,
                    (None, None) => {}
                }
            }
        }
        Ok(())
    }
}

/// The keys of one part as (key, value text) pairs; missing keys left out.
type Keys = Vec<(&'static str, String)>;

fn list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|i| format!("{i:?}")).collect::<Vec<_>>().join(", "))
}

/// A record value as a TOML table writes it: `"text"`, `25000`, `true`, `2026-11-22`, `[..]`.
fn value_text(value: &crate::Value) -> String {
    use crate::Value as V;
    match value {
        V::Null => "null".to_string(),
        V::Text(t) => format!("{t:?}"),
        V::Number(n) => crate::record::format_number(*n),
        V::Bool(b) => b.to_string(),
        V::Date(d) => d.to_string(),
        V::List(items) => format!("[{}]", items.iter().map(value_text).collect::<Vec<_>>().join(", ")),
        V::Nested => "{ ... }".to_string(),
    }
}

/// A length of time in the largest unit that divides it: `2d`, `36h`, `90min`.
fn duration(seconds: i64) -> String {
    for (unit, length) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("min", 60)] {
        if seconds != 0 && seconds % length == 0 {
            return format!("{}{unit}", seconds / length);
        }
    }
    format!("{seconds}s")
}

fn field_keys(field: &Field) -> Keys {
    let f = field.format();
    let mut keys: Keys = vec![("type", field.ty.name().to_string())];
    if field.required {
        keys.push(("required", "true".into()));
    }
    if let Some(label) = &field.label {
        keys.push(("label", label.clone()));
    }
    if !field.values.is_empty() {
        keys.push(("values", list(&field.values)));
    }
    if field.column() != field.id {
        keys.push(("column", field.column().to_string()));
    }
    if !f.missing().is_empty() {
        keys.push(("missing", list(f.missing())));
    }
    if let Some(t) = f.thousands() {
        keys.push(("thousands", t.to_string()));
    }
    if f.decimal() != '.' {
        keys.push(("decimal", f.decimal().to_string()));
    }
    if f.currency() {
        keys.push(("currency", "true".into()));
    }
    if !f.formats().is_empty() {
        let patterns: Vec<String> = f.formats().iter().map(|p| p.pattern().to_string()).collect();
        keys.push(("formats", list(&patterns)));
    }
    if !f.true_words().is_empty() {
        keys.push(("true", list(f.true_words())));
    }
    if !f.false_words().is_empty() {
        keys.push(("false", list(f.false_words())));
    }
    if f.separator() != ';' {
        keys.push(("separator", f.separator().to_string()));
    }
    if let Some(s) = f.default_scheme() {
        keys.push(("default_scheme", s.name().to_string()));
    }
    keys
}

fn stage_keys(d: &Definition, stage: &Stage) -> Keys {
    let mut keys: Keys = vec![
        ("name", stage.name().to_string()),
        ("owner", d.owner_of(stage).map_or_else(String::new, |t| t.id.clone())),
    ];
    if let Some(word) = stage.shared_word() {
        keys.push(("canonical", word.name().to_string()));
    }
    if !stage.aliases().is_empty() {
        keys.push(("aliases", list(stage.aliases())));
    }
    if let Some(description) = stage.description() {
        keys.push(("description", description.to_string()));
    }
    keys.push(("when", stage.rule().text().to_string()));
    if !stage.requires().is_empty() {
        let ids: Vec<String> = stage.requires().iter().filter_map(|&i| d.field_at(i)).map(|f| f.id.clone()).collect();
        keys.push(("requires", list(&ids)));
    }
    if stage.priority() != 0 {
        keys.push(("priority", stage.priority().to_string()));
    }
    if let Some(sla) = stage.sla_seconds() {
        keys.push(("sla", duration(sla)));
    }
    keys
}

fn example_keys(d: &Definition, example: &Example) -> Keys {
    let stage = |i: crate::StageIndex| d.stage_at(i).map_or("?", |s| s.id()).to_string();
    let expectation = match example.expectation() {
        ExampleExpectation::Stage(i) => format!("stage {}", stage(*i)),
        ExampleExpectation::Unclassified => "unclassified".to_string(),
        ExampleExpectation::Move { from, to, allowed } => {
            format!("move {} -> {} {}", stage(*from), stage(*to), if *allowed { "allowed" } else { "refused" })
        }
    };
    let record: Vec<String> = example.record().iter().map(|(k, v)| format!("{k:?} = {}", value_text(v))).collect();
    let mut keys: Keys = vec![("record", format!("{{ {} }}", record.join(", "))), ("expects", expectation)];
    if let Some(now) = example.now() {
        keys.push(("now", crate::format_time(now)));
    }
    keys
}

/// Compares two lists of named parts, in the order of `old` then the new ones.
fn compare(out: &mut Vec<Change>, part: Part, old: Vec<(String, Keys)>, new: Vec<(String, Keys)>) {
    let new_by_name: HashMap<&str, &Keys> = new.iter().map(|(n, k)| (n.as_str(), k)).collect();
    let old_names: std::collections::HashSet<&str> = old.iter().map(|(n, _)| n.as_str()).collect();
    for (name, old_keys) in &old {
        match new_by_name.get(name.as_str()) {
            None => out.push(Change {
                part,
                name: name.clone(),
                kind: ChangeKind::Removed,
                keys: old_keys
                    .iter()
                    .map(|(k, v)| KeyChange { key: (*k).into(), old: Some(v.clone()), new: None })
                    .collect(),
            }),
            Some(new_keys) => {
                let mut keys = Vec::new();
                let all: Vec<&str> = old_keys.iter().chain(new_keys.iter()).map(|(k, _)| *k).collect();
                let mut seen = Vec::new();
                for key in all {
                    if seen.contains(&key) {
                        continue;
                    }
                    seen.push(key);
                    let find = |keys: &Keys| keys.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
                    let (a, b) = (find(old_keys), find(new_keys));
                    if a != b {
                        keys.push(KeyChange { key: key.into(), old: a, new: b });
                    }
                }
                if !keys.is_empty() {
                    out.push(Change { part, name: name.clone(), kind: ChangeKind::Changed, keys });
                }
            }
        }
    }
    for (name, new_keys) in &new {
        if !old_names.contains(name.as_str()) {
            out.push(Change {
                part,
                name: name.clone(),
                kind: ChangeKind::Added,
                keys: new_keys
                    .iter()
                    .map(|(k, v)| KeyChange { key: (*k).into(), old: None, new: Some(v.clone()) })
                    .collect(),
            });
        }
    }
}

/// The parts of one definition, for [`compare`].
fn parts(d: &Definition, part: Part) -> Vec<(String, Keys)> {
    match part {
        Part::Definition => {
            let mut keys: Keys = vec![("name", d.name().to_string())];
            if let Some(v) = d.version() {
                keys.push(("version", v.to_string()));
            }
            if let Some(v) = d.description() {
                keys.push(("description", v.to_string()));
            }
            vec![("definition".into(), keys)]
        }
        Part::Input => {
            let i = d.input();
            let mut keys: Keys = vec![("id", i.id_column().to_string()), ("timezone", i.timezone().to_string())];
            if !i.missing().is_empty() {
                keys.push(("missing", list(i.missing())));
            }
            vec![("input".into(), keys)]
        }
        Part::Team => d.teams().iter().map(|t| (t.id.clone(), vec![("name", t.name.clone())])).collect(),
        Part::Field => d.fields().iter().map(|f| (f.id.clone(), field_keys(f))).collect(),
        Part::Qualification => {
            let q = d.qualification();
            let require = match q.require() {
                crate::Requirement::All => "all".to_string(),
                crate::Requirement::Any => "any".to_string(),
                crate::Requirement::AtLeast(n) => n.to_string(),
            };
            vec![("qualification".into(), vec![("framework", q.framework().to_string()), ("require", require)])]
        }
        Part::Criterion => d
            .qualification()
            .criteria()
            .iter()
            .map(|c| {
                let mut keys: Keys = vec![("when", c.rule().text().to_string())];
                if let Some(ask) = c.ask() {
                    keys.push(("ask", ask.to_string()));
                }
                (c.id().to_string(), keys)
            })
            .collect(),
        Part::Scoring => d
            .scoring()
            .map(|s| {
                let mut keys: Keys = Vec::new();
                if let Some(min) = s.min() {
                    keys.push(("min", min.to_string()));
                }
                if let Some(max) = s.max() {
                    keys.push(("max", max.to_string()));
                }
                vec![("scoring".to_string(), keys)]
            })
            .unwrap_or_default(),
        Part::ScoringRule => d
            .scoring()
            .map(|s| {
                s.rules()
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let name = r.name().map_or_else(|| format!("#{}", i + 1), str::to_string);
                        (name, vec![("when", r.rule().text().to_string()), ("points", r.points().to_string())])
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Part::Stage => d.stages().iter().map(|s| (s.id().to_string(), stage_keys(d, s))).collect(),
        Part::Transition => d
            .transitions()
            .iter()
            .map(|t| {
                let end =
                    |s: Option<crate::StageIndex>| s.and_then(|i| d.stage_at(i)).map_or("*", |s| s.id()).to_string();
                let name = format!("{} -> {}", end(t.from()), end(t.to()));
                let keys = t.guard().map(|g| vec![("when", g.text().to_string())]).unwrap_or_default();
                (name, keys)
            })
            .collect(),
        Part::Message => crate::ValidationRule::ALL
            .iter()
            .map(|&r| (r.name().to_string(), vec![("message", d.messages().get(r).to_string())]))
            .collect(),
        Part::Example => d.examples().iter().map(|e| (e.name().to_string(), example_keys(d, e))).collect(),
    }
}

impl Definition {
    /// Every change from this version of the definition to `new`, named by what it
    /// touches, with the old and new value of each key (rules as written). Stages, fields,
    /// teams and criteria are matched by id, examples by name, transitions by `from -> to`,
    /// scoring rules by name (or position when they have none).
    ///
    /// ```
    /// use leadspec::{default_definition, ChangeKind, Definition, KeyChange, Part, DEFAULT_DEFINITION_TOML};
    /// let old = default_definition();
    /// let new = Definition::from_toml(&DEFAULT_DEFINITION_TOML.replace("budget >= 10_000", "budget >= 20_000"))?;
    /// let diff = old.diff(&new);
    /// let change = &diff.changes()[0];
    /// assert_eq!((change.part, change.name.as_str(), change.kind), (Part::Criterion, "budget", ChangeKind::Changed));
    /// assert_eq!(change.keys, [KeyChange {
    ///     key: "when".into(),
    ///     old: Some("budget >= 10_000".into()),
    ///     new: Some("budget >= 20_000".into()),
    /// }]);
    /// assert_eq!(change.part.word(), "criterion");
    /// # Ok::<(), leadspec::LoadError>(())
    /// ```
    pub fn diff(&self, new: &Definition) -> DefinitionDiff {
        let mut changes = Vec::new();
        for part in [
            Part::Definition,
            Part::Input,
            Part::Team,
            Part::Field,
            Part::Qualification,
            Part::Criterion,
            Part::Scoring,
            Part::ScoringRule,
            Part::Stage,
            Part::Transition,
            Part::Message,
            Part::Example,
        ] {
            compare(&mut changes, part, parts(self, part), parts(new, part));
        }
        DefinitionDiff { changes }
    }
}
