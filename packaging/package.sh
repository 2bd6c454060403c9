#!/usr/bin/env bash
# make package: the Linux archive (fyne package -os linux: binary, .desktop file, icon and a Makefile
# with user-install/install targets) next to the Windows exe and MSI in dist/, plus dist/SHA256SUMS.
# The Windows files come from `make windows msi` (the Makefile runs them first).
set -euo pipefail
source "$(dirname "$0")/../scripts/windows/lib.sh"
LOG_PREFIX=package

ensure_fyne
exe=$DIST/referraldesk.exe
msi=$DIST/ReferralDesk-$VERSION-x64.msi
for f in "$exe" "$msi"; do [ -f "$f" ] || die "$f is missing: run 'make windows msi' first"; done

stage=$CACHE/build/linux-src
stage_src "$stage"
rm -f "$stage"/*.tar.xz
log "building the Linux package $VERSION ($COMMIT)"
start=$(date +%s)
(
  cd "$stage"
  export CGO_ENABLED=1 GOOS=linux
  fyne_env
  "$FYNE" package -os linux --release --tags "$TAGS" --icon assets/icon.png --src . >build.log 2>&1 ||
    { cat build.log >&2; die "fyne package -os linux failed (log above)"; }
)
arch=$($GO env GOARCH)
tarball=$DIST/ReferralDesk-$VERSION-linux-$arch.tar.xz
mv "$stage/ReferralDesk.tar.xz" "$tarball"
tar -tJf "$tarball" | grep -q '\.desktop$' || die "no .desktop file in $tarball"
log "built $(basename "$tarball") ($(human_size "$tarball")) in $(($(date +%s) - start)) s"

(cd "$DIST" && sha256sum "$(basename "$exe")" "$(basename "$msi")" "$(basename "$tarball")" >SHA256SUMS)
log "dist/SHA256SUMS:"
sed 's/^/  /' "$DIST/SHA256SUMS" >&2
