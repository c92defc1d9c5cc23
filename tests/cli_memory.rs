//! Bounded memory on the input paths: a CSV or TSV row, a CSV header, a JSON line and a
//! history line with no end, a `.json` array far larger than memory allows (histories sorted
//! by lead are in `cli_histories.rs`, large definitions in `large_definitions.rs`), each run
//! under an address-space ceiling
//! (`prlimit --as`, from util-linux), so that a reader that grew without bound would be
//! killed by the allocator instead of passing. No timing is asserted. Also the messages of
//! a `.json` document that is not a list of objects.
#![cfg(feature = "cli")]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The address space each run may use: far below what reading the inputs whole would take.
const CEILING: &str = "--as=268435456"; // 256 MiB

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn file(test: &str, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_memory").join(test);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs `leadspec ARGS` under the memory ceiling, writing `input` (made chunk by chunk by
/// `feed`) to its standard input.
fn run_capped(args: &[&str], feed: impl FnOnce(&mut dyn Write) + Send + 'static) -> Output {
    let mut child = Command::new("prlimit")
        .arg(CEILING)
        .arg(env!("CARGO_BIN_EXE_leadspec"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("`prlimit` (util-linux) runs the binary under a memory ceiling; install util-linux");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || feed(&mut stdin));
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Writes `total` bytes of `byte`, a megabyte at a time (stopping quietly if the reader left).
fn bytes(out: &mut dyn Write, byte: u8, total: usize) {
    let chunk = vec![byte; 1 << 20];
    for _ in 0..total / chunk.len() {
        if out.write_all(&chunk).is_err() {
            return;
        }
    }
}

/// Runs `leadspec ARGS` under the ceiling on `before`, then 300 MiB of `x` (more than the
/// ceiling, in the record that `before` opens), then `after`.
fn run_with_endless_record(args: &[&str], before: &'static [u8], after: &'static [u8]) -> Output {
    run_capped(args, move |w| {
        let _ = w.write_all(before);
        bytes(w, b'x', 300 << 20);
        let _ = w.write_all(after);
    })
}

/// `classify` read three records and refused the second, whose line says `error`; the
/// third (id `C`) was read after it.
fn assert_second_of_three_refused(out: &Output, error: &str) {
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(lines[1].contains(&format!("\"error\":\"{error}\"")), "{}", lines[1]);
    assert!(lines[2].contains("\"id\":\"C\""), "the records after it are read: {}", lines[2]);
}

#[test]
fn a_csv_row_without_an_end_is_refused_while_it_is_read() {
    // 300 MiB in one row, after a header and a good row: more than the ceiling.
    let out = run_with_endless_record(
        &["classify", "--now", "2026-11-22", "--format", "csv"],
        b"id,email\nA,a@example.com\nB,\"",
        b"\"\nC,c@example.com\n",
    );
    assert_second_of_three_refused(&out, "the row is longer than 16777216 bytes");
}

#[test]
fn a_csv_of_zeros_is_refused_at_its_header() {
    let out = run_capped(&["classify", "--format", "csv"], |w| bytes(w, 0, 300 << 20));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("the CSV header is longer than 16777216 bytes"), "{}", out.stderr);
}

#[test]
fn a_json_line_without_an_end_is_refused_while_it_is_read() {
    // 300 MiB in one JSON line, between two good ones: more than the ceiling.
    let out = run_with_endless_record(
        &["classify", "--now", "2026-11-22", "--format", "jsonl", "-"],
        b"{\"id\":\"A\",\"email\":\"a@example.com\"}\n{\"id\":\"B\",\"email\":\"",
        b"\"}\n{\"id\":\"C\",\"email\":\"c@example.com\"}\n",
    );
    assert_second_of_three_refused(&out, "line 2: longer than 16777216 bytes");
}

#[test]
fn a_tsv_row_without_an_end_is_refused_while_it_is_read() {
    let out = run_with_endless_record(
        &["classify", "--now", "2026-11-22", "--format", "csv", "--delimiter", "tab", "-"],
        b"id\temail\nA\ta@example.com\nB\t",
        b"\nC\tc@example.com\n",
    );
    assert_second_of_three_refused(&out, "the row is longer than 16777216 bytes");
}

#[test]
fn a_history_line_without_an_end_is_refused_while_it_is_read() {
    // `sla` over JSON Lines: one endless change between two good ones.
    let out = run_with_endless_record(
        &["sla", "--now", "2026-11-22", "-"],
        b"{\"id\":\"L1\",\"stage\":\"inquiry\",\"at\":\"2026-11-01\"}\n{\"id\":\"L2\",\"stage\":\"",
        b"\"}\n{\"id\":\"L3\",\"stage\":\"inquiry\",\"at\":\"2026-11-03\"}\n",
    );
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(out.stderr.contains("<stdin>:2: error: longer than 16777216 bytes"), "{}", out.stderr);
    assert!(out.stdout.contains("\"id\":\"L1\"") && out.stdout.contains("\"id\":\"L3\""), "{}", out.stdout);
}

#[test]
fn a_json_array_larger_than_memory_is_read_element_by_element() {
    json_array_larger_than_memory(&[]);
}

#[test]
fn on_two_threads_memory_stays_bounded() {
    // The chunks in flight are bounded: the same inputs, classified with --jobs 2.
    json_array_larger_than_memory(&["--jobs", "2"]);
    let out = run_with_endless_record(
        &["classify", "--jobs", "2", "--now", "2026-11-22", "--format", "csv"],
        b"id,email\nA,a@example.com\nB,\"",
        b"\"\nC,c@example.com\n",
    );
    assert_second_of_three_refused(&out, "the row is longer than 16777216 bytes");
    let out = run_with_endless_record(
        &["funnel", "--jobs", "2", "--json", "--now", "2026-11-22", "--format", "jsonl", "-"],
        b"{\"id\":\"A\",\"email\":\"a@example.com\"}\n{\"id\":\"B\",\"email\":\"",
        b"\"}\n{\"id\":\"C\",\"email\":\"c@example.com\"}\n",
    );
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(out.stdout.starts_with("{\"total\":3,"), "{}", out.stdout);
    assert!(out.stderr.contains("record 2 could not be read: line 2: longer than 16777216 bytes"), "{}", out.stderr);
}

/// `classify ARGS` reads a JSON array of about 300 MiB, far above the ceiling if it were
/// read whole.
fn json_array_larger_than_memory(args: &[&str]) {
    let count = 600_000usize;
    let mut all = vec!["classify", "--now", "2026-11-22", "--format", "json", "-"];
    all.extend(args);
    let out = run_capped(&all, move |w| {
        let _ = w.write_all(b"[");
        let mut buf = Vec::with_capacity(1 << 20);
        for i in 0..count {
            if i > 0 {
                buf.push(b',');
            }
            let _ = write!(
                buf,
                "{{\"id\":{i},\"email\":\"lead{i}@example.com\",\"budget\":{},\"notes\":\"{}\"}}",
                i % 50_000,
                "n".repeat(450)
            );
            if buf.len() > (1 << 20) - 256 {
                if w.write_all(&buf).is_err() {
                    return;
                }
                buf.clear();
            }
        }
        buf.push(b']');
        let _ = w.write_all(&buf);
    });
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), count);
    let last = out.stdout.lines().last().unwrap();
    assert!(last.starts_with(&format!("{{\"record\":{count},\"id\":{}", count - 1)), "{last}");
}

