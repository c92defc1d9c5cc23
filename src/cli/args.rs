//! The command-line arguments, declared with clap's derive API.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Shown after the command list of `leadspec --help`.
const AFTER_HELP: &str = "\
Exit status:
  0  success (check: every definition valid; move: allowed)
  1  a definition is invalid (its errors are printed as `check` prints them);
     for check, also a definition file that cannot be read
  2  usage or I/O error: bad arguments or --now, a file that cannot be read, an unknown stage
  3  some input records or history lines could not be read (all others are still processed)
  4  translate: the stage has no counterpart
  5  move: refused

Records: JSON Lines (one object a line; blank lines skipped), JSON (one object or an array
of objects) or CSV (a header row, then one record a row), by the file's extension or
--format; standard input is JSON Lines unless --format says otherwise. A record that cannot
be read is reported in the output and does not stop the others.

Example (from the repository's root; `leadspec help COMMAND` shows more):
  leadspec check examples/definitions/default.toml
  leadspec classify --now 2026-11-22 examples/leads.jsonl";

/// Shown after `leadspec check --help`.
const CHECK_HELP: &str = "\
Prints each problem as FILE:LINE:COL: error: MESSAGE (or warning:), then the line with a caret
under the offending text, then one summary line per file, all on standard output. Runs the
definition's [[examples]]; --now is the time for those that give none. Exit status 0 when
every file is valid (warnings allowed), 1 otherwise.

--analyze also reasons about the rules at --now: a warning at the `when` of each stage no record
can reach (naming the stages that catch its records first), of each transition guard that is never
true and each criterion never met or never not met; a note where it cannot decide, and a note for
each stage, transition and criterion state no example exercises. --witnesses prints, for each
stage a record can reach, {\"stage\":\"<id>\",\"record\":{...}} on standard output (a record that
`leadspec classify` puts in that stage); the diagnostics then go to standard error.

Example:
  leadspec check examples/definitions/default.toml
  leadspec check --now 2026-11-22 examples/definitions/default.toml examples/definitions/suspect_ladder.toml
  leadspec check --analyze --witnesses --now 2026-11-22 examples/definitions/default.toml";

/// Shown after `leadspec classify --help`.
const CLASSIFY_HELP: &str = "\
Example:
  leadspec classify --definition examples/definitions/default.toml --now 2026-11-22 examples/leads.jsonl
  leadspec classify --now 2026-11-22 examples/leads.csv
  leadspec classify --output csv --definition examples/definitions/crm_export.toml examples/crm_export.csv > back_to_crm.csv
  cat examples/leads.jsonl | leadspec classify --definition acme.toml > classified.jsonl
  leadspec classify --jobs 1 --now 2026-11-22 examples/leads.csv";

/// Shown after `leadspec explain --help`.
const EXPLAIN_HELP: &str = "\
Without --record or --id, INPUT is one record: a JSON object. With them, INPUT is any input
classify reads (JSONL, JSON, CSV; standard input by default), and a number or id that matches
no record exits with status 2.

Example:
  echo '{\"email\":\"ann@example.com\",\"interest\":\"demo\"}' | leadspec explain --now 2026-11-22 -
  leadspec explain --now 2026-11-22 --record 4 examples/leads.jsonl
  leadspec explain --definition examples/definitions/crm_export.toml --id 1004 examples/crm_export.csv";

/// Shown after `leadspec funnel --help`.
const FUNNEL_HELP: &str = "\
Example:
  leadspec funnel --now 2026-11-22 examples/leads.jsonl
  leadspec funnel --by source --now 2026-11-22 examples/leads.jsonl
  leadspec funnel --json --compare examples/definitions/suspect_ladder.toml --now 2026-11-22 examples/leads.csv";

/// Shown after `leadspec glossary --help`.
const GLOSSARY_HELP: &str = "\
Example:
  leadspec glossary examples/definitions/default.toml > GLOSSARY.md
  leadspec glossary --format mermaid examples/definitions/default.toml
  leadspec glossary --format dot examples/definitions/default.toml | dot -Tsvg > lifecycle.svg";

/// Shown after `leadspec translate --help`.
const TRANSLATE_HELP: &str = "\
Prints B's stage id. Exit status 4, with the reason on standard error, when B has no
counterpart; 2 when A has no such stage (with a did-you-mean hint); 1 when a definition is
invalid.

Example:
  leadspec translate --from examples/definitions/default.toml --to examples/definitions/suspect_ladder.toml inquiry";

/// Shown after `leadspec move --help`.
const MOVE_HELP: &str = "\
Prints `allowed` (exit status 0) or `refused: REASON` (exit status 5). When an allowed move
changes the owning team, a note about the handoff goes to standard error. An unknown stage is
a usage error (exit status 2).

Example:
  leadspec move --definition examples/definitions/default.toml --from contact --to inquiry
  leadspec move --now 2026-11-22 --from inquiry --to qualified_lead lead.json";

/// Shown after `leadspec sla --help`.
const SLA_HELP: &str = "\
Prints one JSON line per breach (a stay longer than its stage's sla), ordered by lead id, then
entry time: {\"id\",\"stage\",\"owner\",\"entered\",\"left\",\"limit_seconds\",\"spent_seconds\"};
times are RFC 3339 UTC, and left is null while the lead is still in the stage at --now. With
--summary, one JSON object instead, for each stage with an sla and each team owning one:
{\"stages\":{\"<id>\":{\"stays\":N,\"breaches\":N,\"open_breaches\":N},...},\"owners\":{\"<team>\":{...},...}};
open_breaches are those whose lead is still in the stage at --now.

The history holds one stage change per line, in any order: JSON Lines
{\"id\":\"L1\",\"stage\":\"mql\",\"at\":\"<RFC 3339>\"}, or CSV (a .csv file, or --format csv) under a
header naming id, stage and at in any order; other keys and columns are ignored. A stage is
named by its id, an alias or its display name, in any case. Without a file, standard input
is read. Changes in any order are kept until the end, compactly (20 bytes a change, and each
lead's id once). With --sorted, the history is sorted by lead id (byte order: `LC_ALL=C sort`
sorts JSON Lines that begin with their id) and each lead is replayed as soon as the next
begins, in memory bounded by one lead's history.

Lines that cannot be read (bad JSON, a missing key, an empty id, an unknown stage, a ragged CSV
row) are reported on standard error as FILE:LINE: error: MESSAGE and give exit status 3; the
others are still used. A CSV header without id, stage or at, and with --sorted a lead out of
order, exit with status 2.

Example:
  leadspec sla --now 2026-11-22 examples/history.jsonl
  leadspec sla --summary --now 2026-11-22 examples/history.csv
  leadspec sla --sorted --now 2026-11-22 examples/history.jsonl";

/// Shown after `leadspec waterfall --help`.
const WATERFALL_HELP: &str = "\
Prints one JSON object: {\"leads\":N,\"unreadable\":N,\"steps\":[{\"stage\",\"shared\",\"reached\",
\"converted\"},...]}, one step per stage whose shared word is a funnel word, in funnel order. A
lead has reached a step when its history holds that stage or a later step, so a skipped stage
counts as passed through; converted is how many reached the next step.

The history is read as `sla` reads it (JSON Lines or CSV, standard input without a file, stage
words as ids, aliases or display names); times play no part. Memory grows with the number of
leads, not of changes; with --sorted (sorted by lead id) it holds one lead at a time. Lines
that cannot be read are reported on standard error, counted in unreadable, and give exit
status 3.

Example:
  leadspec waterfall examples/history.jsonl
  leadspec waterfall --definition examples/definitions/default.toml examples/history.csv";

/// Write down what a lead is, then apply it the same way everywhere.
#[derive(Debug, Parser)]
#[command(name = "leadspec", version, about, long_about = None, propagate_version = true, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Load each definition, run its examples, and report every problem with its position.
    Check(CheckArgs),
    /// Classify every input record: one JSON line per record, in input order.
    Classify(ClassifyArgs),
    /// Explain, in plain words, how one record is classified.
    Explain(ExplainArgs),
    /// Count the input records per stage and per owner (and per shared word with --compare).
    Funnel(FunnelArgs),
    /// Print a definition as a training document (markdown) or a diagram (mermaid, dot).
    Glossary(GlossaryArgs),
    /// Print the stage of another definition that stands for a stage of this one.
    Translate(TranslateArgs),
    /// Say whether a lead may move from one stage to another.
    Move(MoveArgs),
    /// Replay a history of stage changes and print every stay longer than its stage's SLA.
    Sla(SlaArgs),
    /// Rewrite definitions in the one canonical layout, keeping every comment.
    Fmt(FmtArgs),
    /// Compare two versions of a definition and, with leads, what the change does to them.
    Diff(DiffArgs),
    /// Replay a history of stage changes into a conversion waterfall (one JSON object).
    Waterfall(WaterfallArgs),
    /// Run the language server for definition files (LSP over standard input and output).
    Lsp(LspArgs),
    /// Print the definition as one SQL query that classifies a table of leads.
    Sql(SqlArgs),
}

/// Parses `--now`: `YYYY-MM-DD` (00:00 UTC) or an RFC 3339 date-time.
fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    leadspec::parse_reference_time(text).map_err(|error| error.to_string())
}

/// The reference time option shared by the commands that evaluate rules.
#[derive(Debug, Args)]
pub(crate) struct NowArg {
    /// Reference time for `today` and `now` in rules: YYYY-MM-DD (00:00 UTC) or RFC 3339
    /// [default: the current time]
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub(crate) now: Option<DateTime<Utc>>,
}

impl NowArg {
    /// The reference time: `--now`, or the current time.
    pub(crate) fn get(&self) -> DateTime<Utc> {
        self.now.unwrap_or_else(Utc::now)
    }
}

/// The definition option: a TOML file, or the embedded default definition.
#[derive(Debug, Args)]
pub(crate) struct DefinitionArg {
    /// The definition file [default: the embedded default definition]
    #[arg(long, short = 'd', value_name = "DEF.toml")]
    pub(crate) definition: Option<PathBuf>,
}

/// How input records are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum InputFormat {
    /// One JSON object per line (blank lines skipped).
    Jsonl,
    /// A header row, then one record per row (also TSV and other delimiters).
    Csv,
    /// One JSON object, or an array of objects.
    Json,
}

/// Parses `--delimiter`: one byte, such as `;` or `|`; `\t` or `tab` for a tab.
fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "\\t" | "tab" | "TAB" => Ok(b'\t'),
        _ if text.len() == 1 => Ok(text.as_bytes()[0]),
        _ => Err(format!("`{text}` is not one character (a delimiter is one byte, such as `;` or `\\t`)")),
    }
}

