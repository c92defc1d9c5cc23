//! `leadspec lsp` driven as an editor drives it: the real binary, JSON-RPC messages with
//! `Content-Length` headers on its standard input and output, exact positions in UTF-16
//! code units with non-ASCII text before them, and a timeout on every read so that a
//! server that hangs fails the test instead of hanging it.
#![cfg(feature = "cli")]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// How long any one message may take to arrive.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A definition with one error: `budgett` is no field. Non-ASCII text (a two-byte `ë`, a
/// three-byte `出` and a four-byte, two-unit `😀`) comes before it on its line, and
/// `budget="number"` is not in the canonical layout.
const DEFINITION: &str = r#"[definition]
name = "Zoë's leads"

[teams]
sales = "Sales 出"

[fields]
budget="number"
contact_name = "string"

[qualification.criteria]
big_budget = "budget >= 10"

[[stages]]
id = "deal"
owner = "sales"
description = "Zoë closes 出 deals."
when = "contact_name == 'Zoë 出😀' and budgett >= 1"
"#;

const URI: &str = "file:///tmp/leads/definition.toml";

/// An editor's end of the connection to one `leadspec lsp` process.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `leadspec lsp` and reads its messages on a thread of their own.
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_leadspec"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client { child, stdin, messages, next_id: 0 }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().expect("standard input still open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (skipping notifications).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message["id"] == json!(id) && message.get("method").is_none() {
                return message;
            }
        }
    }

    /// The next message from the server, or a failure after [`TIMEOUT`].
    fn next(&mut self) -> Value {
        self.messages.recv_timeout(TIMEOUT).expect("the server answers within the timeout")
    }

    /// The next `textDocument/publishDiagnostics` parameters for `version` of a document:
    /// the first is `check`'s, published at once. (The analysis of an earlier version,
    /// published later from its own thread, is skipped.)
    fn diagnostics(&mut self, version: i64) -> Value {
        loop {
            let message = self.next();
            if message["method"] == "textDocument/publishDiagnostics" && message["params"]["version"] == version {
                return message["params"].clone();
            }
        }
    }

    fn initialize(&mut self) -> Value {
        let result = self.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, uri: &str, text: &str) {
        let document = json!({"uri": uri, "languageId": "toml", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": document}));
    }

    fn change(&mut self, version: i32, changes: Value) {
        let document = json!({"uri": URI, "version": version});
        self.notify("textDocument/didChange", json!({"textDocument": document, "contentChanges": changes}));
    }

    fn hover(&mut self, line: u32, character: u32) -> Value {
        let at = json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
        self.request("textDocument/hover", at)["result"].clone()
    }

    /// Sends `shutdown` and `exit` and returns the exit status.
    fn shut_down(mut self) -> i32 {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null);
        self.notify("exit", Value::Null);
        self.wait()
    }

    /// Closes standard input and waits (at most [`TIMEOUT`]) for the exit status.
    fn wait(mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = std::time::Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().expect("exited normally");
            }
            if std::time::Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Reads one `Content-Length`-framed message; `None` at the end of the output.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}})
}

