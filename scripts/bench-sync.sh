#!/usr/bin/env bash
# Sync benchmark: pushes 1 GB of attachments (ten 100 MB files) to the FHIR test server and uploads the
# same files with curl in the same run; prints both times, the ratio (goal <= 1.5) and peak memory
# (goal < 200 MB). Exits non-zero when a goal is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.26.10}
REFERRALDESK_BENCH=1 go test -tags sqlite_fts5,migrated_fynedo -count=1 -timeout 20m -run '^TestBenchPush1GB$' -v ./app/syncer |
  grep -E '^(sync:|--- |ok|FAIL)'
