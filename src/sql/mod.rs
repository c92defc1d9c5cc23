//! The definition in SQL (feature `sql`): [`Definition::to_sql`] compiles a definition into
//! one `SELECT` that classifies the rows of a table of text columns exactly as
//! `leadspec classify` classifies the same cells read as CSV.
//!
//! # How the query reads a table
//!
//! The query reads the table's columns by name, as text, through a `NATURAL LEFT JOIN`
//! with a one-row table of nulls holding every column it reads: a column the table has is
//! read from the table, one it lacks is null (missing) in every row. Cells are then read
//! field by field as section 7 and section 14 say: trimmed of the white space `str::trim`
//! removes, placeholders compared ignoring case, numbers, booleans, dates, e-mail
//! addresses, URLs, enum values and lists each by their rules. Criteria, the
//! qualification, the score and the stage follow, each a column of its own, and the last
//! `SELECT` names the result's columns.
//!
//! ```
//! use leadspec::{Dialect, SqlOptions};
//! let d = leadspec::default_definition();
//! let now = leadspec::parse_reference_time("2026-11-22").unwrap();
//! let sql = d.to_sql(Dialect::Postgres, &SqlOptions::new().now(now)).unwrap();
//! assert!(sql.starts_with("WITH "));
//! assert!(sql.contains("AS \"criteria.budget\""));
//! ```
//!
//! What each dialect refuses, and why, is documented on [`Dialect`].

mod cells;
mod dialect;
mod query;
mod regex;
mod rules;

use std::fmt;
use std::ops::Range;

use chrono::{DateTime, Utc};

use crate::Definition;

/// The SQL engine a query is written for.
///
/// # What a dialect refuses
///
/// A construct the engine cannot evaluate exactly as the crate does is refused, at its
/// position, rather than written approximately:
///
/// - `matches` in SQLite (no regular expressions), and in PostgreSQL and DuckDB a pattern
///   with word boundaries, multi-line anchors or repetitions over 255 (RE2 and Tcl's
///   engine read them differently);
/// - `contains`, `starts_with` and `ends_with` against a non-ASCII literal or another field,
///   and placeholders or boolean words beyond ASCII (the engines lowercase text by tables
///   of their own; the query lowercases ASCII only, which against ASCII is exact);
/// - date `formats` patterns with specifiers other than `%Y`, `%m`, `%d`, `%e`, `%H`, `%M`,
///   `%S`, `%b`, `%B`, `%z` (and those made of them, `%F`, `%T`, `%R`), such as `%y`, `%p`
///   or `%j`;
/// - in Spark, a regex with word boundaries or multi-line anchors (Java reads `\b` and line
///   ends its own way).
///
/// A named `[input] timezone` is read by the engine's own time zone rules in PostgreSQL and
/// DuckDB (the IANA database, as chrono-tz's; a zone whose rules changed between their
/// versions could differ); SQLite, which has none, gets the zone's offsets from 1800 to
/// 2400 as chrono-tz gives them, as a table in the query.
///
/// URLs are checked as the WHATWG parser reads them for ASCII hosts; a host written with
/// percent escapes, or an IPv4 address with hexadecimal or octal parts, is invalid to the
/// query while the crate's parser accepts it.
///
/// # Other engines
///
/// Spark (`spark`) is Spark SQL 4, tested in local mode: casts are `try_cast` (ANSI mode
/// fails a query on a bad cast), regexes are Java's (`RLIKE`, with `\z` for the end, as
/// Java's `$` also matches before a final line break), characters beyond ASCII are `\u`
/// escapes (its `chr` takes a code modulo 256), lists are split with the separator quoted
/// (`split` takes a regex), calendar months are counted with integers, and a named time
/// zone goes through `convert_timezone` (Java's rules: a skipped time takes the offset
/// before the change, a repeated one the earlier offset, as chrono). The query nests more
/// steps than Spark's analyzer resolves by default: set `spark.sql.analyzer.maxIterations`
/// to 1000.
///
/// BigQuery and Snowflake are not written: each needs its engine under the same
/// differential test before its queries can be trusted. Their traps, found so far:
/// Snowflake's `REGEXP_LIKE` anchors the whole string (a search needs `.*` around the
/// pattern) and its `DATEADD(month, ..)` clamps as we do; BigQuery's `REGEXP_CONTAINS` is
/// RE2 (as DuckDB's) and its `DATE_ADD(.., INTERVAL n MONTH)` also clamps, while its
/// `SAFE_CAST` accepts forms of numbers that ours do not (hence the shape checks).
///
/// ```
/// use leadspec::Dialect;
/// assert_eq!("duckdb".parse::<Dialect>(), Ok(Dialect::DuckDb));
/// assert_eq!(Dialect::Postgres.name(), "postgres");
/// assert!("oracle".parse::<Dialect>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// PostgreSQL (12 or later).
    Postgres,
    /// DuckDB.
    DuckDb,
    /// SQLite (3.38 or later), which has no regular expressions.
    Sqlite,
    /// Spark SQL (Spark 4).
    Spark,
}

impl Dialect {
    /// Every dialect, in the order the command line lists them.
    pub const ALL: [Dialect; 4] = [Dialect::Postgres, Dialect::DuckDb, Dialect::Sqlite, Dialect::Spark];

