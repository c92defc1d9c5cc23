//! `leadspec glossary DEF.toml [--format markdown|mermaid|dot]`: a definition as a document
//! people can train with, or as a diagram.
//!
//! The markdown holds the definition's name, version and description; the teams; every stage
//! in funnel order with its id, name, owner, shared word, aliases, description, entry rule,
//! required fields, SLA, priority and where a lead may move from it; the order in which
//! classification tries the stages; the qualification framework, its rule and each criterion
//! with its rule and `ask`; the allowed moves with handoffs marked; the fields; the
//! validation messages; the scoring; and the definition's own examples.
//!
//! The diagrams (`flowchart LR` for Mermaid, a `digraph` for Graphviz) group the stages by
//! owning team and draw the declared transitions; a handoff (the owner changes) is drawn
//! thick and labelled `handoff`, a guarded transition carries its rule, and `*` is drawn as
//! an "any stage" node. Without declared transitions any move is allowed, which the diagrams
//! say in a comment (Mermaid) or the graph label (Graphviz) instead of drawing every pair.

use std::fmt::Write as _;
use std::io::Write;

use leadspec::{Definition, Example, ExampleExpectation, Field, FieldType, Requirement, StageIndex, TeamIndex, Value};

use super::args::{GlossaryArgs, GlossaryFormat};
use super::{load_definition_file, output, Outcome, EXIT_OK};

/// Prints the glossary; see the module documentation.
pub(crate) fn run(args: &GlossaryArgs) -> Outcome {
    let definition = load_definition_file(&args.file)?;
    let text = match args.format {
        GlossaryFormat::Markdown => markdown(&definition),
        GlossaryFormat::Mermaid => mermaid(&definition),
        GlossaryFormat::Dot => dot(&definition),
    };
    let mut out = output::stdout();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(EXIT_OK)
}

/// A duration in seconds, in words: `2 days (48h)`, `30 minutes`.
fn duration(seconds: i64) -> String {
    let plural = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if seconds > 0 && seconds % 604_800 == 0 {
        plural(seconds / 604_800, "week")
    } else if seconds > 0 && seconds % 86_400 == 0 {
        format!("{} ({}h)", plural(seconds / 86_400, "day"), seconds / 3600)
    } else if seconds > 0 && seconds % 3600 == 0 {
        plural(seconds / 3600, "hour")
    } else if seconds % 60 == 0 {
        plural(seconds / 60, "minute")
    } else {
        plural(seconds, "second")
    }
}

/// Text safe inside a markdown table cell or inline text: no table breaks, no HTML.
fn md(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|").replace('\n', " ")
}

/// Inline code, safe inside a table cell.
fn code(text: &str) -> String {
    let text = text.replace('|', "\\|").replace('\n', " ");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// How a value of an example's record is written.
fn value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Text(s) => format!("{s:?}"),
        Value::Number(n) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{}", *n as i64)
            } else {
                n.to_string()
            }
        }
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => d.to_string(),
        Value::List(items) => format!("[{}]", items.iter().map(value).collect::<Vec<_>>().join(", ")),
        Value::Nested => "{…}".to_string(),
    }
}

fn requirement(require: Requirement, count: usize) -> String {
    match require {
        Requirement::All => format!("a lead is qualified when **all {count}** criteria are met"),
        Requirement::Any => "a lead is qualified when **at least one** criterion is met".to_string(),
        Requirement::AtLeast(n) => format!("a lead is qualified when **at least {n} of the {count}** criteria are met"),
    }
}

