#![cfg(feature = "proptest")]
//! Moves between stages (every refusal reason, handoffs, the rules without transitions),
//! SLA replay of stage histories, and the load-time diagnostics of the lifecycle tables.

#[path = "support/codes.rs"]
mod codes;

use chrono::{DateTime, Duration, TimeZone, Utc};
use leadspec::testing::{self, ChangeOrder, HistoryShape, RecordMix, StagePath};
use std::sync::OnceLock;

use leadspec::{
    default_definition, Definition, Move, Record, Refusal, Severity, StageChange, StageIndex, TeamIndex, Truth,
};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    leadspec::parse_reference_time(text).unwrap()
}

/// A lead meeting every BANT criterion of the default definition at `now()`.
fn qualified_lead() -> Record {
    Record::new()
        .with("email", "q@example.com")
        .with("budget", 50_000)
        .with("role", "decision_maker")
        .with("need", "reporting")
        .with("purchase_by", "2026-12-15")
}

fn index(d: &Definition, id: &str) -> StageIndex {
    d.stage_index(id).unwrap_or_else(|| panic!("no stage `{id}`"))
}

fn team(d: &Definition, id: &str) -> TeamIndex {
    d.team_index(id).unwrap_or_else(|| panic!("no team `{id}`"))
}

fn check(d: &Definition, from: &str, to: &str, record: &Record) -> Move {
    d.check_move(index(d, from), index(d, to), record, now())
}

// ---- refusals -----------------------------------------------------------------------------

#[test]
fn a_move_no_transition_covers_is_refused_with_the_stages_reachable_instead() {
    let d = default_definition();
    let refusal = match check(d, "contact", "proposal", &qualified_lead()) {
        Move::Refused(refusal) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        refusal,
        Refusal::NoTransition {
            from: "contact".into(),
            to: "proposal".into(),
            allowed_targets: vec!["inquiry".into(), "qualified_lead".into()],
        }
    );
    assert_eq!(
        refusal.to_string(),
        "no transition from `contact` to `proposal`; from `contact` a lead may move to `inquiry`, `qualified_lead`"
    );
}

#[test]
fn a_stage_no_transition_leaves_says_so() {
    let d = default_definition();
    let Move::Refused(refusal) = check(d, "customer", "nurture", &Record::new()) else { panic!("allowed") };
    assert_eq!(
        refusal,
        Refusal::NoTransition { from: "customer".into(), to: "nurture".into(), allowed_targets: vec![] }
    );
    assert_eq!(refusal.to_string(), "no transition from `customer` to `nurture`; no transition leaves `customer`");
}

#[test]
fn a_false_guard_refuses_and_names_the_guard_and_what_failed() {
    let d = default_definition();
    let small_budget = qualified_lead().with("budget", 2_000);
    let Move::Refused(refusal) = check(d, "inquiry", "qualified_lead", &small_budget) else { panic!("allowed") };
    let Refusal::Guard { from, to, guards } = &refusal else { panic!("{refusal:?}") };
    assert_eq!((from.as_str(), to.as_str()), ("inquiry", "qualified_lead"));
    assert_eq!(guards.len(), 1);
    assert_eq!((guards[0].0.as_str(), guards[0].1), ("qualified", Truth::False));
    let text = refusal.to_string();
    assert!(
        text.starts_with("the move from `inquiry` to `qualified_lead` needs `qualified`, which is false"),
        "{text}"
    );
}

#[test]
fn an_unknown_guard_refuses_too() {
    let d = default_definition();
    let unknown = Record::new().with("email", "u@example.com"); // BANT not asked yet
    assert_eq!(d.classify(&unknown, now()).qualified(), Truth::Unknown);
    let Move::Refused(Refusal::Guard { guards, .. }) = check(d, "inquiry", "qualified_lead", &unknown) else {
        panic!("expected a guard refusal")
    };
    assert_eq!(guards[0].1, Truth::Unknown);
    // An invalid value is unknown as well: it never opens a guard.
    let invalid = qualified_lead().with("budget", "lots");
    let Move::Refused(Refusal::Guard { guards, .. }) = check(d, "inquiry", "qualified_lead", &invalid) else {
        panic!("expected a guard refusal")
    };
    assert_eq!(guards[0].1, Truth::Unknown);
}

