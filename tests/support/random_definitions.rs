//! Random definitions, written as TOML text from a seed: fields of every type with random
//! reading keys, criteria, scoring rules, stages with priorities and `requires`, and rules
//! drawn from a grammar that covers every construct of the rule language. Only the ones
//! that load are kept (see [`definition`]).
#![allow(dead_code)] // each test file uses a part

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};
use leadspec::Definition;

use super::messy::{Rng, WORDS};

/// The constructs of the rule language a rule can be drawn with, named for the coverage
/// check.
pub const CONSTRUCTS: &[&str] = &[
    "compare_number",
    "compare_date",
    "compare_text",
    "compare_bool",
    "in",
    "not_in",
    "is_present",
    "is_missing",
    "contains",
    "starts_with",
    "ends_with",
    "list_contains",
    "matches",
    "duration_min",
    "duration_h",
    "duration_d",
    "duration_w",
    "duration_mo",
    "duration_y",
    "today",
    "now",
    "criteria",
    "qualified",
    "score",
    "and",
    "or",
    "not",
    "bool_field",
];

/// A TOML basic string holding `text`.
pub fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => write!(out, "\\u{:04X}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A rule-language string literal holding `text` (single quotes).
fn rule_string(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[derive(Clone, Debug)]
struct FieldSpec {
    id: String,
    ty: &'static str,
    values: Vec<String>,
    separator: char,
}

/// Where a rule is written: what it may name beyond the fields.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Criterion,
    Scoring,
    Stage,
}

struct Gen<'a> {
    rng: &'a mut Rng,
    fields: Vec<FieldSpec>,
    criteria: Vec<String>,
    scoring: bool,
    now: DateTime<Utc>,
    used: BTreeSet<&'static str>,
}

const ENUM_VALUES: &[&str] = &["Google", "Direct Traffic", "referral", "Trade Show", "email", "A", "a", "ÉTÉ"];
const REGEXES: &[&str] = &[
    "^ac",
    "x$",
    "[0-9]+",
    "(?i)acme",
    "a.c",
    "^\\w+@",
    "\\.io$",
    "demo|pricing",
    "^$",
    "co(rp)?",
    "[A-Z]",
    "\\d{3}",
    "^[a-z]+$",
    "\\s",
    "é",
];

