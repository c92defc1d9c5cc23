//! Reading one field from its text column, as section 7 and section 14 read a CSV cell:
//! trimming, placeholders, and each type's reading keys. Each field becomes two columns:
//! whether its cell is missing, and its typed value (null when missing or invalid).

use super::{fold, Dialect, Refusal};
use crate::format::Zone;
use crate::{Field, FieldType, Input};

/// The characters `is_email` takes before the `@`, besides ASCII letters and digits.
const EMAIL_PUNCTUATION: &str = ".!#$%&'*+/=?^_`{|}~-";

/// The columns every field's reading starts from, named after its position `i`: `c` the
/// cell as text, `t` trimmed.
pub(super) struct Names {
    pub cell: String,
    pub trimmed: String,
}

impl Names {
    pub(super) fn new(d: Dialect, i: usize) -> Names {
        Names { cell: d.ident(&format!("c{i}")), trimmed: d.ident(&format!("t{i}")) }
    }
}

/// Whether the trimmed cell `t` is missing: null, empty, or a placeholder of `[input]
/// missing` or of the field's own `missing` (compared ignoring case).
pub(super) fn missing(d: Dialect, field: &Field, input: &Input, t: &str) -> Result<String, Refusal> {
    let mut words: Vec<&str> = input.missing.words.iter().map(String::as_str).collect();
    words.extend(field.format.missing.words.iter().map(String::as_str));
    let mut out = format!("({t} IS NULL OR {t} = ''");
    if !words.is_empty() {
        let folded = words.iter().map(|w| ascii_word(d, w.trim(), "a placeholder")).collect::<Result<Vec<_>, _>>()?;
        out.push_str(&format!(" OR {} IN ({})", fold(d, t), folded.join(", ")));
    }
    out.push(')');
    Ok(out)
}

/// A word compared ignoring case, lowercased, as a literal; refused unless ASCII (the
/// engines' case mappings differ from Rust's beyond ASCII).
fn ascii_word(d: Dialect, word: &str, what: &str) -> Result<String, Refusal> {
    if !word.is_ascii() {
        return Err(Refusal::new(format!(
            "{what} `{word}` is compared ignoring case, which the {d} dialect can do exactly only for ASCII text"
        )));
    }
    Ok(d.text(&word.to_ascii_lowercase()))
}

/// How a field's value is computed: columns in successive layers (each may use the
/// columns of the layers before it), then the value itself. Naming each intermediate text
/// once keeps the query small: written inline, a URL's host would repeat its authority,
/// which repeats the text after its scheme, and so on.
pub(super) struct Reading {
    pub layers: Layers,
    pub value: String,
}

/// Columns computed step by step: each layer a list of (quoted name, expression), each
/// expression reading only the columns of the layers before its own.
pub(super) type Layers = Vec<Vec<(String, String)>>;

/// Builds a [`Reading`]: columns named after field `i`, layer by layer.
struct Steps {
    d: Dialect,
    i: usize,
    layers: Layers,
}

impl Steps {
    fn new(d: Dialect, i: usize) -> Steps {
        Steps { d, i, layers: Vec::new() }
    }
    /// Starts a layer: the columns added next may use those added before it.
    fn layer(&mut self) {
        self.layers.push(Vec::new());
    }
    /// Adds column `name` (made unique by the field's position) to the current layer.
    fn col(&mut self, name: &str, expr: String) -> String {
        let column = self.d.ident(&format!("{name}{}", self.i));
        if self.layers.is_empty() {
            self.layer();
        }
        if let Some(layer) = self.layers.last_mut() {
            layer.push((column.clone(), expr));
        }
        column
    }
    fn done(self, value: String) -> Reading {
        Reading { layers: self.layers, value }
    }
}

/// The typed value of field `i`, whose trimmed cell is `t` (and whole cell `c`), null when
/// invalid; the caller nulls it when the cell is missing.
pub(super) fn value(d: Dialect, field: &Field, input: &Input, i: usize, names: &Names) -> Result<Reading, Refusal> {
    let t = names.trimmed.as_str();
    let mut steps = Steps::new(d, i);
    let value = match field.ty {
        FieldType::String => names.cell.clone(),
        FieldType::Number => number(&mut steps, field, t),
        FieldType::Boolean => boolean(d, field, t)?,
        FieldType::Date => date(&mut steps, field, input, t)?,
        FieldType::Email => format!("(CASE WHEN {} THEN {t} END)", is_email(d, t)),
        FieldType::Url => url(&mut steps, field, t),
        FieldType::Enum => {
            if field.values.is_empty() {
                format!("CAST(NULL AS {})", d.text_type())
            } else {
                let values: Vec<String> = field.values.iter().map(|v| d.text(v)).collect();
                format!("(CASE WHEN {t} IN ({}) THEN {t} END)", values.join(", "))
            }
        }
        // A list whose items are all blank is missing: see `list_is_blank`.
        FieldType::List => t.to_string(),
    };
    Ok(steps.done(value))
}

/// Whether a list cell holds only separators and white space (its items are all blank, so
/// it is missing).
pub(super) fn list_is_blank(d: Dialect, field: &Field, t: &str) -> String {
    let without = format!("replace({t}, {}, '')", d.text(&field.format.separator.to_string()));
    format!("({} = '')", d.trim(&without, &d.white_space()))
}

