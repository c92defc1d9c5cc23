//! The query: one common table expression per step, each adding columns to the one before.
//!
//! `cells` (each column read as text), `trimmed`, `read` (missing flags and the local
//! seconds of date-times), `parsed` (typed values), `fields` (each field's state and
//! value), `criteria`, `qualified`, `scored`, `staged`, then the result's columns.

use super::cells::{self, Names};
use super::rules::{criterion, state, value, Env};
use super::{ident, Dialect, Refusal, SqlError, SqlOptions};
use crate::rule::Rule;
use crate::{Definition, FieldType, Requirement};

/// Where a refused construct is written, for its position.
enum Site<'a> {
    Rule(&'a Rule),
    Key(Vec<String>),
}

pub(super) fn write(definition: &Definition, d: Dialect, options: &SqlOptions) -> Result<String, SqlError> {
    let env = Env { d, definition, now: options.reference_time().map(|t| t.timestamp()), shifts: Default::default() };
    Query { definition, d, env }.write(options).map_err(|(refusal, site)| error(d, refusal, site))
}

struct Query<'a> {
    definition: &'a Definition,
    d: Dialect,
    env: Env<'a>,
}

type Failure<'a> = (Refusal, Site<'a>);

impl<'a> Query<'a> {
    fn write(mut self, options: &SqlOptions) -> Result<String, Failure<'a>> {
        let d = self.d;
        let def = self.definition;
        let fields = def.fields();
        let input = def.input();
        let id = ident(d, "id");
        let mut ctes: Vec<(String, String)> = Vec::new();
        if fields.iter().any(|f| f.ty == FieldType::Date) {
            ctes.extend(cells::zone_table(d, input));
        }

        // Every column read, as text; absent columns null through the join.
        let mut columns: Vec<&str> = vec![input.id_column()];
        for f in fields {
            if !columns.contains(&f.column()) {
                columns.push(f.column());
            }
        }
        let ws = d.white_space();
        let mut select = vec![
            format!("{} AS {id}", d.as_text(&ident(d, input.id_column()))),
            format!("{} AS {ws}", d.white_space_chars()),
        ];
        for (i, f) in fields.iter().enumerate() {
            select.push(format!("{} AS {}", d.as_text(&ident(d, f.column())), Names::new(d, i).cell));
        }
        let absent: Vec<String> =
            columns.iter().map(|c| format!("CAST(NULL AS {}) AS {}", d.text_type(), ident(d, c))).collect();
        ctes.push((
            "leadspec_cells".into(),
            format!(
                "SELECT {} FROM {} NATURAL LEFT JOIN (SELECT {}) AS leadspec_absent",
                select.join(", "),
                d.table(options.table_name()),
                absent.join(", ")
            ),
        ));

        let mut trimmed = vec![id.clone(), ws.clone()];
        for i in 0..fields.len() {
            let n = Names::new(d, i);
            trimmed.push(n.cell.clone());
            trimmed.push(format!("{} AS {}", d.trim(&n.cell, &ws), n.trimmed));
        }
        ctes.push(("leadspec_trimmed".into(), format!("SELECT {} FROM leadspec_cells", trimmed.join(", "))));

        let mut read = vec![id.clone(), ws.clone()];
        for (i, f) in fields.iter().enumerate() {
            let n = Names::new(d, i);
            let mut missing = cells::missing(d, f, input, &n.trimmed).map_err(|r| {
                let key = if input.missing().iter().any(|w| !w.is_ascii()) {
                    vec!["input".into(), "missing".into()]
                } else {
                    vec!["fields".into(), f.id.clone(), "missing".into()]
                };
                (r, Site::Key(key))
            })?;
            if f.ty == FieldType::List {
                missing = format!("({missing} OR {})", cells::list_is_blank(d, f, &n.trimmed));
            }
            read.extend([n.cell.clone(), n.trimmed.clone(), format!("{missing} AS {}", ident(d, &format!("m{i}")))]);
        }
        ctes.push(("leadspec_read".into(), format!("SELECT {} FROM leadspec_trimmed", read.join(", "))));

