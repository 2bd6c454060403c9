#!/usr/bin/env bash
# Test peer: a private Orthanc with the DICOMweb plugin on 127.0.0.1, authentication on.
#
#   scripts/orthanc.sh start --dir DIR [--port N]   install (if missing), configure, start, wait until ready
#   scripts/orthanc.sh stop  --dir DIR              stop the Orthanc started in DIR
#
# start writes DIR/config.json (from testdata/orthanc/config.json.tmpl), keeps the storage and index in DIR,
# logs to DIR/orthanc.log and writes DIR/orthanc.env (DICOMWEB_BASE, ORTHANC_URL, ORTHANC_USER,
# ORTHANC_PASSWORD, ORTHANC_PID) for `set -a; . DIR/orthanc.env`. The system service is never used.
# Orthanc listens on all interfaces (it has no bind option): RemoteAccessAllowed is false and authentication
# is on, so only this machine, with the generated password, gets in.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
template="$root/testdata/orthanc/config.json.tmpl"
plugin=/usr/share/orthanc/plugins/libOrthancDicomWeb.so

usage() {
  echo "usage: $0 start --dir DIR [--port N] | stop --dir DIR" >&2
  exit 2
}

cmd=${1:-}
[ -n "$cmd" ] || usage
shift
dir="" port=""
while [ $# -gt 0 ]; do
  case "$1" in
  --dir) dir=${2:-}; shift 2 || usage ;;
  --port) port=${2:-}; shift 2 || usage ;;
  *) usage ;;
  esac
done
[ -n "$dir" ] || usage

install_missing() {
  local missing=() p
  for p in orthanc orthanc-dicomweb dcmtk; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || {
    echo "orthanc: missing ${missing[*]} and no apt-get here" >&2
    exit 1
  }
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "orthanc: installing ${missing[*]}" >&2
  # Keep the package's init script from starting the system Orthanc (exit 101 = action forbidden).
  local policy=/usr/sbin/policy-rc.d placed=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    placed=1
  fi
  local rc=0
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null; } || rc=$?
  [ -n "$placed" ] && $sudo rm -f "$policy"
  [ $rc -eq 0 ] || { echo "orthanc: apt-get failed ($rc)" >&2; exit 1; }
  # Where systemd runs, the unit may still have been enabled or started: stop and disable it.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now orthanc >/dev/null 2>&1 || true
  fi
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
  local p i
  for i in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if port_free "$p"; then
      echo "$p"
      return 0
    fi
  done
  echo "orthanc: no free port found" >&2
  exit 1
}

json_escape() {
  local s=${1//\\/\\\\}
  printf '%s' "${s//\"/\\\"}"
}

running_pid() {
  # The pid from DIR/orthanc.env, if that process is still the Orthanc started with DIR/config.json.
  local envf="$dir/orthanc.env" pid
  [ -f "$envf" ] || return 1
  pid=$(sed -n 's/^ORTHANC_PID=//p' "$envf")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$dir/config.json" || return 1
  echo "$pid"
}

start() {
  install_missing
  [ -f "$plugin" ] || { echo "orthanc: DICOMweb plugin missing at $plugin" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if pid=$(running_pid); then
    echo "orthanc: already running in $dir (pid $pid)" >&2
    exit 1
  fi
  mkdir -p "$dir/storage" "$dir/index"
  local user=referraldesk password fixed_port=$port tries=0
  password=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
  while :; do
    tries=$((tries + 1))
    [ -n "$fixed_port" ] || port=$(pick_port)
    local conf
    conf=$(<"$template")
    conf=${conf//@DIR@/$(json_escape "$dir")}
    conf=${conf//@PORT@/$port}
    conf=${conf//@USER@/$user}
    conf=${conf//@PASSWORD@/$password}
    (umask 077 && printf '%s\n' "$conf" >"$dir/config.json")
    setsid Orthanc "$dir/config.json" >"$dir/orthanc.log" 2>&1 </dev/null &
    local pid=$! url="http://127.0.0.1:$port" ready=""
    local deadline=$((SECONDS + 30))
    while [ $SECONDS -lt $deadline ]; do
      if ! kill -0 "$pid" 2>/dev/null; then break; fi
      if curl -fsS -m 2 -u "$user:$password" "$url/system" >/dev/null 2>&1; then
        ready=1
        break
      fi
      sleep 0.2
    done
    if [ -n "$ready" ]; then
      (umask 077 && cat >"$dir/orthanc.env" <<EOF
DICOMWEB_BASE=$url/dicom-web
ORTHANC_URL=$url
ORTHANC_USER=$user
ORTHANC_PASSWORD=$password
ORTHANC_PID=$pid
EOF
      )
      echo "orthanc: ready at $url (pid $pid); settings in $dir/orthanc.env"
      return 0
    fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    # A port picked by us may have been taken in between: try another one, twice at most.
    if [ -n "$fixed_port" ] || [ $tries -ge 3 ]; then
      echo "orthanc: not ready within 30 s; last lines of $dir/orthanc.log:" >&2
      tail -n 20 "$dir/orthanc.log" >&2 || true
      exit 1
    fi
  done
}

stop() {
  [ -d "$dir" ] || { echo "orthanc: no such directory $dir" >&2; exit 1; }
  dir=$(cd "$dir" && pwd)
  local pid
  if ! pid=$(running_pid); then
    echo "orthanc: not running in $dir"
    return 0
  fi
  kill "$pid"
  local i
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid" 2>/dev/null || true
  fi
  sed -i '/^ORTHANC_PID=/d' "$dir/orthanc.env"
  echo "orthanc: stopped (pid $pid)"
}

case "$cmd" in
start) start ;;
stop) stop ;;
*) usage ;;
esac
