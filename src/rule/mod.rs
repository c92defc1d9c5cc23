//! The rule language of `when` expressions.
