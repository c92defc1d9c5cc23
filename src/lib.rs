//! leadspec: write down what a lead is, and classify leads with it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod diagnostic;
pub mod field;
pub mod limits;
pub mod record;
pub mod rule;
pub mod truth;

pub use diagnostic::{Diagnostic, LoadError, Severity, Span};
pub use field::{Field, FieldType};
pub use limits::Limits;
pub use record::Slot;
pub use truth::Truth;