/// The markdown training document.
fn markdown(d: &Definition) -> String {
    let mut t = String::new();
    let stages = d.stages();
    let teams = d.teams();
    let stage_ref = |i: StageIndex| format!("`{}`", stages[i.position()].id());

    let _ = writeln!(t, "# {}\n", md(d.name()));
    match d.version() {
        Some(v) => {
            let _ = writeln!(t, "Version {}.\n", md(v));
        }
        None => {
            let _ = writeln!(t, "No version given.\n");
        }
    }
    if let Some(description) = d.description() {
        let _ = writeln!(t, "{description}\n");
    }
    let _ = writeln!(
        t,
        "This document says what each word for a lead means here, who owns the lead at each stage, \
         how a lead is qualified, and where it may move next. Every rule is quoted exactly as the \
         definition file states it; a rule whose data is missing or invalid is *unknown*, and a \
         stage is entered only when its rule is definitely true.\n"
    );

    let _ = writeln!(t, "## At a glance\n");
    let _ = writeln!(t, "| Stage | Id | Owner | Shared word | Also called |\n| --- | --- | --- | --- | --- |");
    for stage in stages {
        let aliases: Vec<String> = stage.aliases().iter().map(|a| md(a)).collect();
        let _ = writeln!(
            t,
            "| {} | `{}` | {} | {} | {} |",
            md(stage.name()),
            stage.id(),
            md(d.owner_of(stage).map_or("", |t| t.name.as_str())),
            stage.shared_word().map_or("-".to_string(), |w| format!("`{w}`")),
            if aliases.is_empty() { "-".to_string() } else { aliases.join(", ") }
        );
    }
    t.push('\n');

    let _ = writeln!(t, "## Teams\n");
    let _ = writeln!(t, "| Team | Id | Stages owned |\n| --- | --- | --- |");
    for (i, team) in teams.iter().enumerate() {
        let owned: Vec<String> =
            stages.iter().filter(|s| s.owner().position() == i).map(|s| stage_ref(s.index())).collect();
        let owned = if owned.is_empty() { "none".to_string() } else { owned.join(", ") };
        let _ = writeln!(t, "| {} | {} | {} |", md(&team.name), code(&team.id), owned);
    }
    t.push('\n');

    let _ = writeln!(t, "## Stages\n");
    let _ = writeln!(t, "In funnel order, earliest first.\n");
    for (i, stage) in stages.iter().enumerate() {
        let _ = writeln!(t, "### {}. {} (`{}`)\n", i + 1, md(stage.name()), stage.id());
        if let Some(description) = stage.description() {
            let _ = writeln!(t, "{description}\n");
        }
        if let Some(owner) = d.owner_of(stage) {
            let _ = writeln!(t, "- **Owner:** {} ({})", md(&owner.name), code(&owner.id));
        }
        match stage.shared_word() {
            Some(word) => {
                let kind = if word.is_side() { "side word" } else { "funnel word" };
                let _ = writeln!(t, "- **Shared word:** `{word}` ({kind})");
            }
            None => {
                let _ = writeln!(t, "- **Shared word:** none (this stage has no counterpart in other definitions)");
            }
        }
        if stage.aliases().is_empty() {
            let _ = writeln!(t, "- **Also called:** no other names");
        } else {
            let aliases: Vec<String> = stage.aliases().iter().map(|a| md(a)).collect();
            let _ = writeln!(t, "- **Also called:** {}", aliases.join(", "));
        }
        let _ = writeln!(t, "- **Entry rule:** {}", code(stage.rule().text()));
        let field_ref = |field: &Field| match &field.label {
            Some(label) => format!("`{}` ({})", field.id, md(label)),
            None => format!("`{}`", field.id),
        };
        let here: Vec<String> = stage.requires().iter().filter_map(|&f| d.field_at(f)).map(field_ref).collect();
        let always: Vec<String> = d
            .fields()
            .iter()
            .enumerate()
            .filter(|&(i, f)| f.required && !stage.requires().iter().any(|r| r.position() == i))
            .map(|(_, f)| field_ref(f))
            .collect();
        let required = match (here.is_empty(), always.is_empty()) {
            (true, true) => "none".to_string(),
            (false, true) => here.join(", "),
            (true, false) => format!("{} (required of every lead)", always.join(", ")),
            (false, false) => format!("{}; and, as of every lead, {}", here.join(", "), always.join(", ")),
        };
        let _ = writeln!(t, "- **Required fields:** {required}");
        match stage.sla_seconds() {
            Some(seconds) => {
                let _ = writeln!(t, "- **SLA:** a lead may stay here at most {}", duration(seconds));
            }
            None => {
                let _ = writeln!(t, "- **SLA:** none");
            }
        }
        if stage.priority() != 0 {
            let _ = writeln!(t, "- **Priority:** {}", stage.priority());
        }
        let targets = d.targets_from(stage.index());
        if targets.is_empty() {
            let _ = writeln!(t, "- **May move to:** nowhere (no transition leaves this stage)");
        } else {
            let list: Vec<String> = targets
                .iter()
                .map(|&to| {
                    let mut item = stage_ref(to);
                    if let Some(handoff) = d.handoff(stage.index(), to) {
                        let team = d.team_at(handoff.to_team).map_or("", |t| t.name.as_str());
                        let _ = write!(item, " (**handoff** to {})", md(team));
                    }
                    item
                })
                .collect();
            let _ = writeln!(t, "- **May move to:** {}", list.join(", "));
        }
        t.push('\n');
    }

    let _ = writeln!(t, "## How a lead's stage is decided\n");
    let _ = writeln!(
        t,
        "The stages are tried in this order (highest priority first; at equal priority, the one \
         furthest along the funnel first). The first whose entry rule is true is the lead's stage; \
         if none is, the lead is unclassified.\n"
    );
    for (n, &i) in d.classification_order().iter().enumerate() {
        let stage = &stages[i.position()];
        let _ = write!(t, "{}. `{}`: {}", n + 1, stage.id(), code(stage.rule().text()));
        if stage.priority() != 0 {
            let _ = write!(t, " (priority {})", stage.priority());
        }
        t.push('\n');
    }
    t.push('\n');

    let q = d.qualification();
    let _ = writeln!(t, "## Qualification: {}\n", md(q.framework()));
    if q.criteria().is_empty() {
        let _ = writeln!(t, "No criteria are defined.\n");
    } else {
        let _ = writeln!(
            t,
            "Each criterion is *met*, *not met* or *unknown*; {}. When a criterion is unknown, ask \
             the question given.\n",
            requirement(q.require(), q.criteria().len())
        );
        let _ = writeln!(t, "| Criterion | Rule | Ask while unknown |\n| --- | --- | --- |");
        for c in q.criteria() {
            let _ =
                writeln!(t, "| `{}` | {} | {} |", c.id(), code(c.rule().text()), c.ask().map_or("-".to_string(), md));
        }
        t.push('\n');
    }

    let _ = writeln!(t, "## Allowed moves\n");
    if d.transitions().is_empty() {
        let _ = writeln!(t, "No transitions are declared, so a lead may move between any two stages.\n");
        let mut pairs: Vec<(TeamIndex, TeamIndex)> = Vec::new();
        for a in stages {
            for b in stages {
                let pair = (a.owner(), b.owner());
                if pair.0 != pair.1 && !pairs.contains(&pair) {
                    pairs.push(pair);
                }
            }
        }
        for (a, b) in pairs {
            let _ = writeln!(
                t,
                "- A move from a {} stage to a {} stage is a **handoff**.",
                md(&teams[a.position()].name),
                md(&teams[b.position()].name)
            );
        }
        t.push('\n');
    } else {
        let _ = writeln!(
            t,
            "Only these moves are allowed (staying in a stage always is). A move whose condition is \
             false or unknown is refused. A **handoff** is a move where the owning team changes.\n"
        );
        let _ = writeln!(t, "| From | To | Condition | Handoff |\n| --- | --- | --- | --- |");
        for tr in d.transitions() {
            let from = tr.from().map_or("any stage".to_string(), stage_ref);
            let to = tr.to().map_or("any stage".to_string(), stage_ref);
            let condition = tr.guard().map_or("always".to_string(), |g| code(g.text()));
            let list = d.handoffs(tr);
            let handoff = if list.is_empty() {
                "no".to_string()
            } else if tr.from().is_some() && tr.to().is_some() {
                let h = list[0];
                format!(
                    "**handoff**: {} → {}",
                    md(&teams[h.from_team.position()].name),
                    md(&teams[h.to_team.position()].name)
                )
            } else {
                let items: Vec<String> = list
                    .iter()
                    .map(|h| {
                        format!(
                            "`{}` → `{}` ({} → {})",
                            stages[h.from.position()].id(),
                            stages[h.to.position()].id(),
                            md(&teams[h.from_team.position()].name),
                            md(&teams[h.to_team.position()].name)
                        )
                    })
                    .collect();
                format!("**handoff** for {}", items.join(", "))
            };
            let _ = writeln!(t, "| {from} | {to} | {condition} | {handoff} |");
        }
        t.push('\n');
    }

    let _ = writeln!(t, "## Fields\n");
    if d.fields().is_empty() {
        let _ = writeln!(t, "No fields are declared.\n");
    } else {
        let _ = writeln!(t, "| Field | Type | Required | Label | Allowed values |\n| --- | --- | --- | --- | --- |");
        for f in d.fields() {
            let values = if f.ty == FieldType::Enum {
                f.values.iter().map(|v| code(v)).collect::<Vec<_>>().join(", ")
            } else {
                "-".to_string()
            };
            let required = if f.required {
                "always".to_string()
            } else {
                let at: Vec<String> = stages
                    .iter()
                    .filter(|s| s.requires().iter().any(|&r| d.field_at(r).is_some_and(|r| r.id == f.id)))
                    .map(|s| format!("`{}`", s.id()))
                    .collect();
                if at.is_empty() {
                    "no".to_string()
                } else {
                    format!("at {}", at.join(", "))
                }
            };
            let _ = writeln!(
                t,
                "| `{}` | {} | {} | {} | {} |",
                f.id,
                f.ty,
                required,
                f.label.as_deref().map_or("-".to_string(), md),
                values
            );
        }
        t.push('\n');
    }

    let _ = writeln!(t, "## Validation messages\n");
    let _ = writeln!(t, "| Rule | Message |\n| --- | --- |");
    for rule in leadspec::ValidationRule::ALL {
        let _ = writeln!(t, "| `{}` | {} |", rule.name(), md(d.messages().get(rule)));
    }
    t.push('\n');

    if let Some(scoring) = d.scoring() {
        let _ = writeln!(t, "## Scoring\n");
        let _ = write!(t, "A lead's score is the sum of the points of the rules that are true");
        match (scoring.min(), scoring.max()) {
            (Some(min), Some(max)) => {
                let _ = write!(t, ", kept between {min} and {max}");
            }
            (Some(min), None) => {
                let _ = write!(t, ", never below {min}");
            }
            (None, Some(max)) => {
                let _ = write!(t, ", never above {max}");
            }
            (None, None) => {}
        }
        let _ = writeln!(t, ".\n\n| Rule | When | Points |\n| --- | --- | --- |");
        for r in scoring.rules() {
            let _ = writeln!(
                t,
                "| {} | {} | {:+} |",
                r.name().map_or("-".to_string(), md),
                code(r.rule().text()),
                r.points()
            );
        }
        t.push('\n');
    }

    if !d.examples().is_empty() {
        let _ = writeln!(t, "## Examples\n");
        let _ = writeln!(t, "Each example is checked by `leadspec check`.\n");
        for e in d.examples() {
            let _ = writeln!(t, "- **{}**: {}", md(e.name()), example(d, e));
        }
        t.push('\n');
    }
    t
}

