//! Step 2: tokens to a syntax tree, by recursive descent with one function per precedence
//! level. Chains of `and` / `or` become one flat node, so only parentheses, `not` and unary
//! minus nest, and those are counted against the depth limit before recursing: no rule can
//! overflow the stack, at parse time or later when it is checked and evaluated.

use std::ops::Range;

use chrono::NaiveDate;

use super::lexer::{Duration, Op, Spanned, Token};
use super::RuleError;
use crate::diagnostic::DiagnosticCode;
use crate::names::KEYWORDS;

/// A node of the syntax tree with its span in the rule text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Expr {
    pub kind: ExprKind,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ExprKind {
    Number(f64),
    Text(String),
    Date(NaiveDate),
    Duration(Duration),
    Bool(bool),
    List(Vec<Expr>),
    /// A field id or one of the names `today`, `now`, `qualified`, `score`.
    Name(String),
    /// `criteria.<id>`; the span of the id alone is kept for "unknown criterion".
    Criterion {
        id: String,
        id_span: Range<usize>,
    },
    Neg(Box<Expr>),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Compare(Compare, Box<Expr>, Box<Expr>),
    In {
        value: Box<Expr>,
        list: Box<Expr>,
        negated: bool,
    },
    Is {
        value: Box<Expr>,
        present: bool,
    },
    TextTest(TextTest, Box<Expr>, Box<Expr>),
    Matches(Box<Expr>, Box<Expr>),
    Shift {
        date: Box<Expr>,
        sign: Sign,
        by: Box<Expr>,
    },
}

/// The comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compare {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Compare {
    pub(crate) fn is_equality(self) -> bool {
        matches!(self, Compare::Eq | Compare::Ne)
    }

    /// The operator with its operands swapped: `a < b` is `b > a`.
    pub(crate) fn mirrored(self) -> Compare {
        match self {
            Compare::Lt => Compare::Gt,
            Compare::Le => Compare::Ge,
            Compare::Gt => Compare::Lt,
            Compare::Ge => Compare::Le,
            same => same,
        }
    }

    pub(crate) fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Compare::Eq => ordering == Equal,
            Compare::Ne => ordering != Equal,
            Compare::Lt => ordering == Less,
            Compare::Le => ordering != Greater,
            Compare::Gt => ordering == Greater,
            Compare::Ge => ordering != Less,
        }
    }

    fn from_op(op: Op) -> Option<Compare> {
        Some(match op {
            Op::Eq => Compare::Eq,
            Op::Ne => Compare::Ne,
            Op::Lt => Compare::Lt,
            Op::Le => Compare::Le,
            Op::Gt => Compare::Gt,
            Op::Ge => Compare::Ge,
            _ => return None,
        })
    }
}

/// The case-insensitive text tests (and `contains` on a list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextTest {
    Contains,
    StartsWith,
    EndsWith,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sign {
    Plus,
    Minus,
}

/// Parses a whole rule.
pub(crate) fn parse(text: &str, tokens: &[Spanned], max_depth: usize) -> Result<Expr, RuleError> {
    let mut parser = Parser { text, tokens, pos: 0, depth: 0, max_depth };
    if tokens.is_empty() {
        return Err(RuleError {
            code: DiagnosticCode::Empty,
            span: 0..text.len(),
            message: "the rule is empty".to_string(),
            hint: None,
        });
    }
    let expr = parser.or()?;
    if let Some(extra) = parser.peek() {
        let hint = match &extra.token {
            Token::Op(op) if Compare::from_op(*op).is_some() => {
                Some("comparisons do not chain; join them with `and`".to_string())
            }
            _ => Some("join conditions with `and` or `or`".to_string()),
        };
        return Err(RuleError {
            code: DiagnosticCode::RuleSyntax,
            span: extra.span.clone(),
            message: format!("unexpected {}", describe(text, extra)),
            hint,
        });
    }
    Ok(expr)
}

struct Parser<'a> {
    text: &'a str,
    tokens: &'a [Spanned],
    pos: usize,
    depth: usize,
    max_depth: usize,
}

