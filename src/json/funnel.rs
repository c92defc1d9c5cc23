//! Funnels, alone or side by side with another definition's.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{Map, Seq, SideBySide};
use crate::{Funnel, FunnelGroup};

/// Writes a funnel's entries: its counts, its errors, and its groups when grouped.
fn funnel<M: SerializeMap>(map: &mut M, funnel: &Funnel<'_>) -> Result<(), M::Error> {
    let definition = funnel.definition();
    map.serialize_entry("total", &funnel.total())?;
    map.serialize_entry("unclassified", &funnel.unclassified())?;
    map.serialize_entry("unreadable", &funnel.unreadable())?;
    let stages = || definition.stages().iter().map(|s| s.id()).zip(funnel.stage_counts());
    map.serialize_entry("stages", &Map(stages))?;
    let owners = || definition.teams().iter().map(|t| t.id.as_str()).zip(funnel.owner_counts());
    map.serialize_entry("owners", &Map(owners))?;
    let errors =
        || definition.fields().iter().map(|f| f.id.as_str()).zip(funnel.error_counts()).filter(|&(_, &n)| n > 0);
    map.serialize_entry("errors", &Map(errors))?;
    if let Some(field) = funnel.grouped_field() {
        let by = By { funnel, field: definition.field_at(field).map(|f| f.id.as_str()), groups: funnel.groups() };
        map.serialize_entry("by", &by)?;
    }
    Ok(())
}

/// `{"total":N,"unclassified":N,"unreadable":N,"stages":{"<stage>":N,..},
/// "owners":{"<team>":N,..},"errors":{"<field>":N,..}}`, plus, when grouped by a field,
/// `"by":{"field":..,"groups":[{"value":..,"total":N,"unclassified":N,"stages":{..}},..]}`:
/// what `leadspec funnel --json` prints. Every stage and team is listed, zeros included;
/// `errors` lists the fields with any error, in field order; the groups come as
/// [`Funnel::groups`] orders them.
impl Serialize for Funnel<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        funnel(&mut map, self)?;
        map.end()
    }
}

/// The funnel, then `"shared":{"<shared word>":[N_this, N_other],..}` and
/// `"other":{"name":..,"unclassified":N}`: what `leadspec funnel --json --compare` prints.
impl Serialize for SideBySide<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        funnel(&mut map, self.funnel)?;
        let shared = self.funnel.compare(self.other);
        map.serialize_entry("shared", &Map(|| shared.iter().map(|(word, &(a, b))| (word.name(), [a, b]))))?;
        let other = Other { name: self.other.definition().name(), unclassified: self.other.unclassified() };
        map.serialize_entry("other", &other)?;
        map.end()
    }
}

/// The groups of a grouped funnel.
struct By<'a> {
    funnel: &'a Funnel<'a>,
    field: Option<&'a str>,
    groups: Vec<FunnelGroup>,
}

impl Serialize for By<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let stages = self.funnel.definition().stages();
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("field", &self.field)?;
        map.serialize_entry("groups", &Seq(|| self.groups.iter().map(|group| Group { group, stages })))?;
        map.end()
    }
}

/// One group, its stages named.
struct Group<'a> {
    group: &'a FunnelGroup,
    stages: &'a [crate::Stage],
}

impl Serialize for Group<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let g = self.group;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("value", &g.value)?;
        map.serialize_entry("total", &g.total)?;
        map.serialize_entry("unclassified", &g.unclassified)?;
        map.serialize_entry("stages", &Map(|| self.stages.iter().map(|s| s.id()).zip(&g.stages)))?;
        map.end()
    }
}

/// The other definition of a comparison.
struct Other<'a> {
    name: &'a str,
    unclassified: usize,
}

impl Serialize for Other<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("name", self.name)?;
        map.serialize_entry("unclassified", &self.unclassified)?;
        map.end()
    }
}
