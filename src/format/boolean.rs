//! Reading yes/no values: the built-in words, then a field's own `true` and `false` words.

use super::{eq_ignore_case, FieldFormat};
use crate::number_text::parse_bool;

/// Reads a boolean: the built-in words (`yes`/`no`/`true`/`false`/`1`/`0`, any case), then
/// the field's own `true` and `false` words, compared ignoring case.
pub(crate) fn read_bool(text: &str, format: &FieldFormat) -> Option<bool> {
    if let Some(b) = parse_bool(text) {
        return Some(b);
    }
    if format.true_words.iter().any(|w| eq_ignore_case(w.trim(), text)) {
        return Some(true);
    }
    if format.false_words.iter().any(|w| eq_ignore_case(w.trim(), text)) {
        return Some(false);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_add_words_to_the_built_in_ones() {
        let f = FieldFormat {
            true_words: vec!["Y".into(), "Sí".into()],
            false_words: vec!["N".into()],
            ..FieldFormat::default()
        };
        assert_eq!(read_bool("y", &f), Some(true));
        assert_eq!(read_bool("SÍ", &f), Some(true));
        assert_eq!(read_bool("n", &f), Some(false));
        assert_eq!(read_bool("yes", &f), Some(true));
        assert_eq!(read_bool("maybe", &f), None);
    }
}
