//! `leadspec funnel`: how many input records sit in each stage and with each owner, how
//! many had a validation error in each field, and, with `--by FIELD`, the stages per value
//! of a field (a lead source, a campaign); with `--compare OTHER.toml`, side by side with
//! another definition by shared word.
//!
//! `--json` prints one object, `{"total":N,"unclassified":N,"unreadable":N,"stages":{..},
//! "owners":{..},"errors":{..}}` (every stage and team of the definition, zeros included, in
//! the order written; `errors` lists the fields with any error, in field order), plus
//! `"by":{"field":..,"groups":[..]}` with `--by`, and `"shared":{"<word>":[N_this,
//! N_other],..}` and `"other":{"name":..,"unclassified":N}` with `--compare`. Without it,
//! tables, each stage with its share of the records. Exit statuses as `classify`: 3 when some
//! records could not be read (they are counted in `total` and `unreadable`, and each is
//! named on standard error); 2 for a `--by` field the definition lacks.

use std::fmt::Write as _;
use std::io::Write;

use chrono::{DateTime, Utc};
use leadspec::read::Unreadable;
use leadspec::{Definition, FieldIndex, Funnel, FunnelGroup, SeenKeys};

use super::args::FunnelArgs;
use super::input::{self, Input, Item, Reader, Row};
use super::jobs::{self, unreadable_line, Unread};
use super::output;
use super::progress::Progress;
use super::{load_definition, load_definition_file, Failure, Outcome, EXIT_OK, EXIT_UNREADABLE};

/// The field `--by` names: a field id, or a field's column. Unknown: a usage error with a
/// did-you-mean hint.
fn by_field(definition: &Definition, name: &str) -> Result<FieldIndex, Failure> {
    definition.field_position(name).or_else(|| definition.column_position(name)).ok_or_else(|| {
        let hint = match definition.similar_field(name) {
            Some(best) => format!(" (did you mean `{}`?)", best.id),
            None => String::new(),
        };
        Failure::usage(format!("no field `{name}` in `{}` to group by{hint}", definition.name()))
    })
}

/// Counts the records; see the module documentation.
pub(crate) fn run(args: &FunnelArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let other = args.compare.as_deref().map(load_definition_file).transpose()?;
    let by = args.by.as_deref().map(|name| by_field(&definition, name)).transpose()?;
    let now = args.now.get();
    let mut records = input::open(&args.input)?;
    let reader = Reader::new(&definition, &records);
    reader.warn_after_header();
    let other_reader = other.as_ref().map(|o| Reader::new(o, &records));
    let funnel = match by {
        Some(field) => Funnel::grouped_by(&definition, field).unwrap_or_else(|| Funnel::new(&definition)),
        None => Funnel::new(&definition),
    };
    let other_funnel = other.as_ref().map(Funnel::new);
    let mut counter =
        Counter { definition: &definition, other: other.as_ref(), now, reader, other_reader, funnel, other_funnel };
    // The table is written at the end: the indicator may share a terminal with it.
    let mut progress = Progress::on_stderr("records", false);
    match args.jobs.get() {
        1 => {
            let mut number = 0;
            while let Some(item) = records.next_row() {
                number += 1;
                progress.tick();
                if let Some(error) = counter.item(item?)? {
                    progress.clear();
                    let _ = std::io::stderr().lock().write_all(unreadable_line(number, &error).as_bytes());
                }
            }
        }
        jobs => on_threads(&mut counter, jobs, &mut records, &mut progress)?,
    }
    let Counter { reader, funnel, other_funnel, .. } = counter;
    progress.finish();
    reader.warn_at_end();
    if funnel.overflowed() {
        let field = by.and_then(|f| definition.field_at(f)).map_or("", |f| f.id.as_str());
        return Err(Failure::usage(format!(
            "`{field}` has more than {} distinct values; group by a field with fewer",
            leadspec::MAX_GROUPS
        )));
    }
    let mut out = output::stdout();
    if args.json {
        match &other_funnel {
            Some(other) => output::json_line(&mut out, &funnel.side_by_side(other))?,
            None => output::json_line(&mut out, &funnel)?,
        }
    } else {
        let errors: Vec<(&str, usize)> = definition
            .fields()
            .iter()
            .zip(funnel.error_counts())
            .filter(|(_, &n)| n > 0)
            .map(|(f, &n)| (f.id.as_str(), n))
            .collect();
        let shared: Option<Vec<(&str, [usize; 2])>> = other_funnel
            .as_ref()
            .map(|o| funnel.compare(o).into_iter().map(|(w, (a, b))| (w.name(), [a, b])).collect());
        let text = table(
            &definition,
            &funnel,
            &errors,
            &funnel.groups(),
            other.as_ref().zip(other_funnel.as_ref()),
            shared.as_deref(),
        );
        out.write_all(text.as_bytes())?;
    }
    out.flush()?;
    Ok(if funnel.unreadable() > 0 { EXIT_UNREADABLE } else { EXIT_OK })
}