/// A plain decimal: sign, digits with at most one `.` (at least one digit), then an
/// optional exponent; finite.
fn number(steps: &mut Steps, field: &Field, t: &str) -> String {
    let f = &field.format;
    if f.plain_numbers() {
        return plain_number(steps.d, t);
    }
    let d = steps.d;
    let mut body = t.to_string();
    if f.currency {
        body = without_currency(steps, t);
    }
    let mut checks = Vec::new();
    if let Some(sep) = f.thousands {
        // Every separator must stand between two digits (one that does not is kept, and
        // no plain decimal holds it).
        checks.push(format!("NOT {}", separator_astray(d, &body, sep)));
        body = format!("replace({body}, {}, '')", d.text(&sep.to_string()));
    }
    if f.decimal != '.' {
        // A `.` left that is neither the decimal mark nor a dropped separator is invalid.
        checks.push(format!("{} = 0", d.position(&body, "'.'")));
        body = format!("replace({body}, {}, '.')", d.text(&f.decimal.to_string()));
    }
    if !checks.is_empty() {
        body = format!("(CASE WHEN {} THEN {body} END)", checks.join(" AND "));
    }
    steps.layer();
    let text = steps.col("nt", body);
    plain_number(d, &text)
}

/// Whether some `sep` in `x` does not stand between two ASCII digits.
fn separator_astray(d: Dialect, x: &str, sep: char) -> String {
    match d {
        Dialect::Sqlite => {
            let s = glob_char(sep);
            format!("({x} GLOB '{s}*' OR {x} GLOB '*{s}' OR {x} GLOB '*[^0-9]{s}*' OR {x} GLOB '*{s}[^0-9]*')", s = s)
        }
        _ => {
            let s = regex_char(sep);
            d.regex_search(x, &format!("(^|[^0-9]){s}|{s}([^0-9]|$)"))
        }
    }
}

/// One character as a GLOB pattern matching exactly it.
fn glob_char(c: char) -> String {
    match c {
        '*' | '?' | '[' => format!("[{c}]"),
        '\'' => "''".to_string(),
        _ => c.to_string(),
    }
}

