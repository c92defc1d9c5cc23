//! `leadspec funnel`: how many input records sit in each stage and with each owner, and,
//! with `--compare OTHER.toml`, side by side with another definition by shared word.
//!
//! `--json` prints one object, `{"total":N,"unclassified":N,"unreadable":N,"stages":{..},
//! "owners":{..}}` (every stage and team of the definition, zeros included, in the order
//! written), plus `"shared":{"<word>":[N_this, N_other],..}` with `--compare`. Without it, a
//! table. Exit statuses as `classify`: 3 when some records could not be read (they are
//! counted in `total` and `unreadable`, and each is named on standard error).

use std::fmt::Write as _;
use std::io::Write;

use leadspec::{Definition, Funnel};
use serde::Serialize;

use super::args::FunnelArgs;
use super::input::{self, Item, Reader};
use super::output::{self, Ordered};
use super::progress::Progress;
use super::{load_definition, load_definition_file, Outcome, EXIT_OK, EXIT_UNREADABLE};

#[derive(Serialize)]
struct Report<'a> {
    total: usize,
    unclassified: usize,
    unreadable: usize,
    stages: Ordered<'a, usize>,
    owners: Ordered<'a, usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shared: Option<Ordered<'a, [usize; 2]>>,
}

/// Counts the records; see the module documentation.
pub(crate) fn run(args: &FunnelArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let other = args.compare.as_deref().map(load_definition_file).transpose()?;
    let now = args.now.get();
    let mut records = input::open(&args.input)?;
    let mut reader = Reader::new(&definition, &records);
    reader.warn_after_header();
    let mut other_reader = other.as_ref().map(|o| Reader::new(o, &records));
    let mut funnel = Funnel::new(&definition);
    let mut other_funnel = other.as_ref().map(Funnel::new);
    // The table is written at the end: the indicator may share a terminal with it.
    let mut progress = Progress::on_stderr("records", false);
    let mut number = 0;
    while let Some(item) = records.next_row() {
        number += 1;
        progress.tick();
        let prepared = match item? {
            Item::Record(row) => reader.prepare(&row).map(|p| (definition.stage_of(p, now), row)),
            Item::Unreadable(error) => Err(error),
        };
        match prepared {
            Ok((stage, row)) => {
                funnel.add_stage(stage);
                if let (Some(other), Some(r), Some(f)) = (&other, &mut other_reader, &mut other_funnel) {
                    // A row the first definition read is read by the other too.
                    f.add_stage(r.prepare(&row).ok().and_then(|p| other.stage_of(p, now)));
                }
            }
            Err(error) => {
                progress.clear();
                let _ = writeln!(std::io::stderr().lock(), "leadspec: record {number} could not be read: {error}");
                funnel.add_unreadable();
                if let Some(f) = &mut other_funnel {
                    f.add_unreadable();
                }
            }
        }
    }
    progress.finish();
    reader.warn_at_end();
    let stages: Vec<(&str, usize)> =
        definition.stages().iter().zip(funnel.stage_counts()).map(|(s, &n)| (s.id(), n)).collect();
    let owners: Vec<(&str, usize)> =
        definition.teams().iter().zip(funnel.owner_counts()).map(|(t, &n)| (t.id.as_str(), n)).collect();
    let shared: Option<Vec<(&str, [usize; 2])>> =
        other_funnel.as_ref().map(|o| funnel.compare(o).into_iter().map(|(w, (a, b))| (w.name(), [a, b])).collect());
    let mut out = output::stdout();
    if args.json {
        let report = Report {
            total: funnel.total(),
            unclassified: funnel.unclassified(),
            unreadable: funnel.unreadable(),
            stages: Ordered(&stages),
            owners: Ordered(&owners),
            shared: shared.as_deref().map(Ordered),
        };
        output::json_line(&mut out, &report)?;
    } else {
        let text = table(&definition, &funnel, other.as_ref(), shared.as_deref());
        out.write_all(text.as_bytes())?;
    }
    out.flush()?;
    Ok(if funnel.unreadable() > 0 { EXIT_UNREADABLE } else { EXIT_OK })
}

/// The funnel as text tables.
fn table(
    definition: &Definition,
    funnel: &Funnel<'_>,
    other: Option<&Definition>,
    shared: Option<&[(&str, [usize; 2])]>,
) -> String {
    let mut text = String::new();
    let _ = write!(text, "{}", definition.name());
    if let Some(version) = definition.version() {
        let _ = write!(text, " (version {version})");
    }
    let classified = funnel.total() - funnel.unclassified() - funnel.unreadable();
    let _ = writeln!(
        text,
        ": {} records, {classified} classified, {} unclassified, {} unreadable\n",
        funnel.total(),
        funnel.unclassified(),
        funnel.unreadable()
    );
    let mut rows = vec![vec!["stage".to_string(), "owner".to_string(), "leads".to_string()]];
    for (stage, &n) in definition.stages().iter().zip(funnel.stage_counts()) {
        rows.push(vec![stage.id().to_string(), definition.owner_of(stage).name.clone(), n.to_string()]);
    }
    rows.push(vec!["(unclassified)".to_string(), String::new(), funnel.unclassified().to_string()]);
    if funnel.unreadable() > 0 {
        rows.push(vec!["(unreadable)".to_string(), String::new(), funnel.unreadable().to_string()]);
    }
    columns(&mut text, &rows, &[false, false, true]);
    text.push('\n');
    let mut rows = vec![vec!["owner".to_string(), "leads".to_string()]];
    for (team, &n) in definition.teams().iter().zip(funnel.owner_counts()) {
        rows.push(vec![format!("{} ({})", team.name, team.id), n.to_string()]);
    }
    columns(&mut text, &rows, &[false, true]);
    if let (Some(other), Some(shared)) = (other, shared) {
        let _ = writeln!(text, "\nBy shared word: {} / {}\n", definition.name(), other.name());
        let stages_of = |d: &Definition, word: &str| -> String {
            let ids: Vec<&str> =
                d.stages().iter().filter(|s| s.canonical().is_some_and(|w| w.name() == word)).map(|s| s.id()).collect();
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
