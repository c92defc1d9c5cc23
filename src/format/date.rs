//! Reading dates: the time zone of date-times written without an offset (`[input]
//! timezone`), the `formats` patterns ([`DateFormat`]), and the built-in forms every date
//! field reads (`YYYY-MM-DD`, RFC 3339, date-times without an offset in the zone).

use std::fmt;

use chrono::format::{Item, Parsed};
use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone as _, Utc};

/// The time zone of date-times written without an offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Zone {
    /// UTC, the default.
    Utc,
    /// A fixed offset such as `+02:00`, with its text.
    Fixed(FixedOffset, String),
    /// An IANA zone such as `America/New_York`.
    Named(chrono_tz::Tz),
}

impl Zone {
    /// The zone named by `text`: an IANA name or a fixed offset `±HH:MM`.
    pub(crate) fn parse(text: &str) -> Option<Zone> {
        if let Some(offset) = parse_fixed_offset(text) {
            return Some(Zone::Fixed(offset, text.to_string()));
        }
        text.parse::<chrono_tz::Tz>().ok().map(Zone::Named)
    }

    /// The zone's name as written (`UTC` for the default).
    pub(crate) fn name(&self) -> &str {
        match self {
            Zone::Utc => "UTC",
            Zone::Fixed(_, text) => text,
            Zone::Named(tz) => tz.name(),
        }
    }

    /// The UTC date of a local date-time in this zone. A local time that does not exist
    /// (skipped by a clock change) or occurs twice takes the offset in effect before the
    /// change.
    pub(crate) fn utc_date(&self, local: NaiveDateTime) -> Option<NaiveDate> {
        let offset_seconds = match self {
            Zone::Utc => 0,
            Zone::Fixed(offset, _) => offset.local_minus_utc(),
            Zone::Named(tz) => match tz.offset_from_local_datetime(&local) {
                chrono::LocalResult::Single(offset) => offset.fix().local_minus_utc(),
                chrono::LocalResult::Ambiguous(earlier, _) => earlier.fix().local_minus_utc(),
                chrono::LocalResult::None => {
                    // In a gap: the offset a day before, read as if the local time were UTC.
                    let before = local.checked_sub_days(Days::new(1))?;
                    tz.offset_from_utc_datetime(&before).fix().local_minus_utc()
                }
            },
        };
        local.checked_sub_signed(chrono::TimeDelta::seconds(i64::from(offset_seconds))).map(|utc| utc.date())
    }
}

/// The offsets of an IANA zone from UTC, as chrono-tz knows them, from 1800 to 2400: the
/// first entry holds from the beginning of time, each later one from its instant (seconds
/// since the epoch). Found by asking the zone its offset every week and, where two weeks
/// differ, bisecting to the second. (For the SQL compiler, whose SQLite queries carry a
/// zone's rules as a table.)
#[cfg(feature = "sql")]
pub(crate) fn transitions(tz: chrono_tz::Tz) -> Vec<(i64, i32)> {
    let offset = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map_or(0, |utc| tz.offset_from_utc_datetime(&utc.naive_utc()).fix().local_minus_utc())
    };
    const WEEK: i64 = 7 * 86_400;
    let (start, end) = (-5_364_662_400i64, 13_569_465_600i64); // 1800-01-01, 2400-01-01
    let mut out = vec![(i64::MIN, offset(start))];
    let mut t = start;
    while t < end {
        let next = t + WEEK;
        if offset(next) != offset(t) {
            // The change lies in (t, next]: bisect to its first second.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(mid) == offset(t) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push((hi, offset(hi)));
        }
        t = next;
    }
    out
}

/// `±HH:MM` (hours up to 23), as RFC 3339 writes an offset.
fn parse_fixed_offset(text: &str) -> Option<FixedOffset> {
    let b = text.as_bytes();
    if b.len() != 6 || b[3] != b':' || !b.iter().enumerate().all(|(i, c)| i == 0 || i == 3 || c.is_ascii_digit()) {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours = i32::from(b[1] - b'0') * 10 + i32::from(b[2] - b'0');
    let minutes = i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// The IANA zone names, for did-you-mean hints.
pub(crate) fn zone_names() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
}

/// A date pattern of `formats`, parsed once when the definition loads.
///
/// A date field tries its patterns, in order, after the ISO forms (`YYYY-MM-DD`, RFC 3339):
///
/// ```
/// use leadspec::{Record, Slot};
/// let d = leadspec::Definition::from_toml(r#"
///     [definition]
///     name = "Dates"
///     [teams]
///     m = "M"
///     [fields]
///     created = { type = "date", formats = ["%d.%m.%Y", "%d %b %Y"] }
///     [[stages]]
///     id = "new"
///     owner = "m"
///     when = "created >= 2026-01-01"
/// "#)?;
/// let created = d.field_position("created").unwrap();
/// let patterns: Vec<&str> = d.field_at(created).unwrap().format().formats().iter().map(|f| f.pattern()).collect();
/// assert_eq!(patterns, ["%d.%m.%Y", "%d %b %Y"]);
/// let date = |text: &str| match d.prepare(&Record::new().with("created", text)).slot(created) {
///     Some(Slot::Date(day)) => Some(day),
///     _ => None,
/// };
/// let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 9);
/// assert_eq!(date("09.03.2026"), day);
/// assert_eq!(date("9 Mar 2026"), day);
/// assert_eq!(date("2026-03-09"), day);
/// assert_eq!(date("03/09/2026"), None); // invalid: no pattern reads it
/// # Ok::<(), leadspec::LoadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateFormat {
    pattern: String,
    items: Vec<Item<'static>>,
}

