//! Messy text cells for every field type and reading key (sections 7 and 14 of the format),
//! drawn deterministically from a seed: the cells real exports hold, valid, invalid and
//! missing, so that a query that reads any of them differently from the crate shows it.
#![allow(dead_code)] // each test file uses a part

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use leadspec::{Definition, Field, FieldType, Input};

use super::engines::Table;

/// A small xorshift64* generator: deterministic for a seed, the same on every machine.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }
    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// One of the words `items`.
    pub fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

/// Words the texts are made of; the random rules test for the same words, so text rules
/// come out both ways.
pub const WORDS: &[&str] = &["acme", "corp", "demo", "pricing", "webinar", "x", "gmbh", "io", "com", "example"];

/// Texts with the quirks of real cells: case, quotes, commas, new lines, Unicode whose case
/// folding differs between engines (the Kelvin sign, dotted capital I, sharp s).
const TEXTS: &[&str] = &[
    "acme",
    "Acme Corp",
    "ACME GmbH",
    "acme.io",
    "x",
    "X",
    "ÉTÉ",
    "été",
    "\u{212A}elvin",
    "kelvin",
    "İstanbul",
    "istanbul",
    "STRASSE",
    "straße",
    "say \"hi\"",
    "a,b",
    "it's",
    "line\nbreak",
    "cr\r\nlf",
    "tab\there",
    "100%",
    "a_b",
    "pricing",
    "Demo day",
    "webinar",
    "corp",
    "example.com",
    "%_",
    "back\\slash",
    "日本",
    "😀 emoji",
];

/// Surroundings of a value: the white space exports leave, including no-break spaces.
const PADS: &[&str] = &[" ", "  ", "\t", "\u{a0}", " \t", "\n", "\u{2003}"];

/// Adds white space around `core` now and then.
fn pad(rng: &mut Rng, core: String) -> String {
    if !rng.chance(15) {
        return core;
    }
    let before = if rng.chance(60) { *rng.pick(PADS) } else { "" };
    let after = if rng.chance(60) { *rng.pick(PADS) } else { "" };
    format!("{before}{core}{after}")
}

/// `word` in another letter case now and then.
fn recase(rng: &mut Rng, word: &str) -> String {
    match rng.below(4) {
        0 => word.to_uppercase(),
        1 => word.to_lowercase(),
        _ => word.to_string(),
    }
}

/// A cell for `field` of a definition whose `[input]` is `input`, classified at `now`.
/// `None` is a `NULL` cell.
pub fn cell(rng: &mut Rng, field: &Field, input: &Input, now: DateTime<Utc>) -> Option<String> {
    // Missing in every form: NULL, empty, blank, a placeholder in any case.
    if rng.chance(12) {
        let placeholders: Vec<&String> = input.missing().iter().chain(field.format().missing()).collect();
        return match rng.below(5) {
            0 => None,
            1 => Some(String::new()),
            2 => Some(rng.pick(PADS).to_string()),
            _ if !placeholders.is_empty() => {
                let word = rng.pick(&placeholders).to_string();
                let word = recase(rng, &word);
                Some(pad(rng, word))
            }
            _ => Some(" ".to_string()),
        };
    }
    let core = match field.ty {
        FieldType::Number => number(rng, field),
        FieldType::Boolean => boolean(rng, field),
        FieldType::Date => date(rng, field, input, now),
        FieldType::Email => email(rng),
        FieldType::Url => url(rng),
        FieldType::Enum => enum_value(rng, field),
        FieldType::List => list(rng, field),
        FieldType::String => text(rng),
    };
    Some(pad(rng, core))
}

fn text(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => rng.pick(WORDS).to_string(),
        1 => {
            let word = *rng.pick(WORDS);
            format!("{} {}", recase(rng, word), rng.pick(TEXTS))
        }
        _ => rng.pick(TEXTS).to_string(),
    }
}

