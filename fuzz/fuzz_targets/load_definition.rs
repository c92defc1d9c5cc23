//! Arbitrary bytes, read as UTF-8 (lossy), loaded as a definition: every diagnostic lies in
//! the text, and whatever loads is used without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    leadspec_fuzz::harness::load_definition(data);
});