    /// The dialect's name as `leadspec sql --dialect` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::DuckDb => "duckdb",
            Dialect::Sqlite => "sqlite",
            Dialect::Spark => "spark",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Dialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Dialect, String> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| format!("unknown SQL dialect `{s}` (expected postgres, duckdb, sqlite or spark)"))
    }
}

/// What [`Definition::to_sql`] writes besides the rules: the table read and the reference
/// time.
///
/// ```
/// use leadspec::SqlOptions;
/// let now = leadspec::parse_reference_time("2026-11-22").unwrap();
/// let options = SqlOptions::new().table("crm.leads").now(now);
/// assert_eq!(options.table_name(), "crm.leads");
/// assert_eq!(options.reference_time(), Some(now));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlOptions {
    table: String,
    now: Option<DateTime<Utc>>,
}

impl Default for SqlOptions {
    fn default() -> Self {
        SqlOptions { table: "leads".to_string(), now: None }
    }
}

impl SqlOptions {
    /// The table `leads`, and the engine's current time.
    pub fn new() -> SqlOptions {
        SqlOptions::default()
    }
    /// Reads the table or view `name` (dots separate a schema: `crm.leads`).
    #[must_use]
    pub fn table(mut self, name: impl Into<String>) -> SqlOptions {
        self.table = name.into();
        self
    }
    /// Classifies at the reference time `now` instead of the engine's current time.
    #[must_use]
    pub fn now(mut self, now: DateTime<Utc>) -> SqlOptions {
        self.now = Some(now);
        self
    }
    /// The table or view read.
    pub fn table_name(&self) -> &str {
        &self.table
    }
    /// The reference time, when fixed.
    pub fn reference_time(&self) -> Option<DateTime<Utc>> {
        self.now
    }
}

/// Why a definition could not be written in a dialect: a construct the dialect cannot
/// express exactly, at its position in the definition file where known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SqlError {
    /// What cannot be written, naming the dialect.
    pub message: String,
    /// What to do instead, if anything.
    pub hint: Option<String>,
    /// 1-based line and column (in characters) in the definition file, for a construct
    /// inside a rule.
    pub position: Option<(usize, usize)>,
    /// The TOML key where the refused construct is written, for one outside a rule (such
    /// as `["fields", "created", "formats"]` or `["input", "timezone"]`).
    pub key: Option<Vec<String>>,
}

/// A construct a dialect cannot write, with the span (in its rule's text) of the leaf
/// that holds it, when inside a rule.
#[derive(Debug)]
pub(crate) struct Refusal {
    message: String,
    hint: Option<String>,
    span: Option<Range<usize>>,
}

impl Refusal {
    pub(crate) fn new(message: String) -> Refusal {
        Refusal { message, hint: None, span: None }
    }
    pub(crate) fn hint(mut self, hint: &str) -> Refusal {
        self.hint = Some(hint.to_string());
        self
    }
    pub(crate) fn at(mut self, span: Range<usize>) -> Refusal {
        self.span.get_or_insert(span);
        self
    }
}

/// A quoted identifier.
pub(crate) fn ident(d: Dialect, name: &str) -> String {
    d.ident(name)
}

/// `x` lowercased as Rust lowercases text, as far as a comparison with ASCII text can
/// tell: ASCII letters, the Kelvin sign (`k`) and `İ` (`i` and a combining dot), the only
/// characters beyond ASCII whose lowercase holds ASCII.
pub(crate) fn fold(d: Dialect, x: &str) -> String {
    let ascii = d.ascii_lower(x);
    format!("replace(replace({ascii}, {}, 'k'), {}, 'i' || {})", d.chr(0x212a), d.chr(0x130), d.chr(0x307))
}

impl Definition {
    /// Compiles the definition into one SQL `SELECT` for `dialect` (section 16 of the
    /// format): one row per row of the table, with the columns `id`, `stage`, `owner`,
    /// `qualified`, `criteria.<id>` for each criterion, `score` (with `[scoring]`) and
    /// `invalid`, each equal to what `classify` says of the same cells read as CSV.
    ///
    /// ```
    /// use leadspec::{Dialect, SqlOptions};
    /// let d = leadspec::Definition::from_toml(r#"
    ///     [definition]
    ///     name = "Sites"
    ///     [teams]
    ///     m = "Marketing"
    ///     [fields]
    ///     website = "url"
    ///     [[stages]]
    ///     id = "dev"
    ///     owner = "m"
    ///     when = "website matches '\\.dev$'"
    /// "#)?;
    /// let sql = d.to_sql(Dialect::DuckDb, &SqlOptions::new().table("crm.leads"))?;
    /// assert!(sql.contains("FROM \"crm\".\"leads\""));
    /// // SQLite has no regular expressions: refused at the rule's position.
    /// let refused = d.to_sql(Dialect::Sqlite, &SqlOptions::new()).unwrap_err();
    /// assert!(refused.message.contains("sqlite"));
    /// assert_eq!(refused.position.map(|(line, _)| line), Some(11));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_sql(&self, dialect: Dialect, options: &SqlOptions) -> Result<String, SqlError> {
        query::write(self, dialect, options)
    }
}

#[cfg(test)]
mod tests;
