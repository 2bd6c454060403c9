#!/usr/bin/env bash
# Cross-builds the Windows GUI program dist/referraldesk.exe on Linux with mingw-w64 and `fyne package`
# (icon, version resource and manifest), stamped with FyneApp.toml's version, then signs it when a
# certificate is given (see sign.sh). Usage: scripts/windows/build.sh   (or: make windows)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_pkgs gcc-mingw-w64-x86-64
ensure_fyne
command -v "$MINGW_CC" >/dev/null || die "$MINGW_CC not found after installing gcc-mingw-w64-x86-64"

stage=$CACHE/build/windows-src
stage_src "$stage"
rm -f "$stage/ReferralDesk.exe" "$stage/referraldesk.exe"
mkdir -p "$DIST"

log "building referraldesk.exe $VERSION ($COMMIT) with tags $TAGS (first build on 2 cores: 7 min idle, up to 20 min busy)"
start=$(date +%s)
(
  cd "$stage"
  # fyne --release: -trimpath, -ldflags "-H=windowsgui -s -w", Fyne's "release" tag; + our stamp (fyne_env).
  export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$MINGW_CC
  fyne_env
  "$FYNE" package -os windows --release --tags "$TAGS" --icon assets/icon.png --src . >build.log 2>&1 ||
    { cat build.log >&2; die "fyne package -os windows failed (log above)"; }
)
exe=$stage/ReferralDesk.exe
[ -f "$exe" ] || exe=$stage/referraldesk.exe
[ -f "$exe" ] || die "fyne package did not produce ReferralDesk.exe in $stage"
cp "$exe" "$DIST/referraldesk.exe"
log "built dist/referraldesk.exe ($(human_size "$DIST/referraldesk.exe")) in $(($(date +%s) - start)) s"

bash "$ROOT/scripts/windows/sign.sh" "$DIST/referraldesk.exe"