impl DateFormat {
    /// Parses a pattern in chrono's `strftime` syntax, and checks that it reads a whole
    /// date: a pattern chrono cannot parse, or one without a year, month and day (or their
    /// equivalents), is refused with the reason.
    ///
    /// ```
    /// use leadspec::DateFormat;
    /// assert!(DateFormat::new("%d %b, %Y %H:%M:%S").is_ok());
    /// assert!(DateFormat::new("%d.%m.%Y").is_ok());
    /// assert!(DateFormat::new("%Q").is_err()); // no such specifier
    /// assert!(DateFormat::new("%d.%m").is_err()); // no year
    /// ```
    pub fn new(pattern: &str) -> Result<DateFormat, String> {
        let items = chrono::format::StrftimeItems::new(pattern)
            .parse_to_owned()
            .map_err(|_| format!("`{pattern}` is not a chrono strftime pattern"))?;
        let format = DateFormat { pattern: pattern.to_string(), items };
        // Writing a sample time with the pattern and reading it back shows whether the
        // pattern holds enough to give a date.
        let sample = FixedOffset::east_opt(2 * 3600)
            .and_then(|o| o.with_ymd_and_hms(2026, 11, 22, 15, 30, 45).single())
            .ok_or_else(|| "internal error: no sample time".to_string())?;
        let mut written = String::new();
        let wrote = fmt::write(&mut written, format_args!("{}", sample.format_with_items(format.items.iter())));
        if wrote.is_err() || format.read(&written, &Zone::Utc).is_none() {
            return Err(format!(
                "`{pattern}` does not read a whole date (it needs a year, a month and a day, and minutes with an hour)"
            ));
        }
        Ok(format)
    }

    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The pattern's parsed items (for the SQL compiler, which reads them one by one).
    #[cfg(feature = "sql")]
    pub(crate) fn items(&self) -> &[Item<'static>] {
        &self.items
    }

    /// The UTC date `text` gives under this pattern: an instant (a pattern with an offset)
    /// by its UTC date, a full time without an offset in `zone`, a date as written.
    pub(crate) fn read(&self, text: &str, zone: &Zone) -> Option<NaiveDate> {
        let mut parsed = Parsed::new();
        chrono::format::parse(&mut parsed, text, self.items.iter()).ok()?;
        if parsed.offset().is_some() || parsed.timestamp().is_some() {
            return parsed.to_datetime().ok().map(|dt| dt.with_timezone(&Utc).date_naive());
        }
        if parsed.hour_div_12().is_some() || parsed.hour_mod_12().is_some() || parsed.minute().is_some() {
            let date = parsed.to_naive_date().ok()?;
            let time = parsed.to_naive_time().ok()?;
            return zone.utc_date(date.and_time(time));
        }
        parsed.to_naive_date().ok()
    }
}

/// The UTC date of `text` (already trimmed): `YYYY-MM-DD`; an RFC 3339 date-time; a
/// date-time without an offset (`YYYY-MM-DD HH:MM[:SS[.fraction]]`, or with `T`) in
/// `zone`; then each of `formats` in order.
pub(crate) fn read_date(text: &str, formats: &[DateFormat], zone: &Zone) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if let Some(date) = plain_date(b) {
        return Some(date);
    }
    if b.len() >= 16 && b.len() <= 40 && matches!(b[10], b'T' | b't' | b' ') {
        // Without an offset (the cheaper test), else with one.
        if let Some(local) = local_date_time(b) {
            return zone.utc_date(local);
        }
        if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
            return Some(dt.with_timezone(&Utc).date_naive());
        }
    }
    formats.iter().find_map(|f| f.read(text, zone))
}

/// `YYYY-MM-DD`, checked digit by digit before chrono validates the calendar.
fn plain_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if !b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    NaiveDate::from_ymd_opt(i32::try_from(n(0..4)).ok()?, n(5..7), n(8..10))
}

