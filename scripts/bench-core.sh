#!/usr/bin/env bash
# Benchmarks of the foundation: ICD-10-CM keyword search (median < 5 ms over all 74,719 codes), code
# look-up (< 50 µs), the labelled diagnosis queries of app/icd10/testdata/queries.tsv (recall@10 per
# kind: official terms >= 98 %, codes 100 %, abbreviations >= 90 %, lay terms >= 90 %, typos >= 85 %;
# median query time < 2 ms), loading the index (reported), patient search with 100,000 patients
# (median < 10 ms). Prints the go test lines and one verdict line per goal; exits non-zero when a
# goal is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.26.10}
TAGS=sqlite_fts5,migrated_fynedo
out=$(go test -tags "$TAGS" -run '^$' -bench 'SearchKeywords|Lookup|QuerySet|SearchPatients100k' -benchtime 200x ./app/icd10/ ./local/)
# Loading takes a few hundred ms: a few runs are enough.
out+=$'\n'$(go test -tags "$TAGS" -run '^$' -bench 'Load$' -benchtime 5x ./app/icd10/)
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
verdict "Labelled diagnosis queries, median" "$(metric BenchmarkQuerySet median-ns/op)" 2000000 "2 ms"
recall() { # kind goal-%
  local v; v=$(metric BenchmarkQuerySet "recall-$1-%")
  if [ -z "$v" ]; then echo "recall@10 $1: no result"; fail=1; return; fi
  if awk -v v="$v" -v g="$2" 'BEGIN{exit !(v >= g)}'; then s=met; else s="NOT met"; fail=1; fi
  printf "%-42s %10.1f %%   (goal >= %s %%: %s)\n" "Diagnosis recall@10, $1" "$v" "$2" "$s"
}
recall official 98
recall code 100
recall abbreviation 90
recall lay 90
recall typo 85
printf "%-42s %10.1f ms  (reported)\n" "ICD-10 index load (codes + Index entries)" "$(awk -v v="$(metric BenchmarkLoad median-ns/op)" 'BEGIN{print v/1e6}')"
verdict "Patient search, 100,000 patients, median" "$(metric BenchmarkSearchPatients100k median-ns/op)" 10000000 "10 ms"
exit $fail
