//! The words of the rule language and what may name a field: the keywords and built-in
//! names a rule reads (reserved: no field may take one as its id), whether a text can be a
//! field id, and the id a column's text suggests.
//!
//! This is a base module: the rule language takes its keywords from here, and the reading
//! keys (`format`) and the definition loader check field ids here, so none of them depends
//! on another for it.

/// Words that are operators or literals, never names. The rule parser refuses each of them
/// where a value is expected.
pub(crate) const KEYWORDS: [&str; 13] = [
    "and",
    "or",
    "not",
    "in",
    "is",
    "present",
    "missing",
    "contains",
    "starts_with",
    "ends_with",
    "matches",
    "true",
    "false",
];

/// The names the language defines itself, besides its keywords.
pub(crate) const BUILT_IN_NAMES: [&str; 5] = ["today", "now", "qualified", "score", "criteria"];

/// Whether `word` belongs to the rule language (a keyword or a built-in name), so that a
/// field with that id could not be named in a rule.
pub(crate) fn is_reserved_word(word: &str) -> bool {
    KEYWORDS.contains(&word) || BUILT_IN_NAMES.contains(&word)
}

/// The field id a column's text suggests: lower case, each run of other characters one
/// `_` (trimmed at the ends), `_` before a leading digit, `_field` after a word of the
/// rule language.
///
/// ```
/// use leadspec::proposed_field_id;
/// assert_eq!(proposed_field_id("Lead Source"), "lead_source");
/// assert_eq!(proposed_field_id("Amount (USD)"), "amount_usd");
/// assert_eq!(proposed_field_id("2nd Email"), "_2nd_email");
/// assert_eq!(proposed_field_id("today"), "today_field");
/// ```
pub fn proposed_field_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
            in_run = false;
        } else if !in_run {
            id.push('_');
            in_run = true;
        }
    }
    let mut id = id.trim_matches('_').to_string();
    if id.is_empty() {
        id.push_str("field");
    }
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert(0, '_');
    }
    if is_reserved_word(&id) {
        id.push_str("_field");
    }
    id
}

/// Whether `id` can name a field in rules: ASCII letters, digits and `_`, not starting
/// with a digit, and not a word of the rule language.
pub(crate) fn is_field_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with(|c: char| c.is_ascii_digit())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_reserved_word(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_and_their_proposals() {
        assert!(is_field_id("lead_source"));
        assert!(is_field_id("LeadSource"));
        assert!(is_field_id("_x1"));
        assert!(!is_field_id("Lead Source"));
        assert!(!is_field_id("1st"));
        assert!(!is_field_id("país"));
        assert!(!is_field_id("score"));
        assert!(!is_field_id(""));
        assert_eq!(proposed_field_id("Lead Source"), "lead_source");
        assert_eq!(proposed_field_id("  E-mail Address "), "e_mail_address");
        assert_eq!(proposed_field_id("How did you hear about X Education"), "how_did_you_hear_about_x_education");
        assert_eq!(proposed_field_id("País"), "pa_s");
        assert_eq!(proposed_field_id("% complete"), "complete");
        assert_eq!(proposed_field_id("1"), "_1");
        assert_eq!(proposed_field_id("Score!"), "score_field");
        assert_eq!(proposed_field_id("!!!"), "field");
    }

    #[test]
    fn every_word_of_the_language_is_reserved() {
        for word in KEYWORDS.into_iter().chain(BUILT_IN_NAMES) {
            assert!(is_reserved_word(word), "{word}");
            assert!(!is_field_id(word), "{word}");
            assert_eq!(proposed_field_id(word), format!("{word}_field"));
        }
        assert!(!is_reserved_word("budget"));
        assert!(!is_reserved_word("AND"), "the language is case-sensitive");
    }
}
