#![cfg(feature = "proptest")]
//! The shared vocabulary: translating stages between definitions, finding stages by the
//! words people use, and funnels that count by stage, owner and shared word.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use leadspec::testing::{self, RecordGen, RecordMix};
use leadspec::{default_definition, Definition, Funnel, Record, SharedWord};
use proptest::prelude::*;
use proptest::sample::subsequence;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
}

fn shipped(name: &str) -> Definition {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/definitions").join(name);
    Definition::from_toml(&fs::read_to_string(&path).unwrap()).unwrap()
}

/// `a`'s stage `stage`, translated into `b`: the id of its counterpart, if any.
fn translate<'b>(a: &Definition, stage: &str, b: &'b Definition) -> Option<&'b str> {
    let index = a.stage_index(stage).unwrap_or_else(|| panic!("no stage `{stage}`"));
    a.translate(index, b).map(|i| b.stages()[i.position()].id())
}

#[test]
fn a_stage_translates_to_the_stage_with_the_same_shared_word() {
    let (default, ladder, crm) =
        (default_definition(), shipped("suspect_ladder.toml"), shipped("crm_lead_status.toml"));
    assert_eq!(translate(default, "contact", &ladder), Some("contact"));
    assert_eq!(translate(default, "qualified_lead", &ladder), Some("sql"));
    assert_eq!(translate(default, "prospect", &ladder), Some("opportunity"));
    assert_eq!(translate(default, "qualified_lead", &crm), Some("qualified"));
    assert_eq!(translate(&crm, "working_contacted", default), Some("inquiry"));
    assert_eq!(translate(&ladder, "customer", default), Some("customer"));
}

#[test]
fn a_funnel_word_the_other_lacks_goes_to_the_nearest_earlier_one_it_has() {
    let (default, ladder, crm) =
        (default_definition(), shipped("suspect_ladder.toml"), shipped("crm_lead_status.toml"));
    // The default has neither `mql` nor `sal`: both fall back to `inquiry`.
    assert_eq!(translate(&ladder, "mql", default), Some("inquiry"));
    assert_eq!(translate(&ladder, "sal", default), Some("inquiry"));
    // The ladder has no `proposal`: the nearest earlier is `opportunity`.
    assert_eq!(translate(default, "proposal", &ladder), Some("opportunity"));
    // The CRM statuses end at `opportunity`: proposals and customers land there.
    assert_eq!(translate(default, "proposal", &crm), Some("closed_converted"));
    assert_eq!(translate(default, "customer", &crm), Some("closed_converted"));
}

#[test]
fn a_funnel_word_with_nothing_earlier_in_the_other_has_no_counterpart() {
    let (default, ladder) = (default_definition(), shipped("suspect_ladder.toml"));
    // The default starts at `contact`; nothing in it comes before a suspect.
    assert_eq!(translate(&ladder, "suspect", default), None);
}

#[test]
fn a_side_word_translates_only_to_the_same_side_word() {
    let (default, ladder, crm, automation) = (
        default_definition(),
        shipped("suspect_ladder.toml"),
        shipped("crm_lead_status.toml"),
        shipped("marketing_automation.toml"),
    );
    assert_eq!(translate(default, "nurture", &crm), Some("nurturing"));
    // The ladder has `recycled` and `disqualified`, but no `nurture`: no counterpart,
    // and certainly not a funnel stage.
    assert_eq!(translate(default, "nurture", &ladder), None);
    assert_eq!(translate(&ladder, "recycled", default), None);
    assert_eq!(translate(&ladder, "recycled", &automation), Some("recycled"));
    assert_eq!(translate(&ladder, "disqualified", &crm), Some("closed_not_converted"));
    assert_eq!(translate(&crm, "closed_not_converted", &automation), None);
}

#[test]
fn a_stage_without_a_shared_word_has_no_counterpart() {
    let automation = shipped("marketing_automation.toml");
    assert_eq!(automation.stage("opted_out").unwrap().shared_word(), None);
    for other in [default_definition().clone(), shipped("suspect_ladder.toml"), automation.clone()] {
        assert_eq!(translate(&automation, "opted_out", &other), None);
    }
}

