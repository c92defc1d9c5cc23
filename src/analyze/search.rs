//! The search: backtracking over the classes of the fields a question reads (and over the
//! truth of each text test of a present text field), evaluating the question's rules over
//! the partial record after each choice and dropping every branch that can no longer
//! answer it. A complete choice becomes a [`Record`], which the question's own check (the
//! real classifier) must accept before it counts as a witness.

use std::collections::HashSet;

use super::domain::{address, Class, Domain, Test};
use super::partial::{self, Derived, Env, Partial, Set, ANY};
use super::text::{self, Solved, TextSolver};
use super::Doubt;
use crate::rule::Rule;
use crate::{FieldType, Record, Value};

/// What one question asks: rules, each with the truths it may take.
pub(crate) struct Question<'r> {
    pub(crate) rules: Vec<(&'r Rule, Set)>,
}

/// The answer to a question.
#[derive(Clone, Debug)]
pub(crate) enum Found {
    Witness(Record),
    Nothing,
    Undecided(Doubt),
}

/// A choice point of the search.
#[derive(Clone, Copy, Debug)]
enum Var {
    Field(usize),
    Test(usize),
}

/// The search state shared by the questions of one analysis.
pub(crate) struct Searcher<'d> {
    pub(crate) domain: Domain<'d>,
    solver: TextSolver,
    /// Steps left for the whole analysis, and the most one question may take.
    pub(crate) steps_left: u64,
    per_question: u64,
}

/// The search of one question.
struct Run<'s, 'd, 'r> {
    searcher: &'s mut Searcher<'d>,
    question: &'s Question<'r>,
    vars: Vec<Var>,
    env: Env,
    derive: bool,
    steps: u64,
    doubt: Option<Doubt>,
    check: &'s mut dyn FnMut(&Record) -> bool,
}

enum Step {
    Done(Record),
    Continue,
    Stop,
}

