//! The benchmark fixture of issue 6, shared by every bench and agreement test.
//!
//! One realistic definition ([`DEFINITION`], `realistic.toml` beside this file) and a fixed,
//! seeded set of varied leads ([`samples`]). Each generated lead comes in two forms built
//! from the same draw: a [`Record`] as a service or a CRM export would hand it to leadspec
//! (text to coerce, native JSON numbers and booleans, missing values written four ways,
//! invalid values), and a plain Rust struct ([`hand::Lead`]) holding what is known after
//! validation (`None` for missing *and* invalid). The generator, not leadspec, decides what
//! is valid, so the agreement tests also check leadspec's coercion.
//!
//! Included with `#[path]` by `benches/realistic.rs`, `benches/shapes.rs`,
//! `tests/agreement.rs`, `tests/hot_path.rs`, `examples/gen_leads.rs` and the `compare/`
//! crate; each uses only part of it.
#![allow(dead_code)]

pub mod hand;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use leadspec::{Record, Value};

use hand::{Country, Industry, Lead, Role, Source, Text};

/// The benchmark definition.
pub const DEFINITION: &str = include_str!("realistic.toml");

/// How many records the benchmark set holds.
pub const RECORDS: usize = 10_000;

/// The seed of the benchmark set: the same records on every machine and every run.
pub const SEED: u64 = 0x1EAD_5BEC_2026;

/// The reference time of every benchmark classification: 2026-11-22T15:30:00Z.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 15, 30, 0).unwrap()
}

/// `today` at [`now`].
pub fn today() -> NaiveDate {
    now().date_naive()
}

/// One generated lead, as leadspec reads it and as hand-written Rust reads it.
#[derive(Clone, Debug)]
pub struct Sample {
    /// The raw record (what `Definition::prepare` takes).
    pub record: Record,
    /// The same lead after validation, as a plain struct.
    pub lead: Lead,
}

/// The benchmark set: [`RECORDS`] leads from [`SEED`].
pub fn benchmark_samples() -> Vec<Sample> {
    samples(RECORDS, SEED)
}

/// `n` leads drawn from `seed`. Deterministic: the same arguments give the same leads.
pub fn samples(n: usize, seed: u64) -> Vec<Sample> {
    sample_iter(seed).take(n).collect()
}

/// An endless stream of leads drawn from `seed` (for inputs too large to hold at once).
pub fn sample_iter(seed: u64) -> impl Iterator<Item = Sample> {
    let mut rng = Rng::new(seed);
    (0..).map(move |i| sample(&mut rng, i))
}

/// For every field of the definition, in its order, whether the plain struct holds a valid
/// value: what `is present` must say after leadspec prepared the record.
pub fn presence(lead: &Lead) -> [(&'static str, bool); 21] {
    let l = lead;
    [
        ("email", l.email.is_some()),
        ("website", l.website.is_some()),
        ("company", l.company.is_some()),
        ("title", l.title.is_some()),
        ("phone", l.phone.is_some()),
        ("need", l.need.is_some()),
        ("country", l.country.is_some()),
        ("industry", l.industry.is_some()),
        ("role", l.role.is_some()),
        ("source", l.source.is_some()),
        ("employees", l.employees.is_some()),
        ("budget", l.budget.is_some()),
        ("page_views", l.page_views.is_some()),
        ("purchase_by", l.purchase_by.is_some()),
        ("last_seen", l.last_seen.is_some()),
        ("customer_since", l.customer_since.is_some()),
        ("engaged", l.engaged.is_some()),
        ("demo_requested", l.demo_requested.is_some()),
        ("unsubscribed", l.unsubscribed.is_some()),
        ("tags", l.tags.is_some()),
        ("notes", l.notes.is_some()),
    ]
}

/// SplitMix64: tiny, fast, and good enough to vary benchmark records (not for anything else).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Whether a field's value is drawn missing, invalid or valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Draw {
    Missing,
    Invalid,
    Valid,
}

/// Missing `missing`% of the time, invalid `invalid`% of the time, else valid.
fn draw(rng: &mut Rng, missing: u64, invalid: u64) -> Draw {
    let roll = rng.below(100);
    if roll < missing {
        Draw::Missing
    } else if roll < missing + invalid {
        Draw::Invalid
    } else {
        Draw::Valid
    }
}

