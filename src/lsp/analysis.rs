//! The findings of `leadspec check --analyze` (see `Definition::analyze`: unreachable
//! stages, guards and criteria that can never hold, example coverage), published beside
//! `check`'s diagnostics, off the keystroke path.
//!
//! Analysis is a search whose cost grows quickly with the number of stages (seconds for a
//! few dozen stages whose rules overlap, much longer for hundreds), while `check`'s
//! diagnostics take milliseconds even for a thousand stages. So every change publishes
//! `check`'s diagnostics at once, and hands the loaded definition to one analysis thread.
//! That thread waits until no change has come for [`QUIET`] (typing coalesces into one
//! analysis of the newest text), analyses the newest version of each document, and
//! publishes `check`'s diagnostics and its findings together, as a second
//! `publishDiagnostics` for the same version, when there are findings and that version is
//! still the newest. Definitions of more than [`MAX_STAGES`] stages are not analysed: run
//! `leadspec check --analyze` on those.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use lsp_server::{Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{PublishDiagnosticsParams, Uri};

use super::document::{lsp_diagnostics, now};
use crate::{Definition, Diagnostic};

/// How long the document must stay unchanged before it is analysed.
pub(crate) const QUIET: Duration = Duration::from_millis(300);

/// The most stages a definition may have to be analysed as it is edited.
pub(crate) const MAX_STAGES: usize = 100;

/// One version of a document to analyse.
pub(crate) struct Job {
    /// The document.
    pub(crate) uri: Uri,
    /// The server's count of the changes, to tell the newest version.
    pub(crate) generation: u64,
    /// The client's version of the text.
    pub(crate) version: Option<i32>,
    /// The text (for positions).
    pub(crate) text: String,
    /// What it loads to.
    pub(crate) definition: Definition,
    /// `check`'s diagnostics, already published.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Sends one message to the client; false once the connection is gone.
type Send = Box<dyn Fn(Message) -> bool + std::marker::Send>;

/// What the server and the analysis thread share.
struct Shared {
    /// The way to the client, until the server stops.
    send: Option<Send>,
    /// The newest generation of each open document.
    newest: HashMap<Uri, u64>,
}

/// The server's end of the analysis thread.
pub(crate) struct Analyzer {
    jobs: mpsc::Sender<Job>,
    shared: Arc<Mutex<Shared>>,
}

impl Analyzer {
    /// Starts the analysis thread, which publishes through `send`.
    pub(crate) fn start(send: impl Fn(Message) -> bool + std::marker::Send + 'static) -> Analyzer {
        let shared = Arc::new(Mutex::new(Shared { send: Some(Box::new(send)), newest: HashMap::new() }));
        let (jobs, receiver) = mpsc::channel();
        let thread_shared = Arc::clone(&shared);
        std::thread::spawn(move || work(&receiver, &thread_shared));
        Analyzer { jobs, shared }
    }

    /// Records that `generation` is the newest version of `uri` (before its diagnostics are
    /// published, so that no analysis of an older version is published after them).
    pub(crate) fn changed(&self, uri: &Uri, generation: u64) {
        lock(&self.shared).newest.insert(uri.clone(), generation);
    }

    /// Forgets a closed document: no analysis of it is published any more.
    pub(crate) fn closed(&self, uri: &Uri) {
        lock(&self.shared).newest.remove(uri);
    }

    /// Queues an analysis (the caller leaves out definitions over [`MAX_STAGES`] stages).
    pub(crate) fn analyse(&self, job: Job) {
        // The thread only stops once this end is dropped.
        let _ = self.jobs.send(job);
    }

    /// Stops publishing: the analysis thread drops its way to the client (so the
    /// connection can close while an analysis still runs) and ends after it.
    pub(crate) fn stop(&self) {
        lock(&self.shared).send = None;
    }
}

impl Drop for Analyzer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The analysis thread: waits for quiet, then analyses the newest version of each document.
fn work(jobs: &Receiver<Job>, shared: &Mutex<Shared>) {
    // The newest job of each document (few are open: a list will do).
    let mut pending: Vec<Job> = Vec::new();
    loop {
        let next = if pending.is_empty() {
            jobs.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            jobs.recv_timeout(QUIET)
        };
        match next {
            Ok(job) => {
                pending.retain(|p| p.uri != job.uri);
                pending.push(job);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
        for job in pending.drain(..) {
            let newest = |s: &Shared| s.newest.get(&job.uri) == Some(&job.generation);
            if !newest(&lock(shared)) {
                continue;
            }
            let findings = job.definition.analyze(now()).diagnostics();
            if findings.is_empty() {
                continue;
            }
            let mut diagnostics = job.diagnostics;
            diagnostics.extend(findings);
            // In the order of the file; at one place, the more serious first (as `check`).
            diagnostics.sort_by_key(|d| (d.span.start, std::cmp::Reverse(d.severity)));
            let params =
                PublishDiagnosticsParams::new(job.uri.clone(), lsp_diagnostics(&job.text, &diagnostics), job.version);
            let message = Notification::new(PublishDiagnostics::METHOD.to_string(), params).into();
            let shared = lock(shared);
            match &shared.send {
                // Sent under the lock: a newer version's diagnostics cannot come first.
                Some(send) if newest(&shared) => {
                    if !send(message) {
                        return;
                    }
                }
                Some(_) => {}
                None => return,
            }
        }
    }
}
