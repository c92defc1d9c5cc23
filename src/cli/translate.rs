//! `leadspec translate --from A.toml --to B.toml STAGE`: B's stage for A's stage STAGE.
//!
//! Prints B's stage id (status 0); when it stands for an earlier funnel word than A's stage
//! (B lacks the same word), a note on standard error says so. When there is none, says why on standard error and exits
//! with 4. STAGE is A's stage id (an alias or display name also works); a STAGE that A does
//! not have is a usage error (status 2) with a did-you-mean hint, like any other bad argument.
//! An invalid definition gives status 1, an unreadable file status 2.

use std::io::Write;

use super::args::TranslateArgs;
use super::{find_stage, load_definition_file, output, show, Failure, Outcome, EXIT_NO_COUNTERPART, EXIT_OK};

/// Translates the stage; see the module documentation.
pub(crate) fn run(args: &TranslateArgs) -> Outcome {
    let a = load_definition_file(&args.from)?;
    let b = load_definition_file(&args.to)?;
    let stage = find_stage(&a, &args.stage)?;
    match a.translate(stage, &b) {
        Some(target) => {
            let mut out = output::stdout();
            writeln!(out, "{}", b.stages()[target.position()].id())?;
            out.flush()?;
            let (word, found) =
                (a.stages()[stage.position()].shared_word(), b.stages()[target.position()].shared_word());
            if let (Some(word), Some(found)) = (word, found) {
                if word != found {
                    let _ = writeln!(
                        std::io::stderr(),
                        "note: `{}` has no stage for the funnel word `{word}`; `{}` ({found}) is the nearest earlier one",
                        show(&args.to),
                        b.stages()[target.position()].id()
                    );
                }
            }
            Ok(EXIT_OK)
        }
        None => {
            let id = a.stages()[stage.position()].id();
            let reason = match a.stages()[stage.position()].shared_word() {
                None => format!("stage `{id}` has no shared word (`canonical`), so it has no counterpart"),
                Some(word) if word.is_side() => {
                    format!(
                        "stage `{id}` stands for the side word `{word}`, which no stage of `{}` uses",
                        show(&args.to)
                    )
                }
                Some(word) => format!(
                    "stage `{id}` stands for the funnel word `{word}`; `{}` has no stage at or before it in the funnel",
                    show(&args.to)
                ),
            };
            Err(Failure::Message(EXIT_NO_COUNTERPART, format!("no counterpart: {reason}")))
        }
    }
}
