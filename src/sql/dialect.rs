//! What differs between engines, and nothing else: quoting, types, the names of string
//! functions, integer division, the clock, regular expressions. Every other file writes
//! SQL through these helpers, so a dialect's traps are handled in one place.

use super::Dialect;

/// The white space `str::trim` removes (Unicode `White_Space`), as code points.
pub(super) const WHITE_SPACE: [u32; 25] = [
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
    0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
];

impl Dialect {
    /// A quoted identifier.
    pub(super) fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A table name: each dot-separated part quoted (`crm.leads` is `"crm"."leads"`).
    pub(super) fn table(self, name: &str) -> String {
        name.split('.').map(|part| self.ident(part)).collect::<Vec<_>>().join(".")
    }

    /// A string literal. (No dialect here reads backslashes in `'...'` as escapes, Spark
    /// excepted, where they are doubled.)
    pub(super) fn text(self, s: &str) -> String {
        match self {
            Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            _ => format!("'{}'", s.replace('\'', "''")),
        }
    }

    /// The text type.
    pub(super) fn text_type(self) -> &'static str {
        match self {
            Dialect::Postgres => "text",
            Dialect::DuckDb => "VARCHAR",
            Dialect::Sqlite => "TEXT",
            Dialect::Spark => "STRING",
        }
    }

    /// The 64-bit integer type.
    pub(super) fn int_type(self) -> &'static str {
        match self {
            Dialect::Postgres | Dialect::DuckDb | Dialect::Spark => "BIGINT",
            Dialect::Sqlite => "INTEGER",
        }
    }

    /// `x` as text.
    pub(super) fn as_text(self, x: &str) -> String {
        format!("CAST({x} AS {})", self.text_type())
    }

    /// `x` (text of digits, checked before) as a 64-bit integer. (Spark, in ANSI mode,
    /// fails a query on a cast that cannot be made, and may evaluate a guarded cast
    /// anyway: `try_cast` there.)
    pub(super) fn as_int(self, x: &str) -> String {
        match self {
            Dialect::Spark => format!("try_cast({x} AS BIGINT)"),
            _ => format!("CAST({x} AS {})", self.int_type()),
        }
    }

    /// `true` or `false`.
    pub(super) fn bool(self, b: bool) -> &'static str {
        match (self, b) {
            (Dialect::Sqlite, true) => "1",
            (Dialect::Sqlite, false) => "0",
            (_, true) => "TRUE",
            (_, false) => "FALSE",
        }
    }

    /// An unknown truth value.
    pub(super) fn unknown(self) -> String {
        match self {
            Dialect::Sqlite => "NULL".to_string(),
            _ => "CAST(NULL AS BOOLEAN)".to_string(),
        }
    }

    /// A number literal that reads back as exactly `n` (finite).
    pub(super) fn number(self, n: f64) -> String {
        // `{:?}` writes the shortest text that reads back as the same f64.
        let text = format!("{n:?}");
        match self {
            Dialect::Postgres => format!("CAST('{text}' AS double precision)"),
            Dialect::DuckDb | Dialect::Spark => format!("CAST('{text}' AS DOUBLE)"),
            Dialect::Sqlite => {
                if text.contains(['.', 'e', 'E']) {
                    text
                } else {
                    format!("{text}.0")
                }
            }
        }
    }

    /// The code point `c` (in the Basic Multilingual Plane) as a one-character text.
    /// (Spark's `chr` takes the code modulo 256: a `\u` escape in a literal there.)
    pub(super) fn chr(self, c: u32) -> String {
        match self {
            Dialect::Sqlite => format!("char({c})"),
            Dialect::Spark => format!("'\\u{c:04X}'"),
            _ => format!("chr({c})"),
        }
    }

    /// The characters `str::trim` removes: the query's first step names them once, as the
    /// column `ws`, which every later step reads.
    pub(super) fn white_space(self) -> String {
        self.ident("ws")
    }

    /// The characters `str::trim` removes, as one text expression.
    pub(super) fn white_space_chars(self) -> String {
        match self {
            Dialect::Sqlite => {
                format!("char({})", WHITE_SPACE.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
            }
            Dialect::Spark => format!("'{}'", WHITE_SPACE.iter().map(|c| format!("\\u{c:04X}")).collect::<String>()),
            _ => WHITE_SPACE.iter().map(|&c| self.chr(c)).collect::<Vec<_>>().join(" || "),
        }
    }

    /// `x` without the characters of `chars` at both ends.
    pub(super) fn trim(self, x: &str, chars: &str) -> String {
        match self {
            Dialect::Postgres => format!("btrim({x}, {chars})"),
            Dialect::Spark => format!("TRIM(BOTH {chars} FROM {x})"),
            _ => format!("trim({x}, {chars})"),
        }
    }

    /// `x` without the characters of `chars` at its start. (Spark's two-argument `ltrim`
    /// takes its arguments the other way round: the standard form there.)
    pub(super) fn ltrim(self, x: &str, chars: &str) -> String {
        match self {
            Dialect::Spark => format!("TRIM(LEADING {chars} FROM {x})"),
            _ => format!("ltrim({x}, {chars})"),
        }
    }

    /// `x` without the characters of `chars` at its end.
    pub(super) fn rtrim(self, x: &str, chars: &str) -> String {
        match self {
            Dialect::Spark => format!("TRIM(TRAILING {chars} FROM {x})"),
            _ => format!("rtrim({x}, {chars})"),
        }
    }

    /// The 1-based position of `needle` in `hay`, 0 when absent (1 for an empty needle).
    pub(super) fn position(self, hay: &str, needle: &str) -> String {
        match self {
            Dialect::Postgres | Dialect::DuckDb => format!("strpos({hay}, {needle})"),
            Dialect::Sqlite => format!("instr({hay}, {needle})"),
            Dialect::Spark => format!("instr({hay}, {needle})"),
        }
    }

    /// The characters of `x` from the 1-based `start`, `len` of them (to the end without).
    pub(super) fn substr(self, x: &str, start: &str, len: Option<&str>) -> String {
        match len {
            Some(len) => format!("substr({x}, {start}, {len})"),
            None => format!("substr({x}, {start})"),
        }
    }

    /// The length of `x` in characters.
    pub(super) fn length(self, x: &str) -> String {
        match self {
            Dialect::Postgres => format!("char_length({x})"),
            _ => format!("length({x})"),
        }
    }

    /// `x` with ASCII letters in lower case (and nothing else changed: the engines' own
    /// `lower` follows their locale or Unicode tables, which Rust's does not always match).
    pub(super) fn ascii_lower(self, x: &str) -> String {
        const UPPER: &str = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'";
        const LOWER: &str = "'abcdefghijklmnopqrstuvwxyz'";
        match self {
            // SQLite's built-in `lower` folds ASCII only.
            Dialect::Sqlite => format!("lower({x})"),
            _ => format!("translate({x}, {UPPER}, {LOWER})"),
        }
    }

    /// The smaller of two numbers.
    pub(super) fn least(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Sqlite => format!("min({a}, {b})"),
            _ => format!("least({a}, {b})"),
        }
    }

    /// Integer division of two integers, both at least 0 (truncation is then the floor).
    pub(super) fn div(self, a: &str, b: &str) -> String {
        match self {
            Dialect::DuckDb => format!("(({a}) // ({b}))"),
            Dialect::Spark => format!("(({a}) div ({b}))"),
            _ => format!("(({a}) / ({b}))"),
        }
    }

    /// The floor of `a / b` for integers, `b` > 0, whatever the sign of `a`.
    pub(super) fn floor_div(self, a: &str, b: i64) -> String {
        let rem = format!("((({a}) % {b} + {b}) % {b})");
        let exact = format!("(({a}) - {rem})");
        match self {
            Dialect::DuckDb => format!("({exact} // {b})"),
            Dialect::Spark => format!("({exact} div {b})"),
            _ => format!("({exact} / {b})"),
        }
    }

    /// The reference time read from the engine's clock, in whole seconds since the epoch.
    pub(super) fn clock_seconds(self) -> String {
        match self {
            Dialect::Postgres => "CAST(floor(extract(epoch FROM now())) AS BIGINT)".to_string(),
            Dialect::DuckDb => "CAST(floor(epoch(now())) AS BIGINT)".to_string(),
            Dialect::Sqlite => "CAST(strftime('%s', 'now') AS INTEGER)".to_string(),
            Dialect::Spark => "unix_timestamp()".to_string(),
        }
    }

    /// Whether the engine has regular expressions in the syntax [`super::regex`] writes.
    pub(super) fn has_regex(self) -> bool {
        !matches!(self, Dialect::Sqlite)
    }

    /// Whether `x` holds a match of `pattern` (written by [`super::regex`] for this dialect);
    /// only called when [`Dialect::has_regex`].
    pub(super) fn regex_search(self, x: &str, pattern: &str) -> String {
        match self {
            Dialect::Postgres => format!("({x} ~ {})", self.text(pattern)),
            Dialect::DuckDb => format!("regexp_matches({x}, {})", self.text(pattern)),
            // Java's `$` also matches before a final line break: `\z` is the end.
            _ => format!("({x} RLIKE {})", self.text(&java_ends(pattern))),
        }
    }

    /// Whether every character of `x` is one of `chars` (ASCII; `x` may be empty).
    pub(super) fn only_chars(self, x: &str, chars: &str) -> String {
        match self {
            Dialect::Sqlite => format!("({x} NOT GLOB '*[^{}]*')", glob_set(chars)),
            _ => self.regex_search(x, &format!("^[{}]*$", regex_set(chars))),
        }
    }
}