#[test]
fn a_session_as_an_editor_drives_it() {
    let mut client = Client::start();
    let init = client.initialize();
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(capabilities["documentFormattingProvider"], true);
    assert_eq!(init["result"]["serverInfo"]["name"], "leadspec");

    // Open: the error of `check` (18:38 in characters), at line 17, UTF-16 columns 38..45:
    // the emoji before it counts two units.
    client.open(URI, DEFINITION);
    let published = client.diagnostics(1);
    assert_eq!(published["uri"], URI);
    assert_eq!(published["version"], 1);
    assert_eq!(
        published["diagnostics"],
        json!([{
            "range": range((17, 38), (17, 45)),
            "severity": 1,
            "code": "unknown-field",
            "source": "leadspec",
            "message": "unknown field `budgett` (did you mean `budget`?)",
        }])
    );

    // An incremental edit before it on its line (`出` after the emoji) moves it by one unit.
    client.change(2, json!([{"range": range((17, 32), (17, 32)), "text": "出"}]));
    let published = client.diagnostics(2);
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"][0]["range"], range((17, 39), (17, 46)));

    // Deleting the second `t` of `budgett` (after the non-ASCII text) clears it.
    client.change(3, json!([{"range": range((17, 45), (17, 46)), "text": ""}]));
    let published = client.diagnostics(3);
    assert_eq!(published["version"], 3);
    assert_eq!(published["diagnostics"], json!([]));

    // Hover on `budget` inside the rule, on its first and on its last unit.
    for character in [39, 44] {
        let hover = client.hover(17, character);
        assert_eq!(hover["range"], range((17, 39), (17, 45)));
        assert_eq!(hover["contents"]["kind"], "markdown");
        assert_eq!(hover["contents"]["value"], "**field** `budget`: number");
    }
    // On the key of a field and past the rule's end: nothing, or the field.
    assert_eq!(client.hover(7, 2)["contents"]["value"], "**field** `budget`: number");
    assert_eq!(client.hover(17, 52), Value::Null);
    // On a stage id, a team id in a value, and a criterion in a key.
    assert_eq!(
        client.hover(14, 7)["contents"]["value"],
        "**stage** `deal`: Deal\n\nowner: `sales` (Sales 出)\n\nwhen: `contact_name == 'Zoë 出😀出' and budget >= 1`\n\nZoë closes 出 deals."
    );
    assert_eq!(client.hover(15, 10)["contents"]["value"], "**team** `sales`: Sales 出\n\nowns: `deal`");
    assert_eq!(client.hover(11, 3)["contents"]["value"], "**criterion** `big_budget`\n\nwhen: `budget >= 10`");

    // Formatting: one edit replacing the whole document by `fmt`'s layout.
    let text = DEFINITION.replace("出😀'", "出😀出'").replace("budgett", "budget");
    let formatted = leadspec::format_definition(&text).unwrap();
    assert_ne!(formatted, text);
    let params = json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}});
    let edits = client.request("textDocument/formatting", params.clone())["result"].clone();
    assert_eq!(edits, json!([{"range": range((0, 0), (18, 0)), "newText": formatted}]));

    // A full-text change to the formatted text: nothing left to format.
    client.change(4, json!([{"text": formatted}]));
    assert_eq!(client.diagnostics(4)["diagnostics"], json!([]));
    assert_eq!(client.request("textDocument/formatting", params)["result"], json!([]));

    // Document symbols: each team, field, criterion and stage at its declaration.
    let params = json!({"textDocument": {"uri": URI}});
    let symbols = client.request("textDocument/documentSymbol", params)["result"].clone();
    let outline: Vec<(&str, &str, u64, &Value)> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["detail"].as_str().unwrap(),
                s["kind"].as_u64().unwrap(),
                &s["selectionRange"],
            )
        })
        .collect();
    assert_eq!(
        outline,
        [
            ("sales", "team: Sales 出", 19, &range((4, 0), (4, 5))),
            ("budget", "field: number", 8, &range((7, 0), (7, 6))),
            ("contact_name", "field: string", 8, &range((8, 0), (8, 12))),
            ("big_budget", "criterion", 17, &range((11, 0), (11, 10))),
            ("deal", "stage owned by sales", 22, &range((14, 5), (14, 11))),
        ]
    );

    // Go to definition: from `budget` inside the rule (after the non-ASCII text) to the
    // field's key, and from the owner's value to the team.
    for ((line, character), target) in [((17, 41), range((7, 0), (7, 6))), ((15, 10), range((4, 0), (4, 5)))] {
        let at = json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
        let found = client.request("textDocument/definition", at)["result"].clone();
        assert_eq!(found, json!([{"uri": URI, "range": target}]));
    }

    // Completion inside the rule: the fields, then the criteria, then the built-in names.
    let at = json!({"textDocument": {"uri": URI}, "position": {"line": 17, "character": 9}});
    let items = client.request("textDocument/completion", at)["result"].clone();
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels[..4], ["budget", "contact_name", "criteria.big_budget", "today"]);
    // And in the owner's value, the teams.
    let at = json!({"textDocument": {"uri": URI}, "position": {"line": 15, "character": 10}});
    let items = client.request("textDocument/completion", at)["result"].clone();
    assert_eq!(items, json!([{"label": "sales", "kind": 12, "detail": "team: Sales 出"}]));

    assert_eq!(client.shut_down(), 0);
}

