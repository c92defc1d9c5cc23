//! The rule language of `when` expressions (placeholder interface until the engine lands).
#![allow(missing_docs, dead_code)]
use std::collections::HashMap;
use crate::{Field, Limits, Slot, Truth};

pub struct Scope<'a> {
    pub fields: &'a [Field],
    pub field_index: &'a HashMap<String, usize>,
    pub criteria: &'a [String],
    pub allow_criteria: bool,
    pub allow_score: bool,
    pub has_scoring: bool,
    pub limits: &'a Limits,
}
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError { pub span: std::ops::Range<usize>, pub message: String, pub hint: Option<String> }
#[derive(Clone, Debug)]
pub struct Rule { text: String }
impl Rule {
    pub fn compile(text: &str, _scope: &Scope<'_>) -> Result<Rule, Vec<RuleError>> { Ok(Rule { text: text.to_string() }) }
    pub fn text(&self) -> &str { &self.text }
    pub fn eval(&self, _ctx: &Context<'_>) -> Truth { Truth::Unknown }
    pub fn explain(&self, _ctx: &Context<'_>) -> Vec<Finding> { Vec::new() }
    pub fn fields(&self) -> Vec<usize> { Vec::new() }
    pub fn uses_criteria(&self) -> bool { false }
    pub fn uses_score(&self) -> bool { false }
}
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> { pub slots: &'a [Slot], pub criteria: &'a [Truth], pub qualified: Truth, pub score: i64, pub now: chrono::NaiveDateTime }
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding { pub text: String, pub truth: Truth, pub detail: String }
