//! The README's command-line tour runs as shown: every `$ leadspec ...` line of the tour's
//! `text` blocks is run from the repository's root, and its standard output is compared with the
//! lines that follow it. A line `...` stands for any number of lines; a line ending in `...`
//! for one line that starts with the text before it. The README's first screen holds the
//! two commands a newcomer needs; they are checked too (the test command by its shape).
#![cfg(feature = "cli")]

use std::path::Path;
use std::process::Command;

/// One command of the tour and the output written after it.
struct Step {
    line: usize,
    args: Vec<String>,
    expected: Vec<String>,
}

/// The tour's steps: every `$ leadspec` line inside a fenced `text` block, from the line
/// that starts the tour to the next section.
fn steps(readme: &str) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut in_text = false;
    let start = readme.lines().position(|l| l.starts_with("A tour, on the files in `examples/`")).expect("the tour");
    for (n, line) in readme.lines().enumerate().skip(start) {
        if line.starts_with("## ") {
            break;
        }
        if line.starts_with("```") {
            in_text = line == "```text";
            continue;
        }
        if !in_text {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ leadspec ") {
            let args = command.split_whitespace().map(String::from).collect();
            steps.push(Step { line: n + 1, args, expected: Vec::new() });
        } else if let Some(step) = steps.last_mut() {
            step.expected.push(line.to_string());
        }
    }
    steps
}

/// Whether `actual` lines match the `expected` pattern lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((first, rest)) => match actual.split_first() {
            None => false,
            Some((line, more)) => {
                let head = match first.strip_suffix("...") {
                    Some(prefix) => line.starts_with(prefix),
                    None => line == first,
                };
                head && matches(rest, more)
            }
        },
    }
}

#[test]
fn the_tour_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let steps = steps(&readme);
    assert!(steps.len() >= 9, "the tour has {} commands", steps.len());
    for step in &steps {
        let out = Command::new(env!("CARGO_BIN_EXE_leadspec")).args(&step.args).current_dir(root).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let actual: Vec<&str> = stdout.lines().collect();
        assert!(
            matches(&step.expected, &actual),
            "README.md:{}: `leadspec {}` printed\n{stdout}\nbut the README shows\n{}\n(stderr: {})",
            step.line,
            step.args.join(" "),
            step.expected.join("\n"),
            String::from_utf8_lossy(&out.stderr),
        );
    }
}

#[test]
fn the_first_screen_gives_the_two_commands() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let first: Vec<&str> = readme.lines().take(12).collect();
    let run = first.iter().find(|l| l.starts_with("cargo run --features cli -- classify")).expect("the main job");
    assert!(first.iter().any(|l| l.starts_with("cargo test --all-features")), "the test command");
    // The main job, as the binary runs it: the built-in definition on the sample leads.
    let args: Vec<&str> = run.split('#').next().unwrap().split_whitespace().skip(5).collect();
    let out = Command::new(env!("CARGO_BIN_EXE_leadspec")).args(&args).current_dir(root).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 22);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn patterns_match_as_documented() {
    let p = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(matches(&p(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&p(&["a", "...", "d"]), &["a", "d"]));
    assert!(!matches(&p(&["a", "...", "d"]), &["a", "b"]));
    assert!(matches(&p(&["ab..."]), &["abc"]));
    assert!(!matches(&p(&["ab..."]), &["ac"]));
    assert!(!matches(&p(&["a"]), &["a", "b"]));
}
