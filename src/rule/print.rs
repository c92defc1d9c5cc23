//! Printing a rule in its canonical form, from its syntax tree: single spaces around
//! operators, the word forms `and`, `or` and `not`, parentheses only where the grammar
//! needs them, and every literal exactly as it was written.
//!
//! The printed rule parses to the same tree as the original (chains of `and` and `or`
//! flattened, which changes no value: both are associative), so it means the same thing.

use std::fmt::Write as _;

use super::lexer::tokenize;
use super::parser::{parse, Compare, Expr, ExprKind, Sign, TextTest};
use super::RuleError;

/// How tightly each form binds, loosest first: the parser's levels.
fn level(kind: &ExprKind) -> u8 {
    match kind {
        ExprKind::Or(_) => 1,
        ExprKind::And(_) => 2,
        ExprKind::Not(_) => 3,
        ExprKind::Compare(..)
        | ExprKind::In { .. }
        | ExprKind::Is { .. }
        | ExprKind::TextTest(..)
        | ExprKind::Matches(..) => 4,
        ExprKind::Shift { .. } => 5,
        ExprKind::Neg(_) => 6,
        _ => 7,
    }
}

/// The canonical form of a rule, or the first syntax error (a rule that does not parse
/// has no canonical form).
///
/// `max_depth` is the nesting limit the rule is parsed under.
pub(crate) fn canonical(text: &str, max_depth: usize) -> Result<String, RuleError> {
    let tokens = tokenize(text)?;
    let expr = parse(text, &tokens, max_depth)?;
    let mut out = String::with_capacity(text.len());
    print(text, &expr, 0, &mut out);
    Ok(out)
}

/// The canonical form of a rule written over several lines: as [`canonical`], with each
/// operand of the top-level `and` or `or` on a line of its own, the word leading it.
pub(crate) fn canonical_lines(text: &str, max_depth: usize) -> Result<String, RuleError> {
    let tokens = tokenize(text)?;
    let expr = parse(text, &tokens, max_depth)?;
    let (items, word) = match &expr.kind {
        ExprKind::Or(items) => (items, "or"),
        ExprKind::And(items) => (items, "and"),
        _ => return canonical(text, max_depth),
    };
    let min = if word == "or" { 2 } else { 3 };
    let mut out = String::with_capacity(text.len());
    let mut first = true;
    let mut operand = |item: &Expr, out: &mut String| {
        if !first {
            let _ = write!(out, "\n{word} ");
        }
        print(text, item, min, out);
        first = false;
    };
    for item in items {
        match (&item.kind, word) {
            (ExprKind::Or(inner), "or") | (ExprKind::And(inner), "and") => {
                inner.iter().for_each(|i| operand(i, &mut out))
            }
            _ => operand(item, &mut out),
        }
    }
    Ok(out)
}

/// Prints `expr`, in parentheses when it binds more loosely than `min`.
fn print(text: &str, expr: &Expr, min: u8, out: &mut String) {
    let own = level(&expr.kind);
    if own < min {
        out.push('(');
        print(text, expr, 0, out);
        out.push(')');
        return;
    }
    match &expr.kind {
        ExprKind::Or(items) => chain(text, items, "or", 2, out, |k| match k {
            ExprKind::Or(inner) => Some(inner),
            _ => None,
        }),
        ExprKind::And(items) => chain(text, items, "and", 3, out, |k| match k {
            ExprKind::And(inner) => Some(inner),
            _ => None,
        }),
        ExprKind::Not(inner) => {
            out.push_str("not ");
            print(text, inner, 3, out);
        }
        ExprKind::Compare(op, left, right) => {
            print(text, left, 5, out);
            let _ = write!(out, " {} ", compare_word(*op));
            print(text, right, 5, out);
        }
        ExprKind::In { value, list, negated } => {
            print(text, value, 5, out);
            out.push_str(if *negated { " not in " } else { " in " });
            print(text, list, 5, out);
        }
        ExprKind::Is { value, present } => {
            print(text, value, 5, out);
            out.push_str(if *present { " is present" } else { " is missing" });
        }
        ExprKind::TextTest(test, left, right) => {
            print(text, left, 5, out);
            out.push_str(match test {
                TextTest::Contains => " contains ",
                TextTest::StartsWith => " starts_with ",
                TextTest::EndsWith => " ends_with ",
            });
            print(text, right, 5, out);
        }
        ExprKind::Matches(left, right) => {
            print(text, left, 5, out);
            out.push_str(" matches ");
            print(text, right, 5, out);
        }
        ExprKind::Shift { date, sign, by } => {
            print(text, date, 5, out);
            out.push_str(match sign {
                Sign::Plus => " + ",
                Sign::Minus => " - ",
            });
            print(text, by, 6, out);
        }
        ExprKind::Neg(inner) => {
            out.push('-');
            print(text, inner, 6, out);
        }
        ExprKind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                print(text, item, 5, out);
            }
            out.push(']');
        }
        ExprKind::Criterion { id, .. } => {
            out.push_str("criteria.");
            out.push_str(id);
        }
        ExprKind::Name(name) => out.push_str(name),
        // Literals as written: their source text, without the parentheses the span of a
        // parenthesised node includes.
        ExprKind::Number(_) | ExprKind::Text(_) | ExprKind::Date(_) | ExprKind::Duration(_) | ExprKind::Bool(_) => {
            out.push_str(unparenthesised(text.get(expr.span.clone()).unwrap_or_default()));
        }
    }
}

