//! `leadspec waterfall [HISTORY]`: conversion down the funnel from stage histories, as one
//! JSON object `{"leads":N,"unreadable":N,"steps":[{"stage":..,"shared":..,"reached":N,
//! "converted":N},...]}`.
//!
//! The steps are the stages whose shared word is a funnel word, in funnel-word order. A lead
//! has reached a step when its history holds that stage or any later step. The history is
//! read as [`super::history`] describes; times play no part. In any order, the furthest
//! step of each lead is kept (memory grows with the leads, not the changes); with
//! `--sorted`, only the current lead's, and a lead out of order stops the command (status
//! 2). `unreadable` counts the history lines that could not be read, those naming unknown
//! stages included. Status 3 when there were any (the others are still counted).

use std::io::Write;

use leadspec::WaterfallCounter;

use super::args::WaterfallArgs;
use super::{history, load_definition, output, Outcome, EXIT_OK, EXIT_UNREADABLE};

/// Prints the waterfall; see the module documentation.
pub(crate) fn run(args: &WaterfallArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let mut counter =
        if args.input.sorted { WaterfallCounter::sorted(&definition) } else { WaterfallCounter::new(&definition) };
    let unreadable = history::read(&args.input, &definition, false, |change| {
        counter.push(change.lead, change.stage).map_err(|e| args.input.out_of_order(change.line, e))
    })?;
    let mut waterfall = counter.finish();
    waterfall.unreadable = unreadable;
    let mut out = output::stdout();
    output::json_line(&mut out, &definition.named(&waterfall))?;
    out.flush()?;
    Ok(if unreadable > 0 { EXIT_UNREADABLE } else { EXIT_OK })
}
