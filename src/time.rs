//! Reference times: the core never reads a clock, so every evaluation is given one.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// A date as days since 1970-01-01.
#[inline]
pub(crate) fn epoch_days(date: NaiveDate) -> i32 {
    date.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE
}

/// The date `days` after 1970-01-01; `None` outside chrono's calendar.
pub(crate) fn date_from_epoch_days(days: i64) -> Option<NaiveDate> {
    let from_ce = days.checked_add(i64::from(UNIX_EPOCH_DAYS_FROM_CE))?;
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(from_ce).ok()?)
}

/// Parses a reference time: `YYYY-MM-DD` (00:00 UTC that day) or an RFC 3339 date-time,
/// with spaces around it ignored.
///
/// ```
/// use leadspec::parse_reference_time;
/// let day = parse_reference_time("2026-11-22")?;
/// assert_eq!(day.to_rfc3339(), "2026-11-22T00:00:00+00:00");
/// let t = parse_reference_time("2026-11-22T10:30:00+02:00")?;
/// assert_eq!(t.to_rfc3339(), "2026-11-22T08:30:00+00:00");
/// let error = parse_reference_time("22/11/2026").unwrap_err();
/// assert_eq!(error.to_string(), "`22/11/2026` is not a date (YYYY-MM-DD) or an RFC 3339 date-time");
/// # Ok::<(), leadspec::ParseTimeError>(())
/// ```
pub fn parse_reference_time(text: &str) -> Result<DateTime<Utc>, ParseTimeError> {
    let trimmed = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        if trimmed.len() == 10 {
            if let Some(midnight) = date.and_hms_opt(0, 0, 0) {
                return Ok(midnight.and_utc());
            }
        }
    }
    DateTime::parse_from_rfc3339(trimmed)
        .map(|dt| dt.with_timezone(&Utc))
        .map_err(|_| ParseTimeError { text: text.to_string() })
}

/// Why a text is not a reference time for [`parse_reference_time`]: it is neither
/// `YYYY-MM-DD` nor an RFC 3339 date-time. Its message, the one the command line gives for
/// `--now` and `leadspec check` for an example's `now`, quotes the text as given.
///
/// ```
/// let error = leadspec::parse_reference_time("tomorrow").unwrap_err();
/// assert_eq!(error.text(), "tomorrow");
/// assert_eq!(error.to_string(), "`tomorrow` is not a date (YYYY-MM-DD) or an RFC 3339 date-time");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date (YYYY-MM-DD) or an RFC 3339 date-time")]
pub struct ParseTimeError {
    text: String,
}

impl ParseTimeError {
    /// The text that is not a reference time, as given.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Formats a time as RFC 3339 in UTC with a `Z`, as the command line prints it.
pub fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}
