//! A progress indicator for long inputs: one line on standard error, `\r  1,200,000 records…`,
//! redrawn about once a second and cleared at the end.
//!
//! It is shown only when standard error is a terminal (and, for a command that streams its
//! output, when standard output is not one, where the two would tangle); otherwise it writes
//! nothing at all. Nothing is drawn during the first second, so short inputs never show it.
//!
//! Per record it costs one addition and one comparison: the clock is read only every
//! [`CHECK_EVERY`] records, and a disabled indicator never reads it.

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

/// How many records pass between two readings of the clock.
pub(crate) const CHECK_EVERY: u64 = 10_000;

/// How long between two drawings (and before the first).
pub(crate) const INTERVAL: Duration = Duration::from_secs(1);

/// Counts records and, now and then, shows the count; see the module documentation.
pub(crate) struct Progress<W: Write> {
    /// Where to draw; `None` when the indicator is silent.
    out: Option<W>,
    /// What is counted, plural: `records`, `lines`.
    what: &'static str,
    /// Records counted so far.
    count: u64,
    /// The count at which to look at the clock next (`u64::MAX` when silent).
    next_check: u64,
    /// When the line was last drawn (or the indicator started).
    last_drawn: Instant,
    /// The width, in characters, of the line on screen (0 when none).
    shown: usize,
    /// The clock.
    clock: Box<dyn FnMut() -> Instant>,
}

impl Progress<io::Stderr> {
    /// An indicator on standard error counting `what`, shown only when standard error is a
    /// terminal and, if `streams_to_stdout`, standard output is not one.
    pub(crate) fn on_stderr(what: &'static str, streams_to_stdout: bool) -> Self {
        let shown = io::stderr().is_terminal() && !(streams_to_stdout && io::stdout().is_terminal());
        Progress::new(shown.then(io::stderr), what, Box::new(Instant::now))
    }
}

impl<W: Write> Progress<W> {
    /// An indicator drawing on `out` (silent for `None`), reading time from `clock`.
    pub(crate) fn new(out: Option<W>, what: &'static str, mut clock: Box<dyn FnMut() -> Instant>) -> Self {
        let (next_check, last_drawn) = match out {
            Some(_) => (CHECK_EVERY, clock()),
            None => (u64::MAX, Instant::now()),
        };
        Progress { out, what, count: 0, next_check, last_drawn, shown: 0, clock }
    }

    /// Counts one record, and redraws the line when it is time.
    #[inline]
    pub(crate) fn tick(&mut self) {
        self.count += 1;
        if self.count >= self.next_check {
            self.check();
        }
    }

    /// Counts `n` records at once (a chunk's), and redraws the line when it is time.
    #[inline]
    pub(crate) fn advance(&mut self, n: usize) {
        self.count = self.count.saturating_add(n as u64);
        if self.count >= self.next_check {
            self.check();
        }
    }

    /// Looks at the clock and draws the line if a second has passed since it was last drawn.
    #[cold]
    fn check(&mut self) {
        self.next_check = self.count.saturating_add(CHECK_EVERY);
        let now = (self.clock)();
        if now.duration_since(self.last_drawn) >= INTERVAL {
            self.last_drawn = now;
            self.draw();
        }
    }

    /// Overwrites the line with the current count.
    fn draw(&mut self) {
        let Some(out) = &mut self.out else { return };
        let text = format!("  {} {}…", thousands(self.count), self.what);
        let width = text.chars().count();
        // A shorter line than the last (never with a growing count, but cheap) leaves no trail.
        let pad = self.shown.saturating_sub(width);
        let written = write!(out, "\r{text}{:pad$}", "").and_then(|()| out.flush());
        // An indicator that cannot be written is not worth an error: fall silent.
        match written {
            Ok(()) => self.shown = width + pad,
            Err(_) => self.silence(),
        }
    }

    /// Erases the line, if drawn, so that what follows on standard error starts clean. The
    /// indicator goes on and draws again when it is next due.
    pub(crate) fn clear(&mut self) {
        if self.shown == 0 {
            return;
        }
        let Some(out) = &mut self.out else { return };
        let written = write!(out, "\r{:width$}\r", "", width = self.shown).and_then(|()| out.flush());
        self.shown = 0;
        if written.is_err() {
            self.silence();
        }
    }

    /// Stops drawing for good.
    fn silence(&mut self) {
        self.out = None;
        self.shown = 0;
        self.next_check = u64::MAX;
    }

    /// Erases the line and stops counting. Dropping the indicator does the same.
    pub(crate) fn finish(mut self) {
        self.clear();
    }
}

impl<W: Write> Drop for Progress<W> {
    /// Erases the line, so that an error message that ends the command starts clean.
    fn drop(&mut self) {
        self.clear();
    }
}

