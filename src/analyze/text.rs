//! Text constraints: a string that satisfies a conjunction of text tests and their
//! negations, found by a breadth-first search of the product of their DFAs.
//!
//! Each test is written as a regex that matches a *whole* string exactly when the test
//! holds for it (`contains 'x'` is `(?s:.*)(?i:x)(?s:.*)`), compiled into a dense DFA
//! (anchored at the start, every match kind, `\z` at the end). A state of the product is
//! one state of each DFA; a string is accepted when each DFA that must match is in a
//! matching state at the end of the input and each that must not, is not. Bytes that every
//! DFA treats alike are tried once, by one representative, so the search reads few edges.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use regex_automata::dfa::{dense, Automaton, StartKind};
use regex_automata::util::primitives::StateID;
use regex_automata::util::{start, syntax};
use regex_automata::{Anchored, MatchKind};

/// A compiled text test: its DFA and the start state of an anchored search.
struct Language {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
}

impl Language {
    fn new(pattern: &str, dfa_bytes: usize) -> Option<Language> {
        let whole = format!("(?:{pattern})\\z");
        let dfa = dense::Builder::new()
            .configure(
                dense::DFA::config()
                    .match_kind(MatchKind::All)
                    .start_kind(StartKind::Anchored)
                    .dfa_size_limit(Some(dfa_bytes))
                    .determinize_size_limit(Some(dfa_bytes)),
            )
            .syntax(syntax::Config::new().unicode(true).utf8(true))
            .build(&whole)
            .ok()?;
        let start = dfa.start_state(&start::Config::new().anchored(Anchored::Yes)).ok()?;
        Some(Language { dfa, start })
    }

    /// Whether the whole of `text` is in the language.
    fn accepts(&self, text: &str) -> bool {
        let mut state = self.start;
        for &b in text.as_bytes() {
            state = self.dfa.next_state(state, b);
        }
        self.accepts_at(state)
    }

    fn accepts_at(&self, state: StateID) -> bool {
        self.dfa.is_match_state(self.dfa.next_eoi_state(state))
    }
}

/// What a search for a string found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Solved {
    /// A string that satisfies every constraint.
    Found(String),
    /// No string does.
    Impossible,
    /// The search could not tell: a pattern the DFA builder refuses, or too many states.
    Undecided,
}

/// Compiles text tests once and searches their products; the languages are cached by
/// pattern, the answers by the constraints asked.
pub(crate) struct TextSolver {
    languages: HashMap<String, Option<Rc<Language>>>,
    answers: HashMap<Vec<(String, bool)>, Solved>,
    /// Most product states one search may visit.
    max_states: usize,
    /// Most bytes one DFA may take.
    dfa_bytes: usize,
    /// Product states all searches together may still visit.
    work_left: usize,
    /// Strings of every valid UTF-8 text, so that the search finds text.
    utf8: Option<Rc<Language>>,
}

/// The order in which bytes are preferred as representatives: readable ones first.
fn preference(b: u8) -> u16 {
    match b {
        b'a'..=b'z' => u16::from(b - b'a'),
        b'0'..=b'9' => 30 + u16::from(b - b'0'),
        b'A'..=b'Z' => 40 + u16::from(b - b'A'),
        b'.' | b'-' | b'_' | b'@' | b'/' => 70 + u16::from(b % 16),
        0x21..=0x7e => 100 + u16::from(b),
        b' ' => 300,
        0x80..=0xff => 400 + u16::from(b),
        _ => 700 + u16::from(b),
    }
}

impl TextSolver {
    /// A solver that visits at most `max_states` product states per search, and a hundred
    /// times as many in all.
    pub(crate) fn new(max_states: usize) -> TextSolver {
        let dfa_bytes = 4 << 20;
        let utf8 = Language::new("(?s:.)*", dfa_bytes).map(Rc::new);
        let work_left = max_states.saturating_mul(100);
        TextSolver { languages: HashMap::new(), answers: HashMap::new(), max_states, dfa_bytes, work_left, utf8 }
    }

    fn language(&mut self, pattern: &str) -> Option<Rc<Language>> {
        let bytes = self.dfa_bytes;
        self.languages.entry(pattern.to_string()).or_insert_with(|| Language::new(pattern, bytes).map(Rc::new)).clone()
    }

    /// A string whose whole matches each pattern paired with `true` and none paired with
    /// `false`; `preferred` is tried first (a readable default such as `x`).
    pub(crate) fn solve(&mut self, constraints: &[(String, bool)], preferred: &[&str]) -> Solved {
        let mut key = constraints.to_vec();
        key.sort();
        key.dedup();
        let preferred_key = (preferred.join("\u{0}"), false);
        key.push(preferred_key.clone());
        if let Some(answer) = self.answers.get(&key) {
            return answer.clone();
        }
        let answer = self.search(&key[..key.len() - 1], preferred);
        self.answers.insert(key, answer.clone());
        answer
    }

