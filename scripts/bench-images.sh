#!/usr/bin/env bash
# Images benchmark (issue 6), against a private Orthanc that the benchmark starts itself
# (scripts/orthanc.sh; installs Orthanc with apt-get when missing):
#   - scanning 1,000 DICOM files: goal under 2 s (BenchmarkScan1000, and the scan in BenchmarkUpload1000);
#   - uploading the same 1,000 files with STOW-RS: time within 1.5x of curl posting the same multipart
#     body to the same Orthanc in the same run, peak memory of our process under 200 MB.
# Prints one "images bench:" line with the numbers; exits non-zero when a goal is missed.
#
#   bash scripts/bench-images.sh [ROUNDS]      ROUNDS uploads each way (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.26.10}
rounds=${1:-3}
exec ${GO:-go} test -tags "${TAGS:-sqlite_fts5,migrated_fynedo}" -count=1 -run '^$' \
  -bench '^(BenchmarkScan1000|BenchmarkUpload1000)$' -benchtime "${rounds}x" -timeout 30m ./app/dicom/