#[test]
fn a_json_document_that_is_not_a_list_of_objects_says_where() {
    let cases: [(&str, &[&str]); 6] = [
        (
            "[{\"id\": 1}, 2, \"x\", [1], null, {\"id\": 6}]",
            &[
                "\"id\":1,",
                "\"error\":\"array element 2: not a JSON object but a number\"",
                "\"error\":\"array element 3: not a JSON object but a string\"",
                "\"error\":\"array element 4: not a JSON object but an array\"",
                "\"error\":\"array element 5: not a JSON object but null\"",
                "\"id\":6,",
            ],
        ),
        (
            "[{\"id\": 1} {\"id\": 2}]",
            &["\"id\":1,", "\"error\":\"line 1, column 12: not valid JSON: expected `,` or `]` after an element\""],
        ),
        (
            "[{\"id\": 1},\n {\"id\": 2",
            &["\"id\":1,", "\"error\":\"line 2, column 10: not valid JSON: the document ends inside a value\""],
        ),
        (
            "{\"id\": 1} x",
            &["\"id\":1,", "\"error\":\"line 1, column 11: not valid JSON: text after the end of the document\""],
        ),
        ("[{\"id\": tru}]", &["\"error\":\"array element 1: not valid JSON at column 11: expected ident\""]),
        ("  ", &["\"error\":\"line 1, column 3: not valid JSON: the document is empty\""]),
    ];
    for (document, expected) in cases {
        let path = file("documents", "leads.json");
        std::fs::write(&path, document).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_leadspec"))
            .args(["classify", "--now", "2026-11-22", path.to_str().unwrap()])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), expected.len(), "{document:?}:\n{stdout}");
        for (line, part) in lines.iter().zip(expected) {
            assert!(line.contains(part), "{document:?}: {line} lacks {part}");
        }
    }
}

// ---- faults ---------------------------------------------------------------------------------

#[test]
fn a_full_disk_is_an_error_not_a_silent_half_file() {
    let root = env!("CARGO_MANIFEST_DIR");
    for args in [
        vec!["classify", "--now", "2026-11-22", "examples/leads.jsonl"],
        vec!["classify", "--now", "2026-11-22", "--output", "csv", "examples/leads.csv"],
        vec!["funnel", "--now", "2026-11-22", "--json", "examples/leads.jsonl"],
        vec!["glossary", "examples/definitions/default.toml"],
    ] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let out =
            Command::new(env!("CARGO_BIN_EXE_leadspec")).args(&args).current_dir(root).stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("leadspec: error: cannot write the output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let root = env!("CARGO_MANIFEST_DIR");
    // A reader that takes one line and closes the pipe, as `| head -1` does.
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadspec"))
        .args(["classify", "--now", "2026-11-22", "--format", "csv", "-"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(b"id,email\n");
        for i in 0..2_000_000 {
            if writeln!(stdin, "L{i},lead{i}@example.com").is_err() {
                return;
            }
        }
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    let n = std::io::Read::read(&mut stdout, &mut first).unwrap();
    assert!(n > 0);
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // Only the column warnings of the built-in definition; no error.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.lines().all(|l| l.starts_with("warning: no column")), "{stderr}");
}
