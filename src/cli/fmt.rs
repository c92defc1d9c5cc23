//! `leadspec fmt [--check] DEF.toml...`: rewrite definitions in the canonical layout
//! ([`leadspec::format_definition`]), keeping every comment.
//!
//! Without `--check`, each file not in the canonical layout is rewritten in place (`-`
//! reads standard input and writes the formatted text to standard output); nothing is
//! printed for a file already formatted. With `--check`, nothing is written: each file not
//! in the layout is named on standard output, and the status is 1. A file that does not
//! load is reported as `check` reports it and left as it is. Exit status 0 when every file
//! is (now) formatted, 1 when a file does not load or, with `--check`, is not formatted, 2
//! when a file cannot be read or written.

use std::io::Write;

use super::args::FmtArgs;
use super::{output, read_text, show, Failure, Outcome, EXIT_INVALID, EXIT_OK};

/// Formats every file; see the module documentation.
pub(crate) fn run(args: &FmtArgs) -> Outcome {
    let mut out = output::stdout();
    let mut failed = false;
    for path in &args.files {
        let name = show(path);
        let source = read_text(path).map_err(Failure::usage)?;
        let formatted = match leadspec::format_definition(&source) {
            Ok(formatted) => formatted,
            Err(error) => {
                let text = error.render(&name, &source);
                out.write_all(text.as_bytes())?;
                writeln!(out, "{name}: not formatted: it does not load")?;
                failed = true;
                continue;
            }
        };
        if path.as_os_str() == "-" {
            if args.check {
                failed |= formatted != source;
            } else {
                out.write_all(formatted.as_bytes())?;
            }
            continue;
        }
        if formatted == source {
            continue;
        }
        if args.check {
            writeln!(out, "{name}: not in the canonical layout (run `leadspec fmt {name}`)")?;
            failed = true;
        } else {
            std::fs::write(path, formatted.as_bytes())
                .map_err(|e| Failure::usage(format!("cannot write `{name}`: {e}")))?;
        }
    }
    out.flush()?;
    Ok(if failed { EXIT_INVALID } else { EXIT_OK })
}
