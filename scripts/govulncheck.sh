#!/usr/bin/env bash
# Runs govulncheck on ReferralDesk against a local copy of the Go vulnerability database,
# built from the golang.org/x/vulndb module as the Go module proxy serves it, so that
# vuln.go.dev is never contacted.
#
# Usage: scripts/govulncheck.sh [govulncheck flags...] [-- patterns...]
#   e.g. scripts/govulncheck.sh
#        scripts/govulncheck.sh -show verbose
#        scripts/govulncheck.sh -format json -- ./app/...
# Patterns default to ./... ; -tags sqlite_fts5,migrated_fynedo is always passed.
# Exit status: govulncheck's own: 0 when no vulnerability affects the code, 3 when one does
# (text output; with -format json/sarif/openvex it is 0 either way), other non-zero on errors.
#
# Environment:
#   GOVULNCHECK_VERSION  golang.org/x/vuln version to install (default pinned below)
#   VULNDB_VERSION       golang.org/x/vulndb version to build the DB from (default pinned below)
#   VULNDB_CACHE         where built DBs are kept
#                        (default ${XDG_CACHE_HOME:-$HOME/.cache}/referraldesk/vulndb)
set -euo pipefail

GOVULNCHECK_VERSION="${GOVULNCHECK_VERSION:-v1.9.0}"
VULNDB_VERSION="${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}"
VULNDB_CACHE="${VULNDB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/referraldesk/vulndb}"
TAGS="sqlite_fts5,migrated_fynedo"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { echo "govulncheck.sh: $*" >&2; }

# An empty directory to run module-cache queries from, so they never touch go.mod/go.sum.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# 1. govulncheck at the pinned version.
gobin="$(go env GOBIN)"
[ -n "$gobin" ] || gobin="$(go env GOPATH | cut -d: -f1)/bin"
gvc="$gobin/govulncheck"
if ! { [ -x "$gvc" ] && go version -m "$gvc" 2>/dev/null |
  grep -Eq "^[[:space:]]+mod[[:space:]]+golang.org/x/vuln[[:space:]]+${GOVULNCHECK_VERSION}([[:space:]]|$)"; }; then
  say "installing golang.org/x/vuln/cmd/govulncheck@${GOVULNCHECK_VERSION}"
  (cd "$scratch" && GOWORK=off GOFLAGS= GOBIN="$gobin" go install "golang.org/x/vuln/cmd/govulncheck@${GOVULNCHECK_VERSION}")
fi

# 2. The local database, built once per vulndb version.
db="$VULNDB_CACHE/$VULNDB_VERSION"
if [ ! -f "$db/index/db.json" ] || [ ! -f "$db/index/modules.json" ]; then
  say "building the vulnerability DB from golang.org/x/vulndb@${VULNDB_VERSION} into $db"
  mkdir -p "$VULNDB_CACHE"
  info="$(cd "$scratch" && GOWORK=off GOFLAGS= go mod download golang.org/x/vulndb@"$VULNDB_VERSION" >/dev/null &&
    GOWORK=off GOFLAGS= go list -m -f '{{.Dir}}|{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' \
      golang.org/x/vulndb@"$VULNDB_VERSION")"
  src="${info%%|*}"
  modified="${info##*|}"
  [ -d "$src/data/osv" ] || { say "no data/osv in $src"; exit 1; }
  tmp="$(mktemp -d "$VULNDB_CACHE/.build.XXXXXX")"
  # The helper is stdlib-only; running it from $scratch keeps it independent of go.mod's state.
  if ! (cd "$scratch" && GOWORK=off GOFLAGS= go run "$root/scripts/vulndb/main.go" \
    -osv "$src/data/osv" -out "$tmp" -modified "$modified" >&2); then
    rm -rf "$tmp"
    exit 1
  fi
  chmod 755 "$tmp"
  if [ -f "$db/index/db.json" ] && [ -f "$db/index/modules.json" ]; then
    rm -rf "$tmp" # another run finished first
  else
    rm -rf "$db" # a half-built leftover, if any
    mv -T "$tmp" "$db" 2>/dev/null || rm -rf "$tmp"
  fi
fi

# 3. Note which DB this is, then run.
db_modified="$(sed -n 's/.*"modified":"\([^"]*\)".*/\1/p' "$db/index/db.json")"
say "using local vuln DB golang.org/x/vulndb@${VULNDB_VERSION} (modified ${db_modified}), govulncheck ${GOVULNCHECK_VERSION}"

flags=()
patterns=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--" ]; then
    shift
    patterns=("$@")
    break
  fi
  flags+=("$1")
  shift
done
[ ${#patterns[@]} -gt 0 ] || patterns=(./...)

set +e
"$gvc" -db "file://$db" -tags "$TAGS" ${flags[@]+"${flags[@]}"} "${patterns[@]}"
status=$?
set -e
exit $status