#[test]
fn other_toml_gets_no_diagnostics_and_no_edits() {
    let mut client = Client::start();
    client.initialize();
    let uri = "file:///tmp/Cargo.toml";
    client.open(uri, "[package]\nname = \"x\"\nnot toml at all\n");
    let published = client.diagnostics(1);
    assert_eq!((published["uri"].as_str(), &published["diagnostics"]), (Some(uri), &json!([])));
    let params = json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}});
    assert_eq!(client.request("textDocument/formatting", params)["result"], json!([]));
    // A request the server does not serve is an error, not a hang.
    let response = client.request("textDocument/codeLens", json!({}));
    assert_eq!(response["error"]["code"], -32601);
    // Parameters that do not read are an error of that request only.
    let response = client.request("textDocument/hover", json!({"textDocument": 7}));
    assert_eq!(response["error"]["code"], -32602);
    client.notify("textDocument/didChange", json!({"textDocument": "not a document"}));
    let params = json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}});
    assert_eq!(client.request("textDocument/hover", params)["result"], Value::Null);
    assert_eq!(client.shut_down(), 0);
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut client = Client::start();
    client.initialize();
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 1);
}

/// A definition whose ids are used everywhere they can be: in rules (after non-ASCII text
/// and emoji), `criteria.<id>`, `owner`, `requires`, an example's `stage` and `criteria`.
/// The field `role` reads the column `Rôle`, which is no id.
const RENAMING: &str = r#"[definition]
name = "Zoë's leads"

[teams]
sales = "Sales 出"

[fields]
budget = "number"
role = { type = "enum", values = ["cto", "Zoë 😀"], column = "Rôle" }

[qualification.criteria]
big = "role == 'Zoë 😀' and budget >= 10"

[[stages]]
id = "deal"
owner = "sales"
requires = ["budget"]
when = "role == 'Zoë 😀' or criteria.big or budget > 1"

[[examples]]
name = "Zoë 出 big"
record = { budget = 20, "Rôle" = "cto" }
stage = "deal"
criteria = { big = "not_met" }
"#;

const RENAMING_URI: &str = "file:///tmp/leads/renaming.toml";

/// `{uri, range}` in `RENAMING_URI`.
fn location(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({"uri": RENAMING_URI, "range": range(start, end)})
}

fn at(line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": RENAMING_URI}, "position": {"line": line, "character": character}})
}

/// `text` with LSP's text edits applied (positions in UTF-16 code units), as an editor
/// applies a rename.
fn apply(text: &str, edits: &Value) -> String {
    let offset = |text: &str, position: &Value| {
        let (line, character) = (position["line"].as_u64().unwrap(), position["character"].as_u64().unwrap());
        let start = text.split_inclusive('\n').take(line as usize).map(str::len).sum::<usize>();
        let mut units = 0;
        for (at, c) in text[start..].char_indices() {
            if units >= character as usize {
                return start + at;
            }
            units += c.len_utf16() as u64 as usize;
        }
        text.len()
    };
    let mut edits: Vec<&Value> = edits.as_array().unwrap().iter().collect();
    // From the last to the first, so that earlier positions hold.
    edits.sort_by_key(|e| (e["range"]["start"]["line"].as_u64(), e["range"]["start"]["character"].as_u64()));
    let mut text = text.to_string();
    for edit in edits.into_iter().rev() {
        let (start, end) = (offset(&text, &edit["range"]["start"]), offset(&text, &edit["range"]["end"]));
        text.replace_range(start..end, edit["newText"].as_str().unwrap());
    }
    text
}

