//! Did-you-mean hints: the closest name to a misspelt one, by a bounded edit distance.

use std::cell::Cell;

/// How many characters of a name [`did_you_mean`] compares: longer names are compared by
/// their first 64 characters, which keeps each comparison small (one 64-bit word a column).
const HINT_CHARS: usize = 64;

/// How much work did-you-mean hints may do, in all, while a definition of `bytes` bytes
/// loads: 16 Mi units, and 8 more per byte of the definition. A unit is a byte of a
/// candidate looked at or a character of it compared; a hint among a few hundred names
/// takes some 10,000.
/// Once the budget is spent, later problems of that load get no hint, so a file with very
/// many misspelt names still loads (and fails) in time proportional to its size.
pub(crate) fn load_hint_work(bytes: usize) -> u64 {
    (16 << 20) + 8 * bytes as u64
}

thread_local! {
    /// The hint work left on this thread, while a definition loads (`None`: unbounded).
    static HINT_BUDGET: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Bounds the work of did-you-mean hints on this thread until dropped (then the previous
/// bound, if any, applies again).
pub(crate) struct HintBudget {
    previous: Option<u64>,
}

impl HintBudget {
    pub(crate) fn start(units: u64) -> HintBudget {
        HintBudget { previous: HINT_BUDGET.replace(Some(units)) }
    }
}

impl Drop for HintBudget {
    fn drop(&mut self) {
        HINT_BUDGET.set(self.previous);
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
///
/// Used for hints such as ``did you mean `owner`?``. The comparison ignores case and counts
/// an insertion, deletion, substitution or swap of neighbours as one edit; a candidate is
/// close enough within one edit per three characters (at least one), or when one name
/// merely extends the other (`maximum` for `max`). Of several, the closest wins, then the
/// first. Names are compared by their first 64 characters.
///
/// Candidates whose length alone rules them out are skipped, and each comparison takes a
/// few operations per character (a bit-parallel edit distance). While a definition loads,
/// all its hints share a budget of work in proportion to its size; once it is spent, this
/// returns `None`.
///
/// `did_you_mean("onwer", ["owner", "name"])` is `Some("owner")`; with `"zzz"`, `None`.
/// Public as [`Definition::similar_stage`](crate::Definition::similar_stage) and
/// [`Definition::similar_field`](crate::Definition::similar_field).
pub(crate) fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let budget = HINT_BUDGET.get();
    let mut left = budget.unwrap_or(u64::MAX);
    let mut word_folded = Folded::default();
    let word_chars = word_folded.fold(word);
    let mut candidate_folded = Folded::default();
    let pattern = Pattern::new(&word_folded.chars);
    let mut best: Option<(usize, &'a str)> = None;
    let mut spent = 0u64;
    let mut exhausted = false;
    for candidate in candidates {
        if best.is_some_and(|(d, _)| d == 0) {
            // Nothing can beat an exact match, and the first one found wins.
            break;
        }
        if spent >= left {
            exhausted = true;
            break;
        }
        let candidate_chars = candidate_folded.fold(candidate);
        spent += 1 + candidate_folded.bytes_read as u64;
        let allowed = (candidate_chars.max(word_chars) / 3).max(1);
        let bound = best.map_or(allowed, |(d, _)| allowed.min(d - 1));
        let (w, c) = (&word_folded, &candidate_folded);
        let shorter = w.text.len().min(c.text.len());
        // A word that merely extends or shortens a candidate (`maximum` for `max`) is a
        // likely slip too.
        let distance = if shorter >= 3 && (w.text.starts_with(&c.text) || c.text.starts_with(&w.text)) {
            Some(usize::from(w.chars != c.chars))
        } else if w.chars.len().abs_diff(c.chars.len()) > bound {
            // The lengths alone differ by more edits than allowed.
            None
        } else {
            spent += c.chars.len() as u64;
            Some(pattern.distance(&c.chars))
        };
        if let Some(distance) = distance.filter(|&d| d <= bound) {
            best = Some((distance, candidate));
        }
    }
    crate::work::add(spent);
    if budget.is_some() {
        left = left.saturating_sub(spent);
        HINT_BUDGET.set(Some(if exhausted { 0 } else { left }));
    }
    if exhausted {
        return None;
    }
    best.map(|(_, c)| c)
}

/// The hint text for [`did_you_mean`]: ``did you mean `x`?``.
pub(crate) fn hint_for<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The first [`HINT_CHARS`] characters of a name, lowercased, as text and as characters,
/// in buffers reused from one name to the next.
#[derive(Default)]
struct Folded {
    text: String,
    chars: Vec<char>,
    /// How many bytes of the name were read.
    bytes_read: usize,
}

impl Folded {
    /// Folds `name`; returns how many characters of it are compared.
    fn fold(&mut self, name: &str) -> usize {
        let end = name.char_indices().nth(HINT_CHARS).map_or(name.len(), |(i, _)| i);
        let head = &name[..end];
        self.bytes_read = end;
        self.text.clear();
        if head.is_ascii() {
            self.text.push_str(head);
            self.text.make_ascii_lowercase();
        } else {
            self.text.push_str(&head.to_lowercase());
        }
        self.chars.clear();
        self.chars.extend(self.text.chars().take(HINT_CHARS));
        head.chars().count()
    }
}

/// A word of at most 64 characters as bit masks, for the bit-parallel edit distance: for
/// each character, the positions of the word that hold it.
struct Pattern {
    len: usize,
    ascii: [u64; 128],
    other: Vec<(char, u64)>,
}

impl Pattern {
    fn new(chars: &[char]) -> Pattern {
        let mut pattern = Pattern { len: chars.len().min(64), ascii: [0; 128], other: Vec::new() };
        for (i, &c) in chars.iter().take(64).enumerate() {
            let bit = 1u64 << i;
            if c.is_ascii() {
                pattern.ascii[c as usize] |= bit;
            } else {
                match pattern.other.iter_mut().find(|(o, _)| *o == c) {
                    Some((_, mask)) => *mask |= bit,
                    None => pattern.other.push((c, bit)),
                }
            }
        }
        pattern
    }

    fn mask(&self, c: char) -> u64 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.other.iter().find(|(o, _)| *o == c).map_or(0, |(_, mask)| *mask)
        }
    }

    /// The edit distance between the word and `text`: Levenshtein, with a swap of
    /// neighbours counted as one edit (optimal string alignment). Each character of `text`
    /// takes a few operations on 64-bit words, whatever the lengths: the column of the
    /// distance table is held as bits of differences (Hyyrö's bit-parallel algorithm).
    fn distance(&self, text: &[char]) -> usize {
        if self.len == 0 {
            return text.len();
        }
        let last = 1u64 << (self.len - 1);
        let (mut vp, mut vn, mut d0, mut pm_before) = (u64::MAX, 0u64, 0u64, 0u64);
        let mut distance = self.len;
        for &c in text {
            let pm = self.mask(c);
            let swap = ((!d0 & pm) << 1) & pm_before;
            d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | swap;
            let hp = vn | !(d0 | vp);
            let hn = d0 & vp;
            if hp & last != 0 {
                distance += 1;
            } else if hn & last != 0 {
                distance -= 1;
            }
            let hp = (hp << 1) | 1;
            vp = (hn << 1) | !(d0 | hp);
            vn = d0 & hp;
            pm_before = pm;
        }
        distance
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_find_typos_and_transpositions() {
        assert_eq!(did_you_mean("onwer", ["owner", "name", "id"]), Some("owner"));
        assert_eq!(did_you_mean("budgett", ["budget", "role"]), Some("budget"));
        assert_eq!(did_you_mean("sale", ["marketing", "sales"]), Some("sales"));
        assert_eq!(did_you_mean("zzz", ["owner", "name"]), None);
    }

    /// The edit distance (optimal string alignment) by the full table.
    fn table_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut prev2 = vec![0usize; b.len() + 1];
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        let mut cur = vec![0usize; b.len() + 1];
        for i in 1..=a.len() {
            cur[0] = i;
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    cur[j] = cur[j].min(prev2[j - 2] + 1);
                }
            }
            std::mem::swap(&mut prev2, &mut prev);
            std::mem::swap(&mut prev, &mut cur);
        }
        prev[b.len()]
    }

    /// The search as it was before it was bounded: every candidate compared in full.
    fn unbounded_did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let word_lower = word.to_lowercase();
        let mut best: Option<(usize, &'a str)> = None;
        for &candidate in candidates {
            let candidate_lower = candidate.to_lowercase();
            let mut distance = table_distance(&word_lower, &candidate_lower);
            let shorter = word_lower.len().min(candidate_lower.len());
            if shorter >= 3 && (word_lower.starts_with(&candidate_lower) || candidate_lower.starts_with(&word_lower)) {
                distance = distance.min(1);
            }
            let allowed = (candidate.chars().count().max(word.chars().count()) / 3).max(1);
            if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, candidate));
            }
        }
        best.map(|(_, c)| c)
    }

    proptest::proptest! {
        #[test]
        fn the_bit_parallel_distance_is_the_table_distance(
            word in "[abcAé_]{0,64}",
            text in "[abcAé_]{0,64}",
        ) {
            let (w, t): (Vec<char>, Vec<char>) = (word.chars().collect(), text.chars().collect());
            proptest::prop_assert_eq!(Pattern::new(&w).distance(&t), table_distance(&word, &text));
        }

        #[test]
        fn bounded_search_finds_what_the_full_search_finds(
            word in "[abcAB_é]{0,12}",
            candidates in proptest::collection::vec("[abcAB_é]{0,12}", 0..12),
        ) {
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(
                did_you_mean(&word, candidates.iter().copied()),
                unbounded_did_you_mean(&word, &candidates)
            );
        }
    }

    #[test]
    fn long_names_are_compared_by_their_first_64_characters() {
        let long = format!("{}_tail", "x".repeat(70));
        let typo = format!("{}_tial", "x".repeat(70));
        assert_eq!(did_you_mean(&typo, [long.as_str(), "other"]), Some(long.as_str()));
        let far = "y".repeat(70);
        assert_eq!(did_you_mean(&far, [long.as_str()]), None);
    }

    #[test]
    fn hints_stop_once_the_budget_is_spent() {
        let candidates = ["owner", "name", "id"];
        let before = crate::work::done();
        assert_eq!(did_you_mean("onwer", candidates), Some("owner"));
        let cost = crate::work::done() - before;
        {
            let _budget = HintBudget::start(cost);
            assert_eq!(did_you_mean("onwer", candidates), Some("owner"));
            assert_eq!(did_you_mean("onwer", candidates), None, "spent by the first search");
            assert_eq!(HINT_BUDGET.get(), Some(0));
        }
        assert_eq!(HINT_BUDGET.get(), None);
        assert_eq!(did_you_mean("onwer", candidates), Some("owner"));
    }
}
