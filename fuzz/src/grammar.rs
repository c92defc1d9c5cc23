//! The definitions of `structured_definition`: a [`Spec`] built by `arbitrary` from small
//! pools of identifiers, field types, reading keys and a small rule grammar, rendered to TOML.
//! Set `LEADSPEC_FUZZ_PRINT=1` to print the TOML of each input (to keep a crash's definition
//! as a regression test).

use std::fmt::Write as _;

use arbitrary::Arbitrary;
use leadspec::{Record, Value};

use crate::harness;
use crate::pick;

/// The names a rendering picks from: what the definition declares, or in loose mode the
/// whole pools.
struct Names {
    loose: bool,
    /// (id, column) of each field declared.
    fields: Vec<(&'static str, String)>,
    teams: Vec<&'static str>,
    stages: Vec<&'static str>,
    criteria: Vec<&'static str>,
}

impl Names {
    fn from(&self, declared: &[&'static str], pool: &[&'static str], i: u8) -> &'static str {
        if self.loose || declared.is_empty() {
            pick(pool, i)
        } else {
            pick(declared, i)
        }
    }

    fn field(&self, i: u8) -> &'static str {
        let ids: Vec<&'static str> = self.fields.iter().map(|(id, _)| *id).collect();
        self.from(&ids, FIELD_IDS, i)
    }

    /// The column (record key) of a field.
    fn column(&self, i: u8) -> String {
        if self.loose || self.fields.is_empty() {
            return pick(FIELD_IDS, i).to_string();
        }
        self.fields[i as usize % self.fields.len()].1.clone()
    }

    fn team(&self, i: u8) -> &'static str {
        self.from(&self.teams, TEAM_IDS, i)
    }

    fn stage(&self, i: u8) -> &'static str {
        self.from(&self.stages, STAGE_IDS, i)
    }

    fn criterion(&self, i: u8) -> &'static str {
        self.from(&self.criteria, CRITERIA_IDS, i)
    }
}

