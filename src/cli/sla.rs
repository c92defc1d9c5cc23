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

use leadspec::{Breach, Definition, Stay};
use leadspec::{Replayer, SlaSummary};

use super::args::SlaArgs;
use super::{history, load_definition, output, Outcome, EXIT_OK, EXIT_UNREADABLE};

/// Where the stays go: breach lines on standard output, or the summary.
enum Sink<'d, W: Write> {
    Breaches(&'d Definition, W),
    Summary(SlaSummary<'d>),
}

impl<W: Write> Sink<'_, W> {
    fn add(&mut self, stay: Stay) -> io::Result<()> {
        match self {
            Sink::Summary(summary) => summary.add(&stay),
            Sink::Breaches(definition, out) => {
                if let Some(limit_seconds) = stay.breach(definition) {
                    output::json_line(out, &definition.named(&Breach { stay, limit_seconds }))?;
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
            sink.add(stay)?;
        }
        Ok(())
    })?;
    for stay in replayer.finish() {
        sink.add(stay)?;
    }
    match sink {
        Sink::Breaches(_, mut out) => out.flush()?,
        Sink::Summary(summary) => {
            let mut out = output::stdout();
            output::json_line(&mut out, &summary)?;
            out.flush()?;
        }
    }
    Ok(if unreadable > 0 { EXIT_UNREADABLE } else { EXIT_OK })
}
