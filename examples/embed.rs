//! How a service embeds leadspec.
//!
//! At start-up the service loads its lead definition once and refuses to start when the
//! definition does not load or when one of its own `[[examples]]` fails. The loaded
//! definition is immutable and `Send + Sync`, so worker threads share it by reference and
//! classify leads in parallel with no locking. Here the workers are scoped threads, each
//! taking a share of the input; the results are printed in input order, then a funnel.
//!
//! ```sh
//! cargo run --example embed
//! cargo run --example embed -- DEFINITION.toml LEADS.jsonl 2026-11-22
//! ```
//!
//! The arguments default to the shipped default definition, `examples/leads.jsonl` and
//! the current time.

use std::time::SystemTime;
use std::{env, fs, process, thread};

use chrono::{DateTime, Utc};
use leadspec::{Definition, Funnel, Record, StageIndex};

/// How many worker threads classify.
const WORKERS: usize = 4;

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let definition_path = args
        .first()
        .cloned()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/examples/definitions/default.toml").into());
    let leads_path =
        args.get(1).cloned().unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/examples/leads.jsonl").into());
    // The core never reads a clock: the service decides what "now" is and passes it in.
    let now: DateTime<Utc> = match args.get(2) {
        Some(text) => leadspec::parse_reference_time(text).unwrap_or_else(|_| fail(&format!("bad time `{text}`"))),
        None => SystemTime::now().into(),
    };

    // 1. Load once. Every problem comes back with its line and column.
    let source = fs::read_to_string(&definition_path).unwrap_or_else(|e| fail(&format!("{definition_path}: {e}")));
    let definition = match Definition::from_toml(&source) {
        Ok(definition) => definition,
        Err(error) => {
            for diagnostic in &error.diagnostics {
                eprintln!("{definition_path}:{diagnostic}");
            }
            fail("the definition does not load");
        }
    };
    for warning in definition.warnings() {
        eprintln!("{definition_path}:{warning}");
    }

    // 2. Refuse to deploy a definition whose own examples fail.
    let failed: Vec<_> = definition.run_examples(now).into_iter().filter_map(|check| check.to_diagnostic()).collect();
    if !failed.is_empty() {
        for diagnostic in &failed {
            eprintln!("{definition_path}:{diagnostic}");
        }
        fail("the definition's examples fail");
    }
    println!(
        "loaded \"{}\" (version {}): {} stages, {} examples pass",
        definition.name(),
        definition.version().unwrap_or("-"),
        definition.stages().len(),
        definition.examples().len()
    );

    // 3. Classify from several threads that share the one definition.
    let input = fs::read_to_string(&leads_path).unwrap_or_else(|e| fail(&format!("{leads_path}: {e}")));
    let lines: Vec<(usize, &str)> =
        input.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()).map(|(i, l)| (i + 1, l)).collect();
    let chunk = lines.len().div_ceil(WORKERS).max(1);
    let definition = &definition;
    let mut results: Vec<(usize, String, Outcome)> = thread::scope(|scope| {
        let workers: Vec<_> = lines
            .chunks(chunk)
            .map(|share| {
                scope.spawn(move || {
                    share.iter().map(|&(n, line)| classify_line(definition, n, line, now)).collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a worker panicked")).collect()
    });
    results.sort_by_key(|(line, _, _)| *line);

    let mut funnel = Funnel::new(definition);
    for (_, text, stage) in &results {
        println!("{text}");
        match stage {
            Outcome::Classified(stage) => funnel.add_stage(*stage),
            Outcome::Unreadable => funnel.add_unreadable(),
        }
    }

    // 4. The funnel: counts per stage and per owner.
    println!(
        "\n{} records, {} unclassified, {} unreadable",
        funnel.total(),
        funnel.unclassified(),
        funnel.unreadable()
    );
    for (stage, count) in definition.stages().iter().zip(funnel.stage_counts()) {
        println!("  {:<16} {:>3}  ({})", stage.id(), count, definition.owner_of(stage).map_or("", |t| t.name.as_str()));
    }
    for (team, count) in definition.teams().iter().zip(funnel.owner_counts()) {
        println!("  owned by {:<10} {:>3}", team.name, count);
    }
}

/// What became of one input line.
enum Outcome {
    /// Read and classified: the stage index, or `None` when no stage matched.
    Classified(Option<StageIndex>),
    /// Not a JSON object.
    Unreadable,
}

/// Classifies one JSON line: its line number, a printable summary, and the outcome.
fn classify_line(definition: &Definition, line: usize, text: &str, now: DateTime<Utc>) -> (usize, String, Outcome) {
    let record: Record = match serde_json::from_str(text) {
        Ok(record) => record,
        Err(e) => return (line, format!("line {line}: unreadable: {e}"), Outcome::Unreadable),
    };
    let result = definition.classify(&record, now);
    let id = result.id().map_or_else(|| format!("line {line}"), |id| id.to_string());
    let mut summary = match (result.stage(), result.owner()) {
        (Some(stage), Some(owner)) => format!("{id:<8} {:<16} owned by {}", stage.id(), owner.name),
        _ => format!("{id:<8} (unclassified)"),
    };
    for error in result.errors() {
        summary.push_str(&format!("\n           {}: {}", error.field, error.message));
    }
    if let Some(question) = result.ask().first() {
        summary.push_str(&format!("\n           ask next: {question}"));
    }
    (line, summary, Outcome::Classified(result.stage_index()))
}

fn fail(message: &str) -> ! {
    eprintln!("embed: {message}");
    process::exit(1)
}
