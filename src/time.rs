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

/// Parses a reference time: `YYYY-MM-DD` (00:00 UTC that day) or an RFC 3339 date-time.
///
/// ```
/// use leadspec::parse_reference_time;
/// let day = parse_reference_time("2026-11-22").unwrap();
/// assert_eq!(day.to_rfc3339(), "2026-11-22T00:00:00+00:00");
/// let t = parse_reference_time("2026-11-22T10:30:00+02:00").unwrap();
/// assert_eq!(t.to_rfc3339(), "2026-11-22T08:30:00+00:00");
/// assert!(parse_reference_time("22/11/2026").is_none());
/// ```
pub fn parse_reference_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        if text.len() == 10 {
            return date.and_hms_opt(0, 0, 0).map(|dt| dt.and_utc());
        }
    }
    DateTime::parse_from_rfc3339(text).ok().map(|dt| dt.with_timezone(&Utc))
}

/// Formats a time as RFC 3339 in UTC with a `Z`, as the command line prints it.
pub fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}