/// A missing value, written one of the ways sources write it: absent, `null`, empty or
/// blank text.
fn missing(rng: &mut Rng) -> Option<Value> {
    match rng.below(4) {
        0 => None,
        1 => Some(Value::Null),
        2 => Some(Value::Text(String::new())),
        _ => Some(Value::Text("   ".to_string())),
    }
}

/// One of `pool`, as text.
fn any_of(rng: &mut Rng, pool: &[&str]) -> Value {
    Value::Text(rng.pick(pool).to_string())
}

/// Text with white space around it now and then (e-mails, URLs, enums and numbers are
/// trimmed before they are read).
fn padded(rng: &mut Rng, text: &str) -> String {
    if rng.percent(10) {
        format!(" {text}  ")
    } else {
        text.to_string()
    }
}

/// Builds a record and its plain struct field by field.
struct Builder<'r> {
    rng: &'r mut Rng,
    record: Record,
}

impl Builder<'_> {
    fn put(&mut self, field: &str, value: Option<Value>) {
        if let Some(value) = value {
            self.record.insert(field, value);
        }
    }

    /// A `string` field: kept exactly as given (padding included).
    fn string(&mut self, field: &str, pool: &[&str], missing_pct: u64) -> Option<Text> {
        if draw(self.rng, missing_pct, 0) == Draw::Missing {
            let value = missing(self.rng);
            self.put(field, value);
            return None;
        }
        let text = self.rng.pick(pool).to_string();
        self.put(field, Some(Value::Text(text.clone())));
        Some(Text::new(text))
    }

    /// A field that is missing `missing_pct`% of the time (written one of the ways sources
    /// write it), invalid 8% of the time (the value `invalid` draws), else valid: `valid`
    /// draws the value as given and what it means.
    fn field<T>(
        &mut self,
        field: &str,
        missing_pct: u64,
        invalid: impl FnOnce(&mut Rng) -> Value,
        valid: impl FnOnce(&mut Rng) -> (Value, T),
    ) -> Option<T> {
        let (given, meaning) = match draw(self.rng, missing_pct, 8) {
            Draw::Missing => (missing(self.rng), None),
            Draw::Invalid => (Some(invalid(self.rng)), None),
            Draw::Valid => {
                let (given, meaning) = valid(self.rng);
                (Some(given), Some(meaning))
            }
        };
        self.put(field, given);
        meaning
    }

    /// An `email` or `url` field: trimmed, then checked; the pools say which are valid.
    fn checked(&mut self, field: &str, valid: &[&str], invalid: &[&str], missing_pct: u64) -> Option<Text> {
        self.field(
            field,
            missing_pct,
            |rng| {
                let choice = *rng.pick(invalid);
                Value::Text(padded(rng, choice))
            },
            |rng| {
                let text = rng.pick(valid).to_string();
                let given = padded(rng, &text);
                (Value::Text(given), Text::new(text))
            },
        )
    }

    /// An `enum` field: exact, case-sensitive values, trimmed.
    fn enumeration<E: Copy>(
        &mut self,
        field: &str,
        values: &[(&str, E)],
        invalid: &[&str],
        missing_pct: u64,
    ) -> Option<E> {
        self.field(
            field,
            missing_pct,
            |rng| any_of(rng, invalid),
            |rng| {
                let &(text, value) = rng.pick(values);
                (Value::Text(padded(rng, text)), value)
            },
        )
    }

    /// A `number` field: a JSON number or text.
    fn number(&mut self, field: &str, value: f64, missing_pct: u64) -> Option<f64> {
        const INVALID: [&str; 5] = ["lots", "12k", "1_000", "n/a", "1,5"];
        self.field(
            field,
            missing_pct,
            |rng| any_of(rng, &INVALID),
            |rng| {
                let given = if rng.percent(50) {
                    Value::Number(value)
                } else {
                    let text = format!("{value}");
                    Value::Text(padded(rng, &text))
                };
                (given, value)
            },
        )
    }

    /// A `date` field: `YYYY-MM-DD`, an RFC 3339 date-time on the same UTC day, or a native date.
    fn date(&mut self, field: &str, offset_days: (i64, i64), missing_pct: u64) -> Option<NaiveDate> {
        const INVALID: [&str; 5] = ["2026-13-01", "next week", "01/02/2026", "2026-02-30", "soon"];
        self.field(
            field,
            missing_pct,
            |rng| any_of(rng, &INVALID),
            |rng| {
                let offset = rng.between(offset_days.0, offset_days.1);
                let date = if offset >= 0 {
                    today().checked_add_days(Days::new(offset as u64))
                } else {
                    today().checked_sub_days(Days::new(offset.unsigned_abs()))
                }
                .unwrap();
                let given = match rng.below(4) {
                    0 => Value::Date(date),
                    1 => Value::Text(format!("{date}T09:30:00Z")),
                    2 => Value::Text(format!("{date}T12:00:00+02:00")),
                    _ => Value::Text(padded(rng, &date.to_string())),
                };
                (given, date)
            },
        )
    }

    /// A `boolean` field: a JSON boolean or number, or text (`yes`, `No`, `TRUE`, `0`, ...).
    fn boolean(&mut self, field: &str, true_pct: u64, missing_pct: u64) -> Option<bool> {
        const INVALID: [&str; 4] = ["maybe", "y", "2", "on"];
        self.field(
            field,
            missing_pct,
            |rng| any_of(rng, &INVALID),
            |rng| {
                let value = rng.percent(true_pct);
                let given = match rng.below(4) {
                    0 => Value::Bool(value),
                    1 => Value::Number(if value { 1.0 } else { 0.0 }),
                    2 => {
                        Value::Text(rng.pick(if value { &["yes", "Yes", "1"] } else { &["no", "NO", "0"] }).to_string())
                    }
                    _ => Value::Text(padded(rng, if value { "TRUE" } else { "false" })),
                };
                (given, value)
            },
        )
    }

    /// The `list` field `tags`: a JSON array or `;`-separated text.
    fn tags(&mut self) -> Option<Vec<String>> {
        const POOL: [&str; 7] = ["webinar", "download", "pain", "trial", "newsletter", "event", "Webinar"];
        match draw(self.rng, 25, 5) {
            Draw::Missing => {
                let value = match self.rng.below(3) {
                    0 => Some(Value::List(Vec::new())),
                    1 => Some(Value::Text(" ; ".to_string())),
                    _ => missing(self.rng),
                };
                self.put("tags", value);
                None
            }
            Draw::Invalid => {
                let value = if self.rng.percent(50) { Value::Number(3.0) } else { Value::List(vec![Value::Nested]) };
                self.put("tags", Some(value));
                None
            }
            Draw::Valid => {
                let count = 1 + self.rng.below(3) as usize;
                let items: Vec<String> = (0..count).map(|_| self.rng.pick(&POOL).to_string()).collect();
                let given = if self.rng.percent(50) {
                    Value::List(items.iter().map(|t| Value::Text(t.clone())).collect())
                } else {
                    Value::Text(items.join(" ;"))
                };
                self.put("tags", Some(given));
                Some(items)
            }
        }
    }
}

