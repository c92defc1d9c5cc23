//! The CSV tables of `record_csv`: header and row cells that are either words the rich
//! definition reads or any text, so the fuzzer reaches the reading keys quickly.

use arbitrary::Arbitrary;

use crate::pick;

/// Header cells: the rich definition's columns, near misses and the id column.
pub const COLUMNS: &[&str] = &[
    "Prospect ID",
    "Email",
    "Website",
    "landing",
    "Company",
    "note",
    "Amount (USD)",
    "Betrag",
    "employees",
    "score_in",
    "Lead Source",
    "role",
    "Created Time",
    "due",
    "Do Not Email",
    "engaged",
    "behaviour",
    "Tags",
    "id",
    "email",
    "lead_source",
    "LEAD SOURCE",
    "Amount(USD)",
    "",
];

/// Cell values: placeholders, currency, local numbers and dates, boolean words, lists.
pub const WORDS: &[&str] = &[
    "Select",
    "n/a",
    "-",
    "none",
    " ",
    "",
    "$25,000",
    "25,000 USD",
    "-€1.234,50",
    "1.234,5",
    "12\u{a0}500,00 €",
    "£ 7",
    "USD-3",
    "1e3",
    "1,2,3",
    "1e400",
    "-0",
    "12 345",
    "NaN",
    "14 Apr, 2021 22:30:00",
    "04/15/2021",
    "2021-04-15T10:00:00+0200",
    "2021-04-15T10:00:00Z",
    "2021-03-14 02:30",
    "2021-11-07 01:30:00.999999999",
    "15.04.2021 10:00",
    "April 15 2021",
    "2026-11-22",
    "+262143-12-31",
    "Y",
    "N",
    "oui",
    "NON",
    "yes",
    "0",
    "1",
    "ann@example.com",
    "ann@",
    "acme.example/pricing",
    "http://x.org/",
    "https://",
    "mailto:x",
    "pricing,demo",
    "hot;cold",
    ",,",
    "Google",
    "Webinar",
    "Événement",
    "decision_maker",
    "user",
    "acme inc",
    "a pain",
];

/// One header cell.
#[derive(Arbitrary, Debug)]
pub enum HeaderCell {
    /// A column from [`COLUMNS`].
    Column(u8),
    /// A column with spaces around it.
    Padded(u8),
    /// A column after a byte-order mark.
    Bom(u8),
    /// Any text.
    Text(String),
}

/// One cell of a row.
#[derive(Arbitrary, Debug)]
pub enum Cell {
    /// A word from [`WORDS`].
    Word(u8),
    /// Two words joined, such as `$25,000 USD` or `Y;N`.
    Joined(u8, u8, u8),
    /// Any text.
    Text(String),
}

/// A row: its cells, and whether it keeps its own width (else it takes the header's).
#[derive(Arbitrary, Debug)]
pub struct Row {
    /// The cells.
    pub cells: Vec<Cell>,
    /// Keep a width that may differ from the header's.
    pub ragged: bool,
}

/// A header and its rows.
#[derive(Arbitrary, Debug)]
pub struct Table {
    /// The header's cells.
    pub header: Vec<HeaderCell>,
    /// The rows.
    pub rows: Vec<Row>,
}

impl Cell {
    fn render(&self) -> String {
        match self {
            Cell::Word(w) => pick(WORDS, *w).to_string(),
            Cell::Joined(a, glue, b) => {
                format!("{}{}{}", pick(WORDS, *a), pick(&["", " ", ";", ",", "\u{a0}"], *glue), pick(WORDS, *b))
            }
            Cell::Text(t) => t.clone(),
        }
    }
}

impl Table {
    /// The header's cells and the rows' cells as text.
    pub fn render(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let header: Vec<String> = self
            .header
            .iter()
            .map(|h| match h {
                HeaderCell::Column(c) => pick(COLUMNS, *c).to_string(),
                HeaderCell::Padded(c) => format!(" {}\t", pick(COLUMNS, *c)),
                HeaderCell::Bom(c) => format!("\u{feff}{}", pick(COLUMNS, *c)),
                HeaderCell::Text(t) => t.clone(),
            })
            .collect();
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let mut cells: Vec<String> = row.cells.iter().map(Cell::render).collect();
                if !row.ragged {
                    cells.resize(header.len(), String::new());
                }
                cells
            })
            .collect();
        (header, rows)
    }
}

/// The header and rows of a fuzz input (see the `record_csv` target).
pub fn cells(data: &[u8]) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let (&choice, rest) = data.split_first()?;
    if choice % 2 == 1 {
        let table = Table::arbitrary_take_rest(arbitrary::Unstructured::new(rest)).ok()?;
        return Some(table.render());
    }
    let delimiter = [b',', b';', b'\t'][(choice / 2 % 3) as usize];
    let mut reader =
        ::csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(rest);
    let mut lines = Vec::new();
    for record in reader.records().take(64) {
        let Ok(record) = record else { break };
        lines.push(record.iter().map(str::to_string).collect::<Vec<String>>());
    }
    let mut lines = lines.into_iter();
    let header = lines.next()?;
    Some((header, lines.collect()))
}