/// One character as a regex matching exactly it.
fn regex_char(c: char) -> String {
    if c.is_ascii_alphanumeric() {
        c.to_string()
    } else if c.is_ascii() {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// The number text of a currency amount: an optional sign, a currency sign or three-letter
/// upper-case code, at most one space (or no-break space), then the number; or the number,
/// at most one space, then the sign or code. Null for a sign before a currency followed by
/// another sign.
fn without_currency(steps: &mut Steps, t: &str) -> String {
    let d = steps.d;
    let first = |x: &str| d.substr(x, "1", Some("1"));
    let upper3 = |x: &str| {
        (1..=3)
            .map(|i| {
                format!("{} > 0", d.position("'ABCDEFGHIJKLMNOPQRSTUVWXYZ'", &d.substr(x, &i.to_string(), Some("1"))))
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let signs = "'$', '€', '£', '¥'";
    steps.layer();
    let signed = steps.col("ns", format!("({} IN ('+', '-'))", first(t)));
    let rest =
        steps.col("nr", format!("(CASE WHEN {} IN ('+', '-') THEN {} ELSE {t} END)", first(t), d.substr(t, "2", None)));
    let len = d.length(t);
    let last = d.substr(t, &len, Some("1"));
    let last3 = d.substr(t, &format!("{len} - 2"), Some("3"));
    let suffix_len = steps.col(
        "nsl",
        format!("(CASE WHEN {last} IN ({signs}) THEN 1 WHEN {len} >= 3 AND {} THEN 3 ELSE 0 END)", upper3(&last3)),
    );
    steps.layer();
    let prefix_len = steps.col(
        "npl",
        format!(
            "(CASE WHEN {} IN ({signs}) THEN 1 WHEN {} >= 3 AND {} THEN 3 ELSE 0 END)",
            first(&rest),
            d.length(&rest),
            upper3(&rest)
        ),
    );
    let before_suffix = steps.col("nbs", d.substr(t, "1", Some(&format!("{len} - {suffix_len}"))));
    steps.layer();
    let after_prefix = steps.col("nap", d.substr(&rest, &format!("{prefix_len} + 1"), None));
    steps.layer();
    let after = steps.col(
        "naf",
        format!(
            "(CASE WHEN {} IN (' ', {nbsp}) THEN {} ELSE {after_prefix} END)",
            first(&after_prefix),
            d.substr(&after_prefix, "2", None),
            nbsp = d.chr(0xa0)
        ),
    );
    let before_len = d.length(&before_suffix);
    let before = steps.col(
        "nbf",
        format!(
            "(CASE WHEN {} IN (' ', {nbsp}) THEN {} ELSE {before_suffix} END)",
            d.substr(&before_suffix, &before_len, Some("1")),
            d.substr(&before_suffix, "1", Some(&format!("{before_len} - 1"))),
            nbsp = d.chr(0xa0),
        ),
    );
    steps.layer();
    steps.col(
        "nb",
        format!(
            "(CASE WHEN {prefix_len} > 0 THEN (CASE WHEN {signed} AND {} IN ('+', '-') THEN NULL \
             WHEN {signed} THEN {} || {after} ELSE {after} END) \
             WHEN {suffix_len} > 0 THEN {before} ELSE {t} END)",
            first(&after),
            first(t),
        ),
    )
}

/// A plain decimal read from `x`, or null.
fn plain_number(d: Dialect, x: &str) -> String {
    let shape = match d {
        Dialect::Sqlite => sqlite_number_shape(d, x),
        _ => d.regex_search(x, "^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$"),
    };
    let value = match d {
        Dialect::Postgres => postgres_double(x),
        Dialect::DuckDb => format!("TRY_CAST({x} AS DOUBLE)"),
        Dialect::Sqlite => format!("CAST({x} AS REAL)"),
        Dialect::Spark => format!("try_cast({x} AS DOUBLE)"),
    };
    // An overflow reads as infinity, which no plain decimal is; and the test keeps NaN out.
    let finite = match d {
        Dialect::Postgres => "TRUE".to_string(),
        _ => format!("abs({value}) <= 1.7976931348623157e308"),
    };
    format!("(CASE WHEN {shape} THEN (CASE WHEN {finite} THEN {value} END) END)")
}

/// The number shape checked without regular expressions: one optional sign, then a
/// mantissa of digits with at most one `.` and at least one digit, then an optional `e`
/// with an optional sign and at least one digit.
fn sqlite_number_shape(d: Dialect, x: &str) -> String {
    let unsigned = format!("(CASE WHEN substr({x}, 1, 1) IN ('+', '-') THEN substr({x}, 2) ELSE {x} END)");
    let e = format!("instr(lower({unsigned}), 'e')");
    let mantissa = format!("(CASE WHEN {e} > 0 THEN substr({unsigned}, 1, {e} - 1) ELSE {unsigned} END)");
    let exponent = format!("substr({unsigned}, {e} + 1)");
    let exponent_digits =
        format!("(CASE WHEN substr({exponent}, 1, 1) IN ('+', '-') THEN substr({exponent}, 2) ELSE {exponent} END)");
    format!(
        "({mantissa} <> '' AND {} AND {mantissa} NOT GLOB '*.*.*' AND {mantissa} GLOB '*[0-9]*' \
         AND ({e} = 0 OR ({exponent_digits} <> '' AND {})))",
        d.only_chars(&mantissa, "0123456789."),
        d.only_chars(&exponent_digits, "0123456789"),
    )
}

/// The double precision value of a checked plain decimal in PostgreSQL, whose own reading
/// fails on overflow and underflow instead of giving infinity and zero: through `numeric`,
/// with values beyond the double range compared first. Exponents of more than three
/// digits decide by their sign (a mantissa that is zero is zero).
fn postgres_double(x: &str) -> String {
    let exponent = format!("substring({x} from '[eE][+-]?0*([0-9]+)$')");
    let negative_exponent = format!("({x} ~ '[eE]-')");
    let zero_mantissa = format!("({x} ~ '^[+-]?[0.]*([eE]|$)')");
    let n = format!("CAST({x} AS numeric)");
    // Values from 2^1024 - 2^970 up round to infinity; values up to 2^-1075 round to zero.
    const OVERFLOW: &str = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";
    const UNDERFLOW: &str = "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324";
    format!(
        "(CASE WHEN {zero_mantissa} THEN CAST('0' AS double precision) \
         WHEN length(COALESCE({exponent}, '')) > 3 THEN (CASE WHEN {negative_exponent} THEN \
         (CASE WHEN {x} ~ '^-' THEN CAST('-0' AS double precision) ELSE CAST('0' AS double precision) END) END) \
         WHEN abs({n}) >= {OVERFLOW} THEN NULL \
         WHEN abs({n}) <= {UNDERFLOW} THEN (CASE WHEN {x} ~ '^-' THEN CAST('-0' AS double precision) ELSE CAST('0' AS double precision) END) \
         ELSE CAST({n} AS double precision) END)"
    )
}

/// `yes`/`no`/`true`/`false`/`1`/`0` in any case, then the field's `true` and `false` words.
fn boolean(d: Dialect, field: &Field, t: &str) -> Result<String, Refusal> {
    let folded = fold(d, t);
    let mut out = format!(
        "(CASE WHEN {folded} IN ('yes', 'true', '1') THEN {} WHEN {folded} IN ('no', 'false', '0') THEN {}",
        d.bool(true),
        d.bool(false)
    );
    for (words, value) in [(&field.format.true_words, true), (&field.format.false_words, false)] {
        if !words.is_empty() {
            let words =
                words.iter().map(|w| ascii_word(d, w.trim(), "the boolean word")).collect::<Result<Vec<_>, _>>()?;
            out.push_str(&format!(" WHEN {folded} IN ({}) THEN {}", words.join(", "), d.bool(value)));
        }
    }
    out.push_str(" END)");
    Ok(out)
}

/// Whether `y`, `m`, `day` (integers) name a day of the proleptic Gregorian calendar.
fn valid_date(_d: Dialect, y: &str, m: &str, day: &str) -> String {
    format!("({m} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND {})", days_in_month(y, m))
}

/// The number of days of month `m` of year `y`.
pub(super) fn days_in_month(y: &str, m: &str) -> String {
    format!(
        "(CASE WHEN {m} = 2 THEN (CASE WHEN ({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0 THEN 29 ELSE 28 END) \
         WHEN {m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)"
    )
}

/// Days since 1970-01-01 of a valid date of a year from -279,999 on (the days-from-civil
/// algorithm of Howard Hinnant, shifted by 700 eras of 400 years so that every division is
/// of non-negative numbers).
pub(super) fn days_from_civil(d: Dialect, y: &str, m: &str, day: &str) -> String {
    let yy = format!("({y} - (CASE WHEN {m} <= 2 THEN 1 ELSE 0 END) + 280000)");
    let era = d.div(&yy, "400");
    let yoe = format!("({yy} - {era} * 400)");
    let mp = format!("(CASE WHEN {m} > 2 THEN {m} - 3 ELSE {m} + 9 END)");
    let doy = format!("({} + {day} - 1)", d.div(&format!("153 * {mp} + 2"), "5"));
    let doe = format!("({yoe} * 365 + {} - {} + {doy})", d.div(&yoe, "4"), d.div(&yoe, "100"));
    format!("({era} * 146097 + {doe} - 719468 - 102267900)")
}

/// A date: `YYYY-MM-DD`, an RFC 3339 date-time (its UTC date), an offset-less date-time in
/// the input's time zone (`local` holds its local seconds), then each of the field's
/// `formats` in order; as days since 1970-01-01.
fn date(steps: &mut Steps, field: &Field, input: &Input, t: &str) -> Result<String, Refusal> {
    let d = steps.d;
    let digits = "0123456789";
    // The numbers at the places of `YYYY-MM-DDTHH:MM:SS`, each null unless all digits.
    let number_at = |start: usize, len: usize| {
        let text = d.substr(t, &start.to_string(), Some(&len.to_string()));
        format!(
            "(CASE WHEN {} = {len} AND {} THEN {} END)",
            d.length(&text),
            d.only_chars(&text, digits),
            d.as_int(&text)
        )
    };
    steps.layer();
    let (y, m, day) =
        (steps.col("dy", number_at(1, 4)), steps.col("dm", number_at(6, 2)), steps.col("dd", number_at(9, 2)));
    let (h, mi, s) =
        (steps.col("dh", number_at(12, 2)), steps.col("di", number_at(15, 2)), steps.col("ds", number_at(18, 2)));
    // What follows an RFC 3339 time: a fraction of any length, then `Z` or an offset.
    let tail = d.substr(t, "20", None);
    let zone_text = steps.col(
        "dz",
        format!(
            "(CASE WHEN substr({tail}, 1, 1) = '.' THEN {} ELSE {tail} END)",
            d.ltrim(&d.substr(&tail, "2", None), "'0123456789'")
        ),
    );
    steps.layer();
    let civil = steps.col(
        "dn",
        format!("(CASE WHEN {} THEN {} END)", valid_date(d, &y, &m, &day), days_from_civil(d, &y, &m, &day)),
    );
    let offset_shape = match d {
        Dialect::Sqlite => format!("substr({zone_text}, 2) GLOB '[0-9][0-9]:[0-5][0-9]'"),
        _ => d.regex_search(&d.substr(&zone_text, "2", None), "^[0-9]{2}:[0-5][0-9]$"),
    };
    let part = |start: &str| d.as_int(&d.substr(&zone_text, start, Some("2")));
    let offset = steps.col(
        "do",
        format!(
            "(CASE WHEN {zone_text} IN ('Z', 'z') THEN 0 WHEN {} = 6 AND substr({zone_text}, 1, 1) IN ('+', '-', {minus}) AND {offset_shape} \
             THEN (CASE WHEN substr({zone_text}, 1, 1) = '+' THEN 1 ELSE -1 END) * ({} * 3600 + {} * 60) END)",
            d.length(&zone_text),
            part("2"),
            part("5"),
            minus = d.chr(0x2212),
        ),
    );
    // `YYYY-MM-DD HH:MM[:SS[.fraction]]` (or `T`), without an offset: local seconds.
    let local_shape = match d {
        Dialect::Sqlite => format!(
            "({len} IN (16, 19) OR ({len} BETWEEN 21 AND 29 AND substr({t}, 20, 1) = '.' AND {fraction})) \
             AND substr({t}, 1, 16) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][Tt ][0-9][0-9]:[0-9][0-9]' \
             AND ({len} = 16 OR substr({t}, 17, 3) GLOB ':[0-9][0-9]')",
            len = d.length(t),
            fraction = d.only_chars(&format!("substr({t}, 21)"), digits),
        ),
        _ => d.regex_search(t, "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?$"),
    };
    let seconds = format!("(CASE WHEN {} >= 19 THEN {s} ELSE 0 END)", d.length(t));
    steps.layer();
    let local = steps.col(
        "dl",
        format!(
            "(CASE WHEN {local_shape} AND {h} <= 23 AND {mi} <= 59 AND {seconds} <= 59 \
             THEN {civil} * 86400 + {h} * 3600 + {mi} * 60 + {seconds} END)"
        ),
    );
    steps.layer();
    let plain_shape = match d {
        Dialect::Sqlite => format!("({t} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')"),
        _ => d.regex_search(t, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
    };
    let head_shape = match d {
        Dialect::Sqlite => format!(
            "(substr({t}, 1, 19) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][Tt ][0-9][0-9]:[0-9][0-9]:[0-9][0-9]')"
        ),
        _ => d.regex_search(&d.substr(t, "1", Some("19")), "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}$"),
    };
    let fraction_ok = format!(
        "(substr({tail}, 1, 1) <> '.' OR {} > 0)",
        d.position("'0123456789'", &d.substr(&tail, "2", Some("1")))
    );
    let rfc = format!(
        "(CASE WHEN {} BETWEEN 19 AND 40 AND {head_shape} AND {fraction_ok} AND abs({offset}) < 86400 \
         AND {h} <= 23 AND {mi} <= 59 AND {s} <= 60 THEN {civil} * 86400 + {h} * 3600 + {mi} * 60 + {} - {offset} END)",
        d.length(t),
        d.least(&s, "59"),
    );
    let zoned = zoned_seconds(d, &input.timezone, &local)?;
    let mut forms = vec![
        format!("(CASE WHEN {plain_shape} THEN {civil} END)"),
        d.floor_div(&zoned, 86_400),
        d.floor_div(&rfc, 86_400),
    ];
    for (k, format) in field.format.formats.iter().enumerate() {
        forms.push(pattern_date(steps, format, k, t, &input.timezone)?);
    }
    Ok(format!("COALESCE({})", forms.join(", ")))
}

/// The date `t` gives under a `formats` pattern, read item by item as chrono reads it:
/// literals exactly, white space skipped, numbers of up to their width in digits (a year
/// with a sign of any length) after any white space, month names in any case. Null when
/// the text does not follow the pattern to its end or names no valid day.
fn pattern_date(
    steps: &mut Steps,
    format: &crate::DateFormat,
    k: usize,
    t: &str,
    zone: &Zone,
) -> Result<String, Refusal> {
    use chrono::format::{Fixed, Item, Numeric};
    let d = steps.d;
    let ws = d.white_space();
    let digits = "'0123456789'";
    let refuse = |what: &str| {
        Refusal::new(format!(
            "the date pattern `{}` holds {what}, which the {d} dialect does not read yet",
            format.pattern()
        ))
        .hint("read the column in a view that writes its dates as YYYY-MM-DD")
    };
    let run = |x: &str, chars: &str| format!("({} - {})", d.length(x), d.length(&d.ltrim(x, chars)));
    steps.layer();
    let mut p = steps.col(&format!("fp{k}_"), "1".to_string());
    let (mut year, mut month, mut day, mut hour, mut minute, mut second) = (None, None, None, None, None, None);
    let mut offset: Option<String> = None;
    for (j, item) in format.items().iter().enumerate() {
        let name = |what: &str| format!("f{what}{k}_{j}_");
        steps.layer();
        match item {
            Item::Literal(text) => {
                let len = text.chars().count();
                p = steps.col(
                    &name("p"),
                    format!(
                        "(CASE WHEN {} = {} THEN {p} + {len} END)",
                        d.substr(t, &p, Some(&len.to_string())),
                        d.text(text)
                    ),
                );
            }
            Item::OwnedLiteral(text) => {
                let len = text.chars().count();
                p = steps.col(
                    &name("p"),
                    format!(
                        "(CASE WHEN {} = {} THEN {p} + {len} END)",
                        d.substr(t, &p, Some(&len.to_string())),
                        d.text(text)
                    ),
                );
            }
            Item::Space(_) | Item::OwnedSpace(_) => {
                p = steps.col(&name("p"), format!("({p} + {})", run(&d.substr(t, &p, None), &ws)));
            }
            Item::Numeric(spec, _) => {
                let (slot, width, signed) = match spec {
                    Numeric::Year => (&mut year, 4, true),
                    Numeric::Month => (&mut month, 2, false),
                    Numeric::Day => (&mut day, 2, false),
                    Numeric::Hour => (&mut hour, 2, false),
                    Numeric::Minute => (&mut minute, 2, false),
                    Numeric::Second => (&mut second, 2, false),
                    _ => return Err(refuse("a specifier other than %Y, %m, %d, %e, %H, %M, %S, %b, %B and %z")),
                };
                if slot.is_some() {
                    return Err(refuse("the same part of the date twice"));
                }
                // White space first, then (for a year) a sign, then the digits.
                let q = steps.col(&name("q"), format!("({p} + {})", run(&d.substr(t, &p, None), &ws)));
                steps.layer();
                let sign = if signed {
                    format!("(CASE WHEN {} IN ('+', '-') THEN 1 ELSE 0 END)", d.substr(t, &q, Some("1")))
                } else {
                    "0".to_string()
                };
                let start = steps.col(&name("s"), format!("({q} + {sign})"));
                let negative = steps.col(&name("g"), format!("({} = '-')", d.substr(t, &q, Some("1"))));
                steps.layer();
                let count = run(&d.substr(t, &start, None), digits);
                let n = steps.col(
                    &name("n"),
                    if signed {
                        format!(
                            "(CASE WHEN {start} > {q} THEN {count} ELSE {} END)",
                            d.least(&count, &width.to_string())
                        )
                    } else {
                        d.least(&count, &width.to_string())
                    },
                );
                steps.layer();
                let text = d.substr(t, &start, Some(&n));
                let significant = d.ltrim(&text, "'0'");
                let value = steps.col(
                    &name("v"),
                    format!(
                        "(CASE WHEN {n} >= 1 AND {} <= 9 THEN {} * (CASE WHEN {negative} THEN -1 ELSE 1 END) END)",
                        d.length(&significant),
                        d.as_int(&format!("('0' || {significant})"))
                    ),
                );
                p = steps.col(&name("p"), format!("(CASE WHEN {n} >= 1 THEN {start} + {n} END)"));
                *slot = Some(value);
            }
            Item::Fixed(Fixed::ShortMonthName | Fixed::LongMonthName) => {
                if month.is_some() {
                    return Err(refuse("the same part of the date twice"));
                }
                const NAMES: [&str; 12] =
                    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
                const REST: [&str; 12] =
                    ["uary", "ruary", "ch", "il", "", "e", "y", "ust", "tember", "ober", "ember", "ember"];
                let three = d.ascii_lower(&d.substr(t, &p, Some("3")));
                let cases: String =
                    NAMES.iter().enumerate().map(|(i, m)| format!(" WHEN '{m}' THEN {}", i + 1)).collect();
                let m = steps.col(&name("m"), format!("(CASE {three}{cases} END)"));
                steps.layer();
                let next = if matches!(item, Item::Fixed(Fixed::LongMonthName)) {
                    let rest: String = REST
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| !r.is_empty())
                        .map(|(i, r)| {
                            format!(
                                " WHEN {m} = {} AND {} = '{r}' THEN {p} + {}",
                                i + 1,
                                d.ascii_lower(&d.substr(t, &format!("{p} + 3"), Some(&r.len().to_string()))),
                                3 + r.len()
                            )
                        })
                        .collect();
                    format!("(CASE WHEN {m} IS NULL THEN NULL{rest} ELSE {p} + 3 END)")
                } else {
                    format!("(CASE WHEN {m} IS NOT NULL THEN {p} + 3 END)")
                };
                p = steps.col(&name("p"), next);
                month = Some(m);
            }
            Item::Fixed(
                spec @ (Fixed::TimezoneOffset
                | Fixed::TimezoneOffsetColon
                | Fixed::TimezoneOffsetDoubleColon
                | Fixed::TimezoneOffsetTripleColon
                | Fixed::TimezoneOffsetZ
                | Fixed::TimezoneOffsetColonZ),
            ) => {
                if offset.is_some() {
                    return Err(refuse("the same part of the date twice"));
                }
                let zulu = matches!(spec, Fixed::TimezoneOffsetZ | Fixed::TimezoneOffsetColonZ);
                // White space, a sign (or `Z`), two digits of hours, any colons and white
                // space, two digits of minutes (the first 0 to 5).
                let q = steps.col(&name("q"), format!("({p} + {})", run(&d.substr(t, &p, None), &ws)));
                steps.layer();
                let sign_char = d.substr(t, &q, Some("1"));
                let is_zulu = if zulu { format!("{sign_char} IN ('Z', 'z')") } else { d.bool(false).to_string() };
                let z = steps.col(&name("z"), format!("({is_zulu})"));
                let sign = steps.col(
                    &name("g"),
                    format!(
                        "(CASE WHEN {sign_char} = '+' THEN 1 WHEN {sign_char} IN ('-', {}) THEN -1 END)",
                        d.chr(0x2212)
                    ),
                );
                let hours_text = d.substr(t, &format!("{q} + 1"), Some("2"));
                let h = steps.col(
                    &name("h"),
                    format!(
                        "(CASE WHEN {} THEN {} END)",
                        two_digits(d, &hours_text, "0123456789"),
                        d.as_int(&hours_text)
                    ),
                );
                steps.layer();
                let colons = format!("':' || {ws}");
                let r = steps
                    .col(&name("r"), format!("({q} + 3 + {})", run(&d.substr(t, &format!("{q} + 3"), None), &colons)));
                steps.layer();
                let minutes_text = d.substr(t, &r, Some("2"));
                let mi = steps.col(
                    &name("i"),
                    format!(
                        "(CASE WHEN {} AND {} > 0 THEN {} END)",
                        two_digits(d, &minutes_text, "0123456789"),
                        d.position("'012345'", &d.substr(&minutes_text, "1", Some("1"))),
                        d.as_int(&minutes_text)
                    ),
                );
                steps.layer();
                p = steps.col(
                    &name("p"),
                    format!(
                        "(CASE WHEN {z} THEN {q} + 1 WHEN {sign} IS NOT NULL AND {h} IS NOT NULL AND {mi} IS NOT NULL THEN {r} + 2 END)"
                    ),
                );
                offset = Some(format!("(CASE WHEN {z} THEN 0 ELSE {sign} * ({h} * 3600 + {mi} * 60) END)"));
            }
            _ => return Err(refuse("a specifier other than %Y, %m, %d, %e, %H, %M, %S, %b, %B and %z")),
        }
    }
    let (Some(y), Some(m), Some(day)) = (year, month, day) else {
        return Err(refuse("a date not written as year, month and day"));
    };
    let whole = format!("{p} = {} + 1", d.length(t));
    let valid = format!("({y} BETWEEN -262144 AND 262143 AND {})", valid_date(d, &y, &m, &day));
    let days = days_from_civil(d, &y, &m, &day);
    let result = match (hour, minute) {
        (Some(h), Some(mi)) => {
            let s = second.unwrap_or_else(|| "0".to_string());
            steps.layer();
            let local = steps.col(
                &format!("fl{k}_"),
                format!(
                    "(CASE WHEN {whole} THEN (CASE WHEN {valid} AND {h} <= 23 AND {mi} <= 59 AND {s} <= 60 \
                     THEN {days} * 86400 + {h} * 3600 + {mi} * 60 + {} END) END)",
                    d.least(&s, "59")
                ),
            );
            match offset {
                // An offset written in the text gives an instant; it must be under a day.
                Some(offset) => {
                    steps.layer();
                    let offset = steps.col(&format!("fo{k}_"), offset);
                    d.floor_div(&format!("(CASE WHEN abs({offset}) < 86400 THEN {local} - {offset} END)"), 86_400)
                }
                None => d.floor_div(&zoned_seconds(d, zone, &local)?, 86_400),
            }
        }
        (None, None) if second.is_none() && offset.is_none() => {
            format!("(CASE WHEN {whole} THEN (CASE WHEN {valid} THEN {days} END) END)")
        }
        _ => return Err(refuse("a time without both hours and minutes")),
    };
    Ok(result)
}

/// Whether `x` is two characters, each one of `chars` (ASCII).
fn two_digits(d: Dialect, x: &str, chars: &str) -> String {
    format!("({} = 2 AND {})", d.length(x), d.only_chars(x, chars))
}

/// The instant of local seconds `local` in the input's time zone, in seconds since the
/// epoch: a time that occurs twice takes the earlier instant, one skipped by a clock change
/// the offset in effect a day before (as chrono does).
fn zoned_seconds(d: Dialect, zone: &Zone, local: &str) -> Result<String, Refusal> {
    Ok(match zone {
        Zone::Utc => local.to_string(),
        Zone::Fixed(offset, _) => format!("({local} - {})", offset.local_minus_utc()),
        Zone::Named(tz) => {
            let offset_at = |x: &str| match d {
                Dialect::Postgres => format!(
                    "(CAST(extract(epoch FROM (to_timestamp({x}) AT TIME ZONE {})) AS BIGINT) - ({x}))",
                    d.text(tz.name())
                ),
                Dialect::DuckDb => {
                    format!("(CAST(epoch(timezone({}, to_timestamp({x}))) AS BIGINT) - ({x}))", d.text(tz.name()))
                }
                // Spark's offsets come through `convert_timezone`, below.
                Dialect::Spark => String::new(),
                // SQLite knows no time zones: the query carries the zone's offsets as the
                // table `leadspec_zone` (see `zone_table`).
                _ => zone_lookup(d, *tz, x),
            };
            if d == Dialect::Spark {
                // The wall-clock time converted from the zone to UTC by Java's rules: a time
                // skipped by a change moves on by the gap (the offset before it), one that
                // occurs twice takes the earlier offset, as chrono does.
                let days = d.floor_div(local, 86_400);
                let second = format!("({local} - {days} * 86400)");
                let date = format!("date_from_unix_date({days})");
                let wall = format!(
                    "make_timestamp_ntz(year({date}), month({date}), day({date}), {} div 3600, ({} div 60) % 60, {} % 60)",
                    second, second, second
                );
                let utc = format!("convert_timezone({}, 'UTC', {wall})", d.text(tz.name()));
                let utc_days = format!("unix_date(CAST({utc} AS DATE))");
                let seconds = format!("(hour({utc}) * 3600 + minute({utc}) * 60 + CAST(second({utc}) AS BIGINT))");
                return Ok(format!("(CAST({utc_days} AS BIGINT) * 86400 + {seconds})"));
            }
            let before = offset_at(&format!("{local} - 86400"));
            let after = offset_at(&format!("{local} + 86400"));
            let first = format!("({local} - {before})");
            let second = format!("({local} - {after})");
            let first_holds = format!("({} = {before})", offset_at(&first));
            let second_holds = format!("({} = {after})", offset_at(&second));
            format!(
                "(CASE WHEN {first_holds} AND {second_holds} THEN {} WHEN {first_holds} THEN {first} \
                 WHEN {second_holds} THEN {second} ELSE {first} END)",
                d.least(&first, &second)
            )
        }
    })
}

/// The length of the time buckets of `leadspec_zone` (2^25 s, about a year).
const ZONE_BUCKET: i64 = 1 << 25;

/// For SQLite, which knows no time zones: the common table expression
/// `leadspec_zone(k, s, o)` holding the offsets `o` of the input's named zone from each
/// instant `s` on (as chrono-tz knows them, 1800 to 2400), filed under the bucket `k` of
/// 2^25 seconds they fall in, each bucket also holding the offset at its start; so a
/// lookup reads one bucket (an equality, which SQLite indexes on the fly), not the whole
/// history. Present when the definition has a date field and such a zone.
pub(super) fn zone_table(d: Dialect, input: &Input) -> Option<(String, String)> {
    let Zone::Named(tz) = &input.timezone else { return None };
    if d != Dialect::Sqlite {
        return None;
    }
    let transitions = crate::format::transitions(*tz);
    let (first, last) = zone_buckets(&transitions);
    let offset_at = |t: i64| transitions.iter().rev().find(|(s, _)| *s <= t).map_or(0, |&(_, o)| o);
    let mut rows = Vec::new();
    for k in first..=last {
        let start = k * ZONE_BUCKET;
        let from = if k == first { -(1i64 << 62) } else { start };
        rows.push(format!("({k}, {from}, {})", offset_at(start)));
        for &(s, o) in transitions.iter().filter(|(s, _)| *s > start && *s < start + ZONE_BUCKET) {
            rows.push(format!("({k}, {s}, {o})"));
        }
    }
    Some(("leadspec_zone(k, s, o)".to_string(), format!("VALUES {}", rows.join(", "))))
}

/// The first and last buckets `zone_table` writes: those of the zone's first and last
/// changes (the first bucket also stands for all time before, the last for all after).
fn zone_buckets(transitions: &[(i64, i32)]) -> (i64, i64) {
    let changes: Vec<i64> = transitions.iter().skip(1).map(|&(s, _)| s).collect();
    let first = changes.first().map_or(0, |s| s.div_euclid(ZONE_BUCKET));
    let last = changes.last().map_or(0, |s| s.div_euclid(ZONE_BUCKET));
    (first, last)
}

/// The offset of the input's zone at the instant `x`, read from `leadspec_zone`.
fn zone_lookup(d: Dialect, tz: chrono_tz::Tz, x: &str) -> String {
    let (first, last) = zone_buckets(&crate::format::transitions(tz));
    let bucket = format!("max({first}, min({last}, {}))", d.floor_div(x, ZONE_BUCKET));
    format!("(SELECT o FROM leadspec_zone WHERE k = {bucket} AND s <= ({x}) ORDER BY s DESC LIMIT 1)")
}

/// Whether `t` is an e-mail address as HTML forms define it (see [`crate::is_email`]).
fn is_email(d: Dialect, t: &str) -> String {
    match d {
        Dialect::Sqlite => {
            let at = format!("instr({t}, '@')");
            let local = format!("substr({t}, 1, {at} - 1)");
            let domain = format!("substr({t}, {at} + 1)");
            let long_label = "[^.]".repeat(64);
            format!(
                "({at} > 1 AND {} AND {domain} <> '' AND {} AND NOT ({domain} GLOB '.*' OR {domain} GLOB '*.' \
                 OR {domain} GLOB '*..*' OR {domain} GLOB '-*' OR {domain} GLOB '*-' OR {domain} GLOB '*.-*' \
                 OR {domain} GLOB '*-.*' OR {domain} GLOB '*{long_label}*'))",
                d.only_chars(&local, &format!("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789{EMAIL_PUNCTUATION}")),
                d.only_chars(&domain, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"),
            )
        }
        _ => d.regex_search(
            t,
            "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
        ),
    }
}

/// A URL field's value: the trimmed text, after the field's `default_scheme` when it has no
/// scheme, when it is an absolute `http` or `https` URL with a host; else null.
///
/// Validity is checked as the WHATWG parser reads a URL: tabs and newlines removed; the
/// scheme in any case; any slashes or backslashes after it; the authority up to the first
/// `/`, `\`, `?` or `#`; user information up to its last `@`; a port of digits up to 65535;
/// a host that is not empty and holds no forbidden character; a host whose last label is a
/// number must be an IPv4 address.
fn url(steps: &mut Steps, field: &Field, t: &str) -> String {
    let d = steps.d;
    let full = match field.format.default_scheme {
        Some(scheme) => {
            let has_scheme = has_scheme(d, t);
            format!("(CASE WHEN {has_scheme} THEN {t} ELSE {} || {t} END)", d.text(&format!("{}://", scheme.name())))
        }
        None => t.to_string(),
    };
    steps.layer();
    let full = steps.col("uf", full);
    let mut clean = full.clone();
    for c in [0x09, 0x0a, 0x0d] {
        clean = format!("replace({clean}, {}, '')", d.chr(c));
    }
    steps.layer();
    let clean = steps.col("uc", clean);
    steps.layer();
    let colon = steps.col("uk", d.position(&clean, "':'"));
    steps.layer();
    let after = steps.col("ua", d.ltrim(&d.substr(&clean, &format!("{colon} + 1"), None), &d.text("/\\")));
    steps.layer();
    let stops = format!("replace(replace(replace({after}, {}, '/'), '?', '/'), '#', '/')", d.text("\\"));
    let cut = d.position(&stops, "'/'");
    let authority = steps.col(
        "uw",
        format!("(CASE WHEN {cut} > 0 THEN {} ELSE {after} END)", d.substr(&after, "1", Some(&format!("{cut} - 1")))),
    );
    steps.layer();
    let user_end = d.length(&d.rtrim(&authority, &format!("replace({authority}, '@', '')")));
    let host_port = steps.col("uh", d.substr(&authority, &format!("{user_end} + 1"), None));
    steps.layer();
    let port_at = steps.col("up", d.length(&d.rtrim(&host_port, &format!("replace({host_port}, ':', '')"))));
    let bracketed = steps.col("ub", format!("({} = '[')", d.substr(&host_port, "1", Some("1"))));
    steps.layer();
    let host = steps.col(
        "uo",
        format!(
            "(CASE WHEN {port_at} > 0 AND NOT {bracketed} THEN {} ELSE {host_port} END)",
            d.substr(&host_port, "1", Some(&format!("{port_at} - 1")))
        ),
    );
    let port = steps.col(
        "ut",
        format!(
            "(CASE WHEN {port_at} > 0 AND NOT {bracketed} THEN {} ELSE '' END)",
            d.substr(&host_port, &format!("{port_at} + 1"), None)
        ),
    );
    steps.layer();
    // The last label (a trailing dot ignored) decides whether the host is read as IPv4.
    let host_len = d.length(&host);
    let trimmed_host = steps.col(
        "ud",
        format!(
            "(CASE WHEN {} = '.' THEN {} ELSE {host} END)",
            d.substr(&host, &host_len, Some("1")),
            d.substr(&host, "1", Some(&format!("{host_len} - 1")))
        ),
    );
    steps.layer();
    let label_start = d.length(&d.rtrim(&trimmed_host, &format!("replace({trimmed_host}, '.', '')")));
    let last_label = steps.col("ul", d.substr(&trimmed_host, &format!("{label_start} + 1"), None));

    let scheme = d.ascii_lower(&d.substr(&clean, "1", Some(&format!("{colon} - 1"))));
    let significant = d.ltrim(&port, "'0'");
    let port_ok = format!(
        "({port} = '' OR (CASE WHEN {} AND {} <= 5 THEN {} <= 65535 ELSE {} END))",
        d.only_chars(&port, "0123456789"),
        d.length(&significant),
        d.as_int(&format!("('0' || {significant})")),
        d.bool(false),
    );
    let forbidden = [" ", "#", "%", "/", ":", "<", ">", "?", "@", "[", "\\", "]", "^", "|"];
    let mut host_ok = format!("{host} <> ''");
    for c in forbidden {
        host_ok.push_str(&format!(" AND {} = 0", d.position(&host, &d.text(c))));
    }
    for c in (1..0x20).chain([0x7f]) {
        host_ok.push_str(&format!(" AND {} = 0", d.position(&host, &d.chr(c))));
    }
    let hp_len = d.length(&host_port);
    let ipv6 = format!(
        "({bracketed} AND {} = ']' AND {})",
        d.substr(&host_port, &hp_len, Some("1")),
        d.only_chars(&d.substr(&host_port, "2", Some(&format!("{hp_len} - 2"))), "0123456789abcdefABCDEF:.")
    );
    let numeric_last = format!(
        "(({last_label} <> '' AND {}) OR ({} IN ('0x', '0X') AND {}))",
        d.only_chars(&last_label, "0123456789"),
        d.substr(&last_label, "1", Some("2")),
        d.only_chars(&d.substr(&last_label, "3", None), "0123456789abcdefABCDEF"),
    );
    let ipv4 = ipv4_ok(d, &trimmed_host);
    format!(
        "(CASE WHEN {colon} > 1 AND {scheme} IN ('http', 'https') AND {port_ok} AND ({ipv6} OR (NOT {bracketed} AND {host_ok} \
         AND (NOT {numeric_last} OR {ipv4}))) THEN {full} END)"
    )
}

/// Whether `t` starts with a scheme and `://`.
fn has_scheme(d: Dialect, t: &str) -> String {
    let at = d.position(t, "'://'");
    let scheme = d.substr(t, "1", Some(&format!("{at} - 1")));
    format!(
        "({at} > 1 AND {} > 0 AND {})",
        d.position("'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'", &d.substr(t, "1", Some("1"))),
        d.only_chars(&scheme, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.")
    )
}

/// Whether `host` (without a trailing dot) is a dotted-decimal IPv4 address of one to four
/// parts as WHATWG reads decimal parts: the last part below 256^(5 - parts), the others
/// below 256. Hexadecimal and octal parts are refused, as if invalid.
fn ipv4_ok(d: Dialect, host: &str) -> String {
    let dots = format!("({} - {})", d.length(host), d.length(&format!("replace({host}, '.', '')")));
    let part = |i: usize| -> String {
        // The i-th part (1-based): the text between the (i-1)-th and i-th dots.
        let mut rest = host.to_string();
        for _ in 1..i {
            rest = d.substr(&rest, &format!("{} + 1", d.position(&rest, "'.'")), None);
        }
        let end = d.position(&rest, "'.'");
        format!("(CASE WHEN {end} > 0 THEN {} ELSE {rest} END)", d.substr(&rest, "1", Some(&format!("{end} - 1"))))
    };
    let mut cases = Vec::new();
    for parts in 1..=4usize {
        let mut checks = vec![format!("{dots} = {}", parts - 1)];
        for i in 1..=parts {
            let p = part(i);
            let limit: u64 = if i == parts { 256u64.pow(5 - parts as u32) - 1 } else { 255 };
            checks.push(format!(
                "(CASE WHEN {p} <> '' AND {} AND ({p} = '0' OR substr({p}, 1, 1) <> '0') AND {} <= 10 THEN {} <= {limit} ELSE {} END)",
                d.only_chars(&p, "0123456789"),
                d.length(&p),
                d.as_int(&format!("('0' || {p})")),
                d.bool(false),
            ));
        }
        cases.push(format!("({})", checks.join(" AND ")));
    }
    format!("({})", cases.join(" OR "))
}
