//! Rules as SQL truth values. SQL's `AND`, `OR` and `NOT` over null are Kleene's logic,
//! as the rule language's are, so a condition is written as the same tree, a leaf as a
//! comparison that is null exactly when the rule's leaf is unknown.

use super::{fold, ident, Dialect, Refusal};
use crate::rule::{shift_months, Atom, Compare, Cond, Duration, Number, Presence, Text, TextTest, Time, YesNo};
use crate::Definition;

/// What a rule's names stand for in the query being written.
pub(super) struct Env<'a> {
    pub d: Dialect,
    pub definition: &'a Definition,
    /// The reference time in seconds since the epoch, when fixed.
    pub now: Option<i64>,
    /// The column holding each calendar shift computed before the rules (keyed by the
    /// address of its `Time::Shift` node).
    pub shifts: std::collections::HashMap<usize, String>,
}

/// A calendar shift (`mo`, `y`) a rule makes of a time known only per row.
pub(super) struct Shift<'a> {
    pub node: &'a Time,
    pub inner: &'a Time,
    pub months: i64,
}

impl Env<'_> {
    /// The truth of `cond`; a refusal carries the span (in the rule text) of the leaf.
    pub(super) fn cond(&self, cond: &Cond) -> Result<String, Refusal> {
        Ok(match cond {
            Cond::And(items) => self.join(items, "AND")?,
            Cond::Or(items) => self.join(items, "OR")?,
            Cond::Not(inner) => format!("(NOT {})", self.cond(inner)?),
            Cond::Atom(atom, span) => self.atom(atom).map_err(|r| r.at(span.clone()))?,
        })
    }

    fn join(&self, items: &[Cond], op: &str) -> Result<String, Refusal> {
        let parts = items.iter().map(|c| self.cond(c)).collect::<Result<Vec<_>, _>>()?;
        Ok(format!("({})", parts.join(&format!(" {op} "))))
    }

    fn atom(&self, atom: &Atom) -> Result<String, Refusal> {
        let d = self.d;
        Ok(match atom {
            Atom::YesNo(flag) => self.yes_no(flag),
            Atom::Presence { what, present } => match (what, present) {
                (Presence::Field(i), true) => format!("({} = 2)", state(d, *i)),
                (Presence::Field(i), false) => format!("({} <> 2)", state(d, *i)),
                (Presence::Criterion(i), p) => known(&criterion(d, *i), *p),
                (Presence::Qualified, p) => known(&ident(d, "q"), *p),
            },
            Atom::Number(op, a, b) => compare(*op, &self.number(a), &self.number(b)),
            Atom::FieldNumber(op, slot, k) => compare(*op, &value(d, *slot), &d.number(*k)),
            Atom::EnumIs { slot, index, equal } => {
                let text = self.enum_text(*slot, *index);
                compare(if *equal { Compare::Eq } else { Compare::Ne }, &value(d, *slot), &d.text(&text))
            }
            Atom::EnumIn { slot, members, negated } => {
                let field = &self.definition.fields()[*slot];
                let listed: Vec<String> = (0..field.values.len() as u32)
                    .filter(|&i| members.contains(i))
                    .map(|i| d.text(&field.values[i as usize]))
                    .collect();
                let v = value(d, *slot);
                if listed.is_empty() {
                    format!("(CASE WHEN {v} IS NULL THEN {} ELSE {} END)", d.unknown(), d.bool(*negated))
                } else {
                    format!("({v} {}IN ({}))", if *negated { "NOT " } else { "" }, listed.join(", "))
                }
            }
            Atom::Time(op, a, b) => compare(*op, &self.time(a)?, &self.time(b)?),
            Atom::TextEquals(a, b, equal) => {
                compare(if *equal { Compare::Eq } else { Compare::Ne }, &self.text(a), &self.text(b))
            }
            Atom::YesNoEquals(a, b, equal) => {
                compare(if *equal { Compare::Eq } else { Compare::Ne }, &self.yes_no(a), &self.yes_no(b))
            }
            Atom::TextTest(test, hay, needle) => {
                let Text::Literal { folded, .. } = needle else {
                    return Err(Refusal::new(format!(
                        "`{}` compares two texts ignoring case, which the {d} dialect can do exactly only against a written ASCII text",
                        test_name(*test)
                    )));
                };
                self.text_test(*test, hay, folded)?
            }
            Atom::TextContains(hay, finder) => {
                let needle = std::str::from_utf8(finder.needle()).unwrap_or_default().to_string();
                self.text_test(TextTest::Contains, hay, &needle)?
            }
            Atom::ListHas(slot, item) => self.list_has(*slot, item),
            Atom::Matches(text, regex) => {
                if !d.has_regex() {
                    return Err(Refusal::new(format!(
                        "the {d} dialect has no regular expressions, so `matches` cannot be written in it"
                    ))
                    .hint("use contains, starts_with or ends_with, or the postgres or duckdb dialect"));
                }
                let pattern = super::regex::translate(regex.as_str(), d).map_err(|why| {
                    Refusal::new(format!("`matches '{}'` cannot be written for the {d} dialect: {why}", regex.as_str()))
                })?;
                d.regex_search(&self.text(text), &pattern)
            }
            Atom::OneOf(items, negated) => {
                let parts = items.iter().map(|a| self.atom(a)).collect::<Result<Vec<_>, _>>()?;
                let any = format!("({})", parts.join(" OR "));
                if *negated {
                    format!("(NOT {any})")
                } else {
                    any
                }
            }
        })
    }

    fn enum_text(&self, slot: usize, index: u32) -> String {
        self.definition.fields()[slot].values.get(index as usize).cloned().unwrap_or_default()
    }

    fn yes_no(&self, flag: &YesNo) -> String {
        match flag {
            YesNo::Literal(b) => self.d.bool(*b).to_string(),
            YesNo::Field(slot) => value(self.d, *slot),
            YesNo::Criterion(i) => criterion(self.d, *i),
            YesNo::Qualified => ident(self.d, "q"),
        }
    }

    fn number(&self, n: &Number) -> String {
        match n {
            Number::Literal(k) => self.d.number(*k),
            Number::Field(slot) => value(self.d, *slot),
            Number::Score => ident(self.d, "score"),
            Number::Neg(inner) => format!("(-{})", self.number(inner)),
        }
    }

    fn text(&self, t: &Text) -> String {
        match t {
            Text::Literal { text, .. } => self.d.text(text),
            Text::Field(slot) | Text::Enum { slot, .. } => value(self.d, *slot),
        }
    }

    /// `contains`, `starts_with` or `ends_with` of a lowercased text and a lowercased
    /// literal. The engines lowercase by tables of their own, so the text is lowercased
    /// here in ASCII only (and the two characters beyond ASCII whose Rust lowercase holds
    /// ASCII: the Kelvin sign and `İ`); against an ASCII literal that is exact.
    fn text_test(&self, test: TextTest, hay: &Text, needle: &str) -> Result<String, Refusal> {
        let d = self.d;
        if !needle.is_ascii() {
            return Err(Refusal::new(format!(
                "`{} '{needle}'` ignores case beyond ASCII, which the {d} dialect cannot do exactly as Rust does",
                test_name(test)
            )));
        }
        if let Text::Literal { folded, .. } = hay {
            let holds = match test {
                TextTest::Contains => folded.contains(needle),
                TextTest::StartsWith => folded.starts_with(needle),
                TextTest::EndsWith => folded.ends_with(needle),
            };
            return Ok(d.bool(holds).to_string());
        }
        let h = fold(d, &self.text(hay));
        if needle.is_empty() {
            return Ok(format!("(CASE WHEN {h} IS NULL THEN {} ELSE {} END)", d.unknown(), d.bool(true)));
        }
        let n = d.text(needle);
        let k = needle.chars().count();
        Ok(match test {
            TextTest::Contains => format!("({} > 0)", d.position(&h, &n)),
            TextTest::StartsWith => format!("({} = {n})", d.substr(&h, "1", Some(&k.to_string()))),
            TextTest::EndsWith => {
                let len = d.length(&h);
                format!(
                    "(CASE WHEN {len} >= {k} THEN {} = {n} WHEN {len} IS NULL THEN {} ELSE {} END)",
                    d.substr(&h, &format!("{len} - {}", k - 1), Some(&k.to_string())),
                    d.unknown(),
                    d.bool(false),
                )
            }
        })
    }

    /// Whether a list field holds `item` as one of its items (split on the separator,
    /// trimmed, blanks dropped).
    fn list_has(&self, slot: usize, item: &Text) -> String {
        let d = self.d;
        let field = &self.definition.fields()[slot];
        let list = value(d, slot);
        let x = self.text(item);
        let sep = d.text(&field.format.separator.to_string());
        let ws = d.white_space();
        let exists = match d {
            Dialect::Postgres => format!(
                "EXISTS (SELECT 1 FROM unnest(string_to_array({list}, {sep})) AS leadspec_item(p) WHERE btrim(p, {ws}) = {x})"
            ),
            Dialect::DuckDb => format!(
                "EXISTS (SELECT 1 FROM (SELECT unnest(string_split({list}, {sep})) AS p) AS leadspec_item WHERE trim(p, {ws}) = {x})"
            ),
            // Spark's `split` takes a regex: the separator quoted; -1 keeps empty items.
            Dialect::Spark => format!(
                "exists(split({list}, {}, -1), p -> TRIM(BOTH {ws} FROM p) = {x})",
                d.text(&format!("\\Q{}\\E", field.format.separator))
            ),
            _ => format!(
                "EXISTS (WITH RECURSIVE leadspec_item(p, r) AS (SELECT NULL, {list} || {sep} UNION ALL \
                 SELECT substr(r, 1, instr(r, {sep}) - 1), substr(r, instr(r, {sep}) + 1) FROM leadspec_item WHERE r <> '') \
                 SELECT 1 FROM leadspec_item WHERE trim(p, {ws}) = {x})"
            ),
        };
        format!(
            "(CASE WHEN {list} IS NULL OR {x} IS NULL THEN {} WHEN {x} = '' THEN {} ELSE {exists} END)",
            d.unknown(),
            d.bool(false)
        )
    }

    /// A point in time in seconds since the epoch (dates at 00:00 UTC).
    fn time(&self, t: &Time) -> Result<String, Refusal> {
        let d = self.d;
        if let Some(fixed) = self.fixed_time(t) {
            return Ok(fixed.map_or_else(|| format!("CAST(NULL AS {})", d.int_type()), |s| s.to_string()));
        }
        Ok(match t {
            Time::Literal(s) => s.to_string(),
            Time::Field(slot, offset) => format!("({} * 86400 + {offset})", value(d, *slot)),
            Time::Today(offset) => format!("({} * 86400 + {offset})", d.floor_div(&d.clock_seconds(), 86_400)),
            Time::Now(offset) => format!("({} + {offset})", d.clock_seconds()),
            Time::Shift(inner, Duration::Seconds(s)) => format!("({} + {s})", self.time(inner)?),
            Time::Shift(_, Duration::Months(m)) => match self.shifts.get(&(t as *const Time as usize)) {
                Some(column) => column.clone(),
                None => {
                    return Err(Refusal::new(format!(
                        "a shift of {m} months is beyond what the {d} dialect's calendar reaches"
                    )))
                }
            },
        })
    }

    /// A time known when the query is written (no field, and `today` and `now` fixed):
    /// `Some(None)` for a calendar shift beyond chrono's range (unknown).
    fn fixed_time(&self, t: &Time) -> Option<Option<i64>> {
        let now = self.now?;
        let today = now.div_euclid(86_400) * 86_400;
        Some(match t {
            Time::Literal(s) => Some(*s),
            Time::Field(..) => return None,
            Time::Today(o) => today.checked_add(*o),
            Time::Now(o) => now.checked_add(*o),
            Time::Shift(inner, Duration::Seconds(s)) => self.fixed_time(inner)?.and_then(|t| t.checked_add(*s)),
            Time::Shift(inner, Duration::Months(m)) => self.fixed_time(inner)?.and_then(|t| shift_months(t, *m)),
        })
    }
}

