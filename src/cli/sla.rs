//! `leadspec sla HISTORY.jsonl`: replay stage changes and print every stay longer than its
//! stage's `sla`, one JSON line each, ordered by lead id, then entry time:
//! `{"id":..,"stage":..,"owner":..,"entered":..,"left":..,"limit_seconds":N,"spent_seconds":N}`.
//!
//! Times are RFC 3339 in UTC with a `Z`; `left` is null while the lead is still in the stage
//! at `--now`. Status 3 when some lines could not be read (reported on standard error).

use std::io::Write;

use leadspec::format_time;
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

/// Prints the breaches; see the module documentation.
pub(crate) fn run(args: &SlaArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let now = args.now.get();
    let mut history = history::read(&args.history)?;
    let replay = definition.replay(std::mem::take(&mut history.changes), now);
    let unreadable = history.report(&args.history, &definition, &replay.unknown);
    let mut out = output::stdout();
    for breach in replay.breaches(&definition) {
        let stage = &definition.stages()[breach.stay.stage];
        output::json_line(
            &mut out,
            &BreachLine {
                id: &breach.stay.lead,
                stage: stage.id(),
                owner: &definition.owner_of(stage).id,
                entered: format_time(breach.stay.entered),
                left: breach.stay.left.map(format_time),
                limit_seconds: breach.limit_seconds,
                spent_seconds: breach.stay.spent_seconds,
            },
        )?;
    }
    out.flush()?;
    Ok(if unreadable > 0 { EXIT_UNREADABLE } else { EXIT_OK })
}