/// Picks from the whole pool in loose mode, else from its first `valid` entries.
fn pick_valid(pool: &[&'static str], valid: usize, loose: bool, i: u8) -> &'static str {
    if loose {
        pick(pool, i)
    } else {
        pick(&pool[..valid], i)
    }
}

/// Keeps the first of each key (ignoring case), unless loose.
fn first_of<T>(loose: bool, items: &[T], key: impl Fn(&T) -> &'static str) -> Vec<&T> {
    let mut seen: Vec<String> = Vec::new();
    items
        .iter()
        .filter(|item| {
            let k = key(item).to_lowercase();
            if loose || !seen.contains(&k) {
                seen.push(k);
                true
            } else {
                false
            }
        })
        .collect()
}

/// Field ids; the last two are not identifiers, used in loose mode only.
const FIELD_IDS: &[&str] =
    &["email", "budget", "role", "due", "engaged", "tags", "site", "company", "amount", "x1", "today", "Lead Source"];
const VALID_FIELD_IDS: usize = 10;
const STAGE_IDS: &[&str] = &["contact", "inquiry", "mql", "sql", "customer", "nurture", "Contact", "lead"];
const TEAM_IDS: &[&str] = &["marketing", "sales", "ops", "Sales"];
const CRITERIA_IDS: &[&str] = &["budget", "authority", "need", "timeframe"];
const SHARED_WORDS: &[&str] = &[
    "suspect",
    "contact",
    "inquiry",
    "mql",
    "sal",
    "sql",
    "opportunity",
    "proposal",
    "customer",
    "nurture",
    "recycled",
    "disqualified",
    "lead",
];
const ENUM_VALUES: &[&str] = &["user", "decision_maker", "a", "A", "é", "", "Web", "user "];
const CHARS: &[&str] = &[",", ".", " ", "'", ";", "|", "e", "1", "", "ab", "\u{a0}", "-", "\t"];
const FORMATS: &[&str] = &[
    "%d %b, %Y %H:%M:%S",
    "%m/%d/%Y",
    "%Y",
    "%d.%m",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Q",
    "%B %d %Y",
    "%s",
    "%Y-%m-%d %H",
    "%e/%m/%y",
    "%j/%Y",
    "%d.%m.%Y %H:%M",
    "",
];
const BOOL_WORDS: &[&str] = &["Y", "N", "yes", "no", "oui", "", " ", "1", "Ja", "TRUE"];
const MISSING: &[&str] = &["Select", "N/A", "-", "", "none", " "];
const SCHEMES: &[&str] = &["https", "http", "ftp", ""];
/// Time zones; from the fifth on, not time zones, used in loose mode only.
const TIMEZONES: &[&str] = &["UTC", "America/New_York", "+02:00", "-23:59", "Europe/Lonon", "+25:00", "Z", ""];
const VALID_TIMEZONES: usize = 4;
const TEXTS: &[&str] = &["Acme", "", "ann@example.com", "a'b", "q\"uote", "back\\slash", "é", "line\nbreak", "pricing"];
const DATES: &[&str] = &["2026-11-22", "2026-02-29", "0001-01-01", "9999-12-31", "2026-08-31", "1970-01-01"];
const NOWS: &[&str] = &["2026-11-22", "2026-11-22T10:00:00Z", "1970-01-01", "yesterday", "2026-11-22T10:00:00+02:00"];
const UNITS: &[&str] = &["min", "h", "d", "w", "mo", "y", "s", ""];
const REGEXES: &[&str] = &["^a", "(?i)acme", "[", "a{1000000}", "\\d+", "(a*)*b", "\\p{L}", "", "\\"];
const FLOATS: &[&str] = &["2.5", "10_000", "1e3", "1e400", "-0", "0.000001", "9007199254740993", "1_"];
const RAW: &[&str] =
    &["(", ")", "and", "or", "not", "==", "in [", "]", "is", "present", "'", "\"", ",", "criteria.", "."];
const RULE_NAMES: &[&str] =
    &["email", "url", "required", "number", "boolean", "date", "enum", "list", "string", "bogus"];

/// A whole definition.
#[derive(Arbitrary, Debug)]
pub struct Spec {
    /// How rules are quoted in TOML.
    pub quoting: u8,
    /// 240 and up: names are taken from the whole pools, duplicates kept, `[definition]`
    /// and `[teams]` may be left out (mostly load errors); below, names are taken from what
    /// the definition declares, duplicates dropped (mostly definitions that load).
    pub loose: u8,
    /// `[input]`.
    pub input: Option<InputSpec>,
    /// `[teams]`, as team pool indices.
    pub teams: Vec<u8>,
    /// `[fields]`.
    pub fields: Vec<FieldSpec>,
    /// `[qualification]`.
    pub qualification: Option<QualificationSpec>,
    /// `[scoring]`.
    pub scoring: Option<ScoringSpec>,
    /// `[[stages]]`.
    pub stages: Vec<StageSpec>,
    /// `[[transitions]]`.
    pub transitions: Vec<TransitionSpec>,
    /// `[messages]`.
    pub messages: Vec<(u8, u8)>,
    /// `[[examples]]`.
    pub examples: Vec<ExampleSpec>,
    /// Records to classify with what loads.
    pub records: Vec<Vec<(u8, RecordValue)>>,
}

/// `[input]`.
#[derive(Arbitrary, Debug)]
pub struct InputSpec {
    /// `id`, a column from the field pool.
    pub id: Option<u8>,
    /// `missing`.
    pub missing: Vec<u8>,
    /// `timezone`.
    pub timezone: Option<u8>,
}

/// A field type.
#[derive(Arbitrary, Debug)]
pub enum Ty {
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `date`.
    Date,
    /// `email`.
    Email,
    /// `url`.
    Url,
    /// `enum` with these values.
    Enum(Vec<u8>),
    /// `list`.
    List,
    /// A type that does not exist.
    Bogus,
}

/// A key saying how an export writes the field's values, such as `thousands` or `formats`
/// (or `required`, `label`), written whatever the field's type.
#[derive(Arbitrary, Debug)]
pub enum ReadKey {
    /// `thousands`.
    Thousands(u8),
    /// `decimal`.
    Decimal(u8),
    /// `currency`.
    Currency(bool),
    /// `formats`.
    Formats(Vec<u8>),
    /// `true`.
    True(Vec<u8>),
    /// `false`.
    False(Vec<u8>),
    /// `separator`.
    Separator(u8),
    /// `default_scheme`.
    DefaultScheme(u8),
    /// `missing`.
    Missing(Vec<u8>),
    /// `required`.
    Required(bool),
    /// `label`.
    Label(u8),
    /// `column`, from the field pool.
    Column(u8),
}

/// One field.
#[derive(Arbitrary, Debug)]
pub struct FieldSpec {
    /// Its id, from the pool.
    pub id: u8,
    /// Its type.
    pub ty: Ty,
    /// Written as `id = "type"` when it has no keys and this is set.
    pub short: bool,
    /// Its keys.
    pub keys: Vec<ReadKey>,
}

/// `require`.
#[derive(Arbitrary, Debug)]
pub enum Require {
    /// `"all"`.
    All,
    /// `"any"`.
    Any,
    /// An integer.
    Count(i8),
    /// Left out.
    Default,
}

/// `[qualification]`.
#[derive(Arbitrary, Debug)]
pub struct QualificationSpec {
    /// `framework`.
    pub framework: bool,
    /// `require`.
    pub require: Require,
    /// `[qualification.criteria]`: id, rule, `ask`.
    pub criteria: Vec<(u8, Expr, Option<u8>)>,
}

/// `[scoring]`.
#[derive(Arbitrary, Debug)]
pub struct ScoringSpec {
    /// `min`.
    pub min: Option<i16>,
    /// `max`.
    pub max: Option<i16>,
    /// `[[scoring.rules]]`: name, rule, points.
    pub rules: Vec<(Option<u8>, Expr, i16)>,
}

/// One stage.
#[derive(Arbitrary, Debug)]
pub struct StageSpec {
    /// Its id, from the pool.
    pub id: u8,
    /// Write a `name`.
    pub name: bool,
    /// Its owner, from the team pool.
    pub owner: u8,
    /// `canonical`.
    pub canonical: Option<u8>,
    /// `aliases`, from the stage and shared-word pools.
    pub aliases: Vec<u8>,
    /// `when`.
    pub when: Expr,
    /// `requires`, from the field pool.
    pub requires: Vec<u8>,
    /// `priority`.
    pub priority: Option<i8>,
    /// `sla`.
    pub sla: Option<Duration>,
}

/// One transition; `None` is `*`.
#[derive(Arbitrary, Debug)]
pub struct TransitionSpec {
    /// `from`.
    pub from: Option<u8>,
    /// `to`.
    pub to: Option<u8>,
    /// `when`.
    pub when: Option<Expr>,
}

/// What an example expects.
#[derive(Arbitrary, Debug)]
pub enum Expect {
    /// `stage`, with `owner`, `qualified`, `score`, `criteria` and `errors` maybe.
    Stage {
        stage: u8,
        owner: Option<u8>,
        qualified: Option<u8>,
        score: Option<i16>,
        criteria: Vec<(u8, u8)>,
        errors: Vec<(u8, u8)>,
    },
    /// `unclassified = true`.
    Unclassified,
    /// `move`.
    Move { from: u8, to: u8, allowed: bool },
    /// Nothing.
    Nothing,
}

/// One example.
#[derive(Arbitrary, Debug)]
pub struct ExampleSpec {
    /// `now`.
    pub now: Option<u8>,
    /// `record`: key from the field pool, value.
    pub record: Vec<(u8, RecordValue)>,
    /// The expectation.
    pub expect: Expect,
}

/// A value in a record.
#[derive(Arbitrary, Debug)]
pub enum RecordValue {
    /// Text from the pool.
    Text(u8),
    /// Any text.
    Any(String),
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A date from the pool (a TOML date in examples).
    Date(u8),
    /// A list of texts.
    List(Vec<u8>),
    /// A TOML table in an example, JSON `null` in a record.
    Null,
}

/// A duration.
#[derive(Arbitrary, Debug)]
pub struct Duration {
    /// The amount.
    pub amount: u16,
    /// The unit, from the pool.
    pub unit: u8,
}

/// A literal.
#[derive(Arbitrary, Debug)]
pub enum Lit {
    /// An integer.
    Int(i32),
    /// A number as written, from the pool.
    Float(u8),
    /// A string, from the pool.
    Str(u8),
    /// A string of enum values.
    EnumValue(u8),
    /// A date, from the pool.
    Date(u8),
    /// A duration.
    Duration(Duration),
    /// `true`.
    True,
    /// `false`.
    False,
}

/// What a comparison or test reads.
#[derive(Arbitrary, Debug)]
pub enum Operand {
    /// A field, from the pool.
    Field(u8),
    /// `criteria.<id>`.
    Criterion(u8),
    /// `qualified`.
    Qualified,
    /// `score`.
    Score,
    /// `today`.
    Today,
    /// `now`.
    Now,
    /// A literal.
    Lit(Lit),
    /// `operand + duration` or `-`.
    Shifted(Box<Operand>, bool, Duration),
}

/// A comparison operator.
#[derive(Arbitrary, Debug)]
pub enum Cmp {
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

/// A text test.
#[derive(Arbitrary, Debug)]
pub enum TextOp {
    /// `contains`.
    Contains,
    /// `starts_with`.
    StartsWith,
    /// `ends_with`.
    EndsWith,
}

/// A rule.
#[derive(Arbitrary, Debug)]
pub enum Expr {
    /// A bare operand (`engaged`, `qualified`, `true`).
    Bare(Operand),
    /// `x is present` / `x is missing`.
    Present(Operand, bool),
    /// A comparison.
    Compare(Operand, Cmp, Operand),
    /// `x in [..]` / `x not in [..]`.
    In(Operand, bool, Vec<Lit>),
    /// A text test.
    Text(Operand, TextOp, Lit),
    /// `x matches '..'`.
    Matches(Operand, u8),
    /// A token from the pool, then a rule: near misses of the grammar.
    Raw(u8, Box<Expr>),
    /// `not` / `!`.
    Not(bool, Box<Expr>),
    /// `and` / `&&`.
    And(bool, Box<Expr>, Box<Expr>),
    /// `or` / `||`.
    Or(bool, Box<Expr>, Box<Expr>),
    /// Parentheses.
    Paren(Box<Expr>),
}

impl Duration {
    fn render(&self) -> String {
        format!("{}{}", self.amount, pick(UNITS, self.unit))
    }
}

/// A rule-language string literal holding `text`.
fn rule_string(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

impl Lit {
    fn render(&self, out: &mut String) {
        match self {
            Lit::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Lit::Float(f) => out.push_str(pick(FLOATS, *f)),
            Lit::Str(s) => out.push_str(&rule_string(pick(TEXTS, *s))),
            Lit::EnumValue(s) => out.push_str(&rule_string(pick(ENUM_VALUES, *s))),
            Lit::Date(d) => out.push_str(pick(DATES, *d)),
            Lit::Duration(d) => out.push_str(&d.render()),
            Lit::True => out.push_str("true"),
            Lit::False => out.push_str("false"),
        }
    }
}

impl Operand {
    fn render(&self, out: &mut String, names: &Names) {
        match self {
            Operand::Field(f) => out.push_str(names.field(*f)),
            Operand::Criterion(c) => {
                let _ = write!(out, "criteria.{}", names.criterion(*c));
            }
            Operand::Qualified => out.push_str("qualified"),
            Operand::Score => out.push_str("score"),
            Operand::Today => out.push_str("today"),
            Operand::Now => out.push_str("now"),
            Operand::Lit(l) => l.render(out),
            Operand::Shifted(o, plus, d) => {
                o.render(out, names);
                let _ = write!(out, " {} {}", if *plus { '+' } else { '-' }, d.render());
            }
        }
    }
}

impl Expr {
    /// The rule as text.
    fn render(&self, out: &mut String, names: &Names) {
        match self {
            Expr::Bare(o) => o.render(out, names),
            Expr::Present(o, present) => {
                o.render(out, names);
                out.push_str(if *present { " is present" } else { " is missing" });
            }
            Expr::Compare(a, op, b) => {
                a.render(out, names);
                out.push_str(match op {
                    Cmp::Eq => " == ",
                    Cmp::Ne => " != ",
                    Cmp::Lt => " < ",
                    Cmp::Le => " <= ",
                    Cmp::Gt => " > ",
                    Cmp::Ge => " >= ",
                });
                b.render(out, names);
            }
            Expr::In(o, not, items) => {
                o.render(out, names);
                out.push_str(if *not { " not in [" } else { " in [" });
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.render(out);
                }
                out.push(']');
            }
            Expr::Text(o, op, l) => {
                o.render(out, names);
                out.push_str(match op {
                    TextOp::Contains => " contains ",
                    TextOp::StartsWith => " starts_with ",
                    TextOp::EndsWith => " ends_with ",
                });
                l.render(out);
            }
            Expr::Matches(o, r) => {
                o.render(out, names);
                out.push_str(" matches ");
                out.push_str(&rule_string(pick(REGEXES, *r)));
            }
            Expr::Raw(t, e) => {
                out.push_str(pick(RAW, *t));
                out.push(' ');
                e.render(out, names);
            }
            Expr::Not(bang, e) => {
                out.push_str(if *bang { "!" } else { "not " });
                e.render(out, names);
            }
            Expr::And(sym, a, b) => {
                a.render(out, names);
                out.push_str(if *sym { " && " } else { " and " });
                b.render(out, names);
            }
            Expr::Or(sym, a, b) => {
                a.render(out, names);
                out.push_str(if *sym { " || " } else { " or " });
                b.render(out, names);
            }
            Expr::Paren(e) => {
                out.push('(');
                e.render(out, names);
                out.push(')');
            }
        }
    }

    fn quoted(&self, style: u8, names: &Names) -> String {
        let mut text = String::new();
        self.render(&mut text, names);
        harness::toml_quoted(&text, style)
    }
}

/// A TOML basic string.
fn q(text: &str) -> String {
    harness::toml_basic(text)
}

/// A TOML array of strings from a pool.
fn array(pool: &[&str], items: &[u8]) -> String {
    let items: Vec<String> = items.iter().map(|&i| q(pick(pool, i))).collect();
    format!("[{}]", items.join(", "))
}

impl RecordValue {
    /// As a TOML value, for an example's record.
    fn toml(&self) -> String {
        match self {
            RecordValue::Text(t) => q(pick(TEXTS, *t)),
            RecordValue::Any(t) => q(t),
            RecordValue::Number(n) if n.is_finite() => format!("{n:?}"),
            RecordValue::Number(n) if n.is_nan() => "nan".to_string(),
            RecordValue::Number(n) => (if *n > 0.0 { "inf" } else { "-inf" }).to_string(),
            RecordValue::Bool(b) => b.to_string(),
            RecordValue::Date(d) => pick(DATES, *d).to_string(),
            RecordValue::List(items) => array(TEXTS, items),
            RecordValue::Null => "{}".to_string(),
        }
    }

    /// As a record's value.
    fn value(&self) -> Value {
        match self {
            RecordValue::Text(t) => Value::from(pick(TEXTS, *t)),
            RecordValue::Any(t) => Value::from(t.as_str()),
            RecordValue::Number(n) => Value::Number(*n),
            RecordValue::Bool(b) => Value::Bool(*b),
            RecordValue::Date(d) => Value::from(pick(DATES, *d)),
            RecordValue::List(items) => Value::List(items.iter().map(|&i| Value::from(pick(TEXTS, i))).collect()),
            RecordValue::Null => Value::Null,
        }
    }
}

impl Spec {
    /// The names the rules, owners, transitions, examples and records pick from.
    fn names(&self) -> Names {
        let loose = self.loose >= 240;
        let fields = first_of(loose, &self.fields, |f| pick_valid(FIELD_IDS, VALID_FIELD_IDS, loose, f.id))
            .into_iter()
            .map(|f| {
                let id = pick_valid(FIELD_IDS, VALID_FIELD_IDS, loose, f.id);
                let column = f.keys.iter().rev().find_map(|k| match k {
                    ReadKey::Column(c) if loose => Some(pick(FIELD_IDS, *c).to_string()),
                    ReadKey::Column(_) => Some(format!("{id} column")),
                    _ => None,
                });
                (id, column.unwrap_or_else(|| id.to_string()))
            })
            .collect();
        let mut teams: Vec<&'static str> =
            first_of(loose, &self.teams, |&t| pick(TEAM_IDS, t)).into_iter().map(|&t| pick(TEAM_IDS, t)).collect();
        if teams.is_empty() && !loose {
            teams.push(TEAM_IDS[0]);
        }
        let mut stages: Vec<&'static str> = first_of(loose, &self.stages, |s| pick(STAGE_IDS, s.id))
            .into_iter()
            .map(|s| pick(STAGE_IDS, s.id))
            .collect();
        if stages.is_empty() && !loose {
            stages.push("contact"); // the stage `render` writes for a definition without one
        }
        let criteria = self.qualification.as_ref().map_or(Vec::new(), |q| {
            first_of(loose, &q.criteria, |c| pick(CRITERIA_IDS, c.0))
                .into_iter()
                .map(|c| pick(CRITERIA_IDS, c.0))
                .collect()
        });
        Names { loose, fields, teams, stages, criteria }
    }

    /// The definition as TOML.
    pub fn render(&self) -> String {
        let style = self.quoting;
        let names = self.names();
        let loose = names.loose;
        let mut t = String::new();
        if let Some(input) = &self.input {
            t.push_str("[input]\n");
            if let Some(id) = input.id {
                let _ = writeln!(t, "id = {}", q(pick(FIELD_IDS, id)));
            }
            if !input.missing.is_empty() {
                let _ = writeln!(t, "missing = {}", array(MISSING, &input.missing));
            }
            if let Some(tz) = input.timezone {
                let _ = writeln!(t, "timezone = {}", q(pick_valid(TIMEZONES, VALID_TIMEZONES, loose, tz)));
            }
            t.push('\n');
        }
        if !loose || self.loose & 1 == 0 {
            t.push_str("[definition]\nname = \"Fuzz: structured\"\nversion = \"1\"\n\n");
        }
        t.push_str("[teams]\n");
        for team in &names.teams {
            let _ = writeln!(t, "{} = \"Team\"", q(team));
        }
        t.push_str("\n[fields]\n");
        for field in first_of(loose, &self.fields, |f| pick_valid(FIELD_IDS, VALID_FIELD_IDS, loose, f.id)) {
            let ty = match &field.ty {
                Ty::String => "string",
                Ty::Number => "number",
                Ty::Boolean => "boolean",
                Ty::Date => "date",
                Ty::Email => "email",
                Ty::Url => "url",
                Ty::Enum(_) => "enum",
                Ty::List => "list",
                Ty::Bogus if loose => "text",
                Ty::Bogus => "string",
            };
            let id = pick_valid(FIELD_IDS, VALID_FIELD_IDS, loose, field.id);
            if field.short && field.keys.is_empty() && !matches!(field.ty, Ty::Enum(_)) {
                let _ = writeln!(t, "{} = \"{ty}\"", q(id));
                continue;
            }
            let mut keys = vec![format!("type = \"{ty}\"")];
            if let Ty::Enum(values) = &field.ty {
                keys.push(format!("values = {}", array(ENUM_VALUES, values)));
            }
            let mut written: Vec<&'static str> = Vec::new();
            for key in &field.keys {
                let (name, value) = match key {
                    ReadKey::Thousands(c) => ("thousands", q(pick(CHARS, *c))),
                    ReadKey::Decimal(c) => ("decimal", q(pick(CHARS, *c))),
                    ReadKey::Currency(b) => ("currency", b.to_string()),
                    ReadKey::Formats(f) => ("formats", array(FORMATS, f)),
                    ReadKey::True(w) => ("true", array(BOOL_WORDS, w)),
                    ReadKey::False(w) => ("false", array(BOOL_WORDS, w)),
                    ReadKey::Separator(c) => ("separator", q(pick(CHARS, *c))),
                    ReadKey::DefaultScheme(s) => ("default_scheme", q(pick(SCHEMES, *s))),
                    ReadKey::Missing(m) => ("missing", array(MISSING, m)),
                    ReadKey::Required(b) => ("required", b.to_string()),
                    ReadKey::Label(l) => ("label", q(pick(TEXTS, *l))),
                    ReadKey::Column(c) if loose => ("column", q(pick(FIELD_IDS, *c))),
                    ReadKey::Column(_) => ("column", q(&format!("{id} column"))),
                };
                // A key written twice is a TOML error; outside loose mode the last one counts.
                if !loose {
                    if let Some(i) = written.iter().position(|w| *w == name) {
                        keys.remove(i + keys.len() - written.len());
                        written.remove(i);
                    }
                }
                written.push(name);
                keys.push(format!("{name} = {value}"));
            }
            let _ = writeln!(t, "{} = {{ {} }}", q(id), keys.join(", "));
        }
        if let Some(qualification) = &self.qualification {
            t.push_str("\n[qualification]\n");
            if qualification.framework {
                t.push_str("framework = \"BANT\"\n");
            }
            match qualification.require {
                Require::All => t.push_str("require = \"all\"\n"),
                Require::Any => t.push_str("require = \"any\"\n"),
                Require::Count(n) => {
                    let _ = writeln!(t, "require = {n}");
                }
                Require::Default => {}
            }
            t.push_str("\n[qualification.criteria]\n");
            for (id, when, ask) in first_of(loose, &qualification.criteria, |c| pick(CRITERIA_IDS, c.0)) {
                let id = q(pick(CRITERIA_IDS, *id));
                let when = when.quoted(style, &names);
                match ask {
                    Some(ask) => {
                        let _ = writeln!(t, "{id} = {{ when = {when}, ask = {} }}", q(pick(TEXTS, *ask)));
                    }
                    None => {
                        let _ = writeln!(t, "{id} = {when}");
                    }
                }
            }
        }
        if let Some(scoring) = &self.scoring {
            t.push_str("\n[scoring]\n");
            if let Some(min) = scoring.min {
                let _ = writeln!(t, "min = {min}");
            }
            if let Some(max) = scoring.max {
                let _ = writeln!(t, "max = {max}");
            }
            for (name, when, points) in &scoring.rules {
                t.push_str("\n[[scoring.rules]]\n");
                if let Some(name) = name {
                    let _ = writeln!(t, "name = {}", q(pick(TEXTS, *name)));
                }
                let _ = writeln!(t, "when = {}\npoints = {points}", when.quoted(style, &names));
            }
        }
        // Outside loose mode, aliases and shared words that another stage already took are dropped.
        let mut taken: Vec<&'static str> = names.stages.clone();
        let mut shared: Vec<&'static str> = Vec::new();
        for stage in first_of(loose, &self.stages, |s| pick(STAGE_IDS, s.id)) {
            let _ = writeln!(t, "\n[[stages]]\nid = {}", q(pick(STAGE_IDS, stage.id)));
            if stage.name {
                t.push_str("name = \"A stage\"\n");
            }
            let _ = writeln!(t, "owner = {}", q(names.team(stage.owner)));
            if let Some(c) = stage.canonical {
                let word = pick(SHARED_WORDS, c);
                if loose || !shared.contains(&word) {
                    shared.push(word);
                    let _ = writeln!(t, "canonical = {}", q(word));
                }
            }
            let mut aliases = Vec::new();
            for &a in &stage.aliases {
                let alias = pick(SHARED_WORDS, a);
                if loose || !taken.iter().any(|t| t.eq_ignore_ascii_case(alias)) {
                    taken.push(alias);
                    aliases.push(q(alias));
                }
            }
            if !aliases.is_empty() {
                let _ = writeln!(t, "aliases = [{}]", aliases.join(", "));
            }
            let _ = writeln!(t, "when = {}", stage.when.quoted(style, &names));
            if !stage.requires.is_empty() {
                let requires: Vec<String> = stage.requires.iter().map(|&r| q(names.field(r))).collect();
                let _ = writeln!(t, "requires = [{}]", requires.join(", "));
            }
            if let Some(p) = stage.priority {
                let _ = writeln!(t, "priority = {p}");
            }
            if let Some(sla) = &stage.sla {
                let _ = writeln!(t, "sla = {}", q(&sla.render()));
            }
        }
        if self.stages.is_empty() && !loose {
            let _ = writeln!(t, "\n[[stages]]\nid = \"contact\"\nowner = {}\nwhen = \"true\"", q(names.team(0)));
        }
        for transition in &self.transitions {
            let end = |s: Option<u8>| q(s.map_or("*", |s| names.stage(s)));
            let _ = writeln!(t, "\n[[transitions]]\nfrom = {}\nto = {}", end(transition.from), end(transition.to));
            if let Some(when) = &transition.when {
                let _ = writeln!(t, "when = {}", when.quoted(style, &names));
            }
        }
        let messages = first_of(loose, &self.messages, |m| pick(RULE_NAMES, m.0));
        if !messages.is_empty() {
            t.push_str("\n[messages]\n");
            for &(rule, text) in messages {
                let _ = writeln!(t, "{} = {}", pick(RULE_NAMES, rule), q(pick(TEXTS, text)));
            }
        }
        for (i, example) in self.examples.iter().enumerate() {
            let _ = writeln!(t, "\n[[examples]]\nname = \"example {i}\"");
            if let Some(now) = example.now {
                let _ = writeln!(t, "now = {}", q(pick(NOWS, now)));
            }
            let mut keys: Vec<String> = Vec::new();
            let mut record: Vec<String> = Vec::new();
            for (k, v) in &example.record {
                let key = names.column(*k);
                if loose || !keys.contains(&key) {
                    record.push(format!("{} = {}", q(&key), v.toml()));
                    keys.push(key);
                }
            }
            let _ = writeln!(t, "record = {{ {} }}", record.join(", "));
            match &example.expect {
                Expect::Stage { stage, owner, qualified, score, criteria, errors } => {
                    let _ = writeln!(t, "stage = {}", q(names.stage(*stage)));
                    if let Some(owner) = owner {
                        let _ = writeln!(t, "owner = {}", q(names.team(*owner)));
                    }
                    let truths = ["met", "not_met", "unknown", "maybe"];
                    if let Some(qualified) = qualified {
                        let _ = writeln!(t, "qualified = {}", q(pick(&truths, *qualified)));
                    }
                    if let Some(score) = score {
                        let _ = writeln!(t, "score = {score}");
                    }
                    let criteria = first_of(loose, criteria, |c| names.criterion(c.0));
                    if !criteria.is_empty() {
                        let c: Vec<String> = criteria
                            .iter()
                            .map(|&&(id, truth)| format!("{} = {}", q(names.criterion(id)), q(pick(&truths, truth))))
                            .collect();
                        let _ = writeln!(t, "criteria = {{ {} }}", c.join(", "));
                    }
                    let errors = first_of(loose, errors, |e| names.field(e.0));
                    if !errors.is_empty() {
                        let e: Vec<String> = errors
                            .iter()
                            .map(|&&(f, m)| format!("{} = {}", q(names.field(f)), q(pick(TEXTS, m))))
                            .collect();
                        let _ = writeln!(t, "errors = {{ {} }}", e.join(", "));
                    }
                }
                Expect::Unclassified => t.push_str("unclassified = true\n"),
                Expect::Move { from, to, allowed } => {
                    let _ = writeln!(
                        t,
                        "move = {{ from = {}, to = {}, allowed = {allowed} }}",
                        q(names.stage(*from)),
                        q(names.stage(*to))
                    );
                }
                Expect::Nothing => {}
            }
        }
        t
    }

    /// The records to classify, keyed by the columns the definition reads.
    pub fn records(&self) -> Vec<Record> {
        let names = self.names();
        self.records
            .iter()
            .map(|entries| entries.iter().map(|(k, v)| (names.column(*k), v.value())).collect())
            .collect()
    }
}

/// The target: render, load, check the diagnostics, use what loads.
pub fn run(spec: &Spec) {
    let text = spec.render();
    if std::env::var_os("LEADSPEC_FUZZ_PRINT").is_some() {
        eprintln!("{text}");
    }
    // Names are written unescaped, as in `rule_in_definition`.
    harness::unknown_fields_point_at_names(&text, harness::tolerate_parentheses());
    if let Some(definition) = harness::load(&text) {
        harness::use_definition(&definition);
        for record in spec.records() {
            harness::use_record(&definition, &record);
        }
    }
}