impl<'d> Searcher<'d> {
    pub(crate) fn new(domain: Domain<'d>, steps: u64, per_question: u64, text_states: usize) -> Searcher<'d> {
        Searcher { domain, solver: TextSolver::new(text_states), steps_left: steps, per_question }
    }

    /// Searches for a record that answers `question` and that `check` accepts.
    pub(crate) fn find(&mut self, question: &Question<'_>, check: &mut dyn FnMut(&Record) -> bool) -> Found {
        if self.steps_left == 0 {
            return Found::Undecided(Doubt::Budget);
        }
        let definition = self.domain.definition;
        let derive = question.rules.iter().any(|(r, _)| r.uses_criteria() || r.uses_score());
        let mut rules: Vec<&Rule> = question.rules.iter().map(|(r, _)| *r).collect();
        if derive {
            rules.extend(super::domain::all_rules(definition).take(
                definition.qualification.criteria.len() + definition.scoring.as_ref().map_or(0, |s| s.rules.len()),
            ));
        }
        // The fields in order of first use, each followed by its text tests.
        let mut slots: Vec<usize> = Vec::new();
        let mut tests: Vec<usize> = Vec::new();
        let mut partial = false;
        for rule in &rules {
            slots.extend(rule.fields().map(|f| f.position()));
            rule.root().atoms(&mut |atom, _| {
                let mut stack = vec![atom];
                while let Some(atom) = stack.pop() {
                    if let crate::rule::Atom::OneOf(items, _) = atom {
                        stack.extend(items.iter());
                    }
                    partial |= self.domain.partial.contains(&address(atom));
                    if let Some(&id) = self.domain.by_atom.get(&address(atom)) {
                        tests.push(id);
                    }
                }
            });
        }
        let mut seen = HashSet::new();
        slots.retain(|s| seen.insert(*s));
        let mut seen = HashSet::new();
        tests.retain(|t| seen.insert(*t));
        let mut vars = Vec::new();
        for &slot in &slots {
            vars.push(Var::Field(slot));
            vars.extend(tests.iter().filter(|&&t| self.domain.constraints[t].slot == slot).map(|&t| Var::Test(t)));
        }
        let env = Env {
            vals: vec![Some(Class::Missing); definition.fields.len()],
            signs: vec![None; self.domain.constraints.len()],
        };
        let mut env = env;
        for &slot in &slots {
            env.vals[slot] = None;
        }
        let mut run = Run { searcher: self, question, vars, env, derive, steps: 0, doubt: None, check };
        let found = match run.dfs(0) {
            Step::Done(record) => Found::Witness(record),
            Step::Stop => Found::Undecided(Doubt::Budget),
            Step::Continue => match run.doubt {
                Some(doubt) => Found::Undecided(doubt),
                None if partial => Found::Undecided(Doubt::Reasoning),
                None => Found::Nothing,
            },
        };
        let steps = run.steps;
        self.steps_left = self.steps_left.saturating_sub(steps);
        found
    }

    /// The patterns a present value of the text field at `slot` must match or not, given
    /// the tests chosen so far: its own tests, and what a record reads as text at all.
    fn text_constraints(&self, slot: usize, signs: &[Option<bool>]) -> Vec<(String, bool)> {
        let definition = self.domain.definition;
        let mut out = vec![(text::TRIMMED.to_string(), true)];
        let field = &definition.fields[slot];
        match field.ty {
            FieldType::Email => out.push((text::EMAIL.to_string(), true)),
            FieldType::Url => out.push((text::URL.to_string(), true)),
            _ => {}
        }
        for word in definition.input.missing().iter().chain(field.format.missing()) {
            out.push((format!("(?i:{})", regex::escape(word.trim())), false));
        }
        for (id, constraint) in self.domain.constraints.iter().enumerate() {
            if let (true, Test::Pattern(p), Some(sign)) = (constraint.slot == slot, &constraint.test, signs[id]) {
                out.push((p.clone(), sign));
            }
        }
        out
    }

    /// A value of the text field at `slot` that passes the tests chosen in `signs`.
    fn solve_text(&mut self, slot: usize, signs: &[Option<bool>]) -> Solved {
        let constraints = self.text_constraints(slot, signs);
        let preferred: &[&str] = match self.domain.definition.fields[slot].ty {
            FieldType::Email => &["ann@example.com"],
            FieldType::Url => &["https://example.com"],
            _ => &["x"],
        };
        let solved = self.solver.solve(&constraints, preferred);
        // Plain web addresses are a subset of the valid ones: none found proves nothing.
        match (solved, self.domain.definition.fields[slot].ty) {
            (Solved::Impossible, FieldType::Url) => Solved::Undecided,
            (solved, _) => solved,
        }
    }

    /// The items of a present list field at `slot` for the tests chosen in `signs`, or
    /// `None` when an item that must be held cannot be (blank, or with spaces around it).
    fn list_items(&self, slot: usize, signs: &[Option<bool>]) -> Option<Vec<String>> {
        let mut held = Vec::new();
        let mut tested = HashSet::new();
        for (id, constraint) in self.domain.constraints.iter().enumerate() {
            if let (true, Test::Item(item)) = (constraint.slot == slot, &constraint.test) {
                tested.insert(item.as_str());
                if signs[id] == Some(true) {
                    if item.trim() != item || item.is_empty() {
                        return None;
                    }
                    held.push(item.clone());
                }
            }
        }
        if held.is_empty() {
            // Present, holding nothing tested.
            let filler = (0..)
                .map(|i| if i == 0 { "x".to_string() } else { format!("x{i}") })
                .find(|f| !tested.contains(f.as_str()))?;
            held.push(filler);
        }
        Some(held)
    }
}

impl Run<'_, '_, '_> {
    fn derived(&self) -> Derived {
        let definition = self.searcher.domain.definition;
        let empty = Derived { criteria: Vec::new(), qualified: ANY, score: (0, 0) };
        if !self.derive {
            return empty;
        }
        let base = Partial { domain: &self.searcher.domain, env: &self.env, derived: &empty };
        let criteria: Vec<Set> = definition.qualification.criteria.iter().map(|c| base.rule(&c.rule)).collect();
        let qualified = partial::qualified(definition.qualification.require, &criteria);
        let mut derived = Derived { criteria, qualified, score: (0, 0) };
        if let Some(scoring) = &definition.scoring {
            let (mut lo, mut hi) = (0i64, 0i64);
            let ctx = Partial { domain: &self.searcher.domain, env: &self.env, derived: &derived };
            for rule in &scoring.rules {
                let truth = ctx.rule(&rule.rule);
                if truth == partial::TRUE {
                    lo = lo.saturating_add(rule.points);
                    hi = hi.saturating_add(rule.points);
                } else if truth & partial::TRUE != 0 {
                    if rule.points < 0 {
                        lo = lo.saturating_add(rule.points);
                    } else {
                        hi = hi.saturating_add(rule.points);
                    }
                }
            }
            derived.score = (scoring.clamp(lo), scoring.clamp(hi));
        }
        derived
    }

