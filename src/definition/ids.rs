//! Stage and team indices: a stage or a team of one definition, by its position.
//!
//! A [`StageIndex`] or a [`TeamIndex`] is a position plus the stamp of the definition that
//! made it (see `crate::stamp`). Only a definition makes them, and only that definition (or
//! a clone of it, which shares its stamp) accepts them back: another definition's
//! `stage_at` or `team_at` returns `None`, and the methods that take an index say what they
//! do with a foreign one. So an index can never pick a stage of the wrong definition, and
//! none of them panics.

use super::Stamp;

/// A stage of one definition, by its position in [`Definition::stages`] (declaration
/// order).
///
/// Only a definition makes them (`stage_index`, `find_stage`, `stage_of`, ...), and each
/// remembers which definition made it: given to another definition, it names no stage
/// there (the methods that take one say what they do then), so an index can never pick a
/// stage of the wrong definition, and none of them panics.
///
/// ```
/// let d = leadspec::default_definition();
/// let inquiry = d.stage_index("inquiry").unwrap();
/// assert_eq!(d.stage_at(inquiry).map(|s| s.id()), Some("inquiry"));
/// assert_eq!(inquiry.position(), 1);
/// let other = leadspec::Definition::from_toml(leadspec::DEFAULT_DEFINITION_TOML).unwrap();
/// assert!(other.stage_at(inquiry).is_none(), "an index of another definition names no stage here");
/// ```
///
/// [`Definition::stages`]: crate::Definition::stages
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StageIndex {
    position: u32,
    pub(super) stamp: Stamp,
}

impl StageIndex {
    pub(crate) fn new(position: usize, stamp: Stamp) -> StageIndex {
        StageIndex { position: u32::try_from(position).unwrap_or(u32::MAX), stamp }
    }
    /// The stage's position in [`Definition::stages`] of the definition that made it.
    ///
    /// [`Definition::stages`]: crate::Definition::stages
    pub fn position(self) -> usize {
        self.position as usize
    }
}

/// A team of one definition, by its position in [`Definition::teams`]; like a
/// [`StageIndex`], it names no team of another definition.
///
/// ```
/// let d = leadspec::default_definition();
/// let contact = d.stage("contact").unwrap();
/// assert_eq!(d.team_at(contact.owner()).map(|t| t.id.as_str()), Some("marketing"));
/// ```
///
/// [`Definition::teams`]: crate::Definition::teams
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TeamIndex {
    position: u32,
    pub(super) stamp: Stamp,
}

impl TeamIndex {
    pub(crate) fn new(position: usize, stamp: Stamp) -> TeamIndex {
        TeamIndex { position: u32::try_from(position).unwrap_or(u32::MAX), stamp }
    }
    /// The team's position in [`Definition::teams`] of the definition that made it.
    ///
    /// [`Definition::teams`]: crate::Definition::teams
    pub fn position(self) -> usize {
        self.position as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_is_its_position_and_its_stamp() {
        let (a, b) = (Stamp::new(), Stamp::new());
        assert_eq!(StageIndex::new(3, a).position(), 3);
        assert_eq!(TeamIndex::new(3, a).position(), 3);
        assert_eq!(StageIndex::new(3, a), StageIndex::new(3, a));
        assert_ne!(StageIndex::new(3, a), StageIndex::new(3, b), "same position, another definition");
        assert_ne!(TeamIndex::new(3, a), TeamIndex::new(3, b));
    }

    #[cfg(target_pointer_width = "64")]
    #[test]
    fn a_position_past_u32_saturates_instead_of_wrapping() {
        let far = u32::MAX as usize + 5;
        assert_eq!(StageIndex::new(far, Stamp::NONE).position(), u32::MAX as usize);
        assert_eq!(TeamIndex::new(far, Stamp::NONE).position(), u32::MAX as usize);
    }
}
