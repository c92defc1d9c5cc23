//! Stays, breaches and their summary, the waterfall, moves, and history lines.

use serde::de::{Deserialize, Deserializer};
use serde::ser::{self, Serialize, SerializeMap, Serializer};

use super::{truth_word, Map, Named, Seq};
use crate::definition::{Stage, StageIndex, TeamIndex};
use crate::history::line::deserialize_line;
use crate::{Breach, Definition, Move, Refusal, SlaCounts, SlaSummary, StageChange, Stay, Team, Waterfall};

/// The stage at `index`, or an error saying it is a stage of another definition.
fn stage<E: ser::Error>(definition: &Definition, index: StageIndex) -> Result<&Stage, E> {
    definition.stage_at(index).ok_or_else(|| {
        E::custom(format_args!("stage index {} is not a stage of `{}`", index.position(), definition.name()))
    })
}

/// The stage at `index` and its owner, or an error naming the index the definition lacks.
fn stage_and_owner<E: ser::Error>(definition: &Definition, index: StageIndex) -> Result<(&Stage, &Team), E> {
    let stage = stage(definition, index)?;
    Ok((stage, team(definition, stage.owner())?))
}

/// The team at `index`, or an error saying it is a team of another definition.
fn team<E: ser::Error>(definition: &Definition, index: TeamIndex) -> Result<&Team, E> {
    definition.team_at(index).ok_or_else(|| {
        E::custom(format_args!("team index {} is not a team of `{}`", index.position(), definition.name()))
    })
}

/// Writes a stay's entries, with `limit_seconds` before `spent_seconds` for a breach.
fn stay<M: SerializeMap>(
    map: &mut M,
    definition: &Definition,
    stay: &Stay,
    limit: Option<i64>,
) -> Result<(), M::Error> {
    let (stage, owner) = stage_and_owner(definition, stay.stage)?;
    map.serialize_entry("id", &stay.lead)?;
    map.serialize_entry("stage", stage.id())?;
    map.serialize_entry("owner", &owner.id)?;
    map.serialize_entry("entered", &crate::format_time(stay.entered))?;
    map.serialize_entry("left", &stay.left.map(crate::format_time))?;
    if let Some(limit) = limit {
        map.serialize_entry("limit_seconds", &limit)?;
    }
    map.serialize_entry("spent_seconds", &stay.spent_seconds)
}

/// `{"id":..,"stage":..,"owner":..,"entered":..,"left":..,"spent_seconds":N}`.
impl Serialize for Named<'_, Stay> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(6))?;
        stay(&mut map, self.definition, self.value, None)?;
        map.end()
    }
}

/// `{"id":..,"stage":..,"owner":..,"entered":..,"left":..,"limit_seconds":N,
/// "spent_seconds":N}`: a line of `leadspec sla`.
impl Serialize for Named<'_, Breach> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(7))?;
        stay(&mut map, self.definition, &self.value.stay, Some(self.value.limit_seconds))?;
        map.end()
    }
}

/// `{"stays":N,"breaches":N,"open_breaches":N}`.
impl Serialize for SlaCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("stays", &self.stays)?;
        map.serialize_entry("breaches", &self.breaches)?;
        map.serialize_entry("open_breaches", &self.open_breaches)?;
        map.end()
    }
}

/// `{"stages":{"<stage>":{..},..},"owners":{"<team>":{..},..}}`: the stages with an `sla`
/// in declared order, the teams owning one in `[teams]` order; `leadspec sla --summary`.
impl Serialize for SlaSummary<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let definition = self.definition();
        let mut map = serializer.serialize_map(Some(2))?;
        let stages =
            || self.stages().iter().map(|&(i, counts)| (definition.stage_at(i).map_or("", |s| s.id()), counts));
        map.serialize_entry("stages", &Map(stages))?;
        let owners =
            || self.owners().iter().map(|&(t, counts)| (definition.team_at(t).map_or("", |t| t.id.as_str()), counts));
        map.serialize_entry("owners", &Map(owners))?;
        map.end()
    }
}