#[test]
fn stages_are_found_by_id_alias_or_display_name_ignoring_case() {
    let d = default_definition();
    let find = |word: &str| d.find_stage(word).map(|i| d.stages()[i.position()].id());
    assert_eq!(find("qualified_lead"), Some("qualified_lead"));
    assert_eq!(find("SQL"), Some("qualified_lead"));
    assert_eq!(find("sql"), Some("qualified_lead"));
    assert_eq!(find("Qualified lead"), Some("qualified_lead"));
    assert_eq!(find("warm lead"), Some("nurture"));
    assert_eq!(find("Deal"), Some("prospect"));
    assert_eq!(find("lead"), None);
}

// ---- translation laws over generated definitions --------------------------------------------

/// A definition with one team and one stage per entry (id, shared word).
fn definition(name: &str, stages: &[(String, Option<SharedWord>)]) -> Definition {
    let mut toml = format!("[definition]\nname = \"{name}\"\n[teams]\nteam = \"Team\"\n");
    for (id, word) in stages {
        toml.push_str(&format!("\n[[stages]]\nid = \"{id}\"\nowner = \"team\"\nwhen = \"true\"\n"));
        if let Some(word) = word {
            toml.push_str(&format!("canonical = \"{word}\"\n"));
        }
    }
    Definition::from_toml(&toml).unwrap_or_else(|e| panic!("{e}\n{toml}"))
}

/// Shared words in some order, each used once, plus up to three stages without one.
fn stage_words() -> impl Strategy<Value = Vec<Option<SharedWord>>> {
    (subsequence(SharedWord::ALL.to_vec(), 1..=SharedWord::ALL.len()), 0..3usize).prop_flat_map(|(words, plain)| {
        let mut all: Vec<Option<SharedWord>> = words.into_iter().map(Some).collect();
        all.extend(std::iter::repeat_n(None, plain));
        Just(all).prop_shuffle()
    })
}

