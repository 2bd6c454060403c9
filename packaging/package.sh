#!/usr/bin/env bash
# make package: the Linux archive (fyne package -os linux: binary, .desktop file, icon and a Makefile
# with user-install/install targets, plus the binary's file-reading worker) next to the Windows exe and MSI in dist/, plus dist/SHA256SUMS.
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
# The file-reading worker beside the binary (cmd/referraldesk-worker), built after it from the same
# source, tags and settings as fyne's release build, so that the app takes it as its own (app/sandbox
# program.go); fyne's Makefile installs and removes it with the binary.
unpacked=$stage/linux-archive
rm -rf "$unpacked" && mkdir -p "$unpacked"
tar -xJf "$stage/ReferralDesk.tar.xz" -C "$unpacked"
bin=$(cd "$unpacked" && find usr -path '*/bin/*' -type f | head -1)
[ -n "$bin" ] || die "no binary in fyne's Linux archive"
(cd "$stage" && CGO_ENABLED=1 GOOS=linux $GO build -trimpath -tags "$TAGS,release" -ldflags "-s -w" \
  -o "$unpacked/$(dirname "$bin")/referraldesk-worker" ./cmd/referraldesk-worker) || die "building referraldesk-worker failed"
sed -i -e 's|^\(\t*\)install -Dm00755 \(usr/.*bin/\)$(Exec) \(.*bin/\)$(Exec)$|&\n\1install -Dm00755 \2referraldesk-worker \3referraldesk-worker|' \
  -e 's|^\(\t*\)-rm \(.*bin/\)$(Exec)$|&\n\1-rm \2referraldesk-worker|' "$unpacked/Makefile"
[ "$(grep -c referraldesk-worker "$unpacked/Makefile")" -eq 4 ] || die "could not add referraldesk-worker to fyne's Makefile"
(cd "$unpacked" && tar -cJf "$tarball" --owner=0 --group=0 ./*)
tar -tJf "$tarball" | grep -q '\.desktop$' || die "no .desktop file in $tarball"
tar -tJf "$tarball" | grep -q 'bin/referraldesk-worker$' || die "no referraldesk-worker in $tarball"
log "built $(basename "$tarball") ($(human_size "$tarball")) in $(($(date +%s) - start)) s"

(cd "$DIST" && sha256sum "$(basename "$exe")" "$(basename "$msi")" "$(basename "$tarball")" >SHA256SUMS)
log "dist/SHA256SUMS:"
sed 's/^/  /' "$DIST/SHA256SUMS" >&2
