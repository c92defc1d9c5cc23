//! Bounds on what a definition and a record may hold, so hostile input fails cleanly.

/// Limits applied while loading a definition and reading records.
///
/// Going past one is an ordinary positioned error, never a crash or a hang. The defaults
/// are generous for any real lifecycle; lower them for untrusted input, raise them for
/// generated definitions.
///
/// # What loading costs
///
/// Within these limits, loading a definition takes time and memory in proportion to its
/// size: names are looked up by index, not compared one by one, and a rule refers to an
/// enum field's values, a criterion or a regex shared by the whole definition rather than
/// copying it. The worst cases measured, with the default limits, over definitions built
/// to be costly (release build on a shared 2-core VM;
/// `cargo test --release --all-features --test large_definitions -- --ignored --nocapture measure`,
/// with the figures in BENCHMARKS.md):
///
/// - **Time:** about 0.3 s per MiB of definition. At the 16 MiB limit, 4 s for a file of
///   8 million small errors, and under 2 s for one that loads (a million teams). Did-you-mean
///   hints take part of it: at most 16 Mi units of work plus 8 per byte (some 30 ms plus
///   20 ms per MiB), after which problems get no hint.
/// - **Memory:** at the peak, about 50 MiB of heap per MiB of a definition that loads
///   (most of it the TOML parser's tokens and events, freed once loaded), and up to
///   about 160 MiB per MiB of one made of errors, each a message with its position
///   (2.4 GB for 8 million errors in a 16 MB file).
/// - **Regexes,** in all: `matches` patterns compile within [`Limits::max_regex_total_bytes`],
///   which bounds their memory to about that much (64 MiB) and their compiling to about
///   a third of a second, whatever the definition's size.
///
/// ```
/// use leadspec::Limits;
/// let strict = Limits { max_stages: 50, ..Limits::default() };
/// assert_eq!(strict.max_stages, 50);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest definition source, in bytes (default 16 MiB).
    pub max_definition_bytes: usize,
    /// Most stages in one definition (default 10,000).
    pub max_stages: usize,
    /// Most fields in one definition (default 10,000).
    pub max_fields: usize,
    /// Most criteria in one qualification framework (default 1,000).
    pub max_criteria: usize,
    /// Longest rule expression, in bytes (default 64 KiB).
    pub max_rule_bytes: usize,
    /// Deepest nesting of parentheses and operators in one rule (default 64).
    pub max_rule_depth: usize,
    /// Most items in one list literal of a rule (default 10,000).
    pub max_list_items: usize,
    /// Compiled size limit of one `matches` regex, in bytes (the `regex` crate's `size_limit`, default 1 MiB).
    pub max_regex_bytes: usize,
    /// Compiled size of all the `matches` regexes of one definition together, in bytes
    /// (default 64 MiB). Each distinct pattern counts once, as 8 KiB plus the size limits it
    /// was tried under (1 KiB, then 8 times more until it compiles, up to `max_regex_bytes`):
    /// a pattern with a Unicode class such as `\w` takes about 80 KiB of it, so the default
    /// holds some 800 of those, or 7,000 plain patterns such as `gmbh$`.
    pub max_regex_total_bytes: usize,
    /// Longest input line, CSV record or JSON document element read by `leadspec::read`
    /// (and so by the command line), in bytes (default 16 MiB).
    pub max_record_bytes: usize,
    /// Deepest nesting of a JSON value inside a record read by `leadspec::read` (default 64).
    pub max_value_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_definition_bytes: 16 << 20,
            max_stages: 10_000,
            max_fields: 10_000,
            max_criteria: 1_000,
            max_rule_bytes: 64 << 10,
            max_rule_depth: 64,
            max_list_items: 10_000,
            max_regex_bytes: 1 << 20,
            max_regex_total_bytes: 64 << 20,
            max_record_bytes: 16 << 20,
            max_value_depth: 64,
        }
    }
}