/// `YYYY-MM-DD HH:MM[:SS[.fraction]]` (or `T` for the space), without an offset.
fn local_date_time(b: &[u8]) -> Option<NaiveDateTime> {
    let date = plain_date(b.get(..10)?)?;
    let t = &b[11..];
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*t.get(i)?, *t.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit()).then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    let hour = two(0)?;
    if t.get(2) != Some(&b':') {
        return None;
    }
    let minute = two(3)?;
    let (mut second, mut nano, mut end) = (0, 0, 5);
    if t.get(5) == Some(&b':') {
        second = two(6)?;
        end = 8;
        if t.get(8) == Some(&b'.') {
            let digits = t[9..].iter().take_while(|d| d.is_ascii_digit()).count();
            if digits == 0 || digits > 9 {
                return None;
            }
            let fraction = t[9..9 + digits].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
            nano = fraction * 10u32.pow(9 - digits as u32);
            end = 9 + digits;
        }
    }
    if end != t.len() {
        return None;
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nano).map(|time| date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_built_in_forms_and_zones() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let ny = Zone::parse("America/New_York").unwrap();
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        let plus2 = Zone::parse("+02:00").unwrap();
        assert_eq!(read_date("2026-11-22", &[], &ny), d("2026-11-22"));
        assert_eq!(read_date("2018-02-26 19:58:54", &[], &Zone::Utc), d("2018-02-26"));
        assert_eq!(read_date("2018-02-26 19:58:54", &[], &ny), d("2018-02-27"));
        assert_eq!(read_date("2018-02-26T19:58", &[], &ny), d("2018-02-27"));
        assert_eq!(read_date("2026-11-01 00:30:00.25", &[], &berlin), d("2026-10-31"));
        assert_eq!(read_date("2026-11-01 01:30", &[], &plus2), d("2026-10-31"));
        assert_eq!(read_date("2026-11-01T01:30:00+02:00", &[], &ny), d("2026-10-31"));
        assert_eq!(read_date("2026-11-01 25:30", &[], &ny), None);
        assert_eq!(read_date("2026-11-01 1:30", &[], &ny), None);
        assert_eq!(read_date("2026-11-01 01:30:00.", &[], &ny), None);
        // Berlin skips 02:00-03:00 on 2026-03-29 and has 02:00-03:00 twice on 2026-10-25.
        assert_eq!(read_date("2026-03-29 02:30", &[], &berlin), d("2026-03-29"));
        assert_eq!(read_date("2026-10-25 02:30", &[], &berlin), d("2026-10-25"));
        let tokyo = Zone::parse("Asia/Tokyo").unwrap();
        assert_eq!(read_date("2026-10-25 08:59", &[], &tokyo), d("2026-10-24"));
    }

    #[test]
    fn date_patterns_read_instants_local_times_and_dates() {
        let ny = Zone::parse("America/New_York").unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let zoho = DateFormat::new("%d %b, %Y %H:%M:%S").unwrap();
        assert_eq!(zoho.read("15 Apr, 2021 00:03:00", &Zone::Utc), d("2021-04-15"));
        assert_eq!(zoho.read("14 Apr, 2021 22:30:00", &ny), d("2021-04-15"));
        // Month names follow chrono: any case; literals are case-sensitive.
        assert_eq!(zoho.read("15 APR, 2021 00:03:00", &Zone::Utc), d("2021-04-15"));
        let at = DateFormat::new("%d.%m.%Y at %H:%M").unwrap();
        assert_eq!(at.read("15.04.2021 at 10:00", &Zone::Utc), d("2021-04-15"));
        assert_eq!(at.read("15.04.2021 AT 10:00", &Zone::Utc), None);
        let us = DateFormat::new("%m/%d/%Y").unwrap();
        assert_eq!(us.read("04/15/2021", &ny), d("2021-04-15"), "a date is taken as written");
        assert_eq!(us.read("4/15/2021", &ny), d("2021-04-15"));
        assert_eq!(us.read("04/15/2021 10:00", &ny), None, "the text is consumed whole");
        let offset = DateFormat::new("%Y-%m-%d %H:%M %z").unwrap();
        assert_eq!(offset.read("2021-04-15 23:30 -0300", &Zone::Utc), d("2021-04-16"));
        assert_eq!(read_date("04/15/2021", &[zoho.clone(), us.clone()], &ny), d("2021-04-15"));
        assert!(DateFormat::new("%H:%M").is_err());
        assert!(DateFormat::new("%Y-%m-%d %H").is_err());
        assert!(DateFormat::new("%").is_err());
        assert!(DateFormat::new("%Y-%m-%d").is_ok());
    }
}
