#![cfg(feature = "proptest")]
//! The promises of `leadspec::testing` itself: records hold the mix of values asked for,
//! histories have the shape asked for.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use leadspec::testing::{self, ChangeOrder, HistoryShape, RecordGen, RecordMix, StagePath};
use leadspec::{Definition, Slot};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

fn definitions() -> Vec<(String, Definition)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/definitions");
    let mut files: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| (p.display().to_string(), Definition::from_toml(&fs::read_to_string(&p).unwrap()).unwrap()))
        .collect()
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() })
}

#[test]
fn a_pure_mix_gives_every_field_that_kind_of_value() {
    for (name, d) in definitions() {
        for (mix, want) in
            [(RecordMix::VALID, "valid"), (RecordMix::INVALID, "invalid"), (RecordMix::MISSING, "missing")]
        {
            runner(64)
                .run(&testing::records(&d, mix), |record| {
                    for (field, slot) in d.fields().iter().zip(d.prepare(&record).slots()) {
                        let got = match slot {
                            Slot::Missing => "missing",
                            Slot::Invalid => "invalid",
                            _ => "valid",
                        };
                        prop_assert_eq!(got, want, "{}: field `{}` from {:?}", name, field.id, record.get(&field.id));
                    }
                    Ok(())
                })
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn a_mixed_mix_gives_each_kind_for_each_field_sooner_or_later() {
    for (name, d) in definitions() {
        let seen = std::cell::RefCell::new(vec![BTreeSet::new(); d.fields().len()]);
        runner(300)
            .run(&testing::records(&d, RecordMix { valid: 1, invalid: 1, missing: 1 }), |record| {
                for (i, slot) in d.prepare(&record).slots().enumerate() {
                    let kind = match slot {
                        Slot::Missing => 0,
                        Slot::Invalid => 1,
                        _ => 2,
                    };
                    seen.borrow_mut()[i].insert(kind);
                }
                Ok(())
            })
            .unwrap();
        for (field, kinds) in d.fields().iter().zip(seen.into_inner()) {
            assert_eq!(kinds.len(), 3, "{name}: field `{}` only got kinds {kinds:?}", field.id);
        }
    }
}

#[test]
fn per_field_mixes_override_the_general_one() {
    let d = leadspec::default_definition();
    let strategy = RecordGen::new(d)
        .mix(RecordMix::INVALID)
        .mix_by(|f| if f.required { RecordMix::VALID } else { RecordMix::MISSING })
        .field("budget", RecordMix::INVALID)
        .strategy();
    let (email, budget) =
        (d.field_position("email").unwrap().position(), d.field_position("budget").unwrap().position());
    runner(64)
        .run(&strategy, |record| {
            for (i, slot) in d.prepare(&record).slots().enumerate() {
                match i {
                    i if i == email => prop_assert!(slot.is_present()),
                    i if i == budget => prop_assert_eq!(slot, Slot::Invalid),
                    _ => prop_assert_eq!(slot, Slot::Missing),
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
#[should_panic(expected = "no field `budgett`")]
fn naming_a_field_the_definition_lacks_is_a_mistake_in_the_test() {
    let _ = RecordGen::new(leadspec::default_definition()).field("budgett", RecordMix::VALID);
}

#[test]
fn histories_have_the_shape_asked_for() {
    for (name, d) in definitions() {
        for order in [ChangeOrder::ByTime, ChangeOrder::ByLead, ChangeOrder::Shuffled] {
            let shape = HistoryShape { leads: 2..=4, changes_per_lead: 1..=3, order, ..HistoryShape::default() };
            let start = shape.start;
            let max_gap = shape.max_gap_seconds;
            runner(64)
                .run(&testing::histories(&d, shape), |changes| {
                    let leads: BTreeSet<&str> = changes.iter().map(|c| c.lead.as_str()).collect();
                    prop_assert!((2..=4).contains(&leads.len()), "{:?}", leads);
                    for lead in &leads {
                        let mine: Vec<_> = changes.iter().filter(|c| c.lead == *lead).collect();
                        prop_assert!((1..=3).contains(&mine.len()));
                        let mut times: Vec<_> = mine.iter().map(|c| c.at).collect();
                        if order != ChangeOrder::Shuffled {
                            prop_assert!(times.windows(2).all(|w| w[0] <= w[1]), "{}: not in time order", name);
                        }
                        times.sort();
                        prop_assert!(times[0] >= start);
                        prop_assert!((*times.last().unwrap() - start).num_seconds() <= 3 * max_gap);
                    }
                    if order == ChangeOrder::ByTime {
                        prop_assert!(changes.windows(2).all(|w| w[0].at <= w[1].at));
                    }
                    prop_assert!(changes.iter().all(|c| d.stage_index(&c.stage).is_some()));
                    Ok(())
                })
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

#[test]
fn declared_paths_follow_the_transitions_of_every_shipped_definition() {
    for (name, d) in definitions() {
        let shape = HistoryShape { path: StagePath::Declared, order: ChangeOrder::ByLead, ..HistoryShape::default() };
        runner(64)
            .run(&testing::histories(&d, shape), |changes| {
                for w in changes.windows(2).filter(|w| w[0].lead == w[1].lead) {
                    let (from, to) = (d.stage_index(&w[0].stage).unwrap(), d.stage_index(&w[1].stage).unwrap());
                    prop_assert!(d.targets_from(from).contains(&to), "{}: {} -> {}", name, w[0].stage, w[1].stage);
                }
                Ok(())
            })
            .unwrap();
    }
}