impl Gen<'_> {
    fn mark(&mut self, construct: &'static str) {
        self.used.insert(construct);
    }

    fn duration(&mut self) -> String {
        let (unit, construct, max) = *self.rng.pick(&[
            ("min", "duration_min", 3000),
            ("h", "duration_h", 72),
            ("d", "duration_d", 120),
            ("d", "duration_d", 3),
            ("w", "duration_w", 20),
            ("mo", "duration_mo", 14),
            ("y", "duration_y", 2),
        ]);
        self.mark(construct);
        format!("{}{unit}", self.rng.range(0, max))
    }

    /// A date or date-time expression: `today`, `now`, a date literal, a date field, each
    /// with or without arithmetic.
    fn time_expr(&mut self, date_fields: &[String]) -> String {
        let base = match self.rng.below(5) {
            0 => {
                self.mark("today");
                "today".to_string()
            }
            1 => {
                self.mark("now");
                "now".to_string()
            }
            2 => {
                let days = self.rng.range(-120, 120);
                (self.now.date_naive() + Duration::days(days)).format("%Y-%m-%d").to_string()
            }
            _ if !date_fields.is_empty() => self.rng.pick(date_fields).clone(),
            _ => {
                self.mark("today");
                "today".to_string()
            }
        };
        if self.rng.chance(55) {
            let op = if self.rng.chance(50) { "+" } else { "-" };
            format!("{base} {op} {}", self.duration())
        } else {
            base
        }
    }

    fn compare_op(&mut self) -> &'static str {
        self.rng.word(&["==", "!=", "<", "<=", ">", ">="])
    }

    /// One atom of a rule about `field`.
    fn field_atom(&mut self, field: &FieldSpec) -> String {
        let id = field.id.clone();
        if self.rng.chance(12) {
            return if self.rng.chance(50) {
                self.mark("is_present");
                format!("{id} is present")
            } else {
                self.mark("is_missing");
                format!("{id} is missing")
            };
        }
        match field.ty {
            "number" => {
                if self.rng.chance(15) {
                    let (kw, c) = if self.rng.chance(50) { ("in", "in") } else { ("not in", "not_in") };
                    self.mark(c);
                    return format!("{id} {kw} [10, 1000, 2.5]");
                }
                self.mark("compare_number");
                let op = self.compare_op();
                let n = *self.rng.pick(&["0", "10", "1000", "10_000", "2.5", "-3", "1e3", "25000", "50"]);
                format!("{id} {op} {n}")
            }
            "boolean" => match self.rng.below(3) {
                0 => {
                    self.mark("bool_field");
                    id
                }
                1 => {
                    self.mark("compare_bool");
                    let op = if self.rng.chance(50) { "==" } else { "!=" };
                    let v = if self.rng.chance(50) { "true" } else { "false" };
                    format!("{id} {op} {v}")
                }
                _ => {
                    self.mark("not");
                    self.mark("bool_field");
                    format!("not {id}")
                }
            },
            "date" => {
                self.mark("compare_date");
                let op = self.compare_op();
                let left = if self.rng.chance(70) {
                    id
                } else {
                    let dates = vec![id];
                    self.time_expr(&dates)
                };
                let right = self.time_expr(&[]);
                format!("{left} {op} {right}")
            }
            "enum" => {
                let values = field.values.clone();
                let v = rule_string(self.rng.pick(&values).as_str());
                match self.rng.below(4) {
                    0 => {
                        self.mark("in");
                        let w = rule_string(self.rng.pick(&values).as_str());
                        format!("{id} in [{v}, {w}]")
                    }
                    1 => {
                        self.mark("not_in");
                        format!("{id} not in [{v}]")
                    }
                    _ => {
                        self.mark("compare_text");
                        let op = if self.rng.chance(50) { "==" } else { "!=" };
                        format!("{id} {op} {v}")
                    }
                }
            }
            "list" => {
                self.mark("list_contains");
                let w = rule_string(self.rng.word(WORDS));
                format!("{id} contains {w}")
            }
            // string, email, url: text tests.
            _ => {
                let word = *self.rng.pick(WORDS);
                match self.rng.below(7) {
                    0 => {
                        self.mark("contains");
                        format!("{id} contains {}", rule_string(&word.to_uppercase()))
                    }
                    1 => {
                        self.mark("starts_with");
                        format!("{id} starts_with {}", rule_string(word))
                    }
                    2 => {
                        self.mark("ends_with");
                        format!("{id} ends_with {}", rule_string(word))
                    }
                    3 => {
                        self.mark("matches");
                        let re = *self.rng.pick(REGEXES);
                        format!("{id} matches {}", rule_string(re))
                    }
                    4 => {
                        self.mark("in");
                        format!("{id} in [{}, 'Acme Corp']", rule_string(word))
                    }
                    5 => {
                        self.mark("compare_text");
                        let op = if self.rng.chance(50) { "==" } else { "!=" };
                        format!("{id} {op} {}", rule_string(word))
                    }
                    _ => {
                        self.mark("contains");
                        format!("{id} contains {}", rule_string(word))
                    }
                }
            }
        }
    }

    fn atom(&mut self, place: Place) -> String {
        let roll = self.rng.below(100);
        if place != Place::Criterion && !self.criteria.is_empty() && roll < 12 {
            if self.rng.chance(70) {
                self.mark("criteria");
                let id = self.rng.pick(&self.criteria).clone();
                return match self.rng.below(3) {
                    0 => format!("criteria.{id} is present"),
                    1 => {
                        self.mark("not");
                        format!("not criteria.{id}")
                    }
                    _ => format!("criteria.{id}"),
                };
            }
            self.mark("qualified");
            return if self.rng.chance(30) { "qualified is missing".to_string() } else { "qualified".to_string() };
        }
        if place == Place::Stage && self.scoring && roll < 22 {
            self.mark("score");
            let op = self.compare_op();
            let n = self.rng.range(-20, 60);
            return format!("score {op} {n}");
        }
        if roll > 96 {
            return if self.rng.chance(50) { "true".to_string() } else { "false".to_string() };
        }
        let field = self.fields[self.rng.below(self.fields.len())].clone();
        self.field_atom(&field)
    }

    fn rule(&mut self, place: Place, depth: usize) -> String {
        if depth == 0 || self.rng.chance(35) {
            return self.atom(place);
        }
        match self.rng.below(7) {
            0 | 1 => {
                self.mark("and");
                let op = if self.rng.chance(80) { "and" } else { "&&" };
                format!("{} {op} {}", self.rule(place, depth - 1), self.rule(place, depth - 1))
            }
            2 | 3 => {
                self.mark("or");
                let op = if self.rng.chance(80) { "or" } else { "||" };
                format!("({} {op} {})", self.rule(place, depth - 1), self.rule(place, depth - 1))
            }
            4 => {
                self.mark("not");
                let op = if self.rng.chance(80) { "not " } else { "!" };
                format!("{op}({})", self.rule(place, depth - 1))
            }
            5 => {
                self.mark("or");
                format!("{} or {}", self.rule(place, depth - 1), self.rule(place, depth - 1))
            }
            _ => self.atom(place),
        }
    }
}

