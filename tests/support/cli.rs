//! Running the `leadspec` binary from the integration tests, and the files it reads.
#![allow(dead_code)] // each test file uses a part

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one run of the command line gave.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Writes a file into a directory of its own for one test of one suite and returns its path.
pub fn file_in(suite: &str, test: &str, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(suite).join(test);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// Runs `leadspec` with `args`, writing `stdin` to its standard input (none: closed).
pub fn run_with(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadspec"))
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = std::thread::scope(|scope| {
        if let Some(input) = stdin {
            let mut pipe = child.stdin.take().unwrap();
            // On a thread of its own: a long input and a long output would otherwise each
            // wait for the other. The command may exit before reading its input (an invalid
            // definition): no error.
            scope.spawn(move || {
                let _ = pipe.write_all(input);
            });
        }
        child.wait_with_output().unwrap()
    });
    Output {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs `leadspec` with `args` and no standard input.
pub fn run(args: &[&str]) -> Output {
    run_with(args, None)
}

/// A path as the text of an argument.
pub fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}