/// The counterpart the contract describes, computed from the words alone.
fn expected_counterpart(word: Option<SharedWord>, other: &Definition) -> Option<usize> {
    let word = word?;
    let find = |w: SharedWord| other.stages().iter().position(|s| s.shared_word() == Some(w));
    match word.funnel_position() {
        None => find(word),
        Some(position) => (0..=position).rev().find_map(|p| find(SharedWord::ALL[p])),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn translating_into_a_definition_with_the_same_shared_words_and_back_returns_the_stage(
        words in stage_words(),
        order in any::<u64>(),
    ) {
        // A uses one set of ids and order; B the same shared words under other ids, in another order.
        let a_stages: Vec<(String, Option<SharedWord>)> =
            words.iter().enumerate().map(|(i, w)| (format!("a_stage_{i}"), *w)).collect();
        let mut b_stages: Vec<(String, Option<SharedWord>)> =
            words.iter().enumerate().map(|(i, w)| (format!("their_word_{i}"), *w)).collect();
        let rotation = (order % b_stages.len() as u64) as usize;
        b_stages.rotate_left(rotation);
        b_stages.reverse();
        let (a, b) = (definition("A", &a_stages), definition("B", &b_stages));
        for stage in a.stages() {
            let i = stage.index();
            match stage.shared_word() {
                Some(word) => {
                    let there = a.translate(i, &b);
                    prop_assert!(there.is_some(), "{} ({word}) has no counterpart", stage.id());
                    let there = there.unwrap();
                    prop_assert_eq!(b.stages()[there.position()].shared_word(), Some(word));
                    prop_assert_eq!(b.translate(there, &a), Some(i));
                }
                None => prop_assert_eq!(a.translate(i, &b), None),
            }
        }
    }

    #[test]
    fn translation_follows_the_contract_between_any_two_vocabularies(
        a_words in stage_words(),
        b_words in stage_words(),
    ) {
        let a = definition("A", &a_words.iter().enumerate().map(|(i, w)| (format!("a{i}"), *w)).collect::<Vec<_>>());
        let b = definition("B", &b_words.iter().enumerate().map(|(i, w)| (format!("b{i}"), *w)).collect::<Vec<_>>());
        for stage in a.stages() {
            let got = a.translate(stage.index(), &b).map(|j| j.position());
            prop_assert_eq!(got, expected_counterpart(stage.shared_word(), &b), "stage {:?}", stage.shared_word());
            if let (Some(from), Some(to)) = (stage.shared_word(), got.and_then(|j| b.stages()[j].shared_word())) {
                // Never later in the funnel, and side words stay side words.
                prop_assert_eq!(from.is_side(), to.is_side());
                if let (Some(p), Some(q)) = (from.funnel_position(), to.funnel_position()) {
                    prop_assert!(q <= p);
                }
            }
        }
    }
}

// ---- funnels ----------------------------------------------------------------------------------

fn leads(d: &Definition) -> impl Strategy<Value = Vec<Record>> {
    proptest::collection::vec(RecordGen::new(d).dates_around(now().date_naive()).strategy(), 0..40)
}

/// Checks the counting laws of one funnel over `records` plus `unreadable` unreadable ones.
fn check_funnel(d: &Definition, records: &[Record], unreadable: usize) -> Result<(), TestCaseError> {
    let mut funnel = Funnel::new(d);
    let mut by_stage = vec![0usize; d.stages().len()];
    for record in records {
        let result = d.classify(record, now());
        if let Some(i) = result.stage_index() {
            by_stage[i.position()] += 1;
        }
        funnel.add(&result);
    }
    for _ in 0..unreadable {
        funnel.add_unreadable();
    }
    prop_assert_eq!(funnel.total(), records.len() + unreadable);
    prop_assert_eq!(funnel.unreadable(), unreadable);
    prop_assert_eq!(funnel.stage_counts(), &by_stage[..]);
    let classified: usize = funnel.stage_counts().iter().sum();
    prop_assert_eq!(classified + funnel.unclassified(), records.len());
    prop_assert_eq!(funnel.owner_counts().iter().sum::<usize>(), classified);
    for (t, &n) in funnel.owner_counts().iter().enumerate() {
        let owned: usize =
            d.stages().iter().zip(&by_stage).filter(|(s, _)| s.owner().position() == t).map(|(_, &c)| c).sum();
        prop_assert_eq!(n, owned);
    }
    let with_word: usize =
        d.stages().iter().zip(&by_stage).filter(|(s, _)| s.shared_word().is_some()).map(|(_, &c)| c).sum();
    prop_assert_eq!(funnel.shared_counts().values().sum::<usize>(), with_word);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_default_funnel_adds_up(records in leads(default_definition()), unreadable in 0..5usize) {
        check_funnel(default_definition(), &records, unreadable)?;
    }

    #[test]
    fn comparing_two_funnels_lists_every_shared_word_of_either_with_both_counts(
        a_records in leads(default_definition()),
        b_part in proptest::collection::vec(testing::records(&shipped("suspect_ladder.toml"), RecordMix::default()), 0..40),
    ) {
        let (a, b) = (default_definition(), shipped("suspect_ladder.toml"));
        // The same leads, described with the fields of both definitions.
        let records: Vec<Record> = a_records
            .iter()
            .zip(b_part.iter().chain(std::iter::repeat(&Record::new())))
            .map(|(x, y)| x.iter().chain(y.iter()).map(|(k, v)| (k.to_string(), v.clone())).collect())
            .collect();
        let (mut fa, mut fb) = (Funnel::new(a), Funnel::new(&b));
        for r in &records {
            fa.add(&a.classify(r, now()));
            fb.add(&b.classify(r, now()));
        }
        let compared = fa.compare(&fb);
        let words: std::collections::BTreeSet<SharedWord> =
            a.stages().iter().chain(b.stages()).filter_map(|s| s.shared_word()).collect();
        prop_assert_eq!(compared.keys().copied().collect::<std::collections::BTreeSet<_>>(), words);
        let (sa, sb): (BTreeMap<_, _>, BTreeMap<_, _>) = (fa.shared_counts(), fb.shared_counts());
        for (word, (x, y)) in &compared {
            prop_assert_eq!(*x, sa.get(word).copied().unwrap_or(0));
            prop_assert_eq!(*y, sb.get(word).copied().unwrap_or(0));
        }
        prop_assert_eq!(compared.values().map(|(x, _)| x).sum::<usize>() + fa.unclassified(), records.len());
    }
}

#[test]
fn every_shipped_funnel_adds_up() {
    for name in ["suspect_ladder.toml", "marketing_automation.toml", "crm_lead_status.toml"] {
        let d = shipped(name);
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(32));
        runner
            .run(&(leads(&d), 0..3usize), |(records, unreadable)| check_funnel(&d, &records, unreadable))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
