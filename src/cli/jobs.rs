//! Every core for the commands that classify a stream of records (`classify`, `funnel`,
//! `diff` with LEADS), with `--jobs N` for N > 1.
//!
//! One thread reads the input into chunks of raw rows ([`RowBatch`]: at most
//! [`CHUNK_ITEMS`] records, or [`CHUNK_BYTES`] of text and one row more), each with the
//! number of its first record; `N` worker threads each take a chunk, prepare and classify
//! its rows and make what the command makes of them (output bytes, counts, messages); the
//! calling thread takes the chunks back in input order and writes them out. At most
//! 2 x N chunks exist at once, reused from one to the next, so memory stays bounded
//! whatever the input's length. What the command prints is exactly what `--jobs 1` prints.
//!
//! When the input cannot be read further, the chunks before the failure are written out and
//! then the failure is returned, as the single-threaded loop does. When writing fails (or a
//! chunk says to stop), the other threads stop at their next chunk.

use std::collections::BTreeMap;
use std::sync::{mpsc, Mutex};
use std::thread;

use std::io::Write as _;

use leadspec::read::{Item, Row, RowBatch, Unreadable};

use super::input::Input;
use super::progress::Progress;
use super::Failure;

/// The most records in one chunk.
pub(crate) const CHUNK_ITEMS: usize = 1024;

/// The bytes of row text after which a chunk takes no more rows.
pub(crate) const CHUNK_BYTES: usize = 256 << 10;

/// The most threads `--jobs` may ask for.
pub(crate) const MAX_JOBS: usize = 256;

/// A chunk of the input in flight, and what a worker made of it.
pub(crate) struct Chunk<D> {
    /// The chunk's items: rows, and records that could not be read.
    pub(crate) rows: RowBatch,
    /// The 1-based number of its first record, as `classify` numbers them.
    pub(crate) first: usize,
    /// What the worker made of it.
    pub(crate) done: D,
}