        let mut readings = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let n = Names::new(d, i);
            let reading = cells::value(d, f, input, i, &n).map_err(|r| {
                let key = if r.message.contains("time zone") {
                    vec!["input".into(), "timezone".into()]
                } else if r.message.contains("boolean word") {
                    let key = if f.format.true_words().iter().any(|w| !w.is_ascii()) { "true" } else { "false" };
                    vec!["fields".into(), f.id.clone(), key.into()]
                } else if r.message.contains("date pattern") {
                    vec!["fields".into(), f.id.clone(), "formats".into()]
                } else {
                    vec!["fields".into(), f.id.clone()]
                };
                (r, Site::Key(key))
            })?;
            readings.push(reading);
        }
        // The intermediate columns of every field's reading, a step at a time.
        let depth = readings.iter().map(|r| r.layers.len()).max().unwrap_or(0);
        let mut from = "leadspec_read".to_string();
        for step in 0..depth {
            let columns: Vec<String> = readings
                .iter()
                .filter_map(|r| r.layers.get(step))
                .flatten()
                .map(|(name, expr)| format!("{expr} AS {name}"))
                .collect();
            if columns.is_empty() {
                continue;
            }
            let name = format!("leadspec_step{step}");
            ctes.push((name.clone(), format!("SELECT *, {} FROM {from}", columns.join(", "))));
            from = name;
        }
        let mut parsed = vec![id.clone(), ws.clone()];
        for (i, reading) in readings.iter().enumerate() {
            parsed.push(format!("{} AS {}", ident(d, &format!("m{i}")), ident(d, &format!("m{i}"))));
            parsed.push(format!("{} AS {}", reading.value, ident(d, &format!("p{i}"))));
        }
        ctes.push(("leadspec_parsed".into(), format!("SELECT {} FROM {from}", parsed.join(", "))));

        let mut values = vec![id.clone(), ws.clone()];
        for i in 0..fields.len() {
            let (m, p) = (ident(d, &format!("m{i}")), ident(d, &format!("p{i}")));
            values.push(format!("(CASE WHEN {m} THEN 0 WHEN {p} IS NULL THEN 1 ELSE 2 END) AS {}", state(d, i)));
            values.push(format!("(CASE WHEN {m} THEN NULL ELSE {p} END) AS {}", value(d, i)));
        }
        ctes.push(("leadspec_fields".into(), format!("SELECT {} FROM leadspec_parsed", values.join(", "))));

        // The calendar shifts of times known per row, each a column computed step by step.
        let criteria = def.qualification().criteria();
        let mut rules: Vec<&'a Rule> = criteria.iter().map(|c| c.rule()).collect();
        rules.extend(def.scoring().into_iter().flat_map(|s| s.rules()).map(|r| r.rule()));
        rules.extend(def.stages().iter().map(|s| s.rule()));
        let mut from = "leadspec_fields".to_string();
        for rule in &rules {
            for shift in self.env.shifts_of([rule.root()]) {
                let key = shift.node as *const crate::rule::Time as usize;
                if self.env.shifts.contains_key(&key) {
                    continue;
                }
                let n = self.env.shifts.len();
                let (layers, column) = self.env.shift_layers(&shift, n).map_err(|r| (r, Site::Rule(rule)))?;
                for layer in layers {
                    let name = format!("leadspec_shift{n}_{}", ctes.len());
                    let columns: Vec<String> = layer.iter().map(|(c, e)| format!("{e} AS {c}")).collect();
                    ctes.push((name.clone(), format!("SELECT *, {} FROM {from}", columns.join(", "))));
                    from = name;
                }
                self.env.shifts.insert(key, column);
            }
        }

        // Criteria, then the qualification, then the score, then the stage.
        let mut with_criteria = vec!["*".to_string()];
        for (i, c) in criteria.iter().enumerate() {
            with_criteria.push(format!("{} AS {}", self.rule(c.rule())?, criterion(d, i)));
        }
        ctes.push(("leadspec_criteria".into(), format!("SELECT {} FROM {from}", with_criteria.join(", "))));

        let ks: Vec<String> = (0..criteria.len()).map(|i| criterion(d, i)).collect();
        let qualified = match def.qualification().require() {
            Requirement::All if ks.is_empty() => d.bool(true).to_string(),
            Requirement::Any if ks.is_empty() => d.bool(false).to_string(),
            Requirement::All => format!("({})", ks.join(" AND ")),
            Requirement::Any => format!("({})", ks.join(" OR ")),
            Requirement::AtLeast(n) => {
                let met: Vec<String> = ks.iter().map(|k| format!("(CASE WHEN {k} THEN 1 ELSE 0 END)")).collect();
                let possible: Vec<String> =
                    ks.iter().map(|k| format!("(CASE WHEN {k} IS NULL OR {k} THEN 1 ELSE 0 END)")).collect();
                let (met, possible) = (sum(&met), sum(&possible));
                format!(
                    "(CASE WHEN {met} >= {n} THEN {} WHEN {possible} < {n} THEN {} ELSE {} END)",
                    d.bool(true),
                    d.bool(false),
                    d.unknown()
                )
            }
        };
        ctes.push((
            "leadspec_qualified".into(),
            format!("SELECT *, {qualified} AS {} FROM leadspec_criteria", ident(d, "q")),
        ));

        let mut last = "leadspec_qualified";
        if let Some(scoring) = def.scoring() {
            let total: i128 = scoring.rules().iter().map(|r| i128::from(r.points()).abs()).sum();
            if total > i128::from(i64::MAX / 2) {
                return Err((
                    Refusal::new(format!("the points add up beyond what the {d} dialect's integers hold")),
                    Site::Key(vec!["scoring".into()]),
                ));
            }
            let mut terms = Vec::new();
            for r in scoring.rules() {
                // Each term 64-bit, so that no engine sums in 32 bits.
                terms.push(format!(
                    "(CASE WHEN {} THEN {} ELSE 0 END)",
                    self.rule(r.rule())?,
                    d.as_int(&r.points().to_string())
                ));
            }
            let mut score = if terms.is_empty() { "0".to_string() } else { sum(&terms) };
            if let Some(min) = scoring.min() {
                score = format!("(CASE WHEN {score} < {min} THEN {min} ELSE {score} END)");
            }
            if let Some(max) = scoring.max() {
                score = format!("(CASE WHEN {score} > {max} THEN {max} ELSE {score} END)");
            }
            ctes.push((
                "leadspec_scored".into(),
                format!("SELECT *, {} AS {} FROM leadspec_qualified", d.as_int(&score), ident(d, "score")),
            ));
            last = "leadspec_scored";
        }

        let mut stage_case = String::from("(CASE");
        for &index in def.classification_order() {
            let Some(stage) = def.stage_at(index) else { continue };
            stage_case.push_str(&format!(" WHEN {} THEN {}", self.rule(stage.rule())?, d.text(stage.id())));
        }
        stage_case.push_str(&format!(" ELSE CAST(NULL AS {}) END)", d.text_type()));
        ctes.push(("leadspec_staged".into(), format!("SELECT *, {stage_case} AS {} FROM {last}", ident(d, "stage"))));

        // The result.
        let stage_col = ident(d, "stage");
        let mut owner = format!("(CASE {stage_col}");
        for stage in def.stages() {
            let team = def.owner_of(stage).map_or("", |t| t.id.as_str());
            owner.push_str(&format!(" WHEN {} THEN {}", d.text(stage.id()), d.text(team)));
        }
        owner.push_str(&format!(" ELSE CAST(NULL AS {}) END)", d.text_type()));
        let word =
            |truth: &str| format!("(CASE WHEN {truth} THEN 'met' WHEN NOT {truth} THEN 'not_met' ELSE 'unknown' END)");
        let mut out = vec![id.clone(), stage_col.clone(), format!("{owner} AS {}", ident(d, "owner"))];
        out.push(format!("{} AS {}", word(&ident(d, "q")), ident(d, "qualified")));
        for (i, c) in criteria.iter().enumerate() {
            out.push(format!("{} AS {}", word(&criterion(d, i)), ident(d, &format!("criteria.{}", c.id()))));
        }
        if def.scoring().is_some() {
            out.push(ident(d, "score"));
        }
        let mut invalid = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let s = state(d, i);
            let requiring: Vec<String> =
                def.stages().iter().filter(|st| st.requires_position(i)).map(|st| d.text(st.id())).collect();
            let required = if f.required {
                d.bool(true).to_string()
            } else if requiring.is_empty() {
                d.bool(false).to_string()
            } else {
                format!("COALESCE({stage_col} IN ({}), {})", requiring.join(", "), d.bool(false))
            };
            let broken = if required == d.bool(false) {
                format!("{s} = 1")
            } else {
                format!("({s} = 1 OR ({s} = 0 AND {required}))")
            };
            invalid.push(format!("(CASE WHEN {broken} THEN {} ELSE '' END)", d.text(&format!(",{}", f.id))));
        }
        let invalid = if invalid.is_empty() {
            "''".to_string()
        } else {
            d.substr(&format!("({})", invalid.join(" || ")), "2", None)
        };
        out.push(format!("{invalid} AS {}", ident(d, "invalid")));

        // Each step is computed once per row and named: an engine that pulled a step into
        // the next would copy its expressions into every use (and PostgreSQL's planner
        // would run out of memory doing so). `OFFSET 0` keeps a PostgreSQL subquery whole;
        // SQLite is told to materialize.
        let with: Vec<String> = ctes
            .iter()
            .map(|(name, body)| match d {
                Dialect::Postgres => format!("{name} AS (\n  {body} OFFSET 0\n)"),
                Dialect::Sqlite => format!("{name} AS MATERIALIZED (\n  {body}\n)"),
                _ => format!("{name} AS (\n  {body}\n)"),
            })
            .collect();
        Ok(format!("WITH {}\nSELECT {} FROM leadspec_staged", with.join(",\n"), out.join(", ")))
    }

    /// A rule's truth, or the refusal with the rule it is in.
    fn rule(&self, rule: &'a Rule) -> Result<String, Failure<'a>> {
        self.env.cond(rule.root()).map_err(|r| (r, Site::Rule(rule)))
    }
}