/// One random definition's TOML text and the constructs its rules use (it may not load).
pub fn definition_text(rng: &mut Rng, now: DateTime<Utc>) -> (String, BTreeSet<&'static str>) {
    let mut toml = String::new();
    writeln!(toml, "[definition]\nname = \"Random {}\"\n", rng.next_u64() % 100_000).unwrap();
    if rng.chance(60) {
        writeln!(toml, "[input]").unwrap();
        if rng.chance(50) {
            writeln!(toml, "id = {}", toml_string(rng.word(&["Lead ID", "record", "ID"]))).unwrap();
        }
        if rng.chance(60) {
            writeln!(toml, "missing = [\"N/A\", \"Select\", \"-\"]").unwrap();
        }
        if rng.chance(60) {
            let zone = *rng.pick(&["UTC", "America/New_York", "Europe/Berlin", "+05:30", "Asia/Kolkata", "-08:00"]);
            writeln!(toml, "timezone = {}", toml_string(zone)).unwrap();
        }
        toml.push('\n');
    }
    writeln!(toml, "[teams]\nmarketing = \"Marketing\"\nsales = \"Sales\"\nsuccess = \"Success\"\n").unwrap();

    // Fields: one to two of each type, with random reading keys.
    let mut fields = Vec::new();
    writeln!(toml, "[fields]").unwrap();
    let types = ["number", "boolean", "date", "email", "url", "enum", "list", "string"];
    for ty in types {
        for k in 0..1 + rng.below(2) {
            let id = format!("{}_{k}", if ty == "enum" { "choice" } else { ty });
            let mut keys: Vec<String> = vec![format!("type = \"{ty}\"")];
            let mut values = Vec::new();
            let mut separator = ';';
            if rng.chance(30) {
                keys.push(format!("column = {}", toml_string(&format!("{} {k} (col)", ty.to_uppercase()))));
            }
            if rng.chance(15) {
                keys.push("required = true".to_string());
            }
            if rng.chance(20) {
                keys.push("missing = [\"none\", \"TBD\"]".to_string());
            }
            match ty {
                "number" => match rng.below(4) {
                    0 => keys.push("thousands = \",\", currency = true".to_string()),
                    1 => keys.push("thousands = \".\", decimal = \",\"".to_string()),
                    2 => keys.push("currency = true".to_string()),
                    _ => {}
                },
                "boolean" if rng.chance(50) => {
                    keys.push("true = [\"Y\", \"checked\"], false = [\"N\"]".to_string());
                }
                "date" if rng.chance(60) => {
                    let formats = *rng.pick(&[
                        "[\"%m/%d/%Y\"]",
                        "[\"%d %b, %Y %H:%M:%S\"]",
                        "[\"%d.%m.%Y\", \"%Y/%m/%d %H:%M\"]",
                        "[\"%Y-%m-%dT%H:%M:%S%z\"]",
                    ]);
                    keys.push(format!("formats = {formats}"));
                }
                "url" if rng.chance(50) => {
                    keys.push(format!("default_scheme = \"{}\"", rng.pick(&["https", "http"])));
                }
                "enum" => {
                    let n = 2 + rng.below(3);
                    let start = rng.below(ENUM_VALUES.len());
                    for i in 0..n {
                        let v = ENUM_VALUES[(start + i) % ENUM_VALUES.len()].to_string();
                        if !values.contains(&v) {
                            values.push(v);
                        }
                    }
                    let list: Vec<String> = values.iter().map(|v| toml_string(v)).collect();
                    keys.push(format!("values = [{}]", list.join(", ")));
                }
                "list" if rng.chance(50) => {
                    separator = *rng.pick(&[',', '|']);
                    keys.push(format!("separator = \"{separator}\""));
                }
                _ => {}
            }
            writeln!(toml, "{id} = {{ {} }}", keys.join(", ")).unwrap();
            fields.push(FieldSpec { id, ty, values, separator });
        }
    }
    toml.push('\n');

    let criteria: Vec<String> = (0..2 + rng.below(3)).map(|i| format!("c{i}")).collect();
    let scoring = rng.chance(70);
    let mut gen = Gen { rng, fields, criteria: Vec::new(), scoring, now, used: BTreeSet::new() };

    writeln!(toml, "[qualification]").unwrap();
    let require = match gen.rng.below(4) {
        0 => "\"any\"".to_string(),
        1 => (1 + gen.rng.below(criteria.len())).to_string(),
        _ => "\"all\"".to_string(),
    };
    writeln!(toml, "require = {require}\n\n[qualification.criteria]").unwrap();
    for id in &criteria {
        let rule = gen.rule(Place::Criterion, 2);
        writeln!(toml, "{id} = {}", toml_string(&rule)).unwrap();
    }
    toml.push('\n');
    gen.criteria = criteria;

    if scoring {
        writeln!(toml, "[scoring]").unwrap();
        if gen.rng.chance(50) {
            writeln!(toml, "min = {}", gen.rng.range(-10, 5)).unwrap();
        }
        if gen.rng.chance(50) {
            writeln!(toml, "max = {}", gen.rng.range(20, 80)).unwrap();
        }
        for _ in 0..1 + gen.rng.below(4) {
            let rule = gen.rule(Place::Scoring, 2);
            let points = gen.rng.range(-20, 40);
            writeln!(toml, "\n[[scoring.rules]]\nwhen = {}\npoints = {points}", toml_string(&rule)).unwrap();
        }
        toml.push('\n');
    }

    let stages = 3 + gen.rng.below(4);
    for i in 0..stages {
        let owner = *gen.rng.pick(&["marketing", "sales", "success"]);
        let rule = gen.rule(Place::Stage, 3);
        writeln!(toml, "[[stages]]\nid = \"s{i}\"\nowner = \"{owner}\"\nwhen = {}", toml_string(&rule)).unwrap();
        if gen.rng.chance(40) {
            writeln!(toml, "priority = {}", gen.rng.range(-2, 3)).unwrap();
        }
        if gen.rng.chance(35) {
            let n = 1 + gen.rng.below(2);
            let ids: Vec<String> = (0..n).map(|_| format!("\"{}\"", gen.rng.pick(&gen.fields).id)).collect();
            let mut ids = ids;
            ids.dedup();
            writeln!(toml, "requires = [{}]", ids.join(", ")).unwrap();
        }
        toml.push('\n');
    }
    let used = gen.used;
    (toml, used)
}

/// A random definition that loads, its TOML text, the constructs its rules use, and how
/// many drawn before it did not load (with the first such error).
pub struct Drawn {
    pub definition: Definition,
    pub toml: String,
    pub constructs: BTreeSet<&'static str>,
    pub discarded: usize,
    pub first_error: Option<String>,
}

/// Draws definitions until one loads.
pub fn definition(rng: &mut Rng, now: DateTime<Utc>) -> Drawn {
    let mut discarded = 0;
    let mut first_error = None;
    loop {
        let (toml, constructs) = definition_text(rng, now);
        match Definition::from_toml(&toml) {
            Ok(definition) => return Drawn { definition, toml, constructs, discarded, first_error },
            Err(error) => {
                discarded += 1;
                first_error.get_or_insert_with(|| format!("{error}\n{toml}"));
                assert!(discarded < 1000, "no random definition loads; the first error: {}", first_error.unwrap());
            }
        }
    }
}
