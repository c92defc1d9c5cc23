//! The texts that mean "no value" (`missing`, in `[input]` or on a field), folded once
//! when the definition loads and compared with every cell, most often ruled out by length
//! and first byte before any text is compared.

use std::collections::HashSet;

/// Texts that mean "no value" (`Select`, `N/A`, `-`), compared trimmed and ignoring case.
///
/// Most cells are not placeholders, and most differ from every placeholder in length, so
/// the lengths of the ASCII placeholders are kept as a bit set that rules out a cell
/// before any text is compared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Placeholders {
    /// As written.
    pub(crate) words: Vec<String>,
    /// Lowercase forms, for lookup.
    folded: HashSet<Box<str>>,
    /// The same forms in a list, when there are few: comparing them is faster than hashing.
    few: Vec<Box<str>>,
    /// Bit `n` is set when an ASCII placeholder is `n` bytes long (`n` < 64).
    ascii_lengths: u64,
    /// Bit `b` is set when an ASCII placeholder starts with the byte `b` (lower case).
    ascii_firsts: u128,
    /// Whether any placeholder is not ASCII or is 64 bytes or longer.
    other_lengths: bool,
    /// Whether any placeholder holds a `k`, which the Kelvin sign lowercases to.
    has_k: bool,
    /// The longest lowercase form, in bytes: longer text is never a placeholder.
    longest: usize,
}

impl Placeholders {
    pub(crate) fn new(words: Vec<String>) -> Self {
        let folded: HashSet<Box<str>> = words.iter().map(|w| w.trim().to_lowercase().into_boxed_str()).collect();
        let longest = folded.iter().map(|w| w.len()).max().unwrap_or(0);
        let (mut ascii_lengths, mut ascii_firsts, mut other_lengths) = (0u64, 0u128, false);
        for w in &folded {
            if w.is_ascii() && w.len() < 64 && !w.is_empty() {
                ascii_lengths |= 1 << w.len();
                ascii_firsts |= 1 << w.as_bytes()[0];
            } else {
                other_lengths = true;
            }
        }
        let few = if folded.len() <= 8 { folded.iter().cloned().collect() } else { Vec::new() };
        let has_k = folded.iter().any(|w| w.contains('k'));
        Placeholders { words, folded, few, ascii_lengths, ascii_firsts, other_lengths, has_k, longest }
    }

    /// Whether `trimmed` (already trimmed) is one of the placeholders, ignoring case.
    #[inline]
    pub(crate) fn contains(&self, trimmed: &str) -> bool {
        if self.longest == 0 {
            return false;
        }
        let len = trimmed.len();
        if !self.other_lengths {
            // Every placeholder is short ASCII: an ASCII cell of another length, or starting
            // with another byte, is none of them. So is any other cell, as no character
            // outside ASCII lowercases into ASCII but the Kelvin sign (into `k`), which is
            // looked for when a placeholder holds a `k`.
            let first = trimmed.as_bytes().first().map_or(0, u8::to_ascii_lowercase);
            let ruled_out = len >= 64
                || self.ascii_lengths & (1 << len) == 0
                || self.ascii_firsts & (1u128 << (first & 0x7f)) == 0
                || first >= 0x80;
            if ruled_out && (!self.has_k || !trimmed.contains('\u{212a}')) {
                return false;
            }
        }
        self.compare(trimmed)
    }

    fn compare(&self, trimmed: &str) -> bool {
        // Lowercasing shrinks text by at most a factor of three (`K`, the Kelvin sign, is
        // three bytes; `k` one), so longer text cannot match and is not folded at all.
        if self.folded.is_empty() || trimmed.len() > self.longest.saturating_mul(3) {
            return false;
        }
        if trimmed.is_ascii() {
            if self.folded.len() <= 8 {
                return self.few.iter().any(|w| w.len() == trimmed.len() && w.eq_ignore_ascii_case(trimmed));
            }
            if trimmed.len() <= 64 {
                let mut buf = [0u8; 64];
                let lower = &mut buf[..trimmed.len()];
                lower.copy_from_slice(trimmed.as_bytes());
                lower.make_ascii_lowercase();
                return std::str::from_utf8(lower).is_ok_and(|l| self.folded.contains(l));
            }
        }
        self.folded.contains(trimmed.to_lowercase().as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_compare_trimmed_text_ignoring_case() {
        let p = Placeholders::new(vec!["Select".into(), "N/A".into(), "-".into(), "KEINE".into()]);
        assert!(p.contains("select"));
        assert!(p.contains("n/a"));
        assert!(p.contains("-"));
        assert!(p.contains("keine"));
        assert!(!p.contains("selected"));
        assert!(!p.contains("--"));
        let unicode = Placeholders::new(vec!["ÉTÉ".into()]);
        assert!(unicode.contains("été"));
        // The Kelvin sign lowercases to `k`.
        let k = Placeholders::new(vec!["kein".into(), "N/A".into()]);
        assert!(k.contains("\u{212a}EIN"));
        assert!(k.contains("KEIN"));
        assert!(!k.contains("KEINE"));
        assert!(!Placeholders::default().contains("x"));
    }
}