/// Two transitions cover the same move: the first guard that holds, or any transition
/// without a guard, allows it; when every guard fails, each is listed in declaration order.
const TWO_WAYS: &str = r#"
[definition]
name = "Two ways in"
[teams]
marketing = "Marketing"
sales = "Sales"
[fields]
budget = "number"
referral = "boolean"
[[stages]]
id = "lead"
owner = "marketing"
when = "true"
[[stages]]
id = "deal"
owner = "sales"
when = "budget > 0"
[[stages]]
id = "lost"
owner = "sales"
when = "false"
[[transitions]]
from = "lead"
to = "deal"
when = "budget >= 1000"
[[transitions]]
from = "*"
to = "deal"
when = "referral == true"
[[transitions]]
from = "*"
to = "lost"
"#;

#[test]
fn any_matching_transition_whose_guard_holds_allows_the_move() {
    let d = Definition::from_toml(TWO_WAYS).unwrap();
    let (lead, deal) = (index(&d, "lead"), index(&d, "deal"));
    let teams = Some((team(&d, "marketing"), team(&d, "sales")));
    let by_budget = d.check_move(lead, deal, &Record::new().with("budget", 5000), now());
    assert_eq!(by_budget, Move::Allowed { handoff: teams, transition: Some(0) });
    let by_referral = d.check_move(lead, deal, &Record::new().with("budget", 10).with("referral", "yes"), now());
    assert_eq!(by_referral, Move::Allowed { handoff: teams, transition: Some(1) });

    let Move::Refused(refusal) = d.check_move(lead, deal, &Record::new().with("budget", 10), now()) else {
        panic!("allowed")
    };
    let Refusal::Guard { guards, .. } = &refusal else { panic!("{refusal:?}") };
    let listed: Vec<(&str, Truth)> = guards.iter().map(|(text, truth, _)| (text.as_str(), *truth)).collect();
    assert_eq!(listed, [("budget >= 1000", Truth::False), ("referral == true", Truth::Unknown)]);
    let text = refusal.to_string();
    assert!(text.starts_with("the move from `lead` to `deal` needs `budget >= 1000`, which is false"), "{text}");
    assert!(text.contains(" or `referral == true`, which is unknown"), "{text}");
    assert!(text.contains("referral is missing"), "{text}");

    // A transition without a guard needs nothing of the lead, and `*` covers every stage.
    let lost = index(&d, "lost");
    assert!(d.check_move(deal, lost, &Record::new(), now()).is_allowed());
    assert!(d.check_move(lead, lost, &Record::new(), now()).is_allowed());
}

#[test]
fn a_move_does_not_check_the_target_stages_own_rule_or_required_fields() {
    let d = default_definition();
    // `inquiry` wants an interest and an e-mail address; the move needs neither.
    assert!(check(d, "contact", "inquiry", &Record::new()).is_allowed());
    // `proposal` requires a company and a budget; the move does not.
    assert!(check(d, "prospect", "proposal", &Record::new().with("email", "x@example.com")).is_allowed());
}

// ---- handoffs -----------------------------------------------------------------------------

#[test]
fn a_move_that_changes_the_owner_is_a_handoff() {
    let d = default_definition();
    let (marketing, sales) = (team(d, "marketing"), team(d, "sales"));
    let Move::Allowed { handoff, transition } = check(d, "inquiry", "qualified_lead", &qualified_lead()) else {
        panic!("refused")
    };
    assert_eq!(handoff, Some((marketing, sales)));
    let t = &d.transitions()[transition.expect("a declared transition allowed it")];
    assert_eq!((t.from(), t.to()), (Some(index(d, "inquiry")), Some(index(d, "qualified_lead"))));

    let Move::Allowed { handoff, .. } = check(d, "prospect", "nurture", &Record::new()) else { panic!("refused") };
    assert_eq!(handoff, Some((sales, marketing)), "sending a lead back is a handoff too");

    let Move::Allowed { handoff, .. } = check(d, "qualified_lead", "prospect", &Record::new()) else {
        panic!("refused")
    };
    assert_eq!(handoff, None, "sales to sales is no handoff");
}

// ---- without transitions, and staying put -------------------------------------------------

const NO_TRANSITIONS: &str = r#"
[definition]
name = "Free moves"
[teams]
marketing = "Marketing"
sales = "Sales"
[fields]
email = "email"
budget = "number"
[[stages]]
id = "contact"
owner = "marketing"
when = "email is present"
[[stages]]
id = "mql"
owner = "marketing"
when = "budget > 0"
[[stages]]
id = "deal"
owner = "sales"
when = "budget > 10000"
[[stages]]
id = "won"
owner = "sales"
when = "false"
"#;