/// The message for record `number`, which could not be read, as one line.
/// One thread's readers and funnels, counting records one at a time.
#[derive(Clone)]
struct Counter<'a> {
    definition: &'a Definition,
    /// The definition of `--compare`.
    other: Option<&'a Definition>,
    now: DateTime<Utc>,
    reader: Reader<'a>,
    other_reader: Option<Reader<'a>>,
    funnel: Funnel<'a>,
    other_funnel: Option<Funnel<'a>>,
}

impl Counter<'_> {
    /// Counts one item of the input; why it could not be read, if it could not.
    fn item(&mut self, item: Item<Row<'_>>) -> Result<Option<Unreadable>, Failure> {
        let read = match item {
            Item::Record(row) => match self.reader.prepare(&row) {
                Ok(p) => {
                    self.funnel.add_record(p, self.definition.stage_of(p, self.now)?)?;
                    Ok(row)
                }
                Err(error) => Err(error),
            },
            Item::Unreadable(error) => Err(error),
        };
        match read {
            Ok(row) => {
                if let (Some(other), Some(r), Some(f)) = (self.other, &mut self.other_reader, &mut self.other_funnel) {
                    // A row the first definition read is read by the other too.
                    match r.prepare(&row) {
                        Ok(p) => f.add_record(p, other.stage_of(p, self.now)?)?,
                        Err(_) => f.add_unreadable(),
                    }
                }
                Ok(None)
            }
            Err(error) => {
                self.funnel.add_unreadable();
                if let Some(f) = &mut self.other_funnel {
                    f.add_unreadable();
                }
                Ok(Some(error))
            }
        }
    }
}

/// What a worker made of one chunk.
#[derive(Default)]
struct Done<'d> {
    /// The chunk's counts.
    funnel: Option<Funnel<'d>>,
    other_funnel: Option<Funnel<'d>>,
    /// The messages of the records that could not be read, and what stopped the chunk.
    unread: Unread,
    /// The JSON keys its records held.
    seen: Option<SeenKeys<'d>>,
}

/// Counts the records on `jobs` threads, each chunk's counts merged into `counter`'s in
/// input order, and its messages written.
fn on_threads<'a>(
    counter: &mut Counter<'a>,
    jobs: usize,
    records: &mut Input,
    progress: &mut Progress<std::io::Stderr>,
) -> Result<(), Failure> {
    // Nothing is counted yet: each worker starts as a copy, and each chunk from its empty funnels.
    let empty = counter.clone();
    let fork = || Counter {
        reader: empty.reader.fork(),
        other_reader: empty.other_reader.as_ref().map(Reader::fork),
        ..empty.clone()
    };
    jobs::run(
        records,
        jobs,
        fork,
        |worker, chunk| {
            let done: &mut Done<'a> = &mut chunk.done;
            done.unread.each(&chunk.rows, chunk.first, |_, item| worker.item(item));
            done.funnel = Some(std::mem::replace(&mut worker.funnel, empty.funnel.clone()));
            done.other_funnel = std::mem::replace(&mut worker.other_funnel, empty.other_funnel.clone());
            done.seen = Some(worker.reader.take_seen());
        },
        |chunk| {
            let done = &mut chunk.done;
            if let Some(funnel) = &done.funnel {
                counter.funnel.merge(funnel);
            }
            if let (Some(mine), Some(theirs)) = (&mut counter.other_funnel, &done.other_funnel) {
                mine.merge(theirs);
            }
            if let Some(seen) = &done.seen {
                counter.reader.merge_seen(seen);
            }
            done.unread.emit(chunk.rows.len(), progress)
        },
    )
}

/// `n` as a share of `total`, one decimal: `12.5%`.
fn share(n: usize, total: usize) -> String {
    if total == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", n as f64 * 100.0 / total as f64)
    }
}

