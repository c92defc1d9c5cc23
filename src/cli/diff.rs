//! `leadspec diff OLD.toml NEW.toml [LEADS]`: what changed between two versions of a
//! definition and, with LEADS, what the change does to those leads.
//!
//! Without LEADS: every change, named by stage, field, criterion, transition, scoring rule
//! and example, with the old and new value of each key (rules as written). With LEADS (any
//! input `classify` reads, streamed): every record classified with both versions, and the
//! old-stage by new-stage matrix, how many changed owner or qualification, up to three
//! sample records per moved pair. `--json` prints one object (with LEADS exactly
//! `{"records","moved","matrix","owner_changes","qualified_changes","samples"}`; without,
//! `{"changes":[...]}`), `--markdown` tables fit for a review comment, and the default a
//! readable text. The columns of LEADS are checked against NEW, as `classify` checks them.
//! Exit status 0; 1 either definition invalid; 2 usage or I/O; 3 some records unreadable.

use std::fmt::Write as _;
use std::io::Write;

use chrono::{DateTime, Utc};
use leadspec::read::Unreadable;
use leadspec::{ChangeKind, Definition, DefinitionDiff, Impact, Sample, SeenKeys};
use serde_json::{json, Value};

use super::args::DiffArgs;
use super::input::{self, Input, Item, Reader, Row};
use super::jobs::{self, unreadable_line, Unread};
use super::output;
use super::progress::Progress;
use super::{load_definition_file, Failure, Outcome, EXIT_OK, EXIT_UNREADABLE};

/// Compares the definitions; see the module documentation.
pub(crate) fn run(args: &DiffArgs) -> Outcome {
    let old = load_definition_file(&args.old)?;
    let new = load_definition_file(&args.new)?;
    let diff = old.diff(&new);
    let mut out = output::stdout();
    let Some(leads) = &args.leads else {
        let text = if args.json {
            serde_json::to_string(&changes_json(&diff)).unwrap_or_default() + "\n"
        } else if args.markdown {
            changes_markdown(&diff)
        } else if diff.is_empty() {
            "no change\n".to_string()
        } else {
            diff.to_string()
        };
        out.write_all(text.as_bytes())?;
        out.flush()?;
        return Ok(EXIT_OK);
    };
    let now = args.now.get();
    let input_args =
        super::args::InputArgs { format: args.format, delimiter: args.delimiter, input: Some(leads.clone()) };
    let mut records = input::open(&input_args)?;
    let new_reader = Reader::new(&new, &records);
    new_reader.warn_after_header();
    let old_reader = Reader::new(&old, &records);
    let mut comparer =
        Comparer { old: &old, new: &new, now, new_reader, old_reader, impact: Impact::new(&old, &new), unreadable: 0 };
    let mut progress = Progress::on_stderr("records", false);
    match args.jobs.get() {
        1 => {
            let mut number = 0usize;
            while let Some(item) = records.next_row() {
                number += 1;
                progress.tick();
                if let Some(error) = comparer.item(number, item?)? {
                    progress.clear();
                    let _ = std::io::stderr().lock().write_all(unreadable_line(number, &error).as_bytes());
                }
            }
        }
        jobs => on_threads(&mut comparer, jobs, &mut records, &mut progress)?,
    }
    let Comparer { new_reader, impact, unreadable, .. } = comparer;
    progress.finish();
    new_reader.warn_at_end();
    let text = if args.json {
        impact_json(&impact) + "\n"
    } else if args.markdown {
        changes_markdown(&diff) + "\n" + &impact_markdown(&impact)
    } else {
        let changes = if diff.is_empty() { "no change\n".to_string() } else { diff.to_string() };
        changes + "\n" + &impact_text(&impact)
    };
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(if unreadable > 0 { EXIT_UNREADABLE } else { EXIT_OK })
}

/// The message for record `number`, which could not be read, as one line.
/// One thread's readers and impact, classifying records with both versions one at a time.
#[derive(Clone)]
struct Comparer<'a> {
    old: &'a Definition,
    new: &'a Definition,
    now: DateTime<Utc>,
    new_reader: Reader<'a>,
    old_reader: Reader<'a>,
    impact: Impact<'a>,
    /// Records that could not be read.
    unreadable: usize,
}