impl<'a> Env<'a> {
    /// Every calendar shift the rules of `conds` make of a time not known when the query
    /// is written, inner shifts before the shifts of them, each once.
    pub(super) fn shifts_of(&self, conds: impl IntoIterator<Item = &'a Cond>) -> Vec<Shift<'a>> {
        let mut found: Vec<Shift<'a>> = Vec::new();
        fn visit<'a>(env: &Env<'_>, t: &'a Time, found: &mut Vec<Shift<'a>>) {
            if let Time::Shift(inner, by) = t {
                visit(env, inner, found);
                if let Duration::Months(m) = by {
                    let fixed = env.fixed_time(t).is_some();
                    if !fixed && !found.iter().any(|s| std::ptr::eq(s.node, t)) {
                        found.push(Shift { node: t, inner, months: *m });
                    }
                }
            }
        }
        fn atom<'a>(env: &Env<'_>, a: &'a Atom, found: &mut Vec<Shift<'a>>) {
            match a {
                Atom::Time(_, x, y) => {
                    visit(env, x, found);
                    visit(env, y, found);
                }
                Atom::OneOf(items, _) => items.iter().for_each(|i| atom(env, i, found)),
                _ => {}
            }
        }
        for cond in conds {
            cond.atoms(&mut |a, _| atom(self, a, &mut found));
        }
        found
    }

    /// The columns that compute `shift`, layer by layer, and the one holding its result:
    /// the time moved by whole calendar months, clamped to the end of a shorter month, the
    /// time of day kept; null beyond the calendar's range (as in Rust). PostgreSQL and
    /// DuckDB add an interval of months (which clamps); SQLite, whose calendar ends at
    /// 9999, computes the civil date with integers.
    pub(super) fn shift_layers(&self, shift: &Shift<'_>, n: usize) -> Result<(super::cells::Layers, String), Refusal> {
        let d = self.d;
        let months = shift.months;
        if months.unsigned_abs() > 3_200_000 {
            return Err(Refusal::new(format!(
                "a shift of {months} months is beyond what the {d} dialect's calendar reaches"
            )));
        }
        let col = |name: &str| ident(d, &format!("h{name}{n}"));
        let mut layers: super::cells::Layers = Vec::new();
        let mut push = |layer: Vec<(String, String)>| layers.push(layer);
        let inner = self.time(shift.inner)?;
        push(vec![(col("s"), inner)]);
        let days = d.floor_div(&col("s"), 86_400);
        push(vec![(col("d"), days)]);
        let (first, last) =
            (crate::time::epoch_days(chrono::NaiveDate::MIN), crate::time::epoch_days(chrono::NaiveDate::MAX));
        let in_range = |x: &str| format!("{x} BETWEEN {first} AND {last}");
        let shifted = match d {
            Dialect::Postgres => {
                push(vec![(col("t"), format!("(CASE WHEN {} THEN CAST(CAST((DATE '1970-01-01' + CAST({} AS integer)) + make_interval(months => {months}) AS date) - DATE '1970-01-01' AS BIGINT) END)", in_range(&col("d")), col("d")))]);
                col("t")
            }
            Dialect::DuckDb => {
                push(vec![(col("t"), format!("(CASE WHEN {} THEN date_diff('day', DATE '1970-01-01', CAST((DATE '1970-01-01' + CAST({} AS INTEGER)) + to_months({months}) AS DATE)) END)", in_range(&col("d")), col("d")))]);
                col("t")
            }
            _ => {
                // Howard Hinnant's civil-from-days, shifted by 700 eras to stay positive.
                push(vec![(col("z"), format!("({} + 719468 + 102267900)", col("d")))]);
                push(vec![(col("e"), d.div(&col("z"), "146097"))]);
                push(vec![(col("o"), format!("({} - {} * 146097)", col("z"), col("e")))]);
                let doe = col("o");
                push(vec![(
                    col("y"),
                    d.div(
                        &format!(
                            "{doe} - {} + {} - {}",
                            d.div(&doe, "1460"),
                            d.div(&doe, "36524"),
                            d.div(&doe, "146096")
                        ),
                        "365",
                    ),
                )]);
                let yoe = col("y");
                push(vec![(
                    col("a"),
                    format!("({doe} - (365 * {yoe} + {} - {}))", d.div(&yoe, "4"), d.div(&yoe, "100")),
                )]);
                let doy = col("a");
                push(vec![(col("p"), d.div(&format!("5 * {doy} + 2"), "153"))]);
                let mp = col("p");
                push(vec![
                    (col("c"), format!("({doy} - {} + 1)", d.div(&format!("153 * {mp} + 2"), "5"))),
                    (col("n"), format!("({yoe} + {} * 400 - 280000 + (CASE WHEN {mp} >= 10 THEN 1 ELSE 0 END)) * 12 + (CASE WHEN {mp} < 10 THEN {mp} + 3 ELSE {mp} - 9 END) - 1 + {months}", col("e"))),
                ]);
                let total = col("n");
                push(vec![(col("r"), d.floor_div(&total, 12))]);
                let y2 = col("r");
                push(vec![(col("m"), format!("({total} - {y2} * 12 + 1)"))]);
                let m2 = col("m");
                push(vec![(col("f"), d.least(&col("c"), &super::cells::days_in_month(&y2, &m2)))]);
                push(vec![(
                    col("t"),
                    format!(
                        "(CASE WHEN {y2} BETWEEN -262144 AND 262143 THEN {} END)",
                        super::cells::days_from_civil(d, &y2, &m2, &col("f"))
                    ),
                )]);
                col("t")
            }
        };
        let result = col("x");
        push(vec![(
            result.clone(),
            format!(
                "(CASE WHEN {} THEN {shifted} * 86400 + ({} - {} * 86400) END)",
                in_range(&shifted),
                col("s"),
                col("d")
            ),
        )]);
        Ok((layers, result))
    }
}

fn compare(op: Compare, a: &str, b: &str) -> String {
    let sym = match op {
        Compare::Eq => "=",
        Compare::Ne => "<>",
        Compare::Lt => "<",
        Compare::Le => "<=",
        Compare::Gt => ">",
        Compare::Ge => ">=",
    };
    format!("({a} {sym} {b})")
}

fn known(truth: &str, present: bool) -> String {
    format!("({truth} IS {}NULL)", if present { "NOT " } else { "" })
}

fn test_name(test: TextTest) -> &'static str {
    match test {
        TextTest::Contains => "contains",
        TextTest::StartsWith => "starts_with",
        TextTest::EndsWith => "ends_with",
    }
}

/// The column of field `slot`'s value.
pub(super) fn value(d: Dialect, slot: usize) -> String {
    ident(d, &format!("v{slot}"))
}

/// The column of field `slot`'s state: 0 missing, 1 invalid, 2 present.
pub(super) fn state(d: Dialect, slot: usize) -> String {
    ident(d, &format!("s{slot}"))
}

/// The column of criterion `i`'s truth.
pub(super) fn criterion(d: Dialect, i: usize) -> String {
    ident(d, &format!("k{i}"))
}