/// The funnel as text tables.
fn table(
    definition: &Definition,
    funnel: &Funnel<'_>,
    errors: &[(&str, usize)],
    groups: &[FunnelGroup],
    other: Option<(&Definition, &Funnel<'_>)>,
    shared: Option<&[(&str, [usize; 2])]>,
) -> String {
    let mut text = String::new();
    let _ = write!(text, "{}", definition.name());
    if let Some(version) = definition.version() {
        let _ = write!(text, " (version {version})");
    }
    let total = funnel.total();
    let classified = total - funnel.unclassified() - funnel.unreadable();
    let _ = writeln!(
        text,
        ": {total} records, {classified} classified, {} unclassified, {} unreadable\n",
        funnel.unclassified(),
        funnel.unreadable()
    );
    let mut rows = vec![vec!["stage".to_string(), "owner".to_string(), "leads".to_string(), "share".to_string()]];
    for (stage, &n) in definition.stages().iter().zip(funnel.stage_counts()) {
        rows.push(vec![
            stage.id().to_string(),
            definition.owner_of(stage).map_or_else(String::new, |t| t.name.clone()),
            n.to_string(),
            share(n, total),
        ]);
    }
    rows.push(vec![
        "(unclassified)".to_string(),
        String::new(),
        funnel.unclassified().to_string(),
        share(funnel.unclassified(), total),
    ]);
    if funnel.unreadable() > 0 {
        rows.push(vec![
            "(unreadable)".to_string(),
            String::new(),
            funnel.unreadable().to_string(),
            share(funnel.unreadable(), total),
        ]);
    }
    columns(&mut text, &rows, &[false, false, true, true]);
    text.push('\n');
    let mut rows = vec![vec!["owner".to_string(), "leads".to_string(), "share".to_string()]];
    for (team, &n) in definition.teams().iter().zip(funnel.owner_counts()) {
        rows.push(vec![format!("{} ({})", team.name, team.id), n.to_string(), share(n, total)]);
    }
    columns(&mut text, &rows, &[false, true, true]);
    if errors.is_empty() {
        let _ = writeln!(text, "\nValidation errors: none");
    } else {
        let _ = writeln!(text, "\nRecords with a validation error, by field:\n");
        let mut rows = vec![vec!["field".to_string(), "records".to_string(), "share".to_string()]];
        for (field, n) in errors {
            rows.push(vec![field.to_string(), n.to_string(), share(*n, total)]);
        }
        columns(&mut text, &rows, &[false, true, true]);
    }
    if let Some(field) = funnel.grouped_field().and_then(|f| definition.field_at(f)) {
        let _ = writeln!(text, "\nBy {}:\n", field.id);
        let mut header = vec![field.id.clone(), "leads".to_string(), "share".to_string()];
        header.extend(definition.stages().iter().map(|s| s.id().to_string()));
        header.push("(unclassified)".to_string());
        let mut rows = vec![header];
        for g in groups {
            let mut row = vec![
                g.value.clone().unwrap_or_else(|| "(none)".to_string()),
                g.total.to_string(),
                share(g.total, total),
            ];
            row.extend(g.stages.iter().map(ToString::to_string));
            row.push(g.unclassified.to_string());
            rows.push(row);
        }
        let mut numeric = vec![false];
        numeric.resize(rows[0].len(), true);
        columns(&mut text, &rows, &numeric);
    }
    if let (Some((other, other_funnel)), Some(shared)) = (other, shared) {
        let _ = writeln!(text, "\nBy shared word: {} / {}\n", definition.name(), other.name());
        let stages_of = |d: &Definition, word: &str| -> String {
            let ids: Vec<&str> = d
                .stages()
                .iter()
                .filter(|s| s.shared_word().is_some_and(|w| w.name() == word))
                .map(|s| s.id())
                .collect();
            if ids.is_empty() {
                "-".to_string()
            } else {
                ids.join(", ")
            }
        };
        let mut rows = vec![vec![
            "shared word".to_string(),
            "this stage".to_string(),
            "leads".to_string(),
            "other stage".to_string(),
            "leads".to_string(),
        ]];
        for (word, [a, b]) in shared {
            rows.push(vec![
                word.to_string(),
                stages_of(definition, word),
                a.to_string(),
                stages_of(other, word),
                b.to_string(),
            ]);
        }
        rows.push(vec![
            "(unclassified)".to_string(),
            String::new(),
            funnel.unclassified().to_string(),
            String::new(),
            other_funnel.unclassified().to_string(),
        ]);
        columns(&mut text, &rows, &[false, false, true, false, true]);
    }
    text
}

/// Writes rows of cells as aligned columns; the columns marked `numeric` are right-aligned.
fn columns(text: &mut String, rows: &[Vec<String>], numeric: &[bool]) {
    let widths: Vec<usize> = (0..numeric.len())
        .map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| c.chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            if numeric[i] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        let _ = writeln!(text, "  {}", line.trim_end());
    }
}