#[test]
fn references_and_rename() {
    let mut client = Client::start();
    let init = client.initialize();
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["referencesProvider"], true);
    assert_eq!(capabilities["renameProvider"], json!({"prepareProvider": true}));
    client.open(RENAMING_URI, RENAMING);
    assert_eq!(client.diagnostics(1)["diagnostics"], json!([]), "the definition loads and its example passes");

    // References of `budget` from its use at the end of the stage's rule, after the emoji
    // (two UTF-16 units): the key, the criterion's rule, `requires` and the stage's rule;
    // not the example record's key, which is a column.
    let mut params = at(17, 47);
    params["context"] = json!({"includeDeclaration": true});
    let found = client.request("textDocument/references", params.clone())["result"].clone();
    let budget = [((7, 0), (7, 6)), ((11, 28), (11, 34)), ((16, 13), (16, 19)), ((17, 44), (17, 50))];
    assert_eq!(found, json!(budget.map(|(s, e)| location(s, e))));
    params["context"] = json!({"includeDeclaration": false});
    let found = client.request("textDocument/references", params)["result"].clone();
    assert_eq!(found, json!(budget[1..].iter().map(|&(s, e)| location(s, e)).collect::<Vec<_>>()));
    // `big` from `criteria.big`: the criterion, not any field; and from the example's key.
    let mut params = at(23, 14);
    params["context"] = json!({"includeDeclaration": true});
    let found = client.request("textDocument/references", params)["result"].clone();
    assert_eq!(found, json!([location((11, 0), (11, 3)), location((17, 37), (17, 40)), location((23, 13), (23, 16))]));
    // Go to definition from `criteria.big`.
    let found = client.request("textDocument/definition", at(17, 38))["result"].clone();
    assert_eq!(found, json!([location((11, 0), (11, 3))]));
    // Nothing in a text literal of a rule, or in a name.
    let mut params = at(17, 19);
    params["context"] = json!({"includeDeclaration": true});
    assert_eq!(client.request("textDocument/references", params)["result"], json!([]));

    // prepareRename: the id's range and text; a clear refusal where there is no id.
    let prepared = client.request("textDocument/prepareRename", at(17, 38))["result"].clone();
    assert_eq!(prepared, json!({"range": range((17, 37), (17, 40)), "placeholder": "big"}));
    let refused = client.request("textDocument/prepareRename", at(20, 9));
    assert_eq!(refused["error"]["code"], -32803);
    assert_eq!(refused["error"]["message"], "there is no stage, field, team or criterion id here to rename");

    // Rename `budget` (from the criterion's rule, after the emoji) to `amount`: the key, the
    // uses, and `column = "budget"` so that the field reads the same column as before.
    let mut params = at(11, 30);
    params["newName"] = json!("amount");
    let edit = client.request("textDocument/rename", params)["result"].clone();
    let edits = &edit["changes"][RENAMING_URI];
    let edit_of = |start, end, text: &str| json!({"range": range(start, end), "newText": text});
    assert_eq!(
        *edits,
        json!([
            edit_of((7, 0), (7, 6), "amount"),
            edit_of((7, 9), (7, 17), r#"{ type = "number", column = "budget" }"#),
            edit_of((11, 28), (11, 34), "amount"),
            edit_of((16, 13), (16, 19), "amount"),
            edit_of((17, 44), (17, 50), "amount"),
        ])
    );
    let renamed = apply(RENAMING, edits);
    assert!(renamed.contains("amount = { type = \"number\", column = \"budget\" }\n"));
    assert!(
        renamed.contains("record = { budget = 20, \"Rôle\" = \"cto\" }"),
        "the example's record is keyed by columns"
    );

    // Rename the criterion `big` from the example's key, then the stage and the team.
    let mut params = at(23, 15);
    params["newName"] = json!("large");
    let edits = client.request("textDocument/rename", params)["result"]["changes"][RENAMING_URI].clone();
    assert_eq!(
        edits,
        json!([
            edit_of((11, 0), (11, 3), "large"),
            edit_of((17, 37), (17, 40), "large"),
            edit_of((23, 13), (23, 16), "large")
        ])
    );
    let renamed = apply(&renamed, &edits);
    let mut params = at(22, 10);
    params["newName"] = json!("won_deal");
    let edits = client.request("textDocument/rename", params)["result"]["changes"][RENAMING_URI].clone();
    assert_eq!(edits, json!([edit_of((14, 6), (14, 10), "won_deal"), edit_of((22, 9), (22, 13), "won_deal")]));
    let renamed = apply(&renamed, &edits);
    let mut params = at(15, 9);
    params["newName"] = json!("field-sales");
    let edits = client.request("textDocument/rename", params)["result"]["changes"][RENAMING_URI].clone();
    assert_eq!(edits, json!([edit_of((4, 0), (4, 5), "field-sales"), edit_of((15, 9), (15, 14), "field-sales")]));
    let renamed = apply(&renamed, &edits);

    // The renamed definition loads, and its example still passes.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": RENAMING_URI, "version": 2}, "contentChanges": [{"text": renamed}]}),
    );
    assert_eq!(client.diagnostics(2)["diagnostics"], json!([]));
    assert!(renamed.contains("when = \"role == 'Zoë 😀' or criteria.large or amount > 1\"\n"), "{renamed}");

    // Refusals: not an id of the kind, or the id of another of the same kind.
    let refusals = [
        ((14, 7), "Won", "`Won` is not a stage id (stage ids are lower_snake_case: a-z, 0-9 and single `_`, starting with a letter)"),
        ((7, 2), "role", "there is already a field `role`"),
        ((7, 2), "2x", "`2x` is not a field id (ids are ASCII letters, digits and `_`, not starting with a digit, and not a word of the rule language)"),
        ((11, 1), "and", "`and` is not a criterion id (ids are ASCII letters, digits and `_`, not starting with a digit, and not a word of the rule language)"),
        ((4, 1), "a b", "`a b` is not a team id (team ids are ASCII letters, digits, `_` and `-`)"),
    ];
    for ((line, character), new_name, message) in refusals {
        let mut params = at(line, character);
        params["newName"] = json!(new_name);
        let refused = client.request("textDocument/rename", params);
        assert_eq!(refused["error"]["code"], -32803, "{new_name}");
        assert_eq!(refused["error"]["message"], message);
    }
    assert_eq!(client.shut_down(), 0);
}

