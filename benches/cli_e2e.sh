#!/usr/bin/env bash
# `leadspec classify` end to end against a floor: the least any tool reading the same input
# and writing JSON does. Two parts, each with its own generated input:
#   - jsonl (issue 6, benchmark 4): the leads of benches/common/ as JSON Lines
#     (examples/gen_leads.rs), read with benches/common/realistic.toml; the floor is
#     examples/json_floor.rs, which parses each line with serde_json and writes it back.
#   - csv (issue 14, item 5): a wide CRM export, 55 labelled columns with placeholders,
#     currencies and local dates (examples/gen_export.rs), read with
#     benches/common/export.toml; the floor is examples/csv_floor.rs, which reads the rows
#     with the csv crate and writes each as a JSON object of header cell to cell text.
#
#   bash benches/cli_e2e.sh            # JSONL 100,000 and 1,000,000 lines, CSV 100,000 rows
#   RUNS=5 SIZES="1000000" bash benches/cli_e2e.sh
#   PARTS="csv" CSV_SIZES="100000 1000000" bash benches/cli_e2e.sh
#   JOBS="1 2" RUNS=7 bash benches/cli_e2e.sh   # issue 17: --jobs 1 and 2 against the floor
#
# Both commands write to /dev/null (standard error to target/e2e/stderr.txt: the short
# lines lack columns the definition names, which classify warns of); classify runs with --now 2026-11-22T15:30:00Z. Without
# JOBS, classify runs with its default --jobs (the cores available), and wall time is the
# best of RUNS runs (default 3). With JOBS (a list of --jobs values), the floor and classify
# with each --jobs take turns, RUNS rounds, so that a machine whose load changes slows them
# alike; each gets its median and best, and the ratio of medians to the floor. Peak memory
# (max RSS) is the largest seen, CPU time (user + system) the median. SHAPES chooses the
# JSONL inputs: `realistic` (the generated leads, about 420 bytes a line; the default),
# `short` (the same leads without the 12 keys that matter least, about 200 bytes a line)
# and `long` (with a 600-byte `notes` instead, about 1,000 bytes a line). Memory
# comes from /usr/bin/time when present, else from VmHWM in /proc/PID/status, polled.
# Before the CSV part, `leadspec check` loads export.toml and runs its examples; if that
# fails, the floor is still timed, then the script prints check's first lines and stops
# with status 1. Generated files stay in target/e2e/ between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
JOBS=${JOBS:-}
SHAPES=${SHAPES:-realistic}
PARTS=${PARTS:-"jsonl csv"}
SIZES=${SIZES:-"100000 1000000"}
CSV_SIZES=${CSV_SIZES:-"100000"}
DIR=target/e2e
DEFINITION=benches/common/realistic.toml
CSV_DEFINITION=benches/common/export.toml
NOW=2026-11-22T15:30:00Z

# part NAME: whether PARTS names this part.
part() {
  case " $PARTS " in
    *" $1 "*) return 0 ;;
    *) return 1 ;;
  esac
}
for p in $PARTS; do
  case $p in
    jsonl | csv) ;;
    *)
      echo "unknown part \"$p\" in PARTS (use jsonl, csv or both)" >&2
      exit 2
      ;;
  esac
done

examples=()
if part jsonl; then examples+=(--example gen_leads --example json_floor); fi
if part csv; then examples+=(--example gen_export --example csv_floor); fi
cargo build --quiet --release --features cli --bin leadspec "${examples[@]}"
mkdir -p "$DIR"

# measure FILE CMD...: prints "SECONDS KIB" for one run of CMD with stdout to /dev/null.
measure() {
  local out
  out=$(mktemp)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M %U %S" -o "$out" "$@" >/dev/null 2>"$DIR/stderr.txt"
    tail -n 1 "$out"
  else
    local start end pid hwm=0 kib
    start=$(date +%s.%N)
    "$@" >/dev/null 2>"$DIR/stderr.txt" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      kib=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
      if [ -n "${kib:-}" ] && [ "$kib" -gt "$hwm" ]; then hwm=$kib; fi
      sleep 0.01
    done
    wait "$pid"
    end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc) $hwm 0 0"
  fi
  rm -f "$out"
}

# best LABEL CMD...: runs CMD RUNS times; sets BEST (seconds) and PEAK (KiB). LINES is the
# number of records and UNIT what they are called ("lines" or "rows").
best() {
  local label=$1
  shift
  BEST="" PEAK=0
  for _ in $(seq "$RUNS"); do
    read -r seconds kib _ < <(measure "$@")
    if [ -z "$BEST" ] || awk "BEGIN{exit !($seconds < $BEST)}"; then BEST=$seconds; fi
    if [ "$kib" -gt "$PEAK" ]; then PEAK=$kib; fi
  done
  printf "%-9s %9s $UNIT  best %7.2f s  %9.0f $UNIT/s  peak RSS %6.1f MiB\n" \
    "$label" "$LINES" "$BEST" "$(awk "BEGIN{print $LINES / $BEST}")" "$(awk "BEGIN{print $PEAK / 1024}")"
}

