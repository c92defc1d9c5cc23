//! The benchmark definition's rules in CEL, evaluated with `cel-interpreter`.
//!
//! CEL has no *unknown*: a missing map key is an error, so a CEL user guards every read
//! with `has(..)`. The rules below are written that way. A stage must be definitely true,
//! which `has(x) && <test on x>` gives directly; a criterion can be unknown, and `not
//! criteria.timeframe` must mean "known to be false", so each criterion is a program that
//! returns `true`, `false` or `null` (unknown) and stage rules compare it with `== true` or
//! `== false`. Only the stage is compared with leadspec.
//!
//! Mapping choices, as a CEL user would make them:
//! - a lead is a map holding only its *valid* values (missing and invalid values are left
//!   out, as validation at ingestion would); numbers are doubles, dates are timestamps at
//!   00:00 UTC, enum values are strings, `tags` is a list of strings;
//! - CEL (and this interpreter) has no lowercase function, so the two fields tested without
//!   regard to case (`email`, `title`) also come lowercased, as `email_folded` and
//!   `title_folded`: folded once per lead, as leadspec folds at preparation;
//! - `today` is a timestamp variable, and `90d` is `duration('2160h')` (CEL durations have
//!   no days);
//! - the criteria and `qualified` are evaluated once per lead, as leadspec does, and handed
//!   to the stage rules as variables.
//!
//! The stage programs are tried in leadspec's classification order (priority, then
//! later-declared first).

use std::collections::HashMap;
use std::sync::Arc;

use cel_interpreter::objects::{Key, Map};
use cel_interpreter::{Context, Program, Value};
use chrono::{FixedOffset, NaiveDate, TimeZone};

use crate::common::hand::{Lead, Stage};

/// The criteria, in the definition's order, as `(variable, program)`.
pub const CRITERIA: [(&str, &str); 4] = [
    ("criteria_budget", "has(lead.budget) ? lead.budget >= 10000 : null"),
    (
        "criteria_authority",
        "(has(lead.role) && lead.role in ['decision_maker', 'economic_buyer']) \
         || (has(lead.title) && lead.title_folded.contains('chief')) \
         ? true : (has(lead.role) && has(lead.title) ? false : null)",
    ),
    (
        "criteria_need",
        "has(lead.need) || (has(lead.tags) && 'pain' in lead.tags) ? true : (has(lead.tags) ? false : null)",
    ),
    ("criteria_timeframe", "has(lead.purchase_by) ? lead.purchase_by <= today + duration('2160h') : null"),
];

/// `require = "all"`: met when all are met, not met when one is not met, else unknown.
pub const QUALIFIED: &str = "criteria_budget == true && criteria_authority == true \
     && criteria_need == true && criteria_timeframe == true ? true \
     : (criteria_budget == false || criteria_authority == false \
        || criteria_need == false || criteria_timeframe == false ? false : null)";

/// The `website matches '\.(io|ai|dev)$'` part of the MQL rule, as written.
pub const WEBSITE_MATCHES: &str = r"lead.website.matches('\\.(io|ai|dev)$')";

/// The same test without a regex: this interpreter compiles a `matches` pattern on every
/// call, and a CEL user who measured would write this instead.
pub const WEBSITE_ENDS_WITH: &str =
    "(lead.website.endsWith('.io') || lead.website.endsWith('.ai') || lead.website.endsWith('.dev'))";

/// The stages in classification order, with their rules (`{website}` stands for one of the
/// two forms above).
pub const STAGES: [(Stage, &str); 8] = [
    (Stage::Customer, "has(lead.customer_since) && lead.customer_since <= today"),
    (
        Stage::Nurture,
        "criteria_need == true && criteria_timeframe == false \
         && has(lead.last_seen) && lead.last_seen >= today - duration('4368h')",
    ),
    (
        Stage::Proposal,
        "criteria_budget == true && criteria_authority == true \
         && has(lead.purchase_by) && lead.purchase_by <= today + duration('720h') \
         && has(lead.last_seen) && lead.last_seen >= today - duration('336h') && has(lead.company)",
    ),
    (
        Stage::Opportunity,
        "qualified == true && has(lead.demo_requested) && lead.demo_requested \
         && has(lead.employees) && lead.employees >= 50",
    ),
    (Stage::Sql, "qualified == true"),
    (
        Stage::Mql,
        "has(lead.email) && has(lead.country) && lead.country in ['us', 'ca', 'gb', 'de', 'fr'] \
         && has(lead.industry) && !(lead.industry in ['government', 'education']) \
         && !lead.email_folded.endsWith('.edu') \
         && ((has(lead.page_views) && lead.page_views >= 10) || (has(lead.tags) && 'webinar' in lead.tags) \
             || (has(lead.website) && {website}) || (has(lead.source) && lead.source in ['referral', 'partner']))",
    ),
    (
        Stage::Inquiry,
        "has(lead.email) && ((has(lead.engaged) && lead.engaged) \
         || (has(lead.demo_requested) && lead.demo_requested) \
         || (has(lead.tags) && 'download' in lead.tags) || (has(lead.page_views) && lead.page_views >= 5))",
    ),
    (Stage::Contact, "has(lead.email) && (!has(lead.unsubscribed) || !lead.unsubscribed)"),
];

