//! `leadspec move --from A --to B [RECORD.json]`: may this lead move from A to B?
//!
//! Prints exactly `allowed` (status 0) or `refused: REASON` (status 5) on standard output.
//! When an allowed move changes the owning team, a note naming the handoff goes to standard
//! error, so that standard output stays one word. Stages are named by id (an alias or display
//! name also works); an unknown stage is a usage error (status 2) with a did-you-mean hint.

use std::io::{self, Write};

use leadspec::{Move, Record};

use super::args::MoveArgs;
use super::{find_stage, load_definition, output, read_record_file, Outcome, EXIT_OK, EXIT_REFUSED};

/// Checks the move; see the module documentation.
pub(crate) fn run(args: &MoveArgs) -> Outcome {
    let definition = load_definition(&args.definition)?;
    let from = find_stage(&definition, &args.from)?;
    let to = find_stage(&definition, &args.to)?;
    let record = match &args.record {
        Some(path) => read_record_file(path)?,
        None => Record::new(),
    };
    let outcome = definition.check_move(from, to, &record, args.now.get());
    let mut out = output::stdout();
    let code = match &outcome {
        Move::Allowed { handoff, .. } => {
            writeln!(out, "allowed")?;
            if let Some((a, b)) = handoff {
                let teams = definition.teams();
                let _ = writeln!(
                    io::stderr(),
                    "note: this move is a handoff from {} to {}",
                    teams[a.position()].name,
                    teams[b.position()].name
                );
            }
            EXIT_OK
        }
        Move::Refused(refusal) => {
            writeln!(out, "refused: {refusal}")?;
            EXIT_REFUSED
        }
    };
    out.flush()?;
    Ok(code)
}