# alternate LABEL=CMD...: runs the commands in turn, RUNS rounds (CMD is split on spaces);
# prints for each its median and best wall time, its peak RSS and the ratio of its median to
# the first command's (the floor's).
alternate() {
  local labels=() cmds=() times=() cpus=() peaks=() i seconds kib user system median best cpu floor_median=""
  for spec in "$@"; do
    labels+=("${spec%%=*}")
    cmds+=("${spec#*=}")
    times+=("")
    cpus+=("")
    peaks+=(0)
  done
  for _ in $(seq "$RUNS"); do
    for i in "${!cmds[@]}"; do
      # shellcheck disable=SC2086 # the command's words
      read -r seconds kib user system < <(measure ${cmds[$i]})
      times[i]+="$seconds "
      cpus[i]+="$(awk "BEGIN{print $user + $system}") "
      if [ "$kib" -gt "${peaks[i]}" ]; then peaks[i]=$kib; fi
    done
  done
  # median_best: the median and the least of the numbers on standard input.
  median_best() {
    tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2), v[1]}'
  }
  for i in "${!cmds[@]}"; do
    read -r median best < <(echo "${times[i]}" | median_best)
    read -r cpu _ < <(echo "${cpus[i]}" | median_best)
    if [ -z "$floor_median" ]; then floor_median=$median; fi
    printf "%-10s %8s $UNIT  median %6.2f s  best %6.2f s  cpu %6.2f s  peak RSS %5.1f MiB  median / floor %5.2fx\n" \
      "${labels[i]}" "$LINES" "$median" "$best" "$cpu" "$(awk "BEGIN{print ${peaks[i]} / 1024}")" \
      "$(awk "BEGIN{print $median / $floor_median}")"
  done
}

# jobs_specs CMD...: one LABEL=CMD per value of JOBS, `classify --jobs N` for each.
jobs_specs() {
  local n
  for n in $JOBS; do
    printf '%s\n' "jobs-$n=$* --jobs $n"
  done
}

echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(date -u +%Y-%m-%d)"
if part jsonl; then
  UNIT=lines
  for LINES in $SIZES; do
    input="$DIR/leads-$LINES.jsonl"
    if [ ! -s "$input" ]; then
      target/release/examples/gen_leads "$LINES" >"$input"
    fi
    inputs=()
    for shape in $SHAPES; do
      case $shape in
        realistic) inputs+=("$input") ;;
        short)
          short="$DIR/leads-$LINES-short.jsonl"
          if [ ! -s "$short" ]; then
            sed -E 's/,"(company|country|customer_since|employees|industry|last_seen|notes|page_views|phone|title|unsubscribed|website)":("[^"]*"|[^,}]*)//g' "$input" >"$short"
          fi
          inputs+=("$short")
          ;;
        long)
          long="$DIR/leads-$LINES-long.jsonl"
          if [ ! -s "$long" ]; then
            notes=$(printf 'n%.0s' $(seq 600))
            sed -E "s/,\"notes\":(\"[^\"]*\"|null)//; s/}\$/,\"notes\":\"$notes\"}/" "$input" >"$long"
          fi
          inputs+=("$long")
          ;;
        *)
          echo "unknown shape \"$shape\" in SHAPES (use realistic, short, long)" >&2
          exit 2
          ;;
      esac
    done
    for input in "${inputs[@]}"; do
      echo "input: $input ($(du -h "$input" | cut -f1))"
      classify="target/release/leadspec classify --definition $DEFINITION --now $NOW $input"
      if [ -n "$JOBS" ]; then
        mapfile -t specs < <(jobs_specs "$classify")
        alternate "floor=target/release/examples/json_floor $input" "${specs[@]}"
        continue
      fi
      best floor target/release/examples/json_floor "$input"
      floor=$BEST
      # shellcheck disable=SC2086 # the command's words
      best classify $classify
      printf '          classify / floor = %.2fx\n' "$(awk "BEGIN{print $BEST / $floor}")"
    done
  done
fi

if part csv; then
  UNIT=rows
  # The definition must load and its examples pass, or there is nothing to time.
  loads=1
  if ! target/release/leadspec check --now "$NOW" "$CSV_DEFINITION" >"$DIR/check.out" 2>&1; then
    loads=0
  fi
  for LINES in $CSV_SIZES; do
    input="$DIR/export-$LINES.csv"
    if [ ! -s "$input" ]; then
      target/release/examples/gen_export "$LINES" >"$input"
    fi
    echo "input: $input ($(du -h "$input" | cut -f1))"
    if [ -n "$JOBS" ] && [ "$loads" = 1 ]; then
      mapfile -t specs < <(jobs_specs "target/release/leadspec classify --definition $CSV_DEFINITION --now $NOW $input")
      alternate "floor=target/release/examples/csv_floor $input" "${specs[@]}"
      continue
    fi
    best floor target/release/examples/csv_floor "$input"
    floor=$BEST
    if [ "$loads" = 0 ]; then
      echo "classify: not timed: \`leadspec check $CSV_DEFINITION\` fails with this build:" >&2
      head -n 5 "$DIR/check.out" >&2
      exit 1
    fi
    best classify target/release/leadspec classify --definition "$CSV_DEFINITION" --now "$NOW" "$input"
    printf '          classify / floor = %.2fx\n' "$(awk "BEGIN{print $BEST / $floor}")"
  done
fi
