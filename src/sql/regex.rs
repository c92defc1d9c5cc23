//! `matches` patterns rewritten for an engine: parsed by `regex-syntax` exactly as the
//! `regex` crate parses them, then written back from the parsed form with every class
//! spelled out as code point ranges, so that no escape, flag or class means something else
//! to the engine (`\d` and `\w` are Unicode in Rust and ASCII in RE2; `(?i)` folds case by
//! Unicode's tables in Rust). What has no exact counterpart is refused.
//!
//! PostgreSQL reads Tcl's "advanced" regular expressions (`~`), DuckDB RE2
//! (`regexp_matches`), Spark Java's (`RLIKE`, whose `$` would also match before a final
//! line break: `\z` there); all search unanchored, as `matches` does. Only whether a match
//! exists matters, so greediness and capture groups are dropped.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

use super::Dialect;

/// The most a bounded repetition may count: PostgreSQL refuses bounds over 255.
const MAX_BOUND: u32 = 255;

/// `pattern` (Rust `regex` syntax) written for `dialect`, or why it cannot be.
pub(super) fn translate(pattern: &str, d: Dialect) -> Result<String, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| format!("the pattern does not parse: {e}"))?;
    let mut out = String::new();
    write(&hir, d, &mut out)?;
    if out.len() > 64 * 1024 {
        return Err("the pattern's classes spell out to more than 64 KiB".to_string());
    }
    Ok(out)
}

fn write(hir: &Hir, d: Dialect, out: &mut String) -> Result<(), String> {
    match hir.kind() {
        HirKind::Empty => out.push_str("(?:)"),
        HirKind::Literal(lit) => {
            let text =
                std::str::from_utf8(&lit.0).map_err(|_| "the pattern matches bytes that are not UTF-8".to_string())?;
            for c in text.chars() {
                char_into(c, d, false, out);
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            let ranges = class.ranges();
            if ranges.is_empty() {
                return Err("the pattern holds a class that matches nothing".to_string());
            }
            if let [r] = ranges {
                if r.start() == r.end() {
                    char_into(r.start(), d, false, out);
                    return Ok(());
                }
            }
            out.push('[');
            for r in ranges {
                // PostgreSQL text never holds NUL, and its patterns may not name it.
                let start = if d == Dialect::Postgres && r.start() == '\0' { '\u{1}' } else { r.start() };
                if d == Dialect::Postgres && r.end() == '\0' {
                    continue;
                }
                char_into(start, d, true, out);
                if r.end() != r.start() {
                    out.push('-');
                    char_into(r.end(), d, true, out);
                }
            }
            out.push(']');
        }
        HirKind::Class(Class::Bytes(class)) => {
            if class.ranges().iter().any(|r| r.end() > 0x7f) {
                return Err("the pattern matches raw bytes ((?-u) beyond ASCII)".to_string());
            }
            if class.ranges().is_empty() {
                return Err("the pattern holds a class that matches nothing".to_string());
            }
            out.push('[');
            for r in class.ranges() {
                char_into(char::from(r.start()), d, true, out);
                if r.end() != r.start() {
                    out.push('-');
                    char_into(char::from(r.end()), d, true, out);
                }
            }
            out.push(']');
        }
        HirKind::Look(look) => out.push_str(&self::look(*look, d)?),
        HirKind::Repetition(rep) => {
            if rep.max.is_some_and(|m| m > MAX_BOUND) || rep.min > MAX_BOUND {
                return Err(format!("the pattern repeats more than {MAX_BOUND} times"));
            }
            out.push_str("(?:");
            write(&rep.sub, d, out)?;
            out.push(')');
            match (rep.min, rep.max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (min, None) => out.push_str(&format!("{{{min},}}")),
                (min, Some(max)) if min == max => out.push_str(&format!("{{{min}}}")),
                (min, Some(max)) => out.push_str(&format!("{{{min},{max}}}")),
            }
        }
        HirKind::Capture(cap) => {
            out.push_str("(?:");
            write(&cap.sub, d, out)?;
            out.push(')');
        }
        HirKind::Concat(items) => {
            for item in items {
                write(item, d, out)?;
            }
        }
        HirKind::Alternation(items) => {
            out.push_str("(?:");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                write(item, d, out)?;
            }
            out.push(')');
        }
    }
    Ok(())
}

/// An assertion, where the dialect has the same one.
fn look(look: Look, d: Dialect) -> Result<String, String> {
    Ok(match (look, d) {
        (Look::Start, Dialect::Spark) => "\\A".to_string(),
        (Look::End, Dialect::Spark) => "\\z".to_string(),
        (Look::Start, _) => "^".to_string(),
        (Look::End, _) => "$".to_string(),
        (Look::StartLF, Dialect::DuckDb) => "(?m:^)".to_string(),
        (Look::EndLF, Dialect::DuckDb) => "(?m:$)".to_string(),
        (Look::WordAscii, Dialect::DuckDb) => "\\b".to_string(),
        (Look::WordAsciiNegate, Dialect::DuckDb) => "\\B".to_string(),
        (Look::StartLF | Look::EndLF, _) => {
            return Err("multi-line anchors ((?m)^ and $) have no exact counterpart".to_string())
        }
        (Look::WordAscii | Look::WordAsciiNegate, _) => {
            return Err("word boundaries (\\b, \\B) have no exact counterpart".to_string())
        }
        _ => return Err("Unicode word boundaries and CRLF anchors have no exact counterpart".to_string()),
    })
}

/// One character, escaped where either engine could read it as something else.
fn char_into(c: char, d: Dialect, in_class: bool, out: &mut String) {
    if c.is_ascii_alphanumeric() || c == ' ' || c == '_' {
        out.push(c);
    } else if c.is_ascii_punctuation() {
        let _ = in_class;
        out.push('\\');
        out.push(c);
    } else if !c.is_control() && !c.is_whitespace() && u32::from(c) > 0x7f && !matches!(u32::from(c), 0xfff0..=0xffff) {
        out.push(c);
    } else {
        match d {
            Dialect::Postgres if u32::from(c) <= 0xffff => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            Dialect::Postgres => out.push_str(&format!("\\U{:08x}", u32::from(c))),
            _ => out.push_str(&format!("\\x{{{:x}}}", u32::from(c))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_spelled_out_and_groups_do_not_capture() {
        assert_eq!(translate("\\.io$", Dialect::Postgres).unwrap(), "\\.io$");
        assert_eq!(translate("(?i)ab", Dialect::DuckDb).unwrap(), "[Aa][Bb]");
        assert_eq!(translate("^(a|bc)+x{2,3}", Dialect::Postgres).unwrap(), "^(?:(?:(?:a|bc)))+(?:x){2,3}");
        assert_eq!(translate("[0-9]", Dialect::Postgres).unwrap(), "[0-9]");
        assert!(translate("a.b", Dialect::Postgres).unwrap().starts_with("a[\\u0001-\\u0009\\u000b-"));
        assert!(translate("a.b", Dialect::DuckDb).unwrap().starts_with("a[\\x{0}-\\x{9}\\x{b}-"));
    }

    #[test]
    fn what_has_no_counterpart_is_refused() {
        assert!(translate("\\bword\\b", Dialect::Postgres).is_err());
        assert!(translate("(?m)^x", Dialect::Postgres).is_err());
        assert!(translate("x{300}", Dialect::Postgres).is_err());
        assert_eq!(translate("(?-u:\\b)x", Dialect::DuckDb).unwrap(), "\\bx");
    }
}