/// `1234567` as `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use super::*;

    /// A writer whose bytes the test can still read while the indicator owns it.
    #[derive(Clone, Default)]
    struct Screen(Rc<RefCell<Vec<u8>>>);

    impl Write for Screen {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Screen {
        fn text(&self) -> String {
            String::from_utf8(self.0.borrow().clone()).unwrap()
        }
    }

    /// A clock the test moves by hand, counting how often it is read.
    #[derive(Clone)]
    struct Clock {
        now: Rc<Cell<Instant>>,
        reads: Rc<Cell<u64>>,
    }

    impl Clock {
        fn new() -> Clock {
            Clock { now: Rc::new(Cell::new(Instant::now())), reads: Rc::new(Cell::new(0)) }
        }
        fn advance(&self, by: Duration) {
            self.now.set(self.now.get() + by);
        }
        fn boxed(&self) -> Box<dyn FnMut() -> Instant> {
            let clock = self.clone();
            Box::new(move || {
                clock.reads.set(clock.reads.get() + 1);
                clock.now.get()
            })
        }
    }

    fn ticks<W: Write>(progress: &mut Progress<W>, n: u64) {
        for _ in 0..n {
            progress.tick();
        }
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_200_000), "1,200,000");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn silent_when_not_a_terminal_and_never_reads_the_clock() {
        let clock = Clock::new();
        let mut progress = Progress::<Screen>::new(None, "records", clock.boxed());
        for _ in 0..5 {
            clock.advance(INTERVAL * 2);
            ticks(&mut progress, CHECK_EVERY * 3);
        }
        progress.finish();
        assert_eq!(clock.reads.get(), 0);
    }

    #[test]
    fn nothing_during_the_first_second_nor_for_short_inputs() {
        let (screen, clock) = (Screen::default(), Clock::new());
        let mut progress = Progress::new(Some(screen.clone()), "records", clock.boxed());
        ticks(&mut progress, CHECK_EVERY * 10);
        clock.advance(INTERVAL / 2);
        ticks(&mut progress, CHECK_EVERY * 10);
        progress.finish();
        assert_eq!(screen.text(), "");
    }

    #[test]
    fn draws_about_once_a_second_on_one_line_and_clears_it_at_the_end() {
        let (screen, clock) = (Screen::default(), Clock::new());
        let mut progress = Progress::new(Some(screen.clone()), "records", clock.boxed());
        ticks(&mut progress, CHECK_EVERY - 1);
        clock.advance(INTERVAL);
        assert_eq!(screen.text(), "");
        progress.tick(); // the clock is looked at, a second has passed
        let first = format!("\r  {} records…", thousands(CHECK_EVERY));
        assert_eq!(screen.text(), first);
        ticks(&mut progress, CHECK_EVERY * 5); // less than a second later: no redraw
        assert_eq!(screen.text(), first);
        clock.advance(INTERVAL);
        ticks(&mut progress, CHECK_EVERY);
        let second = format!("\r  {} records…", thousands(CHECK_EVERY * 7));
        assert_eq!(screen.text(), format!("{first}{second}"));
        progress.finish();
        let width = second.chars().count() - 1;
        assert_eq!(screen.text(), format!("{first}{second}\r{}\r", " ".repeat(width)));
        assert!(!screen.text().contains('\n'));
    }

    #[test]
    fn reads_the_clock_only_every_check_every_records() {
        let clock = Clock::new();
        let mut progress = Progress::new(Some(Screen::default()), "lines", clock.boxed());
        assert_eq!(clock.reads.get(), 1); // the start
        ticks(&mut progress, CHECK_EVERY * 100 + 5);
        assert_eq!(clock.reads.get(), 1 + 100);
    }

    #[test]
    fn clear_makes_room_for_a_message_and_drawing_goes_on() {
        let (screen, clock) = (Screen::default(), Clock::new());
        let mut progress = Progress::new(Some(screen.clone()), "lines", clock.boxed());
        progress.clear(); // nothing drawn: nothing to clear
        assert_eq!(screen.text(), "");
        clock.advance(INTERVAL);
        ticks(&mut progress, CHECK_EVERY);
        progress.clear();
        let line = format!("  {} lines…", thousands(CHECK_EVERY));
        let blank = " ".repeat(line.chars().count());
        assert_eq!(screen.text(), format!("\r{line}\r{blank}\r"));
        progress.clear(); // already clear
        clock.advance(INTERVAL);
        ticks(&mut progress, CHECK_EVERY);
        drop(progress); // dropping clears too
        let line2 = format!("  {} lines…", thousands(CHECK_EVERY * 2));
        let blank2 = " ".repeat(line2.chars().count());
        assert_eq!(screen.text(), format!("\r{line}\r{blank}\r\r{line2}\r{blank2}\r"));
    }

    #[test]
    fn a_writer_that_fails_silences_the_indicator() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let clock = Clock::new();
        let mut progress = Progress::new(Some(Broken), "records", clock.boxed());
        clock.advance(INTERVAL);
        ticks(&mut progress, CHECK_EVERY);
        let reads = clock.reads.get();
        clock.advance(INTERVAL);
        ticks(&mut progress, CHECK_EVERY * 10);
        assert_eq!(clock.reads.get(), reads, "no more clock readings once silent");
        progress.finish();
    }
}