/// One loaded [`NO_TRANSITIONS`], so that the stages a strategy draws belong to the
/// definition the test checks them with.
fn no_transitions() -> &'static Definition {
    static D: OnceLock<Definition> = OnceLock::new();
    D.get_or_init(|| Definition::from_toml(NO_TRANSITIONS).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn without_transitions_every_move_is_allowed_and_handoffs_follow_the_owners(
        case in testing::moves(no_transitions(), RecordMix::default())
    ) {
        let d = no_transitions();
        let (a, b) = (d.stage_at(case.from).unwrap().owner(), d.stage_at(case.to).unwrap().owner());
        let expected = Move::Allowed { handoff: (a != b).then_some((a, b)), transition: None };
        prop_assert_eq!(d.check_move(case.from, case.to, &case.record, now()), expected);
        prop_assert_eq!(d.targets_from(case.from).len(), d.stages().len() - 1);
    }

    #[test]
    fn staying_in_the_same_stage_is_always_allowed_and_never_a_handoff(
        stage in testing::stage(default_definition()),
        record in testing::records(default_definition(), RecordMix::default()),
    ) {
        let d = default_definition();
        prop_assert_eq!(d.check_move(stage, stage, &record, now()), Move::Allowed { handoff: None, transition: None });
        prop_assert!(!d.moves_from(stage, &d.prepare(&record), now()).contains(&stage));
    }

    #[test]
    fn moves_from_lists_exactly_the_allowed_targets(
        case in testing::moves(default_definition(), RecordMix { valid: 8, invalid: 1, missing: 1 })
    ) {
        let d = default_definition();
        let prepared = d.prepare(&case.record);
        let allowed = d.moves_from(case.from, &prepared, now());
        let expected = case.from != case.to && d.check_move(case.from, case.to, &case.record, now()).is_allowed();
        prop_assert_eq!(allowed.contains(&case.to), expected);
        // Every allowed target is a declared one.
        let declared = d.targets_from(case.from);
        prop_assert!(allowed.iter().all(|t| declared.contains(t)));
    }
}

// ---- SLA replay -------------------------------------------------------------------------

fn change(lead: &str, stage: &str, time: &str) -> StageChange {
    StageChange { lead: lead.into(), stage: stage.into(), at: at(time) }
}

#[test]
fn a_breach_is_a_stay_strictly_longer_than_the_limit() {
    let d = default_definition(); // qualified_lead: sla 48h
    let limit = 48 * 3600;
    let history = [
        change("exact", "qualified_lead", "2026-11-01T00:00:00Z"),
        change("exact", "prospect", "2026-11-03T00:00:00Z"), // exactly 48h: no breach
        change("over", "qualified_lead", "2026-11-01T00:00:00Z"),
        change("over", "prospect", "2026-11-03T00:00:01Z"), // one second over
    ];
    let replay = d.replay(history, now());
    let breaches = replay.breaches(d);
    assert_eq!(breaches.len(), 1, "{breaches:#?}");
    assert_eq!(breaches[0].stay.lead, "over");
    assert_eq!(breaches[0].stay.stage, index(d, "qualified_lead"));
    assert_eq!((breaches[0].limit_seconds, breaches[0].stay.spent_seconds), (limit, limit + 1));
    assert_eq!(breaches[0].stay.left, Some(at("2026-11-03T00:00:01Z")));
}

#[test]
fn a_stay_still_open_runs_until_the_reference_time() {
    let d = default_definition();
    let history = [change("L1", "inquiry", "2026-11-19T00:00:00Z")]; // sla 2d
    let replay = d.replay(history.clone(), now());
    let stay = &replay.stays[0];
    assert_eq!((stay.left, stay.spent_seconds), (None, 3 * 86_400));
    assert_eq!(replay.breaches(d).len(), 1);
    // Just inside the limit at an earlier reference time: no breach.
    let replay = d.replay(history.clone(), at("2026-11-21T00:00:00Z"));
    assert_eq!(replay.stays[0].spent_seconds, 2 * 86_400);
    assert!(replay.breaches(d).is_empty());
    // A reference time before the change: the stay has not begun, so it is not reported.
    let replay = d.replay(history, at("2026-11-01"));
    assert!(replay.stays.is_empty(), "{replay:?}");
}