/// Numbers near the thresholds rules use, in the field's own notation and in others.
fn number(rng: &mut Rng, field: &Field) -> String {
    const ODD: &[&str] = &[
        "25000",
        "-2.5",
        "1e3",
        ".5",
        "5.",
        "+7",
        "1e400",
        "-1e400",
        "1_000",
        "abc",
        "1,000",
        "$40,000",
        "40.000,50 €",
        "USD 12",
        "12 USD",
        "-$5",
        "$-5",
        "€ 1.234,5",
        "£7",
        "¥100",
        "1 000",
        "0x10",
        "inf",
        "NaN",
        "1E-2",
        "-0",
        "00012",
        "1.2.3",
        "1,2,3",
        "--5",
        "e3",
        "1e",
        "$ 12",
        "$  12",
        "usd 12",
        "EUR12",
        "12EUR",
        "9999.999",
        "10000.0000001",
        "1e4",
        "9.9999e3",
        "١٢",
    ];
    if rng.chance(35) {
        return rng.pick(ODD).to_string();
    }
    let base = *rng.pick(&[0i64, 1, 10, 50, 100, 1000, 10_000, 25_000, 1_000_000]);
    let n = match rng.below(4) {
        0 => base as f64,
        1 => (base + rng.range(-2, 2)) as f64,
        2 => base as f64 + rng.range(-99, 99) as f64 / 100.0,
        _ => -(base as f64),
    };
    let format = field.format();
    let decimal = format.decimal();
    let negative = n < 0.0;
    let abs = n.abs();
    let whole = abs.trunc() as i64;
    let cents = ((abs - abs.trunc()) * 100.0).round() as i64;
    let mut digits = whole.to_string();
    if let Some(sep) = format.thousands().filter(|_| rng.chance(60)) {
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(sep);
            }
            grouped.push(c);
        }
        digits = grouped;
    }
    let mut out = if cents != 0 { format!("{digits}{decimal}{cents:02}") } else { digits };
    if negative {
        out.insert(0, '-');
    }
    if format.currency() && rng.chance(60) {
        let sign = *rng.pick(&["$", "€", "£", "¥", "USD", "EUR", "GBP"]);
        let space = if rng.chance(30) { " " } else { "" };
        out = if rng.chance(50) {
            if negative && rng.chance(50) {
                format!("-{sign}{space}{}", &out[1..])
            } else {
                format!("{sign}{space}{out}")
            }
        } else {
            format!("{out}{space}{sign}")
        };
    }
    out
}

fn boolean(rng: &mut Rng, field: &Field) -> String {
    const WORDS: &[&str] = &["yes", "NO", "1", "0", "Y", "n", "true", "False", "TRUE", "maybe", "on", "t", "oui"];
    let format = field.format();
    let custom: Vec<&String> = format.true_words().iter().chain(format.false_words()).collect();
    if !custom.is_empty() && rng.chance(40) {
        let word = rng.pick(&custom).to_string();
        return recase(rng, &word);
    }
    let word = rng.pick(WORDS).to_string();
    recase(rng, &word)
}

/// A date near `now`: mostly within a few months, so date rules come out both ways.
fn near(rng: &mut Rng, now: DateTime<Utc>) -> NaiveDate {
    let today = now.date_naive();
    let days = match rng.below(5) {
        0 => rng.range(-3, 3),
        1 => rng.range(-100, 100),
        2 => *rng.pick(&[-366, -365, -92, -91, -90, -31, -30, -29, -14, -7, -1, 0, 1, 7, 14, 29, 30, 31, 90, 91, 365]),
        3 => rng.range(-800, 800),
        _ => rng.range(-40, 40),
    };
    today + Duration::days(days)
}

fn date(rng: &mut Rng, field: &Field, input: &Input, now: DateTime<Utc>) -> String {
    let _ = input;
    let day = near(rng, now);
    let time = NaiveTime::from_hms_opt(
        *rng.pick(&[0u32, 0, 1, 2, 3, 12, 22, 23, 23]),
        *rng.pick(&[0u32, 15, 30, 59]),
        *rng.pick(&[0u32, 0, 30, 59]),
    )
    .unwrap();
    let offset =
        FixedOffset::east_opt(*rng.pick(&[0, 3600, -5 * 3600, 5 * 3600 + 1800, -8 * 3600, 14 * 3600, -12 * 3600]))
            .unwrap();
    let formats = field.format().formats();
    if !formats.is_empty() && rng.chance(40) {
        let pattern = rng.pick(formats).pattern().to_string();
        let at = offset.from_local_datetime(&day.and_time(time)).unwrap();
        return at.format(&pattern).to_string();
    }
    match rng.below(12) {
        0..=2 => day.format("%Y-%m-%d").to_string(),
        3 => format!("{}T{}Z", day.format("%Y-%m-%d"), time.format("%H:%M:%S")),
        4 => offset.from_local_datetime(&day.and_time(time)).unwrap().to_rfc3339(),
        5 => format!("{} {}", day.format("%Y-%m-%d"), time.format("%H:%M")),
        6 => format!("{}T{}.250", day.format("%Y-%m-%d"), time.format("%H:%M:%S")),
        7 => format!("{} {}", day.format("%Y-%m-%d"), time.format("%H:%M:%S")),
        8 => rng
            .pick(&[
                "2026-02-30",
                "2026-13-01",
                "2026-1-5",
                "26/02/2018",
                "yesterday",
                "2026-03-08 02:30",
                "2026-11-01 01:30",
                "2026-03-29 02:30",
                "2026-10-25 02:30",
                "2024-02-29",
                "2025-02-29",
                "2026-11-22T24:00:00Z",
                "2026-11-21T23:59:60Z",
                "2026-11-22t10:00:00z",
                "2026-11-22T10:00:00+0100",
                "20261122",
                "2026-11-22T10:00",
                "2026-11-22 10",
                "0000-01-01",
                "+2026-11-22",
            ])
            .to_string(),
        9 => day.format("%m/%d/%Y").to_string(),
        10 => day.format("%d %b, %Y 16:05:00").to_string(),
        _ => format!("{}T{}-00:30", day.format("%Y-%m-%d"), time.format("%H:%M:%S")),
    }
}

