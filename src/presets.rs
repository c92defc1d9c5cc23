//! The embedded default definition: a ready-made lifecycle to start from.

use std::sync::OnceLock;

use crate::Definition;

/// The TOML text of the default definition (also shipped as `examples/definitions/default.toml`).
pub const DEFAULT_DEFINITION_TOML: &str = include_str!("../examples/definitions/default.toml");

/// The default definition, loaded once: the ladder contact, inquiry, nurture, qualified
/// lead, prospect, proposal and customer, owned by `marketing` then `sales`, with BANT
/// qualification and a required `email`.
///
/// ```
/// use leadspec::{default_definition, Record};
/// use chrono::{TimeZone, Utc};
/// let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
/// let result = default_definition().classify(&Record::new().with("email", "ann@example.com"), now);
/// assert_eq!(result.stage().unwrap().id(), "contact");
/// ```
pub fn default_definition() -> &'static Definition {
    static DEFAULT: OnceLock<Definition> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        Definition::from_toml(DEFAULT_DEFINITION_TOML).expect("the embedded default definition loads (tested)")
    })
}