#[test]
fn a_replay_is_as_of_its_reference_time() {
    // Changes dated after the reference time are not known yet: the lead is still in the
    // stage it entered last before then (no `left` in the future), and a stay that has not
    // begun is not reported with 0 seconds.
    let d = default_definition();
    let history = [
        change("L1", "contact", "2026-11-01T00:00:00Z"),
        change("L1", "inquiry", "2026-11-10T00:00:00Z"),
        change("L1", "qualified_lead", "2026-11-30T00:00:00Z"),
    ];
    let replay = d.replay(history.clone(), at("2026-11-12T00:00:00Z"));
    let stays: Vec<_> =
        replay.stays.iter().map(|s| (d.stages()[s.stage.position()].id(), s.left, s.spent_seconds)).collect();
    assert_eq!(
        stays,
        [("contact", Some(at("2026-11-10T00:00:00Z")), 9 * 86_400), ("inquiry", None, 2 * 86_400)],
        "{replay:?}"
    );
    // inquiry's SLA is 2d: exactly 2 days is no breach; its breach is still open at `now`.
    assert!(replay.breaches(d).is_empty());
    let later = d.replay(history.clone(), at("2026-11-13T00:00:00Z"));
    assert_eq!(later.breaches(d).len(), 1);
    assert_eq!(later.breaches(d)[0].stay.left, None);
    // A change exactly at the reference time is known.
    let at_change = d.replay(history, at("2026-11-30T00:00:00Z"));
    assert_eq!(at_change.stays.last().map(|s| d.stages()[s.stage.position()].id()), Some("qualified_lead"));
}

#[test]
fn an_unknown_stage_is_reported_and_the_other_changes_are_still_replayed() {
    let d = default_definition();
    let history = vec![
        change("L1", "inquiry", "2026-11-01T00:00:00Z"),
        change("L1", "mql", "2026-11-02T00:00:00Z"), // not a stage word of the default
        change("L1", "qualified_lead", "2026-11-05T00:00:00Z"),
        change("L2", "contact", "2026-11-10T00:00:00Z"),
    ];
    let replay = d.replay(history.clone(), now());
    assert_eq!(replay.unknown.len(), 1);
    assert_eq!(replay.unknown[0].position, 1);
    assert_eq!(replay.unknown[0].change, history[1]);
    let stays: Vec<(&str, &str, i64)> =
        replay.stays.iter().map(|s| (s.lead.as_str(), d.stages()[s.stage.position()].id(), s.spent_seconds)).collect();
    assert_eq!(
        stays,
        [("L1", "inquiry", 4 * 86_400), ("L1", "qualified_lead", 17 * 86_400), ("L2", "contact", 12 * 86_400)]
    );
    // Both L1 stays are over their limits (2d and 48h).
    assert_eq!(replay.breaches(d).len(), 2);
}

#[test]
fn stage_words_may_be_aliases_display_names_or_in_another_case() {
    let d = default_definition();
    let words = ["contact", "SQL", "Opportunity", "QUOTE", "won"];
    let history: Vec<StageChange> =
        words.iter().enumerate().map(|(i, w)| change("L1", w, &format!("2026-11-0{}T00:00:00Z", i + 1))).collect();
    let replay = d.replay(history.clone(), now());
    assert!(replay.unknown.is_empty(), "{:?}", replay.unknown);
    let stages: Vec<&str> = replay.stays.iter().map(|s| d.stages()[s.stage.position()].id()).collect();
    assert_eq!(stages, ["contact", "qualified_lead", "prospect", "proposal", "customer"]);
    let reached: Vec<usize> = d.waterfall(history).steps.iter().map(|s| s.reached).collect();
    assert_eq!(reached, [1; 6]);
}

#[test]
fn repeated_changes_to_the_same_stage_are_one_stay() {
    let d = default_definition();
    let history = [
        change("L1", "inquiry", "2026-11-20T09:00:00Z"),
        change("L1", "inquiry", "2026-11-21T09:00:00Z"),
        change("L1", "nurture", "2026-11-21T10:00:00Z"),
    ];
    let replay = d.replay(history, now());
    assert_eq!(replay.stays.len(), 2);
    assert_eq!(replay.stays[0].spent_seconds, 25 * 3600);
}