impl Comparer<'_> {
    /// Counts record number `number`; why it could not be read, if it could not.
    fn item(&mut self, number: usize, item: Item<Row<'_>>) -> Result<Option<Unreadable>, Failure> {
        let read = match item {
            Item::Record(row) => self.new_reader.prepare(&row).map(|prepared| (row, prepared)),
            Item::Unreadable(error) => Err(error),
        };
        let (row, after) = match read {
            Ok((row, prepared)) => (row, self.new.classify_prepared(prepared, self.now)?),
            Err(error) => {
                self.unreadable += 1;
                return Ok(Some(error));
            }
        };
        if let Ok(prepared) = self.old_reader.prepare(&row) {
            let before = self.old.classify_prepared(prepared, self.now)?;
            self.impact.add(number, &before, &after);
        }
        Ok(None)
    }
}

/// What a worker made of one chunk.
#[derive(Default)]
struct Done<'d> {
    /// The chunk's impact.
    impact: Option<Impact<'d>>,
    unreadable: usize,
    /// The messages of the records that could not be read, and what stopped the chunk.
    unread: Unread,
    /// The JSON keys its records held, for the new version.
    seen: Option<SeenKeys<'d>>,
}

/// Compares the records on `jobs` threads, each chunk's impact merged into `comparer`'s in
/// input order, and its messages written.
fn on_threads<'a>(
    comparer: &mut Comparer<'a>,
    jobs: usize,
    records: &mut Input,
    progress: &mut Progress<std::io::Stderr>,
) -> Result<(), Failure> {
    // Nothing is counted yet: each worker starts as a copy, and each chunk from its empty impact.
    let empty = comparer.clone();
    let fork =
        || Comparer { new_reader: empty.new_reader.fork(), old_reader: empty.old_reader.fork(), ..empty.clone() };
    jobs::run(
        records,
        jobs,
        fork,
        |worker, chunk| {
            let done: &mut Done<'a> = &mut chunk.done;
            done.unread.each(&chunk.rows, chunk.first, |number, item| worker.item(number, item));
            done.impact = Some(std::mem::replace(&mut worker.impact, empty.impact.clone()));
            done.unreadable = std::mem::take(&mut worker.unreadable);
            done.seen = Some(worker.new_reader.take_seen());
        },
        |chunk| {
            let done = &mut chunk.done;
            if let Some(impact) = &done.impact {
                comparer.impact.merge(impact);
            }
            comparer.unreadable += done.unreadable;
            if let Some(seen) = &done.seen {
                comparer.new_reader.merge_seen(seen);
            }
            done.unread.emit(chunk.rows.len(), progress)
        },
    )
}

fn kind_word(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
}

/// `{"changes":[{"part","name","change","keys":[{"key","old","new"}]}]}`.
fn changes_json(diff: &DefinitionDiff) -> Value {
    let changes: Vec<Value> = diff
        .changes()
        .iter()
        .map(|c| {
            let keys: Vec<Value> = c.keys.iter().map(|k| json!({"key": k.key, "old": k.old, "new": k.new})).collect();
            json!({"part": c.part.word(), "name": c.name, "change": kind_word(c.kind), "keys": keys})
        })
        .collect();
    json!({ "changes": changes })
}

/// A JSON object whose keys keep the order given (serde_json's own map sorts them).
struct Ordered<'a, V>(&'a [(&'a str, V)]);

impl<V: serde::Serialize> serde::Serialize for Ordered<'_, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (*k, v)))
    }
}

/// The impact as the format's JSON object, keys in the documented order.
fn impact_json(impact: &Impact<'_>) -> String {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        records: usize,
        moved: usize,
        matrix: Ordered<'a, Ordered<'a, usize>>,
        owner_changes: usize,
        qualified_changes: usize,
        samples: Vec<SampleLine<'a>>,
    }
    #[derive(serde::Serialize)]
    struct SampleLine<'a> {
        record: usize,
        id: Option<&'a leadspec::RecordId>,
        from: Option<&'a str>,
        to: Option<&'a str>,
    }
    let mut rows: Vec<(&str, Vec<(&str, usize)>)> = Vec::new();
    for (from, to, n) in impact.matrix() {
        let (from, to) = (from.unwrap_or("null"), to.unwrap_or("null"));
        match rows.iter_mut().find(|(f, _)| *f == from) {
            Some((_, row)) => row.push((to, n)),
            None => rows.push((from, vec![(to, n)])),
        }
    }
    let rows: Vec<(&str, Ordered<'_, usize>)> = rows.iter().map(|(from, row)| (*from, Ordered(row))).collect();
    let report = Report {
        records: impact.records(),
        moved: impact.moved(),
        matrix: Ordered(&rows),
        owner_changes: impact.owner_changes(),
        qualified_changes: impact.qualified_changes(),
        samples: impact
            .samples()
            .iter()
            .map(|s| SampleLine { record: s.record, id: s.id.as_ref(), from: s.from.as_deref(), to: s.to.as_deref() })
            .collect(),
    };
    serde_json::to_string(&report).unwrap_or_default()
}

