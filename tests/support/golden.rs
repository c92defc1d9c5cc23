//! Golden files: an output compared byte for byte with a file under `tests/golden/`, with a
//! unified diff on a mismatch and `UPDATE_GOLDEN=1` to rewrite the files. Included by the
//! integration tests that compare text reports.
#![allow(dead_code)]

use std::path::PathBuf;

/// How to rewrite the golden files after an intended change of an output.
const UPDATE_GOLDEN: &str =
    "UPDATE_GOLDEN=1 cargo test --all-features --test cli --test cli_reports --test diff; then review `git diff tests/golden`";

/// Compares `actual` with the golden file `tests/golden/NAME`, or rewrites it when the
/// environment variable `UPDATE_GOLDEN` is `1`. On a mismatch the actual output is also
/// written under the target directory, and the message holds a unified diff of the lines
/// that differ.
pub fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);
    let expected = std::fs::read_to_string(&path).ok();
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        if expected.as_deref() != Some(actual) {
            std::fs::write(&path, actual).unwrap();
            eprintln!("rewrote {}", path.display());
        }
        return;
    }
    let Some(expected) = expected else {
        panic!("cannot read the golden file {}; to create it: {UPDATE_GOLDEN}", path.display());
    };
    if expected == actual {
        return;
    }
    let actual_path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden").join(name);
    std::fs::create_dir_all(actual_path.parent().unwrap()).unwrap();
    std::fs::write(&actual_path, actual).unwrap();
    panic!(
        "the output differs from the golden file tests/golden/{name}:\n\n{}\n\
         the whole output is in {}\n\
         (see `diff -u tests/golden/{name} {}`).\n\
         If the change is intended: {UPDATE_GOLDEN}",
        unified_diff(&format!("tests/golden/{name}"), &expected, "actual", actual),
        actual_path.display(),
        actual_path.display(),
    );
}

/// A unified diff of two texts, as one hunk around the lines that differ (3 lines of
/// context), at most 200 lines long.
pub fn unified_diff(old_name: &str, old: &str, new_name: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.split_inclusive('\n').collect(), new.split_inclusive('\n').collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let start = prefix.saturating_sub(3);
    let (a_end, b_end) = ((a.len() - suffix + 3).min(a.len()), (b.len() - suffix + 3).min(b.len()));
    let mut lines = vec![
        format!("--- {old_name}"),
        format!("+++ {new_name}"),
        format!("@@ -{},{} +{},{} @@", start + 1, a_end - start, start + 1, b_end - start),
    ];
    let show = |sign: char, line: &str| match line.strip_suffix('\n') {
        Some(line) => format!("{sign}{line}"),
        None => format!("{sign}{line}\n\\ No newline at end of file"),
    };
    lines.extend(a[start..prefix].iter().map(|l| show(' ', l)));
    lines.extend(a[prefix..a.len() - suffix].iter().map(|l| show('-', l)));
    lines.extend(b[prefix..b.len() - suffix].iter().map(|l| show('+', l)));
    lines.extend(a[a.len() - suffix..a_end].iter().map(|l| show(' ', l)));
    if lines.len() > 200 {
        let more = lines.len() - 200;
        lines.truncate(200);
        lines.push(format!("... and {more} more lines"));
    }
    lines.join("\n")
}

#[test]
fn unified_diff_shows_the_lines_that_differ_with_context() {
    let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
    let new = "a\nb\nc\nd\nE\nf\ng\nh\ni\n";
    assert_eq!(
        unified_diff("old", old, "new", new),
        "--- old\n+++ new\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h"
    );
    assert_eq!(
        unified_diff("old", "x\n", "new", "x"),
        "--- old\n+++ new\n@@ -1,1 +1,1 @@\n-x\n+x\n\\ No newline at end of file"
    );
}