/// One example in words.
fn example(d: &Definition, e: &Example) -> String {
    let fields: Vec<String> = e.record().iter().map(|(k, v)| format!("{k} = {}", value(v))).collect();
    let record =
        if fields.is_empty() { "an empty record".to_string() } else { code(&format!("{{ {} }}", fields.join(", "))) };
    let expected = match e.expectation() {
        ExampleExpectation::Stage(i) => format!("is in stage `{}`", d.stages()[i.position()].id()),
        ExampleExpectation::Unclassified => "is in no stage".to_string(),
        ExampleExpectation::Move { from, to, allowed } => format!(
            "may {}move from `{}` to `{}`",
            if *allowed { "" } else { "not " },
            d.stages()[from.position()].id(),
            d.stages()[to.position()].id()
        ),
    };
    format!("{record} {expected}")
}

/// Text inside a quoted Mermaid label.
fn mermaid_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '#' => out.push_str("#35;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid node id: a prefix, then the id with anything but ASCII letters, digits and `_`
/// replaced (team ids may hold any text); the index is added only when something was replaced,
/// so that ids stay unique and readable.
fn mermaid_id(prefix: &str, index: usize, id: &str) -> String {
    let clean: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if clean == id {
        format!("{prefix}_{id}")
    } else {
        format!("{prefix}{index}_{clean}")
    }
}

/// The Mermaid flowchart.
fn mermaid(d: &Definition) -> String {
    let mut t = String::from("flowchart LR\n");
    let _ = writeln!(
        t,
        "    %% {}{}",
        d.name().replace('\n', " "),
        d.version().map_or(String::new(), |v| format!(", version {v}"))
    );
    let stages = d.stages();
    for (ti, team) in d.teams().iter().enumerate() {
        let _ = writeln!(t, "    subgraph {}[\"{}\"]", mermaid_id("team", ti, &team.id), mermaid_text(&team.name));
        let _ = writeln!(t, "        direction LR");
        for stage in stages.iter().filter(|s| s.owner().position() == ti) {
            let _ =
                writeln!(t, "        stage_{}[\"{}<br/>({})\"]", stage.id(), mermaid_text(stage.name()), stage.id());
        }
        let _ = writeln!(t, "    end");
    }
    if d.transitions().is_empty() {
        let _ = writeln!(t, "    %% no transitions are declared: any move between stages is allowed");
        return t;
    }
    if d.transitions().iter().any(|tr| tr.from().is_none() || tr.to().is_none()) {
        let _ = writeln!(t, "    any_stage([\"any stage\"])");
    }
    let node =
        |s: Option<StageIndex>| s.map_or("any_stage".to_string(), |i| format!("stage_{}", stages[i.position()].id()));
    for tr in d.transitions() {
        let handoff = tr.from().is_some() && tr.to().is_some() && !d.handoffs(tr).is_empty();
        let mut label = Vec::new();
        if handoff {
            label.push("handoff".to_string());
        }
        if let Some(g) = tr.guard() {
            label.push(format!("when {}", mermaid_text(g.text())));
        }
        let wildcard = tr.from().is_none() || tr.to().is_none();
        let arrow = if handoff {
            "==>"
        } else if wildcard {
            "-.->"
        } else {
            "-->"
        };
        if label.is_empty() {
            let _ = writeln!(t, "    {} {arrow} {}", node(tr.from()), node(tr.to()));
        } else {
            let _ = writeln!(t, "    {} {arrow}|\"{}\"| {}", node(tr.from()), label.join(": "), node(tr.to()));
        }
    }
    t
}

/// Text inside a quoted Graphviz string.
fn dot_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\r', "")
}

