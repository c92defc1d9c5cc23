//! Validation errors and their messages.

use std::fmt;

/// The rule a field's value broke: `required`, or the type its value is not. Named as the
/// keys of `[messages]` name them.
///
/// ```
/// use leadspec::ValidationRule;
/// assert_eq!(ValidationRule::from_name("url"), Some(ValidationRule::Url));
/// assert_eq!(ValidationRule::Url.name(), "url");
/// assert_eq!(ValidationRule::Url.default_message(), "Website address invalid");
/// assert_eq!(ValidationRule::from_name("website"), None);
/// assert_eq!(ValidationRule::ALL.len(), 9);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValidationRule {
    /// A required field (`required = true`, or in the stage's `requires`) is missing.
    Required,
    /// A `string` value is not text (such as a JSON object).
    String,
    /// Not a number.
    Number,
    /// Not a boolean.
    Boolean,
    /// Not a date.
    Date,
    /// Not a valid e-mail address.
    Email,
    /// Not an absolute `http`/`https` address with a host.
    Url,
    /// Not one of the enum's values.
    Enum,
    /// Not a list of strings.
    List,
}

impl ValidationRule {
    /// Every rule.
    pub const ALL: [ValidationRule; 9] = [
        ValidationRule::Required,
        ValidationRule::String,
        ValidationRule::Number,
        ValidationRule::Boolean,
        ValidationRule::Date,
        ValidationRule::Email,
        ValidationRule::Url,
        ValidationRule::Enum,
        ValidationRule::List,
    ];

    /// The rule's name, as `[messages]` keys it: `required`, `email`, `url`, `number`, ...
    pub fn name(self) -> &'static str {
        match self {
            ValidationRule::Required => "required",
            ValidationRule::String => "string",
            ValidationRule::Number => "number",
            ValidationRule::Boolean => "boolean",
            ValidationRule::Date => "date",
            ValidationRule::Email => "email",
            ValidationRule::Url => "url",
            ValidationRule::Enum => "enum",
            ValidationRule::List => "list",
        }
    }

    /// The rule with this name.
    pub fn from_name(name: &str) -> Option<ValidationRule> {
        ValidationRule::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The message used when the definition does not override it.
    pub fn default_message(self) -> &'static str {
        match self {
            ValidationRule::Required => "Required field missing",
            ValidationRule::String => "Text value invalid",
            ValidationRule::Number => "Number invalid",
            ValidationRule::Boolean => "Yes/no value invalid",
            ValidationRule::Date => "Date invalid",
            ValidationRule::Email => "Email address invalid",
            ValidationRule::Url => "Website address invalid",
            ValidationRule::Enum => "Value not among the allowed values",
            ValidationRule::List => "List invalid",
        }
    }

    /// The rule broken by an invalid value of a field of type `ty`.
    pub(crate) fn for_type(ty: crate::FieldType) -> ValidationRule {
        use crate::FieldType as T;
        match ty {
            T::String => ValidationRule::String,
            T::Number => ValidationRule::Number,
            T::Boolean => ValidationRule::Boolean,
            T::Date => ValidationRule::Date,
            T::Email => ValidationRule::Email,
            T::Url => ValidationRule::Url,
            T::Enum => ValidationRule::Enum,
            T::List => ValidationRule::List,
        }
    }
}

impl fmt::Display for ValidationRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The validation messages of a definition: the defaults, overridden by `[messages]`.
///
/// ```
/// use leadspec::{Messages, ValidationRule};
/// let m = Messages::default();
/// assert_eq!(m.get(ValidationRule::Email), "Email address invalid");
/// assert_eq!(m.get(ValidationRule::Url), "Website address invalid");
/// assert_eq!(m.get(ValidationRule::Required), "Required field missing");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Messages {
    overrides: Vec<(ValidationRule, String)>,
}

impl Messages {
    /// The message for `rule`.
    pub fn get(&self, rule: ValidationRule) -> &str {
        self.overrides.iter().find(|(r, _)| *r == rule).map_or(rule.default_message(), |(_, m)| m.as_str())
    }

    /// Overrides the message for `rule`.
    ///
    /// ```
    /// use leadspec::{Messages, ValidationRule};
    /// let mut m = Messages::default();
    /// m.set(ValidationRule::Required, "Pflichtfeld fehlt");
    /// assert_eq!(m.get(ValidationRule::Required), "Pflichtfeld fehlt");
    /// assert_eq!(m.get(ValidationRule::Date), "Date invalid");
    /// ```
    pub fn set(&mut self, rule: ValidationRule, message: impl Into<String>) {
        let message = message.into();
        match self.overrides.iter_mut().find(|(r, _)| *r == rule) {
            Some(entry) => entry.1 = message,
            None => self.overrides.push((rule, message)),
        }
    }
}

/// A field of a record that broke a validation rule.
///
/// ```
/// use leadspec::{Record, ValidationError, ValidationRule};
/// let d = leadspec::default_definition();
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let result = d.classify(&Record::new().with("email", "ann(at)example.com"), now);
/// assert_eq!(result.errors(), [ValidationError {
///     field: "email".into(),
///     rule: ValidationRule::Email,
///     message: "Email address invalid".into(),
/// }]);
/// assert_eq!(result.errors()[0].to_string(), "email: Email address invalid");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The field id.
    pub field: String,
    /// The rule it broke.
    pub rule: ValidationRule,
    /// The message, from the definition's `[messages]` or the default.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
