//! Diagnostics rendered as `leadspec check` prints them: a header line, then the source
//! line with a caret under the problem, labelled with the hint (feature `render`).

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{floor_char_boundary, Diagnostic, LoadError, Severity};

impl Diagnostic {
    /// This diagnostic as `leadspec check` prints it: `FILE:LINE:COL: error: MESSAGE` (or
    /// `warning:`), then the line of `source` it points at with a caret under its span
    /// (clipped to that line) labelled with the hint, then a blank line. When the line is
    /// blank (a problem with the file as a whole, or at its end), the hint follows as
    /// `  = help: HINT` instead.
    ///
    /// `source` is the text the diagnostic was made from; with another text the line shown
    /// is whatever is at the span (nothing panics). Feature `render`.
    ///
    /// ```
    /// let source = "[definition]\nname = \"x\"\n[teams]\nsales = \"Sales\"\n[[stages]]\nid = \"a\"\nowner = \"sales\"\nwhen = \"budgett >= 1\"\n";
    /// let error = leadspec::Definition::from_toml(source).unwrap_err();
    /// assert_eq!(error.diagnostics[0].render("acme.toml", source), "\
    /// acme.toml:8:9: error: unknown field `budgett`
    ///   |
    /// 8 | when = \"budgett >= 1\"
    ///   |         ^^^^^^^
    ///
    /// ");
    /// ```
    pub fn render(&self, file_name: &str, source: &str) -> String {
        let mut text = String::new();
        self.render_into(&mut text, file_name, source);
        text
    }

    fn render_into(&self, text: &mut String, file_name: &str, source: &str) {
        text.push_str(&format!("{file_name}:{}:{}: {}: {}\n", self.line, self.column, self.severity, self.message));
        // The line holding the start of the span, without its line break.
        let at = floor_char_boundary(source, self.span.start);
        let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
        let mut line_end = source[at..].find('\n').map_or(source.len(), |i| at + i);
        if line_end > line_start && source.as_bytes()[line_end - 1] == b'\r' {
            line_end -= 1;
        }
        let line = line_start..line_end.max(line_start);
        let line_text = &source[line.clone()];
        if line_text.trim().is_empty() {
            // Nothing to point at (an error about the file as a whole, or at its end).
            if let Some(hint) = &self.hint {
                text.push_str(&format!("  = help: {hint}\n"));
            }
            return;
        }
        let start = floor_char_boundary(source, at.clamp(line.start, line.end));
        let mut end = floor_char_boundary(source, self.span.end.clamp(start, line.end));
        if end == start && end < line.end {
            // An empty span still gets a caret: under the character it starts at.
            end = start + line_text[start - line.start..].chars().next().map_or(0, char::len_utf8);
        }
        let mut annotation = AnnotationKind::Primary.span(start - line.start..end - line.start);
        if let Some(hint) = &self.hint {
            annotation = annotation.label(hint.as_str());
        }
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let report = [Group::with_level(level)
            .element(Snippet::source(line_text).line_start(self.line).fold(false).annotation(annotation))];
        let rendered = Renderer::plain().render(&report);
        text.push_str(rendered.trim_end_matches('\n'));
        text.push_str("\n\n");
    }
}

impl LoadError {
    /// Every diagnostic, in order, as `leadspec check` prints them for a file named
    /// `file_name` whose text is `source` (see [`Diagnostic::render`]). Feature `render`.
    ///
    /// ```
    /// let source = "[definition]\nname = \"x\"\n[teams]\nsales = \"Sales\"\n[[stages]]\nid = \"a\"\nonwer = \"sales\"\nwhen = \"true\"\n";
    /// let error = leadspec::Definition::from_toml(source).unwrap_err();
    /// assert_eq!(error.render("acme.toml", source), "\
    /// acme.toml:7:1: error: unknown key `onwer` in [[stages]]
    ///   |
    /// 7 | onwer = \"sales\"
    ///   | ^^^^^ did you mean `owner`?
    ///
    /// ");
    /// ```
    pub fn render(&self, file_name: &str, source: &str) -> String {
        let mut text = String::new();
        for diagnostic in &self.diagnostics {
            diagnostic.render_into(&mut text, file_name, source);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DiagnosticCode;

    fn diagnostic(span: std::ops::Range<usize>, line: usize, hint: Option<&str>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            code: DiagnosticCode::UnknownKey,
            message: "m".into(),
            span,
            line,
            column: 1,
            hint: hint.map(str::to_string),
        }
    }

    #[test]
    fn a_problem_on_a_blank_line_shows_its_hint_as_help() {
        let text = diagnostic(4..4, 2, Some("add it")).render("f.toml", "a=1\n\n");
        assert_eq!(text, "f.toml:2:1: warning: m\n  = help: add it\n");
    }

    #[test]
    fn an_empty_span_gets_a_caret_under_its_character_and_crlf_is_not_shown() {
        let text = diagnostic(2..2, 1, None).render("f.toml", "a=é\r\nb=2\r\n");
        assert_eq!(text, "f.toml:1:1: warning: m\n  |\n1 | a=é\n  |   ^\n\n");
    }

    proptest::proptest! {
        #[test]
        fn any_diagnostic_renders_against_any_text(
            source in "[a=é\n\r\t😀 ]{0,40}",
            start in 0usize..60,
            len in 0usize..60,
            line in 0usize..5,
        ) {
            let text = diagnostic(start..start + len, line, Some("h")).render("f", &source);
            proptest::prop_assert!(text.starts_with("f:"));
            let reversed = diagnostic(start + len..start, line, None).render("f", &source);
            proptest::prop_assert!(reversed.starts_with("f:"));
        }
    }
}