    fn search(&mut self, constraints: &[(String, bool)], preferred: &[&str]) -> Solved {
        let Some(utf8) = self.utf8.clone() else { return Solved::Undecided };
        let mut parts: Vec<(Rc<Language>, bool)> = vec![(utf8, true)];
        for (pattern, want) in constraints {
            match self.language(pattern) {
                Some(language) => parts.push((language, *want)),
                None => return Solved::Undecided,
            }
        }
        for candidate in preferred {
            if parts.iter().all(|(l, want)| l.accepts(candidate) == *want) {
                return Solved::Found((*candidate).to_string());
            }
        }
        let limit = self.max_states.min(self.work_left);
        let (solved, visited) = product_search(&parts, limit);
        self.work_left = self.work_left.saturating_sub(visited);
        solved
    }
}

/// Breadth-first search of the product of `parts` for the shortest accepted string, and
/// how many product states it visited.
fn product_search(parts: &[(Rc<Language>, bool)], max_states: usize) -> (Solved, usize) {
    // One representative byte for each class of bytes that every DFA treats alike.
    let mut groups: HashMap<Vec<u8>, u8> = HashMap::new();
    for b in 0..=255u8 {
        let signature: Vec<u8> = parts.iter().map(|(l, _)| l.dfa.byte_classes().get(b)).collect();
        match groups.entry(signature) {
            Entry::Vacant(v) => {
                v.insert(b);
            }
            Entry::Occupied(mut o) => {
                if preference(b) < preference(*o.get()) {
                    o.insert(b);
                }
            }
        }
    }
    let mut alphabet: Vec<u8> = groups.into_values().collect();
    alphabet.sort_by_key(|&b| preference(b));

    let start: Vec<StateID> = parts.iter().map(|(l, _)| l.start).collect();
    // Each node: its product state, its parent node and the byte that led to it.
    let mut nodes: Vec<(Vec<StateID>, usize, u8)> = vec![(start.clone(), usize::MAX, 0)];
    let mut seen: HashSet<Vec<StateID>> = HashSet::new();
    seen.insert(start);
    let mut queue = VecDeque::from([0usize]);
    while let Some(at) = queue.pop_front() {
        let states = nodes[at].0.clone();
        if parts.iter().zip(&states).all(|((l, want), &s)| l.accepts_at(s) == *want) {
            return (spell(&nodes, at), nodes.len());
        }
        for &b in &alphabet {
            let next: Vec<StateID> = parts.iter().zip(&states).map(|((l, _), &s)| l.dfa.next_state(s, b)).collect();
            // A DFA that must match and can no longer: nothing down this edge.
            if parts.iter().zip(&next).any(|((l, want), &s)| *want && l.dfa.is_dead_state(s)) {
                continue;
            }
            if seen.contains(&next) {
                continue;
            }
            if nodes.len() >= max_states {
                return (Solved::Undecided, nodes.len());
            }
            seen.insert(next.clone());
            nodes.push((next, at, b));
            queue.push_back(nodes.len() - 1);
        }
    }
    (Solved::Impossible, nodes.len())
}

/// The string that leads from the start to node `at`.
fn spell(nodes: &[(Vec<StateID>, usize, u8)], mut at: usize) -> Solved {
    let mut bytes = Vec::new();
    while at != 0 {
        bytes.push(nodes[at].2);
        at = nodes[at].1;
    }
    bytes.reverse();
    String::from_utf8(bytes).map_or(Solved::Undecided, Solved::Found)
}

/// The whole-string pattern of `contains`, `starts_with` or `ends_with` with a literal,
/// ignoring case as those tests do.
pub(crate) fn folded_pattern(test: crate::rule::TextTest, literal: &str) -> String {
    use crate::rule::TextTest;
    let literal = regex::escape(literal);
    match test {
        TextTest::Contains => format!("(?s:.*)(?i:{literal})(?s:.*)"),
        TextTest::StartsWith => format!("(?i:{literal})(?s:.*)"),
        TextTest::EndsWith => format!("(?s:.*)(?i:{literal})"),
    }
}

/// The whole-string pattern of `== literal` (exact, case-sensitive).
pub(crate) fn equal_pattern(literal: &str) -> String {
    regex::escape(literal)
}

/// The whole-string pattern of `matches pattern` (an unanchored search).
pub(crate) fn search_pattern(pattern: &str) -> String {
    format!("(?s:.*)(?:{pattern})(?s:.*)")
}

/// Text as a record holds it: not blank, no white space at either end.
pub(crate) const TRIMMED: &str = r"[^\s](?s:.*[^\s])?";

/// Every valid e-mail address (and a few longer-labelled ones: a superset, so that no
/// address is ruled out).
pub(crate) const EMAIL: &str = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*";