/// The changes as a markdown table.
fn changes_markdown(diff: &DefinitionDiff) -> String {
    let mut text = String::from("### Changes\n\n");
    if diff.is_empty() {
        text.push_str("No change.\n");
        return text;
    }
    text.push_str("| part | name | change | key | old | new |\n| --- | --- | --- | --- | --- | --- |\n");
    let cell = |v: &Option<String>| v.as_deref().map_or(String::new(), |v| format!("`{}`", v.replace('|', "\\|")));
    for c in diff.changes() {
        for (i, k) in c.keys.iter().enumerate() {
            let (part, name, change) =
                if i == 0 { (c.part.word(), c.name.as_str(), kind_word(c.kind)) } else { ("", "", "") };
            let _ =
                writeln!(text, "| {part} | `{name}` | {change} | {} | {} | {} |", k.key, cell(&k.old), cell(&k.new));
        }
        if c.keys.is_empty() {
            let _ = writeln!(text, "| {} | `{}` | {} | | | |", c.part.word(), c.name, kind_word(c.kind));
        }
    }
    text
}

/// The impact as markdown: a summary, the moves and their samples.
fn impact_markdown(impact: &Impact<'_>) -> String {
    let mut text = String::from("### Impact\n\n");
    let _ = writeln!(
        text,
        "{} records: {} move, {} change owner, {} change qualification.\n",
        impact.records(),
        impact.moved(),
        impact.owner_changes(),
        impact.qualified_changes()
    );
    text.push_str("| old stage | new stage | records |\n| --- | --- | ---: |\n");
    for (from, to, n) in impact.matrix() {
        let mark = if from == to { "" } else { " **moved**" };
        let _ =
            writeln!(text, "| {} | {}{mark} | {n} |", from.unwrap_or("(unclassified)"), to.unwrap_or("(unclassified)"));
    }
    if !impact.samples().is_empty() {
        text.push_str("\nSamples:\n\n");
        for s in impact.samples() {
            let _ = writeln!(text, "- {}", sample(s));
        }
    }
    text
}

/// One sample record that moves: its number, its id and its old and new stage.
fn sample(s: &Sample) -> String {
    format!(
        "record {} ({}): {} -> {}",
        s.record,
        super::output::id_text(s.id.as_ref()),
        s.from.as_deref().unwrap_or("(unclassified)"),
        s.to.as_deref().unwrap_or("(unclassified)")
    )
}

/// The impact as text: a summary line and the matrix's non-zero cells, aligned.
fn impact_text(impact: &Impact<'_>) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Impact on {} records: {} move, {} change owner, {} change qualification\n",
        impact.records(),
        impact.moved(),
        impact.owner_changes(),
        impact.qualified_changes(),
    );
    let mut rows = vec![["old stage".to_string(), "new stage".to_string(), "records".to_string(), String::new()]];
    for (from, to, n) in impact.matrix() {
        rows.push([
            from.unwrap_or("(unclassified)").to_string(),
            to.unwrap_or("(unclassified)").to_string(),
            n.to_string(),
            if from == to { String::new() } else { "moved".to_string() },
        ]);
    }
    let widths: Vec<usize> = (0..4).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    for row in &rows {
        let line = format!(
            "  {:<w0$}  {:<w1$}  {:>w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        let _ = writeln!(text, "{}", line.trim_end());
    }
    if !impact.samples().is_empty() {
        text.push_str("\nSamples of the records that move:\n");
        for s in impact.samples() {
            let _ = writeln!(text, "  {}", sample(s));
        }
    }
    text
}
