#![cfg(feature = "proptest")]
//! How to property-test your own lead definition with `leadspec::testing`.
//!
//! The definitions in `examples/definitions/` stand in for yours. Each test states, in
//! plain Rust and independently of the TOML, a rule the business cares about, then lets
//! proptest search for a lead and a move that break it. When someone edits the definition
//! (a new transition, a loosened guard), these tests say which business rule the edit
//! broke, with the smallest lead that shows it.
//!
//! Two habits make such tests find real problems:
//!
//! - Steer the records. Random values rarely meet every qualification criterion at once,
//!   so a test that only draws random leads checks its rule on unqualified leads alone.
//!   Below, a random subset of "facts that qualify" is laid over each generated record, so
//!   both qualified and nearly-qualified leads come up often.
//! - Fix the reference time, and generate dates around it (`RecordGen::dates_around`), so
//!   that rules such as `purchase_by <= today + 90d` come out both ways.

use std::fs;
use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use leadspec::testing::{self, MoveCase, RecordGen, RecordMix};
use leadspec::{Classification, Definition, Move, Record, Refusal, StageIndex, Truth, Value};
use proptest::prelude::*;
use proptest::sample::subsequence;
use proptest::test_runner::TestRunner;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
}

fn load(file: &str) -> Definition {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/definitions").join(file);
    Definition::from_toml(&fs::read_to_string(path).unwrap()).unwrap()
}

/// What we know about one of the shipped definitions, written down by its owners.
struct Policy {
    /// The definition file.
    file: &'static str,
    /// The team that sells: entering its stages is the handoff we guard.
    sales_team: &'static str,
    /// What must hold of a lead handed to that team, in words and in Rust.
    handoff_rule: (&'static str, fn(&Classification<'_>) -> bool),
    /// Facts that, all together, make a lead pass `handoff_rule`.
    qualifying_facts: &'static [(&'static str, &'static str)],
    /// Every move people may make: (from, to, guard), `*` for any stage.
    moves: &'static [(&'static str, &'static str, Guard)],
}

/// A guard on a move, as the business states it.
#[derive(Clone, Copy, Debug)]
enum Guard {
    /// No condition.
    None,
    /// The lead is qualified (every criterion the framework requires is met).
    Qualified,
    /// The lead's score is at least this.
    Score(i64),
}

impl Guard {
    fn holds(self, lead: &Classification<'_>) -> bool {
        match self {
            Guard::None => true,
            Guard::Qualified => lead.qualified() == Truth::True,
            Guard::Score(min) => lead.score().is_some_and(|s| s >= min),
        }
    }
}

fn qualified(lead: &Classification<'_>) -> bool {
    lead.qualified() == Truth::True
}

fn thirty_points(lead: &Classification<'_>) -> bool {
    lead.score().is_some_and(|s| s >= 30)
}

const POLICIES: &[Policy] = &[
    Policy {
        file: "default.toml",
        sales_team: "sales",
        handoff_rule: ("qualified", qualified),
        qualifying_facts: &[
            ("budget", "25000"),
            ("role", "decision_maker"),
            ("need", "reporting"),
            ("purchase_by", "2026-12-31"),
        ],
        moves: &[
            ("contact", "inquiry", Guard::None),
            ("inquiry", "nurture", Guard::None),
            ("nurture", "inquiry", Guard::None),
            ("contact", "qualified_lead", Guard::Qualified),
            ("inquiry", "qualified_lead", Guard::Qualified),
            ("nurture", "qualified_lead", Guard::Qualified),
            ("qualified_lead", "prospect", Guard::None),
            ("prospect", "proposal", Guard::None),
            ("proposal", "customer", Guard::None),
            ("qualified_lead", "nurture", Guard::None),
            ("prospect", "nurture", Guard::None),
            ("proposal", "nurture", Guard::None),
        ],
    },
    Policy {
        file: "suspect_ladder.toml",
        sales_team: "ae",
        handoff_rule: ("qualified (CHAMP)", qualified),
        qualifying_facts: &[
            ("challenge", "manual invoicing"),
            ("persona", "executive"),
            ("monthly_budget", "900"),
            ("urgency", "now"),
        ],
        moves: &[
            ("suspect", "contact", Guard::None),
            ("suspect", "inquiry", Guard::None),
            ("contact", "inquiry", Guard::None),
            ("inquiry", "mql", Guard::None),
            ("mql", "sal", Guard::None),
            ("sal", "sql", Guard::Qualified),
            ("sql", "opportunity", Guard::None),
            ("opportunity", "customer", Guard::None),
            ("sal", "recycled", Guard::None),
            ("sql", "recycled", Guard::None),
            ("opportunity", "recycled", Guard::None),
            ("recycled", "mql", Guard::None),
            ("*", "disqualified", Guard::None),
        ],
    },
    Policy {
        file: "marketing_automation.toml",
        sales_team: "sales",
        handoff_rule: ("at least 30 points", thirty_points),
        qualifying_facts: &[
            ("seniority", "vp"),
            ("webinar_attended", "yes"),
            ("demo_requested", "true"),
            ("last_seen", "2026-11-20"),
            ("need", "forecasting"),
            ("budget", "40000"),
            ("purchase_by", "2027-03-01"),
        ],
        moves: &[
            ("subscriber", "lead", Guard::None),
            ("lead", "mql", Guard::Score(30)),
            ("subscriber", "mql", Guard::Score(30)),
            ("recycled", "mql", Guard::Score(30)),
            ("mql", "sql", Guard::Score(30)),
            ("sql", "opportunity", Guard::Qualified),
            ("opportunity", "customer", Guard::None),
            ("customer", "evangelist", Guard::None),
            ("sql", "recycled", Guard::None),
            ("opportunity", "recycled", Guard::None),
            ("*", "opted_out", Guard::None),
        ],
    },
    Policy {
        file: "crm_lead_status.toml",
        sales_team: "account_execs",
        handoff_rule: ("two of four signals", qualified),
        qualifying_facts: &[("employees", "45"), ("decision_maker", "yes"), ("pain", "slow quotes")],
        moves: &[
            ("open_not_contacted", "working_contacted", Guard::None),
            ("working_contacted", "nurturing", Guard::None),
            ("nurturing", "working_contacted", Guard::None),
            ("working_contacted", "qualified", Guard::Qualified),
            ("nurturing", "qualified", Guard::Qualified),
            ("qualified", "closed_converted", Guard::None),
            ("qualified", "nurturing", Guard::None),
            ("*", "closed_not_converted", Guard::None),
            ("closed_not_converted", "open_not_contacted", Guard::None),
        ],
    },
];

