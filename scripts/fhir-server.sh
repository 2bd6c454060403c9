#!/usr/bin/env bash
# Start/stop the FHIR R4 test peer (testdata/fhir-server) on 127.0.0.1.
#
#   scripts/fhir-server.sh install                      npm ci, only when node_modules is missing or the lock changed
#   scripts/fhir-server.sh start [--port N] [--dir DIR] [--timeout S] [-- extra server.js flags]
#   scripts/fhir-server.sh stop  [--dir DIR]
#
# start writes DIR/fhir.env (mode 600) with FHIR_BASE, FHIR_USER, FHIR_PASSWORD, FHIR_TOKEN, FHIR_ADMIN_TOKEN,
# FHIR_PID, FHIR_DIR, and SMART_ISSUER when started with `-- --smart` (an OAuth 2.0 / SMART authorization
# server, oidc-provider, on another loopback port; FHIR requests then need its JWT access tokens; see
# testdata/fhir-server/smart.mjs and `-- --smart-token-ttl S`, `-- --smart-client-id ID`); DIR defaults to .cache/fhir-server in the repository. Credentials are fresh random values,
# passed to node through the environment (not argv) and never printed. DIR also holds server.log (stderr) and
# the uploaded Binary bytes (DIR/data), removed by stop.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRV="$ROOT/testdata/fhir-server"

die() { echo "fhir-server.sh: $*" >&2; exit 1; }

need_node() {
  command -v node >/dev/null || die "node not found (Node 20+ is required)"
  command -v npm >/dev/null || die "npm not found"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node $major found; Node 20+ is required"
}

lock_hash() { sha256sum "$SRV/package-lock.json" | cut -d' ' -f1; }

install() {
  need_node
  local stamp="$SRV/node_modules/.referraldesk-lock-hash" want
  want=$(lock_hash)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$SRV/node_modules/@medplum/fhir-router" ]; then
    return 0
  fi
  # Serialize concurrent installs (parallel test packages may start servers at the same time).
  exec 9>"${TMPDIR:-/tmp}/referraldesk-fhir-install.lock"
  flock 9
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$SRV/node_modules/@medplum/fhir-router" ]; then
    flock -u 9; return 0
  fi
  echo "fhir-server.sh: installing npm packages (npm ci)" >&2
  local t0=$SECONDS
  (cd "$SRV" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >&2) || die "npm ci failed"
  echo "$want" >"$stamp"
  echo "fhir-server.sh: installed in $((SECONDS - t0)) s" >&2
  flock -u 9
}

rand() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# True if PID is a live (not zombie) process running this repository's server.js.
is_our_server() { # pid
  [ -r "/proc/$1/cmdline" ] || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != "Z" ] || return 1
  tr '\0' '\n' <"/proc/$1/cmdline" | grep -qxF "$SRV/server.js"
}

parse_common() {
  DIR="$ROOT/.cache/fhir-server"
  PORT=0
  TIMEOUT=60
  EXTRA=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) PORT=${2:?--port needs a value}; shift 2 ;;
      --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
      --timeout) TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
      --) shift; EXTRA=("$@"); break ;;
      *) die "unknown argument: $1" ;;
    esac
  done
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
}

start() {
  parse_common "$@"
  local envf="$DIR/fhir.env"
  if [ -f "$envf" ]; then
    local old
    old=$(sed -n 's/^FHIR_PID=//p' "$envf")
    if [ -n "$old" ] && is_our_server "$old"; then
      die "already running (pid $old, $envf); run: $0 stop --dir $DIR"
    fi
    rm -f "$envf"
  fi
  install

  local user="rd-$(rand 4)" password token admin
  password=$(rand 16); token=$(rand 24); admin=$(rand 24)
  rm -rf "$DIR/data" "$DIR/ready" "$DIR/server.out"
  mkdir -p "$DIR/data"

  local t0=$SECONDS
  (
    cd "$SRV"
    FHIR_USER="$user" FHIR_PASSWORD="$password" FHIR_TOKEN="$token" FHIR_ADMIN_TOKEN="$admin" \
      exec node "$SRV/server.js" --port "$PORT" --ready-file "$DIR/ready" --data-dir "$DIR/data" "${EXTRA[@]}" \
      </dev/null >"$DIR/server.out" 2>"$DIR/server.log"
  ) &
  local pid=$!

  local base="" issuer=""
  while :; do
    if [ -s "$DIR/ready" ]; then base=$(head -n1 "$DIR/ready"); issuer=$(sed -n 2p "$DIR/ready"); break; fi
    if ! is_our_server "$pid"; then
      echo "fhir-server.sh: server exited during start-up; last lines of $DIR/server.log:" >&2
      tail -n 20 "$DIR/server.log" >&2 || true
      exit 1
    fi
    if [ $((SECONDS - t0)) -ge "$TIMEOUT" ]; then
      kill "$pid" 2>/dev/null || true
      echo "fhir-server.sh: no FHIR_READY within ${TIMEOUT} s; last lines of $DIR/server.log:" >&2
      tail -n 20 "$DIR/server.log" >&2 || true
      exit 1
    fi
    sleep 0.1
  done

  umask 077
  cat >"$envf.tmp" <<EOF
FHIR_BASE=$base
FHIR_USER=$user
FHIR_PASSWORD=$password
FHIR_TOKEN=$token
FHIR_ADMIN_TOKEN=$admin
FHIR_PID=$pid
FHIR_DIR=$DIR
SMART_ISSUER=$issuer
EOF
  mv "$envf.tmp" "$envf"
  echo "FHIR_BASE=$base"
  [ -z "$issuer" ] || echo "SMART_ISSUER=$issuer"
  echo "FHIR_ENV=$envf"
  echo "fhir-server.sh: started pid $pid in $((SECONDS - t0)) s" >&2
}

stop() {
  parse_common "$@"
  local envf="$DIR/fhir.env" pid
  [ -f "$envf" ] || { echo "fhir-server.sh: not running ($envf missing)" >&2; return 0; }
  pid=$(sed -n 's/^FHIR_PID=//p' "$envf")
  if [ -n "$pid" ] && is_our_server "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do is_our_server "$pid" || break; sleep 0.1; done
    if is_our_server "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  elif [ -n "$pid" ]; then
    echo "fhir-server.sh: pid $pid is not running server.js any more" >&2
  fi
  rm -rf "$envf" "$DIR/ready" "$DIR/data"
  echo "fhir-server.sh: stopped" >&2
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  install) install ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  *) echo "usage: $0 install | start [--port N] [--dir DIR] [--timeout S] [-- server flags] | stop [--dir DIR]" >&2; exit 2 ;;
esac