/// The Graphviz digraph.
fn dot(d: &Definition) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "digraph \"{}\" {{", dot_text(d.name()));
    let _ = writeln!(t, "    rankdir=LR;");
    let mut label = d.name().to_string();
    if let Some(v) = d.version() {
        let _ = write!(label, " (version {v})");
    }
    if d.transitions().is_empty() {
        label.push_str("\nno transitions are declared: any move between stages is allowed");
    }
    let _ = writeln!(t, "    label=\"{}\";\n    labelloc=t;", dot_text(&label));
    let _ = writeln!(t, "    node [shape=box, style=rounded];");
    let stages = d.stages();
    for (ti, team) in d.teams().iter().enumerate() {
        let _ = writeln!(t, "    subgraph \"cluster_{}\" {{", dot_text(&team.id));
        let _ = writeln!(t, "        label=\"{}\";", dot_text(&team.name));
        for stage in stages.iter().filter(|s| s.owner().position() == ti) {
            let _ =
                writeln!(t, "        \"{0}\" [label=\"{1}\\n({0})\"];", dot_text(stage.id()), dot_text(stage.name()));
        }
        let _ = writeln!(t, "    }}");
    }
    if d.transitions().iter().any(|tr| tr.from().is_none() || tr.to().is_none()) {
        let _ = writeln!(t, "    \"*\" [label=\"any stage\", shape=ellipse, style=dashed];");
    }
    let node = |s: Option<StageIndex>| s.map_or("*".to_string(), |i| dot_text(stages[i.position()].id()));
    for tr in d.transitions() {
        let handoff = tr.from().is_some() && tr.to().is_some() && !d.handoffs(tr).is_empty();
        let mut attrs = Vec::new();
        let mut label = Vec::new();
        if handoff {
            label.push("handoff".to_string());
            attrs.push("style=bold".to_string());
            attrs.push("penwidth=2".to_string());
        }
        if tr.from().is_none() || tr.to().is_none() {
            attrs.push("style=dashed".to_string());
        }
        if let Some(g) = tr.guard() {
            label.push(format!("when {}", g.text()));
        }
        if !label.is_empty() {
            attrs.insert(0, format!("label=\"{}\"", dot_text(&label.join("\n"))));
        }
        let attrs = if attrs.is_empty() { String::new() } else { format!(" [{}]", attrs.join(", ")) };
        let _ = writeln!(t, "    \"{}\" -> \"{}\"{attrs};", node(tr.from()), node(tr.to()));
    }
    t.push_str("}\n");
    t
}