/// A stage that `any`, tried first, always catches; its rule has non-ASCII text and an
/// emoji, so the warning's range ends at UTF-16 column 44 (43 characters).
const UNREACHABLE: &str = r#"[definition]
name = "Zoë's leads"

[teams]
sales = "Sales 出"

[fields]
budget = "number"
contact = "string"

[[stages]]
id = "small"
owner = "sales"
when = "contact == 'Zoë 出😀' or budget > 10"

[[stages]]
id = "any"
owner = "sales"
when = "contact is present or budget > 1"

[[examples]]
name = "Zoë 出"
record = { budget = 5 }
stage = "any"
"#;

#[test]
fn analysis_findings_follow_checks_diagnostics() {
    let mut client = Client::start();
    client.initialize();
    let uri = "file:///tmp/leads/unreachable.toml";
    client.open(uri, UNREACHABLE);
    // At once, `check`'s diagnostics (none); then, once the analysis ran, its warning and
    // its note (information) for the same version.
    assert_eq!(client.diagnostics(1)["diagnostics"], json!([]));
    let published = client.diagnostics(1);
    assert_eq!(published["uri"], uri);
    let finding = |severity: u8, code: &str, message: &str| json!({"range": range((13, 7), (13, 44)), "severity": severity, "code": code, "source": "leadspec", "message": message});
    assert_eq!(
        published["diagnostics"],
        json!([
            finding(
                2,
                "stage-never-reached",
                "stage `small` can never be reached: every record its rule accepts is caught first by `any`"
            ),
            finding(3, "not-covered", "no example reaches stage `small`"),
        ])
    );
    // A change that makes `small` reachable (`budget < 0` is not caught by `any`): `check`'s
    // diagnostics, then only the note.
    let document = json!({"uri": uri, "version": 2});
    let change = json!([{"range": range((13, 39), (13, 43)), "text": "< 0"}]);
    client.notify("textDocument/didChange", json!({"textDocument": document, "contentChanges": change}));
    assert_eq!(client.diagnostics(2)["diagnostics"], json!([]));
    let note = json!({
        "range": range((13, 7), (13, 43)),
        "severity": 3,
        "code": "not-covered",
        "source": "leadspec",
        "message": "no example reaches stage `small`",
    });
    assert_eq!(client.diagnostics(2)["diagnostics"], json!([note]));
    assert_eq!(client.shut_down(), 0);
}