/// `{"leads":N,"unreadable":N,"steps":[{"stage":..,"shared":..,"reached":N,"converted":N},..]}`:
/// what `leadspec waterfall` prints.
impl Serialize for Named<'_, Waterfall> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let steps = self
            .value
            .steps
            .iter()
            .map(|s| {
                let stage = stage::<S::Error>(self.definition, s.stage)?.id();
                Ok(Step { stage, shared: s.shared.name(), reached: s.reached, converted: s.converted })
            })
            .collect::<Result<Vec<Step<'_>>, S::Error>>()?;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("leads", &self.value.leads)?;
        map.serialize_entry("unreadable", &self.value.unreadable)?;
        map.serialize_entry("steps", &steps)?;
        map.end()
    }
}

/// One step of the waterfall, named.
struct Step<'a> {
    stage: &'a str,
    shared: &'static str,
    reached: usize,
    converted: usize,
}

impl Serialize for Step<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("stage", self.stage)?;
        map.serialize_entry("shared", self.shared)?;
        map.serialize_entry("reached", &self.reached)?;
        map.serialize_entry("converted", &self.converted)?;
        map.end()
    }
}

/// Writes a refusal's entries.
fn refusal<M: SerializeMap>(map: &mut M, refusal: &Refusal) -> Result<(), M::Error> {
    match refusal {
        Refusal::NoTransition { from, to, allowed_targets } => {
            map.serialize_entry("refusal", "no_transition")?;
            map.serialize_entry("reason", &refusal.to_string())?;
            map.serialize_entry("from", from)?;
            map.serialize_entry("to", to)?;
            map.serialize_entry("allowed_targets", allowed_targets)
        }
        Refusal::Guard { from, to, guards } => {
            map.serialize_entry("refusal", "guard")?;
            map.serialize_entry("reason", &refusal.to_string())?;
            map.serialize_entry("from", from)?;
            map.serialize_entry("to", to)?;
            map.serialize_entry(
                "guards",
                &Seq(|| guards.iter().map(|(when, truth, findings)| Guard { when, truth: *truth, findings })),
            )
        }
        Refusal::ForeignStage => {
            map.serialize_entry("refusal", "foreign_stage")?;
            map.serialize_entry("reason", &refusal.to_string())
        }
        Refusal::ForeignRecord => {
            map.serialize_entry("refusal", "foreign_record")?;
            map.serialize_entry("reason", &refusal.to_string())
        }
    }
}

/// One guard of a refused move.
struct Guard<'a> {
    when: &'a str,
    truth: crate::Truth,
    findings: &'a [crate::rule::Finding],
}

impl Serialize for Guard<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("when", self.when)?;
        map.serialize_entry("truth", truth_word(self.truth))?;
        map.serialize_entry("findings", self.findings)?;
        map.end()
    }
}

/// `{"refusal":"no_transition","reason":..,"from":..,"to":..,"allowed_targets":[..]}` or
/// `{"refusal":"guard","reason":..,"from":..,"to":..,"guards":[..]}`.
impl Serialize for Refusal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(5))?;
        refusal(&mut map, self)?;
        map.end()
    }
}

/// `{"allowed":true,"handoff":{"from":..,"to":..},"transition":N}` (`handoff` and
/// `transition` may be null) or `{"allowed":false,"refusal":..,..}`.
impl Serialize for Named<'_, Move> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Move::Allowed { handoff, transition } => {
                let handoff = match *handoff {
                    Some((from, to)) => Some(Handoff {
                        from: &team::<S::Error>(self.definition, from)?.id,
                        to: &team::<S::Error>(self.definition, to)?.id,
                    }),
                    None => None,
                };
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("allowed", &true)?;
                map.serialize_entry("handoff", &handoff)?;
                map.serialize_entry("transition", transition)?;
                map.end()
            }
            Move::Refused(why) => {
                let mut map = serializer.serialize_map(Some(6))?;
                map.serialize_entry("allowed", &false)?;
                refusal(&mut map, why)?;
                map.end()
            }
        }
    }
}

/// The teams of a handoff.
struct Handoff<'a> {
    from: &'a str,
    to: &'a str,
}