fn email(rng: &mut Rng) -> String {
    const EMAILS: &[&str] = &[
        "ann@example.com",
        "Ann@Example.COM",
        "ann@-x.com",
        "a@b",
        "josé@exämple.com",
        "ann.lee+x@sub.acme.io",
        "ann@@x.com",
        "@x.com",
        "ann@x..com",
        "a b@x.com",
        "ann@acme.example",
        "bo@webinar.io",
        "x@demo.com",
        "ann@x-.com",
        "ann@x",
        "ann",
        "\"ann\"@x.com",
        "ann@x.c_m",
        "ann@[127.0.0.1]",
        "ANN@ACME.IO",
    ];
    rng.pick(EMAILS).to_string()
}

fn url(rng: &mut Rng) -> String {
    const URLS: &[&str] = &[
        "https://acme.example/x",
        "acme.example",
        "acme.example/pricing",
        "ftp://x",
        "http://",
        "https://exa mple.com",
        "HTTP://X.COM",
        "http://localhost:8080/a?b=c",
        "https://été.example",
        "//x.com",
        "https://acme.example/path with space",
        "www.acme.example",
        "https://demo.io/webinar",
        "http://x",
        "https:acme.example",
        "mailto:ann@example.com",
        "https://acme.example:99999",
        "https://[::1]/",
        "Https://Acme.Example/Pricing",
        "https://user:pw@acme.example",
    ];
    rng.pick(URLS).to_string()
}

fn enum_value(rng: &mut Rng, field: &Field) -> String {
    let value = if field.values.is_empty() { "other".to_string() } else { rng.pick(&field.values).clone() };
    match rng.below(6) {
        0 => value.to_uppercase(),
        1 => value.to_lowercase(),
        2 => "other".to_string(),
        _ => value,
    }
}

fn list(rng: &mut Rng, field: &Field) -> String {
    let separator = field.format().separator();
    let count = rng.below(4);
    let mut items = Vec::new();
    for _ in 0..count {
        items.push(match rng.below(5) {
            0 => String::new(),
            1 => format!(" {} ", rng.pick(WORDS)),
            2 => {
                let word = *rng.pick(WORDS);
                recase(rng, word)
            }
            _ => rng.pick(WORDS).to_string(),
        });
    }
    let sep = if rng.chance(80) { separator.to_string() } else { rng.pick(&[";", ",", "|", "; "]).to_string() };
    let mut out = items.join(&sep);
    if rng.chance(10) {
        out = format!("a{sep} b{sep}{sep}c");
    }
    out
}

/// The id column of a table for `definition`: its `[input] id`.
pub fn id_column(definition: &Definition) -> String {
    definition.input().id_column().to_string()
}

/// A table of `rows` messy rows for `definition`: a column per field (now and then one left
/// out: a column the table lacks is missing in every row) and the id column, whose cells
/// are unique (`1`, `2`, ...; valid for a `string` or `number` field that reads it too).
pub fn table(rng: &mut Rng, definition: &Definition, rows: usize, now: DateTime<Utc>) -> Table {
    let id = id_column(definition);
    let mut columns = vec![id.clone()];
    let mut fields: Vec<&Field> = Vec::new();
    let left_out = if rng.chance(25) && !definition.fields().is_empty() {
        Some(rng.below(definition.fields().len()))
    } else {
        None
    };
    for (i, field) in definition.fields().iter().enumerate() {
        if field.column() == id || Some(i) == left_out {
            continue;
        }
        columns.push(field.column().to_string());
        fields.push(field);
    }
    let mut out = Table { columns, rows: Vec::with_capacity(rows) };
    for n in 0..rows {
        let mut row = vec![Some((n + 1).to_string())];
        for field in &fields {
            row.push(cell(rng, field, definition.input(), now));
        }
        out.rows.push(row);
    }
    out
}
