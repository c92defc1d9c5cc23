#!/usr/bin/env bash
# Peak memory and wall time of `leadspec sla` and `leadspec waterfall` on a generated stage
# history (examples/gen_history.rs): LINES changes of LEADS leads, shuffled or sorted by
# lead id, as JSON Lines and as CSV, read with the default definition as of 2027-06-01
# (after every change).
#
#   bash benches/histories.sh                          # 2,000,000 changes of 500,000 leads
#   RUNS=1 LINES=20000000 LEADS=5000000 bash benches/histories.sh
#   BIN=/tmp/leadspec-old bash benches/histories.sh    # another build of leadspec
#
# Wall time is the best of RUNS runs (default 3), peak memory the largest max RSS reported
# by /usr/bin/time; "per change" is the peak minus the peak on an empty history, divided by
# LINES. The last line reads the CSV history as JSON Lines, so that every line is unreadable
# and reported on standard error. A command the build does not know (an older build without --sorted or CSV
# histories) is shown as failing. Output goes to /dev/null; generated files stay in
# target/histories/ between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
LINES=${LINES:-2000000}
LEADS=${LEADS:-500000}
DIR=target/histories
NOW=2027-06-01

cargo build --quiet --release --features cli --bin leadspec --example gen_history
BIN=${BIN:-target/release/leadspec}
mkdir -p "$DIR"

# input ORDER FORMAT: the generated file's path, made if missing.
input() {
  local path="$DIR/history-$LINES-$LEADS-$1.$2"
  if [ ! -s "$path" ]; then
    target/release/examples/gen_history "$LINES" "$LEADS" "$1" "$2" >"$path"
  fi
  echo "$path"
}

# run LABEL ARGS...: times `$BIN ARGS...` RUNS times and prints one line.
run() {
  local label=$1 best="" peak=0 out
  shift
  out=$(mktemp)
  for _ in $(seq "$RUNS"); do
    if ! /usr/bin/time -f "%e %M" -o "$out" "$BIN" "$@" >/dev/null 2>/dev/null; then
      # Status 3 (unreadable lines) still measures; anything else is a failure.
      if ! grep -q "status 3" "$out"; then
        printf "%-34s fails: %s\n" "$label" "$("$BIN" "$@" 2>&1 >/dev/null | head -n 1)"
        rm -f "$out"
        return
      fi
    fi
    read -r seconds kib < <(tail -n 1 "$out")
    if [ -z "$best" ] || awk "BEGIN{exit !($seconds < $best)}"; then best=$seconds; fi
    if [ "$kib" -gt "$peak" ]; then peak=$kib; fi
  done
  rm -f "$out"
  printf "%-34s best %6.2f s  peak RSS %7.1f MiB  %6.1f bytes a change\n" "$label" "$best" \
    "$(awk "BEGIN{print $peak / 1024}")" "$(awk "BEGIN{print ($peak - $EMPTY) * 1024 / $LINES}")"
}

shuffled=$(input shuffled jsonl)
sorted=$(input sorted jsonl)
shuffled_csv=$(input shuffled csv)
sorted_csv=$(input sorted csv)
/usr/bin/time -f "%M" -o "$DIR/empty" "$BIN" sla --now "$NOW" /dev/null >/dev/null
EMPTY=$(tail -n 1 "$DIR/empty")

echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(date -u +%Y-%m-%d)"
echo "build: $BIN; $LINES changes of $LEADS leads; empty history: $(awk "BEGIN{print $EMPTY / 1024}") MiB"
run "sla, shuffled JSONL" sla --now "$NOW" "$shuffled"
run "sla, sorted JSONL" sla --now "$NOW" "$sorted"
run "sla --sorted, sorted JSONL" sla --sorted --now "$NOW" "$sorted"
run "sla, shuffled CSV" sla --now "$NOW" "$shuffled_csv"
run "sla --sorted, sorted CSV" sla --sorted --now "$NOW" "$sorted_csv"
run "sla --summary, shuffled JSONL" sla --summary --now "$NOW" "$shuffled"
run "waterfall, shuffled JSONL" waterfall "$shuffled"
run "waterfall --sorted, sorted JSONL" waterfall --sorted "$sorted"
# The CSV file read as JSON Lines: every line unreadable, each reported on standard error.
ln -sf "$(basename "$shuffled_csv")" "$DIR/unreadable-$LINES-$LEADS.txt"
run "sla, every line unreadable" sla --now "$NOW" "$DIR/unreadable-$LINES-$LEADS.txt"
