//! Arbitrary text as one rule (a stage's, criterion's, scoring rule's or transition's
//! `when`, quoted in one of TOML's four string styles) inside a valid definition with a field
//! of every type; what loads classifies fixed records at fixed times.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    leadspec_fuzz::harness::rule_in_definition(data);
});