/// Plain web addresses (a subset of the valid ones: an address outside it may be valid, so
/// a search that fails under it decides nothing).
pub(crate) const URL: &str = r"https?://(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*(?:[/?#][!-$&-\[\]-~]*)?";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::TextTest;

    fn solve(constraints: &[(&str, bool)]) -> Solved {
        let owned: Vec<(String, bool)> = constraints.iter().map(|(p, w)| (p.to_string(), *w)).collect();
        TextSolver::new(10_000).solve(&owned, &[])
    }

    fn found(solved: Solved) -> String {
        match solved {
            Solved::Found(s) => s,
            other => panic!("expected a string, got {other:?}"),
        }
    }

    #[test]
    fn each_text_test_has_a_whole_string_pattern() {
        let contains = folded_pattern(TextTest::Contains, "GmbH");
        let starts = folded_pattern(TextTest::StartsWith, "acme");
        let ends = folded_pattern(TextTest::EndsWith, ".io");
        let language = |p: &str| Language::new(p, 1 << 20).unwrap();
        assert!(language(&contains).accepts("Foo gmbh & Co"));
        assert!(!language(&contains).accepts("Foo AG"));
        assert!(language(&starts).accepts("ACME Corp"));
        assert!(!language(&starts).accepts("The Acme"));
        assert!(language(&ends).accepts("x.IO"));
        assert!(!language(&ends).accepts("x.io.de"));
        assert!(language(&equal_pattern("a.b")).accepts("a.b"));
        assert!(!language(&equal_pattern("a.b")).accepts("A.b"));
        assert!(!language(&equal_pattern("a.b")).accepts("axb"));
        assert!(language(&search_pattern(r"\d{3}$")).accepts("call 555"));
        assert!(!language(&search_pattern(r"^\d{3}")).accepts("call 555"));
        assert!(language(EMAIL).accepts("ann@example.com"));
        assert!(!language(EMAIL).accepts("not an address"));
        assert!(language(URL).accepts("https://example.com/x?y"));
        assert!(language(TRIMMED).accepts("a b"));
        assert!(!language(TRIMMED).accepts(" a"));
    }

    #[test]
    fn a_conjunction_of_tests_and_negations_has_a_witness() {
        let starts = folded_pattern(TextTest::StartsWith, "acme");
        let contains = folded_pattern(TextTest::Contains, "gmbh");
        let s = found(solve(&[(&starts, true), (&contains, false), (TRIMMED, true)]));
        assert!(s.to_lowercase().starts_with("acme") && !s.to_lowercase().contains("gmbh"), "{s}");
        assert_eq!(s, "acme");
    }

    #[test]
    fn contradictory_tests_have_none() {
        let starts = folded_pattern(TextTest::StartsWith, "acme");
        let contains = folded_pattern(TextTest::Contains, "cm");
        assert_eq!(solve(&[(&starts, true), (&contains, false)]), Solved::Impossible);
        assert_eq!(solve(&[(&equal_pattern("a"), true), (&equal_pattern("b"), true)]), Solved::Impossible);
        assert_eq!(solve(&[(&search_pattern("x"), true), (&search_pattern("[xy]"), false)]), Solved::Impossible);
    }

    #[test]
    fn a_regex_is_solved_with_its_negations() {
        let pattern = search_pattern(r"^[A-Z]{2}-\d{4}$");
        let s = found(solve(&[(&pattern, true), (&search_pattern("0"), false), (&equal_pattern("AA-1111"), false)]));
        let re = regex::Regex::new(r"^[A-Z]{2}-\d{4}$").unwrap();
        assert!(re.is_match(&s) && !s.contains('0') && s != "AA-1111", "{s}");
    }

    #[test]
    fn non_ascii_witnesses_are_valid_text() {
        let s = found(solve(&[(&search_pattern("é"), true)]));
        assert_eq!(s, "é");
        let s = found(solve(&[(&search_pattern(r"[^\x00-\x7f]"), true)]));
        assert!(!s.is_ascii());
    }

    #[test]
    fn patterns_the_dfa_cannot_take_or_too_many_states_are_undecided() {
        assert_eq!(solve(&[(&search_pattern(r"\bword\b"), true)]), Solved::Undecided);
        let long: Vec<(String, bool)> = vec![(search_pattern("a{300}"), true)];
        assert_eq!(TextSolver::new(50).solve(&long, &[]), Solved::Undecided);
    }

    #[test]
    fn a_preferred_string_is_taken_when_it_fits() {
        let mut solver = TextSolver::new(1_000);
        let c = vec![(EMAIL.to_string(), true)];
        assert_eq!(solver.solve(&c, &["ann@example.com"]), Solved::Found("ann@example.com".into()));
        let c = vec![(EMAIL.to_string(), true), (folded_pattern(TextTest::EndsWith, "@acme.io"), true)];
        let s = found(solver.solve(&c, &["ann@example.com"]));
        assert!(crate::is_email(&s) && s.ends_with("@acme.io"), "{s}");
    }
}
