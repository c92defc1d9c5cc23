//! Records from every source (Rust, JSON, TOML, CSV) coerce the same way, and validation
//! reports exactly the contract's rules and messages.

use chrono::{TimeZone, Utc};
use leadspec::{Definition, Record, RecordId, Slot};

const DEFINITION: &str = r#"
[definition]
name = "Records"
[teams]
t = "T"
[fields]
email = { type = "email", required = true }
website = "url"
company = "string"
budget = "number"
engaged = "boolean"
purchase_by = "date"
role = { type = "enum", values = ["user", "Buyer"] }
tags = "list"
[[stages]]
id = "known"
owner = "t"
when = "email is present"
requires = ["company"]
"#;

fn definition() -> Definition {
    Definition::from_toml(DEFINITION).unwrap()
}

/// The slot `field` of `record` prepares to (the prepared record is leaked: these are tests).
fn slot(record: &Record, field: &str) -> Slot<'static> {
    let d = definition();
    let prepared = Box::leak(Box::new(d.prepare(record)));
    prepared.slot(d.field_position(field).unwrap()).unwrap()
}

/// The items of a list slot.
fn items(slot: Slot<'_>) -> Vec<&str> {
    match slot {
        Slot::List(items) => items.iter().collect(),
        other => panic!("not a list: {other:?}"),
    }
}

fn json(text: &str) -> Record {
    serde_json::from_str(text).unwrap()
}

#[test]
fn text_is_read_as_a_csv_cell_would_be() {
    let r = Record::new()
        .with("budget", " 25000 ")
        .with("engaged", "YES")
        .with("purchase_by", "2026-12-01T23:30:00-02:00")
        .with("tags", "webinar; ebook ;")
        .with("role", " Buyer ");
    assert_eq!(slot(&r, "budget"), Slot::Number(25_000.0));
    assert_eq!(slot(&r, "engaged"), Slot::Bool(true));
    // An RFC 3339 date-time gives its UTC date.
    assert_eq!(slot(&r, "purchase_by"), Slot::Date(chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()));
    assert_eq!(items(slot(&r, "tags")), ["webinar", "ebook"]);
    assert_eq!(slot(&r, "role"), Slot::Enum(1));
    for b in ["no", "False", "0"] {
        assert_eq!(slot(&Record::new().with("engaged", b), "engaged"), Slot::Bool(false));
    }
}

#[test]
fn numbers_from_text_are_plain_decimals() {
    for ok in ["25000", "2.5", "1e3", "-4", "+4"] {
        assert!(matches!(slot(&Record::new().with("budget", ok), "budget"), Slot::Number(_)), "{ok}");
    }
    for bad in ["10_000", "NaN", "inf", "1e999", "0x10", "12abc", "1,000"] {
        assert_eq!(slot(&Record::new().with("budget", bad), "budget"), Slot::Invalid, "{bad}");
    }
}

