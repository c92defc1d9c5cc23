//! Reading real exports, through the library: every key of `[input]` and every reading key
//! of a field, each with a valid use, the load error of each misuse at its exact line and
//! column, the coercion table (text in, value or error out), and the laws of numbers and
//! dates written as exports write them.

#[path = "support/codes.rs"]
mod codes;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use leadspec::{Definition, Diagnostic, Record, Severity, Slot};
use proptest::prelude::*;

/// A definition with `fields` (TOML lines of `[fields]`) and `input` (lines of `[input]`,
/// or nothing), one team and one stage that reads nothing.
fn with(input: &str, fields: &str) -> String {
    let input = if input.is_empty() { String::new() } else { format!("[input]\n{input}\n") };
    format!(
        "{input}[definition]\nname = \"Export\"\n\n[teams]\nm = \"M\"\n\n[fields]\n{fields}\n\n[[stages]]\nid = \"any\"\nowner = \"m\"\nwhen = \"true\"\n"
    )
}

fn errors(src: &str) -> Vec<Diagnostic> {
    match Definition::from_toml(src) {
        Ok(_) => Vec::new(),
        Err(e) => {
            codes::assert_codes(&e.diagnostics);
            e.diagnostics.into_iter().filter(|d| d.severity == Severity::Error).collect()
        }
    }
}

/// The 1-based line and character column of the first occurrence of `needle`.
fn position(src: &str, needle: &str) -> (usize, usize) {
    let offset = src.find(needle).unwrap_or_else(|| panic!("`{needle}` not in source"));
    let before = &src[..offset];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap().chars().count() + 1)
}

/// Asserts exactly one error, at the first `needle`, whose message contains `message`.
#[track_caller]
fn one_error_at(src: &str, needle: &str, message: &str) -> Diagnostic {
    let errors = errors(src);
    assert_eq!(errors.len(), 1, "expected one error in\n{src}\ngot {errors:#?}");
    let e = errors.into_iter().next().unwrap();
    assert_eq!((e.line, e.column), position(src, needle), "{e:?}");
    assert!(e.message.contains(message), "message {:?} lacks {message:?}", e.message);
    e
}

fn load(src: &str) -> Definition {
    Definition::from_toml(src).unwrap_or_else(|e| panic!("{src}\n{e}"))
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap()
}

/// The slot of the only field of `d` for the text `cell` (read as a CSV cell).
fn read(d: &Definition, cell: &str) -> Slot<'static> {
    let column = d.fields()[0].column().to_string();
    let prepared = Box::leak(Box::new(d.prepare(&Record::new().with(column, cell))));
    value(d, prepared, 0)
}

/// The value of `prepared`, a record of `d`, for the field at `position`.
fn value<'p>(d: &Definition, prepared: &'p leadspec::Prepared, position: usize) -> Slot<'p> {
    let index = d.field_position(&d.fields()[position].id).unwrap();
    prepared.slot(index).expect("a record of this definition")
}

fn date(s: &str) -> Slot<'static> {
    Slot::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

// ---- field ids and columns -------------------------------------------------------------

#[test]
fn a_field_id_that_is_not_an_identifier_proposes_column() {
    let src = with("", "email = \"email\"\n\"Lead Source\" = \"string\"");
    let e = one_error_at(&src, "\"Lead Source\"", "`Lead Source` is not a field id");
    assert_eq!(e.hint.as_deref(), Some("name the field `lead_source` and add `column = \"Lead Source\"`"));
    for (id, proposal) in
        [("2nd Email", "_2nd_email"), ("país", "pa_s"), ("score", "score_field"), ("Amount (USD)", "amount_usd")]
    {
        let src = with("", &format!("{id:?} = \"string\""));
        let e = one_error_at(&src, &format!("{id:?}"), "field id");
        let hint = e.hint.unwrap_or_default();
        assert!(hint.starts_with(&format!("name the field `{proposal}` and add `column = ")), "{id}: {hint}");
    }
}

