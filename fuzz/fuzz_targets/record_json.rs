//! Arbitrary bytes as one JSON record against the rich definition (every reading key),
//! read with `Definition::prepare_from` and as a `Record`, classified and explained.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    leadspec_fuzz::harness::record_json(data);
});