#[test]
fn empty_and_null_values_are_missing() {
    let r = json(r#"{"company":"   ","budget":null,"tags":[],"website":""}"#);
    for field in ["company", "budget", "tags", "website"] {
        assert_eq!(slot(&r, field), Slot::Missing, "{field}");
    }
}

#[test]
fn a_string_field_keeps_its_text_and_reads_json_scalars_as_text() {
    assert_eq!(
        slot(&json(r#"{"company":"  Acme  "}"#), "company"),
        // No rule of this definition compares `company` ignoring case: no lowercase copy.
        Slot::Text { text: "  Acme  ", folded: "  Acme  " }
    );
    assert!(matches!(slot(&json(r#"{"company":42}"#), "company"), Slot::Text { text, .. } if text == "42"));
    assert!(matches!(slot(&json(r#"{"company":true}"#), "company"), Slot::Text { text, .. } if text == "true"));
}

#[test]
fn enum_values_match_exactly() {
    assert_eq!(slot(&Record::new().with("role", "buyer"), "role"), Slot::Invalid);
    assert_eq!(slot(&Record::new().with("role", "user"), "role"), Slot::Enum(0));
}

#[test]
fn json_toml_and_rust_records_agree() {
    let from_json =
        json(r#"{"email":"a@example.com","budget":25000,"engaged":true,"purchase_by":"2026-12-01","tags":["x","y"]}"#);
    let from_toml: Record = toml::from_str(
        "email = 'a@example.com'\nbudget = 25000\nengaged = true\npurchase_by = 2026-12-01\ntags = ['x', 'y']\n",
    )
    .unwrap();
    let from_rust = Record::new()
        .with("email", "a@example.com")
        .with("budget", 25_000)
        .with("engaged", true)
        .with("purchase_by", chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        .with("tags", vec!["x", "y"]);
    let d = definition();
    assert!(d.prepare(&from_json).slots().eq(d.prepare(&from_toml).slots()));
    assert!(d.prepare(&from_json).slots().eq(d.prepare(&from_rust).slots()));
}

#[test]
fn csv_rows_under_a_header() {
    let header = ["id", "email", "tags", "budget"];
    let r = Record::from_csv_row(&header, &["L-7", "a@example.com", "webinar;ebook", "100"]).unwrap();
    assert_eq!(r.id(), Some(RecordId::Text("L-7".into())));
    assert_eq!(items(slot(&r, "tags")), ["webinar", "ebook"]);
    assert!(Record::from_csv_row(&header, &["only", "three", "cells"]).is_err());
}

#[test]
fn validation_messages_are_the_contracts() {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    let d = definition();
    let r = json(r#"{"email":"not an email","website":"example.com","budget":"lots","role":"ceo"}"#);
    let c = d.classify(&r, now);
    let errors: Vec<(&str, &str, &str)> =
        c.errors().iter().map(|e| (e.field.as_str(), e.rule.name(), e.message.as_str())).collect();
    assert_eq!(
        errors,
        [
            ("email", "email", "Email address invalid"),
            ("website", "url", "Website address invalid"),
            ("budget", "number", "Number invalid"),
            ("role", "enum", "Value not among the allowed values"),
        ]
    );
    let missing = d.classify(&Record::new(), now);
    let errors: Vec<(&str, &str)> = missing.errors().iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
    assert_eq!(errors, [("email", "Required field missing")]);
}

#[test]
fn a_stage_requires_its_fields() {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    let d = definition();
    let c = d.classify(&Record::new().with("email", "a@example.com"), now);
    assert_eq!(c.stage().unwrap().id(), "known");
    let errors: Vec<(&str, &str)> = c.errors().iter().map(|e| (e.field.as_str(), e.rule.name())).collect();
    assert_eq!(errors, [("company", "required")]);
}

#[test]
fn messages_can_be_overridden_by_rule() {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    let src = format!(
        "{DEFINITION}\n[messages]\nemail = \"Bitte eine gültige E-Mail-Adresse\"\nrequired = \"Pflichtfeld\"\n"
    );
    let d = Definition::from_toml(&src).unwrap();
    let c = d.classify(&Record::new().with("email", "nope"), now);
    assert_eq!(c.errors()[0].message, "Bitte eine gültige E-Mail-Adresse");
    let c = d.classify(&Record::new(), now);
    assert_eq!(c.errors()[0].message, "Pflichtfeld");
}

#[test]
fn emails_follow_the_html_definition_and_urls_need_http_and_a_host() {
    for ok in ["a@example.com", "a.b+c@ex-ample.co.uk", "x@localhost"] {
        assert!(leadspec::is_email(ok), "{ok}");
    }
    for bad in ["a@", "@x.com", "a b@x.com", "a@-x.com", "a@x..com"] {
        assert!(!leadspec::is_email(bad), "{bad}");
    }
    for ok in ["https://example.com", "http://example.com/path?q=1"] {
        assert!(leadspec::is_web_url(ok), "{ok}");
    }
    for bad in ["example.com", "ftp://example.com", "https://", "mailto:a@b.c"] {
        assert!(!leadspec::is_web_url(bad), "{bad}");
    }
}

#[test]
fn fields_the_definition_does_not_declare_are_ignored_but_id_is_echoed() {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap();
    let d = definition();
    let c = d.classify(&json(r#"{"id":17,"email":"a@example.com","shoe_size":44}"#), now);
    assert_eq!(c.id(), Some(&RecordId::Number(17.0)));
    assert!(c.errors().iter().all(|e| e.field != "shoe_size"));
}

mod straight_into_slots {
    //! `Definition::prepare_from` gives exactly what deserializing a `Record` and preparing
    //! it gives, for any JSON object.
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("id".to_string()),
            Just("email".to_string()),
            Just("website".to_string()),
            Just("company".to_string()),
            Just("budget".to_string()),
            Just("engaged".to_string()),
            Just("purchase_by".to_string()),
            Just("role".to_string()),
            Just("tags".to_string()),
            "[a-z]{1,6}",
        ]
    }

    fn value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i32>().prop_map(serde_json::Value::from),
            (-1e6f64..1e6).prop_map(serde_json::Value::from),
            prop_oneof![
                Just("ann@example.com"),
                Just("https://example.com"),
                Just("Buyer"),
                Just(" 25000 "),
                Just("2026-11-23"),
                Just("yes"),
                Just("a; b;"),
                Just(""),
            ]
            .prop_map(serde_json::Value::from),
            "\\PC{0,8}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 12, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::vec((key(), inner), 0..3)
                    .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn agrees_with_preparing_a_record(entries in prop::collection::vec((key(), value()), 0..12)) {
            // Written by hand so that a key may repeat, as it may in a JSON line.
            let body: Vec<String> = entries.iter().map(|(k, v)| format!("{}:{v}", json!(k))).collect();
            let line = format!("{{{}}}", body.join(","));
            let d = definition();
            let mut de = serde_json::Deserializer::from_str(&line);
            let straight = d.prepare_from(&mut de).unwrap();
            de.end().unwrap();
            prop_assert_eq!(straight, d.prepare(&json(&line)));
        }
    }

    #[test]
    fn a_repeated_key_counts_with_its_last_value_and_a_non_object_is_refused() {
        let d = definition();
        let line = r#"{"id":"a","budget":"1","budget":"2","id":7}"#;
        let prepared = d.prepare_from(&mut serde_json::Deserializer::from_str(line)).unwrap();
        assert_eq!(prepared.id(), Some(&RecordId::Number(7.0)));
        assert_eq!(prepared.slot(d.field_position("budget").unwrap()), Some(Slot::Number(2.0)));
        assert!(d.prepare_from(&mut serde_json::Deserializer::from_str("[1]")).is_err());
        let toml_table = toml::from_str::<toml::Table>("budget = 3\nid = 'x'").unwrap();
        let from_toml = d.prepare_from(toml_table).unwrap();
        assert_eq!(from_toml.slot(d.field_position("budget").unwrap()), Some(Slot::Number(3.0)));
    }
}