const EMAILS: [&str; 8] = [
    "ann@acme.io",
    "bob.smith@globex.com",
    "Carla@Initech.CO.UK",
    "dev+leads@umbrella.dev",
    "student@state.EDU",
    "prof.x@mit.edu",
    "ops@stark-industries.com",
    "x@y.ai",
];
const BAD_EMAILS: [&str; 5] = ["not an email", "ann@", "@acme.io", "a b@c.com", "ann(at)acme.io"];
const URLS: [&str; 7] = [
    "https://acme.io",
    "http://www.globex.com/about",
    "https://initech.co.uk",
    "https://umbrella.dev",
    "https://shop.example.ai",
    "https://example.com/.io",
    "https://stark.IO",
];
const BAD_URLS: [&str; 5] = ["acme.io", "ftp://files.example.com", "https://", "www.globex.com", "mailto:ann@acme.io"];

fn sample(rng: &mut Rng, i: usize) -> Sample {
    let mut b = Builder { rng, record: Record::new() };
    b.record.insert("id", format!("L-{:06}", i + 1));
    // About a third of the leads are warm: fuller records, bigger budgets, nearer dates, so
    // that the sales stages are reached as often as in a real pipeline.
    let warm = b.rng.percent(35);
    let m = |pct: u64| if warm { pct / 3 } else { pct };

    let email = b.checked("email", &EMAILS, &BAD_EMAILS, m(12));
    let website = b.checked("website", &URLS, &BAD_URLS, m(30));
    let company =
        b.string("company", &["Acme GmbH", "Globex", " Initech Ltd ", "Umbrella", "Stark Industries", "wayne"], m(20));
    let title = b.string(
        "title",
        &["Chief Technology Officer", "CHIEF of staff", "VP Engineering", "Head of Marketing", "Analyst", "Engineer"],
        m(30),
    );
    let phone = b.string("phone", &["+1 555 0100", "+49 30 1234567", "020 7946 0000"], m(35));
    let need = b.string("need", &["churn", "reporting", "compliance", "speed"], m(45));
    use Country::*;
    let country = b.enumeration(
        "country",
        &[("us", Us), ("ca", Ca), ("gb", Gb), ("de", De), ("fr", Fr), ("jp", Jp), ("br", Br), ("other", Other)],
        &["US", "Germany", "uk"],
        m(15),
    );
    let industry = b.enumeration(
        "industry",
        &[
            ("software", Industry::Software),
            ("finance", Industry::Finance),
            ("health", Industry::Health),
            ("retail", Industry::Retail),
            ("manufacturing", Industry::Manufacturing),
            ("education", Industry::Education),
            ("government", Industry::Government),
            ("other", Industry::Other),
        ],
        &["Software", "tech", "gov"],
        m(20),
    );
    let roles: &[(&str, Role)] = if warm {
        &[
            ("influencer", Role::Influencer),
            ("decision_maker", Role::DecisionMaker),
            ("economic_buyer", Role::EconomicBuyer),
        ]
    } else {
        &[
            ("user", Role::User),
            ("influencer", Role::Influencer),
            ("decision_maker", Role::DecisionMaker),
            ("economic_buyer", Role::EconomicBuyer),
        ]
    };
    let role = b.enumeration("role", roles, &["Decision Maker", "ceo", "buyer"], m(25));
    let source = b.enumeration(
        "source",
        &[
            ("web", Source::Web),
            ("event", Source::Event),
            ("referral", Source::Referral),
            ("partner", Source::Partner),
            ("outbound", Source::Outbound),
            ("ads", Source::Ads),
        ],
        &["Web", "linkedin"],
        m(20),
    );
    let employees_value = *b.rng.pick(&[3.0, 12.0, 49.0, 50.0, 120.0, 800.0, 5000.0]);
    let employees = b.number("employees", employees_value, m(25));
    let budgets: &[f64] =
        if warm { &[9999.99, 10000.0, 25000.0, 120000.0, 1.5e6] } else { &[0.0, 2500.0, 9999.99, 10000.0, 25000.0] };
    let budget_value = *b.rng.pick(budgets);
    let budget = b.number("budget", budget_value, m(30));
    let views = b.rng.between(0, 30) as f64;
    let page_views = b.number("page_views", views, m(20));
    let purchase_by = b.date("purchase_by", if warm { (-10, 60) } else { (-30, 200) }, m(35));
    let last_seen = b.date("last_seen", if warm { (-20, 0) } else { (-300, 0) }, m(15));
    let customer_since = b.date("customer_since", (-700, 30), 85);
    let engaged = b.boolean("engaged", 40, m(25));
    let demo_requested = b.boolean("demo_requested", if warm { 60 } else { 20 }, m(30));
    let unsubscribed = b.boolean("unsubscribed", 10, m(40));
    let tags = b.tags();
    let notes = b.string("notes", &["met at the fair", "call back in May", "asked for pricing"], 60);

    let lead = Lead {
        email,
        website,
        company,
        title,
        phone,
        need,
        country,
        industry,
        role,
        source,
        employees,
        budget,
        page_views,
        purchase_by,
        last_seen,
        customer_since,
        engaged,
        demo_requested,
        unsubscribed,
        tags,
        notes,
    };
    Sample { record: b.record, lead }
}

/// A record as one line of JSON (the input of `leadspec classify`).
pub fn to_json(record: &Record) -> String {
    let mut map = serde_json::Map::new();
    for (key, value) in record.iter() {
        map.insert(key.to_string(), json_value(value));
    }
    serde_json::Value::Object(map).to_string()
}

fn json_value(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Text(text) => serde_json::Value::String(text.clone()),
        Value::Number(n) => serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Date(d) => serde_json::Value::String(d.to_string()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(json_value).collect()),
        Value::Nested => serde_json::json!({ "nested": true }),
    }
}
