#!/usr/bin/env bash
# Runs each cargo-fuzz target of leadspec for SECONDS (default 600), one after another, as one
# niced libFuzzer process (-jobs=1 -workers=1), and prints per target the executions, the
# corpus size and any crash, timeout or out-of-memory files found.
#
#   fuzz/run.sh [SECONDS]                       # every target
#   TARGETS="record_json record_csv" fuzz/run.sh 3600
#
# Needs nightly and cargo-fuzz (`cargo install cargo-fuzz`). New corpus entries go to
# fuzz/work/corpus/<target>/ (git-ignored; the committed seeds in fuzz/corpus/<target>/ are
# read, never written); findings to fuzz/artifacts/<target>/; libFuzzer's log of each run to
# fuzz/work/logs/<target>/. One line per run is appended to fuzz/work/runs.tsv for FUZZING.md.
set -uo pipefail
FUZZ_DIR="$(cd "$(dirname "$0")" && pwd)"
EACH="${1:-600}"
TARGETS="${TARGETS:-load_definition rule_in_definition record_json record_csv structured_definition}"
# No sanitizer: leadspec forbids unsafe code, so AddressSanitizer would mostly slow the
# search down (about twice); debug assertions on, so an arithmetic overflow panics.
BUILD=(--fuzz-dir "$FUZZ_DIR" --sanitizer none --debug-assertions)

dict_of() {
  case "$1" in
    load_definition) echo "-dict=$FUZZ_DIR/dicts/toml.dict" ;;
    rule_in_definition) echo "-dict=$FUZZ_DIR/dicts/rule.dict" ;;
    record_json) echo "-dict=$FUZZ_DIR/dicts/json.dict" ;;
    *) echo "" ;;
  esac
}

echo "== building the targets (cargo +nightly fuzz build ${BUILD[*]:2})"
if ! nice -n 19 cargo +nightly fuzz build "${BUILD[@]}"; then
  echo "the targets do not build" >&2
  exit 2
fi

commit="$(git -C "$FUZZ_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
found=0
for target in $TARGETS; do
  work="$FUZZ_DIR/work/corpus/$target"
  logs="$FUZZ_DIR/work/logs/$target"
  artifacts="$FUZZ_DIR/artifacts/$target"
  mkdir -p "$work" "$logs" "$artifacts"
  stamp="$(mktemp)"
  started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "== $target for ${EACH}s (from $started)"
  # shellcheck disable=SC2046
  (cd "$logs" && nice -n 19 cargo +nightly fuzz run "${BUILD[@]}" "$target" "$work" "$FUZZ_DIR/corpus/$target" -- \
    -max_total_time="$EACH" -jobs=1 -workers=1 -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" $(dict_of "$target") >run.log 2>&1)
  status=$?
  log="$logs/fuzz-0.log"
  [ -f "$log" ] || log="$logs/run.log"
  cp "$log" "$logs/$started.log" 2>/dev/null || true
  execs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')"
  seconds="$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | awk '{print $5}')"
  cov="$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)"
  corpus="$(find "$work" -type f | wc -l)"
  seeds="$(find "$FUZZ_DIR/corpus/$target" -type f | wc -l)"
  findings="$(find "$artifacts" -type f -newer "$stamp" | sort)"
  rm -f "$stamp"
  echo "   executions: ${execs:-?} in ${seconds:-?} s ($cov); corpus: $corpus new + $seeds seeds; exit status $status"
  if [ -n "$findings" ]; then
    found=1
    echo "   FINDINGS:"
    echo "$findings" | sed 's/^/     /'
    grep -E "panicked at|ERROR: libFuzzer|SUMMARY" "$log" | head -5 | sed 's/^/     /'
  else
    echo "   findings: none"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$started" "$commit" "$target" "$EACH" "${seconds:-?}" "${execs:-?}" \
    "$corpus+$seeds" "$(echo "$findings" | xargs -r -n1 basename | tr '\n' ' ')" >>"$FUZZ_DIR/work/runs.tsv"
done
exit "$found"
