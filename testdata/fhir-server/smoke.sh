#!/usr/bin/env bash
# Smoke test of the FHIR test peer through scripts/fhir-server.sh (install, start, node:test suite, stop).
#   bash testdata/fhir-server/smoke.sh [--fresh]     --fresh deletes node_modules first to time a clean install
# Prints timings, and fails if a secret shows up in the server's output or the test output.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCRIPT="$ROOT/scripts/fhir-server.sh"
DIR=$(mktemp -d "${TMPDIR:-/tmp}/fhir-smoke.XXXXXX")
trap '"$SCRIPT" stop --dir "$DIR" >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT

ms() { echo $(( $(date +%s%N) / 1000000 )); }

[ "${1:-}" = "--fresh" ] && rm -rf "$HERE/node_modules"

t=$(ms); "$SCRIPT" install; install_ms=$(( $(ms) - t ))
t=$(ms); "$SCRIPT" start --dir "$DIR" >/dev/null; start_ms=$(( $(ms) - t ))
set -a; . "$DIR/fhir.env"; set +a

(cd "$HERE" && node --test --test-reporter=spec smoke.test.js) 2>&1 | tee "$DIR/test.out"
status=${PIPESTATUS[0]}

leak=0
for secret in "$FHIR_PASSWORD" "$FHIR_TOKEN" "$FHIR_ADMIN_TOKEN"; do
  if grep -rqF -- "$secret" "$DIR/test.out" "$DIR/server.log" "$DIR/server.out"; then leak=1; fi
done
rss_kb=$(ps -o rss= -p "$FHIR_PID" | tr -d ' ')

echo "timings: install ${install_ms} ms (npm ci only when needed), start ${start_ms} ms (to FHIR_READY), server RSS after the suite $((rss_kb / 1024)) MB"
grep -E '^ℹ (transaction|50 MB|150 MB)' "$DIR/test.out" | sed 's/^ℹ /timings: /' || true
[ "$leak" = 0 ] || { echo "FAIL: a secret appeared in the server or test output" >&2; exit 1; }
[ "$status" = 0 ] || { echo "FAIL: smoke tests failed" >&2; exit "$status"; }
echo "smoke: OK"
