#!/usr/bin/env bash
# Benchmarks of the foundation: ICD-10-CM keyword search (median < 5 ms over all 74,719 codes), code
# look-up (< 50 µs), patient search with 100,000 patients (median < 10 ms). Prints the go test lines
# and one verdict line per goal; exits non-zero when a goal is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.26.10}
TAGS=sqlite_fts5,migrated_fynedo
out=$(go test -tags "$TAGS" -run '^$' -bench 'SearchKeywords|Lookup|SearchPatients100k' -benchtime 200x ./app/icd10/ ./local/)
echo "$out" | grep -E '^Benchmark'
fail=0
verdict() { # name value-ns goal-ns label
  local v=$2 g=$3
  if [ -z "$v" ]; then echo "$1: no result"; fail=1; return; fi
  if awk -v v="$v" -v g="$g" 'BEGIN{exit !(v < g)}'; then s=met; else s="NOT met"; fail=1; fi
  printf "%-42s %10.1f µs  (goal < %s: %s)\n" "$1" "$(awk -v v="$v" "BEGIN{print v/1e3}")" "$4" "$s"
}
metric() { echo "$out" | awk -v b="$1" -v m="$2" '$1 ~ "^"b"(-[0-9]+)?$" { for (i=2;i<NF;i++) if ($(i+1)==m) print $i }'; }
verdict "ICD-10 keyword search, median" "$(metric BenchmarkSearchKeywords median-ns/op)" 5000000 "5 ms"
verdict "ICD-10 code look-up" "$(metric BenchmarkLookup ns/op)" 50000 "50 µs"
verdict "Patient search, 100,000 patients, median" "$(metric BenchmarkSearchPatients100k median-ns/op)" 10000000 "10 ms"
exit $fail