/// Leads for `definition`: random records, each overlaid with the policy's qualifying
/// facts: half the time all of them, otherwise a random subset (possibly none).
fn steered_leads(definition: &Definition, policy: &Policy) -> BoxedStrategy<Record> {
    let facts: Vec<(&'static str, &'static str)> = policy.qualifying_facts.to_vec();
    let count = facts.len();
    let random = RecordGen::new(definition)
        .mix(RecordMix { valid: 6, invalid: 1, missing: 3 })
        .dates_around(now().date_naive())
        .strategy();
    // Half the time every fact, else any subset of them (none included).
    let chosen = prop_oneof![Just(facts.clone()), subsequence(facts, 0..=count)];
    (random, chosen)
        .prop_map(|(mut record, facts)| {
            for (field, value) in facts {
                record.insert(field, Value::from(value));
            }
            record
        })
        .boxed()
}

/// Moves between any two stages, with steered leads.
fn steered_moves(definition: &Definition, policy: &Policy) -> BoxedStrategy<MoveCase> {
    (testing::stage(definition), testing::stage(definition), steered_leads(definition, policy))
        .prop_map(|(from, to, record)| MoveCase { from, to, record })
        .boxed()
}

fn runner() -> TestRunner {
    TestRunner::new(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })
}

/// "No lead enters a stage owned by sales unless it is qualified": every allowed move from
/// a stage another team owns into a stage the sales team owns is made by a lead that meets
/// the policy's handoff rule.
#[test]
fn no_lead_enters_a_stage_owned_by_sales_unless_it_is_qualified() {
    for policy in POLICIES {
        let d = load(policy.file);
        let sales = d.team_index(policy.sales_team).expect("the sales team exists");
        let (rule_text, rule) = policy.handoff_rule;
        // Only moves into sales from another team's stage matter here: generate just those.
        let outside: Vec<_> = d.stages().iter().filter(|s| s.owner() != sales).map(|s| s.index()).collect();
        let inside: Vec<_> = d.stages().iter().filter(|s| s.owner() == sales).map(|s| s.index()).collect();
        let handoffs = (proptest::sample::select(outside), proptest::sample::select(inside), steered_leads(&d, policy))
            .prop_map(|(from, to, record)| MoveCase { from, to, record });
        let handoffs_seen = std::cell::Cell::new(0u32);
        runner()
            .run(&handoffs, |case| {
                if d.check_move(case.from, case.to, &case.record, now()).is_allowed() {
                    handoffs_seen.set(handoffs_seen.get() + 1);
                    let lead = d.classify(&case.record, now());
                    let (a, b) = case.ids(&d);
                    prop_assert!(
                        rule(&lead),
                        "{}: {a} -> {b} was allowed, but the lead is not {rule_text}",
                        policy.file
                    );
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", policy.file));
        // A law that is never put to the test proves nothing: make sure the steering works.
        assert!(handoffs_seen.get() > 0, "{}: no allowed handoff into sales was generated", policy.file);
    }
}

/// The other half of the handoff rule: a qualified lead in a marketing stage can always be
/// handed to sales from the stages the policy names.
#[test]
fn a_qualified_lead_can_always_be_handed_to_sales() {
    for policy in POLICIES {
        let d = load(policy.file);
        let sales = d.team_index(policy.sales_team).unwrap();
        let (_, rule) = policy.handoff_rule;
        runner()
            .run(&steered_leads(&d, policy), |record| {
                let lead = d.classify(&record, now());
                if !rule(&lead) {
                    return Ok(());
                }
                for &(from, to, guard) in policy.moves {
                    let (Some(f), Some(t)) = (d.stage_index(from), d.stage_index(to)) else { continue };
                    let handoff = d.handoff(f, t).is_some_and(|h| h.to_team == sales);
                    if handoff && guard.holds(&lead) {
                        prop_assert!(
                            d.check_move(f, t, &record, now()).is_allowed(),
                            "{}: a lead meeting the handoff rule cannot go {from} -> {to}",
                            policy.file
                        );
                    }
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", policy.file));
    }
}

/// Whether the policy allows a move, and whether any entry covers it at all.
fn policy_allows(policy: &Policy, d: &Definition, case: &MoveCase, lead: &Classification<'_>) -> (bool, bool) {
    if case.from == case.to {
        return (true, true);
    }
    let (from, to) = case.ids(d);
    let covering: Vec<Guard> = policy
        .moves
        .iter()
        .filter(|(f, t, _)| (*f == "*" || *f == from) && (*t == "*" || *t == to))
        .map(|&(_, _, guard)| guard)
        .collect();
    (covering.iter().any(|g| g.holds(lead)), !covering.is_empty())
}

/// "Every move the definition allows is accepted and every other refused": the moves the
/// business wrote down (in `POLICIES`) and the definition's transitions agree, move by
/// move and lead by lead, and every refusal gives the right kind of reason.
#[test]
fn every_move_the_policy_allows_is_accepted_and_every_other_refused() {
    for policy in POLICIES {
        let d = load(policy.file);
        runner()
            .run(&steered_moves(&d, policy), |case| {
                let lead = d.classify(&case.record, now());
                let (allowed, covered) = policy_allows(policy, &d, &case, &lead);
                let outcome = d.check_move(case.from, case.to, &case.record, now());
                let (a, b) = case.ids(&d);
                prop_assert_eq!(outcome.is_allowed(), allowed, "{}: {} -> {}: {:?}", policy.file, a, b, outcome);
                match outcome {
                    Move::Allowed { .. } => {}
                    Move::Refused(Refusal::NoTransition { .. }) => {
                        prop_assert!(!covered, "{}: {a} -> {b} is declared, but refused as undeclared", policy.file)
                    }
                    Move::Refused(Refusal::Guard { .. }) => {
                        prop_assert!(covered, "{}: {a} -> {b} is not declared, but refused by a guard", policy.file)
                    }
                    Move::Refused(other) => {
                        prop_assert!(false, "{}: {a} -> {b} refused for another reason: {other}", policy.file)
                    }
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", policy.file));
    }
}

/// The policy tables above name only stages that exist, and every declared transition of
/// each definition appears in its table: neither side can drift without this test noticing.
#[test]
fn the_policies_and_the_definitions_name_the_same_moves() {
    for policy in POLICIES {
        let d = load(policy.file);
        for &(from, to, _) in policy.moves {
            for id in [from, to] {
                assert!(id == "*" || d.stage_index(id).is_some(), "{}: the policy names `{id}`", policy.file);
            }
        }
        for t in d.transitions() {
            let name = |s: Option<StageIndex>| s.map_or("*", |i| d.stage_at(i).unwrap().id());
            let (from, to) = (name(t.from()), name(t.to()));
            let listed = policy.moves.iter().filter(|(f, tt, _)| *f == from && *tt == to).count();
            assert_eq!(listed, 1, "{}: the transition {from} -> {to} is not in the policy exactly once", policy.file);
        }
        assert_eq!(policy.moves.len(), d.transitions().len(), "{}", policy.file);
    }
}

// The same kind of law in the `proptest!` macro, for one definition loaded once.

fn default_policy() -> &'static Policy {
    &POLICIES[0]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A lead in nurture has shown interest and is not qualified.
    #[test]
    fn a_nurture_lead_showed_interest_and_is_not_qualified(
        record in steered_leads(leadspec::default_definition(), default_policy()),
    ) {
        let d = leadspec::default_definition();
        let lead = d.classify(&record, now());
        if lead.stage().map(|s| s.id()) == Some("nurture") {
            prop_assert_eq!(lead.qualified(), Truth::False);
            let prepared = d.prepare(&record);
            let present = |field: &str| prepared.slot(d.field_position(field).unwrap()).is_some_and(|v| v.is_present());
            prop_assert!(present("interest") || present("inquired_on"));
        }
    }

    /// A qualified lead with a valid e-mail address is never left with marketing.
    #[test]
    fn a_qualified_lead_is_never_left_with_marketing(
        record in steered_leads(leadspec::default_definition(), default_policy()),
    ) {
        let d = leadspec::default_definition();
        let lead = d.classify(&record, now());
        if lead.qualified() == Truth::True {
            prop_assert_eq!(lead.owner().map(|t| t.id.as_str()), Some("sales"));
        }
    }
}