fn shape(order: ChangeOrder) -> HistoryShape {
    HistoryShape { order, ..HistoryShape::default() }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn replay_does_not_depend_on_the_order_of_the_input(
        changes in testing::histories(default_definition(), shape(ChangeOrder::ByLead)),
        seed in any::<u64>(),
    ) {
        let d = default_definition();
        let reference = at("2026-09-01");
        let mut shuffled = changes.clone();
        // A permutation from the seed: sort by a hash of the position.
        let mut keyed: Vec<(u64, StageChange)> = shuffled
            .drain(..)
            .enumerate()
            .map(|(i, c)| ((i as u64 + 1).wrapping_mul(seed | 1).rotate_left(17), c))
            .collect();
        keyed.sort_by_key(|(k, _)| *k);
        let shuffled: Vec<StageChange> = keyed.into_iter().map(|(_, c)| c).collect();
        prop_assert_eq!(d.replay(changes.clone(), reference), d.replay(shuffled.clone(), reference));
        prop_assert_eq!(d.waterfall(changes), d.waterfall(shuffled));
    }

    #[test]
    fn shuffled_histories_replay_like_ordered_ones(
        changes in testing::histories(default_definition(), shape(ChangeOrder::Shuffled)),
    ) {
        let d = default_definition();
        let mut ordered = changes.clone();
        ordered.sort_by(|a, b| (&a.lead, a.at).cmp(&(&b.lead, b.at)));
        prop_assert_eq!(d.replay(changes, now()), d.replay(ordered, now()));
    }

    #[test]
    fn a_breach_is_reported_exactly_when_the_time_spent_exceeds_the_limit(
        changes in testing::histories(
            default_definition(),
            HistoryShape { max_gap_seconds: 5 * 86_400, path: StagePath::Declared, ..HistoryShape::default() },
        ),
        days_later in 0i64..60,
    ) {
        let d = default_definition();
        let reference = at("2026-01-01") + Duration::days(days_later);
        let replay = d.replay(changes, reference);
        let breaches = replay.breaches(d);
        let expected: Vec<_> = replay
            .stays
            .iter()
            .filter(|s| d.stages()[s.stage.position()].sla_seconds().is_some_and(|limit| s.spent_seconds > limit))
            .cloned()
            .collect();
        let reported: Vec<_> = breaches.iter().map(|b| b.stay.clone()).collect();
        prop_assert_eq!(reported, expected);
        for b in &breaches {
            prop_assert_eq!(Some(b.limit_seconds), d.stages()[b.stay.stage.position()].sla_seconds());
        }
    }

    #[test]
    fn each_leads_stays_follow_one_another_until_the_reference_time(
        changes in testing::histories(default_definition(), shape(ChangeOrder::ByTime)),
    ) {
        let d = default_definition();
        let reference = at("2027-06-01"); // after every generated change
        let replay = d.replay(changes.clone(), reference);
        prop_assert!(replay.unknown.is_empty());
        for lead in replay.stays.iter().map(|s| s.lead.clone()).collect::<std::collections::BTreeSet<_>>() {
            let stays: Vec<_> = replay.stays.iter().filter(|s| s.lead == lead).collect();
            for pair in stays.windows(2) {
                prop_assert_eq!(pair[0].left, Some(pair[1].entered));
                prop_assert_ne!(pair[0].stage, pair[1].stage);
            }
            prop_assert_eq!(stays.last().unwrap().left, None);
            let first = changes.iter().filter(|c| c.lead == lead).map(|c| c.at).min().unwrap();
            let total: i64 = stays.iter().map(|s| s.spent_seconds).sum();
            prop_assert_eq!(total, (reference - first).num_seconds());
        }
    }

    #[test]
    fn declared_paths_only_take_declared_moves(
        changes in testing::histories(
            default_definition(),
            HistoryShape { path: StagePath::Declared, order: ChangeOrder::ByLead, ..HistoryShape::default() },
        ),
    ) {
        let d = default_definition();
        for pair in changes.windows(2).filter(|p| p[0].lead == p[1].lead) {
            let (from, to) = (index(d, &pair[0].stage), index(d, &pair[1].stage));
            prop_assert!(d.targets_from(from).contains(&to), "{} -> {}", pair[0].stage, pair[1].stage);
        }
    }
}

// ---- diagnostics of the lifecycle tables --------------------------------------------------