/// A pattern with each end anchor `$` (one at the end, or before `)` or `|`) written as
/// Java's `\z`.
fn java_ends(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let escaped = i > 0 && chars[i - 1] == '\\';
        if c == '$' && !escaped && matches!(chars.get(i + 1), None | Some(')') | Some('|')) {
            out.push_str("\\z");
        } else {
            out.push(c);
        }
    }
    out
}

/// `chars` as the inside of a GLOB bracket expression: `]` first, `-` last, the rest as is.
fn glob_set(chars: &str) -> String {
    let mut out = String::new();
    if chars.contains(']') {
        out.push(']');
    }
    out.extend(chars.chars().filter(|&c| c != ']' && c != '-' && c != '^'));
    if chars.contains('^') {
        out.push('^');
    }
    if chars.contains('-') {
        out.push('-');
    }
    out.replace('\'', "''")
}

/// `chars` as the inside of a regex bracket expression, every punctuation character escaped.
fn regex_set(chars: &str) -> String {
    let mut out = String::new();
    for c in chars.chars() {
        if !c.is_ascii_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_what_str_trim_removes() {
        let all: String = WHITE_SPACE.iter().filter_map(|&c| char::from_u32(c)).collect();
        assert_eq!(all.trim(), "");
        let others = (0..0x3100u32).filter_map(char::from_u32).filter(|c| c.is_whitespace()).count();
        assert_eq!(others, WHITE_SPACE.len());
    }

    #[test]
    fn quoting() {
        assert_eq!(Dialect::Postgres.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::Spark.ident("Lead Source"), "`Lead Source`");
        assert_eq!(Dialect::Sqlite.text("it's"), "'it''s'");
        assert_eq!(Dialect::DuckDb.table("crm.leads"), "\"crm\".\"leads\"");
        assert_eq!(glob_set("a-z]^"), "]az^-");
        assert_eq!(Dialect::Sqlite.number(10000.0), "10000.0");
        assert_eq!(Dialect::Postgres.number(2.5), "CAST('2.5' AS double precision)");
    }
}
