#!/usr/bin/env bash
# Runs app/creds' keychain tests against the real Secret Service: a private D-Bus session with its
# own gnome-keyring-daemon, unlocked with a throw-away password, keeping its keyring files in a
# temporary folder (never the user's own keyrings). Installs nothing: scripts/deps.sh test does
# (gnome-keyring, libsecret-tools, dbus-x11). Everything it starts ends with the D-Bus session.
set -euo pipefail
cd "$(dirname "$0")/.."

TAGS=${TAGS:-sqlite_fts5,migrated_fynedo}
GO=${GO:-go}
for cmd in dbus-run-session gnome-keyring-daemon; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "keychain-test: $cmd is missing; run scripts/deps.sh test" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/data" "$tmp/runtime"
chmod 700 "$tmp/runtime"

# gnome-keyring-daemon --unlock reads the password from stdin and creates the "login" keyring in
# $XDG_DATA_HOME/keyrings (without --unlock go-keyring fails with "failed to unlock correct
# collection"). It runs in the foreground as a child of this shell, so it is stopped and reaped
# here: a daemonized one can outlive the session when the session ends quickly.
XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/runtime" TAGS="$TAGS" GO="$GO" \
  dbus-run-session -- sh -c '
    echo -n test | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
    kpid=$!
    trap "kill \$kpid 2>/dev/null; wait \$kpid 2>/dev/null" EXIT
    i=0
    until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
      i=$((i + 1))
      if [ "$i" -gt 100 ]; then echo "keychain-test: gnome-keyring-daemon did not start" >&2; exit 1; fi
      sleep 0.1
    done
    REFERRALDESK_REAL_KEYCHAIN=1 "$GO" test -tags "$TAGS" -count=1 -v -run Keychain ./app/creds .
  '