    /// Whether the question can still be answered (`Some(false)`: no; `Some(true)`: yes,
    /// whatever the fields not chosen yet; `None`: maybe).
    fn status(&self) -> Option<bool> {
        let derived = self.derived();
        let eval = Partial { domain: &self.searcher.domain, env: &self.env, derived: &derived };
        let mut certain = true;
        for (rule, allowed) in &self.question.rules {
            let truths = eval.rule(rule);
            if truths & allowed == 0 {
                return Some(false);
            }
            certain &= truths & !allowed == 0;
        }
        certain.then_some(true)
    }

    fn dfs(&mut self, depth: usize) -> Step {
        self.steps += 1;
        if self.steps > self.searcher.per_question || self.steps > self.searcher.steps_left {
            return Step::Stop;
        }
        match self.status() {
            Some(false) => return Step::Continue,
            Some(true) => return self.leaf(),
            None if depth >= self.vars.len() => return self.leaf(),
            None => {}
        }
        match self.vars[depth] {
            Var::Field(slot) => {
                for class in self.searcher.domain.classes(slot) {
                    self.env.vals[slot] = Some(class);
                    if class == Class::Present && !self.consistent(slot) {
                        continue;
                    }
                    match self.dfs(depth + 1) {
                        Step::Continue => {}
                        other => return other,
                    }
                }
                self.env.vals[slot] = None;
                Step::Continue
            }
            Var::Test(id) => {
                let slot = self.searcher.domain.constraints[id].slot;
                if self.env.vals[slot] != Some(Class::Present) {
                    return self.dfs(depth + 1);
                }
                for sign in [true, false] {
                    self.env.signs[id] = Some(sign);
                    if !self.consistent(slot) {
                        continue;
                    }
                    match self.dfs(depth + 1) {
                        Step::Continue => {}
                        other => {
                            return other;
                        }
                    }
                }
                self.env.signs[id] = None;
                Step::Continue
            }
        }
    }

    /// Whether some present value of the field at `slot` passes the tests chosen so far.
    fn consistent(&mut self, slot: usize) -> bool {
        if self.searcher.domain.definition.fields[slot].ty == FieldType::List {
            return self.searcher.list_items(slot, &self.env.signs).is_some();
        }
        match self.searcher.solve_text(slot, &self.env.signs) {
            Solved::Found(_) => true,
            Solved::Impossible => false,
            Solved::Undecided => {
                self.doubt = Some(Doubt::Reasoning);
                false
            }
        }
    }

    /// The record of the current choice (fields not chosen are left out), if the check
    /// accepts it.
    fn leaf(&mut self) -> Step {
        let definition = self.searcher.domain.definition;
        let mut record = Record::new();
        for (slot, val) in self.env.vals.clone().into_iter().enumerate() {
            let field = &definition.fields[slot];
            let value = match val {
                None | Some(Class::Missing) => continue,
                Some(Class::Number(n)) => Value::Number(n),
                Some(Class::Bool(b)) => Value::Bool(b),
                Some(Class::Date(days)) => match crate::time::date_from_epoch_days(days) {
                    Some(date) => Value::Text(date.format("%Y-%m-%d").to_string()),
                    None => return self.unconfirmed(),
                },
                Some(Class::Enum(i)) => match field.values.get(i as usize) {
                    Some(v) => Value::Text(v.clone()),
                    None => return self.unconfirmed(),
                },
                Some(Class::Present) if field.ty == FieldType::List => {
                    match self.searcher.list_items(slot, &self.env.signs) {
                        Some(items) => Value::List(items.into_iter().map(Value::Text).collect()),
                        None => return self.unconfirmed(),
                    }
                }
                Some(Class::Present) => match self.searcher.solve_text(slot, &self.env.signs) {
                    Solved::Found(text) => Value::Text(text),
                    _ => return self.unconfirmed(),
                },
            };
            record = record.with(field.column(), value);
        }
        if (self.check)(&record) {
            Step::Done(record)
        } else {
            self.unconfirmed()
        }
    }

    /// A candidate the classifier does not confirm: keep looking, but finding nothing
    /// then proves nothing.
    fn unconfirmed(&mut self) -> Step {
        self.doubt = Some(Doubt::Reasoning);
        Step::Continue
    }
}