/// `--jobs N`: how many threads classify the records of a batch command.
#[derive(Debug, Args)]
pub(crate) struct JobsArg {
    /// Threads that read rows and classify them, in chunks of up to 1,024 records, while one
    /// thread reads the input and the output is written in input order: the output is the
    /// same for any N. 1 reads, classifies and writes on one thread [default: the cores
    /// available]
    #[arg(long, value_name = "N", value_parser = parse_jobs)]
    pub(crate) jobs: Option<usize>,
}

impl JobsArg {
    /// The number of threads: `--jobs`, or the cores available (1 when unknown).
    pub(crate) fn get(&self) -> usize {
        self.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get))
    }
}

/// Parses `--jobs`: a whole number from 1 to [`MAX_JOBS`](super::jobs::MAX_JOBS).
fn parse_jobs(text: &str) -> Result<usize, String> {
    let max = super::jobs::MAX_JOBS;
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1 (1 classifies on one thread)".to_string()),
        Ok(n) if n <= max => Ok(n),
        Ok(_) => Err(format!("must be at most {max}")),
        Err(_) => Err(format!("`{text}` is not a number of threads (a whole number from 1 to {max})")),
    }
}

/// Where records come from and how they are written.
#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// Input format [default: by the file's extension (.jsonl, .json, .csv, .tsv); JSONL otherwise and for stdin]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<InputFormat>,
    /// The CSV delimiter, one byte such as `;` or `|` (`\t` or `tab` for a tab); implies
    /// CSV [default: `,`, a tab for .tsv, or `;` or a tab when the header holds no `,` but one of them]
    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    pub(crate) delimiter: Option<u8>,
    /// The records to read; `-` or nothing reads standard input
    #[arg(value_name = "INPUT")]
    pub(crate) input: Option<PathBuf>,
}

