//! A definition built from a grammar (`arbitrary`): stages, fields, criteria, scoring,
//! transitions and examples from small pools of identifiers, rules from a small expression
//! grammar, rendered to TOML and loaded. Every diagnostic lies in the text; what loads
//! classifies the records built alongside it without panicking.
#![no_main]

use leadspec_fuzz::grammar::Spec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|spec: Spec| {
    leadspec_fuzz::grammar::run(&spec);
});
