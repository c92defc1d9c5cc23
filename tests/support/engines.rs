//! Running one SQL query over one table of text columns in a real engine: SQLite (through
//! `rusqlite`, in process), DuckDB (through its Python package) and PostgreSQL (a throwaway
//! cluster on a Unix socket, started once per test binary).
//!
//! Every engine gets the same table: the columns all text, the cells as given. A `None`
//! cell is SQL `NULL`, a `Some("")` cell the empty string, in every engine (DuckDB reads
//! its CSV with `allow_quoted_nulls = false`, so an unquoted empty cell is `NULL` and a
//! quoted one `""` is the empty string). The crate reads both as an empty CSV cell, which
//! is missing: the contract makes the two mean the same, and the engines are held to that.
//!
//! The result rows come back keyed by result column name, each value as text: strings as
//! they are, booleans `true`/`false`, numbers with an integral value as an integer (`42`,
//! whatever type the engine gave), `NULL` as `None`.
//!
//! An engine that cannot be started is an error naming what to install; the tests fail on
//! it rather than skip.
#![allow(dead_code)] // each test file uses a part

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// One result row: result column name to its value as text (`None` for `NULL`).
pub type ResultRow = BTreeMap<String, Option<String>>;

/// A table of text columns.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// The column names, in order (distinct).
    pub columns: Vec<String>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Option<String>>>,
}

/// The engines the queries run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Engine {
    Postgres,
    DuckDb,
    Sqlite,
    /// Spark SQL in local mode (pyspark, `local[2]`): in the tests only with
    /// `LEADSPEC_SPARK=1` (see [`Engine::tested`]), as `.ci/spark` runs them.
    Spark,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Postgres, Engine::DuckDb, Engine::Sqlite];

    /// The engines the tests compare with: the three of `ALL`, and Spark when the
    /// environment says `LEADSPEC_SPARK=1` (it takes minutes: `.ci/spark` runs it).
    pub fn tested() -> Vec<Engine> {
        let mut engines = Engine::ALL.to_vec();
        if std::env::var("LEADSPEC_SPARK").is_ok_and(|v| v == "1") {
            engines.push(Engine::Spark);
        }
        engines
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::DuckDb => "duckdb",
            Engine::Sqlite => "sqlite",
            Engine::Spark => "spark",
        }
    }

    /// Runs `query` over `table`, created under the name `leads`.
    pub fn run(self, table: &Table, query: &str) -> Result<Vec<ResultRow>, String> {
        match self {
            Engine::Postgres => postgres(table, query),
            Engine::DuckDb => duckdb(table, query),
            Engine::Sqlite => sqlite(table, query),
            Engine::Spark => spark(table, query),
        }
    }
}

/// The name the tables are created under.
pub const TABLE: &str = "leads";