/// `leadspec check DEF.toml...`
#[derive(Debug, Args)]
#[command(after_help = CHECK_HELP)]
pub(crate) struct CheckArgs {
    /// The definitions to check
    #[arg(value_name = "DEF.toml", required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// Also reason about the rules: stages no record reaches, guards never true, criteria
    /// never met or never failed, and what the examples leave unexercised
    #[arg(long)]
    pub(crate) analyze: bool,
    /// With --analyze: print a witness record per reachable stage, one JSON line each, on
    /// standard output (the diagnostics then go to standard error)
    #[arg(long, requires = "analyze")]
    pub(crate) witnesses: bool,
    #[command(flatten)]
    pub(crate) now: NowArg,
}

/// How `classify` writes its results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// One JSON object per line.
    Jsonl,
    /// A CSV file with a header, to load stage, owner and score back into a CRM.
    Csv,
}

/// Shown after `leadspec fmt --help`.
const FMT_HELP: &str = "\
Tables in one order, the keys of each table in the format's order, single spaces, one blank
line before each table, every rule printed canonically (single spaces around operators, and/or/not
as words, parentheses only where needed, literals as written); every comment kept. Formatting
changes no meaning, and formatting twice changes nothing.

Example:
  leadspec fmt examples/definitions/*.toml
  leadspec fmt --check examples/definitions/*.toml
  leadspec fmt - < draft.toml > tidy.toml";

/// `leadspec fmt`
#[derive(Debug, Args)]
#[command(after_help = FMT_HELP)]
pub(crate) struct FmtArgs {
    /// Change nothing; name each file not in the canonical layout and exit with 1
    #[arg(long)]
    pub(crate) check: bool,
    /// The definitions to format (`-`: standard input to standard output)
    #[arg(value_name = "DEF.toml", required = true)]
    pub(crate) files: Vec<PathBuf>,
}

/// Shown after `leadspec lsp --help`.
const LSP_HELP: &str = "\
Speaks LSP 3.17 (JSON-RPC with Content-Length headers) on standard input and output, as an
editor starts it; it is not meant to be run by hand. For documents holding a [definition]
table it publishes the diagnostics of `leadspec check` on open and on every change, then
(after 300 ms without changes, for up to 100 stages) the findings of `check --analyze`; shows
what a stage, field, team or criterion id names on hover, goes to its declaration, finds its
references and renames it everywhere; completes keys, names inside rules, enum values and team
and stage ids in values; lists the teams, fields, criteria and stages as document symbols, and
formats as `leadspec fmt`. Positions count UTF-16 code units; documents sync in full or
incrementally. Exit status 0 after the client's shutdown and exit, 1 on an exit without
shutdown or a broken connection.

Example (Neovim):
  vim.lsp.start({ name = 'leadspec', cmd = { 'leadspec', 'lsp' } })";

/// `leadspec lsp`
#[derive(Debug, Args)]
#[command(after_help = LSP_HELP)]
pub(crate) struct LspArgs {}

/// `leadspec sql`.
#[derive(Debug, Args)]
#[command(after_help = SQL_HELP)]
pub(crate) struct SqlArgs {
    #[command(flatten)]
    pub(crate) definition: DefinitionArg,
    /// The SQL engine to write for: postgres, duckdb, sqlite or spark
    #[arg(long, value_name = "DIALECT", value_parser = parse_dialect)]
    pub(crate) dialect: leadspec::Dialect,
    /// The table or view holding the leads, one text column per field (`schema.table` works)
    #[arg(long, value_name = "TABLE", default_value = "leads")]
    pub(crate) table: String,
    /// Fixes the reference time of `today` and `now`: YYYY-MM-DD (00:00 UTC) or RFC 3339
    /// [default: the engine's clock when the query runs]
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub(crate) now: Option<DateTime<Utc>>,
}

/// Parses `--dialect`.
fn parse_dialect(text: &str) -> Result<leadspec::Dialect, String> {
    text.parse()
}

/// Shown after `leadspec sql --help`.
const SQL_HELP: &str = "\
Prints one SELECT statement (no trailing `;`) whose rows are the table's rows classified exactly as
`leadspec classify` classifies the same cells read as CSV: id, stage, owner, qualified, one
criteria.<id> column per criterion, score (with [scoring]) and invalid. A construct the dialect
cannot evaluate exactly is refused with its position (status 1).

  leadspec sql --definition acme.toml --dialect postgres --table crm.leads > lead_stage.sql";

/// Shown after `leadspec diff --help`.
const DIFF_HELP: &str = "\
Without LEADS: every change, by stage, field, criterion, transition, scoring rule and example,
with the old and new value of each key. With LEADS (any input classify reads): every record
classified with both versions; the old-stage by new-stage matrix, owner and qualification
changes, and up to three sample records per move.

Example:
  leadspec diff old.toml examples/definitions/default.toml
  leadspec diff --now 2026-11-22 --markdown old.toml new.toml examples/leads.jsonl > review.md";

/// `leadspec diff`
#[derive(Debug, Args)]
#[command(after_help = DIFF_HELP)]
pub(crate) struct DiffArgs {
    /// The version before the change
    #[arg(value_name = "OLD.toml")]
    pub(crate) old: PathBuf,
    /// The version after the change
    #[arg(value_name = "NEW.toml")]
    pub(crate) new: PathBuf,
    /// Leads to classify with both (any input classify reads; `-` for standard input)
    #[arg(value_name = "LEADS")]
    pub(crate) leads: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) now: NowArg,
    /// Print one JSON object
    #[arg(long, conflicts_with = "markdown")]
    pub(crate) json: bool,
    /// Print markdown tables, for a review comment
    #[arg(long)]
    pub(crate) markdown: bool,
    /// The format of LEADS [default: by the file's extension; JSONL for standard input]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<InputFormat>,
    /// The CSV delimiter of LEADS, one byte (implies CSV)
    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    pub(crate) delimiter: Option<u8>,
    #[command(flatten)]
    pub(crate) jobs: JobsArg,
}

/// `leadspec classify`
#[derive(Debug, Args)]
#[command(after_help = CLASSIFY_HELP)]
pub(crate) struct ClassifyArgs {
    #[command(flatten)]
    pub(crate) definition: DefinitionArg,
    #[command(flatten)]
    pub(crate) now: NowArg,
    /// Output format: JSON lines, or CSV with the columns record, id, stage, owner,
    /// qualified, criteria.<id>..., score (with [scoring]), ask, errors
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "jsonl")]
    pub(crate) output: OutputFormat,
    #[command(flatten)]
    pub(crate) jobs: JobsArg,
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

/// `leadspec explain`
#[derive(Debug, Args)]
#[command(after_help = EXPLAIN_HELP)]
pub(crate) struct ExplainArgs {
    #[command(flatten)]
    pub(crate) definition: DefinitionArg,
    #[command(flatten)]
    pub(crate) now: NowArg,
    /// Explain the record with this 1-based number in INPUT (as `classify` numbers them)
    #[arg(long, value_name = "N", conflicts_with = "id")]
    pub(crate) record: Option<usize>,
    /// Explain the (first) record whose id is ID in INPUT
    #[arg(long, value_name = "ID")]
    pub(crate) id: Option<String>,
    /// With --record or --id: any input `classify` reads [default: standard input];
    /// without: one record, a JSON object (`-` reads standard input)
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

/// `leadspec funnel`
#[derive(Debug, Args)]
#[command(after_help = FUNNEL_HELP)]
pub(crate) struct FunnelArgs {
    #[command(flatten)]
    pub(crate) definition: DefinitionArg,
    /// Also classify every record with this definition and compare by shared word
    #[arg(long, value_name = "OTHER.toml")]
    pub(crate) compare: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) now: NowArg,
    /// Print one JSON object instead of a table
    #[arg(long)]
    pub(crate) json: bool,
    /// Also count, for each value of this field (its id or its column), the records per stage
    #[arg(long, value_name = "FIELD")]
    pub(crate) by: Option<String>,
    #[command(flatten)]
    pub(crate) jobs: JobsArg,
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

/// The glossary's output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum GlossaryFormat {
    /// A document to train people with.
    Markdown,
    /// A Mermaid flowchart of stages, owners and transitions.
    Mermaid,
    /// A Graphviz digraph of stages, owners and transitions.
    Dot,
}

/// `leadspec glossary`
#[derive(Debug, Args)]
#[command(after_help = GLOSSARY_HELP)]
pub(crate) struct GlossaryArgs {
    /// The definition to describe
    #[arg(value_name = "DEF.toml")]
    pub(crate) file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value = "markdown")]
    pub(crate) format: GlossaryFormat,
}

/// `leadspec translate`
#[derive(Debug, Args)]
#[command(after_help = TRANSLATE_HELP)]
pub(crate) struct TranslateArgs {
    /// The definition STAGE belongs to
    #[arg(long, value_name = "A.toml")]
    pub(crate) from: PathBuf,
    /// The definition to translate into
    #[arg(long, value_name = "B.toml")]
    pub(crate) to: PathBuf,
    /// A stage of A: its id (or an alias or display name)
    #[arg(value_name = "STAGE")]
    pub(crate) stage: String,
}

/// `leadspec move`
#[derive(Debug, Args)]
#[command(after_help = MOVE_HELP)]
pub(crate) struct MoveArgs {
    #[command(flatten)]
    pub(crate) definition: DefinitionArg,
    #[command(flatten)]
    pub(crate) now: NowArg,
    /// The stage the lead is in (its id, or an alias or display name)
    #[arg(long, value_name = "STAGE")]
    pub(crate) from: String,
    /// The stage to move it to
    #[arg(long, value_name = "STAGE")]
    pub(crate) to: String,
    /// The lead, a JSON object [default: an empty record]; `-` reads standard input
    #[arg(value_name = "RECORD.json")]
    pub(crate) record: Option<PathBuf>,
}

/// `leadspec sla`
#[derive(Debug, Args)]
#[command(after_help = SLA_HELP)]
pub(crate) struct SlaArgs {
    #[command(flatten)]
    pub(crate) definition: DefinitionArg,
    #[command(flatten)]
    pub(crate) now: NowArg,
    /// Print one JSON object of stays, breaches and open breaches per stage with an SLA and
    /// per team owning one, instead of the breaches
    #[arg(long)]
    pub(crate) summary: bool,
    #[command(flatten)]
    pub(crate) input: super::history::HistoryArgs,
}

/// `leadspec waterfall`
#[derive(Debug, Args)]
#[command(after_help = WATERFALL_HELP)]
pub(crate) struct WaterfallArgs {
    #[command(flatten)]
    pub(crate) definition: DefinitionArg,
    #[command(flatten)]
    pub(crate) input: super::history::HistoryArgs,
}
