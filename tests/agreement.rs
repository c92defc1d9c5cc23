//! leadspec and hand-written Rust agree on every record of the benchmark set (issue 6).
//!
//! The benchmark's fixture (`benches/common/`) draws each lead once and hands it to both: as a
//! raw record to leadspec, as a validated plain struct to the hand-written rules. This test
//! checks, record by record, that leadspec's coercion finds the same values valid, and that
//! both give the same criteria and the same stage. The CEL version is checked in the
//! `compare/` crate (`cargo test -p leadspec-compare`), so that CEL never slows this suite.

#[path = "../benches/common/mod.rs"]
mod common;

use common::hand;
use leadspec::{Definition, Truth};

fn truth(state: Option<bool>) -> Truth {
    state.map_or(Truth::Unknown, Truth::from)
}

#[test]
fn the_benchmark_definition_loads_cleanly() {
    let definition = Definition::from_toml(common::DEFINITION).unwrap();
    assert!(definition.warnings().is_empty(), "{:?}", definition.warnings());
    assert_eq!(definition.fields().len(), 21);
    assert_eq!(definition.stages().len(), 8);
    assert_eq!(definition.qualification().criteria().len(), 4);
    let ids: Vec<&str> = definition.stages().iter().map(|s| s.id()).collect();
    assert_eq!(ids, hand::STAGE_IDS);
    let fields: Vec<&str> = definition.fields().iter().map(|f| f.id.as_str()).collect();
    let lead = &common::samples(1, common::SEED)[0].lead;
    let names: Vec<&str> = common::presence(lead).iter().map(|(name, _)| *name).collect();
    assert_eq!(fields, names);
}

#[test]
fn leadspec_and_hand_written_rust_agree_on_every_benchmark_record() {
    let definition = Definition::from_toml(common::DEFINITION).unwrap();
    let (now, today) = (common::now(), common::today());
    for (i, sample) in common::benchmark_samples().iter().enumerate() {
        let prepared = definition.prepare(&sample.record);
        for ((name, known), slot) in common::presence(&sample.lead).iter().zip(prepared.slots()) {
            assert_eq!(slot.is_present(), *known, "record {i}, field {name}: {slot:?} from {:?}", sample.record);
        }
        let expected_stage = hand::stage_of(&sample.lead, today).map(|s| s as usize);
        assert_eq!(
            definition.stage_of(&prepared, now).unwrap().map(|s| s.position()),
            expected_stage,
            "record {i}: {:?}",
            sample.record
        );
        let classification = definition.classify_prepared(&prepared, now).unwrap();
        assert_eq!(classification.stage_index().map(|s| s.position()), expected_stage, "record {i}");
        let criteria: Vec<Truth> = hand::criteria(&sample.lead, today).into_iter().map(truth).collect();
        assert_eq!(classification.criterion_states(), criteria, "record {i}: {:?}", sample.record);
    }
}

/// The set is varied: every stage is reached, some leads are unclassified, and values are
/// missing and invalid in every field.
#[test]
fn the_benchmark_set_reaches_every_stage_with_missing_and_invalid_values() {
    let definition = Definition::from_toml(common::DEFINITION).unwrap();
    let samples = common::benchmark_samples();
    let mut per_stage = [0usize; 9];
    let (mut missing, mut invalid) = ([0usize; 21], [0usize; 21]);
    for sample in &samples {
        let prepared = definition.prepare(&sample.record);
        let stage = definition.stage_of(&prepared, common::now()).unwrap();
        per_stage[stage.map_or(8, |s| s.position())] += 1;
        for (k, slot) in prepared.slots().enumerate() {
            match slot {
                leadspec::Slot::Missing => missing[k] += 1,
                leadspec::Slot::Invalid => invalid[k] += 1,
                _ => {}
            }
        }
    }
    for (k, count) in per_stage.iter().enumerate() {
        assert!(*count >= samples.len() / 100, "stage {k} reached by only {count} records: {per_stage:?}");
    }
    let fields = definition.fields();
    for (k, field) in fields.iter().enumerate() {
        assert!(missing[k] > 0, "{} is never missing", field.id);
        let can_be_invalid = !matches!(field.ty, leadspec::FieldType::String);
        assert_eq!(invalid[k] > 0, can_be_invalid, "{}: {} invalid", field.id, invalid[k]);
    }
}
