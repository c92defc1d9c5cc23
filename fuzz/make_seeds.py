#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/<target>/ from the shipped definitions and examples.

Run from anywhere: python3 fuzz/make_seeds.py. The seeds are committed; a fuzzing run adds
its own inputs under fuzz/work/ (see run.sh), never here.
"""
import hashlib
import json
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
DEFINITIONS = sorted((ROOT / "examples" / "definitions").glob("*.toml")) + sorted(
    (ROOT / "benches" / "common").glob("*.toml")
) + [ROOT / "examples" / "mistakes.toml", ROOT / "tests" / "fuzz_regressions" / "rich.toml"]


def write(target, data, name=None):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    name = name or hashlib.sha1(data).hexdigest()[:16]
    (d / name).write_bytes(data)


for target in ["load_definition", "rule_in_definition", "record_json", "record_csv", "structured_definition"]:
    shutil.rmtree(CORPUS / target, ignore_errors=True)

# load_definition: every shipped definition, whole.
for path in DEFINITIONS:
    write("load_definition", path.read_bytes(), path.stem)

# rule_in_definition: the rules of the shipped definitions (a `when` in a basic string),
# each behind a byte that picks the quoting and the place (stage, criterion, scoring,
# transition). The rules name fields the fuzz definition may lack: the fuzzer adapts them.
rules = []
for path in DEFINITIONS:
    for m in re.finditer(r'when = "((?:[^"\\]|\\.)*)"', path.read_text()):
        rule = m.group(1).encode().decode("unicode_escape")
        if rule not in rules:
            rules.append(rule)
extra = [
    "budget >= 10_000 and role in ['decision_maker', 'économe']",
    "purchase_by <= today + 90d or purchase_by > 2026-08-31 + 1mo",
    "company matches '(?i)^acme' and website ends_with '.example/'",
    "tags contains 'hot' && !(engaged == false) || criteria.budget",
    "score >= 10 and qualified is present and \"Lead Source\" == 'Web'",
    "amount > 1e3 and lead_source not in ['Event']",
]
for i, rule in enumerate(rules[:14] + extra):
    write("rule_in_definition", bytes([i % 16]) + rule.encode())

# record_json: a few lines of the shipped JSON records, and records keyed by the columns of
# the rich definition, written as its exports write them.
lines = (ROOT / "examples" / "leads.jsonl").read_text().splitlines()
for line in lines[:5]:
    write("record_json", line)
write("record_json", (ROOT / "examples" / "dee.json").read_bytes())
rich = [
    {"Prospect ID": "P-7", "Email": "ann@example.com", "Website": "acme.example/pricing", "landing": "x.org/",
     "Company": "Acme", "note": "a pain", "Amount (USD)": "$25,000", "Betrag": "1.234,50 €", "employees": "12 500",
     "score_in": 3, "Lead Source": "Webinar", "role": "decision_maker", "Created Time": "14 Apr, 2021 22:30:00",
     "due": "2026-12-01", "Do Not Email": "N", "engaged": True, "behaviour": "pricing,demo", "Tags": ["hot", "b"]},
    {"Prospect ID": 8, "Email": "N/A", "Amount (USD)": 1e3, "Betrag": "EUR -3", "Created Time": "04/15/2021",
     "due": "2021-03-14 02:30", "Do Not Email": "oui", "engaged": 1, "behaviour": ["pricing"], "Tags": "a;b",
     "Lead Source": "Select", "role": None, "note": 12.5},
    {"Email": "bo@example.com", "Created Time": "2021-04-15T10:00:00+0200", "Do Not Email": "Y",
     "Company": {"nested": [1, 2]}, "Website": "https://", "Lead Source": "Événement", "email": "dup"},
]
for record in rich:
    write("record_json", json.dumps(record, ensure_ascii=False))

# record_csv: byte 0 (CSV text split on `,`) then the shipped CSV files, whole and cut to a
# few rows; byte 2 (`;`) and 4 (tab) for a row of the rich definition's columns.
for path in sorted((ROOT / "examples").glob("*.csv")):
    text = path.read_bytes()
    write("record_csv", b"\x00" + text, path.stem)
    write("record_csv", b"\x00" + b"\n".join(text.split(b"\n")[:3]) + b"\n", path.stem + "_3")
header = ["Prospect ID", "Email", "Amount (USD)", "Betrag", "Created Time", "Do Not Email", "behaviour", "Tags",
          "Lead Source", "role", "due", "engaged", "Company", "Website"]
row = ["P-1", "ann@example.com", "USD 25,000", "12.500,00 €", "14 Apr, 2021 22:30:00", "Y", "pricing,demo",
       "hot;x", "Google", "decision_maker", "2026-12-01 10:00", "yes", "Select", "acme.example"]
write("record_csv", b"\x02" + ";".join(header).encode() + b"\n" + ";".join(row).encode() + b"\n", "rich_semicolon")
write("record_csv", b"\x04" + "\t".join(header).encode() + b"\n" + "\t".join(row).encode() + b"\n", "rich_tab")

# structured_definition: the grammar gives the structure; seed it with a few shipped files'
# bytes, which `arbitrary` reads as some definition, and with patterned bytes.
write("structured_definition", (ROOT / "examples" / "leads.csv").read_bytes()[:1024], "leads_csv_bytes")
write("structured_definition", (ROOT / "examples" / "definitions" / "crm_export.toml").read_bytes()[:2048],
      "crm_export_bytes")
write("structured_definition", bytes(range(256)) * 4, "ramp")
write("structured_definition", bytes([1, 1, 0, 2, 3, 5, 8, 13, 21, 34] * 40), "fib")