/// Reads `input` in chunks on one thread, has `jobs` threads each make a worker state with
/// `worker` and run `work` on chunk after chunk, and calls `emit` on the calling thread with
/// each worked chunk, in input order. Stops at the first failure `emit` returns, or the
/// input's once the chunks before it were emitted.
pub(crate) fn run<S, D: Default + Send>(
    input: &mut Input,
    jobs: usize,
    worker: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &mut Chunk<D>) + Sync,
    mut emit: impl FnMut(&mut Chunk<D>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let jobs = jobs.clamp(1, MAX_JOBS);
    let slots = 2 * jobs;
    // Each channel can hold every chunk, so no send ever waits: a thread waits only for a
    // chunk to come its way, and stops when its channel closes.
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Chunk<D>)>(slots);
    let work_rx = Mutex::new(work_rx);
    let (worker, work) = (&worker, &work);
    thread::scope(|scope| {
        let (free_tx, free_rx) = mpsc::sync_channel::<Chunk<D>>(slots);
        for _ in 0..slots {
            let _ = free_tx.send(Chunk { rows: RowBatch::new(), first: 0, done: D::default() });
        }
        let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Chunk<D>)>(slots);
        let reader = scope.spawn(move || -> Result<(), Failure> {
            let (mut number, mut seq) = (1, 0);
            while let Ok(mut chunk) = free_rx.recv() {
                chunk.first = number;
                let read = input.next_batch(&mut chunk.rows);
                number += chunk.rows.len();
                let end = chunk.rows.is_empty();
                if !end {
                    if work_tx.send((seq, chunk)).is_err() {
                        break;
                    }
                    seq += 1;
                }
                read?;
                if end {
                    break;
                }
            }
            Ok(())
        });
        for _ in 0..jobs {
            let (done_tx, work_rx) = (done_tx.clone(), &work_rx);
            scope.spawn(move || {
                let mut state = worker();
                // The lock is held while waiting, so one idle worker waits at a time.
                while let Ok(Ok((seq, mut chunk))) = work_rx.lock().map(|rx| rx.recv()) {
                    work(&mut state, &mut chunk);
                    if done_tx.send((seq, chunk)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (seq, chunk) in &done_rx {
            waiting.insert(seq, chunk);
            while let Some(mut chunk) = waiting.remove(&next) {
                next += 1;
                // Returning drops `free_tx` and `done_rx`: the reader and the workers stop.
                emit(&mut chunk)?;
                let _ = free_tx.send(chunk);
            }
        }
        // Every worker is done, so the reader is too.
        reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The line a counting command (`funnel`, `diff`) writes for a record it could not read.
pub(crate) fn unreadable_line(number: usize, error: &Unreadable) -> String {
    format!("leadspec: record {number} could not be read: {error}\n")
}

/// What a chunk of a counting command reports besides its counts: the messages of its
/// records that could not be read, in order, and what stopped it.
#[derive(Default)]
pub(crate) struct Unread {
    messages: String,
    failure: Option<Failure>,
}

impl Unread {
    /// Gives each item of `rows` (numbered from `first`) to `item`, keeping the message of
    /// each record it could not read, and stopping at a failure.
    pub(crate) fn each<'r>(
        &mut self,
        rows: &'r RowBatch,
        first: usize,
        mut item: impl FnMut(usize, Item<Row<'r>>) -> Result<Option<Unreadable>, Failure>,
    ) {
        self.messages.clear();
        self.failure = None;
        for (i, row) in rows.iter().enumerate() {
            match item(first + i, row) {
                Ok(None) => {}
                Ok(Some(error)) => self.messages.push_str(&unreadable_line(first + i, &error)),
                Err(failure) => {
                    self.failure = Some(failure);
                    break;
                }
            }
        }
    }

    /// Moves `progress` past the chunk's `rows` records and writes their messages; then
    /// gives back what stopped the chunk, if anything did.
    pub(crate) fn emit(&mut self, rows: usize, progress: &mut Progress<std::io::Stderr>) -> Result<(), Failure> {
        progress.advance(rows);
        if !self.messages.is_empty() {
            progress.clear();
            let _ = std::io::stderr().lock().write_all(self.messages.as_bytes());
        }
        self.failure.take().map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::input::tests::Failing;
    use leadspec::read::{Format, Item, Layout};
    use std::io::{BufReader, Cursor};

    /// The record numbers and lines each chunk held, in the order emitted, and the outcome.
    fn numbers(jobs: usize, lines: usize, stop_at: Option<usize>) -> (Vec<(usize, u64)>, Result<(), Failure>) {
        let text: String = (1..=lines).map(|i| format!("{{\"id\":{i}}}\n")).collect();
        let reader = Box::new(BufReader::new(Failing { good: Cursor::new(text.into_bytes()) }));
        let Ok(mut input) = super::super::input::from_reader(reader, Layout::new(Format::JsonLines), "`leads`".into())
        else {
            panic!("opened")
        };
        let mut seen = Vec::new();
        let outcome = run(
            &mut input,
            jobs,
            || (),
            |(), chunk: &mut Chunk<Vec<(usize, u64)>>| {
                chunk.done = chunk
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(i, item)| match item {
                        Item::Record(row) => (chunk.first + i, row.line()),
                        Item::Unreadable(why) => (chunk.first + i, why.line()),
                    })
                    .collect();
            },
            |chunk| {
                seen.append(&mut chunk.done);
                match stop_at {
                    Some(n) if seen.len() >= n => Err(Failure::usage("stop")),
                    _ => Ok(()),
                }
            },
        );
        (seen, outcome)
    }

    #[test]
    fn chunks_come_back_in_input_order_then_the_read_failure() {
        for jobs in [1, 2, 4] {
            let (seen, outcome) = numbers(jobs, 5_000, None);
            assert_eq!(seen.len(), 5_000);
            assert!(seen.iter().enumerate().all(|(i, &(n, line))| n == i + 1 && line == n as u64), "{jobs} jobs");
            let Err(Failure::Message(2, message)) = outcome else { panic!("the read failure") };
            assert_eq!(message, "cannot read `leads` after record 5000: the disk went away");
        }
    }

    #[test]
    fn a_failure_to_write_stops_the_threads() {
        let (seen, outcome) = numbers(3, 50_000, Some(2_000));
        assert!(matches!(outcome, Err(Failure::Message(2, m)) if m == "stop"));
        assert_eq!(seen.len(), 2_048, "two chunks written, then nothing");
    }
}
