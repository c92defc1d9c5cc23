//! One open document: its text, the definition it loads to (if it does), and what the
//! server derives from them: the diagnostics `leadspec check` reports and the canonical
//! layout of `leadspec fmt`.

use chrono::{DateTime, Utc};
use lsp_types::{DiagnosticSeverity, NumberOrString, TextEdit};

use super::position::Lines;
use crate::{format_definition, Definition, Diagnostic, Severity};

/// The text of an open document and what it loads to.
pub(crate) struct Document {
    /// The document's current text.
    pub(crate) text: String,
    /// The definition, when the text is one that loads.
    pub(crate) definition: Option<Definition>,
    /// Every problem, as `check` reports them (empty for TOML that is no definition).
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Document {
    /// Loads `text` as `leadspec check` does.
    pub(crate) fn new(text: String) -> Document {
        let mut document = Document { text, definition: None, diagnostics: Vec::new() };
        document.reload();
        document
    }

    /// Loads the current text again, after a change.
    pub(crate) fn reload(&mut self) {
        self.definition = None;
        self.diagnostics.clear();
        if !looks_like_definition(&self.text) {
            return;
        }
        match Definition::from_toml(&self.text) {
            Err(error) => self.diagnostics = error.diagnostics,
            Ok(definition) => {
                let mut diagnostics = definition.warnings().to_vec();
                diagnostics.extend(definition.run_examples(now()).iter().filter_map(|c| c.to_diagnostic()));
                diagnostics.sort_by_key(|d| (d.span.start, std::cmp::Reverse(d.severity)));
                self.diagnostics = diagnostics;
                self.definition = Some(definition);
            }
        }
    }

    /// The diagnostics in LSP's form.
    pub(crate) fn lsp_diagnostics(&self) -> Vec<lsp_types::Diagnostic> {
        lsp_diagnostics(&self.text, &self.diagnostics)
    }

    /// The edits of `textDocument/formatting`: the whole document replaced by its canonical
    /// layout; none when it is already formatted or does not load.
    pub(crate) fn formatting(&self) -> Vec<TextEdit> {
        if !looks_like_definition(&self.text) {
            return Vec::new();
        }
        match format_definition(&self.text) {
            Ok(formatted) if formatted != self.text => {
                let range = Lines::new(&self.text).range(0, self.text.len());
                vec![TextEdit::new(range, formatted)]
            }
            _ => Vec::new(),
        }
    }
}

/// Whether `text` looks like a definition file: it has a `[definition]` table. Other TOML
/// (a `Cargo.toml`, an editor's settings) gets no diagnostics.
pub(crate) fn looks_like_definition(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        line.strip_prefix('[')
            .map(|rest| rest.trim_start())
            .and_then(|rest| rest.strip_prefix("definition"))
            .is_some_and(|rest| rest.trim_start().starts_with(']'))
    })
}

/// `diagnostics` of `text` in LSP's form.
pub(crate) fn lsp_diagnostics(text: &str, diagnostics: &[Diagnostic]) -> Vec<lsp_types::Diagnostic> {
    let lines = Lines::new(text);
    diagnostics.iter().map(|d| to_lsp(d, &lines)).collect()
}

/// The reference time for the definition's examples that give none, and for the analysis:
/// now, as `check` without `--now`.
pub(crate) fn now() -> DateTime<Utc> {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let seconds = i64::try_from(since.as_secs()).unwrap_or(0);
    DateTime::from_timestamp(seconds, since.subsec_nanos()).unwrap_or_default()
}

/// One diagnostic in LSP's form: its span as a range, its severity, its stable code, the
/// source `leadspec`, and the message followed by the hint in parentheses (as the one-line
/// form of `check` writes it).
fn to_lsp(diagnostic: &Diagnostic, lines: &Lines<'_>) -> lsp_types::Diagnostic {
    let severity = match diagnostic.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    };
    let message = match &diagnostic.hint {
        Some(hint) => format!("{} ({hint})", diagnostic.message),
        None => diagnostic.message.clone(),
    };
    lsp_types::Diagnostic {
        range: lines.range(diagnostic.span.start, diagnostic.span.end),
        severity: Some(severity),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_string())),
        source: Some("leadspec".to_string()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_definitions_are_checked() {
        assert!(looks_like_definition("# x\n[definition]\nname = \"a\"\n"));
        assert!(looks_like_definition("  [ definition ] # the header\n"));
        assert!(!looks_like_definition("[package]\nname = \"definition\"\n[definitions]\n"));
        assert!(!looks_like_definition("[[definition]]\n"));
        assert!(Document::new("[package]\nname = 1\nbad".to_string()).lsp_diagnostics().is_empty());
    }
}