fn sum(terms: &[String]) -> String {
    format!("({})", terms.join(" + "))
}

/// The public error of a refusal: its message naming the dialect, and where it is written.
fn error(d: Dialect, refusal: Refusal, site: Site<'_>) -> SqlError {
    let mut message = refusal.message;
    if !message.contains(d.name()) {
        message = format!("{message} (in the {d} dialect)");
    }
    let (position, key) = match site {
        Site::Rule(rule) => (rule_position(rule, refusal.span), None),
        Site::Key(key) => (None, Some(key)),
    };
    SqlError { message, hint: refusal.hint, position, key }
}

/// The line and column of a span of a rule's text in its file: the rule's string starts
/// at its `written` position, and the text is taken as written there (a rule with escapes
/// before the span is placed as if it had none).
fn rule_position(rule: &Rule, span: Option<std::ops::Range<usize>>) -> Option<(usize, usize)> {
    let written = rule.written()?;
    let offset = span.map_or(0, |s| s.start).min(rule.text().len());
    let before = rule.text().get(..offset)?;
    let newlines = before.matches('\n').count();
    if newlines == 0 {
        Some((written.line, written.column + 1 + before.chars().count()))
    } else {
        let last_line = before.rsplit('\n').next().unwrap_or_default();
        Some((written.line + newlines, 1 + last_line.chars().count()))
    }
}
