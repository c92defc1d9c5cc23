//! `leadspec sla [HISTORY]`: replay stage changes and print every stay longer than its
//! stage's `sla`, one JSON line each, ordered by lead id, then entry time:
//! `{"id":..,"stage":..,"owner":..,"entered":..,"left":..,"limit_seconds":N,"spent_seconds":N}`.
//! With `--summary`, one JSON object instead:
//! `{"stages":{"<id>":{"stays":N,"breaches":N,"open_breaches":N},...},"owners":{"<team>":{...},...}}`,
//! the stages with an `sla` in declared order and the teams owning one in `[teams]` order.
//!
//! Times are RFC 3339 in UTC with a `Z`; `left` is null while the lead is still in the stage
//! at `--now`. The history is read as [`super::history`] describes. Changes in any order are
//! kept compactly until the end; with `--sorted`, each lead's breaches are written as soon
//! as the next lead begins, and a lead out of order stops the command (status 2). Status 3
//! when some lines could not be read (reported on standard error).

use std::io::{self, Write};

use leadspec::history::{Replayer, SlaCounts, SlaSummary};
use leadspec::{format_time, Definition, Stay};
use serde::Serialize;

use super::args::SlaArgs;
use super::{history, load_definition, output, Outcome, EXIT_OK, EXIT_UNREADABLE};

/// One breach, with keys in the contract's order.
#[derive(Serialize)]
struct BreachLine<'a> {
    id: &'a str,
    stage: &'a str,
    owner: &'a str,
    entered: String,
    left: Option<String>,
    limit_seconds: i64,
    spent_seconds: i64,
}

/// The counts of one stage or team, with keys in the contract's order.
#[derive(Serialize)]
struct Counts {
    stays: usize,
    breaches: usize,
    open_breaches: usize,
}

impl From<SlaCounts> for Counts {
    fn from(c: SlaCounts) -> Counts {
        Counts { stays: c.stays, breaches: c.breaches, open_breaches: c.open_breaches }
    }
}

/// The summary, stages and teams in the definition's order.
#[derive(Serialize)]
struct SummaryObject<'a> {
    stages: output::Ordered<'a, Counts>,
    owners: output::Ordered<'a, Counts>,
}

/// Where the stays go: breach lines on standard output, or the summary.
enum Sink<'d, W: Write> {
    Breaches(&'d Definition, W),
    Summary(SlaSummary<'d>),
}

impl<W: Write> Sink<'_, W> {
    fn add(&mut self, stay: &Stay) -> io::Result<()> {
        match self {
            Sink::Summary(summary) => summary.add(stay),
            Sink::Breaches(definition, out) => {
                if let Some(limit_seconds) = stay.breach(definition) {
                    let stage = &definition.stages()[stay.stage];
                    let line = BreachLine {
                        id: &stay.lead,
                        stage: stage.id(),
                        owner: &definition.owner_of(stage).id,
                        entered: format_time(stay.entered),
                        left: stay.left.map(format_time),
                        limit_seconds,
                        spent_seconds: stay.spent_seconds,
                    };
                    output::json_line(out, &line)?;
                }
            }
        }
        Ok(())
    }
}

/// Prints the breaches, or their summary; see the module documentation.
pub(crate) fn run(args: &SlaArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let definition: &Definition = &definition;
    let now = args.now.get();
    let mut replayer =
        if args.input.sorted { Replayer::sorted(definition, now) } else { Replayer::new(definition, now) };
    let mut sink = if args.summary {
        Sink::Summary(SlaSummary::new(definition))
    } else {
        Sink::Breaches(definition, output::stdout())
    };
    let streams = args.input.sorted && !args.summary;
    let unreadable = history::read(&args.input, definition, streams, |change| {
        replayer.push(change.lead, change.stage, change.at).map_err(|e| args.input.out_of_order(change.line, e))?;
        for stay in replayer.ready() {
            sink.add(&stay)?;
        }
        Ok(())
    })?;
    for stay in replayer.finish() {
        sink.add(&stay)?;
    }
    match sink {
        Sink::Breaches(_, mut out) => out.flush()?,
        Sink::Summary(summary) => {
            let stages: Vec<(&str, Counts)> =
                summary.stages().iter().map(|&(i, c)| (definition.stages()[i].id(), c.into())).collect();
            let owners: Vec<(&str, Counts)> =
                summary.owners().iter().map(|&(t, c)| (definition.teams()[t].id.as_str(), c.into())).collect();
            let mut out = output::stdout();
            let object = SummaryObject { stages: output::Ordered(&stages), owners: output::Ordered(&owners) };
            output::json_line(&mut out, &object)?;
            out.flush()?;
        }
    }
    Ok(if unreadable > 0 { EXIT_UNREADABLE } else { EXIT_OK })
}