impl Serialize for Handoff<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("from", self.from)?;
        map.serialize_entry("to", self.to)?;
        map.end()
    }
}

/// `{"id":..,"stage":..,"at":..}`, `at` in RFC 3339 in UTC with a `Z`: a history line.
impl Serialize for StageChange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("id", &self.lead)?;
        map.serialize_entry("stage", &self.stage)?;
        map.serialize_entry("at", &crate::format_time(self.at))?;
        map.end()
    }
}

/// A history line, `{"id":"L1","stage":"mql","at":"<RFC 3339>"}`, read as `leadspec sla`
/// reads it, from a self-describing format (JSON, TOML, ...).
///
/// `id` is a string (not blank), or a number, taken as its JSON text (`7`, `1.5`). `stage`
/// is a non-empty string, kept as written: whether it names a stage is for the definition
/// to say when the history is replayed. `at` is an RFC 3339 date-time or a `YYYY-MM-DD` day
/// (00:00 UTC). Other keys are ignored; of a key given twice, the last counts. Each problem
/// is an error with `leadspec sla`'s message: `not a JSON object`, `missing key `id``,
/// `` `id` is empty``, `` `id` is not a string or a number``, `missing key `stage``,
/// `` `stage` is not a string``, `` `stage` is empty``, `missing key `at``, `` `at` is not a
/// string``, `` `at` is empty`` or `` `at` is not an RFC 3339 date-time: `TEXT` ``.
///
/// ```
/// use leadspec::{format_time, StageChange};
/// let change: StageChange = serde_json::from_str(r#"{"id":7,"stage":"SQL","at":"2026-11-01T10:00:00+01:00"}"#)?;
/// assert_eq!((change.lead.as_str(), change.stage.as_str()), ("7", "SQL"));
/// assert_eq!(format_time(change.at), "2026-11-01T09:00:00Z");
/// assert_eq!(serde_json::to_string(&change)?, r#"{"id":"7","stage":"SQL","at":"2026-11-01T09:00:00Z"}"#);
///
/// let error = serde_json::from_str::<StageChange>(r#"{"id":"L1","stage":"won","at":"soon"}"#).unwrap_err();
/// assert_eq!(error.to_string(), "`at` is not an RFC 3339 date-time: `soon` at line 1 column 37");
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> Deserialize<'de> for StageChange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StageChange, D::Error> {
        deserialize_line(deserializer, |mut fields| {
            let lead = fields.lead()?.into_owned();
            let stage = fields.stage()?.into_owned();
            Ok(StageChange { lead, stage, at: fields.at()? })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{default_definition, parse_reference_time};

    fn read(line: &str) -> Result<(String, String, String), String> {
        serde_json::from_str::<StageChange>(line).map(|c| (c.lead, c.stage, crate::format_time(c.at))).map_err(|e| {
            let message = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            message.strip_suffix(&suffix).unwrap_or(&message).to_string()
        })
    }

    #[test]
    fn history_lines_read_as_the_command_line_reads_them() {
        let ok = |lead: &str, stage: &str, at: &str| Ok((lead.to_string(), stage.to_string(), at.to_string()));
        assert_eq!(
            read(r#"{"x":[1,{"y":2}],"id":"L\"1","stage":"SQL","at":"2026-11-01","more":null}"#),
            ok("L\"1", "SQL", "2026-11-01T00:00:00Z")
        );
        assert_eq!(
            read(r#"{"id":7,"stage":"won","at":"2026-11-01T10:00:00.5+01:00"}"#),
            ok("7", "won", "2026-11-01T09:00:00.500Z")
        );
        assert_eq!(read(r#"{"id":-7,"stage":"won","at":"2026-11-01"}"#).unwrap().0, "-7");
        assert_eq!(read(r#"{"id":1.5,"stage":"won","at":"2026-11-01"}"#).unwrap().0, "1.5");
        assert_eq!(read(r#"{"id":1.0,"stage":"won","at":"2026-11-01"}"#).unwrap().0, "1.0");
        assert_eq!(read(r#"{"id":1e20,"stage":"won","at":"2026-11-01"}"#).unwrap().0, "1e+20");
        assert_eq!(read(r#"{"id":"A","id":"B","stage":"won","at":"2026-11-01"}"#).unwrap().0, "B");
        // A stage word is kept as written; only replaying says whether it names a stage.
        assert_eq!(read(r#"{"id":"A","stage":"qualifed_lead","at":"2026-11-01"}"#).unwrap().1, "qualifed_lead");
    }

    #[test]
    fn an_unreadable_line_says_why_where() {
        // Every message is `history::line`'s (tested there); serde_json adds the place.
        let error = serde_json::from_str::<StageChange>(r#"{"id":"A","stage":"won","at":"soon"}"#).unwrap_err();
        assert_eq!(error.to_string(), "`at` is not an RFC 3339 date-time: `soon` at line 1 column 36");
        assert_eq!(read(r#"["A","won"]"#).unwrap_err(), "not a JSON object");
    }

    #[test]
    fn a_change_reads_back_what_it_writes() {
        let change = StageChange {
            lead: "L 1".into(),
            stage: "Qualified lead".into(),
            at: parse_reference_time("2026-11-01T09:30:00.25Z").unwrap(),
        };
        let text = serde_json::to_string(&change).unwrap();
        assert_eq!(text, r#"{"id":"L 1","stage":"Qualified lead","at":"2026-11-01T09:30:00.250Z"}"#);
        assert_eq!(serde_json::from_str::<StageChange>(&text).unwrap(), change);
        // From TOML too.
        let toml: StageChange = toml::from_str("id = 7\nstage = \"won\"\nat = \"2026-11-01\"\n").unwrap();
        assert_eq!(toml.lead, "7");
    }

    #[test]
    fn a_result_of_another_definition_is_an_error_not_a_panic() {
        let d = default_definition();
        let small = crate::Definition::from_toml(
            "[definition]\nname = \"Small\"\n[teams]\ns = \"S\"\n[[stages]]\nid = \"a\"\nowner = \"s\"\nwhen = \"true\"\n",
        )
        .unwrap();
        let at = parse_reference_time("2026-11-01").unwrap();
        let stay = Stay {
            lead: "L".into(),
            stage: d.stage_index("customer").unwrap(),
            entered: at,
            left: None,
            spent_seconds: 0,
        };
        assert!(serde_json::to_string(&d.named(&stay)).is_ok());
        let error = serde_json::to_string(&small.named(&stay)).unwrap_err();
        assert!(error.to_string().ends_with("is not a stage of `Small`"), "{error}");
        let (sales, marketing) = (d.stages()[0].owner(), d.stages()[6].owner());
        let handoff = Move::Allowed { handoff: Some((sales, marketing)), transition: None };
        let error = serde_json::to_string(&small.named(&handoff)).unwrap_err().to_string();
        assert!(error.ends_with("is not a team of `Small`"), "{error}");
        let waterfall = d.waterfall([]);
        assert!(serde_json::to_string(&small.named(&waterfall)).is_err());
    }

    #[test]
    fn moves_say_whether_and_why() {
        let d = default_definition();
        let now = parse_reference_time("2026-11-22").unwrap();
        let stage = |id: &str| d.stage_index(id).unwrap();
        let lead = crate::Record::new();
        let json = |m: &Move| serde_json::to_value(d.named(m)).unwrap();
        let same = d.check_move(stage("contact"), stage("contact"), &lead, now);
        assert_eq!(json(&same), serde_json::json!({"allowed": true, "handoff": null, "transition": null}));
        let refused = d.check_move(stage("contact"), stage("customer"), &lead, now);
        let Move::Refused(why) = &refused else { panic!("{refused:?}") };
        let value = json(&refused);
        assert_eq!(value["allowed"], false);
        assert_eq!(value["reason"], why.to_string());
        let mut alone = serde_json::to_value(why).unwrap();
        alone.as_object_mut().unwrap().insert("allowed".into(), false.into());
        assert_eq!(alone, value);
    }
}
