#!/usr/bin/env bash
# The definition in the warehouse against the command line (issue 18): the same rows
# classified by `leadspec classify` and by the query of `leadspec sql` in DuckDB and
# PostgreSQL, on this machine, each on every core it uses by default.
#
# Input: the wide CRM export of examples/gen_export.rs (55 labelled columns, placeholders,
# currencies, local dates), read with benches/common/export.toml at 2026-11-22T15:30:00Z.
# (SQLite refuses that definition: one of its scoring rules uses `matches`, and SQLite has
# no regular expressions; it is not timed.)
#
#   bash benches/sql_engines.sh                 # 1,000,000 rows, best of 3
#   ROWS=100000 RUNS=5 bash benches/sql_engines.sh
#
# Timed, each writing every result row as CSV (to /dev/null):
#   - classify:  leadspec classify --output csv (the release binary, default --jobs)
#   - duckdb:    COPY (query) TO '/dev/null' over a table already loaded from the CSV with
#                read_csv(all_varchar = true); the load is timed on its own line
#   - postgres:  COPY (query) TO '/dev/null' over a table loaded with \copy (a throwaway
#                cluster on a Unix socket); default settings, parallel workers as the planner
#                chooses
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
NOW=2026-11-22T15:30:00Z
DIR=target/sql-bench
mkdir -p "$DIR"

cargo build --release --quiet --features cli --bin leadspec --example gen_export
BIN=target/release/leadspec
CSV="$DIR/export_$ROWS.csv"
[ -f "$CSV" ] || target/release/examples/gen_export "$ROWS" > "$CSV"
DEF=benches/common/export.toml
for dialect in duckdb postgres; do
  "$BIN" sql --definition "$DEF" --dialect "$dialect" --now "$NOW" > "$DIR/query_$dialect.sql"
done

best() { sort -n | head -1; }
seconds() { python3 -c 'import time; print(time.perf_counter())'; }

echo "rows: $ROWS, runs: $RUNS, cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"

times=()
for _ in $(seq "$RUNS"); do
  s=$(seconds); "$BIN" classify --definition "$DEF" --now "$NOW" --output csv "$CSV" > /dev/null 2>&1 || true; e=$(seconds)
  times+=("$(python3 -c "print(f'{$e - $s:.3f}')")")
done
classify=$(printf '%s\n' "${times[@]}" | best)
echo "classify (all cores)            ${classify}s"

python3 - "$CSV" "$DIR/query_duckdb.sql" "$RUNS" "$classify" <<'PY'
import sys, time, duckdb
csv, query, runs, classify = sys.argv[1], open(sys.argv[2]).read(), int(sys.argv[3]), float(sys.argv[4])
c = duckdb.connect()
s = time.perf_counter()
c.execute(f"CREATE TABLE leads AS SELECT * FROM read_csv('{csv}', all_varchar = true, header = true)")
print(f"duckdb load (read_csv)          {time.perf_counter() - s:.3f}s")
best = min(
    (lambda s: (c.execute(f"COPY ({query}) TO '/dev/null' (FORMAT csv)"), time.perf_counter() - s)[1])(time.perf_counter())
    for _ in range(runs)
)
print(f"duckdb query (all cores)        {best:.3f}s   ratio classify/duckdb {classify / best:.2f}")
PY

# PostgreSQL: a throwaway cluster as the postgres user, socket only.
PGBIN=$(pg_config --bindir)
PGDIR=$(mktemp -d /tmp/leadspec-bench-XXXX)
chown postgres "$PGDIR" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres > /dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -o "-k $PGDIR -c listen_addresses=''" -l "$PGDIR/log" -w start > /dev/null
trap 'as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop > /dev/null; rm -rf "$PGDIR"' EXIT
PSQL=(psql -X -q -h "$PGDIR" -U postgres -d postgres)
header=$(head -1 "$CSV" | python3 -c 'import csv,sys; print(", ".join("\"%s\" text" % c.replace("\"", "\"\"") for c in next(csv.reader(sys.stdin))))')
"${PSQL[@]}" -c "CREATE TABLE leads ($header)"
s=$(seconds); "${PSQL[@]}" -c "\\copy leads FROM '$CSV' WITH (FORMAT csv, HEADER true)"; e=$(seconds)
echo "postgres load (\\copy)           $(python3 -c "print(f'{$e - $s:.3f}')")s"
"${PSQL[@]}" -c "ANALYZE leads"
{ printf 'COPY ('; cat "$DIR/query_postgres.sql"; printf ') TO STDOUT WITH (FORMAT csv)\n'; } > "$DIR/copy_postgres.sql"
times=()
for _ in $(seq "$RUNS"); do
  s=$(seconds); "${PSQL[@]}" -f "$DIR/copy_postgres.sql" > /dev/null; e=$(seconds)
  times+=("$(python3 -c "print(f'{$e - $s:.3f}')")")
done
pg=$(printf '%s\n' "${times[@]}" | best)
echo "postgres query                  ${pg}s   ratio classify/postgres $(python3 -c "print(f'{$classify / $pg:.2f}')")"
