//! leadspec, hand-written Rust and CEL give every benchmark record the same stage.

use leadspec::Definition;
use leadspec_compare::cel::{lead_value, CelRules, Website};
use leadspec_compare::common::{self, hand};

#[test]
fn all_three_agree_on_the_stage_of_every_benchmark_record() {
    let definition = Definition::from_toml(common::DEFINITION).unwrap();
    let (now, today) = (common::now(), common::today());
    let cel = CelRules::new(today, Website::Matches);
    let cel_ends_with = CelRules::new(today, Website::EndsWith);
    let mut per_stage = [0usize; 9];
    for (i, sample) in common::benchmark_samples().iter().enumerate() {
        let leadspec = definition.stage_of(&definition.prepare(&sample.record), now);
        let hand = hand::stage_of(&sample.lead, today).map(|s| s as usize);
        let value = lead_value(&sample.lead);
        let cel_stage = cel.stage_of(&value).map(|s| s as usize);
        assert_eq!(leadspec, hand, "record {i}: leadspec vs hand-written, {:?}", sample.record);
        assert_eq!(leadspec, cel_stage, "record {i}: leadspec vs CEL, {:?}", sample.lead);
        assert_eq!(cel_stage, cel_ends_with.stage_of(&value).map(|s| s as usize), "record {i}: CEL variants");
        per_stage[leadspec.unwrap_or(8)] += 1;
    }
    assert!(per_stage.iter().all(|&n| n > 0), "{per_stage:?}");
}
