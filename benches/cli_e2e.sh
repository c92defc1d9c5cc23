#!/usr/bin/env bash
# Issue 6, benchmark 4: `leadspec classify` end to end against the serde_json floor.
#
#   bash benches/cli_e2e.sh            # 100,000 and 1,000,000 lines, best of 3 runs each
#   RUNS=5 SIZES="1000000" bash benches/cli_e2e.sh
#
# Generates the benchmark's leads as JSON Lines (examples/gen_leads.rs, the fixture of
# benches/common/), then times, with the output sent to /dev/null:
#   - classify: target/release/leadspec classify with benches/common/realistic.toml;
#   - floor:    target/release/examples/json_floor, which only parses each line with
#               serde_json and writes it back (the least any JSON-in, JSON-out tool does).
# Wall time is the best of RUNS runs; peak memory (max RSS) the largest seen. Memory comes
# from /usr/bin/time when present, else from VmHWM in /proc/PID/status, polled.
# Generated files stay in target/e2e/ between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZES=${SIZES:-"100000 1000000"}
DIR=target/e2e
DEFINITION=benches/common/realistic.toml
NOW=2026-11-22T15:30:00Z

cargo build --quiet --release --features cli --bin leadspec --example gen_leads --example json_floor
mkdir -p "$DIR"

# measure FILE CMD...: prints "SECONDS KIB" for one run of CMD with stdout to /dev/null.
measure() {
  local out
  out=$(mktemp)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null
    cat "$out"
  else
    local start end pid hwm=0 kib
    start=$(date +%s.%N)
    "$@" >/dev/null &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      kib=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
      if [ -n "${kib:-}" ] && [ "$kib" -gt "$hwm" ]; then hwm=$kib; fi
      sleep 0.01
    done
    wait "$pid"
    end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc) $hwm"
  fi
  rm -f "$out"
}

# best LABEL CMD...: runs CMD RUNS times; sets BEST (seconds) and PEAK (KiB).
best() {
  local label=$1
  shift
  BEST="" PEAK=0
  for _ in $(seq "$RUNS"); do
    read -r seconds kib < <(measure "$@")
    if [ -z "$BEST" ] || awk "BEGIN{exit !($seconds < $BEST)}"; then BEST=$seconds; fi
    if [ "$kib" -gt "$PEAK" ]; then PEAK=$kib; fi
  done
  printf '%-9s %9s lines  best %7.2f s  %9.0f lines/s  peak RSS %6.1f MiB\n' \
    "$label" "$LINES" "$BEST" "$(awk "BEGIN{print $LINES / $BEST}")" "$(awk "BEGIN{print $PEAK / 1024}")"
}

echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(date -u +%Y-%m-%d)"
for LINES in $SIZES; do
  input="$DIR/leads-$LINES.jsonl"
  if [ ! -s "$input" ]; then
    target/release/examples/gen_leads "$LINES" >"$input"
  fi
  echo "input: $input ($(du -h "$input" | cut -f1))"
  best floor target/release/examples/json_floor "$input"
  floor=$BEST
  best classify target/release/leadspec classify --definition "$DEFINITION" --now "$NOW" "$input"
  printf '          classify / floor = %.2fx\n' "$(awk "BEGIN{print $BEST / $floor}")"
done