#[test]
fn column_names_the_cell_a_field_reads() {
    let d = load(&with("", "lead_source = { type = \"string\", column = \"Lead Source\" }"));
    assert_eq!(d.fields()[0].column(), "Lead Source");
    assert_eq!(d.column_position("Lead Source").map(|f| f.position()), Some(0));
    assert!(matches!(read(&d, "Google"), Slot::Text { text: "Google", .. }));
    // The field id is no longer a key records use.
    let prepared = d.prepare(&Record::new().with("lead_source", "Google"));
    assert_eq!(value(&d, &prepared, 0), Slot::Missing);
}

#[test]
fn two_fields_may_not_read_one_column() {
    let src =
        with("", "a = { type = \"string\", column = \"Source\" }\nb = { type = \"string\", column = \"Source\" }");
    let errors = errors(&src);
    assert_eq!(errors.len(), 1, "{errors:?}");
    // At the later field's column value.
    let later = src.find("b = {").unwrap() + src[src.find("b = {").unwrap()..].find("\"Source\"").unwrap();
    assert_eq!(errors[0].span.start, later, "{errors:?}");
    assert_eq!(errors[0].message, "the fields `a` and `b` both read the column \"Source\"");
    let src = with("", "a = { type = \"string\", column = \"b\" }\nb = \"string\"");
    one_error_at(&src, "b = \"string\"", "the fields `a` and `b` both read the column \"b\"");
    let src = with("", "a = { type = \"string\", column = \"\" }");
    one_error_at(&src, "\"\"", "a column name cannot be empty");
}

// ---- [input] ----------------------------------------------------------------------------

#[test]
fn input_keys_and_their_errors() {
    let d = load(&with(
        "id = \"Prospect ID\"\nmissing = [\"Select\", \"N/A\"]\ntimezone = \"America/New_York\"",
        "x = \"number\"",
    ));
    assert_eq!(d.input().id_column(), "Prospect ID");
    assert_eq!(d.input().missing(), ["Select", "N/A"]);
    assert_eq!(d.input().timezone(), "America/New_York");
    let d = load(&with("timezone = \"+05:30\"", "x = \"date\""));
    assert_eq!(d.input().timezone(), "+05:30");
    assert_eq!(read(&d, "2026-11-22 03:00"), date("2026-11-21"));

    let src = with("timezone = \"America/New_Yrok\"", "x = \"date\"");
    let e = one_error_at(&src, "\"America/New_Yrok\"", "unknown time zone `America/New_Yrok`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `America/New_York`?"));
    one_error_at(&with("timezone = \"+25:00\"", "x = \"date\""), "\"+25:00\"", "unknown time zone");
    one_error_at(&with("id = \"\"", "x = \"date\""), "\"\"", "the id column cannot be empty");
    one_error_at(&with("id = 3", "x = \"date\""), "3", "expected a string, found an integer");
    one_error_at(&with("missing = \"N/A\"", "x = \"date\""), "\"N/A\"", "expected an array of strings");
    let e = one_error_at(&with("timezon = \"UTC\"", "x = \"date\""), "timezon", "unknown key `timezon` in [input]");
    assert_eq!(e.hint.as_deref(), Some("did you mean `timezone`?"));
}

#[test]
fn the_id_column_is_echoed_as_given() {
    let d = load(&with("id = \"Prospect ID\"\nmissing = [\"N/A\"]", "x = \"string\""));
    let r = d.classify(&Record::new().with("Prospect ID", " N/A ").with("id", "other"), now());
    assert_eq!(r.id().map(ToString::to_string).as_deref(), Some(" N/A "), "placeholders never apply to the id");
    let r = d.classify(&Record::new().with("Prospect ID", 7), now());
    assert_eq!(r.id().map(ToString::to_string).as_deref(), Some("7"));
}

