//! [`StageWords`]: stage words of a history resolved to stages, the first thousand distinct
//! words remembered.

use std::collections::HashMap;

use crate::definition::StageIndex;
use crate::Definition;

/// Resolves stage words as [`Definition::find_stage`] does (an id, an alias or a display
/// name, in any case), remembering the answers for the first thousand distinct words, so
/// that a history written with aliases costs one lookup a change.
///
/// ```
/// use leadspec::StageWords;
/// let d = leadspec::default_definition();
/// let mut words = StageWords::new(d);
/// assert_eq!(words.find("SQL"), d.stage_index("qualified_lead")); // an alias, in any case
/// assert_eq!(words.find("Qualified lead"), d.stage_index("qualified_lead")); // the display name
/// assert_eq!(words.find("mql"), None);
/// ```
#[derive(Clone, Debug)]
pub struct StageWords<'d> {
    definition: &'d Definition,
    known: HashMap<Box<str>, Option<StageIndex>>,
}

impl<'d> StageWords<'d> {
    /// How many distinct words are remembered at most.
    const REMEMBERED: usize = 1024;

    /// Stage words of `definition`.
    pub fn new(definition: &'d Definition) -> Self {
        StageWords { definition, known: HashMap::new() }
    }

    /// The definition whose stages are named.
    pub fn definition(&self) -> &'d Definition {
        self.definition
    }

    /// The stage `word` names, if any.
    pub fn find(&mut self, word: &str) -> Option<StageIndex> {
        if let Some(&stage) = self.known.get(word) {
            return stage;
        }
        let stage = self.definition.find_stage(word);
        if self.known.len() < Self::REMEMBERED {
            self.known.insert(word.into(), stage);
        }
        stage
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_definition;

    fn stage(word: &str) -> StageIndex {
        default_definition().find_stage(word).unwrap()
    }

    #[test]
    fn stage_words_are_remembered_up_to_a_bound() {
        let d = default_definition();
        let mut words = StageWords::new(d);
        assert_eq!(words.find("SQL"), Some(stage("qualified_lead")));
        assert_eq!(words.find("SQL"), Some(stage("qualified_lead")));
        assert_eq!(words.find("mql"), None);
        for i in 0..2 * StageWords::REMEMBERED {
            assert_eq!(words.find(&format!("w{i}")), None);
        }
        assert_eq!(words.known.len(), StageWords::REMEMBERED);
        assert_eq!(words.find("Won"), Some(stage("customer")));
    }
}