#[test]
fn completion_of_keys_and_enum_values() {
    let mut client = Client::start();
    client.initialize();
    client.open(RENAMING_URI, RENAMING);
    client.diagnostics(1);
    let labels = |items: &Value| -> Vec<String> {
        items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
    };
    // On the blank line after a stage: the keys of [[stages]] not written yet; after the
    // last example, those of [[examples]].
    let items = client.request("textDocument/completion", at(18, 0))["result"].clone();
    assert_eq!(labels(&items), ["name", "canonical", "aliases", "description", "priority", "sla"]);
    assert_eq!(items[0]["kind"], 10, "property");
    assert_eq!(items[0]["detail"], "key of [stages]");
    let items = client.request("textDocument/completion", at(24, 0))["result"].clone();
    assert_eq!(labels(&items), ["now", "unclassified", "move", "owner", "qualified", "errors", "score"]);

    // Typing ` or role != 'Zo` at the end of the stage's rule, after the emoji: the rule
    // does not load (its literal is open), and `role`'s values complete, replacing `Zo`.
    let document = json!({"uri": RENAMING_URI, "version": 2});
    let change = json!([{"range": range((17, 54), (17, 54)), "text": " or role != 'Zo"}]);
    client.notify("textDocument/didChange", json!({"textDocument": document, "contentChanges": change}));
    let published = client.diagnostics(2);
    assert_eq!(published["diagnostics"][0]["severity"], 1, "the open literal is an error");
    let items = client.request("textDocument/completion", at(17, 69))["result"].clone();
    let value = |label: &str| {
        json!({
            "label": label,
            "kind": 20,
            "detail": "a value of `role`",
            "textEdit": {"range": range((17, 67), (17, 69)), "newText": label},
        })
    };
    assert_eq!(items, json!([value("cto"), value("Zoë 😀")]));
    assert_eq!(client.shut_down(), 0);
}

/// A definition of `count` stages, each with a rule over three fields.
fn stages(count: usize) -> String {
    let mut text = String::from(
        "[definition]\nname = \"Zoë's many stages\"\n\n[teams]\nsales = \"Sales 出\"\n\n[fields]\nbudget = \"number\"\n\
         role = { type = \"enum\", values = [\"a\", \"b\"] }\nemail = \"email\"\n",
    );
    for i in 0..count {
        text.push_str(&format!(
            "\n[[stages]]\nid = \"s{i}\"\nowner = \"sales\"\nwhen = \"budget > {i} and role == 'a' or email ends_with '.x{i}'\"\n"
        ));
    }
    text
}

/// The keystroke path: an incremental change to a 1,000-stage definition and the
/// diagnostics it publishes (`check`'s; such a definition is not analysed). Measured here
/// in the test profile on a shared machine, so the bound is loose; BENCHMARKS.md has the
/// release figure.
#[test]
fn keystrokes_on_a_thousand_stages_stay_fast() {
    let mut client = Client::start();
    client.initialize();
    let text = stages(1_000);
    let last_line = u32::try_from(text.lines().count()).unwrap() - 1;
    client.open(URI, &text);
    assert_eq!(client.diagnostics(1)["diagnostics"], json!([]));
    let mut times = Vec::new();
    for version in 2..=21 {
        // Type a digit into the last rule's number, and take it back.
        let edit = if version % 2 == 0 {
            json!([{"range": range((last_line, 18), (last_line, 18)), "text": "9"}])
        } else {
            json!([{"range": range((last_line, 18), (last_line, 19)), "text": ""}])
        };
        let started = std::time::Instant::now();
        client.change(version, edit);
        assert_eq!(client.diagnostics(i64::from(version))["diagnostics"], json!([]));
        times.push(started.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    eprintln!("1,000 stages: keystroke to diagnostics, median {median:?} (fastest {:?})", times[0]);
    assert!(median < Duration::from_millis(500), "median {median:?}");
    assert_eq!(client.shut_down(), 0);
}