#[test]
fn placeholders_are_missing_for_every_type() {
    let fields = [
        ("string", Slot::Missing),
        ("number", Slot::Missing),
        ("boolean", Slot::Missing),
        ("date", Slot::Missing),
        ("email", Slot::Missing),
        ("url", Slot::Missing),
        ("list", Slot::Missing),
    ];
    for (ty, expected) in fields {
        let d = load(&with(
            "missing = [\"Select\", \"N/A\", \"-\"]",
            &format!("x = {{ type = \"{ty}\", missing = [\"unknown\"] }}"),
        ));
        for cell in ["Select", " select ", "n/a", "-", "UNKNOWN"] {
            assert_eq!(read(&d, cell), expected, "{ty} {cell:?}");
        }
        assert_ne!(read(&d, "Selected"), Slot::Missing, "{ty}: only the whole text is a placeholder");
    }
    let d = load(&with("missing = [\"N/A\"]", "x = { type = \"enum\", values = [\"N/A\", \"B\"] }"));
    assert_eq!(read(&d, "N/A"), Slot::Missing, "a placeholder wins over an enum value");
    // Never JSON numbers, booleans, arrays or list items.
    let d = load(&with("missing = [\"0\", \"true\", \"a\"]", "n = \"number\"\nb = \"boolean\"\nl = \"list\""));
    let record: Record = serde_json::from_str(r#"{"n": 0, "b": true, "l": ["a", "c"]}"#).unwrap();
    let prepared = d.prepare(&record);
    assert_eq!(value(&d, &prepared, 0), Slot::Number(0.0));
    assert_eq!(value(&d, &prepared, 1), Slot::Bool(true));
    assert!(matches!(value(&d, &prepared, 2), Slot::List(items) if items == ["a", "c"][..]));
    let cells = d.prepare(&Record::new().with("l", "a; c"));
    assert!(matches!(value(&d, &cells, 2), Slot::List(items) if items == ["a", "c"][..]), "not list items either");
}

// ---- numbers -----------------------------------------------------------------------------

#[test]
fn number_keys_read_thousands_decimals_and_currency() {
    let d = load(&with("", "x = { type = \"number\", thousands = \",\", currency = true }"));
    let table = [
        ("$25,000", Slot::Number(25_000.0)),
        ("1,200", Slot::Number(1_200.0)),
        ("USD 3,000.50", Slot::Number(3_000.5)),
        ("3,000 USD", Slot::Number(3_000.0)),
        ("-$5", Slot::Number(-5.0)),
        ("£7", Slot::Number(7.0)),
        ("¥7", Slot::Number(7.0)),
        ("25000", Slot::Number(25_000.0)),
        ("$ 25", Slot::Number(25.0)),
        ("$  25", Slot::Invalid),
        ("25 dollars", Slot::Invalid),
        ("Usd 25", Slot::Invalid),
        ("1,,000", Slot::Invalid),
    ];
    for (cell, expected) in table {
        assert_eq!(read(&d, cell), expected, "{cell:?}");
    }
    let d = load(&with("", "x = { type = \"number\", thousands = \".\", decimal = \",\" }"));
    assert_eq!(read(&d, "12.500,75"), Slot::Number(12_500.75));
    assert_eq!(read(&d, "12,5"), Slot::Number(12.5));
    assert_eq!(read(&d, "€5"), Slot::Invalid, "no currency without `currency = true`");
    let d = load(&with("", "x = { type = \"number\", decimal = \",\" }"));
    assert_eq!(read(&d, "2.5"), Slot::Invalid, "a `.` left is invalid when `.` is not the decimal mark");
    let d = load(&with("", "x = { type = \"number\", thousands = \" \" }"));
    assert_eq!(read(&d, "1 000 000"), Slot::Number(1_000_000.0));
    // Without the keys, exactly the plain decimals.
    let d = load(&with("", "x = \"number\""));
    assert_eq!(read(&d, "1,200"), Slot::Invalid);
    assert_eq!(read(&d, "$5"), Slot::Invalid);
}

#[test]
fn number_key_errors() {
    one_error_at(&with("", "x = { type = \"number\", thousands = \",,\" }"), "\",,\"", "`thousands` is one character");
    one_error_at(
        &with("", "x = { type = \"number\", thousands = \"1\" }"),
        "\"1\"",
        "`thousands` is one character that is not a digit",
    );
    one_error_at(&with("", "x = { type = \"number\", decimal = \"e\" }"), "\"e\"", "`decimal` is one character");
    one_error_at(&with("", "x = { type = \"number\", thousands = 1 }"), "1 }", "expected a string, found an integer");
    let e = one_error_at(
        &with("", "x = { type = \"number\", thousands = \".\" }"),
        "\".\"",
        "`thousands` and `decimal` are both `.`",
    );
    assert!(e.hint.unwrap_or_default().contains("decimal = \",\""));
    one_error_at(
        &with("", "x = { type = \"number\", thousands = \",\", decimal = \",\" }"),
        "\",\" }",
        "`thousands` and `decimal` are both `,`",
    );
    one_error_at(&with("", "x = { type = \"number\", currency = \"yes\" }"), "\"yes\"", "expected a boolean");
}

// ---- dates -------------------------------------------------------------------------------

#[test]
fn dates_read_offsetless_times_in_the_input_zone_and_declared_formats() {
    let d = load(&with(
        "timezone = \"America/New_York\"",
        "x = { type = \"date\", formats = [\"%d %b, %Y %H:%M:%S\", \"%m/%d/%Y\", \"%d.%m.%Y %H:%M %z\"] }",
    ));
    let table = [
        ("2026-11-22", date("2026-11-22")),
        ("2018-02-26 19:58:54", date("2018-02-27")),
        ("2018-02-26T19:58", date("2018-02-27")),
        ("2018-02-26 18:59:59.999", date("2018-02-26")),
        ("2018-02-26T19:58:54+00:00", date("2018-02-26")),
        ("15 Apr, 2021 00:03:00", date("2021-04-15")),
        ("14 Apr, 2021 22:30:00", date("2021-04-15")),
        ("04/15/2021", date("2021-04-15")),
        ("15.04.2021 23:30 -0300", date("2021-04-16")),
        ("15/04/2021", Slot::Invalid),
        ("2021-04-15 24:00", Slot::Invalid),
        ("Apr 15, 2021", Slot::Invalid),
    ];
    for (cell, expected) in table {
        assert_eq!(read(&d, cell), expected, "{cell:?}");
    }
}

#[test]
fn date_format_errors_are_at_the_pattern() {
    let src = with("", "x = { type = \"date\", formats = [\"%d.%m.%Y\", \"%d %Q %Y\"] }");
    let e = one_error_at(&src, "\"%d %Q %Y\"", "`%d %Q %Y` is not a chrono strftime pattern");
    assert!(e.hint.unwrap_or_default().contains("strftime"));
    one_error_at(
        &with("", "x = { type = \"date\", formats = [\"%d.%m\"] }"),
        "\"%d.%m\"",
        "does not read a whole date",
    );
    one_error_at(
        &with("", "x = { type = \"date\", formats = [\"%H:%M\"] }"),
        "\"%H:%M\"",
        "does not read a whole date",
    );
    one_error_at(
        &with("", "x = { type = \"date\", formats = \"%d.%m.%Y\" }"),
        "\"%d.%m.%Y\"",
        "expected an array of strings",
    );
    let many: Vec<String> = (0..65).map(|_| "\"%Y-%m-%d\"".to_string()).collect();
    let src = with("", &format!("x = {{ type = \"date\", formats = [{}] }}", many.join(", ")));
    one_error_at(&src, "[\"%Y", "65 date formats, over the limit of 64");
}

// ---- booleans, lists, URLs ----------------------------------------------------------------

#[test]
fn boolean_words() {
    let d = load(&with("", "x = { type = \"boolean\", true = [\"Y\", \"Sí\"], false = [\"N\"] }"));
    for (cell, expected) in [("Y", true), ("y", true), (" SÍ ", true), ("N", false), ("no", false), ("TRUE", true)] {
        assert_eq!(read(&d, cell), Slot::Bool(expected), "{cell:?}");
    }
    assert_eq!(read(&d, "maybe"), Slot::Invalid);
    let src = with("", "x = { type = \"boolean\", true = [\"Y\"], false = [\"N\", \"y\"] }");
    one_error_at(&src, "\"y\"", "`y` is listed in both `true` and `false`");
    let src = with("", "x = { type = \"boolean\", true = [\"no\"] }");
    one_error_at(&src, "\"no\"", "`no` is a word for false");
    let src = with("", "x = { type = \"boolean\", false = [\"YES\"] }");
    one_error_at(&src, "\"YES\"", "`YES` is a word for true");
    let src = with("", "x = { type = \"boolean\", true = [\" \"] }");
    one_error_at(&src, "\" \"", "a blank word never matches");
}

#[test]
fn list_separator() {
    let d = load(&with("", "x = { type = \"list\", separator = \",\" }"));
    assert!(matches!(read(&d, "cat, wolf ,"), Slot::List(items) if items == ["cat", "wolf"][..]));
    assert!(matches!(read(&d, "a;b"), Slot::List(items) if items == ["a;b"][..]));
    one_error_at(&with("", "x = { type = \"list\", separator = \", \" }"), "\", \"", "`separator` is one character");
}

#[test]
fn url_default_scheme() {
    let d = load(&with("", "x = { type = \"url\", default_scheme = \"https\" }"));
    assert!(matches!(read(&d, "acme.example/pricing"), Slot::Text { text: "https://acme.example/pricing", .. }));
    assert!(matches!(read(&d, "http://acme.example"), Slot::Text { text: "http://acme.example", .. }));
    assert_eq!(read(&d, "ftp://acme.example"), Slot::Invalid, "a value with another scheme keeps it");
    let plain = load(&with("", "x = \"url\""));
    assert_eq!(read(&plain, "acme.example"), Slot::Invalid);
    let e =
        one_error_at(&with("", "x = { type = \"url\", default_scheme = \"htps\" }"), "\"htps\"", "`default_scheme` is");
    assert_eq!(e.hint.as_deref(), Some("did you mean `https`?"));
}

#[test]
fn keys_of_another_type_are_errors_at_the_key() {
    let cases = [
        ("date", "thousands = \",\"", "thousands", "`thousands` is a key of number fields; `x` is a date"),
        ("string", "decimal = \",\"", "decimal", "`decimal` is a key of number fields"),
        ("number", "currency = true", "currency = true", "`currency`"),
        ("number", "formats = [\"%Y\"]", "formats", "`formats` is a key of date fields"),
        ("string", "true = [\"Y\"]", "true = ", "`true` is a key of boolean fields"),
        ("list", "false = [\"N\"]", "false = ", "`false` is a key of boolean fields"),
        ("string", "separator = \",\"", "separator", "`separator` is a key of list fields"),
        ("email", "default_scheme = \"https\"", "default_scheme", "`default_scheme` is a key of url fields"),
    ];
    for (ty, key, needle, message) in cases {
        let src = with("", &format!("x = {{ type = \"{ty}\", {key} }}"));
        if ty == "number" && key == "currency = true" {
            assert!(errors(&src).is_empty(), "currency on a number is fine");
            continue;
        }
        one_error_at(&src, needle, message);
    }
    let e = one_error_at(&with("", "x = { type = \"number\", colum = \"X\" }"), "colum", "unknown key `colum`");
    assert_eq!(e.hint.as_deref(), Some("did you mean `column`?"));
}

#[test]
fn examples_are_keyed_by_columns() {
    let base = with("id = \"Lead ID\"", "source = { type = \"string\", column = \"Lead Source\" }");
    let ok = format!("{base}\n[[examples]]\nname = \"by column\"\nrecord = {{ \"Lead ID\" = \"L1\", \"Lead Source\" = \"Web\" }}\nstage = \"any\"\n");
    assert!(errors(&ok).is_empty(), "{:?}", errors(&ok));
    let bad = format!("{base}\n[[examples]]\nname = \"by id\"\nrecord = {{ source = \"Web\" }}\nstage = \"any\"\n");
    let e = one_error_at(&bad, "source = \"Web\"", "the field `source` is read from the column \"Lead Source\"");
    assert!(e.hint.unwrap_or_default().contains("\"Lead Source\""));
}

// ---- laws -----------------------------------------------------------------------------------

/// Writes `n` (two decimals) with a thousands separator and decimal mark, as exports do.
fn write_number(n: f64, thousands: char, decimal: char) -> String {
    let text = format!("{:.2}", n.abs());
    let (whole, fraction) = text.split_once('.').unwrap();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    format!("{}{grouped}{decimal}{fraction}", if n < 0.0 { "-" } else { "" })
}

proptest! {
    #[test]
    fn numbers_written_with_thousands_decimal_and_currency_read_back(
        cents in -10_000_000_000i64..10_000_000_000,
        marks in prop::sample::select(vec![(',', '.'), ('.', ','), (' ', ','), ('\'', '.'), ('_', '.')]),
        currency in prop::sample::select(vec!["", "$", "€", "£", "¥", "USD", "EUR"]),
        after in any::<bool>(),
        space in any::<bool>(),
    ) {
        let (thousands, decimal) = marks;
        let src = with("", &format!(
            "x = {{ type = \"number\", thousands = {:?}, decimal = {:?}, currency = true }}",
            thousands.to_string(), decimal.to_string()
        ));
        let d = load(&src);
        let n = cents as f64 / 100.0;
        let number = write_number(n, thousands, decimal);
        let gap = if space { " " } else { "" };
        let cell = match (currency, after) {
            ("", _) => number.clone(),
            (c, true) => format!("{number}{gap}{c}"),
            (c, false) => match number.strip_prefix('-') {
                Some(positive) => format!("-{c}{gap}{positive}"),
                None => format!("{c}{gap}{number}"),
            },
        };
        match read(&d, &cell) {
            Slot::Number(read) => prop_assert!((read - n).abs() < 1e-6, "{cell:?} read as {read}, written from {n}"),
            other => prop_assert!(false, "{cell:?} read as {other:?}"),
        }
    }

    #[test]
    fn dates_written_with_a_pattern_in_any_zone_read_back_to_their_utc_date(
        seconds in 0i64..4_102_444_800, // 1970 to 2100
        zone in prop::sample::select(chrono_tz::TZ_VARIANTS.to_vec()),
        pattern in prop::sample::select(vec![
            "%d %b, %Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%dT%H:%M", "%B %d, %Y %I:%M %p",
        ]),
    ) {
        let instant = Utc.timestamp_opt(seconds, 0).unwrap();
        let local = instant.with_timezone(&zone);
        let cell = local.format(pattern).to_string();
        let src = with(&format!("timezone = {:?}", zone.name()), &format!("x = {{ type = \"date\", formats = [{pattern:?}] }}"));
        let d = load(&src);
        // What the cell says (without seconds when the pattern writes none), and its UTC
        // date; a local time that occurs twice is read with the earlier offset.
        let written = local.naive_local().with_second_zero(pattern);
        let expected = match zone.from_local_datetime(&written) {
            chrono::LocalResult::Single(t) => t.with_timezone(&Utc).date_naive(),
            chrono::LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc).date_naive(),
            chrono::LocalResult::None => instant.date_naive(),
        };
        prop_assert_eq!(read(&d, &cell), Slot::Date(expected), "{} in {} written {:?}", instant, zone.name(), cell);
    }
}

/// The local time as the pattern keeps it: without seconds when it writes none.
trait KeepSeconds {
    fn with_second_zero(self, pattern: &str) -> Self;
}

impl KeepSeconds for chrono::NaiveDateTime {
    fn with_second_zero(self, pattern: &str) -> Self {
        use chrono::Timelike;
        if pattern.contains("%S") {
            self
        } else {
            self.with_second(0).unwrap_or(self)
        }
    }
}