/// `name` as a double-quoted SQL identifier (the same in the three engines).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `text` as a standard SQL string literal (no backslash escapes: PostgreSQL's
/// `standard_conforming_strings`, SQLite and DuckDB alike).
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A number as text: an integral value as an integer, `NULL`-free.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A unique scratch directory under the system's temporary directory.
fn scratch_dir(what: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("leadspec-{what}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The table as RFC 4180 CSV under its header: every present cell quoted (so an empty one
/// is `""`), a `None` cell written as nothing at all.
pub fn table_csv(table: &Table) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::new();
    out.push_str(&table.columns.iter().map(|c| quote(c)).collect::<Vec<_>>().join(","));
    out.push('\n');
    for row in &table.rows {
        assert_eq!(
            row.len(),
            table.columns.len(),
            "a row with {} cells under {} columns",
            row.len(),
            table.columns.len()
        );
        let cells: Vec<String> = row.iter().map(|c| c.as_deref().map(quote).unwrap_or_default()).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------
// SQLite

fn sqlite(table: &Table, query: &str) -> Result<Vec<ResultRow>, String> {
    use rusqlite::types::ValueRef;
    let db = rusqlite::Connection::open_in_memory().map_err(|e| format!("sqlite: cannot open a database: {e}"))?;
    let columns: Vec<String> = table.columns.iter().map(|c| format!("{} TEXT", quote_ident(c))).collect();
    db.execute_batch(&format!("CREATE TABLE {TABLE} ({})", columns.join(", ")))
        .map_err(|e| format!("sqlite: CREATE TABLE: {e}"))?;
    let marks = vec!["?"; table.columns.len()].join(", ");
    let tx = db.unchecked_transaction().map_err(|e| format!("sqlite: {e}"))?;
    {
        let mut insert =
            tx.prepare(&format!("INSERT INTO {TABLE} VALUES ({marks})")).map_err(|e| format!("sqlite: INSERT: {e}"))?;
        for row in &table.rows {
            insert.execute(rusqlite::params_from_iter(row.iter())).map_err(|e| format!("sqlite: INSERT: {e}"))?;
        }
    }
    tx.commit().map_err(|e| format!("sqlite: {e}"))?;
    let mut statement = db.prepare(query).map_err(|e| format!("sqlite: the query does not prepare: {e}"))?;
    let names: Vec<String> = statement.column_names().into_iter().map(str::to_string).collect();
    let mut rows = statement.query([]).map_err(|e| format!("sqlite: the query fails: {e}"))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(|e| format!("sqlite: the query fails: {e}"))? {
        let mut result = ResultRow::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i).map_err(|e| format!("sqlite: {e}"))? {
                ValueRef::Null => None,
                ValueRef::Integer(n) => Some(n.to_string()),
                ValueRef::Real(x) => Some(number_text(x)),
                ValueRef::Text(t) => Some(String::from_utf8(t.to_vec()).map_err(|e| format!("sqlite: {name}: {e}"))?),
                ValueRef::Blob(_) => return Err(format!("sqlite: the column {name} holds a blob")),
            };
            result.insert(name.clone(), value);
        }
        out.push(result);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Rows printed as JSON lines (DuckDB's script and PostgreSQL's `row_to_json`)

fn json_rows(engine: &str, text: &str) -> Result<Vec<ResultRow>, String> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{engine}: an output line is not JSON ({e}): {line}"))?;
        let serde_json::Value::Object(map) = value else {
            return Err(format!("{engine}: an output line is not an object: {line}"));
        };
        let mut row = ResultRow::new();
        for (key, value) in map {
            let text = match value {
                serde_json::Value::Null => None,
                serde_json::Value::Bool(b) => Some(b.to_string()),
                serde_json::Value::Number(n) => Some(match (n.as_i64(), n.as_f64()) {
                    (Some(i), _) => i.to_string(),
                    (None, Some(x)) => number_text(x),
                    (None, None) => n.to_string(),
                }),
                serde_json::Value::String(s) => Some(s),
                other => Some(other.to_string()),
            };
            row.insert(key, text);
        }
        out.push(row);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// DuckDB

const DUCKDB_SCRIPT: &str = r#"
import json, sys, decimal, datetime
try:
    import duckdb
except ImportError:
    sys.stderr.write("NO_DUCKDB\n")
    sys.exit(3)
csv_path, query_path, columns_path = sys.argv[1:4]
columns = json.load(open(columns_path, encoding="utf-8"))
query = open(query_path, encoding="utf-8").read()
con = duckdb.connect()
con.execute(
    "CREATE TABLE leads AS SELECT * FROM read_csv(?, header = true, auto_detect = false, "
    "delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false, "
    "columns = " + "{" + ", ".join("'" + c.replace("'", "''") + "': 'VARCHAR'" for c in columns) + "})",
    [csv_path],
)
cur = con.execute(query)
names = [d[0] for d in cur.description]
def plain(v):
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    return v
out = sys.stdout
for row in cur.fetchall():
    out.write(json.dumps({n: plain(v) for n, v in zip(names, row)}, ensure_ascii=False))
    out.write("\n")
"#;

fn duckdb(table: &Table, query: &str) -> Result<Vec<ResultRow>, String> {
    let dir = scratch_dir("duckdb");
    let result = (|| {
        let csv = dir.join("leads.csv");
        std::fs::write(&csv, table_csv(table)).map_err(|e| format!("duckdb: {e}"))?;
        std::fs::write(dir.join("query.sql"), query).map_err(|e| format!("duckdb: {e}"))?;
        std::fs::write(dir.join("columns.json"), serde_json::to_string(&table.columns).unwrap())
            .map_err(|e| format!("duckdb: {e}"))?;
        std::fs::write(dir.join("run.py"), DUCKDB_SCRIPT).map_err(|e| format!("duckdb: {e}"))?;
        let output = Command::new("python3")
            .arg(dir.join("run.py"))
            .arg(&csv)
            .arg(dir.join("query.sql"))
            .arg(dir.join("columns.json"))
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("duckdb: cannot run python3 ({e}); install Python 3 and `pip install duckdb`"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("NO_DUCKDB") {
            return Err("duckdb: the Python package is missing; install it with `pip install duckdb`".to_string());
        }
        if !output.status.success() {
            return Err(format!("duckdb: the query fails: {}", stderr.trim()));
        }
        json_rows("duckdb", &String::from_utf8_lossy(&output.stdout))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

// ---------------------------------------------------------------------------------------
// Spark

/// One PySpark session (`local[2]`) for the whole test binary: it starts in about 15 s, so
/// it serves every query, reading one job per line on its standard input (the paths of a
/// table as JSON and of a query) and answering with the result as JSON lines, then a line
/// `END` (or `ERROR` and the message).
const SPARK_SCRIPT: &str = r#"
import json, sys, decimal, datetime
try:
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StructType, StructField, StringType
except ImportError:
    sys.stdout.write("NO_PYSPARK\n"); sys.stdout.flush(); sys.exit(3)
spark = (SparkSession.builder.master("local[2]").appName("leadspec-tests")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
         .config("spark.sql.codegen.wholeStage", "false")
         .config("spark.sql.analyzer.maxIterations", "1000").getOrCreate())
spark.sparkContext.setLogLevel("OFF")
def plain(v):
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    return v
sys.stdout.write("READY\n"); sys.stdout.flush()
for line in sys.stdin:
    job = json.loads(line)
    try:
        table = json.load(open(job["table"], encoding="utf-8"))
        schema = StructType([StructField(c, StringType()) for c in table["columns"]])
        spark.createDataFrame(table["rows"], schema).createOrReplaceTempView("leads")
        result = spark.sql(open(job["query"], encoding="utf-8").read())
        names = result.columns
        for row in result.collect():
            sys.stdout.write(json.dumps({n: plain(v) for n, v in zip(names, row)}, ensure_ascii=False) + "\n")
        sys.stdout.write("END\n")
    except Exception as e:
        sys.stdout.write("ERROR " + json.dumps(str(e)[:4000]) + "\n")
    sys.stdout.flush()
"#;

/// The running PySpark process, its input and its output.
struct SparkServer {
    input: std::process::ChildStdin,
    output: std::io::BufReader<std::process::ChildStdout>,
    _child: std::process::Child,
}

static SPARK: OnceLock<Result<std::sync::Mutex<SparkServer>, String>> = OnceLock::new();

fn start_spark() -> Result<std::sync::Mutex<SparkServer>, String> {
    use std::io::BufRead;
    let dir = scratch_dir("spark-server");
    std::fs::write(dir.join("serve.py"), SPARK_SCRIPT).map_err(|e| format!("spark: {e}"))?;
    let mut child = Command::new("python3")
        .arg(dir.join("serve.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("spark: cannot run python3 ({e}); install Python 3 and `pip install pyspark`"))?;
    let input = child.stdin.take().ok_or("spark: no stdin")?;
    let mut output = std::io::BufReader::new(child.stdout.take().ok_or("spark: no stdout")?);
    let mut first = String::new();
    output.read_line(&mut first).map_err(|e| format!("spark: {e}"))?;
    match first.trim() {
        "READY" => Ok(std::sync::Mutex::new(SparkServer { input, output, _child: child })),
        "NO_PYSPARK" => {
            Err("spark: the Python package is missing; install it with `pip install pyspark` (Spark 4 needs Java 17)"
                .to_string())
        }
        other => Err(format!("spark: the session did not start (is Java 17 installed?): {other:?}")),
    }
}

fn spark(table: &Table, query: &str) -> Result<Vec<ResultRow>, String> {
    use std::io::BufRead;
    let server = SPARK.get_or_init(start_spark).as_ref().map_err(Clone::clone)?;
    let mut server = server.lock().map_err(|_| "spark: the session failed before".to_string())?;
    let dir = scratch_dir("spark");
    let result = (|| {
        let table_json = serde_json::json!({ "columns": table.columns, "rows": table.rows });
        std::fs::write(dir.join("table.json"), table_json.to_string()).map_err(|e| format!("spark: {e}"))?;
        std::fs::write(dir.join("query.sql"), query).map_err(|e| format!("spark: {e}"))?;
        let job = serde_json::json!({
            "table": dir.join("table.json").display().to_string(),
            "query": dir.join("query.sql").display().to_string(),
        });
        writeln!(server.input, "{job}").map_err(|e| format!("spark: the session is gone: {e}"))?;
        server.input.flush().map_err(|e| format!("spark: {e}"))?;
        let mut rows = String::new();
        loop {
            let mut line = String::new();
            if server.output.read_line(&mut line).map_err(|e| format!("spark: {e}"))? == 0 {
                return Err("spark: the session ended".to_string());
            }
            if line.trim_end() == "END" {
                break;
            }
            if let Some(message) = line.strip_prefix("ERROR ") {
                return Err(format!("spark: the query fails: {}", message.trim()));
            }
            rows.push_str(&line);
        }
        json_rows("spark", &rows)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

// ---------------------------------------------------------------------------------------
// PostgreSQL

/// A throwaway cluster: its data directory (which also holds its socket) and binaries.
struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
}

impl Cluster {
    /// A command for the binary `name` of the cluster, run as the `postgres` OS user when
    /// we are root (PostgreSQL refuses to run as root).
    fn command(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program).current_dir(&self.dir);
            c
        } else {
            let mut c = Command::new(program);
            c.current_dir(&self.dir);
            c
        }
    }
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();

fn cluster() -> Result<&'static Cluster, String> {
    CLUSTER.get_or_init(start_cluster).as_ref().map_err(Clone::clone)
}

fn run_checked(mut command: Command, what: &str) -> Result<String, String> {
    let output = command.stdin(Stdio::null()).output().map_err(|e| format!("postgres: cannot run {what}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "postgres: {what} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Starts the cluster: `initdb` into a scratch directory, `pg_ctl start` listening on a
/// socket in that directory only. A watcher process in a session of its own stops the
/// cluster and removes the directory once this process has ended, however it ends (a
/// static's `Drop` never runs, and a failing test must not leave a server behind).
fn start_cluster() -> Result<Cluster, String> {
    const INSTALL: &str = "install PostgreSQL (`apt-get install -y postgresql`; `pg_config --bindir` must hold initdb)";
    // `pg_config --bindir`, or else the newest Debian layout /usr/lib/postgresql/N/bin.
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let debian = || {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
            .collect();
        versions.sort();
        versions.pop().map(|(_, bin)| bin)
    };
    let bin = from_pg_config
        .filter(|bin| bin.join("initdb").exists())
        .or_else(debian)
        .ok_or_else(|| format!("postgres: no pg_config and no /usr/lib/postgresql/*/bin; {INSTALL}"))?;
    for tool in ["initdb", "pg_ctl", "psql"] {
        if !bin.join(tool).exists() {
            return Err(format!("postgres: no {tool} in {}; {INSTALL}", bin.display()));
        }
    }
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let dir = scratch_dir("postgres");
    let cluster = Cluster { dir: dir.clone(), bin, as_postgres: root };
    if root {
        run_checked(
            {
                let mut c = Command::new("chown");
                c.arg("postgres:postgres").arg(&dir);
                c
            },
            "chown postgres (is there a `postgres` OS user? it comes with the postgresql package)",
        )?;
    }
    // The watcher first, so that whatever happens next is cleaned up.
    let pg_ctl = cluster.bin.join("pg_ctl");
    let stop = if root {
        format!("runuser -u postgres -- '{}' stop -D '{}/data' -m fast", pg_ctl.display(), dir.display())
    } else {
        format!("'{}' stop -D '{}/data' -m fast", pg_ctl.display(), dir.display())
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        dir = dir.display()
    );
    Command::new("setsid")
        .args(["sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("postgres: cannot start the cleanup watcher (setsid): {e}"))?;
    let data = dir.join("data");
    let mut initdb = cluster.command("initdb");
    initdb.args(["-A", "trust", "-E", "UTF8", "--locale", "C", "-U", "postgres", "-D"]).arg(&data);
    run_checked(initdb, "initdb")?;
    let mut start = cluster.command("pg_ctl");
    start
        .args(["start", "-w", "-t", "60", "-D"])
        .arg(&data)
        .arg("-l")
        .arg(dir.join("log"))
        .arg("-o")
        .arg(format!("-k {} -c listen_addresses='' -F -c max_connections=40", dir.display()));
    run_checked(start, "pg_ctl start").map_err(|e| {
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        format!("{e}\nserver log:\n{log}")
    })?;
    Ok(cluster)
}

fn postgres(table: &Table, query: &str) -> Result<Vec<ResultRow>, String> {
    postgres_with(table, "", query)
}

/// Runs `query` over `table` in PostgreSQL after the statements of `setup` (such as a
/// `CREATE VIEW` over the table).
pub fn postgres_with(table: &Table, setup: &str, query: &str) -> Result<Vec<ResultRow>, String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let cluster = cluster()?;
    // Each run in a schema of its own, so tests on several threads share the cluster.
    let schema = format!("run_{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let mut script = String::new();
    writeln!(script, "\\set ON_ERROR_STOP 1").unwrap();
    writeln!(script, "SET client_min_messages = warning;").unwrap();
    writeln!(script, "CREATE SCHEMA {schema}; SET search_path = {schema};").unwrap();
    let columns: Vec<String> = table.columns.iter().map(|c| format!("{} text", quote_ident(c))).collect();
    writeln!(script, "CREATE TABLE {TABLE} ({});", columns.join(", ")).unwrap();
    for chunk in table.rows.chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|row| {
                let cells: Vec<String> =
                    row.iter().map(|c| c.as_deref().map_or_else(|| "NULL".to_string(), quote_literal)).collect();
                format!("({})", cells.join(", "))
            })
            .collect();
        writeln!(script, "INSERT INTO {TABLE} VALUES {};", values.join(",\n")).unwrap();
    }
    writeln!(script, "{setup}").unwrap();
    writeln!(script, "SELECT row_to_json(q) FROM (\n{query}\n) AS q;").unwrap();
    writeln!(script, "DROP SCHEMA {schema} CASCADE;").unwrap();
    let mut psql = cluster.command("psql");
    psql.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-U", "postgres", "-h"])
        .arg(&cluster.dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = psql.spawn().map_err(|e| format!("postgres: cannot run psql: {e}"))?;
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(script.as_bytes()));
    let output = child.wait_with_output().map_err(|e| format!("postgres: psql: {e}"))?;
    let _ = writer.join();
    if !output.status.success() {
        let error = String::from_utf8_lossy(&output.stderr).into_owned();
        // Leave nothing behind for the next run.
        let mut drop = cluster.command("psql");
        drop.args(["-X", "-q", "-d", "postgres", "-U", "postgres", "-h"])
            .arg(&cluster.dir)
            .args(["-c", &format!("DROP SCHEMA IF EXISTS {schema} CASCADE")]);
        let _ = drop.stdin(Stdio::null()).output();
        return Err(format!("postgres: the query fails: {}", error.trim()));
    }
    json_rows("postgres", &String::from_utf8_lossy(&output.stdout))
}

/// Where the cluster's socket is, once started (for a message).
pub fn postgres_dir() -> Option<&'static Path> {
    CLUSTER.get().and_then(|c| c.as_ref().ok()).map(|c| c.dir.as_path())
}