fn describe(text: &str, token: &Spanned) -> String {
    format!("`{}`", &text[token.span.clone()])
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Spanned> {
        self.tokens.get(self.pos)
    }

    fn peek_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Spanned { token: Token::Word(w), .. }) if w == word)
    }

    fn peek_op(&self, op: Op) -> bool {
        matches!(self.peek(), Some(Spanned { token: Token::Op(o), .. }) if *o == op)
    }

    fn bump(&mut self) -> Option<&'a Spanned> {
        let token = self.tokens.get(self.pos);
        self.pos += 1;
        token
    }

    fn end(&self) -> usize {
        self.text.len()
    }

    /// The error for a token that is not what the grammar needs here.
    fn expected(&self, what: &str) -> RuleError {
        match self.peek() {
            Some(token) => RuleError {
                code: DiagnosticCode::RuleSyntax,
                span: token.span.clone(),
                message: format!("expected {what}, found {}", describe(self.text, token)),
                hint: None,
            },
            None => RuleError {
                code: DiagnosticCode::RuleSyntax,
                span: self.end()..self.end(),
                message: format!("expected {what}, found the end of the rule"),
                hint: None,
            },
        }
    }

    /// Enters one level of nesting, refusing to go deeper than the limit.
    fn descend(&mut self, span: Range<usize>) -> Result<(), RuleError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(RuleError {
                code: DiagnosticCode::LimitExceeded,
                span,
                message: format!("the rule nests more than {} levels deep", self.max_depth),
                hint: Some("split it, or remove redundant parentheses".to_string()),
            });
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, RuleError> {
        self.chain(|p| p.peek_word("or") || p.peek_op(Op::OrOr), Self::and, ExprKind::Or)
    }

    fn and(&mut self) -> Result<Expr, RuleError> {
        self.chain(|p| p.peek_word("and") || p.peek_op(Op::AndAnd), Self::not, ExprKind::And)
    }

    /// `operand (separator operand)*` as one flat node when there is more than one operand.
    fn chain(
        &mut self,
        separator: fn(&Self) -> bool,
        operand: fn(&mut Self) -> Result<Expr, RuleError>,
        node: fn(Vec<Expr>) -> ExprKind,
    ) -> Result<Expr, RuleError> {
        let first = operand(self)?;
        if !separator(self) {
            return Ok(first);
        }
        let mut items = vec![first];
        while separator(self) {
            self.bump();
            items.push(operand(self)?);
        }
        let span = items[0].span.start..items[items.len() - 1].span.end;
        Ok(Expr { kind: node(items), span })
    }

    fn not(&mut self) -> Result<Expr, RuleError> {
        if self.peek_word("not") || self.peek_op(Op::Bang) {
            let start = self.bump().map_or(0, |t| t.span.start);
            self.descend(start..start + 1)?;
            let operand = self.not()?;
            self.depth -= 1;
            let span = start..operand.span.end;
            return Ok(Expr { kind: ExprKind::Not(Box::new(operand)), span });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, RuleError> {
        let left = self.additive()?;
        let start = left.span.start;
        let Some(next) = self.peek() else { return Ok(left) };
        let boxed = Box::new;
        let kind = match &next.token {
            Token::Op(op) => match Compare::from_op(*op) {
                Some(compare) => {
                    self.bump();
                    let right = self.additive()?;
                    ExprKind::Compare(compare, boxed(left), boxed(right))
                }
                None => return Ok(left),
            },
            Token::Word(word) => match word.as_str() {
                "in" => {
                    self.bump();
                    ExprKind::In { value: boxed(left), list: boxed(self.additive()?), negated: false }
                }
                "not" if matches!(self.tokens.get(self.pos + 1), Some(Spanned { token: Token::Word(w), .. }) if w == "in") =>
                {
                    self.pos += 2;
                    ExprKind::In { value: boxed(left), list: boxed(self.additive()?), negated: true }
                }
                "is" => {
                    self.bump();
                    let negated = self.peek_word("not");
                    if negated {
                        self.bump();
                    }
                    let present = if self.peek_word("present") {
                        true
                    } else if self.peek_word("missing") {
                        false
                    } else {
                        return Err(self.expected("`present` or `missing`"));
                    };
                    let end = self.bump().map_or(self.end(), |t| t.span.end);
                    let span = left.span.start..end;
                    return Ok(Expr { kind: ExprKind::Is { value: boxed(left), present: present != negated }, span });
                }
                "contains" | "starts_with" | "ends_with" => {
                    let test = match word.as_str() {
                        "contains" => TextTest::Contains,
                        "starts_with" => TextTest::StartsWith,
                        _ => TextTest::EndsWith,
                    };
                    self.bump();
                    ExprKind::TextTest(test, boxed(left), boxed(self.additive()?))
                }
                "matches" => {
                    self.bump();
                    ExprKind::Matches(boxed(left), boxed(self.additive()?))
                }
                _ => return Ok(left),
            },
            _ => return Ok(left),
        };
        // The node ends where its last token ends.
        let end = self.tokens.get(self.pos.wrapping_sub(1)).map_or(self.end(), |t| t.span.end);
        Ok(Expr { span: start..end, kind })
    }

    /// `date ± duration ± ...`: each shift nests the tree one level, so each counts.
    fn additive(&mut self) -> Result<Expr, RuleError> {
        let mut left = self.unary()?;
        let depth = self.depth;
        loop {
            let sign = if self.peek_op(Op::Plus) {
                Sign::Plus
            } else if self.peek_op(Op::Minus) {
                Sign::Minus
            } else {
                self.depth = depth;
                return Ok(left);
            };
            let at = self.bump().map_or(0..0, |t| t.span.clone());
            self.descend(at)?;
            let by = self.unary()?;
            let span = left.span.start..by.span.end;
            left = Expr { kind: ExprKind::Shift { date: Box::new(left), sign, by: Box::new(by) }, span };
        }
    }

    fn unary(&mut self) -> Result<Expr, RuleError> {
        if self.peek_op(Op::Minus) {
            let start = self.bump().map_or(0, |t| t.span.start);
            self.descend(start..start + 1)?;
            let operand = self.unary()?;
            self.depth -= 1;
            let span = start..operand.span.end;
            return Ok(Expr { kind: ExprKind::Neg(Box::new(operand)), span });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, RuleError> {
        let Some(token) = self.peek() else { return Err(self.expected("a value")) };
        let span = token.span.clone();
        let kind = match &token.token {
            Token::Number(n) => ExprKind::Number(*n),
            Token::Text(t) => ExprKind::Text(t.clone()),
            Token::Date(d) => ExprKind::Date(*d),
            Token::Duration(d) => ExprKind::Duration(*d),
            Token::Word(w) if w == "true" || w == "false" => ExprKind::Bool(w == "true"),
            Token::Word(w) if w == "criteria" => return self.criterion(),
            Token::Word(w) if KEYWORDS.contains(&w.as_str()) => return Err(self.expected("a value")),
            Token::Word(w) => ExprKind::Name(w.clone()),
            Token::Op(Op::LParen) => {
                self.bump();
                self.descend(span.clone())?;
                let inner = self.or()?;
                self.depth -= 1;
                if !self.peek_op(Op::RParen) {
                    let mut e = self.expected("`)`");
                    e.hint = Some(format!("the `(` at offset {} is not closed", span.start));
                    return Err(e);
                }
                let end = self.bump().map_or(self.end(), |t| t.span.end);
                // Parentheses only group: the node keeps the span with them, for `explain`;
                // a name or literal keeps its own, so that an error about it points at it.
                let leaf = matches!(
                    inner.kind,
                    ExprKind::Name(_)
                        | ExprKind::Criterion { .. }
                        | ExprKind::Number(_)
                        | ExprKind::Text(_)
                        | ExprKind::Date(_)
                        | ExprKind::Duration(_)
                        | ExprKind::Bool(_)
                );
                let span = if leaf { inner.span } else { span.start..end };
                return Ok(Expr { kind: inner.kind, span });
            }
            Token::Op(Op::LBracket) => return self.list(),
            Token::Op(_) => return Err(self.expected("a value")),
        };
        self.bump();
        Ok(Expr { kind, span })
    }

    fn criterion(&mut self) -> Result<Expr, RuleError> {
        let start = self.bump().map_or(0, |t| t.span.start);
        if !self.peek_op(Op::Dot) {
            let mut e = self.expected("`.` after `criteria`");
            e.hint = Some("name one criterion: `criteria.budget`".to_string());
            return Err(e);
        }
        self.bump();
        match self.peek() {
            Some(Spanned { token: Token::Word(id), span }) => {
                self.bump();
                Ok(Expr { kind: ExprKind::Criterion { id: id.clone(), id_span: span.clone() }, span: start..span.end })
            }
            _ => Err(self.expected("a criterion id")),
        }
    }

    fn list(&mut self) -> Result<Expr, RuleError> {
        let start = self.bump().map_or(0, |t| t.span.start);
        self.descend(start..start + 1)?;
        let mut items = Vec::new();
        while !self.peek_op(Op::RBracket) {
            items.push(self.additive()?);
            if self.peek_op(Op::Comma) {
                self.bump();
            } else if !self.peek_op(Op::RBracket) {
                return Err(self.expected("`,` or `]`"));
            }
        }
        let end = self.bump().map_or(self.end(), |t| t.span.end);
        self.depth -= 1;
        Ok(Expr { kind: ExprKind::List(items), span: start..end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::lexer::tokenize;

    fn parse_text(text: &str) -> Result<Expr, RuleError> {
        parse(text, &tokenize(text)?, 64)
    }

    #[test]
    fn precedence_or_and_not() {
        let e = parse_text("a or b and not c").unwrap();
        let ExprKind::Or(items) = e.kind else { panic!("not an or: {e:?}") };
        assert_eq!(items.len(), 2);
        let ExprKind::And(right) = &items[1].kind else { panic!("not an and") };
        assert!(matches!(right[1].kind, ExprKind::Not(_)));
    }

    #[test]
    fn chains_are_flat() {
        let text = vec!["x"; 5_000].join(" or ");
        let e = parse_text(&text).unwrap();
        let ExprKind::Or(items) = e.kind else { panic!() };
        assert_eq!(items.len(), 5_000);
    }

    #[test]
    fn spans_cover_the_source() {
        let e = parse_text("budget >= 10_000").unwrap();
        assert_eq!(e.span, 0..16);
        // A parenthesised name keeps its own span, so errors point at the name...
        let e = parse_text("(a) and b").unwrap();
        let ExprKind::And(items) = e.kind else { panic!() };
        assert_eq!(items[0].span, 1..2);
        // ...and a parenthesised condition the span with its parentheses.
        let e = parse_text("(a or c) and b").unwrap();
        let ExprKind::And(items) = e.kind else { panic!() };
        assert_eq!(items[0].span, 0..8);
    }

    #[test]
    fn comparison_forms() {
        assert!(matches!(parse_text("role not in ['a']").unwrap().kind, ExprKind::In { negated: true, .. }));
        assert!(matches!(parse_text("x is not present").unwrap().kind, ExprKind::Is { present: false, .. }));
        assert!(matches!(parse_text("today - 30d").unwrap().kind, ExprKind::Shift { sign: Sign::Minus, .. }));
        assert!(matches!(parse_text("criteria.need").unwrap().kind, ExprKind::Criterion { .. }));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse_text("a < b < c").unwrap_err();
        assert_eq!(e.span, 6..7);
        let e = parse_text("(a and b").unwrap_err();
        assert_eq!((e.span, e.message.as_str()), (8..8, "expected `)`, found the end of the rule"));
        let e = parse_text("a and").unwrap_err();
        assert_eq!(e.span, 5..5);
        assert_eq!(parse_text("").unwrap_err().message, "the rule is empty");
        assert!(parse_text("criteria").is_err());
        assert!(parse_text("x is here").is_err());
        assert!(parse_text("[1, 2").is_err());
    }

    #[test]
    fn depth_is_limited_without_recursion_blowup() {
        let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse_text(&deep).unwrap_err().message.contains("levels deep"));
        let nots = "not ".repeat(10_000) + "x";
        assert!(parse_text(&nots).is_err());
        let negs = "-".repeat(10_000) + "1";
        assert!(parse_text(&negs).is_err());
        let shifts = "today".to_string() + &" + 1d".repeat(10_000);
        assert!(parse_text(&shifts).is_err());
        assert!(parse_text("((((x))))").is_ok());
    }
}