/// How the MQL rule tests the website.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Website {
    /// `matches('\\.(io|ai|dev)$')`, the rule as written.
    Matches,
    /// `endsWith` three times.
    EndsWith,
}

/// The compiled CEL programs and the root context (built-in functions and `today`).
pub struct CelRules {
    root: Context<'static>,
    criteria: Vec<(&'static str, Program)>,
    qualified: Program,
    stages: Vec<(Stage, Program)>,
}

impl CelRules {
    /// Compiles every program; `today` is the reference date.
    pub fn new(today: NaiveDate, website: Website) -> CelRules {
        let mut root = Context::default();
        root.add_variable_from_value("today", timestamp(today));
        let compile = |source: &str| Program::compile(source).unwrap_or_else(|e| panic!("{source}: {e:?}"));
        let website = match website {
            Website::Matches => WEBSITE_MATCHES,
            Website::EndsWith => WEBSITE_ENDS_WITH,
        };
        CelRules {
            root,
            criteria: CRITERIA.iter().map(|(name, source)| (*name, compile(source))).collect(),
            qualified: compile(QUALIFIED),
            stages: STAGES
                .iter()
                .map(|(stage, source)| (*stage, compile(&source.replace("{website}", website))))
                .collect(),
        }
    }

    /// The stage of a lead given as [`lead_value`]: criteria, then `qualified`, then the
    /// stages in order until one is `true`.
    pub fn stage_of(&self, lead: &Value) -> Option<Stage> {
        let mut ctx = self.root.new_inner_scope();
        ctx.add_variable_from_value("lead", lead.clone());
        for (name, program) in &self.criteria {
            let state = program.execute(&ctx).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            ctx.add_variable_from_value(*name, state);
        }
        let qualified = self.qualified.execute(&ctx).unwrap_or_else(|e| panic!("qualified: {e:?}"));
        ctx.add_variable_from_value("qualified", qualified);
        for (stage, program) in &self.stages {
            match program.execute(&ctx) {
                Ok(Value::Bool(true)) => return Some(*stage),
                Ok(_) => {}
                Err(e) => panic!("{stage:?}: {e:?}"),
            }
        }
        None
    }
}

fn timestamp(date: NaiveDate) -> Value {
    let utc = FixedOffset::east_opt(0).unwrap();
    Value::Timestamp(utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap()))
}

/// A lead as the CEL map its rules read: its valid values only (see the module docs).
pub fn lead_value(lead: &Lead) -> Value {
    let mut map: HashMap<Key, Value> = HashMap::new();
    let mut put = |key: &str, value: Value| {
        map.insert(Key::from(key), value);
    };
    let text = |t: &crate::common::hand::Text| Value::String(Arc::new(t.text.clone()));
    let folded = |t: &crate::common::hand::Text| Value::String(Arc::new(t.folded.clone()));
    if let Some(t) = &lead.email {
        put("email", text(t));
        put("email_folded", folded(t));
    }
    if let Some(t) = &lead.title {
        put("title", text(t));
        put("title_folded", folded(t));
    }
    for (key, value) in [
        ("website", &lead.website),
        ("company", &lead.company),
        ("phone", &lead.phone),
        ("need", &lead.need),
        ("notes", &lead.notes),
    ] {
        if let Some(t) = value {
            put(key, text(t));
        }
    }
    let enums = [
        ("country", lead.country.map(|v| v.as_str())),
        ("industry", lead.industry.map(|v| v.as_str())),
        ("role", lead.role.map(|v| v.as_str())),
        ("source", lead.source.map(|v| v.as_str())),
    ];
    for (key, value) in enums {
        if let Some(v) = value {
            put(key, Value::from(v));
        }
    }
    for (key, value) in [("employees", lead.employees), ("budget", lead.budget), ("page_views", lead.page_views)] {
        if let Some(n) = value {
            put(key, Value::Float(n));
        }
    }
    for (key, value) in
        [("purchase_by", lead.purchase_by), ("last_seen", lead.last_seen), ("customer_since", lead.customer_since)]
    {
        if let Some(d) = value {
            put(key, timestamp(d));
        }
    }
    for (key, value) in
        [("engaged", lead.engaged), ("demo_requested", lead.demo_requested), ("unsubscribed", lead.unsubscribed)]
    {
        if let Some(b) = value {
            put(key, Value::Bool(b));
        }
    }
    if let Some(tags) = &lead.tags {
        put("tags", Value::List(Arc::new(tags.iter().map(|t| Value::String(Arc::new(t.clone()))).collect())));
    }
    Value::Map(Map { map: Arc::new(map) })
}