/// `items` joined by `word`, an operand that is itself the same chain spliced in.
fn chain<'e>(
    text: &str,
    items: &'e [Expr],
    word: &str,
    min: u8,
    out: &mut String,
    same: impl Fn(&'e ExprKind) -> Option<&'e Vec<Expr>> + Copy,
) {
    let mut first = true;
    for item in items {
        match same(&item.kind) {
            Some(inner) => {
                if !first {
                    let _ = write!(out, " {word} ");
                }
                chain(text, inner, word, min, out, same);
            }
            None => {
                if !first {
                    let _ = write!(out, " {word} ");
                }
                print(text, item, min, out);
            }
        }
        first = false;
    }
}

fn compare_word(op: Compare) -> &'static str {
    match op {
        Compare::Eq => "==",
        Compare::Ne => "!=",
        Compare::Lt => "<",
        Compare::Le => "<=",
        Compare::Gt => ">",
        Compare::Ge => ">=",
    }
}

/// A literal's source text without surrounding white space and parentheses.
fn unparenthesised(mut source: &str) -> &str {
    loop {
        let trimmed = source.trim();
        match trimmed.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            Some(inner) => source = inner,
            None => return trimmed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> String {
        canonical(text, 64).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn rules_print_canonically() {
        let cases = [
            ("budget>=10_000", "budget >= 10_000"),
            ("a&&b||!c", "a and b or not c"),
            ("(a or b) and c", "(a or b) and c"),
            ("((a and b)) and c", "a and b and c"),
            ("(a or b) or (c or d)", "a or b or c or d"),
            ("not (a and b)", "not (a and b)"),
            ("not not a", "not not a"),
            ("!(x == 1)", "not x == 1"),
            ("role   in ['a','b']", "role in ['a', 'b']"),
            ("role not  in [\"a\"]", "role not in [\"a\"]"),
            ("email is  not present", "email is missing"),
            ("purchase_by <= (today + 90d)", "purchase_by <= today + 90d"),
            ("d < today - (1mo + 2d)", "d < today - (1mo + 2d)"),
            ("d < (today - 1mo) + 2d", "d < today - 1mo + 2d"),
            ("n > -(5)", "n > -5"),
            ("n > - -5", "n > --5"),
            ("x == (2.50)", "x == 2.50"),
            ("t contains 'A (b)'", "t contains 'A (b)'"),
            ("w matches '\\.io$'", "w matches '\\.io$'"),
            ("criteria.budget and qualified", "criteria.budget and qualified"),
            ("(a)", "a"),
            ("a or (b and c)", "a or b and c"),
            ("(a or b) == true", "(a or b) == true"),
        ];
        for (input, expected) in cases {
            assert_eq!(c(input), expected, "{input}");
            assert_eq!(c(expected), expected, "idempotent: {expected}");
        }
    }

    #[test]
    fn long_rules_keep_one_operand_a_line() {
        let text = "a\n  and (b or c)\n  and not d";
        assert_eq!(canonical_lines(text, 64).unwrap(), "a\nand (b or c)\nand not d");
        assert_eq!(canonical_lines("a and b", 64).unwrap(), "a\nand b");
        assert_eq!(canonical_lines("x > 1", 64).unwrap(), "x > 1");
        let once = canonical_lines(text, 64).unwrap();
        assert_eq!(canonical_lines(&once, 64).unwrap(), once);
        assert_eq!(canonical(&once, 64).unwrap(), canonical(text, 64).unwrap());
    }

    #[test]
    fn a_rule_that_does_not_parse_has_no_canonical_form() {
        assert!(canonical("a and", 64).is_err());
        assert!(canonical("((a)", 64).is_err());
    }
}
