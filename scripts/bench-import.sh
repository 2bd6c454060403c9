#!/usr/bin/env bash
# EHR import benchmarks (issue 16) on a 5 MB C-CDA built from a shared HL7 example: import to a
# Document with ICD-10-CM suggestions (median < 300 ms), its PDF rendering (< 1 s), peak heap growth
# under 10x the file size. Prints the go test lines and one verdict line per goal (the CPU time per
# operation is printed too: on a busy shared machine the wall-clock median waits for a core); exits
# non-zero when a goal is missed. Skips with a message when ../shared/data is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.26.10}
TAGS=sqlite_fts5,migrated_fynedo
if [ ! -d ../shared/data/ccda ]; then echo "bench-import: ../shared/data/ccda is absent: skipped"; exit 0; fi
out=$(go test -tags "$TAGS" -run '^$' -bench 'Import|RenderPDF' -benchtime 10x ./app/ehrimport/)
echo "$out" | grep -E '^Benchmark'
fail=0
metric() { echo "$out" | awk -v b="$1" -v m="$2" '$1 ~ "^"b"(-[0-9]+)?$" { for (i=2;i<NF;i++) if ($(i+1)==m) print $i }'; }
verdict() { # label value goal unit cpu
  local v=$2 g=$3
  if [ -z "$v" ]; then echo "$1: no result"; fail=1; return; fi
  if awk -v v="$v" -v g="$g" 'BEGIN{exit !(v < g)}'; then s=met; else s="NOT met"; fail=1; fi
  printf "%-44s %9.1f %s  (goal < %s %s: %s)%s\n" "$1" "$v" "$4" "$g" "$4" "$s" "${5:+  cpu $5 ms/op}"
}
verdict "EHR import 5 MB C-CDA + suggestions, median" "$(metric BenchmarkImport median-ms)" 300 ms "$(metric BenchmarkImport cpu-ms/op)"
verdict "EHR import PDF rendering, median" "$(metric BenchmarkRenderPDF median-ms)" 1000 ms "$(metric BenchmarkRenderPDF cpu-ms/op)"
verdict "EHR import peak heap / file size" "$(metric BenchmarkImport peak-heap/file)" 10 x
exit $fail
