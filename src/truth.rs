//! Three-valued (Kleene) truth: `true`, `false` and `unknown`.

use std::fmt;

/// The result of a rule: true, false, or unknown (some value it needed was missing or invalid).
///
/// `and`, `or` and `not` follow Kleene's strong logic: `false and unknown` is `false`,
/// `true or unknown` is `true`, `not unknown` is `unknown`.
///
/// ```
/// use leadspec::Truth;
/// assert_eq!(Truth::False.and(Truth::Unknown), Truth::False);
/// assert_eq!(Truth::True.or(Truth::Unknown), Truth::True);
/// assert_eq!(Truth::Unknown.not(), Truth::Unknown);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Truth {
    /// Definitely false.
    False,
    /// Not known: a value the rule needed is missing or invalid.
    Unknown,
    /// Definitely true.
    True,
}

impl Truth {
    /// Kleene conjunction: the minimum of the two, with `False < Unknown < True`.
    ///
    /// ```
    /// use leadspec::Truth::*;
    /// assert_eq!(True.and(Unknown), Unknown); // it depends on what is not known
    /// assert_eq!(False.and(Unknown), False); // whatever it is
    /// assert_eq!(True.and(True), True);
    /// ```
    #[inline]
    #[must_use]
    pub fn and(self, other: Truth) -> Truth {
        self.min(other)
    }

    /// Kleene disjunction: the maximum of the two.
    ///
    /// ```
    /// use leadspec::Truth::*;
    /// assert_eq!(False.or(Unknown), Unknown);
    /// assert_eq!(True.or(Unknown), True);
    /// assert_eq!(False.or(False), False);
    /// ```
    #[inline]
    #[must_use]
    pub fn or(self, other: Truth) -> Truth {
        self.max(other)
    }

    /// Kleene negation: swaps true and false, keeps unknown.
    ///
    /// ```
    /// use leadspec::Truth::*;
    /// assert_eq!((True.not(), False.not(), Unknown.not()), (False, True, Unknown));
    /// ```
    #[inline]
    #[must_use]
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Truth {
        match self {
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
            Truth::True => Truth::False,
        }
    }

    /// `Some(bool)` when known, `None` when unknown.
    ///
    /// ```
    /// use leadspec::Truth;
    /// assert_eq!(Truth::True.known(), Some(true));
    /// assert_eq!(Truth::Unknown.known(), None);
    /// assert!(Truth::True.is_true() && !Truth::Unknown.is_true());
    /// assert_eq!(Truth::from(false), Truth::False);
    /// ```
    #[inline]
    pub fn known(self) -> Option<bool> {
        match self {
            Truth::False => Some(false),
            Truth::Unknown => None,
            Truth::True => Some(true),
        }
    }

    /// Whether this is [`Truth::True`].
    #[inline]
    pub fn is_true(self) -> bool {
        self == Truth::True
    }

    /// The word for a criterion or the qualification in this state: `met`, `not_met` or
    /// `unknown`, as definitions (an example's `qualified` and `criteria`) and the command
    /// line's output write them. (`Display` gives the truth of a rule instead: `true`,
    /// `false` or `unknown`.)
    ///
    /// ```
    /// use leadspec::Truth;
    /// assert_eq!(Truth::True.word(), "met");
    /// assert_eq!(Truth::False.word(), "not_met");
    /// assert_eq!(Truth::Unknown.word(), "unknown");
    /// assert_eq!(Truth::False.to_string(), "false");
    /// ```
    pub fn word(self) -> &'static str {
        match self {
            Truth::False => "not_met",
            Truth::Unknown => "unknown",
            Truth::True => "met",
        }
    }

    /// The state a word names, the inverse of [`word`](Truth::word): `met`, `not_met` or
    /// `unknown`, exactly.
    ///
    /// ```
    /// use leadspec::Truth;
    /// assert_eq!(Truth::from_word("not_met"), Some(Truth::False));
    /// assert_eq!(Truth::from_word("false"), None);
    /// ```
    pub fn from_word(word: &str) -> Option<Truth> {
        match word {
            "met" => Some(Truth::True),
            "not_met" => Some(Truth::False),
            "unknown" => Some(Truth::Unknown),
            _ => None,
        }
    }
}

impl From<bool> for Truth {
    #[inline]
    fn from(value: bool) -> Self {
        if value {
            Truth::True
        } else {
            Truth::False
        }
    }
}

impl fmt::Display for Truth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Truth::False => "false",
            Truth::Unknown => "unknown",
            Truth::True => "true",
        })
    }
}