const LIFECYCLE: &str = r#"[definition]
name = "Diagnostics"

[teams]
marketing = "Marketing"
sales = "Sales"

[fields]
email = "email"
budget = "number"

[[stages]]
id = "contact"
owner = "marketing"
when = "email is present"

[[stages]]
id = "qualified_lead"
owner = "sales"
when = "budget >= 10000"

[[transitions]]
from = "contact"
to = "qualified_lead"
"#;

fn diagnostics(source: &str) -> Vec<(Severity, usize, usize, String, Option<String>)> {
    let list = match Definition::from_toml(source) {
        Ok(d) => d.warnings().to_vec(),
        Err(e) => e.diagnostics,
    };
    codes::assert_codes(&list);
    list.into_iter().map(|d| (d.severity, d.line, d.column, d.message, d.hint)).collect()
}

#[test]
fn the_lifecycle_fixture_loads_cleanly() {
    assert_eq!(diagnostics(LIFECYCLE), []);
}

#[test]
fn a_transition_naming_an_unknown_stage_is_an_error_at_the_name_with_a_hint() {
    let source = LIFECYCLE.replace("to = \"qualified_lead\"", "to = \"qualifed_lead\"");
    assert_eq!(
        diagnostics(&source),
        [(
            Severity::Error,
            24,
            6,
            "unknown stage `qualifed_lead`".to_string(),
            Some("did you mean `qualified_lead`?".to_string())
        )]
    );
}

#[test]
fn a_transition_from_an_unknown_stage_is_an_error_too() {
    let source = LIFECYCLE.replace("from = \"contact\"", "from = \"contcat\"");
    let found = diagnostics(&source);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].1, found[0].2), (23, 8));
    assert_eq!(found[0].3, "unknown stage `contcat`");
    assert_eq!(found[0].4.as_deref(), Some("did you mean `contact`?"));
}

#[test]
fn a_guard_that_does_not_type_check_is_an_error_at_the_offending_value() {
    let source =
        LIFECYCLE.replace("to = \"qualified_lead\"\n", "to = \"qualified_lead\"\nwhen = \"budget >= 'high'\"\n");
    // Line 25 is `when = "budget >= 'high'"`; column 19 is the text `'high'`.
    assert_eq!(diagnostics(&source), [(Severity::Error, 25, 19, "a text where a number is needed".to_string(), None)]);
}

#[test]
fn a_guard_naming_an_unknown_field_points_at_the_field() {
    let source = LIFECYCLE.replace("to = \"qualified_lead\"\n", "to = \"qualified_lead\"\nwhen = \"budgett >= 1\"\n");
    assert_eq!(
        diagnostics(&source),
        [(Severity::Error, 25, 9, "unknown field `budgett`".to_string(), Some("did you mean `budget`?".to_string()))]
    );
}

#[test]
fn a_stage_no_transition_reaches_is_a_warning_at_its_id() {
    let source = format!("{LIFECYCLE}\n[[stages]]\nid = \"lost\"\nowner = \"sales\"\nwhen = \"false\"\n");
    // The new stage's `id` is on line 27 (after the blank line 25 and the header on 26).
    let d = Definition::from_toml(&source).expect("a warning does not stop loading");
    let warnings: Vec<String> = d.warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings, ["27:6: warning: no declared transition reaches the stage `lost`"]);
    assert_eq!(d.warnings()[0].severity, Severity::Warning);
}

#[test]
fn without_transitions_no_stage_is_unreachable() {
    let d = Definition::from_toml(NO_TRANSITIONS).unwrap();
    assert!(d.warnings().is_empty());
}

#[test]
fn a_wildcard_transition_reaches_its_target_from_everywhere() {
    let source = format!(
        "{LIFECYCLE}\n[[stages]]\nid = \"lost\"\nowner = \"sales\"\nwhen = \"false\"\n\n[[transitions]]\nfrom = \"*\"\nto = \"lost\"\n"
    );
    let d = Definition::from_toml(&source).unwrap();
    assert!(d.warnings().is_empty(), "{:?}", d.warnings());
    let lost = index(&d, "lost");
    for from in d.stages() {
        assert!(d.check_move(from.index(), lost, &Record::new(), now()).is_allowed());
    }
    // Nothing leaves `lost`: only declared moves are allowed.
    assert!(d.targets_from(lost).is_empty());
}
